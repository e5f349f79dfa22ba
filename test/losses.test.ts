import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { getLoss, losses } from '../src/nn/losses.js';
import { getMetric, metrics } from '../src/nn/metrics.js';
import { softmax } from '../src/ops/activation.js';
import { getActivation } from '../src/nn/activations.js';
import * as nb from '../src/index.js';
import { assertClose, assertGradcheck, assertThrowsWith, rand } from './helpers.js';
import { tfReady } from './tfjs-helpers.js';

describe('losses: known values', () => {
  it('½(0.9 − 1)² = 0.005 and −ln 0.9 ≈ 0.10536', () => {
    const mse = getLoss('meanSquaredError');
    assertClose(nb.mul(mse(nb.tensor([[1]]), nb.tensor([[0.9]])), 0.5), [0.005]);
    const bce = getLoss('binaryCrossentropy');
    assertClose(bce(nb.tensor([[1]]), nb.tensor([[0.9]])), [0.1053605], { atol: 1e-6 });
  });

  it('categorical cross-entropy from probabilities equals the fused path from logits', () => {
    const logits = rand([4, 5], 1);
    const labels = nb.oneHot([0, 3, 2, 4], 5, { dtype: 'float64' });
    const fromLogits = losses.categoricalCrossentropy({ fromLogits: true })(labels, logits);
    const fromProbs = losses.categoricalCrossentropy()(labels, softmax(logits));
    const viaActivation = losses.categoricalCrossentropy()(labels, getActivation('softmax')(logits));
    assertClose(fromProbs, fromLogits, { atol: 1e-7 });
    assertClose(viaActivation, fromLogits, { atol: 1e-12 });
  });

  it('the fused softmax cross-entropy is stable for huge logits and has the right gradient', () => {
    const loss = losses.categoricalCrossentropy({ fromLogits: true })(nb.tensor([[0, 1]]), nb.tensor([[1e4, -1e4]]));
    assertClose(loss, [2e4]);
    const labels = nb.oneHot([1, 0, 2], 3, { dtype: 'float64' });
    assertGradcheck((z) => losses.categoricalCrossentropy({ fromLogits: true })(labels, z), [rand([3, 3], 2)]);
    assertGradcheck((z) => losses.sparseCategoricalCrossentropy({ fromLogits: true })(nb.tensor([1, 0, 2], undefined, 'int32'), z), [rand([3, 3], 3)]);
    assertGradcheck((z) => losses.binaryCrossentropy({ fromLogits: true })(nb.tensor([[1], [0], [1]], undefined, 'float64'), z), [rand([3, 1], 4, -5, 5)]);
  });

  it('losses with options expose their config (so saved models recompile the same loss)', () => {
    assert.deepEqual(losses.categoricalCrossentropy({ fromLogits: true }).config, { fromLogits: true });
    assert.equal(losses.categoricalCrossentropy().config, undefined);
  });

  it('label smoothing', () => {
    const y = nb.tensor([[0, 1]]);
    const p = nb.tensor([[0.2, 0.8]]);
    // smoothed labels [0.05, 0.95]: −(0.05 ln 0.2 + 0.95 ln 0.8)
    assertClose(losses.categoricalCrossentropy({ labelSmoothing: 0.1 })(y, p), [-(0.05 * Math.log(0.2) + 0.95 * Math.log(0.8))], { atol: 1e-6 });
  });

  it('bad labels and unknown names are clear errors', () => {
    assertThrowsWith(() => getLoss('meanSquareError'), nb.ValueError, ["'meanSquareError'", 'meanSquaredError', 'categoricalCrossentropy']);
    assertThrowsWith(() => getLoss('mse')(nb.zeros([4, 2]), nb.zeros([4, 3])), nb.ShapeError, ['[4, 2]', '[4, 3]']);
    assertThrowsWith(() => losses.sparseCategoricalCrossentropy()(nb.tensor([0, 7]), nb.zeros([2, 3])), nb.ValueError, ['label 7', '[0, 3)']);
    assertThrowsWith(() => getMetric('acuracy'), nb.ValueError, ["'acuracy'", 'accuracy']);
  });
});

