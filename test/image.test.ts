import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as nb from '../src/index.js';
import { Dataset } from '../src/data/dataset.js';
import {
  applyAffineTransform, applyBrightnessShift, applyChannelShift, centerCrop, crop, decodeImage, encodeJpeg, encodePng, flipLeftRight, flipUpDown,
  type ImageBatch, imageDataGenerator, imageDatasetFromDirectory, loadImage, loadImageSync, resize,
} from '../src/data/image/index.js';
import { assertClose, assertThrowsWith } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const catsVsDogs = join(root, '..', 'shared', 'data', 'cats-vs-dogs');
const tmp = mkdtempSync(join(tmpdir(), 'nabla-image-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** An int32 image [h, w, c] whose value at (y, x, k) is f(y, x, k). */
function image(h: number, w: number, c: number, f: (y: number, x: number, k: number) => number, dtype: 'int32' | 'float32' = 'int32'): nb.Tensor {
  const v = dtype === 'int32' ? new Int32Array(h * w * c) : new Float32Array(h * w * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) v[(y * w + x) * c + k] = f(y, x, k);
  return nb.tensor(v, [h, w, c], dtype);
}

function at(t: nb.Tensor, y: number, x: number, k = 0): number {
  const [, w, c] = t.shape.slice(-3) as [number, number, number];
  return t.values[(y * w + x) * c + k] as number;
}

/** Captures console.warn / console.log messages during `fn`. */
async function capture<T>(fn: () => Promise<T> | T, warnings: string[] = []): Promise<{ result: T; warnings: string[]; logs: string[] }> {
  const logs: string[] = [];
  const w = mock.method(console, 'warn', (m: unknown) => void warnings.push(String(m)));
  const l = mock.method(console, 'log', (m: unknown) => void logs.push(String(m)));
  try {
    return { result: await fn(), warnings, logs };
  } finally {
    w.mock.restore();
    l.mock.restore();
  }
}

async function collect(source: AsyncIterable<ImageBatch>): Promise<ImageBatch[]> {
  const out: ImageBatch[] = [];
  for await (const b of source) out.push(b);
  return out;
}

// A class folder tree of uniform images: the image of class k, index i has every value
// k * 100 + i * 10 + 5 (PNG for class 'a', JPEG at quality 100 for class 'b'), so each batch row
// says which file it came from.
const tree = join(tmp, 'tree');
const CLASS_COUNTS = { a: 5, b: 4 } as const;
function valueOf(cls: number, i: number): number {
  return cls * 100 + i * 10 + 5;
}
function makeTree(dir: string, counts: Record<string, number>): void {
  Object.entries(counts).forEach(([name, n], cls) => {
    mkdirSync(join(dir, name), { recursive: true });
    for (let i = 0; i < n; i++) {
      const img = image(6, 10, 3, () => valueOf(cls, i));
      const bytes = name === 'b' ? encodeJpeg(img, { quality: 100 }) : encodePng(img);
      writeFileSync(join(dir, name, `img${i}.${name === 'b' ? 'jpg' : 'png'}`), bytes);
    }
  });
}
makeTree(tree, CLASS_COUNTS);
writeFileSync(join(tree, 'a', 'notes.txt'), 'not an image');

/** The (class, index) that a uniform batch row came from, read from its first value. */
function identify(xs: nb.Tensor, row: number, scale = 1): [number, number] {
  const per = xs.size / xs.shape[0]!;
  const v = Math.round((xs.values[row * per] as number) / scale);
  const cls = Math.floor(v / 100);
  return [cls, Math.round((v - cls * 100 - 5) / 10)];
}

describe('image codecs', () => {
  it('PNG round trip is exact for grayscale, RGB and RGBA', () => {
    for (const c of [1, 3, 4]) {
      const img = image(7, 5, c, (y, x, k) => (y * 37 + x * 11 + k * 71) % 256);
      const bytes = encodePng(img);
      assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47]);
      const back = decodeImage(bytes);
      assert.equal(back.dtype, 'int32');
      assert.deepEqual(back.shape, [7, 5, c]);
      assert.deepEqual([...back.values], [...img.values]);
    }
  });

  it('JPEG round trip stays within the codec tolerance', () => {
    const img = image(32, 40, 3, (y, x, k) => Math.round(128 + 100 * Math.sin((x + 2 * k) / 7) * Math.cos(y / 9)));
    const back = decodeImage(encodeJpeg(img, { quality: 95 }), { dtype: 'float32' });
    assert.deepEqual(back.shape, [32, 40, 3]);
    let sum = 0;
    let max = 0;
    img.values.forEach((v, i) => {
      const d = Math.abs((v as number) - (back.values[i] as number));
      sum += d;
      max = Math.max(max, d);
    });
    assert.ok(sum / img.size < 2, `mean abs error ${sum / img.size}`);
    assert.ok(max < 24, `max abs error ${max}`);
    // A grayscale image comes back as gray (equal channels) and as 1 channel on request.
    const gray = image(16, 16, 1, (y, x) => 8 * x + 4 * y);
    const gBack = decodeImage(encodeJpeg(gray), { channels: 1 });
    assert.deepEqual(gBack.shape, [16, 16, 1]);
    assertClose(gBack, gray, { atol: 6, rtol: 0 });
  });

  it('converts channels as PIL does (luma, alpha dropped or opaque)', () => {
    const rgb = image(1, 2, 3, (_, x, k) => [[200, 100, 50], [10, 20, 30]][x]![k]!);
    const gray = decodeImage(encodePng(rgb), { channels: 1 });
    assert.deepEqual([...gray.values], [Math.round(200 * 0.299 + 100 * 0.587 + 50 * 0.114), Math.round(10 * 0.299 + 20 * 0.587 + 30 * 0.114)]);
    const rgba = decodeImage(encodePng(rgb), { channels: 4 });
    assert.deepEqual([...rgba.values], [200, 100, 50, 255, 10, 20, 30, 255]);
    const withAlpha = image(1, 1, 4, (_, __, k) => [1, 2, 3, 4][k]!);
    assert.deepEqual([...decodeImage(encodePng(withAlpha), { channels: 3 }).values], [1, 2, 3]);
    const g = image(1, 1, 1, () => 77);
    assert.deepEqual([...decodeImage(encodePng(g), { channels: 3 }).values], [77, 77, 77]);
  });

  it('throws a DataError naming the file for truncated, empty or foreign bytes', () => {
    const png = encodePng(image(20, 20, 3, (y, x) => (x * y) % 256));
    const jpg = encodeJpeg(image(20, 20, 3, (y, x) => (x * y) % 256));
    assertThrowsWith(() => decodeImage(png.subarray(0, png.length - 30), { name: 'cut.png' }), nb.DataError, ["'cut.png'", 'PNG', 'truncated']);
    assertThrowsWith(() => decodeImage(jpg.subarray(0, Math.floor(jpg.length * 0.7)), { name: 'cut.jpg' }), nb.DataError, ["'cut.jpg'", 'JPEG', 'truncated']);
    assertThrowsWith(() => decodeImage(new Uint8Array(0), { name: 'empty.png' }), nb.DataError, ["'empty.png'", 'empty']);
    assertThrowsWith(() => decodeImage(new TextEncoder().encode('GIF89a....'), { name: 'x.gif' }), nb.DataError, ["'x.gif'", 'neither a PNG nor a JPEG']);
  });

  it('validates what it encodes', () => {
    assertThrowsWith(() => encodePng(image(2, 2, 3, () => 300, 'float32')), nb.ValueError, ['[0, 255]', '300']);
    assertThrowsWith(() => encodePng(image(2, 2, 2, () => 1)), nb.ValueError, ['1, 3 or 4 channels']);
    assertThrowsWith(() => encodeJpeg(image(2, 2, 3, () => 1), { quality: 0 }), nb.ValueError, ['quality']);
    assertThrowsWith(() => encodePng(nb.zeros([2, 2])), nb.ShapeError, ['[height, width, channels]']);
  });

  it('loadImage reads, converts and resizes a file; a missing file is a DataError', async () => {
    const file = join(tmp, 'load.png');
    writeFileSync(file, encodePng(image(4, 6, 3, (y, x, k) => 10 * y + x + k)));
    const t = await loadImage(file, { targetSize: [2, 3], interpolation: 'nearest' });
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.shape, [2, 3, 3]);
    // Nearest with half-pixel centres: rows 1 and 3, columns 1, 3, 5.
    assert.deepEqual([...t.values].filter((_, i) => i % 3 === 0), [11, 13, 15, 31, 33, 35]);
    const g = loadImageSync(file, { colorMode: 'grayscale', dtype: 'int32' });
    assert.deepEqual(g.shape, [4, 6, 1]);
    await assert.rejects(loadImage(join(tmp, 'nope.png')), (e: Error) => e instanceof nb.DataError && e.message.includes('nope.png') && e.message.includes('does not exist'));
  });
});

