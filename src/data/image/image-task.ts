// One image of a batch as a self-contained task: read the file, decode, convert channels, resize and
// apply a random transform. Plain data in and out, so it runs the same in the main thread or in a
// worker thread (see decode-worker.ts).
import { imageReadError, type PrepareSettings, preparePixels } from './load.js';
import { imageNode, imageNodeAsync } from './node.js';
import type { Pixels } from './pixels.js';
import { isPng, loadPngCodec } from './png.js';
import { applyTransformPixels, type Augmentation, type TransformParams } from './random-transform.js';

export interface ImageTask {
  /** The file to read. */
  path: string;
  /** How the file is named in messages (e.g. relative to the folder given by the user). */
  name: string;
  settings: PrepareSettings;
  /** The random transform to apply, or null. */
  transform: TransformParams | null;
  fill: Pick<Augmentation, 'fillMode' | 'cval' | 'interpolationOrder'>;
}

/** The outcome of a task: float32 pixels, or the message of the DataError that made the image unreadable. */
export type ImageTaskResult = { ok: true; pixels: Pixels<Float32Array> } | { ok: false; name: string; message: string };

function finish(bytes: Uint8Array, task: ImageTask): ImageTaskResult {
  try {
    const p = preparePixels(bytes, `'${task.name}'`, task.settings);
    const pixels = task.transform !== null ? applyTransformPixels(p, task.transform, task.fill) : p.data instanceof Float32Array ? (p as Pixels<Float32Array>) : { ...p, data: Float32Array.from(p.data) };
    return { ok: true, pixels };
  } catch (e) {
    return { ok: false, name: (e as Error).name, message: (e as Error).message };
  }
}

/** Runs a task synchronously (reading with readFileSync): the worker-thread entry point. */
export function runImageTask(task: ImageTask): ImageTaskResult {
  const { fs } = imageNode();
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(task.path);
  } catch (e) {
    const err = imageReadError(task.name, e, 'image loader');
    return { ok: false, name: err.name, message: err.message };
  }
  return finish(bytes, task);
}

/** Reads the file asynchronously, then decodes in the calling thread. */
export async function runImageTaskAsync(task: ImageTask): Promise<ImageTaskResult> {
  const { fsp } = await imageNodeAsync();
  let bytes: Uint8Array;
  try {
    bytes = await fsp.readFile(task.path);
  } catch (e) {
    const err = imageReadError(task.name, e, 'image loader');
    return { ok: false, name: err.name, message: err.message };
  }
  if (isPng(bytes)) await loadPngCodec();
  return finish(bytes, task);
}
