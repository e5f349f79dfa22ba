// Keras' pad_sequences: a list of variable-length id sequences → one [n, maxlen] tensor.
import { allocate, type DType } from '../../tensor/dtype.js';
import { ValueError } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';

export interface PadSequencesOptions {
  /** Output length; default the longest sequence's length. */
  maxlen?: number | null;
  /** Where padding goes: 'pre' (default, as Keras) or 'post'. */
  padding?: 'pre' | 'post';
  /** Which end is cut from sequences longer than maxlen: 'pre' (default, as Keras) or 'post'. */
  truncating?: 'pre' | 'post';
  /** The padding value (default 0). */
  value?: number;
  /** Output dtype: 'int32' (default), 'float32' or 'float64'. */
  dtype?: Exclude<DType, 'bool'>;
}

/**
 * Pads (and truncates) sequences to a common length. Defaults as Keras: `maxlen` = longest,
 * `padding: 'pre'`, `truncating: 'pre'` (keep the end of long sequences), `value: 0`, int32.
 */
export function padSequences(sequences: Iterable<ArrayLike<number>>, options: PadSequencesOptions = {}): Tensor {
  const what = 'padSequences';
  const seqs = Array.from(sequences);
  seqs.forEach((s, i) => {
    if (s === null || typeof s !== 'object' || typeof s.length !== 'number') {
      throw new ValueError(`${what}: sequence ${i} is not an array of numbers (got ${s === null ? 'null' : typeof s})`);
    }
  });
  const padding = options.padding ?? 'pre';
  const truncating = options.truncating ?? 'pre';
  if (padding !== 'pre' && padding !== 'post') throw new ValueError(`${what}: padding must be 'pre' or 'post', got ${String(padding)}`);
  if (truncating !== 'pre' && truncating !== 'post') throw new ValueError(`${what}: truncating must be 'pre' or 'post', got ${String(truncating)}`);
  const dtype = options.dtype ?? 'int32';
  if (dtype !== 'int32' && dtype !== 'float32' && dtype !== 'float64') {
    throw new ValueError(`${what}: dtype must be 'int32', 'float32' or 'float64', got ${String(dtype)}`);
  }
  const value = options.value ?? 0;
  if (typeof value !== 'number' || Number.isNaN(value) || (dtype === 'int32' && !Number.isInteger(value))) {
    throw new ValueError(`${what}: value ${String(value)} cannot be stored as ${dtype}${dtype === 'int32' ? " (pass dtype: 'float32' for a non-integer value)" : ''}`);
  }
  let maxlen = options.maxlen ?? null;
  if (maxlen === null) maxlen = seqs.reduce((m, s) => Math.max(m, s.length), 0);
  else if (!Number.isInteger(maxlen) || maxlen < 0) throw new ValueError(`${what}: maxlen must be a non-negative integer, got ${String(maxlen)}`);

  const out = allocate(dtype, seqs.length * maxlen);
  out.fill(value);
  seqs.forEach((s, i) => {
    const n = Math.min(s.length, maxlen);
    const from = truncating === 'pre' ? s.length - n : 0; // first kept element
    const to = padding === 'pre' ? maxlen - n : 0; // where it goes
    for (let j = 0; j < n; j++) {
      const v = s[from + j]!;
      if (typeof v !== 'number' || !Number.isFinite(v) || (dtype === 'int32' && !Number.isInteger(v))) {
        throw new ValueError(`${what}: sequence ${i}, element ${from + j} is ${String(v)}, expected ${dtype === 'int32' ? 'an integer' : 'a finite number'}`);
      }
      out[i * maxlen + to + j] = v;
    }
  });
  return new Tensor(out, [seqs.length, maxlen], dtype);
}