describe('image transforms', () => {
  it('bilinear resize matches the half-pixel formula computed by hand', () => {
    const img = nb.tensor([0, 10, 20, 30], [2, 2, 1]);
    // Source coordinates of the 4 outputs per axis: −0.25, 0.25, 0.75, 1.25 (clamped to the edges).
    const expected = [0, 2.5, 7.5, 10, 5, 7.5, 12.5, 15, 15, 17.5, 22.5, 25, 20, 22.5, 27.5, 30];
    assertClose(resize(img, [4, 4]), expected);
    // Downsampling 5×7 → 2×3: sample points ((i + 0.5)·5/2 − 0.5, (j + 0.5)·7/3 − 0.5).
    const big = image(5, 7, 1, (y, x) => y * y * 3 + x * 7 + ((x * y) % 5), 'float32');
    const ref = (sy: number, sx: number): number => {
      const y0 = Math.floor(sy);
      const x0 = Math.floor(sx);
      const v = (y: number, x: number): number => at(big, Math.min(Math.max(y, 0), 4), Math.min(Math.max(x, 0), 6));
      const fy = sy - y0;
      const fx = sx - x0;
      return (1 - fy) * ((1 - fx) * v(y0, x0) + fx * v(y0, x0 + 1)) + fy * ((1 - fx) * v(y0 + 1, x0) + fx * v(y0 + 1, x0 + 1));
    };
    const want: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) want.push(ref((i + 0.5) * 2.5 - 0.5, (j + 0.5) * (7 / 3) - 0.5));
    assertClose(resize(big, [2, 3]), want, { atol: 1e-4 });
    // Batches resize image by image; nearest keeps the dtype.
    const batch = nb.stack([img, nb.mul(img, 2)]);
    const r = resize(batch, [4, 4]);
    assert.deepEqual(r.shape, [2, 4, 4, 1]);
    assertClose(r.values.subarray(16), expected.map((v) => 2 * v));
    const nearest = resize(nb.cast(img, 'int32'), [4, 4], { method: 'nearest' });
    assert.equal(nearest.dtype, 'int32');
    assert.deepEqual([...nearest.values], [0, 0, 10, 10, 0, 0, 10, 10, 20, 20, 30, 30, 20, 20, 30, 30]);
    assertThrowsWith(() => resize(img, [0, 3]), nb.ValueError, ['size']);
    assertThrowsWith(() => resize(img, [2, 2], { method: 'cubic' as never }), nb.ValueError, ['bilinear']);
  });

  it('crops to a box and to the centre', () => {
    const img = image(4, 5, 2, (y, x, k) => 100 * k + 10 * y + x);
    const c = crop(img, 1, 2, 2, 3);
    assert.deepEqual(c.shape, [2, 3, 2]);
    assert.deepEqual([...c.values].filter((_, i) => i % 2 === 0), [12, 13, 14, 22, 23, 24]);
    assert.deepEqual([...centerCrop(img, [2, 3]).values].filter((_, i) => i % 2 === 1), [111, 112, 113, 121, 122, 123]);
    assertThrowsWith(() => crop(img, 3, 0, 2, 2), nb.ValueError, ['does not fit', '4×5']);
  });

  it('flips mirror a marker pixel', () => {
    const img = image(5, 4, 3, (y, x) => (y === 1 && x === 3 ? 255 : 0));
    const lr = flipLeftRight(img);
    const ud = flipUpDown(img);
    assert.equal(at(lr, 1, 0), 255);
    assert.equal(at(ud, 3, 3), 255);
    assert.equal([...lr.values].filter((v) => v === 255).length, 3);
    assert.equal([...ud.values].filter((v) => v === 255).length, 3);
    assert.equal(lr.dtype, 'int32');
    // Batches flip per image.
    const both = flipLeftRight(nb.stack([img, img]));
    assert.equal(at(nb.slice(both, [1], [1]).reshape([5, 4, 3]), 1, 0), 255);
  });

  it('a shift moves a marker by the expected amount, filling by fillMode', () => {
    const img = image(7, 8, 1, (y, x) => (y === 3 && x === 4 ? 100 : 1), 'float32');
    const left = applyAffineTransform(img, { tx: 2, fillMode: 'constant', cval: -1 });
    assert.equal(at(left, 3, 2), 100);
    assert.equal([...left.values].filter((v) => v === 100).length, 1);
    for (let y = 0; y < 7; y++) assert.deepEqual([at(left, y, 6), at(left, y, 7)], [-1, -1], `row ${y} of the uncovered columns`);
    const up = applyAffineTransform(img, { ty: 1 });
    assert.equal(at(up, 2, 4), 100);
    assert.equal(at(up, 6, 0), 1); // 'nearest' (the default) repeats the edge
  });

  it('fill modes extend the input as Keras documents (constant, nearest, reflect, wrap)', () => {
    const row = image(1, 4, 1, (_, x) => x + 1, 'float32'); // a b c d = 1 2 3 4
    const shifted = (fillMode: 'constant' | 'nearest' | 'reflect' | 'wrap'): number[] => [...applyAffineTransform(row, { tx: -2, fillMode, cval: 9 }).values];
    assert.deepEqual(shifted('constant'), [9, 9, 1, 2]);
    assert.deepEqual(shifted('nearest'), [1, 1, 1, 2]);
    assert.deepEqual(shifted('reflect'), [2, 1, 1, 2]);
    assert.deepEqual(shifted('wrap'), [3, 4, 1, 2]);
    assertThrowsWith(() => applyAffineTransform(row, { tx: 1, fillMode: 'mirror' as never }), nb.ValueError, ['fillMode']);
  });

  it('rotation by 90° equals transpose and flip (counter-clockwise)', () => {
    const n = 6;
    const img = image(n, n, 2, (y, x, k) => ((y * 13 + x * 7 + k * 29) % 50) + 3 * k, 'float32');
    const rotated = applyAffineTransform(img, { theta: 90 });
    const expected = flipUpDown(nb.transpose(img, [1, 0, 2]));
    assertClose(rotated, expected, { atol: 1e-3 });
    // Counter-clockwise: the top-right corner moves to the top-left.
    assert.equal(at(rotated, 0, 0, 1), at(img, 0, n - 1, 1));
    assertClose(applyAffineTransform(img, { theta: -90 }), flipLeftRight(nb.transpose(img, [1, 0, 2])), { atol: 1e-3 });
  });

  it('zoom and shear resample about the centre', () => {
    const ramp = image(5, 5, 1, (_, x) => 10 * x, 'float32');
    // zx = 0.5 samples the input at C + 0.5·(x − C), C = 2: bilinear is exact on a ramp.
    const zoomed = applyAffineTransform(ramp, { zx: 0.5, zy: 0.5 });
    for (let x = 0; x < 5; x++) assertClose(at(zoomed, 1, x), 10 + 5 * x);
    // zx = 2 samples twice as far out: the outer columns clamp to the edges (fillMode nearest).
    assert.deepEqual([0, 1, 2, 3, 4].map((x) => at(applyAffineTransform(ramp, { zx: 2 }), 2, x)), [0, 0, 20, 40, 40]);
    // Shear by s: input x = C + dx − sin(s)·dy, so row dy shifts by −sin(s)·dy·10 on the ramp.
    const sheared = applyAffineTransform(ramp, { shear: 30 });
    assertClose(at(sheared, 2, 2), 20, { atol: 1e-4 });
    assertClose(at(sheared, 3, 2), 20 - 10 * Math.sin(Math.PI / 6), { atol: 1e-4 });
    assertClose(at(sheared, 1, 2), 20 + 10 * Math.sin(Math.PI / 6), { atol: 1e-4 });
  });

  it('brightness scales and clips; channel shift adds and clips to the image range', () => {
    const img = image(2, 2, 3, (y, x, k) => [0, 50, 100, 200][y * 2 + x]! + k, 'float32');
    const bright = applyBrightnessShift(img, 1.5);
    assert.deepEqual([0, 1, 2, 3].map((i) => bright.values[i * 3]), [0, 75, 150, 255]);
    const dark = applyBrightnessShift(img, 0.5);
    assert.deepEqual([0, 1, 2, 3].map((i) => dark.values[i * 3]), [0, 25, 50, 100]);
    const shifted = applyChannelShift(img, 30);
    assert.deepEqual([0, 1, 2, 3].map((i) => shifted.values[i * 3 + 2]), [32, 82, 132, 202]); // max of the image is 202
    assert.deepEqual([0, 1, 2, 3].map((i) => shifted.values[i * 3]), [30, 80, 130, 202]);
    const down = applyChannelShift(img, -60);
    assert.deepEqual([0, 1, 2, 3].map((i) => down.values[i * 3]), [0, 0, 40, 140]);
  });
});

