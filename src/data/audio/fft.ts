// Fast Fourier transforms in float64, written here: an iterative radix-2 Cooley–Tukey transform for
// power-of-two lengths and Bluestein's chirp-z algorithm (three radix-2 transforms of a padded
// length) for every other length, so any n costs O(n log n). Real input uses the half-length
// complex transform plus a split step. Conventions as NumPy: forward X[k] = Σ x[n]·e^(−2πikn/N),
// inverse scaled by 1/N.
import { ValueError } from '../../tensor/errors.js';

export interface Complex {
  re: Float64Array;
  im: Float64Array;
}

function isPow2(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** A precomputed transform of one length: reuse it for many transforms of that length. */
export class FftPlan {
  readonly n: number;
  private readonly pow2: boolean;
  // radix-2 tables
  private readonly rev: Uint32Array | null = null;
  private readonly cos: Float64Array | null = null;
  private readonly sin: Float64Array | null = null;
  // Bluestein: chirp w[k] = e^(−iπk²/n), the transformed conjugate chirp, and the padded plan
  private readonly chirpRe: Float64Array | null = null;
  private readonly chirpIm: Float64Array | null = null;
  private readonly kernelRe: Float64Array | null = null;
  private readonly kernelIm: Float64Array | null = null;
  private readonly inner: FftPlan | null = null;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1) throw new ValueError(`FftPlan: length must be a positive integer, got ${String(n)}`);
    this.n = n;
    this.pow2 = isPow2(n);
    if (this.pow2) {
      const bits = Math.log2(n);
      this.rev = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        let r = 0;
        for (let b = 0, x = i; b < bits; b++, x >>= 1) r = (r << 1) | (x & 1);
        this.rev[i] = r;
      }
      this.cos = new Float64Array(n / 2);
      this.sin = new Float64Array(n / 2);
      for (let k = 0; k < n / 2; k++) {
        this.cos[k] = Math.cos((2 * Math.PI * k) / n);
        this.sin[k] = -Math.sin((2 * Math.PI * k) / n);
      }
      return;
    }
    let m = 1;
    while (m < 2 * n - 1) m *= 2;
    this.inner = getPlan(m);
    this.chirpRe = new Float64Array(n);
    this.chirpIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const kk = (k * k) % (2 * n); // exact: keeps the angle small for large k
      this.chirpRe[k] = Math.cos((Math.PI * kk) / n);
      this.chirpIm[k] = -Math.sin((Math.PI * kk) / n);
    }
    const br = new Float64Array(m);
    const bi = new Float64Array(m);
    for (let k = 0; k < n; k++) {
      br[k] = this.chirpRe[k]!;
      bi[k] = -this.chirpIm[k]!;
      if (k > 0) {
        br[m - k] = br[k]!;
        bi[m - k] = bi[k]!;
      }
    }
    this.inner.transform(br, bi, false);
    this.kernelRe = br;
    this.kernelIm = bi;
  }

  /** In-place transform of (re, im), each of length n; `inverse` computes the 1/N-scaled inverse. */
  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.n;
    if (re.length !== n || im.length !== n) throw new ValueError(`FftPlan(${n}).transform: expected arrays of length ${n}, got ${re.length} and ${im.length}`);
    if (inverse) {
      // ifft(x) = conj(fft(conj(x))) / n
      for (let i = 0; i < n; i++) im[i] = -im[i]!;
      this.forward(re, im);
      for (let i = 0; i < n; i++) {
        re[i] = re[i]! / n;
        im[i] = -im[i]! / n;
      }
      return;
    }
    this.forward(re, im);
  }

  private forward(re: Float64Array, im: Float64Array): void {
    if (this.pow2) this.radix2(re, im);
    else this.bluestein(re, im);
  }

  private radix2(re: Float64Array, im: Float64Array): void {
    const n = this.n;
    const rev = this.rev!;
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (j > i) {
        const tr = re[i]!;
        re[i] = re[j]!;
        re[j] = tr;
        const ti = im[i]!;
        im[i] = im[j]!;
        im[j] = ti;
      }
    }
    const cos = this.cos!;
    const sin = this.sin!;
    for (let size = 2; size <= n; size *= 2) {
      const half = size / 2;
      const step = n / size;
      for (let start = 0; start < n; start += size) {
        for (let k = 0, t = 0; k < half; k++, t += step) {
          const wr = cos[t]!;
          const wi = sin[t]!;
          const a = start + k;
          const b = a + half;
          const xr = re[b]! * wr - im[b]! * wi;
          const xi = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - xr;
          im[b] = im[a]! - xi;
          re[a] = re[a]! + xr;
          im[a] = im[a]! + xi;
        }
      }
    }
  }

  private bluestein(re: Float64Array, im: Float64Array): void {
    const n = this.n;
    const inner = this.inner!;
    const m = inner.n;
    const cr = this.chirpRe!;
    const ci = this.chirpIm!;
    const ar = new Float64Array(m);
    const ai = new Float64Array(m);
    for (let k = 0; k < n; k++) {
      ar[k] = re[k]! * cr[k]! - im[k]! * ci[k]!;
      ai[k] = re[k]! * ci[k]! + im[k]! * cr[k]!;
    }
    inner.transform(ar, ai, false);
    const kr = this.kernelRe!;
    const ki = this.kernelIm!;
    for (let k = 0; k < m; k++) {
      const r = ar[k]! * kr[k]! - ai[k]! * ki[k]!;
      ai[k] = ar[k]! * ki[k]! + ai[k]! * kr[k]!;
      ar[k] = r;
    }
    inner.transform(ar, ai, true);
    for (let k = 0; k < n; k++) {
      re[k] = ar[k]! * cr[k]! - ai[k]! * ci[k]!;
      im[k] = ar[k]! * ci[k]! + ai[k]! * cr[k]!;
    }
  }
}

