// Affine transforms of images (rotation, shift, shear, zoom) with Keras' fill modes.
import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { mapImages, type Pixels } from './pixels.js';

/**
 * How points outside the input are filled (Keras' fillMode), for input `abcd`:
 * 'constant' kkkk|abcd|kkkk (k = cval), 'nearest' aaaa|abcd|dddd, 'reflect' dcba|abcd|dcba,
 * 'wrap' abcd|abcd|abcd.
 */
export type FillMode = 'constant' | 'nearest' | 'reflect' | 'wrap';

export function checkFillMode(mode: unknown, what: string): FillMode {
  if (mode !== 'constant' && mode !== 'nearest' && mode !== 'reflect' && mode !== 'wrap') {
    throw new ValueError(`${what}: fillMode must be 'constant', 'nearest', 'reflect' or 'wrap', got '${String(mode)}'`);
  }
  return mode;
}

/** The parameters of one affine transform, as Keras' apply_affine_transform takes them. */
export interface AffineParams {
  /** Rotation in degrees; positive turns the content counter-clockwise. */
  theta?: number;
  /** Horizontal shift in pixels: output pixel (x, y) samples the input at (x + tx, y), so the content moves left by tx. */
  tx?: number;
  /** Vertical shift in pixels: the content moves up by ty. */
  ty?: number;
  /** Shear angle in degrees. */
  shear?: number;
  /** Horizontal zoom: the input is sampled zx times as far from the centre (zx > 1 makes the content smaller, as in Keras). */
  zx?: number;
  /** Vertical zoom (see zx). */
  zy?: number;
}

export interface AffineFillOptions {
  /** Default 'nearest' (Keras' default). */
  fillMode?: FillMode;
  /** The value of points outside the input with fillMode 'constant' (default 0). */
  cval?: number;
  /** Interpolation order: 1 bilinear (default), 0 nearest neighbour. */
  order?: 0 | 1;
}

/** A 2×3 matrix [a, b, c, d, e, f]: input x = a·x + b·y + c, input y = d·x + e·y + f (x columns, y rows). */
export type Affine2x3 = [number, number, number, number, number, number];

function multiply(m: Affine2x3, n: Affine2x3): Affine2x3 {
  const [a, b, c, d, e, f] = m;
  const [p, q, r, s, t, u] = n;
  return [a * p + b * s, a * q + b * t, a * r + b * u + c, d * p + e * s, d * q + e * t, d * r + e * u + f];
}

/**
 * The map from output to input coordinates for `params` on an image of height × width:
 * input = C + R(theta)·T(tx, ty)·Shear(shear)·Zoom(zx, zy)·(output − C), with C the image centre
 * ((width − 1) / 2, (height − 1) / 2), composed in Keras' order. Returns null for the identity.
 */
export function affineMatrix(params: AffineParams, height: number, width: number): Affine2x3 | null {
  const { theta = 0, tx = 0, ty = 0, shear = 0, zx = 1, zy = 1 } = params;
  for (const [name, v] of Object.entries({ theta, tx, ty, shear, zx, zy })) {
    if (!Number.isFinite(v)) throw new ValueError(`applyAffineTransform: ${name} must be a finite number, got ${v}`);
  }
  if (theta === 0 && tx === 0 && ty === 0 && shear === 0 && zx === 1 && zy === 1) return null;
  let m: Affine2x3 = [1, 0, 0, 0, 1, 0];
  if (theta !== 0) {
    const r = (theta * Math.PI) / 180;
    m = multiply(m, [Math.cos(r), -Math.sin(r), 0, Math.sin(r), Math.cos(r), 0]);
  }
  if (tx !== 0 || ty !== 0) m = multiply(m, [1, 0, tx, 0, 1, ty]);
  if (shear !== 0) {
    const s = (shear * Math.PI) / 180;
    m = multiply(m, [1, -Math.sin(s), 0, 0, Math.cos(s), 0]);
  }
  if (zx !== 1 || zy !== 1) m = multiply(m, [zx, 0, 0, 0, zy, 0]);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  return multiply(multiply([1, 0, cx, 0, 1, cy], m), [1, 0, -cx, 0, 1, -cy]);
}

