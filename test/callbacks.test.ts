import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { loadModel, loadWeights } from '../src/io/load.js';
import { Dense } from '../src/nn/layers/dense.js';
import { SGD } from '../src/optim/sgd.js';
import { exponentialDecay } from '../src/optim/schedules.js';
import type { Logs } from '../src/train/callbacks/callback.js';
import {
  callbacks, CSVLogger, EarlyStopping, LambdaCallback, LearningRateScheduler, ModelCheckpoint, ReduceLROnPlateau, TerminateOnNaN,
} from '../src/train/callbacks/index.js';
import { formatSpec } from '../src/train/callbacks/model-checkpoint.js';
import { resolveMode } from '../src/train/callbacks/monitor.js';
import { Sequential } from '../src/train/sequential.js';
import { assertClose } from './helpers.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'nabla-callbacks-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** y = x·[1, -2, 0.5] + 0.3 on 16 samples. */
function data(seed = 1, n = 16): { x: nb.Tensor; y: nb.Tensor } {
  const x = nb.randomNormal([n, 3], 0, 1, { seed });
  const y = nb.add(nb.matmul(x, nb.tensor([[1], [-2], [0.5]])), 0.3);
  return { x, y };
}

function tinyModel(lr = 0.05, seed = 7): Sequential {
  nb.setSeed(seed);
  const m = new Sequential([new Dense({ units: 4, activation: 'tanh', inputShape: [3], name: 'hidden' }), new Dense({ units: 1, name: 'out' })]);
  m.compile({ optimizer: new SGD({ learningRate: lr }), loss: 'meanSquaredError', metrics: ['mae'] });
  return m;
}

function flatWeights(m: nb.Model): number[] {
  return m.getWeights().flatMap((t) => Array.from(t.values as Float32Array));
}

/** A callback that replaces the monitored value with a scripted sequence (it must run first). */
function scripted(key: string, values: readonly number[]): LambdaCallback {
  return new LambdaCallback({
    onEpochEnd: (epoch, logs) => {
      logs[key] = values[epoch]!;
    },
  });
}

