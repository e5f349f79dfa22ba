import type { DataArray } from '../../tensor/dtype.js';
import type { MatmulInfo } from '../backend.js';

/**
 * Reference batched matmul. Rows of the output accumulate in a float64 buffer: i-p-j order when B
 * is not transposed (contiguous rows of B), dot products of contiguous rows when it is.
 */
export function matmul(a: DataArray, b: DataArray, out: DataArray, info: MatmulInfo): void {
  const { batch, m, n, k, transA, transB, aBatchStride, bBatchStride } = info;
  const row = new Float64Array(n);
  for (let bi = 0; bi < batch; bi++) {
    const aBase = bi * aBatchStride;
    const bBase = bi * bBatchStride;
    const oBase = bi * m * n;
    for (let i = 0; i < m; i++) {
      if (transB) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          const bRow = bBase + j * k;
          if (transA) for (let p = 0; p < k; p++) s += a[aBase + p * m + i]! * b[bRow + p]!;
          else {
            const aRow = aBase + i * k;
            for (let p = 0; p < k; p++) s += a[aRow + p]! * b[bRow + p]!;
          }
          out[oBase + i * n + j] = s;
        }
        continue;
      }
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const av = transA ? a[aBase + p * m + i]! : a[aBase + i * k + p]!;
        const bRow = bBase + p * n;
        for (let j = 0; j < n; j++) row[j]! += av * b[bRow + j]!;
      }
      const o = oBase + i * n;
      for (let j = 0; j < n; j++) out[o + j] = row[j]!;
    }
  }
}
