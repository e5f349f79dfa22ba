// Builds data/mnist-subset/ (used by `npm start`): the first 2,000 training and the first 500
// test images of MNIST with their labels, as gzip IDX files with the original names, so that
// datasets.mnist.load({dir: 'data/mnist-subset'}) reads them like the full set.
//
//   npx tsx scripts/make-mnist-subset.ts [--from ../shared/data/mnist] [--train 2000] [--test 500]
//
// The output is deterministic (gzip level 9, no timestamp), so re-running it reproduces the
// committed bytes; their sha256 are printed for data/mnist-subset/SOURCE.md.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { encodeIdx, readIdxFile } from '../src/data/datasets/idx.js';
import { locateDataset } from '../src/data/datasets/locate.js';
import { MNIST_FILES } from '../src/data/datasets/mnist.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { from: { type: 'string' }, train: { type: 'string' }, test: { type: 'string' } } });
const counts = { train: Number(values.train ?? 2000), test: Number(values.test ?? 500) };
const source = locateDataset('mnist', Object.values(MNIST_FILES), { dir: values.from ?? join(root, '..', 'shared', 'data', 'mnist') });
const out = join(root, 'data', 'mnist-subset');
mkdirSync(out, { recursive: true });

const jobs = [
  [MNIST_FILES.trainImages, counts.train],
  [MNIST_FILES.trainLabels, counts.train],
  [MNIST_FILES.testImages, counts.test],
  [MNIST_FILES.testLabels, counts.test],
] as const;
for (const [file, n] of jobs) {
  const full = readIdxFile(join(source.dir, file));
  const per = full.shape.slice(1).reduce((a, b) => a * b, 1);
  if (!(Number.isInteger(n) && n > 0 && n <= full.shape[0]!)) throw new Error(`${file}: cannot take ${n} of ${full.shape[0]} items`);
  const subset = encodeIdx({ dtype: full.dtype, shape: [n, ...full.shape.slice(1)], data: full.data.subarray(0, n * per) });
  const bytes = gzipSync(subset, { level: 9 });
  const path = join(out, file);
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const classes = file.includes('labels') ? ` classes ${Array.from({ length: 10 }, (_, c) => (full.data.subarray(0, n) as Uint8Array).filter((v) => v === c).length).join('/')}` : '';
  console.log(`| \`${file}\` | ${n} | ${bytes.length} | \`${sha}\` |${classes}`);
}
console.log(`source: ${source.dir} (${readFileSync(join(source.dir, MNIST_FILES.trainImages)).length} bytes train-images)`);
