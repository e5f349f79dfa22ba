// Keras' TextVectorization preprocessing layer: standardize → split → vocabulary lookup → ids or
// bag-of-words vectors. nabla tensors hold numbers, not strings, so the layer takes JavaScript
// strings (`layer.apply(['a text', …])`) and belongs in the data pipeline (e.g. `dataset.map`),
// before the model, which is also where Keras recommends running it.
import { type CallOptions, Layer, type LayerArgs, type LayerInput, type LayerOutput, type SymbolicInput } from '../../nn/layer.js';
import type { SymbolicTensor } from '../../nn/symbolic.js';
import { ValueError } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { compareCodePoints, lowerAndStripPunctuation, splitCharacters, splitWhitespace } from './standardize.js';

export type StandardizeOption = 'lowerAndStripPunctuation' | null | ((text: string) => string);
export type SplitOption = 'whitespace' | 'character' | null | ((text: string) => string[]);
export type TextOutputMode = 'int' | 'multiHot' | 'count' | 'tfIdf';

export interface TextVectorizationArgs extends LayerArgs {
  /**
   * Vocabulary size limit, special tokens included ('' and '[UNK]' in 'int' mode, '[UNK]'
   * otherwise). Default: no limit.
   */
  maxTokens?: number | null;
  /** Default 'lowerAndStripPunctuation' (lowercase, remove ASCII punctuation); null: leave the text as is; or a function. */
  standardize?: StandardizeOption;
  /** Default 'whitespace'; 'character' splits into code points; null keeps each text as one token; or a function. */
  split?: SplitOption;
  /** 'int' (default): token ids; 'multiHot', 'count', 'tfIdf': one vector of vocabulary size per text. */
  outputMode?: TextOutputMode;
  /** 'int' mode only: pad with 0 or truncate (both at the end) to this length. Default: the longest text in the batch. */
  outputSequenceLength?: number | null;
  /** Non-int modes: make vectors maxTokens long even if the vocabulary is smaller. Default false. */
  padToMaxTokens?: boolean;
  /** A fixed vocabulary instead of adapt(); may start with the special tokens. */
  vocabulary?: readonly string[] | null;
  /** 'tfIdf' mode with a fixed vocabulary: the inverse document frequency of each vocabulary entry. */
  idfWeights?: readonly number[] | null;
}

const MASK = '';
const OOV = '[UNK]';

/** Counts token occurrences and document frequencies while adapting. */
interface AdaptState {
  counts: Map<string, number>;
  docCounts: Map<string, number>;
  documents: number;
}

/**
 * TextVectorization: `adapt(texts)` learns a vocabulary (sorted by descending count, ties broken
 * by descending token as Keras does), then `apply(texts)` maps texts to an int32 [batch, length]
 * tensor of ids ('int': '' padding is 0, '[UNK]' is 1) or a float32 [batch, vocabularySize]
 * tensor ('multiHot', 'count', 'tfIdf'; '[UNK]' is bin 0). A single string gives a rank-1 result.
 */
export class TextVectorization extends Layer {
  static override readonly className = 'TextVectorization';
  readonly maxTokens: number | null;
  readonly standardize: StandardizeOption;
  readonly split: SplitOption;
  readonly outputMode: TextOutputMode;
  readonly outputSequenceLength: number | null;
  readonly padToMaxTokens: boolean;
  private readonly fixedVocabulary: boolean;
  private tokens: string[] | null = null; // learned tokens, special tokens excluded
  private lookup = new Map<string, number>();
  private idf: Float64Array | null = null; // per output bin (special tokens included)