describe('imageDataGenerator', () => {
  const x = nb.tensor(Float32Array.from({ length: 10 * 4 * 4 * 3 }, (_, i) => (Math.floor(i / 48) * 20 + (i % 48)) % 256), [10, 4, 4, 3]);
  const y = nb.arange(0, 10, 1, 'int32');

  it('flow: batches, rescale, every sample once per epoch, seeded order', async () => {
    const gen = imageDataGenerator({ rescale: 1 / 255 });
    const it = gen.flow(x, y, { batchSize: 4, seed: 3 });
    assert.equal(it.numBatches, 3);
    const e1 = await collect(it);
    assert.deepEqual(e1.map((b) => b.xs.shape), [[4, 4, 4, 3], [4, 4, 4, 3], [2, 4, 4, 3]]);
    const seen = e1.flatMap((b) => [...b.ys!.values]);
    assert.deepEqual([...seen].sort((a, b) => a - b), [...Array(10).keys()]);
    assert.notDeepEqual(seen, [...Array(10).keys()], 'shuffled');
    for (const b of e1) {
      assert.ok(b.xs.values.every((v) => v >= 0 && v <= 1));
      b.ys!.values.forEach((label, r) => assertClose(b.xs.values.subarray(r * 48, r * 48 + 48), x.values.subarray(label * 48, label * 48 + 48).map((v) => v / 255)));
    }
    const e2 = (await collect(it)).flatMap((b) => [...b.ys!.values]);
    assert.notDeepEqual(e2, seen, 'reshuffled each epoch');
    const again = gen.flow(x, y, { batchSize: 4, seed: 3 });
    assert.deepEqual((await collect(again)).flatMap((b) => [...b.ys!.values]), seen, 'same seed, same order');
    const ordered = await collect(gen.flow(x, null, { batchSize: 6, shuffle: false }));
    assert.equal(ordered[0]!.ys, undefined);
    assertClose(ordered[1]!.xs.values, x.values.subarray(6 * 48).map((v) => v / 255));
  });

  it('flow: validationSplit subsets are disjoint and cover the data', async () => {
    const gen = imageDataGenerator({ validationSplit: 0.3 });
    const train = gen.flow(x, y, { batchSize: 3, subset: 'training', seed: 1 });
    const val = gen.flow(x, y, { batchSize: 3, subset: 'validation', seed: 1 });
    assert.deepEqual([train.samples, val.samples], [7, 3]);
    const tl = (await collect(train)).flatMap((b) => [...b.ys!.values]);
    const vl = (await collect(val)).flatMap((b) => [...b.ys!.values]);
    assert.deepEqual([...vl].sort(), [0, 1, 2]); // Keras: validation is the first fraction
    assert.deepEqual([...tl, ...vl].sort((a, b) => a - b), [...Array(10).keys()]);
    assertThrowsWith(() => imageDataGenerator().flow(x, y, { subset: 'training' }), nb.ValueError, ['validationSplit']);
    assertThrowsWith(() => imageDataGenerator({ validationSplit: 1 }), nb.ValueError, ['validationSplit']);
  });

  it('augmentation is seeded: same seed same images, and each transform is a flip or not', async () => {
    const gen = imageDataGenerator({ horizontalFlip: true });
    const a = await collect(gen.flow(x, y, { batchSize: 10, seed: 5, shuffle: false }));
    const b = await collect(gen.flow(x, y, { batchSize: 10, seed: 5, shuffle: false }));
    assert.deepEqual([...a[0]!.xs.values], [...b[0]!.xs.values]);
    let flipped = 0;
    for (let i = 0; i < 10; i++) {
      const img = nb.reshape(nb.slice(x, [i], [1]), [4, 4, 3]);
      const out = a[0]!.xs.values.subarray(i * 48, i * 48 + 48);
      const mirror = flipLeftRight(img).values;
      if ([...out].every((v, j) => v === mirror[j])) flipped++;
      else assert.deepEqual([...out], [...img.values], `image ${i} is neither the original nor its mirror`);
    }
    assert.ok(flipped > 0 && flipped < 10, `${flipped} of 10 flipped`);
    const rotGen = imageDataGenerator({ rotationRange: 40, widthShiftRange: 0.2, heightShiftRange: 0.2, shearRange: 0.2, zoomRange: 0.2, fillMode: 'nearest' });
    const r1 = rotGen.randomTransform(nb.reshape(nb.slice(x, [0], [1]), [4, 4, 3]), 9);
    const r2 = rotGen.randomTransform(nb.reshape(nb.slice(x, [0], [1]), [4, 4, 3]), 9);
    assert.deepEqual([...r1.values], [...r2.values]);
    const p = rotGen.getRandomTransform([4, 4, 3], 2);
    assert.ok(Math.abs(p.theta) <= 40 && Math.abs(p.tx) <= 0.8 && Math.abs(p.ty) <= 0.8 && p.zx >= 0.8 && p.zx <= 1.2);
  });

  it('standardizes in Keras order: preprocessingFunction, rescale, samplewise, featurewise', () => {
    const img = image(2, 2, 3, (yy, xx, k) => yy * 4 + xx * 2 + k * 10, 'float32');
    const pf = imageDataGenerator({ preprocessingFunction: (t) => nb.add(t, 10), rescale: 0.5 }).standardize(img);
    assertClose(pf, Array.from(img.values, (v) => (v + 10) * 0.5));
    const sw = imageDataGenerator({ samplewiseCenter: true, samplewiseStdNormalization: true }).standardize(img);
    assertClose(nb.mean(sw).item(), 0, { atol: 1e-5 });
    assertClose(Math.sqrt(nb.mean(nb.square(sw)).item()), 1, { atol: 1e-4 });
    const fw = imageDataGenerator({ featurewiseCenter: true, featurewiseStdNormalization: true, rescale: 2 });
    const data = nb.stack([img, nb.add(img, 4)]);
    fw.fit(data);
    // Per channel k: values 2·(yy·4 + xx·2 + 10k + {0, 4}) → mean 2·(3 + 2 + 10k), population std 2·√(5 + 4) = 6.
    assertClose(fw.mean!, [10, 30, 50]);
    assertClose(fw.std!, [6, 6, 6], { atol: 1e-5 });
    const out = fw.standardize(data);
    for (let k = 0; k < 3; k++) {
      const ch = [...out.values].filter((_, i) => i % 3 === k);
      assertClose(ch.reduce((s, v) => s + v, 0) / ch.length, 0, { atol: 1e-5 });
    }
    const { warnings } = (() => {
      const warned: string[] = [];
      const m = mock.method(console, 'warn', (s: unknown) => void warned.push(String(s)));
      imageDataGenerator({ featurewiseCenter: true }).standardize(img);
      m.mock.restore();
      return { warnings: warned };
    })();
    assert.match(warnings[0] ?? '', /fit/);
    assertThrowsWith(() => imageDataGenerator({ preprocessingFunction: () => nb.zeros([1, 1, 1]) }).standardize(img), nb.ShapeError, ['preprocessingFunction', '[2, 2, 3]']);
  });

  it('rejects bad options', () => {
    assertThrowsWith(() => imageDataGenerator({ zoomRange: [1.2, 0.8] }), nb.ValueError, ['zoomRange']);
    assertThrowsWith(() => imageDataGenerator({ rotationRange: -1 }), nb.ValueError, ['rotationRange']);
    assertThrowsWith(() => imageDataGenerator({ fillMode: 'edge' as never }), nb.ValueError, ['fillMode']);
    assertThrowsWith(() => imageDataGenerator({ brightnessRange: [1] as never }), nb.ValueError, ['brightnessRange']);
  });
});