describe('earlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    const { x, y } = data();
    const model = tinyModel();
    const snapshots: number[][] = [];
    const capture = new LambdaCallback({ onEpochEnd: () => void snapshots.push(flatWeights(model)) });
    const es = callbacks.earlyStopping({ monitor: 'loss', patience: 2, restoreBestWeights: true });
    // epoch 1 is best (0.8); epochs 2 and 3 do not improve, so training stops at the end of epoch 3.
    const h = await model.fit(x, y, { epochs: 10, batchSize: 4, verbose: 0, callbacks: [scripted('loss', [1, 0.8, 0.9, 0.85, 0.7, 0.6]), capture, es] });
    assert.deepEqual(h.epoch, [0, 1, 2, 3]);
    assert.equal(es.stoppedEpoch, 3);
    assert.equal(es.bestEpoch, 1);
    assert.equal(es.best, 0.8);
    assert.notDeepEqual(snapshots[3], snapshots[1], 'training kept changing the weights after the best epoch');
    assert.deepEqual(flatWeights(model), snapshots[1]);
  });

  it('without restoreBestWeights keeps the last weights; a real plateau (lr 0) stops after patience + 1 epochs', async () => {
    const { x, y } = data();
    const model = tinyModel(0);
    const before = flatWeights(model);
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 2 });
    const h = await model.fit(x, y, { epochs: 20, batchSize: 4, verbose: 0, shuffle: false, validationData: [x, y], callbacks: es });
    assert.deepEqual(h.epoch, [0, 1, 2]);
    assert.equal(es.stoppedEpoch, 2);
    assert.deepEqual(flatWeights(model), before);
  });

  it('minDelta: smaller gains do not count; baseline: stops unless it is beaten', async () => {
    const { x, y } = data();
    let model = tinyModel();
    let es = new EarlyStopping({ monitor: 'loss', patience: 1, minDelta: 0.1 });
    let h = await model.fit(x, y, { epochs: 10, verbose: 0, callbacks: [scripted('loss', [1, 0.95, 0.91, 0.5]), es] });
    assert.deepEqual(h.epoch, [0, 1]);
    model = tinyModel();
    es = new EarlyStopping({ monitor: 'loss', patience: 3, baseline: 0.5 });
    // Improvements that stay above the baseline do not reset the wait (Keras' rule).
    h = await model.fit(x, y, { epochs: 10, verbose: 0, callbacks: [scripted('loss', [1, 0.9, 0.95, 0.92, 0.3, 0.2]), es] });
    assert.deepEqual(h.epoch, [0, 1, 2]);
    assert.equal(es.best, 0.9);
    model = tinyModel();
    es = new EarlyStopping({ monitor: 'loss', patience: 3 });
    h = await model.fit(x, y, { epochs: 6, verbose: 0, callbacks: [scripted('loss', [1, 0.9, 0.95, 0.92, 0.3, 0.2]), es] });
    assert.equal(h.epoch.length, 6);
  });

  it('mode auto maximises accuracy-like values; startFromEpoch delays watching', async () => {
    assert.equal(resolveMode('val_accuracy', 'auto', 't'), 'max');
    assert.equal(resolveMode('acc', undefined, 't'), 'max');
    assert.equal(resolveMode('val_auc', 'auto', 't'), 'max');
    assert.equal(resolveMode('out_1_categoricalAccuracy', 'auto', 't'), 'max');
    assert.equal(resolveMode('val_loss', 'auto', 't'), 'min');
    assert.equal(resolveMode('mae', 'auto', 't'), 'min');
    assert.equal(resolveMode('val_accuracy', 'min', 't'), 'min');
    const { x, y } = data();
    const model = tinyModel();
    const es = new EarlyStopping({ monitor: 'mae', mode: 'max', patience: 1, startFromEpoch: 3 });
    // Falling values never improve in max mode, but nothing is watched before epoch 3.
    const h = await model.fit(x, y, { epochs: 10, verbose: 0, callbacks: [scripted('mae', [9, 8, 7, 6, 5, 4, 3]), es] });
    assert.deepEqual(h.epoch, [0, 1, 2, 3, 4]);
  });

  it('a monitor that fit() does not log is an error before any step; bad arguments are ValueErrors', async () => {
    const { x, y } = data();
    const model = tinyModel();
    const before = flatWeights(model);
    await assert.rejects(model.fit(x, y, { epochs: 2, verbose: 0, callbacks: callbacks.earlyStopping() }), (e: Error) => {
      assert.ok(e instanceof nb.ValueError);
      assert.match(e.message, /monitor 'val_loss' is not logged.*available: loss, mae.*validationData/);
      return true;
    });
    assert.deepEqual(flatWeights(model), before);
    assert.throws(() => callbacks.earlyStopping({ patience: -1 }), nb.ValueError);
    assert.throws(() => callbacks.earlyStopping({ mode: 'up' as never }), /mode must be 'auto', 'min' or 'max'/);
  });
});

describe('reduceLROnPlateau', () => {
  it('multiplies the learning rate by factor after patience epochs, honouring cooldown and minLr', async () => {
    const { x, y } = data();
    const model = tinyModel(0.1);
    const rates: number[] = [];
    const rec = new LambdaCallback({ onEpochBegin: () => void rates.push(model.optimizer!.learningRate) });
    const cb = callbacks.reduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 2, cooldown: 1, minLr: 0.02 });
    await model.fit(x, y, { epochs: 9, verbose: 0, callbacks: [scripted('loss', new Array(9).fill(1)), cb, rec] });
    assertClose(rates, [0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02], { atol: 1e-12, rtol: 0 });
    assertClose(model.optimizer!.learningRate, 0.02, { atol: 1e-12, rtol: 0 });
  });

  it('an improving value keeps the rate; a schedule or factor ≥ 1 is refused', async () => {
    const { x, y } = data();
    const model = tinyModel(0.1);
    const cb = new ReduceLROnPlateau({ monitor: 'loss', patience: 1 });
    await model.fit(x, y, { epochs: 4, verbose: 0, callbacks: [scripted('loss', [4, 3, 2, 1]), cb] });
    assert.equal(model.optimizer!.learningRate, 0.1);
    assert.throws(() => new ReduceLROnPlateau({ factor: 1 }), /factor must be < 1/);
    const m2 = tinyModel();
    m2.compile({ optimizer: new SGD({ learningRate: exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }) }), loss: 'meanSquaredError' });
    await assert.rejects(m2.fit(x, y, { epochs: 1, verbose: 0, callbacks: new ReduceLROnPlateau({ monitor: 'loss' }) }), /learning-rate schedule/);
  });
});

