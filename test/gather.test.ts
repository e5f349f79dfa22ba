import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { assertGradcheck, assertThrowsWith, rand } from './helpers.js';

const shapeOf = (t: nb.Tensor): number[] => [...t.shape];
const int = (v: nb.NestedArray): nb.Tensor => nb.tensor(v, undefined, 'int32');
const f64 = (v: nb.NestedArray): nb.Tensor => nb.tensor(v, undefined, 'float64');

describe('gather', () => {
  const x = nb.tensor([[1, 2], [3, 4], [5, 6]]);

  it('picks rows or columns; the output shape is x.shape[:axis] + indices.shape + x.shape[axis+1:]', () => {
    assert.deepEqual(nb.gather(x, [2, 0, 2]).arraySync(), [[5, 6], [1, 2], [5, 6]]);
    assert.deepEqual(nb.gather(x, [1], 1).arraySync(), [[2], [4], [6]]);
    assert.deepEqual(x.gather([1, 0], -1).arraySync(), [[2, 1], [4, 3], [6, 5]]);
    const g = nb.gather(x, int([[1, 0], [1, 1]]), 1);
    assert.deepEqual(shapeOf(g), [3, 2, 2]);
    assert.deepEqual(g.arraySync(), [[[2, 1], [2, 2]], [[4, 3], [4, 4]], [[6, 5], [6, 6]]]);
    const c = nb.arange(24).reshape([2, 3, 4]);
    assert.deepEqual(shapeOf(nb.gather(c, int([[0, 2]]), 1)), [2, 1, 2, 4]);
    assert.deepEqual(nb.gather(c, [2], 1).reshape([2, 4]).arraySync(), [[8, 9, 10, 11], [20, 21, 22, 23]]);
  });

  it('a scalar index drops the axis; empty indices give an empty axis', () => {
    const s = nb.gather(x, nb.scalar(1, 'int32'));
    assert.deepEqual(shapeOf(s), [2]);
    assert.deepEqual(s.arraySync(), [3, 4]);
    assert.deepEqual(shapeOf(nb.gather(x, [])), [0, 2]);
    assert.deepEqual(shapeOf(nb.gather(nb.zeros([0, 3]), [2, 2], 1)), [0, 2]);
    assert.deepEqual(shapeOf(nb.gather(nb.zeros([0, 3]), [], 0)), [0, 3]);
  });

  it('keeps the dtype', () => {
    assert.equal(nb.gather(int([5, 6, 7]), [2]).dtype, 'int32');
    const b = nb.gather(nb.tensor([true, false]), [1, 0, 0]);
    assert.equal(b.dtype, 'bool');
    assert.deepEqual(b.arraySync(), [false, true, true]);
  });

  it('gradient scatters and sums repeated indices', () => {
    const g = nb.grad((t: nb.Tensor) => nb.sum(nb.mul(nb.gather(t, [0, 0, 2]), f64([1, 2, 3]))))(f64([10, 20, 30]));
    assert.deepEqual(Array.from(g.values), [3, 0, 3]);
    assertGradcheck((t) => nb.gather(t, int([[3, 0], [3, 3]]), 0), [rand([4, 3], 40)]);
    assertGradcheck((t) => nb.gather(t, [2, 2, 0, 1], -1), [rand([2, 3], 41)]);
    assertGradcheck((t) => nb.gather(t, int([[1]]), 1), [rand([2, 2, 3], 42)]);
    assertGradcheck((t) => nb.gather(t, nb.scalar(0, 'int32'), 0), [rand([1, 3], 43)]);
  });

  it('rejects out-of-range and negative indices with a ValueError naming the index and the axis size', () => {
    assertThrowsWith(() => nb.gather(x, [0, 3]), nb.ValueError, ['gather', 'index 3', 'axis 0 of size 3', '[3, 2]']);
    assertThrowsWith(() => nb.gather(x, int([[0], [2]]), 1), nb.ValueError, ['gather', 'index 2', 'axis 1 of size 2']);
    assertThrowsWith(() => nb.gather(x, [-1]), nb.ValueError, ['gather', 'index -1', 'size 3', 'negative']);
    assertThrowsWith(() => nb.gather(nb.zeros([0]), [0]), nb.ValueError, ['index 0', 'size 0']);
  });

  it('rejects non-integer indices, bad axes and scalars', () => {
    assertThrowsWith(() => nb.gather(x, nb.tensor([0, 1])), nb.DTypeError, ['gather', 'int32', 'float32']);
    assertThrowsWith(() => nb.gather(x, [0.5]), nb.ValueError, ['gather', 'integers', '0.5']);
    assertThrowsWith(() => nb.gather(x, [0], 2), nb.ValueError, ['gather', 'axis 2']);
    assertThrowsWith(() => nb.gather(nb.scalar(1), [0]), nb.ValueError, ['gather', 'rank 0']);
  });
});

