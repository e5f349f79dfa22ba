// Sliding-window geometry shared by convolution and pooling: option parsing and TensorFlow's
// 'valid'/'same' output-size and padding arithmetic.
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { reshape } from './movement.js';

/** 'valid': no padding; 'same': TensorFlow's padding so that out = ceil(in / stride). */
export type Padding = 'valid' | 'same';

/** A size for both spatial axes, or one per axis as [height, width]. */
export type Pair = number | readonly [number, number];

/** Resolves a number or [h, w] pair of positive integers; throws a ValueError naming the op and option. */
export function resolvePair(value: Pair | undefined, fallback: number, op: string, name: string): [number, number] {
  const v = value ?? fallback;
  const pair: readonly unknown[] = typeof v === 'number' ? [v, v] : Array.isArray(v) ? v : [];
  const ok = pair.length === 2 && pair.every((n) => typeof n === 'number' && Number.isInteger(n) && n > 0);
  if (!ok) {
    throw new ValueError(`${op}: ${name} must be a positive integer or a pair [height, width] of them, got ${JSON.stringify(v)}`);
  }
  return [pair[0] as number, pair[1] as number];
}

export function resolvePadding(padding: unknown, op: string): Padding {
  const p = padding ?? 'valid';
  if (p !== 'valid' && p !== 'same') throw new ValueError(`${op}: padding must be 'valid' or 'same', got ${JSON.stringify(p)}`);
  return p;
}

/**
 * Output size and leading pad along one axis, TensorFlow's arithmetic: 'same' gives ceil(in / stride)
 * with total pad max((out − 1)·stride + k − in, 0), the smaller half first; 'valid' gives
 * ceil((in − k + 1) / stride), or null when the (dilated) window k does not fit.
 */
export function axisGeometry(size: number, k: number, stride: number, padding: Padding): { out: number; pad: number } | null {
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + k - size, 0);
    return { out, pad: Math.floor(total / 2) };
  }
  if (size < k) return null;
  return { out: Math.ceil((size - k + 1) / stride), pad: 0 };
}

export function positiveInt(value: unknown, op: string, name: string): number {
  const v = value ?? 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new ValueError(`${op}: ${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

/** Runs `body` on a 4-D input, adding and removing a batch axis of 1 for a 3-D (unbatched) one. */
export function batched(x: Tensor, body: (x4: Tensor) => Tensor): Tensor {
  if (x.rank === 4) return body(x);
  const y = body(reshape(x, [1, ...x.shape]));
  return reshape(y, y.shape.slice(1));
}