describe('losses: TensorFlow.js differential (per-sample, float32)', () => {
  before(tfReady);
  const yReg = rand([6, 3], 10);
  const pReg = rand([6, 3], 11);
  const yBin = nb.cast(nb.greater(rand([6, 3], 12), 0), 'float64');
  const pBin = rand([6, 3], 13, 0.05, 0.95);
  const yCat = nb.oneHot([0, 2, 1, 1, 0, 2], 3, { dtype: 'float64' });
  const pCat = softmax(rand([6, 3], 14));
  const cases: [string, nb.Tensor, nb.Tensor, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
    ['meanSquaredError', yReg, pReg, tf.metrics.meanSquaredError],
    ['meanAbsoluteError', yReg, pReg, tf.metrics.meanAbsoluteError],
    ['meanAbsolutePercentageError', yReg, pReg, tf.metrics.meanAbsolutePercentageError],
    ['binaryCrossentropy', yBin, pBin, tf.metrics.binaryCrossentropy],
    ['categoricalCrossentropy', yCat, pCat, tf.metrics.categoricalCrossentropy],
    ['kullbackLeiblerDivergence', yCat, pCat, (a, b) => tf.losses.computeWeightedLoss(tf.sum(tf.mul(tf.clipByValue(a, 1e-7, 1), tf.log(tf.div(tf.clipByValue(a, 1e-7, 1), tf.clipByValue(b, 1e-7, 1)))), -1), undefined, tf.Reduction.NONE)],
    ['hinge', yBin, pReg, (a, b) => tf.mean(tf.maximum(tf.sub(1, tf.mul(tf.sub(tf.mul(a, 2), 1), b)), 0), -1)],
    ['logCosh', yReg, pReg, (a, b) => tf.mean(tf.log(tf.cosh(tf.sub(b, a))), -1)],
    ['huber', yReg, nb.mul(pReg, 3), (a, b) => tf.mean(tf.where(tf.less(tf.abs(tf.sub(b, a)), 1), tf.mul(tf.square(tf.sub(b, a)), 0.5), tf.sub(tf.abs(tf.sub(b, a)), 0.5)), -1)],
    ['cosineSimilarity', yReg, pReg, (a, b) => tf.neg(tf.sum(tf.mul(tf.div(a, tf.norm(a, 2, -1, true)), tf.div(b, tf.norm(b, 2, -1, true))), -1))],
  ];
  for (const [name, y, p, tff] of cases) {
    it(name, () => {
      const ours = getLoss(name)(nb.cast(y, 'float32'), nb.cast(p, 'float32'));
      const theirs = tff(tf.tensor(Array.from(y.values), [...y.shape]), tf.tensor(Array.from(p.values), [...p.shape]));
      assertClose(ours, Array.from(theirs.dataSync()), { atol: 1e-4, rtol: 1e-4 });
    });
  }
});

describe('metrics', () => {
  it('accuracy follows the loss like Keras (binary, categorical, sparse)', () => {
    const bin = getMetric('accuracy', 'binaryCrossentropy');
    bin.update(nb.tensor([[1], [0], [1], [0]]), nb.tensor([[0.9], [0.2], [0.3], [0.6]]));
    assert.equal(bin.result(), 0.5);
    const cat = getMetric('accuracy', 'categoricalCrossentropy');
    cat.update(nb.tensor([[0, 1], [1, 0]]), nb.tensor([[0.2, 0.8], [0.3, 0.7]]));
    assert.equal(cat.result(), 0.5);
    const sparse = getMetric('accuracy', 'sparseCategoricalCrossentropy');
    sparse.update(nb.tensor([1, 0, 2]), nb.tensor([[0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.5, 0.4, 0.1]]));
    assertClose(sparse.result(), 2 / 3);
    sparse.update(nb.tensor([2]), nb.tensor([[0, 0, 1]]));
    assertClose(sparse.result(), 3 / 4);
    sparse.reset();
    assert.equal(sparse.result(), 0);
  });

  it('topK, precision, recall, auc, mae, mse, rmse', () => {
    const top2 = metrics.topKCategoricalAccuracy({ k: 2 });
    top2.update(nb.tensor([[0, 0, 1], [1, 0, 0]]), nb.tensor([[0.5, 0.1, 0.4], [0.1, 0.5, 0.4]]));
    assert.equal(top2.result(), 0.5);
    const y = nb.tensor([1, 1, 0, 0, 1]);
    const p = nb.tensor([0.9, 0.4, 0.6, 0.1, 0.8]);
    const prec = metrics.precision();
    prec.update(y, p);
    assertClose(prec.result(), 2 / 3);
    const rec = metrics.recall();
    rec.update(y, p);
    assertClose(rec.result(), 2 / 3);
    const auc = metrics.auc();
    auc.update(y, p);
    // Pairs (positive, negative) ranked correctly: 5 of 6 → exact ROC AUC 0.8333.
    assertClose(auc.result(), 5 / 6, { atol: 1e-3 });
    const rmse = getMetric('rootMeanSquaredError');
    rmse.update(nb.tensor([[1], [2]]), nb.tensor([[2], [4]]));
    assertClose(rmse.result(), Math.sqrt(2.5));
  });
});
