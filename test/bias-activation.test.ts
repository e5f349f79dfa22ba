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
