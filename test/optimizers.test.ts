import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Adam, AdamW } from '../src/optim/adam.js';
import { Adadelta, Adagrad, Adamax, Nadam, RMSprop } from '../src/optim/adaptive.js';
import type { Optimizer } from '../src/optim/optimizer.js';
import { cosineDecay, exponentialDecay, piecewiseConstant, polynomialDecay } from '../src/optim/schedules.js';
import { SGD } from '../src/optim/sgd.js';
import { getOptimizer } from '../src/optim/optimizers.js';
import * as nb from '../src/index.js';
import { assertClose, assertThrowsWith } from './helpers.js';
import { tfReady } from './tfjs-helpers.js';

const W0 = [1, -2];
const GRADS = [
  [0.5, -1],
  [0.1, 0.3],
];

/** Two steps from w = [1, −2] with gradients [0.5, −1] then [0.1, 0.3], in float64. */
function twoSteps(opt: Optimizer): number[] {
  const w = nb.tensor(W0, undefined, 'float64').requiresGrad();
  for (const g of GRADS) opt.applyGradients([[w, nb.tensor(g, undefined, 'float64')]]);
  return Array.from(w.values);
}

// Expected values from a separate Python implementation of each published update rule
// (SGD/momentum/Nesterov as Keras; Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax as in
// TensorFlow.js/PyTorch; Nadam with Keras' momentum schedule). The first rows check by hand:
// SGD: 1 − 0.1·0.5 − 0.1·0.1 = 0.94; momentum: v₁ = −0.05, v₂ = 0.9·v₁ − 0.01 = −0.055 → 0.895.
const CASES: [string, () => Optimizer, number[]][] = [
  ['sgd', () => new SGD({ learningRate: 0.1 }), [0.94, -1.93]],
  ['sgd momentum 0.9', () => new SGD({ learningRate: 0.1, momentum: 0.9 }), [0.895, -1.84]],
  ['sgd nesterov', () => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }), [0.8455, -1.786]],
  ['adam', () => new Adam({ learningRate: 0.1 }), [0.8196959444343859, -1.8572151566462753]],
  ['adamw weightDecay 0.1', () => new AdamW({ learningRate: 0.1, weightDecay: 0.1 }), [0.8007959442343859, -1.8184151565462754]],
  ['adam L2 weightDecay 0.1', () => new Adam({ learningRate: 0.1, weightDecay: 0.1 }), [0.8136483777813543, -1.840070369319942]],
  ['rmsprop', () => new RMSprop({ learningRate: 0.1 }), [0.6185401979242164, -1.779118602866846]],
  ['rmsprop momentum 0.5', () => new RMSprop({ learningRate: 0.1, momentum: 0.5 }), [0.46042663114261473, -1.6210047989153094]],
  ['adagrad', () => new Adagrad({ learningRate: 0.1 }), [0.8988179222489255, -1.9321546991647054]],
  ['adadelta', () => new Adadelta({ learningRate: 1 }), [0.9981837793966586, -1.9991741353973607]],
  ['adamax', () => new Adamax({ learningRate: 0.1 }), [0.8420473420704968, -1.8683894552378713]],
  ['nadam', () => new Nadam({ learningRate: 0.1 }), [0.8676667349291698, -1.9183550475932707]],
];

describe('optimizers: two-step examples against the published update rules (float64)', () => {
  for (const [name, make, expected] of CASES) it(name, () => assertClose(twoSteps(make()), expected, { atol: 1e-12, rtol: 1e-10 }));
});

