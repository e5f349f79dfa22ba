// The mel scale and mel filterbank, following librosa's documented definitions:
// - Slaney mel scale (librosa's default, htk=False, from Slaney's Auditory Toolbox): linear below
//   1 kHz (mel = f / (200/3)), logarithmic above (mel = 15 + ln(f / 1000) / (ln 6.4 / 27));
// - HTK mel scale (htk: true): mel = 2595·log10(1 + f / 700);
// - triangular filters between nMels + 2 points equally spaced on the mel scale from fMin to
//   fMax, evaluated at the FFT bin frequencies k·sampleRate/nFft, and with norm 'slaney' (default)
//   each scaled by 2 / (upper edge − lower edge in Hz), so each filter has unit area.
// The filterbank is returned as [nFft/2 + 1, nMels] — the transpose of librosa.filters.mel — so
// that melSpectrogram = matmul(powerSpectrogram, filterbank) in nabla's [frames, bins] layout.
import { ValueError } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { positiveInt } from './signal.js';

export interface MelScaleOptions {
  /** HTK formula instead of Slaney's (default false, as librosa). */
  htk?: boolean;
}

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP; // 15
const LOG_STEP = Math.log(6.4) / 27;

/** Hz → mel (Slaney by default, HTK with `htk: true`). */
export function hzToMel(hz: number, options: MelScaleOptions = {}): number {
  if (options.htk === true) return 2595 * Math.log10(1 + hz / 700);
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
}

/** Mel → Hz, the inverse of hzToMel. */
export function melToHz(mel: number, options: MelScaleOptions = {}): number {
  if (options.htk === true) return 700 * (10 ** (mel / 2595) - 1);
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

/** `n` frequencies (Hz) equally spaced on the mel scale from fMin to fMax, both included (librosa.mel_frequencies). */
export function melFrequencies(n: number, fMin: number, fMax: number, options: MelScaleOptions = {}): Float64Array {
  const lo = hzToMel(fMin, options);
  const hi = hzToMel(fMax, options);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = melToHz(n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1), options);
  return out;
}

/** The frequency (Hz) of each rfft bin: k·sampleRate/nFft for k = 0 … nFft/2. */
export function fftFrequencies(sampleRate: number, nFft: number): Float64Array {
  const bins = Math.floor(nFft / 2) + 1;
  return Float64Array.from({ length: bins }, (_, k) => (k * sampleRate) / nFft);
}

export interface MelFilterbankOptions extends MelScaleOptions {
  sampleRate: number;
  nFft: number;
  /** Number of mel bands (default 128, as librosa). */
  nMels?: number;
  /** Lowest frequency (Hz, default 0). */
  fMin?: number;
  /** Highest frequency (Hz, default sampleRate / 2). */
  fMax?: number;
  /** 'slaney' (default): unit-area triangles; null: peak 1. */
  norm?: 'slaney' | null;
  dtype?: 'float32' | 'float64';
}

/** Filter weights mel-major ([nMels, bins] row-major), plus each filter's non-zero bin range. */
export interface MelWeights {
  nMels: number;
  bins: number;
  weights: Float64Array;
  start: Int32Array;
  end: Int32Array;
}

/** The filterbank as raw values (used by melSpectrogram); see melFilterbank. */
export function melWeights(options: MelFilterbankOptions, what = 'melFilterbank'): MelWeights {
  const sr = options.sampleRate;
  if (typeof sr !== 'number' || !(sr > 0) || !Number.isFinite(sr)) throw new ValueError(`${what}: sampleRate must be a positive number, got ${String(sr)}`);
  const nFft = positiveInt(options.nFft, what, 'nFft');
  const nMels = positiveInt(options.nMels ?? 128, what, 'nMels');
  const fMin = options.fMin ?? 0;
  const fMax = options.fMax ?? sr / 2;
  if (!(fMin >= 0) || !(fMax > fMin) || !Number.isFinite(fMax)) {
    throw new ValueError(`${what}: need 0 ≤ fMin < fMax, got fMin ${fMin} and fMax ${fMax}`);
  }
  const norm = options.norm === undefined ? 'slaney' : options.norm;
  if (norm !== 'slaney' && norm !== null) throw new ValueError(`${what}: norm must be 'slaney' or null, got ${String(norm)}`);
  const freqs = fftFrequencies(sr, nFft);
  const bins = freqs.length;
  const edges = melFrequencies(nMels + 2, fMin, fMax, options);
  const weights = new Float64Array(nMels * bins);
  const start = new Int32Array(nMels);
  const end = new Int32Array(nMels);
  for (let m = 0; m < nMels; m++) {
    const lo = edges[m]!;
    const mid = edges[m + 1]!;
    const hi = edges[m + 2]!;
    const scale = norm === 'slaney' ? 2 / (hi - lo) : 1;
    let first = bins;
    let last = -1;
    for (let k = 0; k < bins; k++) {
      const lower = (freqs[k]! - lo) / (mid - lo);
      const upper = (hi - freqs[k]!) / (hi - mid);
      const w = Math.max(0, Math.min(lower, upper));
      if (w > 0) {
        weights[m * bins + k] = w * scale;
        if (first === bins) first = k;
        last = k;
      }
    }
    start[m] = first === bins ? 0 : first;
    end[m] = last + 1;
  }
  return { nMels, bins, weights, start, end };
}

/**
 * The mel filterbank, [nFft/2 + 1, nMels] (bins × bands). Defaults as librosa.filters.mel: Slaney
 * mel scale, Slaney area normalization, 128 bands from 0 Hz to sampleRate / 2.
 */
export function melFilterbank(options: MelFilterbankOptions): Tensor {
  const { nMels, bins, weights } = melWeights(options);
  const out = options.dtype === 'float64' ? new Float64Array(bins * nMels) : new Float32Array(bins * nMels);
  for (let m = 0; m < nMels; m++) for (let k = 0; k < bins; k++) out[k * nMels + m] = weights[m * bins + k]!;
  return new Tensor(out, [bins, nMels], options.dtype ?? 'float32');
}
