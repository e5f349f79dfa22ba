// Image resizing (bilinear and nearest neighbour) with half-pixel centres, as tf.image.resize.
import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { allocateLike, mapImages, type Pixels } from './pixels.js';

export type Interpolation = 'bilinear' | 'nearest';

export function checkInterpolation(method: unknown, what: string): Interpolation {
  if (method !== 'bilinear' && method !== 'nearest') throw new ValueError(`${what}: interpolation must be 'bilinear' or 'nearest', got '${String(method)}'`);
  return method;
}

export function checkSize(size: unknown, what: string, name = 'size'): [number, number] {
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(`${what}: ${name} must be [height, width] of positive integers, got ${JSON.stringify(size)}`);
  }
  return [size[0] as number, size[1] as number];
}

/** Per output index along one axis: the two source indices and the weight of the second (half-pixel centres, clamped). */
function bilinearAxis(inSize: number, outSize: number): { lo: Int32Array; hi: Int32Array; frac: Float64Array } {
  const scale = inSize / outSize;
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float64Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const src = (i + 0.5) * scale - 0.5;
    const f = Math.floor(src);
    lo[i] = Math.max(f, 0);
    hi[i] = Math.min(f + 1, inSize - 1);
    frac[i] = src - f;
  }
  return { lo, hi, frac };
}

/**
 * Bilinear resize with half-pixel centres (TensorFlow's tf.image.resize, antialias off): output
 * pixel (y, x) samples the input at ((y + 0.5)·H/h − 0.5, (x + 0.5)·W/w − 0.5), with indices clamped
 * to the image. Returns float32 pixels.
 */
export function resizeBilinearPixels(p: Pixels, height: number, width: number): Pixels<Float32Array> {
  const c = p.channels;
  const src = p.data;
  const out = new Float32Array(height * width * c);
  const ys = bilinearAxis(p.height, height);
  const xs = bilinearAxis(p.width, width);
  const rowStride = p.width * c;
  for (let y = 0; y < height; y++) {
    const top = ys.lo[y]! * rowStride;
    const bottom = ys.hi[y]! * rowStride;
    const fy = ys.frac[y]!;
    let o = y * width * c;
    for (let x = 0; x < width; x++) {
      const left = xs.lo[x]! * c;
      const right = xs.hi[x]! * c;
      const fx = xs.frac[x]!;
      for (let k = 0; k < c; k++) {
        const tl = src[top + left + k]!;
        const tr = src[top + right + k]!;
        const bl = src[bottom + left + k]!;
        const br = src[bottom + right + k]!;
        const t = tl + (tr - tl) * fx;
        const b = bl + (br - bl) * fx;
        out[o++] = t + (b - t) * fy;
      }
    }
  }
  return { data: out, height, width, channels: c };
}

function nearestAxis(inSize: number, outSize: number): Int32Array {
  const scale = inSize / outSize;
  const idx = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) idx[i] = Math.min(Math.floor((i + 0.5) * scale), inSize - 1);
  return idx;
}

/**
 * Nearest-neighbour resize with half-pixel centres: output pixel (y, x) copies input pixel
 * (floor((y + 0.5)·H/h), floor((x + 0.5)·W/w)). Keeps the values (uint8 pixels come back as int32).
 */
export function resizeNearestPixels(p: Pixels, height: number, width: number): Pixels {
  const c = p.channels;
  const src = p.data;
  const out = allocateLike(src, height * width * c);
  const ys = nearestAxis(p.height, height);
  const xs = nearestAxis(p.width, width);
  let o = 0;
  for (let y = 0; y < height; y++) {
    const row = ys[y]! * p.width;
    for (let x = 0; x < width; x++) {
      const s = (row + xs[x]!) * c;
      for (let k = 0; k < c; k++) out[o++] = src[s + k]!;
    }
  }
  return { data: out, height, width, channels: c };
}

/** Resizes pixels to height × width (a no-op returning the input when the size already matches). */
export function resizePixels(p: Pixels, height: number, width: number, method: Interpolation): Pixels {
  if (p.height === height && p.width === width) return p;
  if (p.height === 0 || p.width === 0) throw new ValueError(`resize: cannot resize an empty ${p.height}×${p.width} image`);
  return method === 'nearest' ? resizeNearestPixels(p, height, width) : resizeBilinearPixels(p, height, width);
}

export interface ResizeOptions {
  /** 'bilinear' (default; float32 result) or 'nearest' (keeps the dtype). */
  method?: Interpolation;
}

/**
 * Resizes an image [h, w, c] or a batch [n, h, w, c] to `size` = [height, width], with half-pixel
 * centres as tf.image.resize (no antialiasing).
 */
export function resize(images: Tensor, size: readonly [number, number], options: ResizeOptions = {}): Tensor {
  const [height, width] = checkSize(size, 'resize');
  const method = checkInterpolation(options.method ?? 'bilinear', 'resize');
  return mapImages(images, 'resize', (p) => {
    const r = resizePixels(p, height, width, method);
    return method === 'bilinear' && !(r.data instanceof Float32Array) ? { ...r, data: Float32Array.from(r.data) } : r;
  });
}