describe('flowFromDirectory', () => {
  const opts = { targetSize: [6, 10] as [number, number], batchSize: 4, verbose: false, workers: 0 };

  it('lists classes from sorted subfolders and labels match the folders', async () => {
    const gen = imageDataGenerator();
    const it = gen.flowFromDirectory(tree, { ...opts, classMode: 'binary', seed: 1 });
    assert.equal(it.samples, 9);
    assert.deepEqual(it.classIndices, { a: 0, b: 1 });
    assert.deepEqual(it.filenames, ['a/img0.png', 'a/img1.png', 'a/img2.png', 'a/img3.png', 'a/img4.png', 'b/img0.jpg', 'b/img1.jpg', 'b/img2.jpg', 'b/img3.jpg']);
    assert.deepEqual([...it.classes], [0, 0, 0, 0, 0, 1, 1, 1, 1]);
    assert.equal(it.numBatches, 3);
    assert.equal(it.batchSize, 4);
    const batches = await collect(it);
    assert.deepEqual(batches.map((b) => b.xs.shape), [[4, 6, 10, 3], [4, 6, 10, 3], [1, 6, 10, 3]]);
    const seen: string[] = [];
    for (const b of batches) {
      assert.deepEqual(b.ys!.shape, [b.xs.shape[0]]);
      for (let r = 0; r < b.xs.shape[0]!; r++) {
        const [cls, i] = identify(b.xs, r);
        assert.equal(b.ys!.values[r], cls, 'label of the folder the image came from');
        seen.push(`${cls}/${i}`);
      }
    }
    assert.deepEqual([...seen].sort(), ['0/0', '0/1', '0/2', '0/3', '0/4', '1/0', '1/1', '1/2', '1/3'], 'every image exactly once');
  });

  it('rescales, encodes labels per classMode, and prints what Keras prints', async () => {
    const { result: it, logs } = await capture(() => imageDataGenerator({ rescale: 1 / 255 }).flowFromDirectory(tree, { ...opts, verbose: true, classMode: 'categorical', shuffle: false }));
    assert.deepEqual(logs, ['Found 9 images belonging to 2 classes.']);
    const [b0] = await collect(it);
    assert.ok(b0!.xs.values.every((v) => v >= 0 && v <= 1));
    assertClose(b0!.xs.values[0]!, 5 / 255, { atol: 1e-6 });
    assert.deepEqual(b0!.ys!.shape, [4, 2]);
    assert.deepEqual([...b0!.ys!.values], [1, 0, 1, 0, 1, 0, 1, 0]);
    const sparse = await collect(imageDataGenerator().flowFromDirectory(tree, { ...opts, classMode: 'sparse', shuffle: false, batchSize: 9 }));
    assert.deepEqual([...sparse[0]!.ys!.values], [0, 0, 0, 0, 0, 1, 1, 1, 1]);
    const input = await collect(imageDataGenerator().flowFromDirectory(tree, { ...opts, classMode: 'input' }));
    assert.equal(input[0]!.ys, input[0]!.xs);
    const none = await collect(imageDataGenerator().flowFromDirectory(tree, { ...opts, classMode: null, colorMode: 'grayscale' }));
    assert.equal(none[0]!.ys, undefined);
    assert.deepEqual(none[0]!.xs.shape, [4, 6, 10, 1]);
  });

  it('is deterministic under a seed and reshuffles every epoch', async () => {
    const gen = imageDataGenerator({ rotationRange: 20, horizontalFlip: true });
    const order = async (it: AsyncIterable<ImageBatch>): Promise<string[]> => (await collect(it)).flatMap((b) => Array.from({ length: b.xs.shape[0]! }, (_, r) => identify(b.xs, r).join('/')));
    const a = gen.flowFromDirectory(tree, { ...opts, seed: 11 });
    const b = gen.flowFromDirectory(tree, { ...opts, seed: 11 });
    const a1 = await collect(a);
    const b1 = await collect(b);
    assert.deepEqual(a1.map((x) => [...x.xs.values]), b1.map((x) => [...x.xs.values]));
    const a2 = await order(a);
    assert.notDeepEqual(a2, await order(gen.flowFromDirectory(tree, { ...opts, seed: 11 })), 'epoch 2 differs from epoch 1');
    assert.deepEqual(a2, await order(b), 'epoch 2 is the same for the same seed');
  });

  it('validationSplit subsets take each class in file order and do not overlap', async () => {
    const gen = imageDataGenerator({ validationSplit: 0.4 });
    const train = gen.flowFromDirectory(tree, { ...opts, subset: 'training', seed: 2 });
    const val = gen.flowFromDirectory(tree, { ...opts, subset: 'validation', seed: 2 });
    assert.deepEqual(val.filenames, ['a/img0.png', 'a/img1.png', 'b/img0.jpg']);
    assert.deepEqual(train.filenames, ['a/img2.png', 'a/img3.png', 'a/img4.png', 'b/img1.jpg', 'b/img2.jpg', 'b/img3.jpg']);
    const ids = async (it: AsyncIterable<ImageBatch>): Promise<string[]> => (await collect(it)).flatMap((b) => Array.from({ length: b.xs.shape[0]! }, (_, r) => identify(b.xs, r).join('/')));
    const t = await ids(train);
    const v = await ids(val);
    assert.equal(t.filter((s) => v.includes(s)).length, 0);
    assert.equal(new Set([...t, ...v]).size, 9);
  });

  it('decodes in worker threads with the same results as in the main thread', async () => {
    const gen = imageDataGenerator({ rotationRange: 30, zoomRange: 0.2, horizontalFlip: true, rescale: 1 / 255 });
    const main = await collect(gen.flowFromDirectory(tree, { ...opts, seed: 4, workers: 0 }));
    const threaded = gen.flowFromDirectory(tree, { ...opts, seed: 4, workers: 2 });
    try {
      const inWorkers = await collect(threaded);
      assert.deepEqual(inWorkers.map((b) => [...b.xs.values]), main.map((b) => [...b.xs.values]));
      assert.deepEqual(inWorkers.map((b) => [...b.ys!.values]), main.map((b) => [...b.ys!.values]));
    } finally {
      await threaded.close();
    }
  });

  it('skips a truncated image with a warning naming it, or raises with onError: raise', async () => {
    const dir = join(tmp, 'broken');
    makeTree(dir, { a: 3, b: 3 });
    const good = readFileSync(join(dir, 'b', 'img1.jpg'));
    writeFileSync(join(dir, 'b', 'img1.jpg'), good.subarray(0, Math.floor(good.length / 2)));
    writeFileSync(join(dir, 'a', 'zero.png'), new Uint8Array(0));
    const warnings: string[] = [];
    const { result: batches } = await capture(async () => {
      const it = imageDataGenerator().flowFromDirectory(dir, { ...opts, batchSize: 8, shuffle: false });
      assert.equal(warnings.length, 0, 'files are only read as batches are consumed');
      const first = await collect(it);
      const second = await collect(it);
      assert.deepEqual([...it.skippedFiles].sort(), [join(dir, 'a', 'zero.png'), join(dir, 'b', 'img1.jpg')]);
      return [first, second];
    }, warnings);
    assert.equal(warnings.length, 2, `one warning per bad file, not per epoch: ${warnings.join(' | ')}`);
    assert.ok(warnings.some((w) => w.includes(join('b', 'img1.jpg')) && w.includes('truncated')));
    assert.ok(warnings.some((w) => w.includes('zero.png') && w.includes('empty')));
    for (const epoch of batches) assert.equal(epoch.reduce((n, b) => n + b.xs.shape[0]!, 0), 5);
    const raising = imageDataGenerator().flowFromDirectory(dir, { ...opts, onError: 'raise', shuffle: false });
    await assert.rejects(collect(raising), (e: Error) => e instanceof nb.DataError && e.message.includes('zero.png'));
  });

  it('reports a missing directory, a folder without class subfolders, missing classes', () => {
    const gen = imageDataGenerator();
    assertThrowsWith(() => gen.flowFromDirectory(join(tmp, 'missing'), opts), nb.DataError, ['missing', 'does not exist']);
    const flat = join(tmp, 'flat');
    mkdirSync(flat, { recursive: true });
    writeFileSync(join(flat, 'x.png'), encodePng(image(2, 2, 3, () => 1)));
    assertThrowsWith(() => gen.flowFromDirectory(flat, opts), nb.DataError, ['no class subfolders', 'flat']);
    assertThrowsWith(() => gen.flowFromDirectory(join(flat, 'x.png'), opts), nb.DataError, ['not a directory']);
    assertThrowsWith(() => gen.flowFromDirectory(tree, { ...opts, classes: ['a', 'c'] }), nb.DataError, [join(tree, 'c'), 'does not exist']);
    const three = join(tmp, 'three');
    makeTree(three, { a: 1, b: 1, c: 1 });
    assertThrowsWith(() => gen.flowFromDirectory(three, { ...opts, classMode: 'binary' }), nb.ValueError, ['exactly 2 classes', 'a, b, c']);
    assertThrowsWith(() => gen.flowFromDirectory(tree, { ...opts, classMode: 'multi' as never }), nb.ValueError, ['classMode']);
  });

  it('feeds model.fit directly', async () => {
    nb.setSeed(1);
    const model = nb.sequential([nb.layers.flatten({ inputShape: [6, 10, 3] }), nb.layers.dense({ units: 1, activation: 'sigmoid' })]);
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const gen = imageDataGenerator({ rescale: 1 / 255 });
    const train = gen.flowFromDirectory(tree, { ...opts, classMode: 'binary', seed: 1 });
    const val = gen.flowFromDirectory(tree, { ...opts, classMode: 'binary', shuffle: false });
    const history = await model.fit(train, { epochs: 2, validationData: val, verbose: 0 });
    assert.equal(history.history['loss']!.length, 2);
    assert.ok(Number.isFinite(history.history['val_accuracy']![1]));
  });
});

