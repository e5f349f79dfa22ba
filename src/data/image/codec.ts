// Image files to and from tensors: decodeImage (PNG or JPEG, sniffed from the bytes), encodePng, encodeJpeg.
import type { DType } from '../../tensor/dtype.js';
import { DataError, ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { decodeJpegPixels, encodeJpegPixels, isJpeg } from './jpeg.js';
import { convertChannels, type Pixels, pixelsOfTensor, pixelsToTensor } from './pixels.js';
import { decodePngPixels, encodePngPixels, isPng } from './png.js';

export interface DecodeImageOptions {
  /**
   * Channels of the result: 0 (default) keeps the file's own (1 grayscale, 3 RGB, 4 with alpha),
   * 1 converts to grayscale (ITU-R 601-2 luma), 3 to RGB (alpha dropped), 4 to RGBA.
   */
  channels?: 0 | 1 | 3 | 4;
  /** Tensor dtype of the [height, width, channels] result: 'int32' (default) or 'float32', values 0–255. */
  dtype?: 'int32' | 'float32';
  /** The file name (or other description) used in error messages. */
  name?: string;
}

function checkChannels(channels: unknown, what: string): 0 | 1 | 3 | 4 {
  if (channels !== 0 && channels !== 1 && channels !== 3 && channels !== 4) {
    throw new ValueError(`${what}: channels must be 0 (as in the file), 1, 3 or 4, got ${String(channels)}`);
  }
  return channels;
}

/**
 * Decodes PNG or JPEG bytes (the format is read from the signature, not the file name) into 8-bit
 * pixels with `channels` channels (0: as stored). Throws a DataError naming `source` when the bytes
 * are empty, of another format, truncated or corrupt.
 */
export function decodePixels(bytes: Uint8Array, source: string, channels: 0 | 1 | 3 | 4 = 0): Pixels {
  if (!(bytes instanceof Uint8Array)) throw new ValueError(`decodeImage: expected the file's bytes as a Uint8Array or Buffer, got ${typeof bytes}`);
  let p: Pixels<Uint8Array>;
  if (bytes.length === 0) throw new DataError(`decodeImage: ${source} is empty (0 bytes)`);
  if (isPng(bytes)) p = decodePngPixels(bytes, source);
  else if (isJpeg(bytes)) p = decodeJpegPixels(bytes, source);
  else {
    const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DataError(`decodeImage: ${source} is neither a PNG nor a JPEG (it starts with bytes ${head}); supported formats: PNG, JPEG`);
  }
  return channels === 0 ? p : convertChannels(p, channels);
}

/**
 * Decodes a PNG or JPEG file's bytes into a [height, width, channels] tensor of values 0–255
 * (int32 by default, like tf.node.decodeImage). Truncated or unreadable data throws a DataError
 * naming `options.name`.
 */
export function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): Tensor {
  const channels = checkChannels(options.channels ?? 0, 'decodeImage');
  const dtype: DType = options.dtype ?? 'int32';
  if (dtype !== 'int32' && dtype !== 'float32') throw new ValueError(`decodeImage: dtype must be 'int32' or 'float32', got '${String(dtype)}'`);
  const source = options.name === undefined ? `image data` : `'${options.name}'`;
  return pixelsToTensor(decodePixels(bytes, source, channels), dtype);
}

/** The 8-bit pixels of an image tensor to encode: [h, w, 1|3|4], finite values in [0, 255], rounded. */
function encodable(image: Tensor, what: string): Pixels<Uint8Array> {
  const p = pixelsOfTensor(image, what);
  if (p.channels !== 1 && p.channels !== 3 && p.channels !== 4) {
    throw new ValueError(`${what}: images must have 1, 3 or 4 channels, got shape [${image.shape.join(', ')}]`);
  }
  if (p.height === 0 || p.width === 0) throw new ValueError(`${what}: cannot encode an empty image of shape [${image.shape.join(', ')}]`);
  const src = p.data;
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (!(v >= 0 && v <= 255)) {
      const c = i % p.channels;
      const x = Math.floor(i / p.channels) % p.width;
      const y = Math.floor(i / p.channels / p.width);
      throw new ValueError(`${what}: pixel values must be in [0, 255], got ${v} at row ${y}, column ${x}, channel ${c} (scale [0, 1] images by 255 first)`);
    }
    out[i] = Math.round(v);
  }
  return { data: out, height: p.height, width: p.width, channels: p.channels };
}

/** Encodes a [height, width, 1|3|4] image tensor (values 0–255, rounded) as PNG bytes, losslessly. */
export function encodePng(image: Tensor): Uint8Array {
  return encodePngPixels(encodable(image, 'encodePng'));
}

export interface EncodeJpegOptions {
  /** 1 (smallest) to 100 (best); default 90. */
  quality?: number;
}

/**
 * Encodes a [height, width, 1|3|4] image tensor (values 0–255, rounded) as baseline JPEG bytes.
 * Alpha is dropped; grayscale is stored as equal RGB channels.
 */
export function encodeJpeg(image: Tensor, options: EncodeJpegOptions = {}): Uint8Array {
  const quality = options.quality ?? 90;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw new ValueError(`encodeJpeg: quality must be an integer in [1, 100], got ${quality}`);
  return encodeJpegPixels(encodable(image, 'encodeJpeg'), quality);
}
