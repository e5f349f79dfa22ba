// JPEG decoding and encoding through the pure-JavaScript `jpeg-js` codec.
import jpeg from 'jpeg-js';
import { DataError } from '../../tensor/errors.js';
import type { Pixels } from './pixels.js';

/** True when `bytes` starts with a JPEG start-of-image marker. */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * The number of colour components declared in the first start-of-frame header (1 for grayscale,
 * 3 for YCbCr, 4 for CMYK), or null when no frame header is found.
 */
export function jpegComponents(bytes: Uint8Array): number | null {
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return i + 9 < bytes.length ? bytes[i + 9]! : null;
    }
    if (marker === 0xda) return null; // start of scan before any frame header
    i += 2 + length;
  }
  return null;
}

/** True when an end-of-image marker (FF D9) closes the file, allowing a little trailing padding. */
function hasEndMarker(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 2; i >= Math.max(2, bytes.length - 64); i--) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  return false;
}

/**
 * Decodes a baseline or progressive JPEG into 8-bit pixels: 1 channel for a grayscale file, 3
 * otherwise (CMYK is converted to RGB). Throws a DataError naming `source` for a truncated or
 * corrupt file (one that ends before its end-of-image marker included).
 */
export function decodeJpegPixels(bytes: Uint8Array, source: string): Pixels<Uint8Array> {
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false, maxMemoryUsageInMB: 1024 });
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    const reason = hasEndMarker(bytes) ? `corrupt data (${message})` : `the file ends early (truncated: no end-of-image marker; ${message})`;
    throw new DataError(`decodeImage: ${source} is not a readable JPEG (${bytes.length} bytes): ${reason}`);
  }
  const { width, height, data } = decoded;
  if (width <= 0 || height <= 0) throw new DataError(`decodeImage: ${source} is not a readable JPEG: it declares a ${width}×${height} image`);
  if (jpegComponents(bytes) === 1) {
    const n = width * height;
    const gray = new Uint8Array(n);
    for (let i = 0; i < n; i++) gray[i] = data[i * 3]!;
    return { data: gray, height, width, channels: 1 };
  }
  return { data, height, width, channels: 3 };
}

/**
 * Encodes 8-bit pixels as a baseline JPEG of `quality` (1–100). JPEG has no alpha: RGBA is
 * written as RGB, and grayscale as an RGB image with three equal channels (decoding it with
 * `channels: 1` gives the gray values back, within the codec's loss).
 */
export function encodeJpegPixels(p: Pixels<Uint8Array>, quality: number): Uint8Array {
  const n = p.width * p.height;
  const rgba = new Uint8Array(n * 4);
  const src = p.data;
  const c = p.channels;
  for (let i = 0; i < n; i++) {
    const s = i * c;
    const d = i * 4;
    if (c === 1) rgba[d] = rgba[d + 1] = rgba[d + 2] = src[s]!;
    else {
      rgba[d] = src[s]!;
      rgba[d + 1] = src[s + 1]!;
      rgba[d + 2] = src[s + 2]!;
    }
    rgba[d + 3] = 255;
  }
  const { data } = withBufferFrom(() => jpeg.encode({ data: rgba, width: p.width, height: p.height }, quality));
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Runs `f` with a global `Buffer.from` available. jpeg-js's encoder returns `Buffer.from(bytes)`
 * whenever it runs as a CommonJS module, which is also the case inside a browser bundle, where
 * there is no Buffer. There a stand-in returning a Uint8Array is installed for the (synchronous)
 * call and removed after it; in Node nothing changes.
 */
function withBufferFrom<T>(f: () => T): T {
  const g = globalThis as { Buffer?: unknown };
  if (g.Buffer !== undefined) return f();
  g.Buffer = { from: (bytes: ArrayLike<number>) => Uint8Array.from(bytes) };
  try {
    return f();
  } finally {
    delete g.Buffer;
  }
}
