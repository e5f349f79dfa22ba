// Where a built-in data set's files are looked for, and the per-user cache they are downloaded to.
// Node-only; node:fs and node:path are loaded lazily (see io/node-modules.ts).
//
// Order, for the data set `name` (every loader):
//   1. the `dir` option: `dir` itself, then `dir/name`;
//   2. `$NABLA_DATA/name` when NABLA_DATA is set — otherwise, as a convenience for working inside
//      this repository, `../shared/data/name` relative to the current directory (where the
//      project's CI and developers keep the data sets);
//   3. the per-user cache: `cacheDir` option, else `$NABLA_CACHE_DIR`, else
//      `$XDG_CACHE_HOME/nabla/datasets`, else `%LOCALAPPDATA%\nabla\datasets` (Windows), else
//      `~/.cache/nabla/datasets` — the folder holding `name/`;
//   4. when absent everywhere: download into the cache (see download.ts), unless `download: false`.
import { DataError } from '../../tensor/errors.js';
import { cwd as currentDir, env, nodeModules, nodeModulesSync } from '../../io/node-modules.js';
import { downloadDataset } from './download.js';
import { type DatasetManifest, MANIFESTS } from './manifest.js';
import type { ProgressOutput } from './progress.js';

/** Options every built-in data set's `load` accepts. */
export interface DatasetOptions {
  /**
   * The data set's folder (holding its files, e.g. `…/mnist/train-images-idx3-ubyte.gz`), or a
   * folder that contains it under the data set's name (`…/data` holding `mnist/`). Looked at first.
   */
  dir?: string;
  /** The cache folder holding `<name>/` (default: $NABLA_CACHE_DIR, else ~/.cache/nabla/datasets). */
  cacheDir?: string;
  /** Download into the cache when the files are nowhere else (default true). */
  download?: boolean;
  /**
   * Fetch from a mirror instead of the canonical sources: `${baseUrl}/${name}/${file}`, the layout
   * of ../shared/data (default: $NABLA_DATA_URL).
   */
  baseUrl?: string;
  /** 1 (default): a progress bar on a terminal, one line otherwise; 0: silent. */
  verbose?: 0 | 1;
  /** Where the progress goes (default process.stderr). */
  progressOutput?: ProgressOutput;
  /** Replaces the built-in manifest (files, URLs, sha256) — for tests and private mirrors. */
  manifest?: DatasetManifest;
  /** Abort a download after this many milliseconds without data (default 60,000). */
  timeoutMs?: number;
}

/** The older name of DatasetOptions. */
export type DatasetLocation = DatasetOptions;

/** One place a data set may be, and why it is looked at. */
export interface Candidate {
  path: string;
  from: 'dir option' | 'NABLA_DATA' | 'default ../shared/data' | 'cache';
}

/** The inputs of the search, all explicit so tests can exercise each rule. */
export interface SearchContext {
  dir?: string | undefined;
  env?: string | undefined;
  cwd?: string;
  /** The cache folder (holding `<name>/`); omitted: no cache candidate. */
  cache?: string | undefined;
}

/**
 * The per-user cache folder that holds the data set folders: `cacheDir`, else $NABLA_CACHE_DIR,
 * else $XDG_CACHE_HOME/nabla/datasets, else %LOCALAPPDATA%/nabla/datasets on Windows, else
 * ~/.cache/nabla/datasets.
 */
export function cacheRoot(cacheDir?: string): string {
  const { path, os } = nodeModulesSync();
  if (cacheDir !== undefined && cacheDir !== '') return path.resolve(cacheDir);
  const explicit = env('NABLA_CACHE_DIR');
  if (explicit !== undefined) return path.resolve(explicit);
  const xdg = env('XDG_CACHE_HOME');
  if (xdg !== undefined) return path.join(path.resolve(xdg), 'nabla', 'datasets');
  const local = os.platform() === 'win32' ? env('LOCALAPPDATA') : undefined;
  if (local !== undefined) return path.join(local, 'nabla', 'datasets');
  return path.join(os.homedir(), '.cache', 'nabla', 'datasets');
}

/** The folders looked at, in order, for the data set `name` (see the top of this file). */
export function datasetCandidates(name: string, ctx: SearchContext = {}): Candidate[] {
  const { path } = nodeModulesSync();
  const base = ctx.cwd ?? currentDir();
  const out: Candidate[] = [];
  if (ctx.dir !== undefined && ctx.dir !== '') {
    const dir = path.resolve(base, ctx.dir);
    out.push({ path: dir, from: 'dir option' }, { path: path.join(dir, name), from: 'dir option' });
  }
  if (ctx.env !== undefined && ctx.env !== '') out.push({ path: path.join(path.resolve(base, ctx.env), name), from: 'NABLA_DATA' });
  else out.push({ path: path.resolve(base, '..', 'shared', 'data', name), from: 'default ../shared/data' });
  if (ctx.cache !== undefined && ctx.cache !== '') out.push({ path: path.join(path.resolve(base, ctx.cache), name), from: 'cache' });
  return out;
}

