// PNG decoding and encoding through the pure-JavaScript `pngjs` codec.
import pngjs from 'pngjs';
import { DataError } from '../../tensor/errors.js';
import type { Pixels } from './pixels.js';

const { PNG } = pngjs;

/** True when `bytes` starts with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return bytes.length >= 8 && sig.every((b, i) => bytes[i] === b);
}

/**
 * Decodes a PNG (any bit depth, palette, interlaced) into 8-bit pixels with the file's own channel
 * count: 1 for grayscale, 3 for RGB and opaque palettes, 4 when the file has alpha (gray+alpha too).
 * 16-bit samples are scaled to 8 bits. Throws a DataError naming `source` for a truncated or corrupt file.
 */
export function decodePngPixels(bytes: Uint8Array, source: string): Pixels<Uint8Array> {
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    const reason = (e as Error).message.includes('waitng on finished stream') ? 'the file ends early (truncated)' : (e as Error).message;
    throw new DataError(`decodeImage: ${source} is not a readable PNG (${bytes.length} bytes): ${reason}`);
  }
  const { width, height } = png;
  const rgba = png.data;
  if (rgba.length < width * height * 4) {
    throw new DataError(`decodeImage: ${source} is not a readable PNG: ${width}×${height} pixels declared but only ${rgba.length} bytes of image data decoded`);
  }
  const channels = png.alpha ? 4 : png.color || png.palette ? 3 : 1;
  const n = width * height;
  const data = new Uint8Array(n * channels);
  if (channels === 4) data.set(rgba.subarray(0, n * 4));
  else {
    for (let i = 0; i < n; i++) for (let c = 0; c < channels; c++) data[i * channels + c] = rgba[i * 4 + c]!;
  }
  return { data, height, width, channels };
}

/**
 * Encodes 8-bit pixels (1, 3 or 4 channels; values already integers in [0, 255]) as a PNG:
 * grayscale, RGB or RGBA colour type to match, lossless.
 */
export function encodePngPixels(p: Pixels<Uint8Array>): Uint8Array {
  const png = new PNG({ width: p.width, height: p.height });
  const n = p.width * p.height;
  const out = png.data;
  const src = p.data;
  const c = p.channels;
  for (let i = 0; i < n; i++) {
    const s = i * c;
    const d = i * 4;
    if (c === 1) {
      out[d] = out[d + 1] = out[d + 2] = src[s]!;
      out[d + 3] = 255;
    } else {
      out[d] = src[s]!;
      out[d + 1] = src[s + 1]!;
      out[d + 2] = src[s + 2]!;
      out[d + 3] = c === 4 ? src[s + 3]! : 255;
    }
  }
  const colorType = c === 1 ? 0 : c === 3 ? 2 : 6;
  const buffer = PNG.sync.write(png, { colorType });
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