  constructor(args: TextVectorizationArgs = {}) {
    super(args);
    const what = 'TextVectorization';
    const mode = args.outputMode ?? 'int';
    if (!['int', 'multiHot', 'count', 'tfIdf'].includes(mode)) {
      throw new ValueError(`${what}: outputMode must be 'int', 'multiHot', 'count' or 'tfIdf', got ${String(mode)}`);
    }
    this.outputMode = mode;
    const max = args.maxTokens ?? null;
    const minTokens = mode === 'int' ? 3 : 2;
    if (max !== null && (!Number.isInteger(max) || max < minTokens)) {
      throw new ValueError(`${what}: maxTokens must be an integer ≥ ${minTokens} (special tokens included) or null, got ${String(max)}`);
    }
    this.maxTokens = max;
    const std = args.standardize === undefined ? 'lowerAndStripPunctuation' : args.standardize;
    if (std !== null && std !== 'lowerAndStripPunctuation' && typeof std !== 'function') {
      throw new ValueError(`${what}: standardize must be 'lowerAndStripPunctuation', null or a function, got ${String(std)}`);
    }
    this.standardize = std;
    const split = args.split === undefined ? 'whitespace' : args.split;
    if (split !== null && split !== 'whitespace' && split !== 'character' && typeof split !== 'function') {
      throw new ValueError(`${what}: split must be 'whitespace', 'character', null or a function, got ${String(split)}`);
    }
    this.split = split;
    const len = args.outputSequenceLength ?? null;
    if (len !== null) {
      if (mode !== 'int') throw new ValueError(`${what}: outputSequenceLength is only valid with outputMode 'int', got outputMode '${mode}'`);
      if (!Number.isInteger(len) || len < 1) throw new ValueError(`${what}: outputSequenceLength must be a positive integer, got ${String(len)}`);
    }
    this.outputSequenceLength = len;
    this.padToMaxTokens = args.padToMaxTokens ?? false;
    if (this.padToMaxTokens && mode !== 'int' && max === null) {
      throw new ValueError(`${what}: padToMaxTokens needs maxTokens`);
    }
    this.fixedVocabulary = args.vocabulary !== undefined && args.vocabulary !== null;
    if (this.fixedVocabulary) this.setVocabulary(args.vocabulary!, args.idfWeights ?? undefined);
    else if (args.idfWeights !== undefined && args.idfWeights !== null) throw new ValueError(`${what}: idfWeights needs a vocabulary`);
  }

  private get specialTokens(): string[] {
    return this.outputMode === 'int' ? [MASK, OOV] : [OOV];
  }

  /** Standardizes and splits one text (no vocabulary lookup). */
  tokenize(text: string): string[] {
    if (typeof text !== 'string') throw new ValueError(`${this.name} (TextVectorization): expected a string, got ${text === null ? 'null' : typeof text}`);
    const std = this.standardize;
    const t = std === null ? text : std === 'lowerAndStripPunctuation' ? lowerAndStripPunctuation(text) : std(text);
    if (typeof t !== 'string') throw new ValueError(`${this.name} (TextVectorization): the standardize function returned ${typeof t}, expected a string`);
    const split = this.split;
    if (split === null) return [t];
    if (split === 'whitespace') return splitWhitespace(t);
    if (split === 'character') return splitCharacters(t);
    const parts = split(t);
    if (!Array.isArray(parts) || parts.some((p) => typeof p !== 'string')) {
      throw new ValueError(`${this.name} (TextVectorization): the split function must return an array of strings`);
    }
    return parts;
  }

  /**
   * Learns the vocabulary (and document frequencies for 'tfIdf') from texts, replacing any earlier
   * one. Each string is one document. An async iterable (e.g. a Dataset of strings or of string
   * batches) returns a promise.
   */
  adapt(texts: Iterable<string>): void;
  adapt(texts: AsyncIterable<string | readonly string[]>): Promise<void>;
  adapt(texts: Iterable<string> | AsyncIterable<string | readonly string[]>): void | Promise<void> {
    if (this.fixedVocabulary) {
      throw new ValueError(`${this.name} (TextVectorization): cannot adapt a layer created with a fixed vocabulary`);
    }
    if (typeof texts === 'string') throw new ValueError(`${this.name}.adapt: expected a list of texts, got a single string (wrap it in [ ])`);
    const state: AdaptState = { counts: new Map(), docCounts: new Map(), documents: 0 };
    if (texts !== null && typeof texts === 'object' && Symbol.asyncIterator in texts) {
      return (async () => {
        for await (const item of texts as AsyncIterable<string | readonly string[]>) {
          if (typeof item === 'string') this.count(item, state);
          else for (const t of item) this.count(t, state);
        }
        this.finishAdapt(state);
      })();
    }
    for (const t of texts as Iterable<string>) this.count(t, state);
    this.finishAdapt(state);
  }

  private count(text: string, state: AdaptState): void {
    const toks = this.tokenize(text);
    for (const t of toks) state.counts.set(t, (state.counts.get(t) ?? 0) + 1);
    for (const t of new Set(toks)) state.docCounts.set(t, (state.docCounts.get(t) ?? 0) + 1);
    state.documents++;
  }

