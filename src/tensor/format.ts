import type { Tensor } from './tensor.js';

const MAX_ITEMS = 6;

/** A readable, NumPy-like rendering that elides the middle of long dimensions. */
export function formatTensor(t: Tensor): string {
  const v = t.values;
  const isBool = t.dtype === 'bool';
  const isInt = t.dtype === 'int32';
  const fmt = (x: number): string => {
    if (isBool) return x !== 0 ? 'true' : 'false';
    if (isInt || Number.isNaN(x) || !Number.isFinite(x)) return String(x);
    const abs = Math.abs(x);
    if (abs !== 0 && (abs >= 1e6 || abs < 1e-4)) return x.toExponential(4);
    return String(Number(x.toPrecision(6)));
  };
  const header = `Tensor(shape=[${t.shape.join(', ')}], dtype=${t.dtype})`;
  if (t.shape.length === 0) return `${header}\n${fmt(v[0] as number)}`;
  const strides: number[] = [];
  let s = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= t.shape[i] as number;
  }
  const render = (dim: number, offset: number, indent: string): string => {
    const n = t.shape[dim] as number;
    const indices: (number | null)[] = [];
    if (n > MAX_ITEMS) {
      for (let i = 0; i < MAX_ITEMS / 2; i++) indices.push(i);
      indices.push(null);
      for (let i = n - MAX_ITEMS / 2; i < n; i++) indices.push(i);
    } else {
      for (let i = 0; i < n; i++) indices.push(i);
    }
    const stride = strides[dim] as number;
    if (dim === t.shape.length - 1) {
      return `[${indices.map((i) => (i === null ? '...' : fmt(v[offset + i * stride] as number))).join(', ')}]`;
    }
    const parts = indices.map((i) => (i === null ? '...' : render(dim + 1, offset + i * stride, `${indent} `)));
    return `[${parts.join(`,\n${indent} `)}]`;
  };
  return `${header}\n${render(0, 0, '')}`;
}
