import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as nb from '../src/index.js';
import {
  BpeTokenizer, CharTokenizer, charTokenizer, padSequences, pretokenize, TextVectorization, textVectorization, Tokenizer, WordTokenizer, wordTokenizer,
} from '../src/data/text/index.js';
import { assertClose, assertThrowsWith } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', 'shared', 'data');
const tmp = mkdtempSync(join(tmpdir(), 'nabla-text-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function sharedSkip(name: string): string | false {
  return existsSync(join(shared, name)) ? false : `../shared/data/${name} is not present on this machine`;
}

async function rejectsWith(p: Promise<unknown>, type: new (...args: never[]) => Error, parts: string[]): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof type, `expected ${type.name}, got ${String(err)}`);
    for (const part of parts) assert.ok((err as Error).message.includes(part), `message "${(err as Error).message}" lacks "${part}"`);
    return true;
  });
}

const SENTENCES = ['Today is a sunny day', 'Today is a rainy day', 'Is it sunny today?', 'I really enjoyed walking in the snow today'];

describe('WordTokenizer', () => {
  it('matches Keras Tokenizer(num_words=100, oov_token) on the classic example', () => {
    const tok = wordTokenizer({ oovToken: '<OOV>', maxTokens: 100 }).fitOnTexts(SENTENCES);
    assert.deepEqual([...tok.wordIndex.entries()].slice(0, 8), [
      ['<OOV>', 1], ['today', 2], ['is', 3], ['a', 4], ['sunny', 5], ['day', 6], ['rainy', 7], ['it', 8],
    ]);
    assert.equal(tok.vocabularySize, 16);
    assert.deepEqual(tok.textsToSequences(['Today is a snowy day', 'Will it be rainy tomorrow?']), [[2, 3, 4, 1, 6], [1, 8, 1, 7, 1]]);
    assert.equal(tok.wordCounts.get('today'), 4);
    assert.equal(tok.documentCounts.get('today'), 4);
    assert.equal(tok.documentCount, 4);
  });

  it('drops unknown words without an OOV token, and maxTokens keeps the most frequent', () => {
    const tok = new WordTokenizer({ maxTokens: 4 }).fitOnTexts(['b a a c c c', 'd c']);
    // counts: c 4, a 2, b 1, d 1 → ids c 1, a 2, b 3 (b before d: first appearance); maxTokens 4 keeps 3 words
    assert.deepEqual(tok.vocabulary, ['', 'c', 'a', 'b']);
    assert.deepEqual(tok.textToSequence('d a x c b'), [2, 1, 3]);
    assert.equal(tok.wordCounts.get('d'), 1, 'counts keep every word');
    const withOov = new WordTokenizer({ maxTokens: 3, oovToken: '?' }).fitOnTexts(['b a a c c c']);
    assert.deepEqual(withOov.vocabulary, ['', '?', 'c']);
    assert.deepEqual(withOov.textToSequence('a c b'), [1, 2, 1]);
  });

  it('lowercases and strips punctuation by default; both can be turned off or customised', () => {
    const text = 'Hello, World! Don\'t-stop';
    assert.deepEqual(new WordTokenizer().tokenize(text), ['hello', 'world', "don't", 'stop']);
    assert.deepEqual(new WordTokenizer({ lower: false }).tokenize(text), ['Hello', 'World', "Don't", 'stop']);
    assert.deepEqual(new WordTokenizer({ stripPunctuation: false }).tokenize(text), ['hello,', 'world!', "don't-stop"]);
    assert.deepEqual(new WordTokenizer({ stripPunctuation: "'!" }).tokenize(text), ['hello,', 'world', 'don', 't-stop']);
    assert.deepEqual(new WordTokenizer({ split: ',' }).tokenize('a b,c'), ['a b', 'c']);
  });

  it('sequencesToTexts inverts textsToSequences, skips padding and rejects unknown ids', () => {
    const tok = wordTokenizer({ oovToken: '<OOV>' }).fitOnTexts(SENTENCES);
    const seqs = tok.textsToSequences(['today is a snowy day']);
    assert.deepEqual(tok.sequencesToTexts(seqs), ['today is a <OOV> day']);
    assert.deepEqual(tok.sequencesToTexts([[0, 0, 2, 3]]), ['today is']);
    assertThrowsWith(() => tok.sequencesToTexts([[2, 99]]), nb.ValueError, ['id 99', 'position 1', '[0, 16)']);
  });

  it('validates its input and options', () => {
    assertThrowsWith(() => new WordTokenizer().textsToSequences(['a']), nb.ValueError, ['fitOnTexts']);
    assertThrowsWith(() => new WordTokenizer().fitOnTexts('a b' as unknown as string[]), nb.ValueError, ['single string']);
    assertThrowsWith(() => new WordTokenizer().fitOnTexts(['a', 3 as unknown as string]), nb.ValueError, ['text 1', 'number']);
    assertThrowsWith(() => new WordTokenizer({ maxTokens: 1 }), nb.ValueError, ['maxTokens', '≥ 2']);
    assertThrowsWith(() => new WordTokenizer({ oovToken: '' }), nb.ValueError, ['oovToken']);
  });

  it('fitOnTexts accumulates over calls', () => {
    const tok = new WordTokenizer().fitOnTexts(['x y']).fitOnTexts(['y z y']);
    assert.deepEqual(tok.vocabulary, ['', 'y', 'x', 'z']);
    assert.equal(tok.documentCount, 2);
    assert.equal(tok.documentCounts.get('y'), 2);
    assert.equal(tok.wordCounts.get('y'), 3);
  });

  it('saves and loads as JSON (atomically), restoring the same vocabulary and options', async () => {
    const tok = wordTokenizer({ oovToken: '<OOV>', maxTokens: 6, lower: false, stripPunctuation: '!' }).fitOnTexts(SENTENCES);
    const path = join(tmp, 'word-tokenizer.json');
    await tok.save(path);
    assert.deepEqual(readdirSync(tmp).filter((f) => f.includes('.tmp-')), [], 'no temporary file left');
    const back = await Tokenizer.load(path);
    assert.ok(back instanceof WordTokenizer);
    assert.deepEqual(back.vocabulary, tok.vocabulary);
    assert.deepEqual(back.toJSON(), tok.toJSON());
    assert.deepEqual(back.textsToSequences(['Today is sunny!']), tok.textsToSequences(['Today is sunny!']));
  });

  it('loading a malformed file is a DataError naming it', async () => {
    const bad = join(tmp, 'bad-tokenizer.json');
    writeFileSync(bad, '{"format": "something-else"}');
    await rejectsWith(Tokenizer.load(bad), nb.DataError, [bad, 'not a nabla tokenizer']);
    writeFileSync(bad, '{not json');
    await rejectsWith(Tokenizer.load(bad), nb.DataError, [bad, 'not valid JSON']);
    await rejectsWith(Tokenizer.load(join(tmp, 'missing.json')), nb.DataError, ['missing.json', 'not found']);
  });
});

