// Text preprocessing: vocabulary tokenizers (word, character), Keras-style TextVectorization,
// padSequences and a trainable byte-level BPE tokenizer. Saving and loading (JSON, atomic) is
// Node-only and loads node:fs lazily; everything else runs in browsers too.
export {
  CharTokenizer, charTokenizer, Tokenizer, type TokenizerJSON, type TokenizerLevel, type TokenizerOptions, WordTokenizer, wordTokenizer,
} from './tokenizer.js';
export { padSequences, type PadSequencesOptions } from './pad-sequences.js';
export {
  type SplitOption, type StandardizeOption, type TextOutputMode, TextVectorization, textVectorization, type TextVectorizationArgs,
} from './text-vectorization.js';
export { BpeTokenizer, type BpeJSON, type BpeTrainOptions, pretokenize } from './bpe-tokenizer.js';
export {
  DEFAULT_FILTERS, lowerAndStripPunctuation, splitCharacters, splitWhitespace, STRIP_PUNCTUATION_REGEX,
} from './standardize.js';
