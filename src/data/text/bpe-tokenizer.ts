// Byte-level byte-pair encoding (as GPT-2): the base alphabet is the 256 byte values of UTF-8, so
// every string encodes without an unknown token and decode(encode(s)) === s exactly. Chosen over
// character-level BPE because a character alphabet depends on the training corpus (a character
// never seen becomes unknown, and the round trip breaks); byte-level needs no such fallback.
//
// Ids: the special tokens first (0 … k−1, e.g. '<pad>' at 0 to match padSequences), then the 256
// bytes (k … k+255), then one id per learned merge, in the order learned.
//
// Text is first split into chunks by GPT-2's pre-tokenization pattern (contractions, optional
// space + letters, optional space + digits, optional space + other symbols, whitespace), so merges
// never cross a chunk boundary; the chunks concatenate back to the text.
import { DataError, ValueError } from '../../tensor/errors.js';
import { expectObject, parseJson, readJsonFile, writeJsonFile } from './json-file.js';
import { loneSurrogateIndex } from './standardize.js';

export interface BpeTrainOptions {
  /** Final vocabulary size: special tokens + 256 bytes + merges. Training stops earlier when no pair is frequent enough. */
  vocabSize: number;
  /** A pair must occur at least this many times in the corpus to be merged (default 2). */
  minFrequency?: number;
  /** Tokens kept whole, never split or merged (e.g. '<pad>', '<|endoftext|>'); ids 0 … k−1. */
  specialTokens?: readonly string[];
}

/** The JSON form written by `save` / read by `load`. Merges are pairs of ids. */
export interface BpeJSON {
  format: 'nabla-bpe';
  version: 1;
  level: 'byte';
  specialTokens: string[];
  merges: [number, number][];
}

const PRETOKENIZE = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
/** Pair keys a·2^21 + b stay exact in a double for ids below 2^21. */
const KEY = 2 ** 21;
const MAX_VOCAB = KEY;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Splits text into pre-tokenization chunks; their concatenation is the text. */
export function pretokenize(text: string): string[] {
  return text.match(PRETOKENIZE) ?? [];
}

function checkText(text: string, what: string): void {
  if (typeof text !== 'string') throw new ValueError(`${what}: expected a string, got ${text === null ? 'null' : typeof text}`);
  const bad = loneSurrogateIndex(text);
  if (bad >= 0) {
    throw new ValueError(`${what}: the text has a lone UTF-16 surrogate at index ${bad}, which UTF-8 cannot represent (it would not round-trip)`);
  }
}

/** A byte-level BPE tokenizer; create one with `BpeTokenizer.train` or `BpeTokenizer.load`. */
export class BpeTokenizer {
  readonly specialTokens: readonly string[];
  /** Learned merges in order: merge i makes id `specialTokens.length + 256 + i` from the pair. */
  readonly merges: readonly (readonly [number, number])[];
  private readonly byteBase: number;
  private readonly bytesOf: Uint8Array[]; // id → bytes
  private readonly rank = new Map<number, number>(); // pair key → merge index
  private readonly specialIds = new Map<string, number>();
  private readonly specialPattern: RegExp | null;
  private readonly cache = new Map<string, number[]>();

  constructor(merges: readonly (readonly [number, number])[], specialTokens: readonly string[] = [], source = 'BpeTokenizer') {
    const Err = source === 'BpeTokenizer' ? ValueError : DataError;
    specialTokens.forEach((t, i) => {
      if (typeof t !== 'string' || t.length === 0) throw new Err(`${source}: special token ${i} must be a non-empty string`);
      checkText(t, source);
      if (this.specialIds.has(t)) throw new Err(`${source}: special token ${JSON.stringify(t)} appears twice`);
      this.specialIds.set(t, i);
    });
    this.specialTokens = Object.freeze([...specialTokens]);
    this.byteBase = specialTokens.length;
    this.bytesOf = specialTokens.map((t) => encoder.encode(t));
    for (let b = 0; b < 256; b++) this.bytesOf.push(Uint8Array.of(b));
    const total = this.byteBase + 256 + merges.length;
    if (total > MAX_VOCAB) throw new Err(`${source}: vocabulary of ${total} ids exceeds the supported ${MAX_VOCAB}`);
    merges.forEach((m, i) => {
      const id = this.byteBase + 256 + i;
      const ok = Array.isArray(m) && m.length === 2 && m.every((x) => Number.isInteger(x) && x >= this.byteBase && x < id);
      if (!ok) throw new Err(`${source}: merge ${i} must be a pair of non-special ids below ${id}, got ${JSON.stringify(m)}`);
      const key = m[0] * KEY + m[1];
      if (this.rank.has(key)) throw new Err(`${source}: merge ${i} repeats the pair ${JSON.stringify(m)}`);
      this.rank.set(key, i);
      const a = this.bytesOf[m[0]]!;
      const b = this.bytesOf[m[1]]!;
      const bytes = new Uint8Array(a.length + b.length);
      bytes.set(a);
      bytes.set(b, a.length);
      this.bytesOf.push(bytes);
    });
    this.merges = Object.freeze(merges.map((m) => Object.freeze([m[0], m[1]] as [number, number])));
    // Longest special token first, so '<a><b>' style overlaps pick the longer one.
    const escaped = [...specialTokens].sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.specialPattern = escaped.length === 0 ? null : new RegExp(escaped.join('|'), 'g');
  }

