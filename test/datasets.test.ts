import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as nb from '../src/index.js';
import {
  cacheRoot, californiaHousing, parseSentencePairs, datasetCandidates, datasets, decodeIdx, encodeIdx, fashionMnist, type IdxArray, iris, mnist, parseCsv, readCsv, readIdxFile,
} from '../src/data/datasets/index.js';
import { medianIgnoringNaN } from '../src/data/datasets/california-housing.js';
import { MNIST_FILES } from '../src/data/datasets/mnist.js';
import { trainTestSplit } from '../src/data/split.js';
import { assertThrowsWith } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', 'shared', 'data');
const tmp = mkdtempSync(join(tmpdir(), 'nabla-datasets-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
// Never read or fill the real per-user cache from these tests.
process.env['NABLA_CACHE_DIR'] = join(tmp, 'cache');

async function rejectsWith(p: Promise<unknown>, type: new (...args: never[]) => Error, parts: string[]): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof type, `expected ${type.name}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    for (const part of parts) assert.ok((err as Error).message.includes(part), `message "${(err as Error).message}" lacks "${part}"`);
    return true;
  });
}

function sharedSkip(name: string): string | false {
  return existsSync(join(shared, name)) ? false : `../shared/data/${name} is not present on this machine`;
}

/** Writes a tiny MNIST-layout data set (gzip IDX) into `dir`: pixel i of image k is (k * 7 + i) % 256. */
function writeTinyMnist(dir: string, counts = { train: 3, test: 2 }, tweak: { rows?: number; labels?: number[] } = {}): void {
  mkdirSync(dir, { recursive: true });
  const rows = tweak.rows ?? 28;
  const write = (file: string, bytes: Uint8Array): void => writeFileSync(join(dir, file), gzipSync(bytes));
  for (const [split, n] of [['train', counts.train], ['test', counts.test]] as const) {
    const pixels = Uint8Array.from({ length: n * rows * 28 }, (_, j) => (Math.floor(j / (rows * 28)) * 7 + (j % (rows * 28))) % 256);
    const labels = Uint8Array.from(tweak.labels ?? Array.from({ length: n }, (_, k) => (k * 3) % 10));
    write(split === 'train' ? MNIST_FILES.trainImages : MNIST_FILES.testImages, encodeIdx({ dtype: 'uint8', shape: [n, rows, 28], data: pixels }));
    write(split === 'train' ? MNIST_FILES.trainLabels : MNIST_FILES.testLabels, encodeIdx({ dtype: 'uint8', shape: [labels.length], data: labels }));
  }
}

/** Runs `fn` with NABLA_DATA set to `value` (undefined: unset), restoring it afterwards. */
async function withNablaData<T>(value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env['NABLA_DATA'];
  if (value === undefined) delete process.env['NABLA_DATA'];
  else process.env['NABLA_DATA'] = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env['NABLA_DATA'];
    else process.env['NABLA_DATA'] = saved;
  }
}

describe('IDX files', () => {
  it('round-trips every element type through encode, gzip and readIdxFile, big-endian on disk', () => {
    const bytes = encodeIdx({ dtype: 'int16', shape: [2], data: Int16Array.from([258, -2]) });
    assert.deepEqual([...bytes], [0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe]);
    const cases: IdxArray[] = [
      { dtype: 'uint8', shape: [2, 3, 2], data: Uint8Array.from({ length: 12 }, (_, i) => i * 20) },
      { dtype: 'int8', shape: [4], data: Int8Array.from([-128, -1, 0, 127]) },
      { dtype: 'int32', shape: [2, 2], data: Int32Array.from([-70000, 1, 2 ** 31 - 1, 5]) },
      { dtype: 'float32', shape: [3], data: Float32Array.from([1.5, -0.25, 3e-8]) },
      { dtype: 'float64', shape: [1, 2], data: Float64Array.from([Math.PI, -1e300]) },
    ];
    for (const c of cases) {
      const raw = join(tmp, `rt-${c.dtype}.idx`);
      const gz = `${raw}.gz`;
      writeFileSync(raw, encodeIdx(c));
      writeFileSync(gz, gzipSync(encodeIdx(c)));
      for (const file of [raw, gz]) {
        const a = readIdxFile(file);
        assert.equal(a.dtype, c.dtype);
        assert.deepEqual(a.shape, c.shape);
        assert.deepEqual([...a.data], [...c.data]);
      }
    }
  });

  it('rejects truncated and invalid files with a DataError naming the file and the byte offset', () => {
    const good = encodeIdx({ dtype: 'uint8', shape: [10, 4, 4], data: new Uint8Array(160) });
    const put = (name: string, bytes: Uint8Array, gzip = true): string => {
      const path = join(tmp, name);
      writeFileSync(path, gzip ? gzipSync(bytes) : bytes);
      return path;
    };
    // Payload cut short: 16 header bytes + 100 of 160 data bytes.
    let f = put('short-data.idx.gz', good.subarray(0, 116));
    assertThrowsWith(() => readIdxFile(f), nb.DataError, [f, 'truncated IDX data', 'byte offset 116', 'needs 176 bytes', '100 of 160 elements']);
    // Header cut inside the dimension sizes.
    f = put('short-header.idx.gz', good.subarray(0, 10));
    assertThrowsWith(() => readIdxFile(f), nb.DataError, [f, 'truncated IDX header', 'byte offset 16', '10 bytes']);
    f = put('tiny.idx', good.subarray(0, 3), false);
    assertThrowsWith(() => readIdxFile(f), nb.DataError, [f, 'truncated IDX header', '3 bytes']);
    // Bad magic numbers.
    f = put('not-idx.gz', Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]));
    assertThrowsWith(() => readIdxFile(f), nb.DataError, [f, 'not an IDX file', '0x504b0304', 'byte offset 0']);
    f = put('bad-type.gz', Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 0]));
    assertThrowsWith(() => readIdxFile(f), nb.DataError, [f, 'unknown element type 0x07', 'byte offset 2']);
    f = put('zero-dims.gz', Uint8Array.from([0, 0, 0x08, 0]));
    assertThrowsWith(() => readIdxFile(f), nb.DataError, [f, '0 dimensions', 'byte offset 3']);
    // Extra bytes after the data are not silently ignored.
    f = put('trailing.gz', Uint8Array.from([...good, 1, 2]));
    assertThrowsWith(() => readIdxFile(f), nb.DataError, [f, '2 unexpected bytes', 'byte offset 176']);
    // A gzip stream cut short or corrupted.
    const gz = gzipSync(good);
    f = put('cut.gz', gz.subarray(0, gz.length - 12), false);
    assertThrowsWith(() => readIdxFile(f), nb.DataError, [f, 'gzip data is truncated or corrupt']);
    const flipped = Uint8Array.from(gz);
    flipped[flipped.length - 6]! ^= 0xff; // inside the CRC-32 / size trailer
    f = put('crc.gz', flipped, false);
    assertThrowsWith(() => readIdxFile(f), nb.DataError, [f, 'gzip data is truncated or corrupt']);
    assertThrowsWith(() => readIdxFile(join(tmp, 'nope.gz')), nb.DataError, ['nope.gz', 'cannot read IDX file']);
    // decodeIdx itself names the label it is given.
    assertThrowsWith(() => decodeIdx(good.subarray(0, 20), 'buffer.idx'), nb.DataError, ['buffer.idx', 'byte offset 20']);
  });
});

describe('CSV reader', () => {
  it('reads a header, quoted fields with delimiters, quotes and line breaks, CRLF and a BOM', () => {
    const t = parseCsv('\ufeffname,value,note\r\n"Smith, J.",1.5,"said ""hi"""\r\nplain,-2e3,"two\nlines"\r\n\r\nlast,.5,\r\n', { file: 'people.csv' });
    assert.deepEqual(t.header, ['name', 'value', 'note']);
    assert.deepEqual(t.rows, [['Smith, J.', '1.5', 'said "hi"'], ['plain', '-2e3', 'two\nlines'], ['last', '.5', '']]);
    assert.deepEqual(t.lines, [2, 3, 6]); // the quoted line break moves the next row down
    assert.deepEqual([...t.numbers('value')], [1.5, -2000, 0.5]);
    assert.deepEqual(t.strings(0), ['Smith, J.', 'plain', 'last']);
    assert.deepEqual(parseCsv('a;b\n1;2', { delimiter: ';' }).rows, [['1', '2']]);
  });

  it('reports a missing value with its line and column; other malformed input too', () => {
    const t = parseCsv('a,b,c\n1,2,3\n4,,6\n', { file: 'gaps.csv' });
    assertThrowsWith(() => t.numbers('b'), nb.DataError, ['gaps.csv', 'missing value', 'line 3', 'data row 2', "column 2 'b'"]);
    assert.deepEqual([...t.numbers('b', { missing: 'nan' })], [2, NaN]);
    assert.deepEqual([...t.numbers('c')], [3, 6]);
    const words = parseCsv('x\n1\nabc\n', { file: 'w.csv' });
    assertThrowsWith(() => words.numbers('x'), nb.DataError, ['w.csv', "'abc'", 'line 3', "column 1 'x'", 'not a number']);
    assertThrowsWith(() => parseCsv('x\n0x10\n').numbers(0), nb.DataError, ["'0x10'", 'not a number']);
    assertThrowsWith(() => parseCsv('a,b\n1,2\n3\n', { file: 'r.csv' }), nb.DataError, ['r.csv', 'line 3 has 1 fields, expected 2']);
    assertThrowsWith(() => parseCsv('a,b\n"1,2\n', { file: 'q.csv' }), nb.DataError, ['q.csv', 'unterminated quoted field starting on line 2, column 1']);
    assertThrowsWith(() => parseCsv('a\n"1"x\n', { file: 'z.csv' }), nb.DataError, ['z.csv', "unexpected character 'x' after a closing quote on line 2"]);
    assertThrowsWith(() => parseCsv('', { file: 'e.csv' }), nb.DataError, ['e.csv', 'empty']);
    assertThrowsWith(() => t.numbers('nope'), nb.ValueError, ["no column 'nope'", 'a, b, c']);
    assertThrowsWith(() => readCsv(join(tmp, 'absent.csv')), nb.DataError, ['absent.csv', 'cannot read CSV file']);
  });
});

describe('data set location', () => {
  it('looks in dir (itself, then dir/name), then $NABLA_DATA/name (unset: ../shared/data/name from the cwd), then the cache', () => {
    assert.deepEqual(datasetCandidates('mnist', { dir: '/d', env: '/e', cwd: '/w/repo', cache: '/c' }), [
      { path: '/d', from: 'dir option' },
      { path: '/d/mnist', from: 'dir option' },
      { path: '/e/mnist', from: 'NABLA_DATA' },
      { path: '/c/mnist', from: 'cache' },
    ]);
    assert.deepEqual(datasetCandidates('mnist', { dir: 'rel', cwd: '/w/repo' })[0]!.path, '/w/repo/rel');
    assert.deepEqual(datasetCandidates('iris', { env: '/e', cwd: '/w/repo' }), [{ path: '/e/iris', from: 'NABLA_DATA' }]);
    assert.deepEqual(datasetCandidates('iris', { env: '', cwd: '/w/repo', cache: 'c' }), [
      { path: '/w/shared/data/iris', from: 'default ../shared/data' },
      { path: '/w/repo/c/iris', from: 'cache' },
    ]);
  });

  it('puts the cache in cacheDir, else $NABLA_CACHE_DIR, else $XDG_CACHE_HOME/nabla/datasets, else ~/.cache/nabla/datasets', () => {
    const saved = { c: process.env['NABLA_CACHE_DIR'], x: process.env['XDG_CACHE_HOME'] };
    try {
      assert.equal(cacheRoot('/mine'), '/mine');
      process.env['NABLA_CACHE_DIR'] = '/nc';
      assert.equal(cacheRoot(), '/nc');
      delete process.env['NABLA_CACHE_DIR'];
      process.env['XDG_CACHE_HOME'] = '/xdg';
      assert.equal(cacheRoot(), '/xdg/nabla/datasets');
      delete process.env['XDG_CACHE_HOME'];
      assert.equal(cacheRoot(), join(homedir(), '.cache', 'nabla', 'datasets'));
    } finally {
      process.env['NABLA_CACHE_DIR'] = saved.c;
      if (saved.x === undefined) delete process.env['XDG_CACHE_HOME'];
      else process.env['XDG_CACHE_HOME'] = saved.x;
    }
  });

  it('loads from NABLA_DATA and from an explicit dir, and names every path tried when absent', async () => {
    const dataRoot = join(tmp, 'nabla-data');
    writeTinyMnist(join(dataRoot, 'mnist'));
    const viaEnv = await withNablaData(dataRoot, () => mnist.load());
    assert.deepEqual([...viaEnv.train.x.shape], [3, 28, 28, 1]);
    // An explicit dir wins over NABLA_DATA, and may be the data set's folder or its parent.
    const elsewhere = join(tmp, 'elsewhere');
    writeTinyMnist(join(elsewhere, 'mnist'), { train: 4, test: 1 });
    assert.equal((await withNablaData(dataRoot, () => mnist.load({ dir: elsewhere }))).train.x.shape[0], 4);
    assert.equal((await withNablaData(dataRoot, () => mnist.load({ dir: join(elsewhere, 'mnist') }))).train.x.shape[0], 4);
    // Missing everywhere: the message lists the places and what was missing.
    const empty = join(tmp, 'empty-root');
    mkdirSync(join(empty, 'iris'), { recursive: true });
    const cache = join(tmp, 'cache');
    await withNablaData(empty, async () => {
      await rejectsWith(iris.load({ download: false }), nb.DataError, ['iris: data set not found', join(empty, 'iris'), 'NABLA_DATA', 'missing iris.csv', join(cache, 'iris'), '(cache: no such folder)', 'download: false']);
      await rejectsWith(fashionMnist.load({ download: false }), nb.DataError, [join(empty, 'fashion-mnist'), 'no such folder']);
      await rejectsWith(californiaHousing.load({ dir: empty, download: false }), nb.DataError, ['california-housing', `${empty} (dir option`, join(empty, 'california-housing'), join(cache, 'california-housing')]);
    });
  });
});

describe('MNIST-format loader', () => {
  it('returns float32 [n, 28, 28, 1] images scaled to [0, 1] and int32 labels', async () => {
    const dir = join(tmp, 'tiny-mnist');
    writeTinyMnist(dir);
    const { train, test, classNames } = await mnist.load({ dir });
    assert.equal(train.x.dtype, 'float32');
    assert.deepEqual([...train.x.shape], [3, 28, 28, 1]);
    assert.equal(train.y.dtype, 'int32');
    assert.deepEqual([...train.y.values], [0, 3, 6]);
    assert.deepEqual([...test.x.shape], [2, 28, 28, 1]);
    // Image 1, pixel (row 2, column 5) is byte (7 + 2 * 28 + 5) % 256 = 68.
    assert.equal(train.x.values[784 + 2 * 28 + 5], Math.fround(68 / 255));
    assert.equal((await mnist.load({ dir, normalize: false })).train.x.values[784 + 61], 68);
    assert.equal(classNames.length, 10);
  });

  it('rejects label files that do not match the images, and images that are not 28x28', async () => {
    const dir = join(tmp, 'bad-labels');
    writeTinyMnist(dir, { train: 3, test: 2 }, { labels: [1, 2] });
    await rejectsWith(mnist.load({ dir }), nb.DataError, [join(dir, MNIST_FILES.trainLabels), '2 labels', '3 images']);
    const dir2 = join(tmp, 'bad-label-value');
    writeTinyMnist(dir2, { train: 3, test: 3 }, { labels: [1, 12, 3] });
    await rejectsWith(mnist.load({ dir: dir2 }), nb.DataError, [MNIST_FILES.trainLabels, 'label 12 at byte offset 9']);
    const dir3 = join(tmp, 'bad-size');
    writeTinyMnist(dir3, { train: 2, test: 2 }, { rows: 27 });
    await rejectsWith(mnist.load({ dir: dir3 }), nb.DataError, [MNIST_FILES.trainImages, 'expected 28x28 images', '27x28']);
  });

  it('reads the committed subset (data/mnist-subset): 2,000 + 500 images, the first ones of MNIST', { skip: existsSync(join(root, 'data', 'mnist-subset')) ? false : 'data/mnist-subset is missing' }, async () => {
    const subset = await mnist.load({ dir: join(root, 'data', 'mnist-subset') });
    assert.deepEqual([...subset.train.x.shape], [2000, 28, 28, 1]);
    assert.deepEqual([...subset.test.y.shape], [500]);
    // Class counts of the first 2,000 training labels (printed by scripts/make-mnist-subset.ts).
    const counts = new Array(10).fill(0);
    for (const v of subset.train.y.values) counts[v as number]++;
    assert.deepEqual(counts, [191, 220, 198, 191, 214, 180, 200, 224, 172, 210]);
    if (sharedSkip('mnist') === false) {
      const full = readIdxFile(join(shared, 'mnist', MNIST_FILES.testImages));
      const mine = readIdxFile(join(root, 'data', 'mnist-subset', MNIST_FILES.testImages));
      assert.deepEqual(mine.data, full.data.subarray(0, 500 * 784));
    }
  });
});

describe('data sets from ../shared/data', () => {
  it('mnist: 60,000 + 10,000 images with the published class counts', { skip: sharedSkip('mnist') }, async () => {
    const { train, test } = await datasets.mnist.load({ dir: join(shared, 'mnist') });
    assert.deepEqual([...train.x.shape], [60000, 28, 28, 1]);
    assert.equal(train.x.dtype, 'float32');
    assert.deepEqual([...train.y.shape], [60000]);
    assert.equal(train.y.dtype, 'int32');
    assert.deepEqual([...test.x.shape], [10000, 28, 28, 1]);
    assert.equal(test.x.max().item(), 1);
    assert.equal(test.x.min().item(), 0);
    const counts = (y: nb.Tensor): number[] => {
      const c = new Array(10).fill(0);
      for (const v of y.values) c[v as number]++;
      return c;
    };
    assert.deepEqual(counts(train.y), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    assert.deepEqual(counts(test.y), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('fashion-mnist: 60,000 + 10,000 images, 6,000 / 1,000 per class', { skip: sharedSkip('fashion-mnist') }, async () => {
    const { train, test, classNames } = await datasets.fashionMnist.load({ dir: join(shared, 'fashion-mnist') });
    assert.deepEqual([...train.x.shape], [60000, 28, 28, 1]);
    assert.deepEqual([...test.x.shape], [10000, 28, 28, 1]);
    assert.equal(classNames[9], 'Ankle boot');
    assert.equal(test.y.equal(9).cast('int32').sum().item(), 1000);
  });

  it('iris: 150 x 4 float32 features, 50 flowers per species', { skip: sharedSkip('iris') }, async () => {
    const { x, y, classNames, featureNames } = await datasets.iris.load({ dir: join(shared, 'iris') });
    assert.deepEqual([...x.shape], [150, 4]);
    assert.equal(x.dtype, 'float32');
    assert.equal(y.dtype, 'int32');
    assert.deepEqual(classNames, ['setosa', 'versicolor', 'virginica']);
    assert.equal(featureNames[2], 'petal_length');
    assert.deepEqual([...x.values.subarray(0, 4)].map((v) => Math.round(v * 10) / 10), [5.1, 3.5, 1.4, 0.2]);
    for (const c of [0, 1, 2]) assert.equal(y.equal(c).cast('int32').sum().item(), 50);
  });

  it('california housing: 20,640 x 13 features, 207 total_bedrooms imputed with the median 435, one-hot ocean_proximity', { skip: sharedSkip('california-housing') }, async () => {
    const dir = join(shared, 'california-housing');
    const { x, y, imputed, featureNames, categories } = await datasets.californiaHousing.load({ dir });
    assert.deepEqual([...x.shape], [20640, 13]);
    assert.deepEqual([...y.shape], [20640]);
    assert.deepEqual(imputed, { total_bedrooms: { count: 207, value: 435 } });
    assert.equal(featureNames[4], 'total_bedrooms');
    assert.deepEqual(categories, ['<1H OCEAN', 'INLAND', 'ISLAND', 'NEAR BAY', 'NEAR OCEAN']);
    // Line 292 of housing.csv (row index 290) has no total_bedrooms.
    assert.equal(x.values[290 * 13 + 4], 435);
    const oneHot = nb.slice(x, [0, 8], [-1, 5]);
    assert.equal(oneHot.sum(1).min().item(), 1);
    assert.equal(oneHot.sum(1).max().item(), 1);
    assert.deepEqual([...oneHot.sum(0).values], [9136, 6551, 5, 2290, 2658]);
    assert.equal(y.min().item(), 14999);
    assert.equal(y.max().item(), 500001);
    await rejectsWith(datasets.californiaHousing.load({ dir, missing: 'error' }), nb.DataError, ['housing.csv', 'missing value at line 292', "column 5 'total_bedrooms'"]);
  });
});

describe('more data sets from ../shared/data, through nb.datasets', () => {
  const opts = (name: string): { dir: string; download: false } => ({ dir: join(shared, name), download: false });

  it('tinyShakespeare: 1,115,394 characters, 65 distinct, the nanoGPT 90/10 split', { skip: sharedSkip('tinyshakespeare') }, async () => {
    const { text, train, validation, vocabulary } = await nb.datasets.tinyShakespeare.load(opts('tinyshakespeare'));
    assert.equal(text.length, 1115394);
    assert.equal(train.length, 1003854);
    assert.equal(train + validation, text);
    assert.equal(vocabulary.length, 65);
    assert.deepEqual(vocabulary.slice(0, 3), ['\n', ' ', '!']);
    assert.ok(text.startsWith('First Citizen:\nBefore we proceed'));
    assert.equal((await nb.datasets.tinyShakespeare.load({ ...opts('tinyshakespeare'), validationFraction: 0 })).validation, '');
  });

  it('sentimentSentences: 3 x 1,000 sentences, 500/500 labels per source, imdb trimmed, U+0085 kept inside sentences', { skip: sharedSkip('sentiment-labelled-sentences') }, async () => {
    const data = await nb.datasets.sentimentSentences.load(opts('sentiment-labelled-sentences'));
    assert.equal(data.texts.length, 3000);
    assert.deepEqual([...data.labels.shape], [3000]);
    assert.equal(data.labels.dtype, 'int32');
    for (const src of ['amazon', 'imdb', 'yelp'] as const) {
      const idx = data.source.flatMap((s, i) => (s === src ? [i] : []));
      assert.equal(idx.length, 1000);
      assert.equal(idx.filter((i) => data.labels.values[i] === 1).length, 500);
    }
    assert.ok(data.texts.every((t) => t === t.trim() && t.length > 0));
    assert.ok(data.texts.some((t) => t.includes('\u0085')));
    const split = await nb.datasets.sentimentSentences.load({ ...opts('sentiment-labelled-sentences'), sources: ['yelp'], testSize: 0.2, seed: 1 });
    assert.equal(split.texts.length, 1000);
    assert.equal(split.test!.texts.length, 200);
    assert.equal(split.train!.texts.length, 800);
    assert.equal(split.test!.labels.sum().item(), 100);
    assert.equal(new Set([...split.train!.texts, ...split.test!.texts]).size, new Set(split.texts).size);
  });

  it('fsdd: 3,000 recordings (2,700 train / 300 test), lazy reads, padded tensors', { skip: sharedSkip('fsdd') }, async () => {
    const lazy = await nb.datasets.fsdd.load({ ...opts('fsdd'), lazy: true });
    assert.equal(lazy.recordings.length, 3000);
    assert.equal(lazy.recordings.filter((r) => r.split === 'test').length, 300);
    assert.deepEqual(lazy.speakers, ['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler']);
    assert.ok(lazy.recordings.every((r) => r.waveform === undefined));
    const r = lazy.recordings.find((q) => q.file === '7_jackson_32.wav')!;
    assert.deepEqual([r.digit, r.speaker, r.index, r.split], [7, 'jackson', 32, 'train']);
    const w = await r.read();
    assert.equal(w.length, (readFileSync(r.path).length - 44) / 2);
    assert.equal(await r.read(), w);
    const test = await nb.datasets.fsdd.load({ ...opts('fsdd'), split: 'test', speakers: ['theo'] });
    assert.equal(test.recordings.length, 50);
    assert.ok(test.recordings.every((q) => q.waveform !== undefined && q.speaker === 'theo' && q.index < 5));
    const { x, y, lengths } = await test.toTensors({ length: 4000 });
    assert.deepEqual([...x.shape], [50, 4000]);
    assert.deepEqual([...y.values], [...test.labels]);
    assert.equal(lengths[0], test.recordings[0]!.waveform!.length);
    assert.ok(x.abs().max().item() <= 1);
  });

  it('fraEng: 142,787 English-French pairs from the gzip file; maxPairs and space normalisation', { skip: sharedSkip('tatoeba-fra-eng') }, async () => {
    const all = await nb.datasets.fraEng.load(opts('tatoeba-fra-eng'));
    assert.equal(all.pairs.length, 142787);
    assert.deepEqual(all.pairs.slice(0, 3), [['Go.', 'Va !'], ['Run!', 'Cours\u202f!'], ['Run!', 'Courez\u202f!']]);
    const few = await nb.datasets.fraEng.load({ ...opts('tatoeba-fra-eng'), maxPairs: 3, normalizeSpaces: true });
    assert.deepEqual(few.french, ['Va !', 'Cours !', 'Courez !']);
    assertThrowsWith(() => parseSentencePairs('a\tb\nno tab here\n', 'f.txt'), nb.DataError, ['f.txt', 'line 2', '1 TAB-separated fields']);
  });

  it('wine: 178 x 13 float32 features, classes 59 / 71 / 48 (no options: found in ../shared/data)', { skip: sharedSkip('wine') }, async () => {
    const saved = process.env['NABLA_DATA'];
    delete process.env['NABLA_DATA'];
    try {
      const { x, y, classNames, featureNames } = await nb.datasets.wine.load({ download: false });
      assert.deepEqual([...x.shape], [178, 13]);
      assert.deepEqual(classNames, ['class_0', 'class_1', 'class_2']);
      assert.equal(featureNames.length, 13);
      assert.equal(x.values[12], 1065);
      assert.deepEqual([0, 1, 2].map((c) => y.equal(c).cast('int32').sum().item()), [59, 71, 48]);
    } finally {
      if (saved !== undefined) process.env['NABLA_DATA'] = saved;
    }
  });
});

describe('helpers', () => {
  it('medianIgnoringNaN: odd and even counts, NaN skipped', () => {
    assert.equal(medianIgnoringNaN(Float64Array.from([3, NaN, 1, 2])), 2);
    assert.equal(medianIgnoringNaN(Float64Array.from([4, 1, NaN, 3, 10])), 3.5);
    assert.ok(Number.isNaN(medianIgnoringNaN(Float64Array.from([NaN]))));
  });

  it('trainTestSplit: seeded, disjoint, covering, stratified by class', () => {
    const n = 30;
    const x = nb.arange(n).reshape([n, 1]).cast('float32');
    const y = nb.tensor(Int32Array.from({ length: n }, (_, i) => (i < 20 ? 0 : 1)), [n], 'int32');
    const s = trainTestSplit(x, y, { testSize: 0.2, seed: 3, stratify: y });
    assert.deepEqual([s.xTrain.shape[0], s.xTest.shape[0]], [24, 6]);
    assert.equal(s.yTest.sum().item(), 2); // 20% of the 10 ones
    const ids = [...s.xTrain.values, ...s.xTest.values].sort((a, b) => (a as number) - (b as number));
    assert.deepEqual(ids, Array.from({ length: n }, (_, i) => i));
    // Each row keeps its label.
    for (let i = 0; i < 6; i++) assert.equal(s.yTest.values[i], (s.xTest.values[i] as number) < 20 ? 0 : 1);
    const again = trainTestSplit(x, y, { testSize: 0.2, seed: 3, stratify: y });
    assert.deepEqual([...again.xTest.values], [...s.xTest.values]);
    const other = trainTestSplit(x, y, { testSize: 0.2, seed: 4, stratify: y });
    assert.notDeepEqual([...other.xTest.values], [...s.xTest.values]);
    assertThrowsWith(() => trainTestSplit(x, nb.zeros([3]), {}), nb.ShapeError, ['same number of rows']);
    assertThrowsWith(() => trainTestSplit(x, y, { testSize: 1 }), nb.ValueError, ['testSize must be in (0, 1)']);
  });
});

// Keep the bytes of the committed subset honest: SOURCE.md lists their sha256.
describe('data/mnist-subset/SOURCE.md', () => {
  it('lists the sha256 of each committed file', { skip: existsSync(join(root, 'data', 'mnist-subset', 'SOURCE.md')) ? false : 'no SOURCE.md yet' }, async () => {
    const { createHash } = await import('node:crypto');
    const text = readFileSync(join(root, 'data', 'mnist-subset', 'SOURCE.md'), 'utf8');
    for (const file of Object.values(MNIST_FILES)) {
      const sha = createHash('sha256').update(readFileSync(join(root, 'data', 'mnist-subset', file))).digest('hex');
      assert.ok(text.includes(sha), `SOURCE.md lacks the sha256 ${sha} of ${file}`);
    }
  });
});
