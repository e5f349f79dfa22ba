// MNIST with a LeNet-style convnet: Conv2D 32 3×3 relu → MaxPool 2 → Conv2D 64 3×3 relu →
// MaxPool 2 → Flatten → Dense 128 relu → Dense 10 softmax; Adam, sparse categorical
// cross-entropy. Evaluated on the full 10,000-image test set.
//
//   npx tsx examples/mnist-cnn.ts [--epochs 5] [--batch-size 64] [--backend native] [--data DIR] [--json FILE]
//
// Use the native or wasm backend (the default when available): the pure-TypeScript cpu backend
// needs about 25 minutes per epoch on a 2-core machine. --limit N trains on fewer images.
import * as nb from '../src/index.js';
import { parseExampleArgs, report } from './args.js';

const { layers } = nb;

const args = parseExampleArgs('mnist-cnn', { epochs: 5, batchSize: 64 }, {
  limit: { default: 60000, description: 'use only the first N training images' },
  lr: { default: 0.001, description: 'initial learning rate (cosine-decayed to 5% over the run)' },
});
const start = performance.now();
nb.setSeed(args.seed);

const { train, test } = await nb.datasets.mnist.load({ dir: args.data });
const limit = Math.min(args.extra['limit']!, train.x.shape[0]!);
const xTrain = nb.slice(train.x, [0], [limit]);
const yTrain = nb.slice(train.y, [0], [limit]);
console.log(`MNIST: ${limit} training and ${test.x.shape[0]} test images; backend ${args.backend}`);

const model = nb.sequential([
  layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
  layers.maxPooling2d({ poolSize: 2 }),
  layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
  layers.maxPooling2d({ poolSize: 2 }),
  layers.flatten(),
  layers.dense({ units: 128, activation: 'relu' }),
  layers.dense({ units: 10, activation: 'softmax' }),
]);
model.summary();
const steps = Math.ceil(limit / args.batchSize) * args.epochs;
model.compile({
  optimizer: nb.optimizers.adam({ learningRate: nb.schedules.cosineDecay({ initialLearningRate: args.extra['lr']!, decaySteps: steps, alpha: 0.05 }) }),
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
});
await model.fit(xTrain, yTrain, { epochs: args.epochs, batchSize: args.batchSize, shuffle: true });
const [testLoss, testAccuracy] = (await model.evaluate(test.x, test.y, { batchSize: 500 })) as number[];
report('mnist-cnn', args, start, { testAccuracy: testAccuracy!, testLoss: testLoss!, trainImages: limit, testImages: test.x.shape[0]! });