const plans = new Map<number, FftPlan>();

/** The cached plan for length n (at most 64 lengths are kept). */
export function getPlan(n: number): FftPlan {
  let p = plans.get(n);
  if (p === undefined) {
    p = new FftPlan(n);
    if (plans.size >= 64) plans.delete(plans.keys().next().value as number);
    plans.set(n, p);
  }
  return p;
}

function copy(x: ArrayLike<number>, what: string): Float64Array {
  if (x.length < 1) throw new ValueError(`${what}: input must not be empty`);
  return Float64Array.from(x);
}

/** Discrete Fourier transform of a complex sequence (imaginary part zero when omitted). */
export function fft(re: ArrayLike<number>, im?: ArrayLike<number>): Complex {
  const r = copy(re, 'fft');
  const i = im === undefined ? new Float64Array(r.length) : Float64Array.from(im);
  if (i.length !== r.length) throw new ValueError(`fft: real and imaginary parts have lengths ${r.length} and ${i.length}`);
  getPlan(r.length).transform(r, i, false);
  return { re: r, im: i };
}

/** Inverse DFT, scaled by 1/N (ifft(fft(x)) = x). */
export function ifft(re: ArrayLike<number>, im: ArrayLike<number>): Complex {
  const r = copy(re, 'ifft');
  const i = Float64Array.from(im);
  if (i.length !== r.length) throw new ValueError(`ifft: real and imaginary parts have lengths ${r.length} and ${i.length}`);
  getPlan(r.length).transform(r, i, true);
  return { re: r, im: i };
}

/**
 * DFT of a real sequence: the n/2 + 1 non-negative-frequency bins (NumPy's rfft). `n` (default the
 * input length) zero-pads or truncates the input first.
 */
export function rfft(x: ArrayLike<number>, n: number = x.length): Complex {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`rfft: n must be a positive integer, got ${String(n)}`);
  const out = { re: new Float64Array(Math.floor(n / 2) + 1), im: new Float64Array(Math.floor(n / 2) + 1) };
  rfftInto(x, n, out.re, out.im, new RfftScratch(n));
  return out;
}

