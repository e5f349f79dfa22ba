// Tiny Shakespeare (char-rnn's input.txt): about 1 MB of plays, for character-level language models.
// Node-only.
import { ValueError } from '../../tensor/errors.js';
import { type DatasetOptions, resolveDataset } from './locate.js';
import { nodeModules } from '../../io/node-modules.js';

export interface TinyShakespeareOptions extends DatasetOptions {
  /**
   * Fraction of the characters, at the end of the text, in the validation split (default 0.1, the
   * nanoGPT convention: characters [0, 1003854) train, the rest validation). 0: no validation.
   */
  validationFraction?: number;
}

export interface TinyShakespeareData {
  /** The whole text (1,115,394 characters). */
  text: string;
  /** The first (1 − validationFraction) of the characters. */
  train: string;
  /** The remaining characters. */
  validation: string;
  /** The distinct characters of the whole text, sorted by code point (65 of them). */
  vocabulary: string[];
}

/**
 * Tiny Shakespeare. `await tinyShakespeare.load()` reads `input.txt` from `dir`, else
 * `$NABLA_DATA/tinyshakespeare` (else `../shared/data/tinyshakespeare`), else the cache, else
 * downloads it (see locate.ts). Returns the text, a character-level train/validation split and the
 * character vocabulary (build a tokenizer from it, e.g. `nb.text` character tokenizers).
 */
export const tinyShakespeare = {
  name: 'tinyshakespeare',
  async load(options: TinyShakespeareOptions = {}): Promise<TinyShakespeareData> {
    const fraction = options.validationFraction ?? 0.1;
    if (!(fraction >= 0 && fraction < 1)) throw new ValueError(`tinyShakespeare.load: validationFraction must be in [0, 1), got ${fraction}`);
    const { files } = await resolveDataset('tinyshakespeare', ['input.txt'], options);
    const text = await (await nodeModules()).fsp.readFile(files[0]!, 'utf8');
    const cut = Math.floor(text.length * (1 - fraction));
    const vocabulary = [...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return { text, train: text.slice(0, cut), validation: text.slice(cut), vocabulary };
  },
};
