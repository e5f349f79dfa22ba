import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { assertGradcheck, assertThrowsWith, rand } from './helpers.js';

describe('reshape, transpose, expandDims, squeeze, broadcastTo', () => {
  it('reshape with -1 shares storage', () => {
    const t = nb.arange(6);
    const r = t.reshape([-1, 3]);
    assert.deepEqual([...r.shape], [2, 3]);
    assert.equal(r.values, t.values);
    assertThrowsWith(() => t.reshape([4, -1]), nb.ShapeError, ['[6]', '[4, -1]']);
    assertThrowsWith(() => t.reshape([4, 2]), nb.ShapeError, ['[6]', '[4, 2]']);
    assertThrowsWith(() => t.reshape([-1, -1]), nb.ShapeError, ['-1']);
  });

  it('transpose and permute', () => {
    const t = nb.tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(t.transpose().arraySync(), [[1, 4], [2, 5], [3, 6]]);
    const c = nb.arange(24).reshape([2, 3, 4]);
    const p = nb.permute(c, [2, 0, 1]);
    assert.deepEqual([...p.shape], [4, 2, 3]);
    assert.equal((p.arraySync() as number[][][])[3]![1]![2], 23);
    assertThrowsWith(() => nb.transpose(c, [0, 1]), nb.ShapeError, ['[0, 1]', '[2, 3, 4]']);
    assertThrowsWith(() => nb.transpose(c, [0, 0, 1]), nb.ValueError, ['permutation']);
  });

  it('expandDims and squeeze', () => {
    const t = nb.zeros([2, 3]);
    assert.deepEqual([...nb.expandDims(t, 0).shape], [1, 2, 3]);
    assert.deepEqual([...nb.expandDims(t, -1).shape], [2, 3, 1]);
    assert.deepEqual([...nb.squeeze(nb.zeros([1, 2, 1])).shape], [2]);
    assert.deepEqual([...nb.squeeze(nb.zeros([1, 2, 1]), -1).shape], [1, 2]);
    assertThrowsWith(() => nb.squeeze(t, 0), nb.ShapeError, ['axis 0', '[2, 3]']);
    assertThrowsWith(() => nb.expandDims(t, 4), nb.ValueError, ['axis 4']);
  });

  it('broadcastTo', () => {
    assert.deepEqual(nb.broadcastTo(nb.tensor([1, 2]), [2, 2]).arraySync(), [[1, 2], [1, 2]]);
    assertThrowsWith(() => nb.broadcastTo(nb.zeros([3]), [2, 2]), nb.ShapeError, ['[3]', '[2, 2]']);
  });

  it('gradcheck', () => {
    assertGradcheck((t) => nb.reshape(t, [4, -1]), [rand([2, 6], 1)]);
    assertGradcheck((t) => nb.transpose(t, [2, 0, 1]), [rand([2, 3, 4], 2)]);
    assertGradcheck((t) => nb.transpose(t, [-1, 0, 1]), [rand([2, 3, 4], 2)]);
    assertGradcheck((t) => nb.expandDims(t, 1), [rand([2, 3], 3)]);
    assertGradcheck((t) => nb.squeeze(t), [rand([1, 3, 1], 4)]);
    assertGradcheck((t) => nb.broadcastTo(t, [2, 3, 4]), [rand([3, 1], 5)]);
    assertGradcheck((t) => nb.broadcastTo(t, [2, 0, 4]), [rand([1, 4], 5)]);
  });
});
