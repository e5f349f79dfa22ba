import { computeGradients } from '../autograd/backward.js';
import { noGrad } from '../autograd/tape.js';
import type { Metric } from '../nn/metrics.js';
import { add } from '../ops/binary.js';
import { fromValues, zerosLike } from '../tensor/creation.js';
import { DataError, ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { ArrayBatches, type Batch, type BatchSource, iterateSource, rowSlice, sampleCount, asList, type TensorOrList, isBatchSource } from './batches.js';
import { Callback, CallbackList, type Logs } from './callbacks/callback.js';
import { ProgbarLogger } from './callbacks/progbar.js';
import type { CompiledState } from './compiled.js';
import { History } from './history.js';
import type { Model } from './model.js';

export interface FitArgs {
  epochs?: number;
  batchSize?: number;
  /** Fraction of the arrays (taken from the end, before shuffling, as Keras) held out for validation. */
  validationSplit?: number;
  /** [x, y] or [x, y, sampleWeight] arrays, or a batch source, evaluated after each epoch. */
  validationData?: readonly [TensorOrList, TensorOrList] | readonly [TensorOrList, TensorOrList, Tensor] | BatchSource;
  shuffle?: boolean;
  /** Weight of each class index in the loss (for imbalanced data). */
  classWeight?: Readonly<Record<number, number>>;
  /** Per-sample loss weights, shape [samples]. */
  sampleWeight?: Tensor;
  initialEpoch?: number;
  /** Batches per epoch (for infinite datasets, or fewer than a full pass). */
  stepsPerEpoch?: number;
  validationSteps?: number;
  validationBatchSize?: number;
  callbacks?: Callback | readonly Callback[];
  /** 0 silent, 1 progress bar (one line per epoch when stdout is not a terminal), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
}

export interface EvaluateArgs {
  batchSize?: number;
  sampleWeight?: Tensor;
  steps?: number;
  verbose?: 0 | 1;
}

type MetricEntry = { output: number; metric: Metric; key: string };

/** Per-sample weights from classWeight: the label's class (argmax for one-hot, the value for sparse/binary). */
function classWeights(y: Tensor, classWeight: Readonly<Record<number, number>>): Tensor {
  const rows = y.shape[0]!;
  const width = y.size / Math.max(rows, 1);
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let cls: number;
    if (width > 1) {
      cls = 0;
      for (let j = 1; j < width; j++) if ((y.values[r * width + j] as number) > (y.values[r * width + cls] as number)) cls = j;
    } else {
      cls = Math.round(y.values[r] as number);
    }
    out[r] = classWeight[cls] ?? 1;
  }
  return fromValues(out, [rows], 'float32');
}

function hasNonFinite(t: Tensor): boolean {
  const v = t.values;
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return true;
  return false;
}

/**
 * Forward, loss, backward and one optimizer step for a batch; folds the batch into `metrics`.
 * With `guardNonFinite`, a non-finite loss skips the update so the weights stay as they were.
 */
export function trainBatch(model: Model, compiled: CompiledState, batch: Batch, metrics: MetricEntry[], guardNonFinite: boolean): { loss: number; applied: boolean } {
  const trainable = model.trainableWeights;
  const outputs = model.forward(batch.xs, true);
  const { total } = compiled.computeLoss(batch.ys, outputs, batch.sampleWeight);
  let lossWithPenalty = total;
  for (const p of model.regularizationLosses()) lossWithPenalty = add(lossWithPenalty, p);
  const loss = total.item();
  if (guardNonFinite && !Number.isFinite(loss)) return { loss, applied: false };
  const grads = computeGradients(lossWithPenalty, undefined, trainable.map((v) => v.value));
  if (guardNonFinite) for (const g of grads.values()) if (hasNonFinite(g)) return { loss: NaN, applied: false };
  compiled.optimizer.applyGradients(trainable.map((v) => [v, grads.get(v.value) ?? zerosLike(v.value)] as const));
  for (const m of metrics) m.metric.update(batch.ys[m.output]!, outputs[m.output]!, batch.sampleWeight);
  return { loss, applied: true };
}

interface ArrayData {
  xs: Tensor[];
  ys: Tensor[];
}
interface SourceData {
  source: BatchSource;
}

/** Loss and metric values over the data, without gradients, in inference mode. */
export async function evaluateLoop(model: Model, compiled: CompiledState, data: ArrayData | SourceData, args: EvaluateArgs): Promise<Logs> {
  const metrics = compiled.newMetrics(model.outputNames);
  let lossSum = 0;
  let count = 0;
  const consume = (batch: Batch): void => {
    noGrad(() => {
      const outputs = model.forward(batch.xs, false);
      const { total } = compiled.computeLoss(batch.ys, outputs, batch.sampleWeight);
      const n = batch.xs[0]!.shape[0]!;
      lossSum += total.item() * n;
      count += n;
      for (const m of metrics) m.metric.update(batch.ys[m.output]!, outputs[m.output]!, batch.sampleWeight);
    });
  };
  if ('source' in data) {
    for await (const batch of iterateSource(data.source, args.steps ?? null)) consume(batch);
  } else {
    const batches = new ArrayBatches(data.xs, data.ys, args.sampleWeight ?? null, args.batchSize ?? 32);
    for (const batch of batches.epoch(false)) consume(batch);
  }
  const logs: Logs = { loss: count === 0 ? NaN : lossSum / count };
  for (const m of metrics) logs[m.key] = m.metric.result();
  return logs;
}

/** Lets timers and I/O run during long training (a dashboard, Ctrl-C handling) at most every 50 ms. */
let lastYield = Date.now();
async function yieldToEventLoop(): Promise<void> {
  if (Date.now() - lastYield < 50) return;
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  lastYield = Date.now();
}

function positiveInt(v: number | undefined, name: string, fallback: number): number {
  const value = v ?? fallback;
  if (!Number.isInteger(value) || value <= 0) throw new ValueError(`fit: ${name} must be a positive integer, got ${String(v)}`);
  return value;
}

/** The fit() loop: epochs of batches, callbacks, validation, history. */
export async function fitLoop(model: Model, compiled: CompiledState, data: ArrayData | SourceData, args: FitArgs): Promise<History> {
  const epochs = positiveInt(args.epochs, 'epochs', 1);
  const batchSize = positiveInt(args.batchSize, 'batchSize', 32);
  const initialEpoch = args.initialEpoch ?? 0;
  const verbose = args.verbose ?? 1;
  const split = args.validationSplit ?? 0;
  if (!(split >= 0 && split < 1)) throw new ValueError(`fit: validationSplit must be in [0, 1), got ${split}`);

  let train: ArrayBatches | null = null;
  let validation: ArrayData | SourceData | null = null;
  let valWeight: Tensor | null = null;
  if ('xs' in data) {
    let { xs, ys } = data;
    let sw = args.sampleWeight ?? null;
    const n = sampleCount(xs, ys, sw, 'fit');
    if (args.classWeight !== undefined) {
      const cw = classWeights(ys[0]!, args.classWeight);
      sw = sw === null ? cw : fromValues(Float32Array.from(sw.values, (v, i) => (v as number) * (cw.values[i] as number)), [n], 'float32');
    }
    if (split > 0) {
      const cut = Math.floor(n * (1 - split));
      if (cut === 0 || cut === n) throw new ValueError(`fit: validationSplit ${split} of ${n} samples leaves an empty training or validation set`);
      validation = { xs: xs.map((t) => rowSlice(t, cut, n)), ys: ys.map((t) => rowSlice(t, cut, n)) };
      valWeight = sw === null ? null : rowSlice(sw, cut, n);
      xs = xs.map((t) => rowSlice(t, 0, cut));
      ys = ys.map((t) => rowSlice(t, 0, cut));
      sw = sw === null ? null : rowSlice(sw, 0, cut);
    }
    train = new ArrayBatches(xs, ys, sw, batchSize);
  } else if (split > 0) {
    throw new ValueError('fit: validationSplit needs array inputs; pass validationData with a dataset');
  }
  if (args.validationData !== undefined) {
    const vd = args.validationData;
    if (isBatchSource(vd)) validation = { source: vd };
    else {
      const arr = vd as readonly unknown[];
      if (!Array.isArray(arr) || arr.length < 2) throw new ValueError('fit: validationData must be [x, y], [x, y, sampleWeight] or a dataset');
      validation = { xs: asList(arr[0] as TensorOrList, 'fit validationData'), ys: asList(arr[1] as TensorOrList, 'fit validationData') };
      valWeight = (arr[2] as Tensor | undefined) ?? null;
    }
  }

  const metricsTemplate = compiled.newMetrics(model.outputNames);
  const metricKeys = ['loss', ...metricsTemplate.map((m) => m.key)];
  const userCallbacks = args.callbacks === undefined ? [] : args.callbacks instanceof Callback ? [args.callbacks] : [...args.callbacks];
  const history = new History();
  const all: Callback[] = [];
  if (verbose > 0) all.push(new ProgbarLogger(verbose));
  all.push(...userCallbacks);
  const callbacks = new CallbackList(all);
  const guardNonFinite = userCallbacks.some((c) => c.stopsOnNonFiniteLoss === true);
  const steps = args.stepsPerEpoch ?? train?.steps ?? ('source' in data ? knownLength(data.source) : null);
  callbacks.setModel(model);
  callbacks.setParams({
    epochs,
    steps,
    samples: train?.numSamples ?? null,
    batchSize,
    verbose,
    metrics: validation === null ? metricKeys : [...metricKeys, ...metricKeys.map((k) => `val_${k}`)],
  });
  model.stopTraining = false;
  await callbacks.trainBegin({});
  for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    await callbacks.epochBegin(epoch, {});
    const metrics = compiled.newMetrics(model.outputNames);
    let lossSum = 0;
    let seen = 0;
    let step = 0;
    const batches: AsyncIterable<Batch> | Iterable<Batch> =
      train !== null ? limit(train.epoch(args.shuffle ?? true), args.stepsPerEpoch ?? null) : iterateSource((data as SourceData).source, args.stepsPerEpoch ?? null);
    for await (const batch of batches) {
      await callbacks.batchBegin(step, { batch: step, size: batch.xs[0]!.shape[0]! });
      const n = batch.xs[0]!.shape[0]!;
      const { loss, applied } = trainBatch(model, compiled, batch, metrics, guardNonFinite);
      if (!applied) {
        const bad = batch.xs.findIndex(hasNonFinite);
        const where = bad >= 0 ? `input ${bad} of this batch contains NaN or Infinity` : 'the inputs are finite, so the loss diverged';
        process.stderr.write(`nabla: epoch ${epoch + 1}, batch ${step}: loss is ${loss}; ${where}. Training stopped; this step was not applied, so the weights are those of the previous step.\n`);
      }
      lossSum += loss * n;
      seen += n;
      const logs: Logs = { batch: step, size: n, loss: seen === 0 ? NaN : lossSum / seen };
      for (const m of metrics) logs[m.key] = m.metric.result();
      await callbacks.batchEnd(step, logs);
      step++;
      await yieldToEventLoop();
      if (model.stopTraining) break;
    }
    if (seen === 0) throw new DataError(`fit: epoch ${epoch + 1} received no batches; check the dataset or stepsPerEpoch`);
    const epochLogs: Logs = { loss: lossSum / seen };
    for (const m of metrics) epochLogs[m.key] = m.metric.result();
    if (validation !== null) {
      const valLogs = await evaluateLoop(model, compiled, validation, {
        batchSize: args.validationBatchSize ?? batchSize,
        sampleWeight: valWeight ?? undefined,
        steps: args.validationSteps,
      });
      for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
    }
    history.record(epoch, epochLogs);
    await callbacks.epochEnd(epoch, epochLogs);
  }
  await callbacks.trainEnd({});
  return history;
}

/** Batches per pass of a source that says so (Keras generators: numBatches/length; datasets: size). */
function knownLength(source: BatchSource): number | null {
  const s = source as { numBatches?: unknown; length?: unknown; size?: unknown };
  for (const v of [s.numBatches, s.length, s.size]) if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  return null;
}

function* limit<T>(it: Iterable<T>, max: number | null): Generator<T> {
  let i = 0;
  for (const x of it) {
    if (max !== null && i >= max) return;
    yield x;
    i++;
  }
}
