import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { assertClose, assertGradcheck, assertThrowsWith, rand } from './helpers.js';

/** Naive float64 reference for [.., m, k] × [.., k, n] with equal batch shapes. */
function naive(a: nb.Tensor, b: nb.Tensor): number[] {
  const m = a.shape[a.rank - 2]!;
  const k = a.shape[a.rank - 1]!;
  const n = b.shape[b.rank - 1]!;
  const batch = a.size / (m * k);
  const out: number[] = [];
  for (let q = 0; q < batch; q++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (a.values[q * m * k + i * k + p] as number) * (b.values[q * k * n + p * n + j] as number);
        out.push(s);
      }
  return out;
}

describe('matmul', () => {
  it('2-D product, vectors, outer and dot', () => {
    const a = nb.tensor([[1, 2], [3, 4]]);
    const b = nb.tensor([[5, 6], [7, 8]]);
    assert.deepEqual(a.matmul(b).arraySync(), [[19, 22], [43, 50]]);
    assert.deepEqual(nb.matmul(nb.tensor([1, 2]), b).arraySync(), [19, 22]);
    assert.deepEqual(nb.matmul(a, nb.tensor([1, 1])).arraySync(), [3, 7]);
    assert.equal(nb.dot(nb.tensor([1, 2, 3]), nb.tensor([4, 5, 6])).item(), 32);
    assert.deepEqual(nb.outer(nb.tensor([1, 2]), nb.tensor([3, 4, 5])).arraySync(), [[3, 4, 5], [6, 8, 10]]);
  });

  it('transposeA/transposeB in all combinations agree with explicit transposes', () => {
    const a = rand([3, 4], 1);
    const b = rand([4, 5], 2);
    const ref = naive(a, b);
    assertClose(nb.matmul(a.transpose(), b, { transposeA: true }), ref, { atol: 1e-12 });
    assertClose(nb.matmul(a, b.transpose(), { transposeB: true }), ref, { atol: 1e-12 });
    assertClose(nb.matmul(a.transpose(), b.transpose(), { transposeA: true, transposeB: true }), ref, { atol: 1e-12 });
  });

  it('odd sizes and large K against a float64 reference', () => {
    for (const [m, k, n] of [[1, 1, 1], [7, 13, 5], [13, 127, 7], [2, 1000, 3]] as const) {
      const a = rand([m, k], m + k);
      const b = rand([k, n], k + n);
      assertClose(nb.matmul(a, b), naive(a, b), { atol: 1e-10 });
    }
  });

  it('batched with broadcast batch dimensions', () => {
    const a = rand([2, 1, 3, 4], 5);
    const b = rand([3, 4, 2], 6);
    const y = nb.matmul(a, b);
    assert.deepEqual([...y.shape], [2, 3, 3, 2]);
    const aFull = nb.broadcastTo(a, [2, 3, 3, 4]);
    const bFull = nb.broadcastTo(b, [2, 3, 4, 2]);
    assertClose(y, naive(aFull, bFull), { atol: 1e-12 });
  });

  it('gradcheck for every transpose combination and broadcast batches', () => {
    for (const tA of [false, true])
      for (const tB of [false, true]) {
        const a = rand(tA ? [2, 4, 3] : [2, 3, 4], 7);
        const b = rand(tB ? [5, 4] : [4, 5], 8);
        assertGradcheck((x, y) => nb.matmul(x, y, { transposeA: tA, transposeB: tB }), [a, b]);
      }
    assertGradcheck((x, y) => nb.matmul(x, y), [rand([2, 1, 3, 4], 9), rand([3, 4, 2], 10)]);
    assertGradcheck((x, y) => nb.matmul(x, y), [rand([4], 11), rand([4, 3], 12)]);
    assertGradcheck((x, y) => nb.matmul(x, y), [rand([2, 4], 13), rand([4], 14)]);
    assertGradcheck((x, y) => nb.outer(x, y), [rand([3], 15), rand([2], 16)]);
  });

  it('mismatched inner dimensions: a ShapeError naming matmul and both shapes', () => {
    assertThrowsWith(() => nb.matmul(nb.zeros([2, 3]), nb.zeros([4, 5])), nb.ShapeError, ['matmul', '[2, 3]', '[4, 5]']);
    assertThrowsWith(() => nb.matmul(nb.zeros([2, 2, 3]), nb.zeros([3, 3, 1])), nb.ShapeError, ['matmul', '[2]', '[3]']);
    assertThrowsWith(() => nb.matmul(nb.zeros([2], 'bool'), nb.zeros([2])), nb.DTypeError, ['bool']);
  });
});