  private finishAdapt(state: AdaptState): void {
    for (const s of [MASK, OOV]) state.counts.delete(s);
    // Keras: np.lexsort((tokens, counts))[::-1] — descending count, ties by descending token.
    const ranked = [...state.counts.entries()].sort((a, b) => b[1] - a[1] || compareCodePoints(b[0], a[0]));
    const room = this.maxTokens === null ? ranked.length : this.maxTokens - this.specialTokens.length;
    const tokens = ranked.slice(0, room).map(([t]) => t);
    let idf: number[] | undefined;
    if (this.outputMode === 'tfIdf') {
      // Keras' inverse document frequency: log(1 + N / (1 + df)).
      idf = tokens.map((t) => Math.log(1 + state.documents / (1 + (state.docCounts.get(t) ?? 0))));
    }
    this.install(tokens, idf, false);
  }

  /**
   * Sets the vocabulary directly. It may begin with the special tokens ('' and '[UNK]' in 'int'
   * mode, '[UNK]' otherwise); they are added when absent. 'tfIdf' needs one idf weight per entry
   * (special tokens without weights get their mean, as Keras).
   */
  setVocabulary(vocabulary: readonly string[], idfWeights?: readonly number[]): void {
    const what = `${this.name} (TextVectorization).setVocabulary`;
    if (!Array.isArray(vocabulary) || vocabulary.length === 0 || vocabulary.some((t) => typeof t !== 'string')) {
      throw new ValueError(`${what}: vocabulary must be a non-empty array of strings`);
    }
    if (this.outputMode === 'tfIdf' && idfWeights === undefined) throw new ValueError(`${what}: idfWeights must be given with outputMode 'tfIdf'`);
    if (this.outputMode !== 'tfIdf' && idfWeights !== undefined) throw new ValueError(`${what}: idfWeights are only used with outputMode 'tfIdf'`);
    if (idfWeights !== undefined) {
      if (idfWeights.length !== vocabulary.length) {
        throw new ValueError(`${what}: idfWeights has ${idfWeights.length} entries, the vocabulary ${vocabulary.length}`);
      }
      if (idfWeights.some((w) => typeof w !== 'number' || !Number.isFinite(w))) throw new ValueError(`${what}: idfWeights must be finite numbers`);
    }
    const special = this.specialTokens;
    const hasSpecial = special.every((s, i) => vocabulary[i] === s);
    const tokens = hasSpecial ? vocabulary.slice(special.length) : [...vocabulary];
    const seen = new Set<string>();
    for (const t of tokens) {
      if (special.includes(t)) throw new ValueError(`${what}: reserved token ${JSON.stringify(t)} found inside the vocabulary; put the special tokens first, in the order ${JSON.stringify(special)}, or leave them out`);
      if (seen.has(t)) throw new ValueError(`${what}: token ${JSON.stringify(t)} appears more than once`);
      seen.add(t);
    }
    if (this.maxTokens !== null && tokens.length + special.length > this.maxTokens) {
      throw new ValueError(`${what}: the vocabulary has ${tokens.length + special.length} entries (special tokens included), more than maxTokens ${this.maxTokens}`);
    }
    let idf = idfWeights === undefined ? undefined : [...idfWeights];
    if (idf !== undefined && hasSpecial) idf = idf.slice(special.length); // weights for the special tokens are recomputed below
    this.install(tokens, idf, hasSpecial && idfWeights !== undefined ? idfWeights.slice(0, special.length) : null);
  }

  private install(tokens: string[], idf: number[] | undefined, specialIdf: readonly number[] | null | false): void {
    const offset = this.specialTokens.length;
    this.tokens = tokens;
    this.lookup = new Map(tokens.map((t, i) => [t, i + offset]));
    if (idf === undefined) {
      this.idf = null;
      return;
    }
    const mean = idf.length === 0 ? 0 : idf.reduce((s, w) => s + w, 0) / idf.length;
    const weights = new Float64Array(this.depth);
    for (let i = 0; i < offset; i++) weights[i] = specialIdf ? specialIdf[i]! : mean;
    idf.forEach((w, i) => (weights[i + offset] = w));
    this.idf = weights;
  }

  /** The vocabulary in id order, with the special tokens first unless `includeSpecialTokens` is false. */
  getVocabulary(includeSpecialTokens = true): string[] {
    const tokens = this.tokens ?? [];
    return includeSpecialTokens ? [...this.specialTokens, ...tokens] : [...tokens];
  }

