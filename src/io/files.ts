// File-system access for saving and loading (Node only). `node:fs` is loaded lazily, on first use
// (see node-modules.ts), so that importing nabla in a browser never touches it. Every write that persists state is atomic:
// the bytes go to a temporary file in the same directory, which is then renamed over the target.
import { DataError } from '../tensor/errors.js';
import { nodeModules } from './node-modules.js';

/** The subset of `node:fs/promises` that saving and loading use; tests inject failing ones. */
export interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  stat(path: string): Promise<{ isDirectory(): boolean; isFile(): boolean; size: number }>;
}

let nodeFs: FileSystem | null = null;

/** The real file system (node:fs/promises), loaded on first use. */
export async function defaultFileSystem(): Promise<FileSystem> {
  if (nodeFs === null) {
    const fs = (await nodeModules('Saving and loading files')).fsp;
    nodeFs = {
      readFile: (p) => fs.readFile(p),
      writeFile: (p, d) => fs.writeFile(p, d),
      rename: (a, b) => fs.rename(a, b),
      rm: (p, o) => fs.rm(p, o),
      mkdir: (p, o) => fs.mkdir(p, o),
      stat: (p) => fs.stat(p),
    };
  }
  return nodeFs;
}

/** Joins path segments with '/' (accepted by Node on every platform). */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') || dir.endsWith('\\') ? `${dir}${name}` : `${dir}/${name}`;
}

function splitPath(path: string): { dir: string; base: string } {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? { dir: '.', base: path } : { dir: path.slice(0, i) || '/', base: path.slice(i + 1) };
}

/** The directory part of a path ('.' when there is none). */
export function dirname(path: string): string {
  return splitPath(path).dir;
}

let tempCounter = 0;

/** A temporary name beside `path` (same directory, so the final rename is atomic). */
export function tempPathFor(path: string): string {
  const { dir, base } = splitPath(path);
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
  return joinPath(dir, `.${base}.tmp-${pid}-${Date.now().toString(36)}-${(tempCounter++).toString(36)}`);
}

/** Whether a name is one of our temporary files (for tests and cleanup). */
export function isTempName(name: string): boolean {
  return /^\..+\.tmp-\d+-[0-9a-z]+-[0-9a-z]+$/.test(name);
}

/**
 * Writes `data` to a temporary file, then renames it over `path`; on any failure removes the
 * temporary file and rethrows, so `path` holds either its old content or the new, never a part.
 */
export async function atomicWrite(path: string, data: Uint8Array | string, fs?: FileSystem): Promise<void> {
  const f = fs ?? (await defaultFileSystem());
  const tmp = tempPathFor(path);
  try {
    await f.writeFile(tmp, data);
    await f.rename(tmp, path);
  } catch (e) {
    await f.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** Reads a whole file; a missing or unreadable file becomes a DataError naming it. */
export async function readFileOrThrow(path: string, what: string, fs?: FileSystem): Promise<Uint8Array> {
  const f = fs ?? (await defaultFileSystem());
  try {
    return await f.readFile(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new DataError(`${path}: file not found (${what})`);
    if (code === 'EISDIR') throw new DataError(`${path}: is a directory, expected ${what}`);
    throw new DataError(`${path}: cannot read ${what}: ${(e as Error).message}`);
  }
}

/** Whether `path` exists (any kind of entry). */
export async function exists(path: string, fs?: FileSystem): Promise<boolean> {
  const f = fs ?? (await defaultFileSystem());
  try {
    await f.stat(path);
    return true;
  } catch {
    return false;
  }
}
