// Short-time Fourier transform and spectrograms. Parameters and defaults follow librosa.stft
// (nFft 2048, hop nFft/4, periodic Hann window of winLength zero-padded to nFft in the middle,
// center: true with zero padding of nFft/2 on each side), but the layout follows tf.signal.stft:
// [frames, nFft/2 + 1], time first — the transpose of librosa's [bins, frames] — so a spectrogram
// feeds channels-last layers directly.
import { ValueError } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { RfftScratch, rfftInto } from './fft.js';
import { positiveInt, type Signal, toFloat64 } from './signal.js';
import { getWindow, type WindowName } from './window.js';

export interface StftOptions {
  /** FFT length (default 2048); any positive integer (powers of two are fastest). */
  nFft?: number;
  /** Samples between frames (default ⌊winLength / 4⌋). */
  hopLength?: number;
  /** Window length ≤ nFft (default nFft); the window is zero-padded to nFft, centred. */
  winLength?: number;
  /** 'hann' (default, periodic), 'hamming', 'rectangular', or an array of winLength values. */
  window?: WindowName | ArrayLike<number>;
  /** Pad nFft/2 samples at both ends so frame t is centred on sample t·hop (default true). */
  center?: boolean;
  /** Padding for center: 'constant' (zeros, default, as librosa ≥ 0.10) or 'reflect'. */
  padMode?: 'constant' | 'reflect';
  /** Output dtype (default float32); the arithmetic is float64 either way. */
  dtype?: 'float32' | 'float64';
}

export interface SpectrogramOptions extends StftOptions {
  /** Exponent of the magnitude: 1 (default) for magnitude, 2 for power. */
  power?: number;
}

/** Raw STFT values: `frames` × `bins`, row-major. */
export interface StftValues {
  frames: number;
  bins: number;
  re: Float64Array;
  im: Float64Array;
}

interface ResolvedStft {
  nFft: number;
  hop: number;
  window: Float64Array; // length nFft (padded)
  center: boolean;
  padMode: 'constant' | 'reflect';
}

function resolve(options: StftOptions, what: string): ResolvedStft {
  const nFft = positiveInt(options.nFft ?? 2048, what, 'nFft');
  const winLength = positiveInt(options.winLength ?? nFft, what, 'winLength');
  if (winLength > nFft) throw new ValueError(`${what}: winLength ${winLength} is larger than nFft ${nFft}`);
  const hop = positiveInt(options.hopLength ?? Math.max(1, Math.floor(winLength / 4)), what, 'hopLength');
  const padMode = options.padMode ?? 'constant';
  if (padMode !== 'constant' && padMode !== 'reflect') throw new ValueError(`${what}: padMode must be 'constant' or 'reflect', got ${String(padMode)}`);
  const win = getWindow(options.window ?? 'hann', winLength);
  const window = new Float64Array(nFft);
  window.set(win, Math.floor((nFft - winLength) / 2));
  return { nFft, hop, window, center: options.center ?? true, padMode };
}

/** The padded signal for center mode. */
function padCenter(x: Float64Array, pad: number, mode: 'constant' | 'reflect', what: string): Float64Array {
  const out = new Float64Array(x.length + 2 * pad);
  out.set(x, pad);
  if (mode === 'reflect') {
    if (x.length <= pad) throw new ValueError(`${what}: padMode 'reflect' needs a signal longer than nFft/2 = ${pad} samples, got ${x.length}`);
    for (let i = 1; i <= pad; i++) {
      out[pad - i] = x[i]!;
      out[pad + x.length - 1 + i] = x[x.length - 1 - i]!;
    }
  }
  return out;
}

/** The STFT as raw float64 arrays (used by the spectrogram and mel functions). */
export function stftValues(signal: Signal, options: StftOptions, what = 'stft'): StftValues {
  const r = resolve(options, what);
  let x = toFloat64(signal, what);
  if (r.center) x = padCenter(x, Math.floor(r.nFft / 2), r.padMode, what);
  if (x.length < r.nFft) {
    throw new ValueError(`${what}: the signal has ${x.length} samples${r.center ? ' after centre padding' : ''}, fewer than nFft = ${r.nFft}`);
  }
  const frames = 1 + Math.floor((x.length - r.nFft) / r.hop);
  const bins = Math.floor(r.nFft / 2) + 1;
  const re = new Float64Array(frames * bins);
  const im = new Float64Array(frames * bins);
  const buf = new Float64Array(r.nFft);
  const scratch = new RfftScratch(r.nFft);
  const outRe = new Float64Array(bins);
  const outIm = new Float64Array(bins);
  for (let f = 0; f < frames; f++) {
    const start = f * r.hop;
    for (let j = 0; j < r.nFft; j++) buf[j] = x[start + j]! * r.window[j]!;
    rfftInto(buf, r.nFft, outRe, outIm, scratch);
    re.set(outRe, f * bins);
    im.set(outIm, f * bins);
  }
  return { frames, bins, re, im };
}

/** Wraps float64 values as a tensor of `dtype` (float32 by default). */
export function valuesToTensor(values: Float64Array, shape: number[], dtype: 'float32' | 'float64' | undefined): Tensor {
  return dtype === 'float64' ? new Tensor(values, shape, 'float64') : new Tensor(Float32Array.from(values), shape, 'float32');
}

/** STFT of a mono signal: real and imaginary parts, each [frames, nFft/2 + 1]. */
export function stft(signal: Signal, options: StftOptions = {}): { real: Tensor; imag: Tensor } {
  const v = stftValues(signal, options, 'stft');
  return { real: valuesToTensor(v.re, [v.frames, v.bins], options.dtype), imag: valuesToTensor(v.im, [v.frames, v.bins], options.dtype) };
}

/** |STFT|^power as raw values (frames × bins). */
export function spectrogramValues(signal: Signal, options: SpectrogramOptions, what: string): { frames: number; bins: number; values: Float64Array } {
  const power = options.power ?? 1;
  if (typeof power !== 'number' || !(power > 0) || !Number.isFinite(power)) throw new ValueError(`${what}: power must be a positive number, got ${String(power)}`);
  const v = stftValues(signal, options, what);
  const out = new Float64Array(v.re.length);
  for (let i = 0; i < out.length; i++) {
    const p = v.re[i]! * v.re[i]! + v.im[i]! * v.im[i]!;
    out[i] = power === 2 ? p : power === 1 ? Math.sqrt(p) : p ** (power / 2);
  }
  return { frames: v.frames, bins: v.bins, values: out };
}

/** |STFT|^power, [frames, nFft/2 + 1]; power 1 (default) is the magnitude, 2 the power spectrogram. */
export function spectrogram(signal: Signal, options: SpectrogramOptions = {}): Tensor {
  const s = spectrogramValues(signal, options, 'spectrogram');
  return valuesToTensor(s.values, [s.frames, s.bins], options.dtype);
}

/** |STFT|, [frames, nFft/2 + 1]. */
export function magnitudeSpectrogram(signal: Signal, options: StftOptions = {}): Tensor {
  return spectrogram(signal, { ...options, power: 1 });
}

/** |STFT|², [frames, nFft/2 + 1]. */
export function powerSpectrogram(signal: Signal, options: StftOptions = {}): Tensor {
  return spectrogram(signal, { ...options, power: 2 });
}
