// Quick start (`npm start`): train a small convnet on the MNIST subset committed in
// data/mnist-subset/ (2,000 training and 500 test images; see its SOURCE.md), print the test
// accuracy, save the model to ./quickstart-model and load it back. Works offline on a fresh clone.
//
//   npx tsx examples/quickstart.ts [--epochs 3] [--batch-size 32] [--backend cpu] [--data DIR] [--json FILE]
//
// The same program on the full data set is examples/mnist-cnn.ts; tensors and autograd on their
// own are in examples/autograd-basics.ts.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nb from '../src/index.js';
import { parseExampleArgs, report } from './args.js';

const { layers } = nb;

const args = parseExampleArgs('quickstart', { epochs: 3, batchSize: 32 });
const start = performance.now();
nb.setSeed(args.seed);

// The images: float32 [n, 28, 28, 1] in [0, 1]; the labels: int32 [n].
const subset = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'mnist-subset');
const { train, test } = await nb.datasets.mnist.load({ dir: args.data ?? subset });
console.log(`MNIST subset: ${train.x.shape[0]} training and ${test.x.shape[0]} test images; backend '${args.backend}'`);

// A LeNet-style convnet, kept narrow so that it trains in seconds even on the pure-TypeScript backend.
const model = nb.sequential([
  layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
  layers.maxPooling2d({ poolSize: 2 }),
  layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
  layers.maxPooling2d({ poolSize: 2 }),
  layers.flatten(),
  layers.dense({ units: 32, activation: 'relu' }),
  layers.dense({ units: 10, activation: 'softmax' }),
]);
model.summary();
model.compile({ optimizer: nb.optimizers.adam({ learningRate: 0.003 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

await model.fit(train.x, train.y, { epochs: args.epochs, batchSize: args.batchSize });
const [, testAccuracy] = (await model.evaluate(test.x, test.y)) as number[];
console.log(`test accuracy: ${(100 * testAccuracy!).toFixed(1)}% on ${test.x.shape[0]} held-out images`);

// Save (model.json + weights.safetensors, written atomically) and load it back.
const saved = 'quickstart-model';
await model.save(saved);
const reloaded = await nb.loadModel(saved);
const [, reloadedAccuracy] = (await reloaded.evaluate(test.x, test.y)) as number[];
console.log(`saved to ./${saved}; reloaded with nb.loadModel: test accuracy ${(100 * reloadedAccuracy!).toFixed(1)}%`);
const first = (reloaded.predict(nb.slice(test.x, [0], [1])) as nb.Tensor).argmax(-1).item();
console.log(`the first test image is a ${test.y.dataSync()[0]}; the reloaded model says ${first}`);
report('quickstart', args, start, { testAccuracy: testAccuracy!, trainImages: train.x.shape[0]!, testImages: test.x.shape[0]! });
