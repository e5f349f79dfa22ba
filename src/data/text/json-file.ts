// Saving and loading the tokenizers' JSON files: atomic writes (temporary file, then rename) and
// reads whose errors name the file. Node's fs is loaded lazily by io/files.ts.
import { atomicWrite, readFileOrThrow } from '../../io/files.js';
import { DataError } from '../../tensor/errors.js';

/** Writes `value` as pretty-printed JSON to `path`, atomically. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await atomicWrite(path, `${JSON.stringify(value, null, 1)}\n`);
}

/** Reads and parses a JSON file; missing files and malformed JSON are DataErrors naming `path`. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  const bytes = await readFileOrThrow(path, what);
  return parseJson(new TextDecoder('utf-8').decode(bytes), path, what);
}

/** JSON.parse whose syntax errors become DataErrors naming `source`. */
export function parseJson(text: string, source: string, what = 'JSON'): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DataError(`${source}: not valid JSON (${what}): ${(e as Error).message}`);
  }
}

/** A plain object, or a DataError saying what `source` should have been. */
export function expectObject(value: unknown, source: string, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DataError(`${source}: expected a JSON object (${what}), got ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as Record<string, unknown>;
}