/**
 * A file of a data set, given as alternatives (e.g. the gzip original and an uncompressed copy):
 * the first that exists is used. A name ending in '/' is a folder that must exist.
 */
export type FileSpec = string | readonly string[];

/** The located folder and the full path of each requested file, in the order requested. */
export interface Located {
  dir: string;
  files: string[];
  from: Candidate['from'];
}

function present(p: string, wantDir: boolean): boolean {
  try {
    const s = nodeModulesSync().fs.statSync(p);
    return wantDir ? s.isDirectory() : s.isFile();
  } catch {
    return false;
  }
}

/** Looks for all of `files` in each candidate; returns the first complete one, and what was tried. */
export function findIn(candidates: readonly Candidate[], files: readonly FileSpec[]): { found: Located | null; tried: string[] } {
  const { path, fs } = nodeModulesSync();
  const tried: string[] = [];
  for (const c of candidates) {
    const found: string[] = [];
    const missing: string[] = [];
    for (const spec of files) {
      const alternatives = typeof spec === 'string' ? [spec] : spec;
      const hit = alternatives.map((f) => ({ p: path.join(c.path, f), dir: f.endsWith('/') })).find((a) => present(a.p, a.dir));
      if (hit !== undefined) found.push(hit.p);
      else missing.push(alternatives.join(' or '));
    }
    if (missing.length === 0) return { found: { dir: c.path, files: found, from: c.from }, tried };
    const why = fs.existsSync(c.path) ? `missing ${missing.join(', ')}` : 'no such folder';
    tried.push(`${c.path} (${c.from}: ${why})`);
  }
  return { found: null, tried };
}

function notFound(name: string, tried: readonly string[], why: string): DataError {
  return new DataError(
    `${name}: data set not found. Tried: ${tried.join('; ')}. ${why} ` +
      `Pass {dir: '/path/to/${name}'}, set NABLA_DATA to a folder that contains '${name}/', or allow the download into the cache.`,
  );
}

/**
 * Finds the folder holding all of `files` for data set `name` without downloading (see the top of
 * this file for the order, the cache included); throws a DataError listing every path tried.
 * Synchronous: needs Node >= 20.16 or an earlier async loader call (see io/node-modules.ts).
 */
export function locateDataset(name: string, files: readonly FileSpec[], options: DatasetOptions = {}, ctx: Omit<SearchContext, 'dir'> = {}): Located {
  const candidates = datasetCandidates(name, {
    dir: options.dir,
    env: ctx.env ?? env('NABLA_DATA'),
    cwd: ctx.cwd ?? currentDir(),
    cache: ctx.cache ?? cacheRoot(options.cacheDir),
  });
  const { found, tried } = findIn(candidates, files);
  if (found !== null) return found;
  throw notFound(name, tried, '(No download attempted.)');
}

/**
 * Finds the data set like locateDataset and, when it is absent everywhere and `download` is not
 * false, downloads it into the cache from its canonical source (or `baseUrl` / $NABLA_DATA_URL)
 * with sha256 checks, then returns the cached copy.
 */
export async function resolveDataset(name: string, files: readonly FileSpec[], options: DatasetOptions = {}): Promise<Located> {
  const m = await nodeModules();
  const cache = cacheRoot(options.cacheDir);
  const candidates = datasetCandidates(name, { dir: options.dir, env: env('NABLA_DATA'), cwd: currentDir(), cache });
  const first = findIn(candidates, files);
  if (first.found !== null) return first.found;
  if (options.download === false) throw notFound(name, first.tried, 'Downloading is disabled (download: false).');
  const manifest = options.manifest ?? MANIFESTS[name];
  if (manifest === undefined) throw notFound(name, first.tried, 'There is no download source for it.');
  const target = m.path.join(cache, name);
  await downloadDataset(manifest, target, {
    baseUrl: options.baseUrl ?? env('NABLA_DATA_URL'),
    verbose: options.verbose ?? 1,
    progressOutput: options.progressOutput,
    timeoutMs: options.timeoutMs,
  });
  const again = findIn([{ path: target, from: 'cache' }], files);
  if (again.found !== null) return again.found;
  throw notFound(name, [...first.tried, ...again.tried], `The download into ${target} finished but did not provide every file (check the manifest).`);
}
