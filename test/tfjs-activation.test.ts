import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as nb from '../src/index.js';
import { rand } from './helpers.js';
import { compareWithTf, tfReady } from './tfjs-helpers.js';

type ActivationName = Parameters<typeof tf.layers.activation>[0]['activation'];

/** TensorFlow.js's Keras activation of that name, run eagerly through an Activation layer. */
function keras(name: ActivationName): (x: tf.Tensor) => tf.Tensor {
  return (x) => tf.layers.activation({ activation: name }).apply(x) as tf.Tensor;
}

type Pair = [string, (x: nb.Tensor) => nb.Tensor, (x: tf.Tensor) => tf.Tensor];

// Inputs in [-4, 4] on a [3, 5] tensor: forward values and gradients of Σ f(x)·r.
const CASES: Pair[] = [
  ['leakyRelu (default alpha 0.2)', (x) => nb.leakyRelu(x), (x) => tf.leakyRelu(x)],
  ['leakyRelu (alpha 0.05)', (x) => nb.leakyRelu(x, 0.05), (x) => tf.leakyRelu(x, 0.05)],
  ['relu6', nb.relu6, tf.relu6],
  ['elu', (x) => nb.elu(x), tf.elu],
  ['selu', nb.selu, tf.selu],
  ['softmax (axis -1)', (x) => nb.softmax(x), (x) => tf.softmax(x)],
  ['logSoftmax (axis -1)', (x) => nb.logSoftmax(x), (x) => tf.logSoftmax(x)],
  ['swish = x·sigmoid(x)', (x) => nb.swish(x), (x) => tf.mul(x, tf.sigmoid(x))],
  ['swish (beta 2) vs Keras swish', (x) => nb.swish(x, 2), (x) => tf.mul(tf.sigmoid(tf.mul(x, 2)), x)],
  ['silu vs Keras swish', nb.silu, keras('swish')],
  ['softsign vs Keras softsign', nb.softsign, keras('softsign')],
  ['softsign = x / (1 + |x|)', nb.softsign, (x) => tf.div(x, tf.add(1, tf.abs(x)))],
  ['hardSigmoid vs Keras hardSigmoid', nb.hardSigmoid, keras('hardSigmoid')],
  ['hardSigmoid = clip(0.2x + 0.5, 0, 1)', nb.hardSigmoid, (x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1)],
  ['gelu vs Keras gelu (erf)', (x) => nb.gelu(x), keras('gelu')],
  ['gelu (approximate) vs Keras gelu_new (tanh)', (x) => nb.gelu(x, { approximate: true }), keras('gelu_new')],
  ['mish vs Keras mish', nb.mish, keras('mish')],
  ['elu vs Keras elu', (x) => nb.elu(x), keras('elu')],
  ['selu vs Keras selu', nb.selu, keras('selu')],
  ['relu6 vs Keras relu6', nb.relu6, keras('relu6')],
];

describe('TensorFlow.js differential: activations (forward and gradient, float32, atol/rtol 1e-4)', () => {
  before(tfReady);
  CASES.forEach(([name, nbf, tff], i) => {
    it(name, () => {
      compareWithTf(nbf, tff, [rand([3, 5], 200 + i, -4, 4)]);
    });
  });

  it('kinks are excluded from random inputs but agree anyway at exact 0 and 6', () => {
    const x = nb.tensor([-6, -1, 0, 1, 6, 7]);
    compareWithTf(nb.relu6, tf.relu6, [x]);
    compareWithTf((t) => nb.leakyRelu(t), (t) => tf.leakyRelu(t), [x]);
    compareWithTf(nb.selu, tf.selu, [x]);
    compareWithTf((t) => nb.elu(t), tf.elu, [x]);
  });

  // tf.softmax only normalizes the last axis: move the axis last, apply, and move it back.
  const PERMS: [number, number[]][] = [
    [0, [1, 2, 0]],
    [1, [0, 2, 1]],
    [-2, [0, 2, 1]],
  ];
  for (const [axis, perm] of PERMS) {
    const inverse = perm.map((_, i) => perm.indexOf(i));
    it(`softmax and logSoftmax along axis ${axis} of a [2, 3, 4] tensor (tfjs via transpose)`, () => {
      const x = rand([2, 3, 4], 300 + axis, -5, 5);
      compareWithTf((t) => nb.softmax(t, axis), (t) => tf.transpose(tf.softmax(tf.transpose(t, perm)), inverse), [x]);
      compareWithTf((t) => nb.logSoftmax(t, axis), (t) => tf.transpose(tf.logSoftmax(tf.transpose(t, perm)), inverse), [x]);
    });
  }

  it('softmax and logSoftmax on large logits', () => {
    const x = nb.tensor([[1000, 999, -1000], [-50, 50, 0]]);
    compareWithTf((t) => nb.softmax(t), (t) => tf.softmax(t), [x]);
    compareWithTf((t) => nb.logSoftmax(t), (t) => tf.logSoftmax(t), [x]);
  });
});
