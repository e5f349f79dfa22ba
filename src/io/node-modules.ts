// Lazy access to Node's built-in modules, shared by everything that reads files, lists folders,
// downloads or starts worker threads (io/files.ts, data/datasets/*, data/image/*, data/worker-pool.ts).
// Nothing here imports a `node:` module at the top level, so `src/index.ts` stays bundlable for
// browsers: the modules are fetched on first use with `process.getBuiltinModule` (Node ≥ 20.16) or,
// failing that, a dynamic `import()` whose specifier is computed, so bundlers neither follow nor
// reject it. The `import type`s below are erased at compile time.
import type * as Fs from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import type * as Path from 'node:path';
import type * as Os from 'node:os';
import type * as Zlib from 'node:zlib';
import type * as Crypto from 'node:crypto';
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Stream from 'node:stream';
import type * as Url from 'node:url';
import type * as WorkerThreads from 'node:worker_threads';
import type * as Module from 'node:module';

export interface NodeModules {
  fs: typeof Fs;
  fsp: typeof FsPromises;
  path: typeof Path;
  os: typeof Os;
  zlib: typeof Zlib;
  crypto: typeof Crypto;
  http: typeof Http;
  https: typeof Https;
  stream: typeof Stream;
  url: typeof Url;
  workerThreads: typeof WorkerThreads;
  module: typeof Module;
}

const IDS: Record<keyof NodeModules, string> = {
  fs: 'fs',
  fsp: 'fs/promises',
  path: 'path',
  os: 'os',
  zlib: 'zlib',
  crypto: 'crypto',
  http: 'http',
  https: 'https',
  stream: 'stream',
  url: 'url',
  workerThreads: 'worker_threads',
  module: 'module',
};

/** What needs Node when the caller does not say: the wording the data set loaders always used. */
const DEFAULT_WHAT = 'The built-in data sets read and download files and';

let cached: NodeModules | null = null;

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

function nodeProcess(): NodeProcess | undefined {
  return (globalThis as { process?: NodeProcess }).process;
}

/** True when running in Node.js (false in browsers and other runtimes without `process.versions.node`). */
export function isNode(): boolean {
  return typeof nodeProcess()?.versions?.node === 'string';
}

function fromGetBuiltinModule(): NodeModules | null {
  const get = nodeProcess()?.getBuiltinModule;
  if (typeof get !== 'function') return null;
  const out: Partial<Record<keyof NodeModules, unknown>> = {};
  for (const [key, id] of Object.entries(IDS)) out[key as keyof NodeModules] = get(`node:${id}`);
  return out as NodeModules;
}

function notNode(what: string): Error {
  return new Error(`${what} need Node.js; they are not available in a browser.`);
}

/**
 * The Node modules, synchronously: through `process.getBuiltinModule`, or from an earlier
 * `nodeModules()` call. Throws when neither is available (a browser, or Node < 20.16 before any
 * async loader ran). `what` starts the error message ("<what> need Node.js …").
 */
export function nodeModulesSync(what: string = DEFAULT_WHAT): NodeModules {
  if (cached !== null) return cached;
  cached = fromGetBuiltinModule();
  if (cached !== null) return cached;
  if (!isNode()) throw notNode(what);
  throw new Error(
    'This synchronous function needs Node.js >= 20.16 (process.getBuiltinModule); call an async loader first (e.g. `await datasets.iris.load()` or `await nb.image.loadImage(path)`), or upgrade Node.',
  );
}

/** The Node modules, loading them on first use. `what` as for nodeModulesSync. */
export async function nodeModules(what: string = DEFAULT_WHAT): Promise<NodeModules> {
  if (cached !== null) return cached;
  cached = fromGetBuiltinModule();
  if (cached !== null) return cached;
  if (!isNode()) throw notNode(what);
  const out: Partial<Record<keyof NodeModules, unknown>> = {};
  for (const [key, id] of Object.entries(IDS)) {
    const specifier = `node:${id}`;
    out[key as keyof NodeModules] = await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
  }
  cached = out as NodeModules;
  return cached;
}

/** An environment variable, or undefined outside Node or when unset/empty. */
export function env(name: string): string | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  return value === undefined || value === '' ? undefined : value;
}

/** The current working directory (Node), '.' elsewhere. */
export function cwd(): string {
  const p = (globalThis as { process?: { cwd?: () => string } }).process;
  return typeof p?.cwd === 'function' ? p.cwd() : '.';
}
