// Text standardization and splitting shared by the tokenizers and TextVectorization: lowercasing,
// punctuation stripping, whitespace and character splits. Pure functions, no state.

/**
 * Characters the word tokenizer strips by default: Keras' `Tokenizer(filters=...)` default set
 * (ASCII punctuation except the apostrophe, plus tab and newline). Each is replaced by a space, so
 * "end.Next" becomes two words.
 */
export const DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

/**
 * Keras TextVectorization's DEFAULT_STRIP_REGEX: ASCII punctuation including the apostrophe,
 * removed (replaced by nothing), so "don't" becomes "dont".
 */
export const STRIP_PUNCTUATION_REGEX = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;

/**
 * Keras TextVectorization's 'lower_and_strip_punctuation': lowercases (full Unicode lowercasing,
 * where TensorFlow's tf.strings.lower only lowercases ASCII) and removes ASCII punctuation.
 */
export function lowerAndStripPunctuation(text: string): string {
  return text.toLowerCase().replace(STRIP_PUNCTUATION_REGEX, '');
}

/** Replaces every character of `chars` in `text` by `replacement` (characters compared by code point). */
export function replaceCharacters(text: string, chars: string, replacement: string): string {
  if (chars.length === 0) return text;
  const set = new Set(Array.from(chars));
  let out = '';
  for (const ch of text) out += set.has(ch) ? replacement : ch;
  return out;
}

/** Splits on runs of Unicode whitespace, dropping empty pieces (tf.strings.split with no separator). */
export function splitWhitespace(text: string): string[] {
  return text.split(/\s+/u).filter((t) => t.length > 0);
}

/** Splits into Unicode code points (tf.strings.unicode_split): a surrogate pair stays one character. */
export function splitCharacters(text: string): string[] {
  return Array.from(text);
}

/** Compares two strings by Unicode code point (the same order as their UTF-8 bytes). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

/** Lone UTF-16 surrogates: text that cannot be encoded as UTF-8 exactly. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The index of the first lone surrogate in `text`, or -1 when the text is well-formed UTF-16. */
export function loneSurrogateIndex(text: string): number {
  const m = LONE_SURROGATE.exec(text);
  return m === null ? -1 : m.index;
}
