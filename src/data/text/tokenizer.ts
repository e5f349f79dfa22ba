// Vocabulary tokenizers in the manner of Keras' legacy `Tokenizer`: word level (WordTokenizer) and
// character level (CharTokenizer). `fitOnTexts` counts tokens; ids are assigned by descending count
// (ties: first appearance, as Keras), starting at 1 — id 0 is reserved for padding, and the
// out-of-vocabulary token, when given, takes id 1.
import { DataError, ValueError } from '../../tensor/errors.js';
import { expectObject, parseJson, readJsonFile, writeJsonFile } from './json-file.js';
import { DEFAULT_FILTERS, replaceCharacters, splitCharacters, splitWhitespace } from './standardize.js';

export type TokenizerLevel = 'word' | 'char';

export interface TokenizerOptions {
  /**
   * Largest id + 1: only the `maxTokens - 1` most frequent tokens (the OOV token included) get ids,
   * so every id in a sequence is below `maxTokens` (Keras' `num_words`). Default: no limit.
   */
  maxTokens?: number | null;
  /** Token that stands for every unknown token (id 1). Without one, unknown tokens are dropped (as Keras). */
  oovToken?: string | null;
  /** Lowercase before tokenizing. Default true for words, false for characters. */
  lower?: boolean;
  /**
   * Characters to strip, each replaced by a space (word level) or removed (character level):
   * true for Keras' default set (DEFAULT_FILTERS: ASCII punctuation without the apostrophe, tab
   * and newline), a string for exactly those characters, false for none. Default true for words,
   * false for characters.
   */
  stripPunctuation?: boolean | string;
  /** Word separator (word level). Default: runs of whitespace. */
  split?: string | null;
}

/** The JSON form written by `save` and read by `load` / `fromJSON`. */
export interface TokenizerJSON {
  format: 'nabla-tokenizer';
  version: 1;
  level: TokenizerLevel;
  config: { maxTokens: number | null; oovToken: string | null; lower: boolean; filters: string; split: string | null };
  /** [token, count] in order of first appearance. */
  wordCounts: [string, number][];
  /** [token, number of documents containing it], same order. */
  documentCounts: [string, number][];
  documentCount: number;
}

function checkTexts(texts: Iterable<string>, what: string): string[] {
  if (typeof texts === 'string') throw new ValueError(`${what}: expected a list of texts, got a single string (wrap it in [ ])`);
  const list = Array.from(texts);
  list.forEach((t, i) => {
    if (typeof t !== 'string') throw new ValueError(`${what}: text ${i} is ${t === null ? 'null' : typeof t}, expected a string`);
  });
  return list;
}

/** A fitted vocabulary over words or characters; see WordTokenizer and CharTokenizer. */
export class Tokenizer {
  readonly level: TokenizerLevel;
  readonly maxTokens: number | null;
  readonly oovToken: string | null;
  readonly lower: boolean;
  /** The characters stripped before splitting ('' for none). */
  readonly filters: string;
  readonly split: string | null;
  /** How many texts fitOnTexts has seen. */
  documentCount = 0;
  private readonly counts = new Map<string, number>();
  private readonly docCounts = new Map<string, number>();
  private index = new Map<string, number>();
  private tokens: string[] = [''];

  constructor(level: TokenizerLevel, options: TokenizerOptions = {}) {
    const what = level === 'word' ? 'WordTokenizer' : 'CharTokenizer';
    if (level !== 'word' && level !== 'char') throw new ValueError(`Tokenizer: level must be 'word' or 'char', got ${String(level)}`);
    this.level = level;
    const max = options.maxTokens ?? null;
    if (max !== null && (!Number.isInteger(max) || max < 2)) {
      throw new ValueError(`${what}: maxTokens must be an integer ≥ 2 (id 0 is padding), got ${String(max)}`);
    }
    this.maxTokens = max;
    const oov = options.oovToken ?? null;
    if (oov !== null && (typeof oov !== 'string' || oov.length === 0)) {
      throw new ValueError(`${what}: oovToken must be a non-empty string or null, got ${JSON.stringify(oov)}`);
    }
    this.oovToken = oov;
    this.lower = options.lower ?? level === 'word';
    if (typeof this.lower !== 'boolean') throw new ValueError(`${what}: lower must be a boolean, got ${String(options.lower)}`);
    const strip = options.stripPunctuation ?? level === 'word';
    if (typeof strip !== 'boolean' && typeof strip !== 'string') {
      throw new ValueError(`${what}: stripPunctuation must be a boolean or a string of characters, got ${String(strip)}`);
    }
    this.filters = strip === true ? DEFAULT_FILTERS : strip === false ? '' : strip;
    const split = options.split ?? null;
    if (split !== null && (typeof split !== 'string' || split.length === 0)) {
      throw new ValueError(`${what}: split must be a non-empty string or null (whitespace), got ${JSON.stringify(split)}`);
    }
    this.split = split;
  }