// Adadelta is not compared: TensorFlow.js 4.22 divides by the accumulated squared gradient from
// *before* this step (adadelta_optimizer.js uses accumulatedGrad, not newAccumulatedGrad), unlike
// Zeiler's paper and Keras; nabla follows the paper (checked above against the two-step example).
describe('optimizers: TensorFlow.js differential (two steps, float32)', () => {
  before(tfReady);
  const pairs: [string, () => Optimizer, () => tf.Optimizer][] = [
    ['sgd', () => new SGD({ learningRate: 0.1 }), () => tf.train.sgd(0.1)],
    ['momentum', () => new SGD({ learningRate: 0.1, momentum: 0.9 }), () => tf.train.momentum(0.1, 0.9)],
    ['nesterov', () => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }), () => tf.train.momentum(0.1, 0.9, true)],
    ['adam', () => new Adam({ learningRate: 0.1 }), () => tf.train.adam(0.1, 0.9, 0.999, 1e-7)],
    ['rmsprop', () => new RMSprop({ learningRate: 0.1 }), () => tf.train.rmsprop(0.1, 0.9, 0, 1e-7)],
    ['rmsprop momentum', () => new RMSprop({ learningRate: 0.1, momentum: 0.5 }), () => tf.train.rmsprop(0.1, 0.9, 0.5, 1e-7)],
    ['adagrad', () => new Adagrad({ learningRate: 0.1 }), () => tf.train.adagrad(0.1, 0.1)],
    ['adamax', () => new Adamax({ learningRate: 0.1 }), () => tf.train.adamax(0.1, 0.9, 0.999, 1e-7, 0)],
  ];
  for (const [name, ours, theirs] of pairs) {
    it(name, () => {
      const w = nb.tensor(W0).requiresGrad();
      const opt = ours();
      const v = tf.variable(tf.tensor(W0));
      const topt = theirs();
      for (const g of GRADS) {
        opt.applyGradients([[w, nb.tensor(g)]]);
        topt.applyGradients({ [v.name]: tf.tensor(g) });
      }
      assertClose(w, Array.from(v.dataSync()), { atol: 1e-6, rtol: 1e-5 });
    });
  }
});

describe('optimizer mechanics', () => {
  it('step() uses .grad after backward(), and zeroGrad clears it (PyTorch style)', () => {
    const w = nb.tensor([1, 2]).requiresGrad();
    const opt = new SGD({ learningRate: 0.5 });
    w.square().sum().backward();
    opt.step([w]);
    assert.deepEqual(w.arraySync(), [0, 0]);
    opt.zeroGrad([w]);
    assert.equal(w.grad, null);
  });

  it('learningRate is settable and schedules are evaluated per step', () => {
    const opt = new SGD({ learningRate: 0.1 });
    opt.learningRate = 0.5;
    assert.equal(opt.learningRate, 0.5);
    const sched = new SGD({ learningRate: exponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 }) });
    const w = nb.tensor([0]).requiresGrad();
    sched.applyGradients([[w, nb.tensor([1])]]); // lr 1
    sched.applyGradients([[w, nb.tensor([1])]]); // lr 0.5
    assert.deepEqual(w.arraySync(), [-1.5]);
  });

  it('clipValue, clipNorm and globalClipNorm', () => {
    const run = (opt: Optimizer, gs: number[][]): number[][] => {
      const ws = gs.map((g) => nb.zeros([g.length]).requiresGrad());
      opt.applyGradients(ws.map((w, i) => [w, nb.tensor(gs[i]!)] as const));
      return ws.map((w) => Array.from(w.values));
    };
    assert.deepEqual(run(new SGD({ learningRate: 1, clipValue: 0.5 }), [[2, -0.25]]), [[-0.5, 0.25]]);
    assertClose(run(new SGD({ learningRate: 1, clipNorm: 1 }), [[3, 4]])[0]!, [-0.6, -0.8]);
    const g = run(new SGD({ learningRate: 1, globalClipNorm: 5 }), [[6], [8]]);
    assertClose(g.flat(), [-3, -4]);
  });

  it('schedules follow their formulas', () => {
    assert.equal(exponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5, staircase: true })(15), 0.5);
    assertClose(exponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5 })(15), 0.5 ** 1.5);
    const pc = piecewiseConstant({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
    assert.deepEqual([pc(0), pc(10), pc(11), pc(25)], [1, 1, 0.5, 0.1]);
    const cd = cosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 1, warmupSteps: 10, alpha: 0.1 });
    assertClose([cd(0), cd(5), cd(10), cd(60), cd(110)], [0, 0.5, 1, 0.1 + 0.9 * 0.5, 0.1]);
    const pd = polynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0, power: 2 });
    assertClose([pd(0), pd(5), pd(20)], [1, 0.25, 0]);
  });

  it('unknown optimizer names list the valid ones; names are case-insensitive', () => {
    assert.ok(getOptimizer('Adam') instanceof Adam);
    assertThrowsWith(() => getOptimizer('adamm'), nb.ValueError, ["'adamm'", 'adam', 'sgd', 'rmsprop']);
  });

  it('Adam flushes subnormal moments to zero', () => {
    const w = nb.tensor([1]).requiresGrad();
    const opt = new Adam({ learningRate: 0.001 });
    opt.applyGradients([[w, nb.tensor([1e-30])]]);
    for (let i = 0; i < 1500; i++) opt.applyGradients([[w, nb.tensor([0])]]);
    assert.ok(Number.isFinite(w.item()));
  });
});