describe('scatterAdd', () => {
  it('adds updates at the indices, accumulating repeats, and leaves x unchanged', () => {
    const x = nb.tensor([[1, 1], [1, 1], [1, 1]]);
    const y = nb.scatterAdd(x, [0, 2, 0], nb.tensor([[1, 2], [3, 4], [5, 6]]));
    assert.deepEqual(y.arraySync(), [[7, 9], [1, 1], [4, 5]]);
    assert.deepEqual(x.arraySync(), [[1, 1], [1, 1], [1, 1]]);
    const z = nb.scatterAdd(nb.zeros([2, 3]), int([[2, 2]]), nb.ones([2, 1, 2]), 1);
    assert.deepEqual(z.arraySync(), [[0, 0, 2], [0, 0, 2]]);
  });

  it('promotes dtypes (int32 x, float32 updates → float32)', () => {
    const y = nb.scatterAdd(int([1, 2]), [1], nb.tensor([0.5]));
    assert.equal(y.dtype, 'float32');
    assert.deepEqual(Array.from(y.values), [1, 2.5]);
    assert.equal(nb.scatterAdd(int([1, 2]), [0], int([4])).dtype, 'int32');
  });

  it('is differentiable with respect to x and updates', () => {
    assertGradcheck((x, u) => nb.scatterAdd(x, int([[1, 1], [0, 3]]), u, -1), [rand([2, 4], 44), rand([2, 2, 2], 45)]);
    assertGradcheck((x, u) => nb.scatterAdd(x, [0, 0, 1], u), [rand([2, 3], 46), rand([3, 3], 47)]);
    // x → gather → scatterAdd composes: d/dx Σ w·scatterAdd(0, i, gather(x, i)) = Σ over repeats.
    assertGradcheck((x) => nb.scatterAdd(nb.zeros([3], 'float64'), [2, 2, 0], nb.gather(x, [2, 2, 0])), [rand([3], 48)]);
  });

  it('rejects mismatched update shapes with a ShapeError naming the shapes', () => {
    assertThrowsWith(
      () => nb.scatterAdd(nb.zeros([3, 2]), [0, 1], nb.zeros([3, 2])),
      nb.ShapeError,
      ['scatterAdd', '[3, 2]', 'expected [2, 2]', 'axis 0'],
    );
    assertThrowsWith(() => nb.scatterAdd(nb.zeros([3, 2]), [5], nb.zeros([1, 2])), nb.ValueError, ['scatterAdd', 'index 5', 'size 3']);
  });
});

describe('oneHot', () => {
  it('encodes indices of any shape along a new last axis', () => {
    assert.deepEqual(nb.oneHot([0, 2, 1], 3).arraySync(), [[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    const t = nb.oneHot(int([[1], [0]]), 2);
    assert.deepEqual(shapeOf(t), [2, 1, 2]);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.arraySync(), [[[0, 1]], [[1, 0]]]);
    assert.deepEqual(shapeOf(nb.oneHot([], 0)), [0, 0]);
  });

  it('honours onValue, offValue and dtype', () => {
    assert.deepEqual(nb.oneHot([1], 3, { onValue: 5, offValue: -1 }).arraySync(), [[-1, 5, -1]]);
    const i = nb.oneHot([2, 0], 3, { dtype: 'int32' });
    assert.equal(i.dtype, 'int32');
    assert.deepEqual(i.arraySync(), [[0, 0, 1], [1, 0, 0]]);
    assert.deepEqual(nb.oneHot([1], 2, { dtype: 'bool' }).arraySync(), [[false, true]]);
    assert.deepEqual(nb.oneHot([0], 2, { dtype: 'float64', onValue: 0.9, offValue: 0.1 }).arraySync(), [[0.9, 0.1]]);
  });

  it('rejects out-of-range indices and bad depths', () => {
    assertThrowsWith(() => nb.oneHot([0, 3], 3), nb.ValueError, ['oneHot', 'index 3', 'depth 3']);
    assertThrowsWith(() => nb.oneHot([-1], 3), nb.ValueError, ['oneHot', 'index -1', 'negative']);
    assertThrowsWith(() => nb.oneHot([0], -2), nb.ValueError, ['oneHot', 'depth', '-2']);
    assertThrowsWith(() => nb.oneHot(nb.tensor([0, 1]), 2), nb.DTypeError, ['oneHot', 'int32', 'float32']);
  });
});
