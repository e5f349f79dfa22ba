import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { assertClose, assertGradcheck, assertThrowsWith, rand, randAwayFromZero } from './helpers.js';

const ACTS = ['linear', 'relu', 'sigmoid', 'tanh'] as const;
const composed = (x: nb.Tensor, b: nb.Tensor, act: nb.FusedActivation): nb.Tensor => {
  const z = nb.add(x, b);
  return act === 'relu' ? nb.relu(z) : act === 'sigmoid' ? nb.sigmoid(z) : act === 'tanh' ? nb.tanh(z) : z;
};

describe('biasActivation', () => {
  it('equals act(x + bias) for rank 1 to 4, with and without a bias', () => {
    for (const act of ACTS) {
      for (const shape of [[5], [3, 4], [2, 3, 4], [2, 2, 3, 5]]) {
        const x = rand(shape, 1, -3, 3);
        const b = rand([shape[shape.length - 1]!], 2);
        assertClose(nb.biasActivation(x, b, act), composed(x, b, act), { atol: 1e-12 });
        assertClose(nb.biasActivation(x, null, act), composed(x, nb.zerosLike(b), act), { atol: 1e-12 });
      }
    }
  });

  it('passes gradcheck with respect to the input and the bias', () => {
    for (const act of ACTS) {
      // Values away from zero keep the relu kink out of the finite differences.
      const x = act === 'relu' ? randAwayFromZero([3, 2, 4], 3, 0.3) : rand([3, 2, 4], 3, -2, 2);
      const b = act === 'relu' ? nb.zeros([4], 'float64') : rand([4], 4);
      assertGradcheck((t, u) => nb.biasActivation(t, u, act), [x, b]);
    }
  });

  it('shares its gradient rule with relu, sigmoid and tanh (d/dx in terms of the output)', () => {
    const x = randAwayFromZero([8], 5, 0.05);
    assertClose(nb.grad((t) => nb.sigmoid(t).sum())(x), nb.sigmoid(x).mul(nb.sub(1, nb.sigmoid(x))), { atol: 1e-12 });
    assertClose(nb.grad((t) => nb.tanh(t).sum())(x), nb.sub(1, nb.tanh(x).square()), { atol: 1e-12 });
    assert.deepEqual(nb.grad((t) => nb.relu(t).sum())(x).arraySync(), [...x.values].map((v) => (v > 0 ? 1 : 0)));
  });

  it('rejects a bias of the wrong shape or dtype, integer inputs and unknown activations', () => {
    const x = nb.zeros([2, 3]);
    assertThrowsWith(() => nb.biasActivation(x, nb.zeros([2]), 'relu'), nb.ShapeError, ['biasActivation', '[3]', '[2]']);
    assertThrowsWith(() => nb.biasActivation(x, nb.zeros([3], 'float64'), 'relu'), nb.DTypeError, ['float64', 'float32']);
    assertThrowsWith(() => nb.biasActivation(nb.zeros([2, 3], 'int32'), null, 'relu'), nb.DTypeError, ['int32']);
    assertThrowsWith(() => nb.biasActivation(x, null, 'softmax' as nb.FusedActivation), nb.ValueError, ['softmax', 'relu']);
  });
});

describe('matmulBiasActivation and conv2dBiasActivation', () => {
  it('equal the unfused ops in float32 (the native fused kernels) and pass gradcheck in float64', () => {
    for (const act of ACTS) {
      const x = nb.randomUniform([9, 7], -1, 1, { seed: 6 });
      const w = nb.randomUniform([7, 130], -1, 1, { seed: 7 });
      const b = nb.randomUniform([130], -1, 1, { seed: 8 });
      assertClose(nb.matmulBiasActivation(x, w, b, act), composed(nb.matmul(x, w), b, act), { atol: 1e-5 });
      assertClose(nb.matmulBiasActivation(x, w, null, act), composed(nb.matmul(x, w), nb.zerosLike(b), act), { atol: 1e-5 });
      const img = nb.randomUniform([2, 6, 5, 3], -1, 1, { seed: 9 });
      const f = nb.randomUniform([3, 3, 3, 4], -1, 1, { seed: 10 });
      const cb = nb.randomUniform([4], -1, 1, { seed: 11 });
      for (const options of [{}, { padding: 'same' as const, strides: 2 }]) {
        assertClose(nb.conv2dBiasActivation(img, f, cb, act, options), composed(nb.conv2d(img, f, options), cb, act), { atol: 1e-5 });
      }
      const gx = act === 'relu' ? randAwayFromZero([3, 4], 12, 0.3) : rand([3, 4], 12);
      assertGradcheck((t, u, v) => nb.matmulBiasActivation(t, u, v, act), [gx, rand([4, 5], 13), rand([5], 14)]);
      // relu: a zero filter keeps every pre-activation at the bias, away from the kink.
      const gf = act === 'relu' ? nb.zeros([2, 2, 2, 3], 'float64') : rand([2, 2, 2, 3], 16);
      const gb = act === 'relu' ? randAwayFromZero([3], 17, 0.5) : rand([3], 17);
      assertGradcheck((t, u, v) => nb.conv2dBiasActivation(t, u, v, act, { padding: 'same' }), [rand([1, 4, 3, 2], 15), gf, gb]);
    }
  });

  it('name the op and the expected shapes in their errors', () => {
    assertThrowsWith(() => nb.matmulBiasActivation(nb.zeros([2, 3]), nb.zeros([4, 5]), null, 'relu'), nb.ShapeError, ['matmulBiasActivation', '3 ≠ 4']);
    assertThrowsWith(() => nb.matmulBiasActivation(nb.zeros([2, 3]), nb.zeros([3, 5]), nb.zeros([4]), 'relu'), nb.ShapeError, ['matmulBiasActivation', '[5]']);
    assertThrowsWith(() => nb.matmulBiasActivation(nb.zeros([2, 2, 3]), nb.zeros([3, 5]), null, 'relu'), nb.ShapeError, ['2-D']);
    assertThrowsWith(() => nb.conv2dBiasActivation(nb.zeros([1, 4, 4, 2]), nb.zeros([3, 3, 2, 5]), nb.zeros([2]), 'tanh'), nb.ShapeError, ['conv2dBiasActivation', '[5]']);
    assertThrowsWith(() => nb.conv2dBiasActivation(nb.zeros([1, 4, 4, 2]), nb.zeros([3, 3, 2, 5]), null, 'softmax' as nb.FusedActivation), nb.ValueError, ['softmax']);
  });
});