  /** The tokens of one text after lowercasing and stripping (no vocabulary lookup). */
  tokenize(text: string): string[] {
    let t = this.lower ? text.toLowerCase() : text;
    if (this.level === 'char') return splitCharacters(replaceCharacters(t, this.filters, ''));
    t = replaceCharacters(t, this.filters, this.split ?? ' ');
    return this.split === null ? splitWhitespace(t) : t.split(this.split).filter((w) => w.length > 0);
  }

  /** Counts the tokens of `texts` (adding to earlier calls) and rebuilds the vocabulary. */
  fitOnTexts(texts: Iterable<string>): this {
    for (const text of checkTexts(texts, `${this.className}.fitOnTexts`)) {
      this.documentCount++;
      const seen = new Set<string>();
      for (const tok of this.tokenize(text)) {
        this.counts.set(tok, (this.counts.get(tok) ?? 0) + 1);
        seen.add(tok);
      }
      for (const tok of seen) this.docCounts.set(tok, (this.docCounts.get(tok) ?? 0) + 1);
    }
    this.rebuildIndex();
    return this;
  }

  private get className(): string {
    return this.level === 'word' ? 'WordTokenizer' : 'CharTokenizer';
  }

  private rebuildIndex(): void {
    // Descending count; Array.prototype.sort is stable, so ties keep first-appearance order (Keras).
    const ranked = [...this.counts.entries()].filter(([t]) => t !== this.oovToken).sort((a, b) => b[1] - a[1]);
    const tokens = [''];
    if (this.oovToken !== null) tokens.push(this.oovToken);
    for (const [t] of ranked) {
      if (this.maxTokens !== null && tokens.length >= this.maxTokens) break;
      tokens.push(t);
    }
    this.tokens = tokens;
    this.index = new Map(tokens.map((t, i) => [t, i]));
    this.index.delete('');
  }

  /** Token → id for every token that has an id (padding excluded), in id order. */
  get wordIndex(): Map<string, number> {
    return new Map(this.index);
  }

  /** Id → token, in id order; entry 0 is '' (padding). */
  get vocabulary(): string[] {
    return [...this.tokens];
  }

  /** Number of ids in use, padding included: every id in a sequence is below it. */
  get vocabularySize(): number {
    return this.tokens.length;
  }

  /** Token → number of occurrences in the fitted texts (all tokens, even those beyond maxTokens), in first-appearance order. */
  get wordCounts(): Map<string, number> {
    return new Map(this.counts);
  }

  /** Token → number of fitted texts containing it (Keras' word_docs). */
  get documentCounts(): Map<string, number> {
    return new Map(this.docCounts);
  }

  private checkFitted(what: string): void {
    if (this.tokens.length <= 1) {
      throw new ValueError(`${this.className}.${what}: the tokenizer has no vocabulary yet; call fitOnTexts(texts) first`);
    }
  }

  /** The ids of one text; unknown tokens become the OOV id, or are dropped when there is no OOV token. */
  textToSequence(text: string): number[] {
    this.checkFitted('textToSequence');
    if (typeof text !== 'string') throw new ValueError(`${this.className}.textToSequence: expected a string, got ${typeof text}`);
    const out: number[] = [];
    const oov = this.oovToken === null ? undefined : 1;
    for (const tok of this.tokenize(text)) {
      const id = this.index.get(tok) ?? oov;
      if (id !== undefined) out.push(id);
    }
    return out;
  }

  textsToSequences(texts: Iterable<string>): number[][] {
    this.checkFitted('textsToSequences');
    return checkTexts(texts, `${this.className}.textsToSequences`).map((t) => this.textToSequence(t));
  }

