// Reading an image file into a tensor (Keras' load_img + img_to_array).
import { DataError, ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { decodePixels } from './codec.js';
import { cropPixels } from './crop.js';
import { imageNode, imageNodeAsync } from './node.js';
import { channelsOfColorMode, type ColorMode, type Pixels, pixelsToTensor } from './pixels.js';
import { isPng, loadPngCodec } from './png.js';
import { checkInterpolation, checkSize, type Interpolation, resizePixels } from './resize.js';

export interface LoadImageOptions {
  /** 'grayscale' (1 channel), 'rgb' (3, default) or 'rgba' (4). */
  colorMode?: ColorMode;
  /** [height, width] to resize to; default: the file's size. */
  targetSize?: readonly [number, number] | null;
  /** Resampling for targetSize: 'nearest' (default, as Keras' load_img) or 'bilinear'. */
  interpolation?: Interpolation;
  /** Crop the centre to the aspect ratio of targetSize before resizing, instead of distorting it (default false). */
  keepAspectRatio?: boolean;
  /** dtype of the result: 'float32' (default, as img_to_array) or 'int32'; values 0–255. */
  dtype?: 'float32' | 'int32';
}

/** Settings for turning an image file's bytes into pixels, validated once and reused per file. */
export interface PrepareSettings {
  channels: 1 | 3 | 4;
  targetSize: [number, number] | null;
  interpolation: Interpolation;
  keepAspectRatio: boolean;
}

export function prepareSettings(o: LoadImageOptions, what: string, defaults: { interpolation: Interpolation } = { interpolation: 'nearest' }): PrepareSettings {
  const targetSize = o.targetSize === undefined || o.targetSize === null ? null : checkSize(o.targetSize, what, 'targetSize');
  return {
    channels: channelsOfColorMode(o.colorMode ?? 'rgb', what) as 1 | 3 | 4,
    targetSize,
    interpolation: checkInterpolation(o.interpolation ?? defaults.interpolation, what),
    keepAspectRatio: Boolean(o.keepAspectRatio ?? false),
  };
}

/** The largest centred box of the target's aspect ratio inside an image of height × width. */
function aspectBox(height: number, width: number, target: [number, number]): [number, number, number, number] {
  const [th, tw] = target;
  const cropWidth = Math.min(width, Math.round((height * tw) / th));
  const cropHeight = Math.min(height, Math.round((width * th) / tw));
  return [Math.floor((height - cropHeight) / 2), Math.floor((width - cropWidth) / 2), Math.max(cropHeight, 1), Math.max(cropWidth, 1)];
}

/** Decodes, converts the channels of, and resizes one image file's bytes. DataError naming `source` when unreadable. */
export function preparePixels(bytes: Uint8Array, source: string, s: PrepareSettings): Pixels {
  let p = decodePixels(bytes, source, s.channels);
  if (s.targetSize !== null) {
    if (s.keepAspectRatio) {
      const [top, left, h, w] = aspectBox(p.height, p.width, s.targetSize);
      if (h !== p.height || w !== p.width) p = cropPixels(p, top, left, h, w);
    }
    p = resizePixels(p, s.targetSize[0], s.targetSize[1], s.interpolation);
  }
  return p;
}

function readError(path: string, e: unknown, what: string): DataError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DataError(`${what}: image file '${path}' does not exist`);
  if (code === 'EISDIR') return new DataError(`${what}: '${path}' is a directory, not an image file`);
  return new DataError(`${what}: cannot read image file '${path}': ${(e as Error).message}`);
}

function checkPath(path: unknown, what: string): string {
  if (typeof path !== 'string' || path === '') throw new ValueError(`${what}: path must be a non-empty string, got ${JSON.stringify(path)}`);
  return path;
}

function dtypeOf(o: LoadImageOptions, what: string): 'float32' | 'int32' {
  const dtype = o.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'int32') throw new ValueError(`${what}: dtype must be 'float32' or 'int32', got '${String(dtype)}'`);
  return dtype;
}

/**
 * Reads a PNG or JPEG file as a [height, width, channels] tensor of values 0–255 (float32 by
 * default), optionally resized to `targetSize`. A missing, truncated or unreadable file throws a
 * DataError naming it.
 */
export async function loadImage(path: string, options: LoadImageOptions = {}): Promise<Tensor> {
  const what = 'loadImage';
  checkPath(path, what);
  const settings = prepareSettings(options, what);
  const dtype = dtypeOf(options, what);
  const { fsp } = await imageNodeAsync();
  let bytes: Uint8Array;
  try {
    bytes = await fsp.readFile(path);
  } catch (e) {
    throw readError(path, e, what);
  }
  if (isPng(bytes)) await loadPngCodec();
  return pixelsToTensor(preparePixels(bytes, `'${path}'`, settings), dtype);
}

/** loadImage, reading the file synchronously. */
export function loadImageSync(path: string, options: LoadImageOptions = {}): Tensor {
  const what = 'loadImageSync';
  checkPath(path, what);
  const settings = prepareSettings(options, what);
  const dtype = dtypeOf(options, what);
  const { fs } = imageNode();
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(path);
  } catch (e) {
    throw readError(path, e, what);
  }
  return pixelsToTensor(preparePixels(bytes, `'${path}'`, settings), dtype);
}

export { readError as imageReadError };
