import type { DataArray } from '../../tensor/dtype.js';
import type { ArgReduceOp, ReduceOp } from '../backend.js';

const IDENTITY: Record<ReduceOp, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity, any: 0, all: 1 };

/** Reduces x viewed as [outer, n, inner] over the middle axis; accumulates in float64. */
export function reduce(op: ReduceOp, x: DataArray, outer: number, n: number, inner: number, out: DataArray): void {
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(IDENTITY[op]);
    const base = o * n * inner;
    for (let j = 0; j < n; j++) {
      const row = base + j * inner;
      switch (op) {
        case 'sum':
          for (let i = 0; i < inner; i++) acc[i]! += x[row + i]!;
          break;
        case 'prod':
          for (let i = 0; i < inner; i++) acc[i]! *= x[row + i]!;
          break;
        case 'max':
          for (let i = 0; i < inner; i++) {
            const v = x[row + i]!;
            if (v > acc[i]! || Number.isNaN(v)) acc[i] = v;
          }
          break;
        case 'min':
          for (let i = 0; i < inner; i++) {
            const v = x[row + i]!;
            if (v < acc[i]! || Number.isNaN(v)) acc[i] = v;
          }
          break;
        case 'any':
          for (let i = 0; i < inner; i++) if (x[row + i] !== 0) acc[i] = 1;
          break;
        case 'all':
          for (let i = 0; i < inner; i++) if (x[row + i] === 0) acc[i] = 0;
          break;
      }
    }
    for (let i = 0; i < inner; i++) out[o * inner + i] = acc[i]!;
  }
}

/** First index of the extreme value along the middle axis; NaN counts as the extreme (as in NumPy). */
export function argReduce(op: ArgReduceOp, x: DataArray, outer: number, n: number, inner: number, out: Int32Array): void {
  const better = op === 'argmax' ? (v: number, b: number) => v > b : (v: number, b: number) => v < b;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = x[base]!;
      let bestIdx = 0;
      if (!Number.isNaN(best)) {
        for (let j = 1; j < n; j++) {
          const v = x[base + j * inner]!;
          if (Number.isNaN(v)) {
            bestIdx = j;
            break;
          }
          if (better(v, best)) {
            best = v;
            bestIdx = j;
          }
        }
      }
      out[o * inner + i] = bestIdx;
    }
  }
}
