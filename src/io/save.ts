// save(model, dir): dir/weights.safetensors and dir/model.json, written atomically.
import type { Layer } from '../nn/layer.js';
import type { Model } from '../train/model.js';
import { defaultFileSystem, dirname, type FileSystem, joinPath, tempPathFor } from './files.js';
import { compileSpec, FORMAT_NAME, FORMAT_VERSION, MODEL_FILE, type ModelDocument, modelConfig, WEIGHTS_FILE } from './topology.js';
import { encodeWeights } from './weights.js';

export interface SaveOptions {
  /** Replace the file system (tests inject failing writers; other hosts can provide their own). */
  fileSystem?: FileSystem;
}

/** Hex SHA-256 of the bytes (WebCrypto: Node ≥ 20 and browsers). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Writes several files so that each is replaced whole: every file goes to a temporary name first;
 * only when all are written are they renamed, in order. On failure the temporaries are removed.
 */
async function commitFiles(files: readonly (readonly [string, Uint8Array | string])[], fs: FileSystem): Promise<void> {
  const staged: [string, string][] = [];
  try {
    for (const [path, data] of files) {
      const tmp = tempPathFor(path);
      staged.push([tmp, path]);
      await fs.writeFile(tmp, data);
    }
    while (staged.length > 0) {
      const [tmp, path] = staged[0]!;
      await fs.rename(tmp, path);
      staged.shift();
    }
  } catch (e) {
    for (const [tmp] of staged) await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/**
 * Saves a Sequential or functional model to the directory `dir` (created if needed): the topology
 * and compile settings in model.json, the weights in weights.safetensors (safetensors format,
 * named "layer/weight"). Writes are atomic; the weights go first and model.json records their size
 * and SHA-256, so a mismatched pair is detected on load. Load it back with loadModel(dir).
 */
export async function save(model: Model, dir: string, options: SaveOptions = {}): Promise<void> {
  // Everything that can fail for reasons of the model happens before the disk is touched.
  const { className, config } = modelConfig(model);
  const { bytes, names } = encodeWeights(model, { format: FORMAT_NAME, formatVersion: String(FORMAT_VERSION), model: model.name });
  const doc: ModelDocument = {
    format: FORMAT_NAME,
    formatVersion: FORMAT_VERSION,
    className,
    config,
    compileConfig: compileSpec(model),
    weights: { file: WEIGHTS_FILE, bytes: bytes.length, sha256: await sha256Hex(bytes), names },
  };
  const json = `${JSON.stringify(doc, null, 1)}\n`;
  const fs = options.fileSystem ?? (await defaultFileSystem());
  await fs.mkdir(dir, { recursive: true });
  await commitFiles(
    [
      [joinPath(dir, WEIGHTS_FILE), bytes],
      [joinPath(dir, MODEL_FILE), json],
    ],
    fs,
  );
}

/**
 * Saves only the weights of any model or layer (subclassed ones included) to one safetensors file,
 * atomically. Restore them into a model of the same structure with loadWeights(model, file).
 */
export async function saveWeights(model: Layer, file: string, options: SaveOptions = {}): Promise<void> {
  const { bytes } = encodeWeights(model, { format: FORMAT_NAME, formatVersion: String(FORMAT_VERSION), model: model.name });
  const fs = options.fileSystem ?? (await defaultFileSystem());
  await fs.mkdir(dirname(file), { recursive: true });
  await commitFiles([[file, bytes]], fs);
}
