import type { DataArray } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';

export function copyStrided(
  src: DataArray,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: DataArray,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: Shape,
): void {
  const rank = shape.length;
  let total = 1;
  for (const d of shape) total *= d;
  if (total === 0) return;
  if (rank === 0) {
    dst[dstOffset] = src[srcOffset]!;
    return;
  }
  const rowLen = shape[rank - 1] as number;
  const ls = srcStrides[rank - 1] as number;
  const ld = dstStrides[rank - 1] as number;
  const rows = total / rowLen;
  const idx = new Array<number>(rank - 1).fill(0);
  let ps = srcOffset;
  let pd = dstOffset;
  for (let r = 0; r < rows; r++) {
    if (ls === 1 && ld === 1) {
      for (let j = 0; j < rowLen; j++) dst[pd + j] = src[ps + j]!;
    } else {
      for (let j = 0, s = ps, d = pd; j < rowLen; j++, s += ls, d += ld) dst[d] = src[s]!;
    }
    for (let d = rank - 2; d >= 0; d--) {
      const count = ++idx[d]!;
      ps += srcStrides[d] as number;
      pd += dstStrides[d] as number;
      if (count < (shape[d] as number)) break;
      idx[d] = 0;
      ps -= (srcStrides[d] as number) * count;
      pd -= (dstStrides[d] as number) * count;
    }
  }
}

export function gather(x: DataArray, outer: number, n: number, inner: number, indices: Int32Array, out: DataArray): void {
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * n + indices[j]!) * inner;
      const dst = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = x[src + i]!;
    }
  }
}

export function scatterAdd(updates: DataArray, outer: number, n: number, inner: number, indices: Int32Array, out: DataArray): void {
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const dst = (o * n + indices[j]!) * inner;
      const src = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i]! += updates[src + i]!;
    }
  }
}
