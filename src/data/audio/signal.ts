// The audio types shared by the audio modules: decoded audio (AudioData) and the signal inputs the
// transforms accept, converted once to float64 for the arithmetic.
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';

/** Decoded audio: one Float32Array per channel, all the same length, nominally in [-1, 1]. */
export interface AudioData {
  sampleRate: number;
  channels: Float32Array[];
}

/** A mono signal: a typed array, a plain array of numbers or a rank-1 tensor. */
export type Signal = Float32Array | Float64Array | readonly number[] | Tensor;

/** Copies a signal into a Float64Array, checking that it is rank 1 and finite; `what` names the caller. */
export function toFloat64(signal: Signal, what: string): Float64Array {
  let values: ArrayLike<number>;
  if (signal instanceof Tensor) {
    if (signal.rank !== 1) throw new ShapeError(`${what}: expected a rank-1 signal tensor, got shape [${signal.shape.join(', ')}]`);
    values = signal.values;
  } else if (Array.isArray(signal) || signal instanceof Float32Array || signal instanceof Float64Array) {
    values = signal;
  } else {
    throw new ValueError(`${what}: expected a Float32Array, Float64Array, number[] or rank-1 Tensor signal, got ${signal === null ? 'null' : typeof signal}`);
  }
  const out = Float64Array.from(values);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) throw new ValueError(`${what}: sample ${i} is ${out[i]}, expected a finite number`);
  }
  return out;
}

/** The mean of all channels (a mono mixdown), as a new Float32Array. */
export function toMono(audio: AudioData): Float32Array {
  const { channels } = audio;
  if (channels.length === 0) throw new ValueError('toMono: audio has no channels');
  const n = channels[0]!.length;
  if (channels.some((c) => c.length !== n)) throw new ShapeError(`toMono: channels have different lengths (${channels.map((c) => c.length).join(', ')})`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const c of channels) s += c[i]!;
    out[i] = s / channels.length;
  }
  return out;
}

/** Checks a positive integer option; `what` names the caller and `name` the option. */
export function positiveInt(value: number, what: string, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new ValueError(`${what}: ${name} must be a positive integer, got ${String(value)}`);
  return value;
}
