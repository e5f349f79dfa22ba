// Whole small models against TensorFlow.js layers: identical weights must give the same
// predictions, the same loss, and — after one trainOnBatch step with each optimizer — the same
// weights (float32, atol/rtol 1e-4).
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as nb from '../src/index.js';
import { assertClose } from './helpers.js';
import { tfReady, toTf } from './tfjs-helpers.js';

type Build = () => [nb.Sequential, tf.Sequential];

const MODELS: [string, number[], Build][] = [
  [
    'dense',
    [8, 6],
    () => [
      nb.sequential([nb.layers.dense({ units: 5, activation: 'relu', inputShape: [6] }), nb.layers.dense({ units: 3, activation: 'softmax' })]),
      tf.sequential({ layers: [tf.layers.dense({ units: 5, activation: 'relu', inputShape: [6] }), tf.layers.dense({ units: 3, activation: 'softmax' })] }),
    ],
  ],
  [
    'conv',
    [4, 8, 8, 2],
    () => [
      nb.sequential([
        nb.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 2] }),
        nb.layers.maxPooling2d({ poolSize: 2 }),
        nb.layers.flatten(),
        nb.layers.dense({ units: 3, activation: 'softmax' }),
      ]),
      tf.sequential({
        layers: [
          tf.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 2] }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 3, activation: 'softmax' }),
        ],
      }),
    ],
  ],
  [
    'batchnorm',
    [8, 6],
    () => [
      nb.sequential([nb.layers.dense({ units: 4, inputShape: [6] }), nb.layers.batchNormalization(), nb.layers.dense({ units: 3, activation: 'softmax' })]),
      tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [6] }), tf.layers.batchNormalization(), tf.layers.dense({ units: 3, activation: 'softmax' })] }),
    ],
  ],
];

// nabla optimizer factory and the TensorFlow.js one with the same hyper-parameters (Adadelta is
// left out: TensorFlow.js 4.22 divides by the previous step's accumulator, see optimizers.test.ts).
// Adam and Adamax use ε = 1e-3: their first step is lr·g/(|g| + ε), so with a tiny ε a gradient
// that is ~1e-6 (the weights feeding batch normalization get such gradients) turns float32
// rounding differences between the two libraries into visible weight differences.
const OPTIMIZERS: [string, () => nb.Optimizer, () => tf.Optimizer][] = [
  ['sgd', () => nb.optimizers.sgd({ learningRate: 0.1 }), () => tf.train.sgd(0.1)],
  ['sgd momentum', () => nb.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), () => tf.train.momentum(0.1, 0.9)],
  ['adam', () => nb.optimizers.adam({ learningRate: 0.01, epsilon: 1e-3 }), () => tf.train.adam(0.01, 0.9, 0.999, 1e-3)],
  ['rmsprop', () => nb.optimizers.rmsprop({ learningRate: 0.01 }), () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7)],
  ['adagrad', () => nb.optimizers.adagrad({ learningRate: 0.1 }), () => tf.train.adagrad(0.1, 0.1)],
  ['adamax', () => nb.optimizers.adamax({ learningRate: 0.01, epsilon: 1e-3 }), () => tf.train.adamax(0.01, 0.9, 0.999, 1e-3, 0)],
];

const TOL = { atol: 1e-4, rtol: 1e-4 };

function pair(build: Build, inputShape: number[], seed: number): { ours: nb.Sequential; theirs: tf.Sequential; x: nb.Tensor; y: nb.Tensor } {
  const [ours, theirs] = build();
  // Random non-zero weights everywhere (biases and batch-norm statistics too), copied into tfjs.
  ours.setWeights(
    ours.weights.map((w, i) => {
      const name = w.name.split('/').pop()!;
      if (name === 'moving_variance' || name === 'gamma') return nb.randomUniform([...w.shape], 0.5, 1.5, { seed: seed + i });
      return nb.randomUniform([...w.shape], -0.5, 0.5, { seed: seed + i });
    }),
  );
  theirs.setWeights(ours.getWeights().map(toTf));
  const x = nb.randomUniform(inputShape, -1, 1, { seed: seed + 100 });
  const y = nb.oneHot(nb.randomInt([inputShape[0]!], 0, 3, { seed: seed + 200 }), 3);
  return { ours, theirs, x, y };
}

describe('TensorFlow.js differential: whole models (predictions, loss, one step of each optimizer)', () => {
  before(tfReady);
  for (const [name, inputShape, build] of MODELS) {
    it(`${name}: predictions and loss`, async () => {
      const { ours, theirs, x, y } = pair(build, inputShape, 11);
      assertClose(ours.predict(x) as nb.Tensor, Array.from((theirs.predict(toTf(x)) as tf.Tensor).dataSync()), TOL);
      ours.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
      theirs.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
      const loss = (await ours.evaluate(x, y)) as number;
      const tfLoss = (theirs.evaluate(toTf(x), toTf(y)) as tf.Scalar).dataSync()[0]!;
      assertClose(loss, tfLoss, TOL);
    });
    for (const [optName, makeOurs, makeTheirs] of OPTIMIZERS) {
      it(`${name}: weights after one ${optName} step`, async () => {
        const { ours, theirs, x, y } = pair(build, inputShape, 23);
        ours.compile({ optimizer: makeOurs(), loss: 'categoricalCrossentropy' });
        theirs.compile({ optimizer: makeTheirs(), loss: 'categoricalCrossentropy' });
        const loss = ours.trainOnBatch(x, y) as number;
        const tfLoss = (await theirs.trainOnBatch(toTf(x), toTf(y))) as number;
        assertClose(loss, tfLoss, TOL);
        const tfWeights = theirs.getWeights();
        ours.getWeights().forEach((w, i) => assertClose(w, Array.from(tfWeights[i]!.dataSync()), TOL));
      });
    }
  }
});
