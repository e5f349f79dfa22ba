import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as nb from '../src/index.js';
import { rand } from './helpers.js';
import { compareWithTf, tfReady } from './tfjs-helpers.js';

type Fn2 = [string, (a: nb.Tensor, b: nb.Tensor) => nb.Tensor, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, boolean?];

// TensorFlow.js 4.22's Maximum/Minimum gradients do not reduce broadcast dimensions (it throws
// "gradient of input 'a' has shape 3,2,4 ..."), so those two are compared on equal shapes.
const SAME_SHAPE_ONLY = new Set(['maximum', 'minimum']);

// Broadcast [3, 1, 4] with [2, 4]; the second operand is kept positive where the op needs it.
const BINARY: Fn2[] = [
  ['add', nb.add, tf.add],
  ['sub', nb.sub, tf.sub],
  ['mul', nb.mul, tf.mul],
  ['div', nb.div, tf.div],
  ['pow', nb.pow, tf.pow],
  ['maximum', nb.maximum, tf.maximum],
  ['minimum', nb.minimum, tf.minimum],
  ['mod', nb.mod, tf.mod],
  ['atan2', nb.atan2, tf.atan2],
  ['equal', nb.equal, tf.equal, false],
  ['notEqual', nb.notEqual, tf.notEqual, false],
  ['less', nb.less, tf.less, false],
  ['lessEqual', nb.lessEqual, tf.lessEqual, false],
  ['greater', nb.greater, tf.greater, false],
  ['greaterEqual', nb.greaterEqual, tf.greaterEqual, false],
];

describe('TensorFlow.js differential: binary ops with broadcasting (forward and gradient, float32)', () => {
  before(tfReady);
  BINARY.forEach(([name, nbf, tff, grad], i) => {
    it(name, () => {
      const a = rand(SAME_SHAPE_ONLY.has(name) ? [3, 2, 4] : [3, 1, 4], 200 + i, 0.5, 2);
      const b = rand(SAME_SHAPE_ONLY.has(name) ? [3, 2, 4] : [2, 4], 300 + i, 0.5, 2);
      compareWithTf(nbf, tff, [a, b], { grad: grad ?? true });
    });
  });
  it('where', () => {
    const cond = nb.greater(rand([3, 4], 0), 0);
    const tfCond = tf.tensor(Array.from(cond.values, (v) => v !== 0), [3, 4], 'bool');
    compareWithTf((a, b) => nb.where(cond, a, b), (a, b) => tf.where(tfCond, a, b), [rand([3, 4], 1), rand([3, 4], 2)]);
  });
  it('clipByValue', () => {
    compareWithTf((a) => nb.clip(a, -0.5, 0.5), (a) => tf.clipByValue(a, -0.5, 0.5), [rand([3, 4], 3)]);
  });
  it('logicalAnd / logicalOr / logicalXor', () => {
    const p = nb.tensor([true, true, false, false]);
    const q = nb.tensor([true, false, true, false]);
    for (const [nbf, tff] of [
      [nb.logicalAnd, tf.logicalAnd],
      [nb.logicalOr, tf.logicalOr],
      [nb.logicalXor, tf.logicalXor],
    ] as const) {
      compareWithTf(
        () => nbf(p, q),
        () => tff(tf.tensor([true, true, false, false], [4], 'bool'), tf.tensor([true, false, true, false], [4], 'bool')),
        [],
        { grad: false },
      );
    }
  });
});

describe('TensorFlow.js differential: reductions (forward and gradient, float32)', () => {
  before(tfReady);
  const cases: [string, (x: nb.Tensor) => nb.Tensor, (x: tf.Tensor) => tf.Tensor, boolean?][] = [
    ['sum axis 1', (x) => nb.sum(x, 1), (x) => tf.sum(x, 1)],
    ['sum axes [0, 2] keepDims', (x) => nb.sum(x, [0, 2], { keepDims: true }), (x) => tf.sum(x, [0, 2], true)],
    ['mean axis -1', (x) => nb.mean(x, -1), (x) => tf.mean(x, -1)],
    ['max axis 2', (x) => nb.max(x, 2), (x) => tf.max(x, 2)],
    ['min axis 0', (x) => nb.min(x, 0), (x) => tf.min(x, 0)],
    ['prod axis 1', (x) => nb.prod(x, 1), (x) => tf.prod(x, 1)],
    ['logSumExp axis -1', (x) => nb.logSumExp(x, -1), (x) => tf.logSumExp(x, -1)],
    ['variance (moments) axis 1', (x) => nb.variance(x, 1), (x) => tf.moments(x, 1).variance],
    ['argmax axis 1', (x) => nb.argmax(x, 1), (x) => tf.argMax(x, 1), false],
    ['argmin axis 2', (x) => nb.argmin(x, 2), (x) => tf.argMin(x, 2), false],
  ];
  cases.forEach(([name, nbf, tff, grad], i) => {
    it(name, () => compareWithTf(nbf, tff, [rand([2, 3, 4], 400 + i)], { grad: grad ?? true }));
  });
  it('any / all', () => {
    const b = nb.tensor([[true, false], [true, true]]);
    const tb = tf.tensor([[true, false], [true, true]], [2, 2], 'bool');
    compareWithTf(() => nb.any(b, 1), () => tf.any(tb, 1), [], { grad: false });
    compareWithTf(() => nb.all(b, 1), () => tf.all(tb, 1), [], { grad: false });
  });
});

describe('TensorFlow.js differential: matmul and movement (forward and gradient, float32)', () => {
  before(tfReady);
  it('matMul (all transpose combinations)', () => {
    for (const tA of [false, true])
      for (const tB of [false, true]) {
        const a = rand(tA ? [5, 3] : [3, 5], 1);
        const b = rand(tB ? [4, 5] : [5, 4], 2);
        compareWithTf(
          (x, y) => nb.matmul(x, y, { transposeA: tA, transposeB: tB }),
          (x, y) => tf.matMul(x, y, tA, tB),
          [a, b],
        );
      }
  });
  it('batched matMul', () => {
    compareWithTf((x, y) => nb.matmul(x, y), (x, y) => tf.matMul(x, y), [rand([2, 3, 5], 3), rand([2, 5, 4], 4)]);
  });
  it('outerProduct and dot', () => {
    compareWithTf(nb.outer, tf.outerProduct as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, [rand([3], 5), rand([4], 6)]);
    compareWithTf(nb.dot, tf.dot, [rand([3, 5], 7), rand([5, 2], 8)]);
  });
  it('reshape, transpose, expandDims, squeeze, broadcastTo', () => {
    compareWithTf((x) => nb.reshape(x, [4, -1]), (x) => tf.reshape(x, [4, -1]), [rand([2, 3, 4], 9)]);
    compareWithTf((x) => nb.transpose(x, [2, 0, 1]), (x) => tf.transpose(x, [2, 0, 1]), [rand([2, 3, 4], 10)]);
    compareWithTf((x) => nb.expandDims(x, 1), (x) => tf.expandDims(x, 1), [rand([2, 3], 11)]);
    compareWithTf((x) => nb.squeeze(x), (x) => tf.squeeze(x), [rand([1, 3, 1], 12)]);
    compareWithTf((x) => nb.broadcastTo(x, [2, 3, 4]), (x) => tf.broadcastTo(x, [2, 3, 4]), [rand([3, 1], 13)]);
  });
  it('cast', () => {
    compareWithTf((x) => nb.cast(x, 'int32'), (x) => tf.cast(x, 'int32'), [rand([5], 14, -3, 3)], { grad: false });
  });
});
