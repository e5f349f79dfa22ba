// Framing: slicing a signal into overlapping frames (tf.signal.frame).
import { ValueError } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { positiveInt, type Signal, toFloat64 } from './signal.js';

export interface FrameOptions {
  /** Pad the end with `padValue` so every sample is in a frame (tf.signal.frame's pad_end). Default false. */
  padEnd?: boolean;
  padValue?: number;
  dtype?: 'float32' | 'float64';
}

/** Number of frames: 1 + ⌊(n − frameLength) / hop⌋ (0 when n < frameLength), or ⌈n / hop⌉ with padEnd. */
export function frameCount(n: number, frameLength: number, hopLength: number, padEnd = false): number {
  if (padEnd) return Math.ceil(n / hopLength);
  return n < frameLength ? 0 : 1 + Math.floor((n - frameLength) / hopLength);
}

/** Frames of `frameLength` samples every `hopLength` samples: a [frames, frameLength] tensor. */
export function frame(signal: Signal, frameLength: number, hopLength: number, options: FrameOptions = {}): Tensor {
  const what = 'frame';
  const x = toFloat64(signal, what);
  positiveInt(frameLength, what, 'frameLength');
  positiveInt(hopLength, what, 'hopLength');
  const padValue = options.padValue ?? 0;
  if (!Number.isFinite(padValue)) throw new ValueError(`${what}: padValue must be finite, got ${padValue}`);
  const frames = frameCount(x.length, frameLength, hopLength, options.padEnd ?? false);
  const dtype = options.dtype ?? 'float32';
  const out = dtype === 'float64' ? new Float64Array(frames * frameLength) : new Float32Array(frames * frameLength);
  for (let f = 0; f < frames; f++) {
    for (let j = 0; j < frameLength; j++) {
      const i = f * hopLength + j;
      out[f * frameLength + j] = i < x.length ? x[i]! : padValue;
    }
  }
  return new Tensor(out, [frames, frameLength], dtype);
}
