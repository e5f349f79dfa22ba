import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { Dense } from '../src/nn/layers/dense.js';
import { Model } from '../src/train/model.js';
import { Sequential } from '../src/train/sequential.js';
import { Callback, type Logs } from '../src/train/callbacks/callback.js';
import { assertClose, assertThrowsWith } from './helpers.js';

/** Two Gaussian blobs, labels 0/1, fixed seed. */
function blobs(n: number, seed: number): { x: nb.Tensor; y: nb.Tensor } {
  const x = nb.randomNormal([n, 2], 0, 1, { seed });
  const labels = nb.arange(n).mod(2);
  const shift = nb.sub(nb.mul(nb.cast(labels, 'float32'), 4), 2).reshape([n, 1]);
  return { x: nb.add(x, shift), y: nb.cast(labels, 'float32').reshape([n, 1]) };
}

function smallModel(): Sequential {
  return new Sequential([new Dense({ units: 8, activation: 'relu', inputShape: [2], name: 'hidden' }), new Dense({ units: 1, activation: 'sigmoid', name: 'out' })]);
}

describe('compile / fit / evaluate / predict', () => {
  it('fit lowers the loss and reaches high accuracy; History has per-epoch logs', async () => {
    nb.setSeed(1);
    const { x, y } = blobs(256, 2);
    const model = smallModel();
    model.compile({ optimizer: nb.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await model.fit(x, y, { epochs: 8, batchSize: 32, verbose: 0, validationSplit: 0.25 });
    assert.deepEqual(h.epoch, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(Object.keys(h.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    const losses = h.history['loss']!;
    assert.ok(losses[7]! < losses[0]!, `loss went from ${losses[0]} to ${losses[7]}`);
    const [loss, acc] = (await model.evaluate(x, y, { batchSize: 64 })) as number[];
    assert.ok(acc! > 0.95, `accuracy ${acc}`);
    assert.ok(loss! < losses[0]!);
    const p = model.predict(x, { batchSize: 50 }) as nb.Tensor;
    assert.deepEqual([...p.shape], [256, 1]);
    assertClose(p, model.predictOnBatch(x) as nb.Tensor, { atol: 1e-6 });
  });

  it('one training step lowers the loss (trainOnBatch)', () => {
    nb.setSeed(3);
    const { x, y } = blobs(64, 4);
    const model = smallModel();
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const before = model.trainOnBatch(x, y) as number;
    const after = model.trainOnBatch(x, y) as number;
    assert.ok(after < before, `${after} < ${before}`);
  });

  it('fit accepts an (async) iterable of batches', async () => {
    const { x, y } = blobs(64, 5);
    const model = smallModel();
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    async function* batches(): AsyncGenerator<{ xs: nb.Tensor; ys: nb.Tensor }> {
      for (let i = 0; i < 64; i += 16) yield { xs: x.slice([i, 0], [16, 2]), ys: y.slice([i, 0], [16, 1]) };
    }
    const h = await model.fit({ [Symbol.asyncIterator]: batches }, { epochs: 2, verbose: 0 });
    assert.equal(h.history['loss']!.length, 2);
    const r = await model.evaluate({ *[Symbol.iterator]() { yield [x, y]; } }, { verbose: 0 });
    assert.equal((r as number[]).length, 2);
  });

  it('classWeight and sampleWeight change the loss', async () => {
    const { x, y } = blobs(32, 6);
    const model = smallModel();
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    const w0 = model.getWeights();
    const base = (await model.evaluate(x, y)) as number;
    const weighted = (await model.evaluate(x, y, { sampleWeight: nb.full([32], 2) })) as number;
    assertClose(weighted, 2 * base, { rtol: 1e-5 });
    await model.fit(x, y, { epochs: 1, classWeight: { 0: 1, 1: 5 }, verbose: 0 });
    assert.notDeepEqual(Array.from(model.getWeights()[0]!.values), Array.from(w0[0]!.values));
  });

  it('callbacks receive every hook in order', async () => {
    const { x, y } = blobs(40, 7);
    const model = smallModel();
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    const events: string[] = [];
    class Recorder extends Callback {
      override onTrainBegin(): void { events.push('trainBegin'); }
      override onEpochBegin(e: number): void { events.push(`epochBegin ${e}`); }
      override onBatchEnd(b: number, logs: Logs): void { events.push(`batchEnd ${b} ${logs['size']}`); }
      override onEpochEnd(e: number, logs: Logs): void { events.push(`epochEnd ${e} ${typeof logs['loss']}`); }
      override onTrainEnd(): void { events.push('trainEnd'); }
    }
    await model.fit(x, y, { epochs: 2, batchSize: 16, callbacks: [new Recorder()], verbose: 0, shuffle: false });
    assert.deepEqual(events, [
      'trainBegin',
      'epochBegin 0', 'batchEnd 0 16', 'batchEnd 1 16', 'batchEnd 2 8', 'epochEnd 0 number',
      'epochBegin 1', 'batchEnd 0 16', 'batchEnd 1 16', 'batchEnd 2 8', 'epochEnd 1 number',
      'trainEnd',
    ]);
  });

  it('a subclassed Model trains with the same fit', async () => {
    class TwoLayer extends Model {
      readonly d1 = new Dense({ units: 8, activation: 'tanh' });
      readonly d2 = new Dense({ units: 1 });
      override call(x: nb.Tensor | readonly nb.Tensor[]): nb.Tensor {
        return this.d2.apply(this.d1.apply(x as nb.Tensor) as nb.Tensor) as nb.Tensor;
      }
    }
    const x = nb.randomUniform([128, 1], -1, 1, { seed: 8 });
    const y = nb.sin(nb.mul(x, 3));
    const model = new TwoLayer();
    model.compile({ optimizer: nb.optimizers.adam({ learningRate: 0.05 }), loss: 'mse' });
    const h = await model.fit(x, y, { epochs: 30, batchSize: 32, verbose: 0 });
    assert.equal(model.layers.length, 2);
    assert.equal(model.countParams(), 8 * 1 + 8 + 8 + 1);
    assert.ok(h.history['loss']![29]! < 0.5 * h.history['loss']![0]!);
  });
});

describe('training errors leave the weights unchanged', () => {
  function snapshot(m: Model): number[][] {
    return m.getWeights().map((w) => Array.from(w.values));
  }

  it('fit before compile', async () => {
    const model = smallModel();
    await assert.rejects(model.fit(nb.zeros([4, 2]), nb.zeros([4, 1])), (e: unknown) => e instanceof nb.ValueError && /compile/.test((e as Error).message));
  });

  it('a wrong input shape names the layer and both shapes', async () => {
    const model = smallModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = snapshot(model);
    await assert.rejects(model.fit(nb.zeros([4, 3]), nb.zeros([4, 1]), { verbose: 0 }), (e: unknown) => {
      assert.ok(e instanceof nb.ShapeError);
      assert.match((e as Error).message, /hidden/);
      assert.match((e as Error).message, /\[null, 2\]/);
      assert.match((e as Error).message, /\[4, 3\]/);
      return true;
    });
    assert.deepEqual(snapshot(model), before);
  });

  it('labels whose count differs from the inputs', async () => {
    const model = smallModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = snapshot(model);
    await assert.rejects(model.fit(nb.zeros([4, 2]), nb.zeros([5, 1]), { verbose: 0 }), (e: unknown) => e instanceof nb.DataError && /4 samples/.test((e as Error).message) && /5/.test((e as Error).message));
    assert.deepEqual(snapshot(model), before);
  });

  it('unknown loss / optimizer / metric / activation names list the valid names', () => {
    const model = smallModel();
    assertThrowsWith(() => model.compile({ optimizer: 'sgd', loss: 'crossEntropy' }), nb.ValueError, ["'crossEntropy'", 'binaryCrossentropy']);
    assertThrowsWith(() => model.compile({ optimizer: 'adamx', loss: 'mse' }), nb.ValueError, ["'adamx'", 'adam', 'rmsprop']);
    assertThrowsWith(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['acc2'] }), nb.ValueError, ["'acc2'", 'accuracy']);
    assertThrowsWith(() => new Dense({ units: 2, activation: 'rellu' as 'relu' }), nb.ValueError, ["'rellu'", 'relu', 'sigmoid']);
  });

  it('NaN inputs with terminateOnNaN: training stops and the NaN step is not applied', async () => {
    const model = smallModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = snapshot(model);
    class StopOnNaN extends Callback {
      override readonly stopsOnNonFiniteLoss = true;
      override onBatchEnd(_b: number, logs: Logs): void {
        if (!Number.isFinite(logs['loss'])) this.model!.stopTraining = true;
      }
    }
    const x = nb.tensor([[1, 2], [NaN, 1]]);
    const h = await model.fit(x, nb.zeros([2, 1]), { epochs: 3, batchSize: 2, callbacks: [new StopOnNaN()], verbose: 0 });
    assert.deepEqual(snapshot(model), before);
    assert.equal(h.epoch.length, 1);
  });
});

describe('functional API', () => {
  it('several inputs and outputs, a shared layer, and fit on both outputs', async () => {
    const a = nb.input({ shape: [4], name: 'a' });
    const b = nb.input({ shape: [4], name: 'b' });
    const shared = nb.layers.dense({ units: 8, activation: 'relu', name: 'shared' });
    const ha = shared.apply(a) as nb.SymbolicTensor;
    const hb = shared.apply(b) as nb.SymbolicTensor;
    const merged = nb.layers.concatenate().apply([ha, hb]) as nb.SymbolicTensor;
    const out1 = nb.layers.dense({ units: 1, name: 'sum_out' }).apply(merged) as nb.SymbolicTensor;
    const out2 = nb.layers.dense({ units: 2, activation: 'softmax', name: 'cls_out' }).apply(merged) as nb.SymbolicTensor;
    assert.deepEqual([...merged.shape], [null, 16]);
    const model = nb.model({ inputs: [a, b], outputs: [out1, out2] });
    assert.equal(model.countParams(), 4 * 8 + 8 + 16 + 1 + 16 * 2 + 2);
    const xa = nb.randomNormal([64, 4], 0, 1, { seed: 1 });
    const xb = nb.randomNormal([64, 4], 0, 1, { seed: 2 });
    const ySum = nb.sum(nb.add(xa, xb), 1, { keepDims: true });
    const yCls = nb.cast(nb.greater(nb.sum(xa, 1), 0), 'int32');
    model.compile({ optimizer: nb.optimizers.adam({ learningRate: 0.02 }), loss: ['mse', 'sparseCategoricalCrossentropy'], metrics: ['accuracy'] });
    const h = await model.fit([xa, xb], [ySum, yCls], { epochs: 20, batchSize: 16, verbose: 0 });
    assert.ok('sum_out_accuracy' in h.history && 'cls_out_accuracy' in h.history, Object.keys(h.history).join());
    assert.ok(h.history['loss']![19]! < h.history['loss']![0]!);
    const [p1, p2] = model.predict([xa, xb]) as nb.Tensor[];
    assert.deepEqual([...p1!.shape], [64, 1]);
    assert.deepEqual([...p2!.shape], [64, 2]);
  });

  it('unknown sequence lengths stay unknown through shape inference', () => {
    const x = nb.input({ shape: [null, 3] });
    const y = nb.layers.conv1d({ filters: 5, kernelSize: 3 }).apply(x) as nb.SymbolicTensor;
    assert.deepEqual([...y.shape], [null, null, 5]);
    const m = nb.model({ inputs: x, outputs: y });
    assert.deepEqual([...(m.predict(nb.zeros([2, 10, 3])) as nb.Tensor).shape], [2, 8, 5]);
    assert.deepEqual([...(m.predict(nb.zeros([2, 30, 3])) as nb.Tensor).shape], [2, 28, 5]);
  });
});

describe('predict on a dataset', () => {
  it('resolves to the same predictions as on arrays', async () => {
    const model = nb.sequential([nb.layers.dense({ units: 3, inputShape: [2] })]);
    const x = nb.randomNormal([10, 2], 0, 1, { seed: 9 });
    const ds = nb.data.fromTensors(x).batch(4);
    const p = (await model.predict(ds)) as nb.Tensor;
    assertClose(p, model.predict(x) as nb.Tensor, { atol: 1e-6 });
    const p2 = (await model.predict(nb.data.fromTensors({ xs: x, ys: x }).batch(3))) as nb.Tensor;
    assert.deepEqual([...p2.shape], [10, 3]);
  });
});