describe('CharTokenizer', () => {
  it('keeps case and punctuation by default and round-trips text it has seen', () => {
    const tok = charTokenizer().fitOnTexts(['Hello, world!']);
    // l ×3, o ×2, then first appearance: H e , ␠ w r d !
    assert.deepEqual(tok.vocabulary, ['', 'l', 'o', 'H', 'e', ',', ' ', 'w', 'r', 'd', '!']);
    const seq = tok.textToSequence('Hello, world!');
    assert.deepEqual(seq, [3, 4, 1, 1, 2, 5, 6, 7, 2, 8, 1, 9, 10]);
    assert.deepEqual(tok.sequencesToTexts([seq]), ['Hello, world!']);
  });

  it('splits by code point, and lower/stripPunctuation apply when asked', () => {
    const tok = new CharTokenizer({ lower: true, stripPunctuation: true, oovToken: '\u0000' }).fitOnTexts(['Ab, 🎉a']);
    assert.deepEqual(tok.vocabulary, ['', '\u0000', 'a', 'b', ' ', '🎉']);
    assert.deepEqual(tok.textToSequence('AZ'), [2, 1]);
  });

  it('on Tiny Shakespeare: 65 characters, exact round trip', { skip: sharedSkip('tinyshakespeare') }, () => {
    const text = readFileSync(join(shared, 'tinyshakespeare', 'input.txt'), 'utf8');
    const tok = new CharTokenizer().fitOnTexts([text]);
    assert.equal(tok.vocabularySize, 66); // 65 characters + padding
    assert.equal(tok.vocabulary[1], ' '); // the most frequent character
    const part = text.slice(0, 5000);
    assert.equal(tok.sequencesToTexts(tok.textsToSequences([part]))[0], part);
  });
});