  /** Number of entries in the vocabulary, special tokens included. */
  vocabularySize(): number {
    return this.specialTokens.length + (this.tokens?.length ?? 0);
  }

  /** The idf weight of each output bin ('tfIdf' only). */
  get idfWeights(): Float64Array | null {
    return this.idf === null ? null : this.idf.slice();
  }

  private get depth(): number {
    return this.padToMaxTokens && this.maxTokens !== null ? this.maxTokens : this.vocabularySize();
  }

  /** Maps texts to ids or vectors (see the class comment); the same as `apply(texts)`. */
  vectorize(texts: string | readonly string[]): Tensor {
    const single = typeof texts === 'string';
    const list: readonly string[] = single ? [texts] : texts;
    if (!Array.isArray(list)) throw new ValueError(`${this.name} (TextVectorization): expected a string or an array of strings`);
    if (this.tokens === null) {
      throw new ValueError(`${this.name} (TextVectorization): no vocabulary yet; call adapt(texts) or setVocabulary(vocabulary) first`);
    }
    const oov = this.outputMode === 'int' ? 1 : 0;
    const ids = list.map((t) => this.tokenize(t).map((tok) => (tok === MASK && this.outputMode === 'int' ? 0 : (this.lookup.get(tok) ?? oov))));
    if (this.outputMode === 'int') {
      const len = this.outputSequenceLength ?? ids.reduce((m, s) => Math.max(m, s.length), 0);
      const out = new Int32Array(ids.length * len);
      ids.forEach((s, i) => {
        for (let j = 0; j < Math.min(len, s.length); j++) out[i * len + j] = s[j]!;
      });
      return new Tensor(out, single ? [len] : [ids.length, len], 'int32');
    }
    const depth = this.depth;
    const out = new Float32Array(ids.length * depth);
    ids.forEach((s, i) => {
      for (const id of s) {
        if (this.outputMode === 'multiHot') out[i * depth + id] = 1;
        else out[i * depth + id]! += 1;
      }
      if (this.outputMode === 'tfIdf') for (let j = 0; j < depth; j++) out[i * depth + j]! *= this.idf![j]!;
    });
    return new Tensor(out, single ? [depth] : [ids.length, depth], 'float32');
  }

  /** On strings: vectorize(texts). On tensors or symbolic tensors: a ValueError (the layer needs strings). */
  override apply(texts: string | readonly string[]): Tensor;
  override apply(inputs: LayerInput, options?: CallOptions): LayerOutput;
  override apply(inputs: SymbolicInput, options?: CallOptions): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: string | readonly string[] | LayerInput | SymbolicInput, options?: CallOptions): LayerOutput | SymbolicTensor | SymbolicTensor[] {
    if (typeof inputs === 'string' || (Array.isArray(inputs) && inputs.every((t) => typeof t === 'string'))) {
      return this.vectorize(inputs as string | readonly string[]);
    }
    return super.apply(inputs as LayerInput, options);
  }

  call(_inputs: LayerInput, _options: CallOptions): Tensor {
    throw new ValueError(
      `${this.name} (TextVectorization): takes strings, not tensors (nabla tensors hold numbers): call layer.apply(['text', …]) ` +
        'in the data pipeline and feed the resulting tensor to the model',
    );
  }

  override getConfig(): Record<string, unknown> {
    const fn = (v: unknown, name: string): unknown => {
      if (typeof v === 'function') throw new ValueError(`${this.name} (TextVectorization).getConfig: a custom ${name} function cannot be serialized`);
      return v;
    };
    return {
      ...super.getConfig(),
      maxTokens: this.maxTokens,
      standardize: fn(this.standardize, 'standardize'),
      split: fn(this.split, 'split'),
      outputMode: this.outputMode,
      outputSequenceLength: this.outputSequenceLength,
      padToMaxTokens: this.padToMaxTokens,
      vocabulary: this.tokens === null ? null : this.getVocabulary(true),
      idfWeights: this.idf === null ? null : Array.from(this.idf.subarray(0, this.vocabularySize())),
    };
  }
}

/** `textVectorization(args)` is `new TextVectorization(args)` (TensorFlow.js-style factory). */
export function textVectorization(args: TextVectorizationArgs = {}): TextVectorization {
  return new TextVectorization(args);
}