  /**
   * Maps id sequences back to text: tokens joined by a space (words) or nothing (characters); id 0
   * (padding) is skipped. An id outside the vocabulary is a ValueError.
   */
  sequencesToTexts(sequences: Iterable<ArrayLike<number>>): string[] {
    this.checkFitted('sequencesToTexts');
    const sep = this.level === 'word' ? (this.split ?? ' ') : '';
    return Array.from(sequences, (seq, s) => {
      const parts: string[] = [];
      for (let i = 0; i < seq.length; i++) {
        const id = seq[i]!;
        if (id === 0) continue;
        const tok = Number.isInteger(id) && id > 0 ? this.tokens[id] : undefined;
        if (tok === undefined) {
          throw new ValueError(
            `${this.className}.sequencesToTexts: sequence ${s}, position ${i}: id ${id} is outside the vocabulary [0, ${this.tokens.length})`,
          );
        }
        parts.push(tok);
      }
      return parts.join(sep);
    });
  }

  toJSON(): TokenizerJSON {
    return {
      format: 'nabla-tokenizer',
      version: 1,
      level: this.level,
      config: { maxTokens: this.maxTokens, oovToken: this.oovToken, lower: this.lower, filters: this.filters, split: this.split },
      wordCounts: [...this.counts.entries()],
      documentCounts: [...this.docCounts.entries()],
      documentCount: this.documentCount,
    };
  }

  /** Rebuilds a tokenizer from `toJSON()` output (or its JSON text); `source` names it in errors. */
  static fromJSON(json: unknown, source = 'tokenizer JSON'): Tokenizer {
    const obj = expectObject(typeof json === 'string' ? parseJson(json, source) : json, source, 'a saved tokenizer');
    if (obj['format'] !== 'nabla-tokenizer' || obj['version'] !== 1) {
      throw new DataError(`${source}: not a nabla tokenizer file (format ${JSON.stringify(obj['format'])}, version ${JSON.stringify(obj['version'])})`);
    }
    const level = obj['level'];
    if (level !== 'word' && level !== 'char') throw new DataError(`${source}: level must be 'word' or 'char', got ${JSON.stringify(level)}`);
    const c = expectObject(obj['config'], source, 'config');
    const tok = new (level === 'word' ? WordTokenizer : CharTokenizer)({
      maxTokens: c['maxTokens'] as number | null,
      oovToken: c['oovToken'] as string | null,
      lower: c['lower'] as boolean,
      stripPunctuation: c['filters'] as string,
      split: c['split'] as string | null,
    });
    const pairs = (key: string): [string, number][] => {
      const v = obj[key];
      const ok = Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && Number.isInteger(p[1]) && (p[1] as number) > 0);
      if (!ok) throw new DataError(`${source}: ${key} must be a list of [token, positive count] pairs`);
      return v as [string, number][];
    };
    for (const [t, n] of pairs('wordCounts')) tok.counts.set(t, n);
    for (const [t, n] of pairs('documentCounts')) tok.docCounts.set(t, n);
    const docs = obj['documentCount'];
    if (!Number.isInteger(docs) || (docs as number) < 0) throw new DataError(`${source}: documentCount must be a non-negative integer`);
    tok.documentCount = docs as number;
    tok.rebuildIndex();
    return tok;
  }

  /** Writes the tokenizer as JSON to `path`, atomically (temporary file, then rename). */
  async save(path: string): Promise<void> {
    await writeJsonFile(path, this.toJSON());
  }

  /** Reads a tokenizer written by `save`. */
  static async load(path: string): Promise<Tokenizer> {
    return Tokenizer.fromJSON(await readJsonFile(path, 'a saved tokenizer'), path);
  }
}

/** Word-level tokenizer: lowercases, strips Keras' punctuation set and splits on whitespace by default. */
export class WordTokenizer extends Tokenizer {
  constructor(options: TokenizerOptions = {}) {
    super('word', options);
  }
}

/** Character-level tokenizer (Unicode code points): keeps case and punctuation by default. */
export class CharTokenizer extends Tokenizer {
  constructor(options: TokenizerOptions = {}) {
    super('char', options);
  }
}

export function wordTokenizer(options: TokenizerOptions = {}): WordTokenizer {
  return new WordTokenizer(options);
}

export function charTokenizer(options: TokenizerOptions = {}): CharTokenizer {
  return new CharTokenizer(options);
}