  /** Total number of ids: special tokens + 256 bytes + merges. */
  get vocabSize(): number {
    return this.bytesOf.length;
  }

  /**
   * Learns merges from `texts`: repeatedly merges the most frequent adjacent pair of ids inside the
   * pre-tokenized chunks. Ties are broken deterministically by the smaller (left id, right id)
   * pair, so the same corpus and options always give the same tokenizer.
   */
  static train(texts: Iterable<string>, options: BpeTrainOptions): BpeTokenizer {
    const what = 'BpeTokenizer.train';
    if (typeof texts === 'string') throw new ValueError(`${what}: expected a list of texts, got a single string (wrap it in [ ])`);
    const specials = options.specialTokens ?? [];
    const minFrequency = options.minFrequency ?? 2;
    const { vocabSize } = options;
    const base = specials.length + 256;
    if (!Number.isInteger(vocabSize) || vocabSize < base || vocabSize > MAX_VOCAB) {
      throw new ValueError(`${what}: vocabSize must be an integer in [${base}, ${MAX_VOCAB}] (${specials.length} special tokens + 256 bytes + merges), got ${String(vocabSize)}`);
    }
    if (!Number.isInteger(minFrequency) || minFrequency < 1) throw new ValueError(`${what}: minFrequency must be a positive integer, got ${String(minFrequency)}`);
    const empty = new BpeTokenizer([], specials); // validates the special tokens

    // Chunk frequencies (special tokens are cut out first and never take part in merges).
    const chunkFreq = new Map<string, number>();
    let n = 0;
    for (const text of texts) {
      checkText(text, `${what}: text ${n}`);
      n++;
      for (const piece of empty.splitSpecial(text)) {
        if (typeof piece === 'number') continue;
        for (const c of pretokenize(piece)) chunkFreq.set(c, (chunkFreq.get(c) ?? 0) + 1);
      }
    }
    const words: number[][] = [];
    const freqs: number[] = [];
    for (const [c, f] of chunkFreq) {
      const bytes = encoder.encode(c);
      if (bytes.length < 2) continue; // no pairs
      words.push(Array.from(bytes, (b) => b + specials.length));
      freqs.push(f);
    }

    const pairCount = new Map<number, number>();
    const pairWords = new Map<number, Set<number>>();
    const addPairs = (w: number, sign: number): void => {
      const ids = words[w]!;
      const f = freqs[w]! * sign;
      for (let i = 0; i + 1 < ids.length; i++) {
        const key = ids[i]! * KEY + ids[i + 1]!;
        const c = (pairCount.get(key) ?? 0) + f;
        if (c === 0) pairCount.delete(key);
        else pairCount.set(key, c);
        if (sign > 0) {
          let set = pairWords.get(key);
          if (set === undefined) pairWords.set(key, (set = new Set()));
          set.add(w);
        }
      }
    };
    for (let w = 0; w < words.length; w++) addPairs(w, 1);

    const merges: [number, number][] = [];
    while (base + merges.length < vocabSize) {
      let bestKey = -1;
      let bestCount = 0;
      for (const [key, c] of pairCount) {
        if (c > bestCount || (c === bestCount && key < bestKey)) {
          bestKey = key;
          bestCount = c;
        }
      }
      if (bestKey < 0 || bestCount < minFrequency) break;
      const a = Math.floor(bestKey / KEY);
      const b = bestKey % KEY;
      const id = base + merges.length;
      merges.push([a, b]);
      const affected = pairWords.get(bestKey)!;
      pairWords.delete(bestKey);
      for (const w of affected) {
        const ids = words[w]!;
        let has = false;
        for (let i = 0; i + 1 < ids.length && !has; i++) has = ids[i] === a && ids[i + 1] === b;
        if (!has) continue; // stale entry: an earlier merge removed the pair from this word
        addPairs(w, -1);
        words[w] = mergePair(ids, a, b, id);
        addPairs(w, 1);
      }
    }
    return new BpeTokenizer(merges, specials);
  }