/** Work arrays for repeated real transforms of one length (see rfftInto). */
export class RfftScratch {
  readonly re: Float64Array;
  readonly im: Float64Array;
  readonly twRe: Float64Array | null = null;
  readonly twIm: Float64Array | null = null;

  constructor(readonly n: number) {
    const h = n % 2 === 0 ? n / 2 : n;
    this.re = new Float64Array(h);
    this.im = new Float64Array(h);
    if (n % 2 === 0) {
      this.twRe = new Float64Array(h);
      this.twIm = new Float64Array(h);
      for (let k = 0; k < h; k++) {
        this.twRe[k] = Math.cos((2 * Math.PI * k) / n);
        this.twIm[k] = -Math.sin((2 * Math.PI * k) / n);
      }
    }
  }
}

/**
 * Real DFT of the first `n` values of x (zero-padded) into outRe/outIm (length ⌊n/2⌋ + 1). For even
 * n: packs z[k] = x[2k] + i·x[2k+1], transforms length n/2, then splits
 * X[k] = (Z[k] + Z*[h−k])/2 − i·e^(−2πik/n)·(Z[k] − Z*[h−k])/2.
 */
export function rfftInto(x: ArrayLike<number>, n: number, outRe: Float64Array, outIm: Float64Array, scratch: RfftScratch): void {
  const { re, im } = scratch;
  const len = Math.min(n, x.length);
  if (n % 2 === 1) {
    re.fill(0);
    im.fill(0);
    for (let i = 0; i < len; i++) re[i] = x[i]!;
    getPlan(n).transform(re, im, false);
    for (let k = 0; k <= (n - 1) / 2; k++) {
      outRe[k] = re[k]!;
      outIm[k] = im[k]!;
    }
    return;
  }
  const h = n / 2;
  for (let k = 0; k < h; k++) {
    re[k] = 2 * k < len ? x[2 * k]! : 0;
    im[k] = 2 * k + 1 < len ? x[2 * k + 1]! : 0;
  }
  getPlan(h).transform(re, im, false);
  const twRe = scratch.twRe!;
  const twIm = scratch.twIm!;
  for (let k = 0; k <= h; k++) {
    const a = k % h;
    const b = (h - k) % h;
    const zr = re[a]!;
    const zi = im[a]!;
    const cr = re[b]!; // conj(Z[h-k]) = (cr, -ci)
    const ci = -im[b]!;
    const er = (zr + cr) / 2; // even part
    const ei = (zi + ci) / 2;
    const dr = (zr - cr) / 2; // odd part times i: O = −i·(Z − Z*)/2
    const di = (zi - ci) / 2;
    const or = di;
    const oi = -dr;
    const wr = k === h ? -1 : twRe[k]!;
    const wi = k === h ? 0 : twIm[k]!;
    outRe[k] = er + (or * wr - oi * wi);
    outIm[k] = ei + (or * wi + oi * wr);
  }
}

/** Inverse of rfft: the real sequence of length n (default 2·(bins − 1)) whose rfft is (re, im). */
export function irfft(re: ArrayLike<number>, im: ArrayLike<number>, n: number = 2 * (re.length - 1)): Float64Array {
  if (re.length !== im.length || re.length < 1) throw new ValueError(`irfft: real and imaginary parts must have the same non-zero length, got ${re.length} and ${im.length}`);
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`irfft: n must be a positive integer, got ${String(n)}`);
  const fr = new Float64Array(n);
  const fi = new Float64Array(n);
  const bins = Math.floor(n / 2) + 1;
  for (let k = 0; k < bins; k++) {
    const r = k < re.length ? re[k]! : 0;
    const i = k < im.length ? im[k]! : 0;
    fr[k] = r;
    fi[k] = i;
    if (k > 0 && n - k > k) {
      fr[n - k] = r;
      fi[n - k] = -i;
    }
  }
  // Hermitian symmetry: the imaginary parts of the DC and (even n) Nyquist bins are ignored, as NumPy.
  fi[0] = 0;
  if (n % 2 === 0) fi[n / 2] = 0;
  getPlan(n).transform(fr, fi, true);
  return fr;
}
