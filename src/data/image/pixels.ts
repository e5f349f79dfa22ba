// The raw image that the image kernels work on, and its conversion to and from tensors.
import { fromValues } from '../../tensor/creation.js';
import type { DType } from '../../tensor/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../../tensor/errors.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';

/** Typed arrays a raw image may be stored in. */
export type PixelArray = Uint8Array | Uint8ClampedArray | Int32Array | Float32Array | Float64Array;

/**
 * One image, row-major and channels-last: the value of channel c at row y, column x is
 * `data[(y * width + x) * channels + c]`. The image kernels read any PixelArray and write Float32Array.
 */
export interface Pixels<A extends PixelArray = PixelArray> {
  data: A;
  height: number;
  width: number;
  channels: number;
}

/** The channel layouts images are read in: Keras' colorMode names. */
export type ColorMode = 'grayscale' | 'rgb' | 'rgba';

export function channelsOfColorMode(mode: ColorMode, what: string): number {
  switch (mode) {
    case 'grayscale':
      return 1;
    case 'rgb':
      return 3;
    case 'rgba':
      return 4;
    default:
      throw new ValueError(`${what}: colorMode must be 'grayscale', 'rgb' or 'rgba', got '${String(mode)}'`);
  }
}

/** A zero-filled float32 image. */
export function allocatePixels(height: number, width: number, channels: number): Pixels<Float32Array> {
  return { data: new Float32Array(height * width * channels), height, width, channels };
}

/**
 * Converts between grayscale (1), RGB (3) and RGBA (4) channels, as PIL's `convert` does: RGB to
 * grayscale uses the ITU-R 601-2 luma weights (L = 0.299 R + 0.587 G + 0.114 B), dropping alpha
 * discards it (no compositing), gray is replicated to RGB, and an added alpha is 255 (opaque).
 * Returns the input itself when it already has `channels`.
 */
export function convertChannels(p: Pixels, channels: number): Pixels {
  const from = p.channels;
  if (from === channels) return p;
  if (![1, 3, 4].includes(from) || ![1, 3, 4].includes(channels)) {
    throw new ValueError(`convertChannels: can convert between 1, 3 and 4 channels, got ${from} → ${channels}`);
  }
  const n = p.height * p.width;
  const src = p.data;
  const out = new (src instanceof Float64Array ? Float64Array : src instanceof Int32Array ? Int32Array : src instanceof Float32Array ? Float32Array : Uint8Array)(n * channels);
  const integral = !(out instanceof Float32Array || out instanceof Float64Array);
  for (let i = 0; i < n; i++) {
    const s = i * from;
    const d = i * channels;
    if (channels === 1) {
      const luma = (src[s]! * 299 + src[s + 1]! * 587 + src[s + 2]! * 114) / 1000;
      out[d] = integral ? Math.round(luma) : luma;
    } else {
      if (from === 1) {
        const g = src[s]!;
        out[d] = g;
        out[d + 1] = g;
        out[d + 2] = g;
      } else {
        out[d] = src[s]!;
        out[d + 1] = src[s + 1]!;
        out[d + 2] = src[s + 2]!;
      }
      if (channels === 4) out[d + 3] = from === 4 ? src[s + 3]! : 255;
    }
  }
  return { data: out, height: p.height, width: p.width, channels };
}

/** The pixels of a [height, width, channels] tensor (a view of its values; do not write to it). */
export function pixelsOfTensor(image: Tensor, what: string): Pixels {
  if (!(image instanceof Tensor)) throw new ValueError(`${what}: expected an image Tensor, got ${image === null ? 'null' : typeof image}`);
  if (image.rank !== 3) {
    throw new ShapeError(`${what}: expected an image of shape [height, width, channels], got ${formatShape(image.shape)}`);
  }
  if (image.dtype === 'bool') throw new DTypeError(`${what}: expected a numeric image, got dtype bool`);
  const [height, width, channels] = image.shape as [number, number, number];
  return { data: image.values as PixelArray, height, width, channels };
}

/** The tensor dtype that holds a pixel array's values (uint8 images become int32). */
export function dtypeOfPixels(data: PixelArray): DType {
  return data instanceof Float32Array ? 'float32' : data instanceof Float64Array ? 'float64' : 'int32';
}

/** A zero-filled array of the same kind as `like` (uint8 images give int32 arrays). */
export function allocateLike(like: PixelArray, size: number): Float32Array | Float64Array | Int32Array {
  return like instanceof Float32Array ? new Float32Array(size) : like instanceof Float64Array ? new Float64Array(size) : new Int32Array(size);
}

/**
 * Wraps pixels as a [height, width, channels] tensor of `dtype` (by default the dtype of the pixel
 * array; uint8 becomes int32). Converting to int32 rounds to the nearest integer.
 */
export function pixelsToTensor(p: Pixels, dtype: DType = dtypeOfPixels(p.data)): Tensor {
  const shape = [p.height, p.width, p.channels];
  const src = p.data;
  if (dtype === 'float32') return fromValues(src instanceof Float32Array ? src : Float32Array.from(src), shape, 'float32');
  if (dtype === 'float64') return fromValues(src instanceof Float64Array ? src : Float64Array.from(src), shape, 'float64');
  if (dtype === 'int32') {
    if (src instanceof Int32Array) return fromValues(src, shape, 'int32');
    const out = new Int32Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = Math.round(src[i]!);
    return fromValues(out, shape, 'int32');
  }
  throw new DTypeError(`image: dtype must be 'float32', 'float64' or 'int32', got '${dtype}'`);
}

/**
 * Applies `fn` to one image ([h, w, c]) or to each image of a batch ([n, h, w, c]) and returns the
 * result with the same rank, in the dtype of `fn`'s pixel arrays; every result must have the same shape.
 */
export function mapImages(images: Tensor, what: string, fn: (p: Pixels) => Pixels): Tensor {
  if (!(images instanceof Tensor)) throw new ValueError(`${what}: expected an image Tensor, got ${images === null ? 'null' : typeof images}`);
  if (images.rank === 3) {
    const r = fn(pixelsOfTensor(images, what));
    // Never hand back the input's own storage: tensors do not share buffers.
    return pixelsToTensor(r.data === images.values ? { ...r, data: r.data.slice() } : r);
  }
  if (images.rank !== 4) {
    throw new ShapeError(`${what}: expected an image [height, width, channels] or a batch [n, height, width, channels], got ${formatShape(images.shape)}`);
  }
  if (images.dtype === 'bool') throw new DTypeError(`${what}: expected a numeric image, got dtype bool`);
  const [n, h, w, c] = images.shape as [number, number, number, number];
  const per = h * w * c;
  const results: Pixels[] = [];
  for (let i = 0; i < n; i++) {
    results.push(fn({ data: images.values.subarray(i * per, (i + 1) * per) as PixelArray, height: h, width: w, channels: c }));
  }
  const first = results[0];
  if (first === undefined) return fromValues(allocateLike(images.values as PixelArray, 0), [0, h, w, c]);
  const dtype = dtypeOfPixels(first.data);
  const size = first.height * first.width * first.channels;
  const out = allocateLike(first.data, n * size);
  results.forEach((r, i) => out.set(r.data, i * size));
  return fromValues(out, [n, first.height, first.width, first.channels], dtype);
}