describe('learningRateScheduler', () => {
  it('sets the rate at each epoch start from (epoch, lr), and the optimizer uses it', async () => {
    const { x, y } = data();
    const model = tinyModel(0.1);
    const rates: number[] = [];
    const snapshots: number[][] = [];
    const rec = new LambdaCallback({
      onEpochBegin: () => void rates.push(model.optimizer!.learningRate),
      onEpochEnd: () => void snapshots.push(flatWeights(model)),
    });
    const sched = callbacks.learningRateScheduler((epoch, lr) => (epoch === 2 ? 0 : epoch === 0 ? 0.08 : lr / 2));
    await model.fit(x, y, { epochs: 4, batchSize: 4, verbose: 0, callbacks: [sched, rec] });
    assertClose(rates, [0.08, 0.04, 0, 0], { atol: 1e-12, rtol: 0 });
    assert.notDeepEqual(snapshots[1], snapshots[0]);
    assert.deepEqual(snapshots[2], snapshots[1], 'learning rate 0 in epoch 2 leaves the weights unchanged');
    assert.deepEqual(snapshots[3], snapshots[2]);
  });

  it('accepts {schedule} and async schedules; a non-number result is a ValueError', async () => {
    const { x, y } = data();
    const model = tinyModel(0.1);
    await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: callbacks.learningRateScheduler({ schedule: async (e) => 0.01 * (e + 1) }) });
    assertClose(model.optimizer!.learningRate, 0.02, { atol: 1e-12, rtol: 0 });
    await assert.rejects(
      model.fit(x, y, { epochs: 1, verbose: 0, callbacks: new LearningRateScheduler(() => NaN) }),
      (e: Error) => e instanceof nb.ValueError && /returned NaN for epoch 0/.test(e.message),
    );
  });
});

describe('csvLogger', () => {
  it('writes a header and one row per epoch with every logged value, columns sorted', async () => {
    const dir = tempDir();
    const file = join(dir, 'log.csv');
    const { x, y } = data();
    const model = tinyModel();
    const h = await model.fit(x, y, { epochs: 3, verbose: 0, validationData: [x, y], callbacks: callbacks.csvLogger({ filename: file }) });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'epoch,loss,mae,val_loss,val_mae');
    assert.equal(lines.length, 4);
    for (let e = 0; e < 3; e++) {
      const cells = lines[e + 1]!.split(',');
      assert.equal(cells[0], String(e));
      const expected = ['loss', 'mae', 'val_loss', 'val_mae'].map((k) => h.history[k]![e]!);
      assert.deepEqual(cells.slice(1).map(Number), expected);
    }
    assert.deepEqual(readdirSync(dir), ['log.csv'], 'no temporary files left behind');
  });

  it('append adds rows under the existing header; a different column set is a DataError; separator is honoured', async () => {
    const dir = tempDir();
    const file = join(dir, 'log.csv');
    const { x, y } = data();
    const model = tinyModel();
    await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: new CSVLogger({ filename: file, separator: ';' }) });
    await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: new CSVLogger({ filename: file, separator: ';', append: true }) });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => l.split(';')[0]), ['epoch', '0', '1', '0', '1']);
    assert.equal(lines[0], 'epoch;loss;mae');
    // Without append the file is replaced.
    await model.fit(x, y, { epochs: 1, verbose: 0, callbacks: new CSVLogger({ filename: file, separator: ';' }) });
    assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').length, 2);
    writeFileSync(file, 'epoch,accuracy\n0,0.5\n');
    await assert.rejects(
      model.fit(x, y, { epochs: 1, verbose: 0, callbacks: new CSVLogger({ filename: file, append: true }) }),
      (e: Error) => e instanceof nb.DataError && e.message.includes(file) && e.message.includes('epoch,loss,mae'),
    );
    assert.equal(readFileSync(file, 'utf8'), 'epoch,accuracy\n0,0.5\n', 'the refused file is untouched');
  });
});

