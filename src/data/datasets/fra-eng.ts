// English–French sentence pairs (Tatoeba via manythings.org, 2017-09-29; CC BY 2.0, attribution
// www.manythings.org/anki and tatoeba.org). Node-only.
import { DataError, ValueError } from '../../tensor/errors.js';
import { gunzip, isGzip } from './idx.js';
import { type DatasetOptions, resolveDataset } from './locate.js';
import { nodeModules } from '../../io/node-modules.js';

export interface FraEngOptions extends DatasetOptions {
  /** Only the first `maxPairs` pairs (the file is roughly sorted by length, shortest first). */
  maxPairs?: number;
  /**
   * Replace the French typographic spaces (U+202F narrow no-break space, U+00A0 no-break space,
   * U+2009 thin space) with a plain space and drop U+200B and U+00AD (default false: text as stored).
   */
  normalizeSpaces?: boolean;
}

export interface FraEngData {
  /** [english, french] per line. */
  pairs: [string, string][];
  english: string[];
  french: string[];
}

/** Parses fra.txt: `English<TAB>French` per line, LF endings; a line without exactly one TAB is a DataError. */
export function parseSentencePairs(text: string, file: string, maxPairs = Infinity, normalizeSpaces = false): FraEngData {
  const pairs: [string, string][] = [];
  let start = 0;
  let line = 0;
  while (start < text.length && pairs.length < maxPairs) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    let row = text.slice(start, end);
    start = end + 1;
    if (row.endsWith('\r')) row = row.slice(0, -1);
    if (row === '') continue;
    const fields = row.split('\t');
    if (fields.length !== 2) throw new DataError(`${file}: line ${line} has ${fields.length} TAB-separated fields, expected 2 (English, French)`);
    let fr = fields[1]!;
    if (normalizeSpaces) fr = fr.replace(/[\u202f\u00a0\u2009]/g, ' ').replace(/[\u200b\u00ad]/g, '');
    pairs.push([fields[0]!, fr]);
  }
  return { pairs, english: pairs.map((p) => p[0]), french: pairs.map((p) => p[1]) };
}

/**
 * English–French pairs. `await fraEng.load()` reads `fra.txt.gz` (or `fra.txt`) from `dir`, else
 * `$NABLA_DATA/tatoeba-fra-eng` (else `../shared/data/tatoeba-fra-eng`), else the cache, else
 * downloads the original `fra-eng.zip` and stores its `fra.txt` (see locate.ts). 142,787 pairs.
 */
export const fraEng = {
  name: 'tatoeba-fra-eng',
  async load(options: FraEngOptions = {}): Promise<FraEngData> {
    const max = options.maxPairs ?? Infinity;
    if (!(max >= 0)) throw new ValueError(`fraEng.load: maxPairs must be >= 0, got ${max}`);
    const { files } = await resolveDataset('tatoeba-fra-eng', [['fra.txt.gz', 'fra.txt']], options);
    const path = files[0]!;
    let bytes: Uint8Array = await (await nodeModules()).fsp.readFile(path);
    if (isGzip(bytes)) bytes = gunzip(bytes, path);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new DataError(`${path}: not valid UTF-8`);
    }
    return parseSentencePairs(text, path, max, options.normalizeSpaces ?? false);
  },
};
