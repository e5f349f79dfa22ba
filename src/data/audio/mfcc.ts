// Mel-frequency cepstral coefficients as librosa.feature.mfcc: the orthonormal DCT-II (scipy's
// dct(type=2, norm='ortho')) of the log-mel spectrogram in dB, first nMfcc coefficients, optional
// sinusoidal liftering. Layout [frames, nMfcc].
import { DTypeError, ShapeError, ValueError } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { melSpectrogramValues, type MelSpectrogramOptions, type PowerToDbOptions, powerToDbValues } from './mel-spectrogram.js';
import { positiveInt, type Signal } from './signal.js';
import { valuesToTensor } from './stft.js';

export interface DctOptions {
  /** Number of output coefficients (default: the input length). */
  n?: number;
  /** 'ortho' (default): orthonormal; null: scipy's unnormalized 2·Σ x[n]·cos(…). */
  norm?: 'ortho' | null;
}

/** The [nOut, nIn] DCT-II matrix: y[k] = s_k · Σ x[n]·cos(πk(2n + 1) / 2N). */
export function dctMatrix(nIn: number, nOut: number, norm: 'ortho' | null = 'ortho'): Float64Array {
  const m = new Float64Array(nOut * nIn);
  for (let k = 0; k < nOut; k++) {
    const s = norm === 'ortho' ? Math.sqrt((k === 0 ? 1 : 2) / nIn) : 2;
    for (let n = 0; n < nIn; n++) m[k * nIn + n] = s * Math.cos((Math.PI * k * (2 * n + 1)) / (2 * nIn));
  }
  return m;
}

function applyDct(values: Float64Array, rows: number, nIn: number, nOut: number, norm: 'ortho' | null): Float64Array {
  const m = dctMatrix(nIn, nOut, norm);
  const out = new Float64Array(rows * nOut);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < nOut; k++) {
      let s = 0;
      for (let n = 0; n < nIn; n++) s += m[k * nIn + n]! * values[r * nIn + n]!;
      out[r * nOut + k] = s;
    }
  }
  return out;
}

/** DCT-II along the last axis of a float tensor. */
export function dct(x: Tensor, options: DctOptions = {}): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError('dct: expected a Tensor');
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new DTypeError(`dct: expected a float32 or float64 tensor, got ${x.dtype}`);
  if (x.rank < 1 || x.shape[x.rank - 1] === 0) throw new ShapeError(`dct: expected a tensor with a non-empty last axis, got shape [${x.shape.join(', ')}]`);
  const nIn = x.shape[x.rank - 1]!;
  const nOut = positiveInt(options.n ?? nIn, 'dct', 'n');
  const norm = options.norm === undefined ? 'ortho' : options.norm;
  if (norm !== 'ortho' && norm !== null) throw new ValueError(`dct: norm must be 'ortho' or null, got ${String(norm)}`);
  const out = applyDct(Float64Array.from(x.values), x.size / nIn, nIn, nOut, norm);
  return valuesToTensor(out, [...x.shape.slice(0, -1), nOut], x.dtype);
}

export interface MfccOptions extends MelSpectrogramOptions, PowerToDbOptions {
  /** Number of coefficients (default 20). */
  nMfcc?: number;
  /** Sinusoidal liftering 1 + (L/2)·sin(π(k + 1)/L) when L > 0 (default 0: none). */
  lifter?: number;
}

function cepstrum(logMel: Float64Array, frames: number, nMels: number, nMfcc: number, lifter: number): Float64Array {
  if (nMfcc > nMels) throw new ValueError(`mfcc: nMfcc ${nMfcc} is larger than the number of mel bands ${nMels}`);
  if (typeof lifter !== 'number' || !(lifter >= 0)) throw new ValueError(`mfcc: lifter must be a non-negative number, got ${String(lifter)}`);
  const out = applyDct(logMel, frames, nMels, nMfcc, 'ortho');
  if (lifter > 0) {
    for (let k = 0; k < nMfcc; k++) {
      const li = 1 + (lifter / 2) * Math.sin((Math.PI * (k + 1)) / lifter);
      for (let f = 0; f < frames; f++) out[f * nMfcc + k]! *= li;
    }
  }
  return out;
}

/** MFCCs [frames, nMfcc] of a signal, with librosa's defaults (20 coefficients, 128 mel bands, nFft 2048, dB with topDb 80). */
export function mfcc(signal: Signal, options: MfccOptions): Tensor {
  const nMfcc = positiveInt(options.nMfcc ?? 20, 'mfcc', 'nMfcc');
  const s = melSpectrogramValues(signal, options, 'mfcc');
  powerToDbValues(s.values, options, 'mfcc');
  return valuesToTensor(cepstrum(s.values, s.frames, s.nMels, nMfcc, options.lifter ?? 0), [s.frames, nMfcc], options.dtype);
}

/** MFCCs from a log-mel spectrogram in dB ([frames, nMels], e.g. from logMelSpectrogram). */
export function mfccFromLogMel(logMel: Tensor, options: { nMfcc?: number; lifter?: number } = {}): Tensor {
  if (!(logMel instanceof Tensor) || logMel.rank !== 2) throw new ShapeError('mfccFromLogMel: expected a [frames, nMels] tensor');
  if (logMel.dtype !== 'float32' && logMel.dtype !== 'float64') throw new DTypeError(`mfccFromLogMel: expected a float tensor, got ${logMel.dtype}`);
  const [frames, nMels] = logMel.shape as [number, number];
  const nMfcc = positiveInt(options.nMfcc ?? 20, 'mfccFromLogMel', 'nMfcc');
  return valuesToTensor(cepstrum(Float64Array.from(logMel.values), frames, nMels, nMfcc, options.lifter ?? 0), [frames, nMfcc], logMel.dtype);
}