describe('terminateOnNaN', () => {
  function nanData(): { x: nb.Tensor; y: nb.Tensor } {
    const { x, y } = data();
    const v = Float32Array.from(x.values as Float32Array);
    v[1] = NaN; // row 0: in the first batch (no shuffling)
    return { x: nb.tensor(v, [16, 3]), y };
  }

  it('stops at the first non-finite loss with the weights unchanged and a message naming the batch', async () => {
    const { x, y } = nanData();
    const model = tinyModel();
    const before = flatWeights(model);
    const cb = callbacks.terminateOnNaN();
    assert.equal(cb.stopsOnNonFiniteLoss, true);
    let batches = 0;
    const counter = new LambdaCallback({ onBatchEnd: () => void batches++ });
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (written.push(String(s)), true)) as typeof process.stderr.write;
    let h: nb.History;
    try {
      h = await model.fit(x, y, { epochs: 5, batchSize: 4, shuffle: false, verbose: 0, callbacks: [cb, counter] });
    } finally {
      process.stderr.write = original;
    }
    assert.equal(batches, 1);
    assert.deepEqual(h.epoch, [0]);
    assert.deepEqual(cb.stoppedAt, { epoch: 0, batch: 0 });
    assert.deepEqual(flatWeights(model), before);
    assert.match(written.join(''), /epoch 1, batch 0: loss is NaN; input 0 of this batch contains NaN/);
  });

  it('without it, the same data turns the weights into NaN (the guard is what keeps them)', async () => {
    const { x, y } = nanData();
    const model = tinyModel();
    await model.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    assert.ok(flatWeights(model).some(Number.isNaN));
  });

  it('stops on a later batch, keeping the weights of the last good step', async () => {
    const { x, y } = data();
    const v = Float32Array.from(x.values as Float32Array);
    v[3 * 9] = Infinity; // row 9: the third batch of four
    const bad = nb.tensor(v, [16, 3]);
    const model = tinyModel();
    const snapshots: number[][] = [];
    const rec = new LambdaCallback({ onBatchEnd: () => void snapshots.push(flatWeights(model)) });
    const cb = new TerminateOnNaN();
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      await model.fit(bad, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0, callbacks: [cb, rec] });
    } finally {
      process.stderr.write = original;
    }
    assert.deepEqual(cb.stoppedAt, { epoch: 0, batch: 2 });
    assert.equal(snapshots.length, 3);
    assert.deepEqual(snapshots[2], snapshots[1]);
    assert.ok(flatWeights(model).every(Number.isFinite));
  });
});

describe('lambdaCallback', () => {
  it('calls every hook in order with the right epochs, batches and logs', async () => {
    const { x, y } = data(1, 10);
    const model = tinyModel();
    const events: string[] = [];
    const epochLogs: Logs[] = [];
    const cb = callbacks.lambdaCallback({
      onTrainBegin: () => void events.push('trainBegin'),
      onTrainEnd: () => void events.push('trainEnd'),
      onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
      onEpochEnd: (e, logs) => {
        events.push(`epochEnd ${e}`);
        epochLogs.push({ ...logs });
      },
      onBatchBegin: (b, logs) => void events.push(`batchBegin ${b} size ${logs['size']}`),
      onBatchEnd: async (b, logs) => {
        await new Promise((r) => setTimeout(r, 1));
        events.push(`batchEnd ${b} ${typeof logs['loss']}`);
      },
    });
    const h = await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, callbacks: cb });
    const epoch = (e: number): string[] => [
      `epochBegin ${e}`,
      'batchBegin 0 size 4', 'batchEnd 0 number',
      'batchBegin 1 size 4', 'batchEnd 1 number',
      'batchBegin 2 size 2', 'batchEnd 2 number',
      `epochEnd ${e}`,
    ];
    assert.deepEqual(events, ['trainBegin', ...epoch(0), ...epoch(1), 'trainEnd']);
    assert.deepEqual(epochLogs.map((l) => l['loss']), h.history['loss']);
    assert.throws(() => callbacks.lambdaCallback({ onEpochEnds: () => {} } as never), /unknown hook 'onEpochEnds'; valid hooks: onTrainBegin/);
  });
});

