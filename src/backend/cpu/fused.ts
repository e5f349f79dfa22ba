import type { DataArray } from '../../tensor/dtype.js';
import type { FusedActivation } from '../backend.js';
import { sigmoid } from './math.js';

export function biasActivation(x: DataArray, bias: DataArray, out: DataArray, rows: number, cols: number, act: FusedActivation): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const v = x[o + c]! + bias[c]!;
      out[o + c] = act === 'relu' ? (v < 0 ? 0 : v) : act === 'sigmoid' ? sigmoid(v) : act === 'tanh' ? Math.tanh(v) : v;
    }
  }
}

export function activationGrad(act: FusedActivation, y: DataArray, dy: DataArray, out: DataArray): void {
  const n = out.length;
  if (act === 'relu') for (let i = 0; i < n; i++) out[i] = y[i]! > 0 ? dy[i]! : 0;
  else if (act === 'sigmoid') for (let i = 0; i < n; i++) out[i] = dy[i]! * y[i]! * (1 - y[i]!);
  else if (act === 'tanh') for (let i = 0; i < n; i++) out[i] = dy[i]! * (1 - y[i]! * y[i]!);
  else out.set(dy);
}

export function softmax(x: DataArray, out: DataArray, rows: number, n: number, log: boolean): void {
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let m = -Infinity;
    for (let j = 0; j < n; j++) if (x[o + j]! > m) m = x[o + j]!;
    if (!Number.isFinite(m)) m = 0;
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(x[o + j]! - m);
    if (log) {
      const lse = Math.log(s) + m;
      for (let j = 0; j < n; j++) out[o + j] = x[o + j]! - lse;
    } else {
      for (let j = 0; j < n; j++) out[o + j] = Math.exp(x[o + j]! - m) / s;
    }
  }
}

export function softmaxCrossEntropy(logits: DataArray, targets: DataArray, loss: DataArray, grad: DataArray | null, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let m = -Infinity;
    for (let j = 0; j < n; j++) if (logits[o + j]! > m) m = logits[o + j]!;
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(logits[o + j]! - m);
    const lse = Math.log(s) + m;
    let l = 0;
    for (let j = 0; j < n; j++) {
      const t = targets[o + j]!;
      if (t !== 0) l -= t * (logits[o + j]! - lse);
      if (grad !== null) grad[o + j] = Math.exp(logits[o + j]! - lse) - t;
    }
    loss[r] = l;
  }
}