describe('padSequences', () => {
  const seqs = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10]];
  it('defaults: pad and truncate at the front, maxlen = longest, int32', () => {
    const t = padSequences([[1], [2, 3]]);
    assert.equal(t.dtype, 'int32');
    assert.deepEqual(t.arraySync(), [[0, 1], [2, 3]]);
    assert.deepEqual(padSequences(seqs, { maxlen: 4 }).arraySync(), [[0, 1, 2, 3], [0, 0, 4, 5], [7, 8, 9, 10]]);
  });
  it('every padding × truncating combination', () => {
    const cases: [('pre' | 'post'), ('pre' | 'post'), number[][]][] = [
      ['pre', 'pre', [[0, 1, 2, 3], [0, 0, 4, 5], [7, 8, 9, 10]]],
      ['pre', 'post', [[0, 1, 2, 3], [0, 0, 4, 5], [6, 7, 8, 9]]],
      ['post', 'pre', [[1, 2, 3, 0], [4, 5, 0, 0], [7, 8, 9, 10]]],
      ['post', 'post', [[1, 2, 3, 0], [4, 5, 0, 0], [6, 7, 8, 9]]],
    ];
    for (const [padding, truncating, expected] of cases) {
      assert.deepEqual(padSequences(seqs, { maxlen: 4, padding, truncating }).arraySync(), expected, `${padding}/${truncating}`);
    }
  });
  it('value and dtype', () => {
    const t = padSequences([[1.5], [2, 3]], { value: -0.5, dtype: 'float32', padding: 'post' });
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.arraySync(), [[1.5, -0.5], [2, 3]]);
    assert.deepEqual(padSequences([Int32Array.of(7)], { maxlen: 3, value: 9 }).arraySync(), [[9, 9, 7]]);
    assert.deepEqual(padSequences([], {}).shape, [0, 0]);
    assert.deepEqual(padSequences([[1, 2]], { maxlen: 0 }).shape, [1, 0]);
  });
  it('rejects what it cannot store', () => {
    assertThrowsWith(() => padSequences([[1]], { value: 0.5 }), nb.ValueError, ['value 0.5', 'int32']);
    assertThrowsWith(() => padSequences([[1, 2.5]]), nb.ValueError, ['sequence 0, element 1', 'integer']);
    assertThrowsWith(() => padSequences([[1]], { padding: 'middle' as 'pre' }), nb.ValueError, ['padding']);
    assertThrowsWith(() => padSequences([[1]], { maxlen: -1 }), nb.ValueError, ['maxlen']);
    assertThrowsWith(() => padSequences([[Number.NaN]], { dtype: 'float32' }), nb.ValueError, ['NaN']);
  });
});