/** Maps an integer index outside [0, n) into it for the fill mode; -1 for 'constant'. */
function mapIndex(i: number, n: number, mode: FillMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'nearest':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return ((i % n) + n) % n;
    case 'reflect': {
      const period = 2 * n;
      let j = ((i % period) + period) % period;
      if (j >= n) j = period - 1 - j;
      return j;
    }
    default:
      return -1;
  }
}

/**
 * Resamples `p` through the output→input map `m`: each output pixel takes the (bilinear or
 * nearest) value of the input at the mapped point, filled by `fillMode` outside the input
 * (with 'constant', points outside [0, size − 1] on either axis take `cval`). Returns float32 pixels.
 */
export function warpAffinePixels(p: Pixels, m: Affine2x3, options: AffineFillOptions = {}): Pixels<Float32Array> {
  const mode = checkFillMode(options.fillMode ?? 'nearest', 'applyAffineTransform');
  const cval = options.cval ?? 0;
  const order = options.order ?? 1;
  if (order !== 0 && order !== 1) throw new ValueError(`applyAffineTransform: order must be 0 (nearest) or 1 (bilinear), got ${String(order)}`);
  const { height: h, width: w, channels: c } = p;
  const src = p.data;
  const out = new Float32Array(h * w * c);
  const [a, b, cc, d, e, f] = m;
  const eps = 1e-6;
  let o = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++, o += c) {
      const sx = a * x + b * y + cc;
      const sy = d * x + e * y + f;
      if (mode === 'constant' && (sx < -eps || sx > w - 1 + eps || sy < -eps || sy > h - 1 + eps)) {
        for (let k = 0; k < c; k++) out[o + k] = cval;
        continue;
      }
      if (order === 0) {
        const ix = mapIndex(Math.round(sx), w, mode === 'constant' ? 'nearest' : mode);
        const iy = mapIndex(Math.round(sy), h, mode === 'constant' ? 'nearest' : mode);
        const s = (iy * w + ix) * c;
        for (let k = 0; k < c; k++) out[o + k] = src[s + k]!;
        continue;
      }
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const neighbourMode = mode === 'constant' ? 'nearest' : mode;
      const xa = mapIndex(x0, w, neighbourMode) * c;
      const xb = mapIndex(x0 + 1, w, neighbourMode) * c;
      const ya = mapIndex(y0, h, neighbourMode) * w * c;
      const yb = mapIndex(y0 + 1, h, neighbourMode) * w * c;
      for (let k = 0; k < c; k++) {
        const tl = src[ya + xa + k]!;
        const tr = src[ya + xb + k]!;
        const bl = src[yb + xa + k]!;
        const br = src[yb + xb + k]!;
        const top = tl + (tr - tl) * fx;
        const bottom = bl + (br - bl) * fx;
        out[o + k] = top + (bottom - top) * fy;
      }
    }
  }
  return { data: out, height: h, width: w, channels: c };
}

/** Applies `params` to pixels; the identity returns a float32 copy. */
export function affinePixels(p: Pixels, params: AffineParams, options: AffineFillOptions = {}): Pixels<Float32Array> {
  const m = affineMatrix(params, p.height, p.width);
  if (m === null) return { ...p, data: Float32Array.from(p.data) };
  return warpAffinePixels(p, m, options);
}

/**
 * Rotates, shifts, shears and zooms an image [h, w, c] or each image of a batch [n, h, w, c]
 * about its centre (Keras' apply_affine_transform, channels-last): float32 result, same shape.
 */
export function applyAffineTransform(images: Tensor, params: AffineParams & AffineFillOptions = {}): Tensor {
  return mapImages(images, 'applyAffineTransform', (p) => affinePixels(p, params, params));
}
