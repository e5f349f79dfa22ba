// Mel spectrograms and decibel scaling, as librosa.feature.melspectrogram and librosa.power_to_db
// (same defaults), in nabla's [frames, nMels] layout.
import { DTypeError, ValueError } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { melWeights, type MelScaleOptions } from './mel.js';
import type { Signal } from './signal.js';
import { spectrogramValues, type StftOptions, valuesToTensor } from './stft.js';

export interface MelSpectrogramOptions extends StftOptions, MelScaleOptions {
  sampleRate: number;
  /** Exponent of the STFT magnitude before the filterbank: 2 (default, power) or 1 (magnitude). */
  power?: number;
  /** Number of mel bands (default 128). */
  nMels?: number;
  fMin?: number;
  /** Default sampleRate / 2. */
  fMax?: number;
  /** Filter normalization: 'slaney' (default) or null. */
  norm?: 'slaney' | null;
}

export interface PowerToDbOptions {
  /** Reference power for 0 dB: a number (default 1) or 'max' (the largest value of the input). */
  ref?: number | 'max';
  /** Floor applied before the logarithm (default 1e-10). */
  amin?: number;
  /** Clip values below (max − topDb) dB (default 80; null: no clipping). */
  topDb?: number | null;
}

/** Mel spectrogram values, frames × nMels, row-major. */
export function melSpectrogramValues(signal: Signal, options: MelSpectrogramOptions, what: string): { frames: number; nMels: number; values: Float64Array } {
  if (options === undefined || options === null || typeof options !== 'object') throw new ValueError(`${what}: options with a sampleRate are required`);
  const nFft = options.nFft ?? 2048;
  const fb = melWeights({ ...options, nFft }, what);
  const spec = spectrogramValues(signal, { ...options, power: options.power ?? 2 }, what);
  const { frames, bins } = spec;
  const out = new Float64Array(frames * fb.nMels);
  for (let f = 0; f < frames; f++) {
    for (let m = 0; m < fb.nMels; m++) {
      let s = 0;
      for (let k = fb.start[m]!; k < fb.end[m]!; k++) s += fb.weights[m * bins + k]! * spec.values[f * bins + k]!;
      out[f * fb.nMels + m] = s;
    }
  }
  return { frames, nMels: fb.nMels, values: out };
}

/** Mel spectrogram [frames, nMels]: the mel filterbank applied to |STFT|^power (librosa.feature.melspectrogram). */
export function melSpectrogram(signal: Signal, options: MelSpectrogramOptions): Tensor {
  const s = melSpectrogramValues(signal, options, 'melSpectrogram');
  return valuesToTensor(s.values, [s.frames, s.nMels], options.dtype);
}

/** In place: 10·log10(max(amin, S)) − 10·log10(max(amin, ref)), floored at max − topDb. */
export function powerToDbValues(values: Float64Array, options: PowerToDbOptions, what: string): Float64Array {
  const amin = options.amin ?? 1e-10;
  if (!(amin > 0)) throw new ValueError(`${what}: amin must be positive, got ${String(amin)}`);
  const topDb = options.topDb === undefined ? 80 : options.topDb;
  if (topDb !== null && !(topDb >= 0)) throw new ValueError(`${what}: topDb must be non-negative or null, got ${String(topDb)}`);
  let ref = options.ref ?? 1;
  if (ref === 'max') ref = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  else if (typeof ref !== 'number' || !Number.isFinite(ref)) throw new ValueError(`${what}: ref must be a finite number or 'max', got ${String(ref)}`);
  const offset = 10 * Math.log10(Math.max(amin, Math.abs(ref)));
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) throw new ValueError(`${what}: value ${i} is NaN`);
    values[i] = 10 * Math.log10(Math.max(amin, v)) - offset;
    if (values[i]! > max) max = values[i]!;
  }
  if (topDb !== null) {
    const floor = max - topDb;
    for (let i = 0; i < values.length; i++) if (values[i]! < floor) values[i] = floor;
  }
  return values;
}

/** Power (e.g. a power or mel spectrogram) to decibels, as librosa.power_to_db; the max for topDb is over the whole tensor. */
export function powerToDb(power: Tensor, options: PowerToDbOptions = {}): Tensor {
  if (!(power instanceof Tensor)) throw new ValueError('powerToDb: expected a Tensor');
  if (power.dtype !== 'float32' && power.dtype !== 'float64') throw new DTypeError(`powerToDb: expected a float32 or float64 tensor, got ${power.dtype}`);
  const values = powerToDbValues(Float64Array.from(power.values), options, 'powerToDb');
  return valuesToTensor(values, [...power.shape], power.dtype);
}

/** Log-mel spectrogram in dB, [frames, nMels]: powerToDb(melSpectrogram(signal)) with librosa's defaults (ref 1, amin 1e-10, topDb 80). */
export function logMelSpectrogram(signal: Signal, options: MelSpectrogramOptions & PowerToDbOptions): Tensor {
  const s = melSpectrogramValues(signal, options, 'logMelSpectrogram');
  powerToDbValues(s.values, options, 'logMelSpectrogram');
  return valuesToTensor(s.values, [s.frames, s.nMels], options.dtype);
}