describe('TextVectorization', () => {
  const corpus = ['The cat sat.', 'The dog sat down', "The cat's hat!"];

  it("'int' mode: Keras vocabulary order, '' at 0 and [UNK] at 1, padding to the longest text", () => {
    const layer = textVectorization();
    layer.adapt(corpus);
    // the ×3, sat ×2, then count-1 tokens in descending order (Keras' lexsort(...)[::-1])
    assert.deepEqual(layer.getVocabulary(), ['', '[UNK]', 'the', 'sat', 'hat', 'down', 'dog', 'cats', 'cat']);
    assert.equal(layer.vocabularySize(), 9);
    const out = layer.apply(['the cat', 'a dog sat down']);
    assert.equal(out.dtype, 'int32');
    assert.deepEqual(out.arraySync(), [[2, 8, 0, 0], [1, 6, 3, 5]]);
    assert.deepEqual(layer.apply('The CAT!').arraySync(), [2, 8]);
  });

  it('outputSequenceLength pads and truncates at the end; maxTokens limits the vocabulary', () => {
    const layer = textVectorization({ outputSequenceLength: 3, maxTokens: 5 });
    layer.adapt(corpus);
    assert.deepEqual(layer.getVocabulary(), ['', '[UNK]', 'the', 'sat', 'hat']);
    assert.deepEqual(layer.apply(['the hat', 'the dog sat down']).arraySync(), [[2, 4, 0], [2, 1, 3]]);
  });

  it("'multiHot' and 'count' modes: [UNK] is bin 0", () => {
    const multi = textVectorization({ outputMode: 'multiHot' });
    multi.adapt(corpus);
    assert.deepEqual(multi.getVocabulary(), ['[UNK]', 'the', 'sat', 'hat', 'down', 'dog', 'cats', 'cat']);
    assert.deepEqual(multi.apply(['the the zebra cat']).arraySync(), [[1, 1, 0, 0, 0, 0, 0, 1]]);
    const count = textVectorization({ outputMode: 'count', maxTokens: 10, padToMaxTokens: true });
    count.adapt(corpus);
    const c = count.apply(['the the zebra lion cat']);
    assert.equal(c.dtype, 'float32');
    assert.deepEqual(c.arraySync(), [[2, 2, 0, 0, 0, 0, 0, 1, 0, 0]]);
  });

  it("'tfIdf' mode: count × log(1 + N / (1 + df)), [UNK] weighted by the mean idf", () => {
    const layer = textVectorization({ outputMode: 'tfIdf' });
    layer.adapt(corpus);
    const idf = (df: number): number => Math.log(1 + 3 / (1 + df));
    const weights = [idf(3), idf(2), idf(1), idf(1), idf(1), idf(1), idf(1)];
    const mean = weights.reduce((a, b) => a + b) / weights.length;
    assertClose(layer.idfWeights!, [mean, ...weights], { rtol: 1e-12 });
    const out = layer.apply(['the the cat zebra']);
    assertClose(out, [[mean, 2 * idf(3), 0, 0, 0, 0, 0, idf(1)]], { rtol: 1e-6 });
  });

  it('standardize and split options', () => {
    const raw = textVectorization({ standardize: null });
    raw.adapt(['A a. a. a']);
    assert.deepEqual(raw.getVocabulary(), ['', '[UNK]', 'a.', 'a', 'A']);
    const chars = textVectorization({ split: 'character', standardize: (s) => s.toUpperCase() });
    chars.adapt(['abba']);
    assert.deepEqual(chars.getVocabulary(), ['', '[UNK]', 'B', 'A']);
    assert.deepEqual(chars.apply(['ab c']).arraySync(), [[3, 2, 1, 1]]);
    const whole = textVectorization({ split: null, standardize: null });
    whole.adapt(['new york', 'new york', 'paris']);
    assert.deepEqual(whole.apply(['new york', 'york']).arraySync(), [[2], [1]]);
    const custom = textVectorization({ standardize: null, split: (s) => s.split('|') });
    custom.adapt(['a b|c']);
    assert.deepEqual(custom.getVocabulary(false), ['c', 'a b']);
  });

  it('setVocabulary with or without the special tokens; config round trip', () => {
    const a = textVectorization({ vocabulary: ['x', 'y'] });
    const b = textVectorization({ vocabulary: ['', '[UNK]', 'x', 'y'] });
    assert.deepEqual(a.getVocabulary(), b.getVocabulary());
    assert.deepEqual(a.apply(['y x z']).arraySync(), [[3, 2, 1]]);
    assertThrowsWith(() => a.adapt(['q']), nb.ValueError, ['fixed vocabulary']);
    assertThrowsWith(() => textVectorization({ vocabulary: ['x', 'x'] }), nb.ValueError, ['"x"', 'more than once']);
    assertThrowsWith(() => textVectorization({ vocabulary: ['x', '[UNK]'] }), nb.ValueError, ['reserved token']);
    assertThrowsWith(() => textVectorization({ vocabulary: ['x', 'y'], maxTokens: 3 }), nb.ValueError, ['maxTokens 3']);
    const tfidf = textVectorization({ outputMode: 'tfIdf' });
    tfidf.adapt(corpus);
    const copy = new TextVectorization(tfidf.getConfig() as never);
    assert.deepEqual(copy.getVocabulary(), tfidf.getVocabulary());
    assertClose(copy.apply(['the cat ran']), tfidf.apply(['the cat ran']), { rtol: 1e-6 });
    assertThrowsWith(() => textVectorization({ standardize: (s) => s }).getConfig(), nb.ValueError, ['cannot be serialized']);
  });

  it('adapts from an async iterable of strings or batches', async () => {
    async function* batches(): AsyncGenerator<string | string[]> {
      yield ['b a', 'b'];
      yield 'c b';
    }
    const layer = textVectorization();
    await layer.adapt(batches());
    assert.deepEqual(layer.getVocabulary(), ['', '[UNK]', 'b', 'c', 'a']);
  });

  it('errors: unadapted, tensors instead of strings, bad options', () => {
    assertThrowsWith(() => textVectorization().apply(['x']), nb.ValueError, ['no vocabulary', 'adapt']);
    const layer = textVectorization({ vocabulary: ['x'] });
    assertThrowsWith(() => layer.apply(nb.tensor([1, 2])), nb.ValueError, ['takes strings']);
    assertThrowsWith(() => textVectorization({ outputMode: 'binary' as 'int' }), nb.ValueError, ['outputMode']);
    assertThrowsWith(() => textVectorization({ outputMode: 'count', outputSequenceLength: 4 }), nb.ValueError, ["only valid with outputMode 'int'"]);
    assertThrowsWith(() => textVectorization({ maxTokens: 2 }), nb.ValueError, ['maxTokens', '≥ 3']);
    assertThrowsWith(() => layer.apply(['ok', 5 as unknown as string]), nb.ValueError, ['inputs must all be Tensors']);
    assert.ok(layer instanceof nb.Layer);
    assert.equal(layer.className, 'TextVectorization');
  });

  it('on the sentiment sentences', { skip: sharedSkip('sentiment-labelled-sentences') }, () => {
    const lines = readFileSync(join(shared, 'sentiment-labelled-sentences', 'amazon_cells_labelled.txt'), 'utf8').split('\n').filter((l) => l.length > 0);
    const texts = lines.map((l) => l.slice(0, l.lastIndexOf('\t')).trim());
    assert.equal(texts.length, 1000);
    const layer = textVectorization({ maxTokens: 1000, outputSequenceLength: 20 });
    layer.adapt(texts);
    assert.equal(layer.vocabularySize(), 1000);
    assert.deepEqual(layer.getVocabulary().slice(0, 4), ['', '[UNK]', 'the', 'i']);
    const out = layer.apply(texts.slice(0, 8));
    assert.deepEqual(out.shape, [8, 20]);
    assert.ok(Array.from(out.values).every((v) => v >= 0 && v < 1000));
  });
});

