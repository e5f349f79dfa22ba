// PNG decoding and encoding through the pure-JavaScript `pngjs` codec.
//
// pngjs is built on Node's zlib, stream, util, assert and Buffer, so it cannot be bundled for a
// browser. It is therefore not imported statically: it is required on first use through Node's
// `module.createRequire` (obtained lazily, see io/node-modules.ts), which keeps src/index.ts
// bundlable for browsers. Outside Node, PNG decoding and encoding throw a ValueError that says so;
// JPEG (jpeg-js, pure JavaScript) and every transform work everywhere.
import type * as PngJs from 'pngjs';
import { cwd, isNode, type NodeModules, nodeModules, nodeModulesSync } from '../../io/node-modules.js';
import { DataError, ValueError } from '../../tensor/errors.js';
import type { Pixels } from './pixels.js';

type PngClass = typeof PngJs.PNG;

let PNG: PngClass | null = null;

function requirePngjs(node: NodeModules): PngClass {
  // import.meta.url is missing when nabla itself was bundled into a CommonJS file: resolve from the working directory then.
  const url = (import.meta as { url?: unknown }).url;
  const base = typeof url === 'string' && url !== '' ? url : node.path.join(cwd(), 'noop.js');
  const mod = node.module.createRequire(base)('pngjs') as typeof PngJs & { default?: typeof PngJs };
  PNG = mod.PNG ?? mod.default!.PNG;
  return PNG;
}

/**
 * The pngjs codec, synchronously: required on first use in Node ≥ 20.16 (or once `loadPngCodec()`
 * has run); outside Node a ValueError naming `what` explains that PNG needs Node.
 */
function pngCodec(what: string): PngClass {
  if (PNG !== null) return PNG;
  if (!isNode()) {
    throw new ValueError(
      `${what}: PNG decoding and encoding use the pngjs package, which needs Node.js (zlib, streams) and is not available in a browser; decode PNGs there with createImageBitmap or a canvas and build the tensor from the pixels (JPEG works everywhere)`,
    );
  }
  let node: NodeModules;
  try {
    node = nodeModulesSync();
  } catch {
    throw new ValueError(`${what}: on Node < 20.16, PNG support is loaded asynchronously: call an async image loader first (e.g. \`await nb.image.loadImage(path)\`), or upgrade Node`);
  }
  return requirePngjs(node);
}

/**
 * Loads the pngjs codec ahead of a synchronous decode (needed only on Node < 20.16, where nothing
 * can be loaded synchronously); does nothing outside Node, where decoding then throws its message.
 */
export async function loadPngCodec(): Promise<void> {
  if (PNG !== null || !isNode()) return;
  requirePngjs(await nodeModules());
}

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
  const Png = pngCodec('decodeImage');
  let png: ReturnType<PngClass['sync']['read']>;
  try {
    png = Png.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
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
  const Png = pngCodec('encodePng');
  const png = new Png({ width: p.width, height: p.height });
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
  const buffer = Png.sync.write(png, { colorType });
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
