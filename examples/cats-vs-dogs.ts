// Cats vs. dogs: the classic Keras small-data convnet, line for line — Conv2D 32/64/128/128 (3×3,
// relu), each followed by 2×2 max pooling, Flatten, Dense 512 relu, Dense 1 sigmoid on 150×150×3
// images; Adam, binary cross-entropy, accuracy; images streamed from class folders by
// imageDataGenerator({rescale: 1/255}).flowFromDirectory(...) and decoded batch by batch.
//
//   npx tsx examples/cats-vs-dogs.ts [--epochs 30] [--batch-size 32] [--backend native] [--data DIR]
//                                    [--json FILE] [--seed 1] [--augment] [--workers N]
//
// --data is the folder holding train/ and validation/ (each with cats/ and dogs/), or a folder
// containing cats-vs-dogs/; default $NABLA_DATA, then ../shared/data. --augment adds Keras' usual
// augmentation to the training images: rotation 40°, width/height shift 0.2, shear 0.2, zoom 0.2,
// horizontal flip. Prints validation accuracy per epoch, the time per epoch and the peak memory.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as nb from '../src/index.js';
import { datasetCandidates } from '../src/data/datasets/locate.js';
import { imageDataGenerator } from '../src/data/image/index.js';
import { layers } from '../src/nn/layers/index.js';
import { parseExampleArgs, report } from './args.js';

// `--augment` alone is a switch; args.ts takes numeric options, so it becomes `--augment=1`.
process.argv = process.argv.map((a, i, all) => (a === '--augment' && (all[i + 1] === undefined || all[i + 1]!.startsWith('--')) ? '--augment=1' : a));
const args = parseExampleArgs('cats-vs-dogs', { epochs: 30, batchSize: 32 }, {
  augment: { default: 0, description: '1 (or the bare flag): augment the training images (rotation, shifts, shear, zoom, flip)' },
  workers: { default: Math.max(0, Math.min(4, availableParallelism() - 1)), description: 'threads decoding images alongside training (0: main thread)' },
});
const augment = args.extra['augment'] !== 0;
const workers = args.extra['workers']!;
const start = performance.now();
nb.setSeed(args.seed);

const base = datasetCandidates('cats-vs-dogs', { dir: args.data, env: process.env['NABLA_DATA'] })
  .map((c) => c.path)
  .find((p) => existsSync(join(p, 'train')) && existsSync(join(p, 'validation')));
if (base === undefined) {
  console.error('cats-vs-dogs: no folder with train/ and validation/ found; pass --data DIR (see ../shared/data/cats-vs-dogs/SOURCE.md)');
  process.exit(1);
}

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
sampler.unref();

const model = nb.sequential([
  layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [150, 150, 3] }),
  layers.maxPooling2d({ poolSize: 2 }),
  layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
  layers.maxPooling2d({ poolSize: 2 }),
  layers.conv2d({ filters: 128, kernelSize: 3, activation: 'relu' }),
  layers.maxPooling2d({ poolSize: 2 }),
  layers.conv2d({ filters: 128, kernelSize: 3, activation: 'relu' }),
  layers.maxPooling2d({ poolSize: 2 }),
  layers.flatten(),
  layers.dense({ units: 512, activation: 'relu' }),
  layers.dense({ units: 1, activation: 'sigmoid' }),
]);
model.summary();
model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });

const trainDatagen = augment
  ? imageDataGenerator({ rescale: 1 / 255, rotationRange: 40, widthShiftRange: 0.2, heightShiftRange: 0.2, shearRange: 0.2, zoomRange: 0.2, horizontalFlip: true })
  : imageDataGenerator({ rescale: 1 / 255 });
const testDatagen = imageDataGenerator({ rescale: 1 / 255 });
const trainGenerator = trainDatagen.flowFromDirectory(join(base, 'train'), { targetSize: [150, 150], batchSize: args.batchSize, classMode: 'binary', seed: args.seed, workers });
const validationGenerator = testDatagen.flowFromDirectory(join(base, 'validation'), { targetSize: [150, 150], batchSize: args.batchSize, classMode: 'binary', shuffle: false, workers });

const epochSeconds: number[] = [];
let epochStart = 0;
class Timing extends nb.Callback {
  override onEpochBegin(): void {
    epochStart = performance.now();
  }
  override onBatchEnd(): void {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  override onEpochEnd(epoch: number, logs: nb.Logs): void {
    epochSeconds.push((performance.now() - epochStart) / 1000);
    const mib = (peakRss / 2 ** 20).toFixed(0);
    console.log(`epoch ${epoch + 1}: val_accuracy ${logs['val_accuracy']!.toFixed(4)}, ${epochSeconds.at(-1)!.toFixed(1)} s, peak RSS ${mib} MiB`);
  }
}

const history = await model.fit(trainGenerator, {
  epochs: args.epochs,
  stepsPerEpoch: trainGenerator.numBatches,
  validationData: validationGenerator,
  callbacks: [new Timing()],
});

const valAccuracy = history.history['val_accuracy']!;
const meanEpoch = epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length;
report('cats-vs-dogs', args, start, {
  valAccuracy: valAccuracy.at(-1)!,
  bestValAccuracy: Math.max(...valAccuracy),
  valAccuracyPerEpoch: valAccuracy.map((v) => v.toFixed(4)).join(' '),
  trainImages: trainGenerator.samples,
  validationImages: validationGenerator.samples,
  secondsPerEpoch: Number(meanEpoch.toFixed(1)),
  peakRssMiB: Math.round(peakRss / 2 ** 20),
});