describe('BpeTokenizer (byte level)', () => {
  it('learns the most frequent pair first, ties to the smaller (left, right) id pair', () => {
    // chunks: 'ab' ×1, ' ab' ×2, ' cd' ×2 → (a,b) 3; then (' ',c) 2 beats (c,d) 2 and (' ',ab) 2 by id order
    const bpe = BpeTokenizer.train(['ab ab ab cd cd'], { vocabSize: 260 });
    assert.deepEqual(bpe.merges, [[97, 98], [32, 99], [32, 256], [257, 100]]);
    assert.equal(bpe.vocabSize, 260);
    assert.deepEqual(bpe.encode('ab cd ab'), [256, 259, 258]);
    assert.equal(bpe.decode([259, 258]), ' cd ab');
    assert.equal(bpe.tokenToId(' cd'), 259);
  });

  it('minFrequency stops training when no pair is frequent enough', () => {
    const bpe = BpeTokenizer.train(['ab ab ab cd cd'], { vocabSize: 1000, minFrequency: 3 });
    assert.deepEqual(bpe.merges, [[97, 98]]);
    assert.equal(bpe.vocabSize, 257);
  });

  it('special tokens take ids 0…k−1, bytes follow, and special tokens are never split', () => {
    const bpe = BpeTokenizer.train(['ab ab<eos> ab'], { vocabSize: 262, specialTokens: ['<pad>', '<eos>'] });
    assert.deepEqual(bpe.merges[0], [2 + 97, 2 + 98]);
    const ids = bpe.encode('<pad>ab<eos>');
    assert.equal(ids[0], 0);
    assert.equal(ids[ids.length - 1], 1);
    assert.equal(bpe.decode(ids), '<pad>ab<eos>');
    assert.equal(bpe.encode('x')[0], 2 + 120);
  });

  it('training is deterministic and independent of the order of the texts', () => {
    const texts = ['low lower lowest', 'new newer newest', 'wide wider widest', 'the low new wide', 'slow slower'];
    const a = BpeTokenizer.train(texts, { vocabSize: 290 });
    const b = BpeTokenizer.train([...texts].reverse(), { vocabSize: 290 });
    assert.ok(a.merges.length > 10);
    assert.deepEqual(a.toJSON(), b.toJSON());
    assert.deepEqual(BpeTokenizer.train(texts, { vocabSize: 290 }).toJSON(), a.toJSON());
  });

  it('encode/decode round trip is exact for any well-formed text', () => {
    const bpe = BpeTokenizer.train(['hello world, hello there! héllo wörld 日本語 日本'], { vocabSize: 300, minFrequency: 1 });
    const samples = [
      '', 'hello', '  two  spaces ', '\uFEFFbom first', 'tabs\tand\r\nCRLF\n\n', 'nul\u0000byte', 'emoji 🎉👍🏽 zwj 👩‍👩‍👧',
      'combining é vs é', '日本語のテキスト', "it's they're I'll", 'x'.repeat(300), '1234567 3.14',
    ];
    for (const s of samples) {
      assert.equal(pretokenize(s).join(''), s, `pretokenize covers ${JSON.stringify(s)}`);
      assert.equal(bpe.decode(bpe.encode(s)), s, JSON.stringify(s));
    }
    assert.ok(bpe.encode('hello world').length < 'hello world'.length);
  });

  it('rejects lone surrogates, unknown ids and bad options', () => {
    const bpe = BpeTokenizer.train(['abc'], { vocabSize: 256 });
    assertThrowsWith(() => bpe.encode('ok \uD800 no'), nb.ValueError, ['lone UTF-16 surrogate', 'index 3']);
    assertThrowsWith(() => bpe.decode([65, 256]), nb.ValueError, ['id 256', 'position 1']);
    assertThrowsWith(() => BpeTokenizer.train(['a'], { vocabSize: 100 }), nb.ValueError, ['vocabSize', '[256,']);
    assertThrowsWith(() => BpeTokenizer.train(['a'], { vocabSize: 300, minFrequency: 0 }), nb.ValueError, ['minFrequency']);
    assertThrowsWith(() => BpeTokenizer.train(['a'], { vocabSize: 300, specialTokens: ['<s>', '<s>'] }), nb.ValueError, ['appears twice']);
  });

  it('saves and loads (atomic JSON); a malformed file is a DataError naming it', async () => {
    const bpe = BpeTokenizer.train(['the theme of the thesis', 'other themes'], { vocabSize: 280, specialTokens: ['<pad>'] });
    const path = join(tmp, 'bpe.json');
    await bpe.save(path);
    assert.deepEqual(readdirSync(tmp).filter((f) => f.includes('.tmp-')), []);
    const back = await BpeTokenizer.load(path);
    assert.deepEqual(back.toJSON(), bpe.toJSON());
    const s = 'the other thesis<pad>';
    assert.deepEqual(back.encode(s), bpe.encode(s));
    const bad = join(tmp, 'bad-bpe.json');
    writeFileSync(bad, JSON.stringify({ ...bpe.toJSON(), merges: [[300, 1]] }));
    await rejectsWith(BpeTokenizer.load(bad), nb.DataError, [bad, 'merge 0']);
    writeFileSync(bad, JSON.stringify({ format: 'nabla-bpe', version: 2 }));
    await rejectsWith(BpeTokenizer.load(bad), nb.DataError, [bad, 'version 2']);
  });

  it('on Tiny Shakespeare: compresses and round-trips', { skip: sharedSkip('tinyshakespeare') }, () => {
    const text = readFileSync(join(shared, 'tinyshakespeare', 'input.txt'), 'utf8').slice(0, 200_000);
    const bpe = BpeTokenizer.train(text.split('\n'), { vocabSize: 512 });
    assert.equal(bpe.vocabSize, 512);
    const held = readFileSync(join(shared, 'tinyshakespeare', 'input.txt'), 'utf8').slice(1_003_854, 1_013_854);
    const ids = bpe.encode(held);
    assert.equal(bpe.decode(ids), held);
    assert.ok(ids.length < held.length * 0.6, `${ids.length} tokens for ${held.length} characters`);
  });
});