describe('imageDatasetFromDirectory', () => {
  const base = { imageSize: [6, 10] as [number, number], batchSize: 4, verbose: false, workers: 0 };

  it('yields {xs, ys} batches with Keras label encodings', async () => {
    const ds = imageDatasetFromDirectory(tree, { ...base, shuffle: false });
    assert.ok(ds instanceof Dataset);
    assert.deepEqual(ds.classNames, ['a', 'b']);
    assert.equal(ds.size, 3);
    const batches = await collect(ds);
    assert.deepEqual(batches.map((b) => b.xs.shape[0]), [4, 4, 1]);
    assert.equal(batches[0]!.ys!.dtype, 'int32');
    assert.deepEqual(batches.flatMap((b) => [...b.ys!.values]), [0, 0, 0, 0, 0, 1, 1, 1, 1]);
    assertClose(batches[2]!.xs.values[0]!, valueOf(1, 3), { atol: 1 });
    const cat = await collect(imageDatasetFromDirectory(tree, { ...base, labelMode: 'categorical', seed: 1 }));
    assert.deepEqual(cat[0]!.ys!.shape, [4, 2]);
    const bin = await collect(imageDatasetFromDirectory(tree, { ...base, labelMode: 'binary', seed: 1 }));
    assert.deepEqual(bin[0]!.ys!.shape, [4, 1]);
    for (const b of bin) for (let r = 0; r < b.xs.shape[0]!; r++) assert.equal(b.ys!.values[r], identify(b.xs, r)[0]);
    const singles = imageDatasetFromDirectory(tree, { ...base, batchSize: null, shuffle: false });
    const first = await singles.take(1).toArray();
    assert.deepEqual(first[0]!.xs.shape, [6, 10, 3]);
    assert.deepEqual(first[0]!.ys!.shape, []);
  });

  it('splits without overlap under a seed, and requires that seed', async () => {
    const [train, val] = imageDatasetFromDirectory(tree, { ...base, validationSplit: 0.34, subset: 'both', seed: 8 });
    assert.deepEqual([train.filePaths.length, val.filePaths.length], [6, 3]);
    assert.equal(train.filePaths.filter((f) => val.filePaths.includes(f)).length, 0);
    const again = imageDatasetFromDirectory(tree, { ...base, validationSplit: 0.34, subset: 'validation', seed: 8 });
    assert.deepEqual(again.filePaths, val.filePaths);
    const ids = (bs: ImageBatch[]): string[] => bs.flatMap((b) => Array.from({ length: b.xs.shape[0]! }, (_, r) => identify(b.xs, r).join('/')));
    const t = ids(await collect(train));
    const v = ids(await collect(val));
    assert.equal(new Set([...t, ...v]).size, 9);
    assertThrowsWith(() => imageDatasetFromDirectory(tree, { ...base, validationSplit: 0.2, subset: 'training' }), nb.ValueError, ['seed']);
    assertThrowsWith(() => imageDatasetFromDirectory(tree, { ...base, labelMode: 'binary', classNames: ['a'] }), nb.ValueError, ['exactly 2 classes']);
  });
});