describe('modelCheckpoint', () => {
  it('formats placeholders like Python', () => {
    assert.equal(formatSpec(3, '02d', 'epoch'), '03');
    assert.equal(formatSpec(0.123456, '.4f', 'val_loss'), '0.1235');
    assert.equal(formatSpec(0.000123, '.2e', 'loss'), '1.23e-04');
    assert.equal(formatSpec(12, undefined, 'epoch'), '12');
    assert.throws(() => new ModelCheckpoint({ filepath: 'm-{loss:%x}' }), /unsupported format/);
  });

  it('saveBestOnly writes only on improvement; the saved models load back with the weights of those epochs', async () => {
    const dir = tempDir();
    const { x, y } = data();
    const model = tinyModel();
    const snapshots: nb.Tensor[][] = [];
    const capture = new LambdaCallback({ onEpochEnd: () => void snapshots.push(model.getWeights()) });
    const ckpt = callbacks.modelCheckpoint({ filepath: join(dir, 'ckpt-{epoch:02d}-{val_loss:.2f}'), saveBestOnly: true });
    await model.fit(x, y, { epochs: 5, verbose: 0, validationData: [x, y], callbacks: [scripted('val_loss', [1, 0.5, 0.7, 0.4, 0.6]), capture, ckpt] });
    assert.deepEqual(readdirSync(dir).sort(), ['ckpt-01-1.00', 'ckpt-02-0.50', 'ckpt-04-0.40']);
    assert.equal(ckpt.best, 0.4);
    assert.equal(ckpt.lastSaved, join(dir, 'ckpt-04-0.40'));
    const restored = await loadModel(join(dir, 'ckpt-04-0.40'));
    const reference = tinyModel();
    reference.setWeights(snapshots[3]!);
    assertClose(restored.predict(x) as nb.Tensor, reference.predict(x) as nb.Tensor, { atol: 0, rtol: 0 });
    assert.deepEqual(readdirSync(join(dir, 'ckpt-04-0.40')).sort(), ['model.json', 'weights.safetensors']);
  });

  it('saveWeightsOnly to one file, mode max, every epoch without saveBestOnly', async () => {
    const dir = tempDir();
    const { x, y } = data();
    const model = tinyModel();
    const snapshots: nb.Tensor[][] = [];
    const capture = new LambdaCallback({ onEpochEnd: () => void snapshots.push(model.getWeights()) });
    const file = join(dir, 'best.safetensors');
    const ckpt = new ModelCheckpoint({ filepath: file, monitor: 'score', mode: 'max', saveBestOnly: true, saveWeightsOnly: true });
    // 'score' is not a logged key: checked at train begin.
    await assert.rejects(model.fit(x, y, { epochs: 1, verbose: 0, callbacks: ckpt }), /monitor 'score' is not logged/);
    const ckpt2 = new ModelCheckpoint({ filepath: file, monitor: 'mae', mode: 'max', saveBestOnly: true, saveWeightsOnly: true });
    await model.fit(x, y, { epochs: 4, verbose: 0, callbacks: [scripted('mae', [0.1, 0.3, 0.2, 0.25]), capture, ckpt2] });
    const fresh = tinyModel(0.05, 99);
    await loadWeights(fresh, file);
    const reference = tinyModel();
    reference.setWeights(snapshots[1]!);
    assertClose(fresh.predict(x) as nb.Tensor, reference.predict(x) as nb.Tensor, { atol: 0, rtol: 0 });
    const every = new ModelCheckpoint({ filepath: join(dir, 'e{epoch}.safetensors'), saveWeightsOnly: true });
    await model.fit(x, y, { epochs: 3, verbose: 0, callbacks: every });
    assert.deepEqual(readdirSync(dir).sort(), ['best.safetensors', 'e1.safetensors', 'e2.safetensors', 'e3.safetensors']);
  });
});
