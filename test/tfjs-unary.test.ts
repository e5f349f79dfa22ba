import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as nb from '../src/index.js';
import { rand } from './helpers.js';
import { compareWithTf, tfReady } from './tfjs-helpers.js';

type Pair = [string, (x: nb.Tensor) => nb.Tensor, (x: tf.Tensor) => tf.Tensor, { lo?: number; hi?: number; grad?: boolean }?];

// Each op on a [3, 4] input within its domain; gradients compared too unless the op has none.
const CASES: Pair[] = [
  ['neg', nb.neg, tf.neg],
  ['abs', nb.abs, tf.abs],
  ['sign', nb.sign, tf.sign, { grad: false }],
  ['exp', nb.exp, tf.exp],
  ['expm1', nb.expm1, tf.expm1],
  ['log', nb.log, tf.log, { lo: 0.1, hi: 3 }],
  ['log1p', nb.log1p, tf.log1p, { lo: -0.5, hi: 3 }],
  ['sqrt', nb.sqrt, tf.sqrt, { lo: 0.1, hi: 3 }],
  ['rsqrt', nb.rsqrt, tf.rsqrt, { lo: 0.1, hi: 3 }],
  ['square', nb.square, tf.square],
  ['reciprocal', nb.reciprocal, tf.reciprocal, { lo: 0.2, hi: 3 }],
  ['sin', nb.sin, tf.sin],
  ['cos', nb.cos, tf.cos],
  ['tan', nb.tan, tf.tan],
  ['tanh', nb.tanh, tf.tanh],
  ['sigmoid', nb.sigmoid, tf.sigmoid],
  ['softplus', nb.softplus, tf.softplus],
  ['erf', nb.erf, tf.erf],
  ['floor', nb.floor, tf.floor, { lo: -3, hi: 3 }],
  ['ceil', nb.ceil, tf.ceil, { lo: -3, hi: 3 }],
  ['round', nb.round, tf.round, { lo: -3, hi: 3 }],
  ['relu', nb.relu, tf.relu],
];

describe('TensorFlow.js differential: unary ops (forward and gradient, float32, atol/rtol 1e-4)', () => {
  before(tfReady);
  CASES.forEach(([name, nbf, tff, opt], i) => {
    it(name, () => {
      compareWithTf(nbf, tff, [rand([3, 4], 100 + i, opt?.lo ?? -2, opt?.hi ?? 2)], { grad: opt?.grad ?? true });
    });
  });
});