  /** Splits text around special tokens: strings for ordinary text, ids for special tokens. */
  private splitSpecial(text: string): (string | number)[] {
    if (this.specialPattern === null) return text.length > 0 ? [text] : [];
    const out: (string | number)[] = [];
    let last = 0;
    for (const m of text.matchAll(this.specialPattern)) {
      if (m.index! > last) out.push(text.slice(last, m.index));
      out.push(this.specialIds.get(m[0])!);
      last = m.index! + m[0].length;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  /** Applies the learned merges to one chunk, lowest rank first (the order they were learned). */
  private encodeChunk(chunk: string): number[] {
    const hit = this.cache.get(chunk);
    if (hit !== undefined) return hit;
    let ids = Array.from(encoder.encode(chunk), (b) => b + this.byteBase);
    while (ids.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < ids.length; i++) {
        const r = this.rank.get(ids[i]! * KEY + ids[i + 1]!);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      ids = mergePair(ids, ids[best]!, ids[best + 1]!, this.byteBase + 256 + bestRank);
    }
    if (this.cache.size >= 50_000) this.cache.clear();
    this.cache.set(chunk, ids);
    return ids;
  }

  /** Token ids of `text`; special tokens appearing in the text map to their ids. */
  encode(text: string): number[] {
    checkText(text, 'BpeTokenizer.encode');
    const out: number[] = [];
    for (const piece of this.splitSpecial(text)) {
      if (typeof piece === 'number') out.push(piece);
      else for (const c of pretokenize(piece)) for (const id of this.encodeChunk(c)) out.push(id);
    }
    return out;
  }

  /**
   * The text of `ids`: their bytes concatenated and decoded as UTF-8. decode(encode(s)) === s for
   * every well-formed string; a sequence cut inside a multi-byte character decodes to U+FFFD there.
   */
  decode(ids: ArrayLike<number>): string {
    let len = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const bytes = Number.isInteger(id) ? this.bytesOf[id] : undefined;
      if (bytes === undefined) throw new ValueError(`BpeTokenizer.decode: id ${id} at position ${i} is outside the vocabulary [0, ${this.vocabSize})`);
      len += bytes.length;
    }
    const buf = new Uint8Array(len);
    let o = 0;
    for (let i = 0; i < ids.length; i++) {
      const bytes = this.bytesOf[ids[i]!]!;
      buf.set(bytes, o);
      o += bytes.length;
    }
    return decoder.decode(buf);
  }

  /** The bytes an id stands for. */
  tokenBytes(id: number): Uint8Array {
    const bytes = Number.isInteger(id) ? this.bytesOf[id] : undefined;
    if (bytes === undefined) throw new ValueError(`BpeTokenizer.tokenBytes: id ${id} is outside the vocabulary [0, ${this.vocabSize})`);
    return bytes.slice();
  }

  /** The id whose bytes are exactly the UTF-8 of `token` (a special token, a byte or a merge), or undefined. */
  tokenToId(token: string): number | undefined {
    const special = this.specialIds.get(token);
    if (special !== undefined) return special;
    const ids = this.encode(token);
    return ids.length === 1 ? ids[0] : undefined;
  }

  toJSON(): BpeJSON {
    return { format: 'nabla-bpe', version: 1, level: 'byte', specialTokens: [...this.specialTokens], merges: this.merges.map((m) => [m[0], m[1]]) };
  }

  /** Rebuilds a tokenizer from `toJSON()` output (or its JSON text); `source` names it in errors. */
  static fromJSON(json: unknown, source = 'BPE tokenizer JSON'): BpeTokenizer {
    const obj = expectObject(typeof json === 'string' ? parseJson(json, source) : json, source, 'a saved BPE tokenizer');
    if (obj['format'] !== 'nabla-bpe' || obj['version'] !== 1 || obj['level'] !== 'byte') {
      throw new DataError(
        `${source}: not a nabla byte-level BPE file (format ${JSON.stringify(obj['format'])}, version ${JSON.stringify(obj['version'])}, level ${JSON.stringify(obj['level'])})`,
      );
    }
    const specials = obj['specialTokens'];
    const merges = obj['merges'];
    if (!Array.isArray(specials)) throw new DataError(`${source}: specialTokens must be an array of strings`);
    if (!Array.isArray(merges)) throw new DataError(`${source}: merges must be an array of [id, id] pairs`);
    return new BpeTokenizer(merges as [number, number][], specials as string[], source);
  }

  /** Writes the tokenizer as JSON to `path`, atomically (temporary file, then rename). */
  async save(path: string): Promise<void> {
    await writeJsonFile(path, this.toJSON());
  }

  /** Reads a tokenizer written by `save`; a malformed file is a DataError naming it. */
  static async load(path: string): Promise<BpeTokenizer> {
    return BpeTokenizer.fromJSON(await readJsonFile(path, 'a saved BPE tokenizer'), path);
  }
}

/** Replaces every non-overlapping occurrence (left to right) of the pair (a, b) by `id`. */
function mergePair(ids: readonly number[], a: number, b: number, id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
      out.push(id);
      i++;
    } else out.push(ids[i]!);
  }
  return out;
}