describe('cats-vs-dogs folder', { skip: existsSync(catsVsDogs) ? false : '../shared/data/cats-vs-dogs is not present on this machine' }, () => {
  it('flowFromDirectory reads the photos with the right shapes and labels', async () => {
    const gen = imageDataGenerator({ rescale: 1 / 255 });
    const train = gen.flowFromDirectory(join(catsVsDogs, 'train'), { targetSize: [150, 150], batchSize: 8, classMode: 'binary', shuffle: false, verbose: false, workers: 0 });
    assert.equal(train.samples, 500);
    assert.deepEqual(train.classIndices, { cats: 0, dogs: 1 });
    assert.equal(train.numBatches, 63);
    const first = await train.getBatch(0);
    assert.deepEqual(first!.xs.shape, [8, 150, 150, 3]);
    assert.deepEqual([...first!.ys!.values], [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.ok(first!.xs.values.every((v) => v >= 0 && v <= 1));
    const last = await train.getBatch(62);
    assert.deepEqual(last!.xs.shape, [4, 150, 150, 3]);
    assert.deepEqual([...last!.ys!.values], [1, 1, 1, 1]);
    const val = imageDatasetFromDirectory(join(catsVsDogs, 'validation'), { imageSize: [64, 64], batchSize: 16, seed: 1, verbose: false, workers: 0 });
    assert.equal(val.filePaths.length, 200);
    const [b] = await val.take(1).toArray();
    assert.deepEqual(b!.xs.shape, [16, 64, 64, 3]);
    assert.ok([...b!.ys!.values].every((l) => l === 0 || l === 1));
  });
});
