// California housing prices (regression): an MLP (Dense 64 relu → Dense 64 relu → Dense 1) against
// a linear-regression baseline (a single Dense 1), both trained the same way (Adam, mean squared
// error, same epochs and batches) on a seeded 80/20 split. Features are standardized with the
// training split's statistics; the target is fitted in units of $100,000 and reported in dollars.
// Missing total_bedrooms values are imputed with the column median by the loader.
//
//   npx tsx examples/california-housing.ts [--epochs 30] [--batch-size 32] [--backend cpu] [--data DIR] [--json FILE]
import * as nb from '../src/index.js';
import { parseExampleArgs, report } from './args.js';

const { layers } = nb;

const args = parseExampleArgs('california-housing', { epochs: 30, batchSize: 32 });
const start = performance.now();
nb.setSeed(args.seed);

const data = await nb.datasets.californiaHousing.load({ dir: args.data });
for (const [column, { count, value }] of Object.entries(data.imputed)) console.log(`imputed ${count} missing ${column} values with the median ${value}`);
const TARGET_UNIT = 100_000;
const split = nb.trainTestSplit(data.x, data.y.div(TARGET_UNIT).reshape([-1, 1]), { testSize: 0.2, seed: args.seed });
const mean = split.xTrain.mean(0);
const std = nb.maximum(split.xTrain.std(0), 1e-6);
const xTrain = split.xTrain.sub(mean).div(std);
const xTest = split.xTest.sub(mean).div(std);
const features = xTrain.shape[1]!;
console.log(`california housing: ${xTrain.shape[0]} training and ${xTest.shape[0]} test districts, ${features} features`);

async function trainAndTest(name: string, model: nb.Sequential): Promise<number> {
  model.compile({ optimizer: nb.optimizers.adam({ learningRate: 1e-3 }), loss: 'meanSquaredError' });
  const t = performance.now();
  await model.fit(xTrain, split.yTrain, { epochs: args.epochs, batchSize: args.batchSize, verbose: 0 });
  const mse = (await model.evaluate(xTest, split.yTest, { batchSize: 1024 })) as number;
  const rmse = Math.sqrt(mse) * TARGET_UNIT;
  console.log(`${name}: test RMSE $${rmse.toFixed(0)} (trained in ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  return rmse;
}

nb.setSeed(args.seed);
const mlpRmse = await trainAndTest('MLP 64-64-1', nb.sequential([
  layers.dense({ units: 64, activation: 'relu', inputShape: [features] }),
  layers.dense({ units: 64, activation: 'relu' }),
  layers.dense({ units: 1 }),
]));
nb.setSeed(args.seed);
const linearRmse = await trainAndTest('linear baseline (Dense 1)', nb.sequential([layers.dense({ units: 1, inputShape: [features] })]));
report('california-housing', args, start, { testRmse: mlpRmse, linearTestRmse: linearRmse, testSamples: xTest.shape[0]! });
