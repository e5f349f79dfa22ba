// Iris species classification: 4 measurements → Dense 16 relu → Dense 3 softmax, on a seeded
// stratified 80/20 split (30 test flowers, 10 per species), features standardized with the
// training split's mean and standard deviation.
//
//   npx tsx examples/iris.ts [--epochs 100] [--batch-size 16] [--backend cpu] [--data DIR] [--json FILE] [--seed 1]
import * as nb from '../src/index.js';
import { parseExampleArgs, report } from './args.js';

const { layers } = nb;

const args = parseExampleArgs('iris', { epochs: 100, batchSize: 16 });
const start = performance.now();
nb.setSeed(args.seed);

const { x, y, classNames } = await nb.datasets.iris.load({ dir: args.data });
const split = nb.trainTestSplit(x, y, { testSize: 0.2, seed: args.seed, stratify: y });
const mean = split.xTrain.mean(0);
const std = split.xTrain.std(0);
const standardize = (t: nb.Tensor): nb.Tensor => t.sub(mean).div(std);
const xTrain = standardize(split.xTrain);
const xTest = standardize(split.xTest);
console.log(`iris: ${xTrain.shape[0]} training and ${xTest.shape[0]} test flowers, classes ${classNames.join(', ')}`);

const model = nb.sequential([
  layers.dense({ units: 16, activation: 'relu', inputShape: [4] }),
  layers.dense({ units: 3, activation: 'softmax' }),
]);
model.compile({ optimizer: nb.optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(xTrain, split.yTrain, { epochs: args.epochs, batchSize: args.batchSize, verbose: 0 });
const [trainLoss, trainAccuracy] = (await model.evaluate(xTrain, split.yTrain)) as number[];
const [testLoss, testAccuracy] = (await model.evaluate(xTest, split.yTest)) as number[];
report('iris', args, start, { testAccuracy: testAccuracy!, testLoss: testLoss!, trainAccuracy: trainAccuracy!, trainLoss: trainLoss!, testSamples: xTest.shape[0]! });
