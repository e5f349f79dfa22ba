// Analysis windows. Periodic by default (the form for spectral analysis: scipy's fftbins=True,
// librosa and tf.signal's default); `periodic: false` gives the symmetric form (NumPy's hanning).
import { ValueError } from '../../tensor/errors.js';

export type WindowName = 'hann' | 'hamming' | 'rectangular';

export interface WindowOptions {
  /** Periodic (default; length-n slice of an (n+1)-point symmetric window) or symmetric. */
  periodic?: boolean;
}

function cosineWindow(n: number, a0: number, options: WindowOptions, what: string): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`${what}: length must be a non-negative integer, got ${String(n)}`);
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = 1;
    return out;
  }
  const denom = (options.periodic ?? true) ? n : n - 1;
  for (let i = 0; i < n; i++) out[i] = a0 - (1 - a0) * Math.cos((2 * Math.PI * i) / denom);
  return out;
}

/** Hann window: 0.5 − 0.5·cos(2πi/N), N = n (periodic) or n − 1 (symmetric). */
export function hannWindow(n: number, options: WindowOptions = {}): Float64Array {
  return cosineWindow(n, 0.5, options, 'hannWindow');
}

/** Hamming window: 0.54 − 0.46·cos(2πi/N), N = n (periodic) or n − 1 (symmetric). */
export function hammingWindow(n: number, options: WindowOptions = {}): Float64Array {
  return cosineWindow(n, 0.54, options, 'hammingWindow');
}

/** A window by name ('rectangular' is all ones) or an explicit array of length n. */
export function getWindow(window: WindowName | ArrayLike<number>, n: number, options: WindowOptions = {}): Float64Array {
  if (typeof window === 'string') {
    if (window === 'hann') return hannWindow(n, options);
    if (window === 'hamming') return hammingWindow(n, options);
    if (window === 'rectangular') return new Float64Array(n).fill(1);
    throw new ValueError(`getWindow: unknown window '${String(window)}'; expected 'hann', 'hamming', 'rectangular' or an array`);
  }
  if (window === null || typeof window !== 'object' || window.length !== n) {
    throw new ValueError(`getWindow: a window array must have length ${n}, got ${window === null || typeof window !== 'object' ? String(window) : window.length}`);
  }
  const out = Float64Array.from(window);
  if (out.some((v) => !Number.isFinite(v))) throw new ValueError('getWindow: window values must be finite');
  return out;
}
