// Where a built-in data set's files are looked for. Node-only (fs, path, process).
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError } from '../../tensor/errors.js';

/** Options every built-in data set's `load` accepts. */
export interface DatasetLocation {
  /**
   * The data set's folder (holding its files, e.g. `…/mnist/train-images-idx3-ubyte.gz`), or a
   * folder that contains it under the data set's name (`…/data` holding `mnist/`). When given, it is
   * the only place looked at.
   */
  dir?: string;
}

/** One place a data set may be, and why it is looked at. */
export interface Candidate {
  path: string;
  from: 'dir option' | 'NABLA_DATA' | 'default ../shared/data';
}

/** The inputs of the search, all explicit so tests can exercise each rule. */
export interface SearchContext {
  dir?: string | undefined;
  env?: string | undefined;
  cwd?: string;
}

/**
 * The folders looked at, in order, for the data set `name`:
 * 1. `dir` given: `dir` itself, then `dir/name` (nothing else);
 * 2. else `NABLA_DATA` set (a folder containing data set folders): `$NABLA_DATA/name`;
 * 3. else `../shared/data/name` relative to the current working directory.
 */
export function datasetCandidates(name: string, ctx: SearchContext = {}): Candidate[] {
  if (ctx.dir !== undefined && ctx.dir !== '') {
    const dir = resolve(ctx.cwd ?? process.cwd(), ctx.dir);
    return [
      { path: dir, from: 'dir option' },
      { path: join(dir, name), from: 'dir option' },
    ];
  }
  if (ctx.env !== undefined && ctx.env !== '') {
    return [{ path: join(resolve(ctx.cwd ?? process.cwd(), ctx.env), name), from: 'NABLA_DATA' }];
  }
  return [{ path: resolve(ctx.cwd ?? process.cwd(), '..', 'shared', 'data', name), from: 'default ../shared/data' }];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * A file of a data set, given as alternatives (e.g. the gzip original and an uncompressed copy):
 * the first that exists is used.
 */
export type FileSpec = string | readonly string[];

/** The located folder and the full path of each requested file, in the order requested. */
export interface Located {
  dir: string;
  files: string[];
}

/**
 * Finds the folder holding all of `files` for data set `name` (see datasetCandidates for the
 * order); throws a DataError listing every path tried when none has them all.
 */
export function locateDataset(name: string, files: readonly FileSpec[], options: DatasetLocation = {}, ctx: Omit<SearchContext, 'dir'> = {}): Located {
  const candidates = datasetCandidates(name, { dir: options.dir, env: ctx.env ?? process.env['NABLA_DATA'], cwd: ctx.cwd ?? process.cwd() });
  const tried: string[] = [];
  for (const c of candidates) {
    const found: string[] = [];
    const missing: string[] = [];
    for (const spec of files) {
      const alternatives = typeof spec === 'string' ? [spec] : spec;
      const hit = alternatives.map((f) => join(c.path, f)).find(isFile);
      if (hit !== undefined) found.push(hit);
      else missing.push(alternatives.join(' or '));
    }
    if (missing.length === 0) return { dir: c.path, files: found };
    const why = existsSync(c.path) ? `missing ${missing.join(', ')}` : 'no such folder';
    tried.push(`${c.path} (${c.from}: ${why})`);
  }
  throw new DataError(
    `${name}: data set not found. Tried: ${tried.join('; ')}. ` +
      `Pass {dir: '/path/to/${name}'}, or set NABLA_DATA to a folder that contains '${name}/' ` +
      '(downloading is not implemented yet).',
  );
}
