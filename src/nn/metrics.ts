import { ValueError } from '../tensor/errors.js';
import type { DataArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Loss } from './losses.js';

/**
 * A streaming metric: `update` folds in one batch, `result` reads the value over everything seen
 * since `reset`. Metrics read tensor values directly; they never build autograd graphs.
 */
export interface Metric {
  readonly name: string;
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): void;
  result(): number;
  reset(): void;
}

/** Number of classes (last dimension) of a prediction. */
function classesOf(yPred: Tensor): number {
  return yPred.rank === 0 ? 1 : yPred.shape[yPred.rank - 1]!;
}

/** A weighted mean of per-sample values, each computed by `perSample(values…)`. */
class MeanMetric implements Metric {
  private total = 0;
  private count = 0;
  constructor(
    readonly name: string,
    private readonly perSample: (yTrue: Tensor, yPred: Tensor) => ArrayLike<number>,
    private readonly finish: (mean: number) => number = (m) => m,
  ) {}

  update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | null = null): void {
    const values = this.perSample(yTrue, yPred);
    const w = sampleWeight?.values;
    for (let i = 0; i < values.length; i++) {
      const weight = w === undefined ? 1 : (w[i] as number);
      this.total += weight * (values[i] as number);
      this.count += weight;
    }
  }

  result(): number {
    return this.count === 0 ? 0 : this.finish(this.total / this.count);
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}

function rows(t: Tensor): number {
  return t.rank === 0 ? 1 : t.shape[0]!;
}

function argmaxRow(v: DataArray, offset: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if ((v[offset + j] as number) > (v[offset + best] as number)) best = j;
  return best;
}

function binaryAccuracyValues(threshold: number) {
  return (yTrue: Tensor, yPred: Tensor): Float64Array => {
    const n = rows(yPred);
    const per = yPred.size / Math.max(n, 1);
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let hit = 0;
      for (let j = 0; j < per; j++) {
        const p = (yPred.values[r * per + j] as number) > threshold ? 1 : 0;
        if (p === ((yTrue.values[r * per + j] as number) > 0.5 ? 1 : 0)) hit++;
      }
      out[r] = hit / per;
    }
    return out;
  };
}

function categoricalAccuracyValues(yTrue: Tensor, yPred: Tensor): Float64Array {
  const c = classesOf(yPred);
  const n = yPred.size / c;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = argmaxRow(yPred.values, r * c, c) === argmaxRow(yTrue.values, r * c, c) ? 1 : 0;
  return out;
}

function sparseAccuracyValues(yTrue: Tensor, yPred: Tensor): Float64Array {
  const c = classesOf(yPred);
  const n = yPred.size / c;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = argmaxRow(yPred.values, r * c, c) === (yTrue.values[r] as number) ? 1 : 0;
  return out;
}

function topKValues(k: number, sparse: boolean) {
  return (yTrue: Tensor, yPred: Tensor): Float64Array => {
    const c = classesOf(yPred);
    const n = yPred.size / c;
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const label = sparse ? (yTrue.values[r] as number) : argmaxRow(yTrue.values, r * c, c);
      const score = yPred.values[r * c + label] as number;
      let greater = 0;
      for (let j = 0; j < c; j++) if ((yPred.values[r * c + j] as number) > score) greater++;
      out[r] = greater < k ? 1 : 0;
    }
    return out;
  };
}

function elementwise(f: (t: number, p: number) => number) {
  return (yTrue: Tensor, yPred: Tensor): Float64Array => {
    const n = rows(yPred);
    const per = yPred.size / Math.max(n, 1);
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let j = 0; j < per; j++) s += f(yTrue.values[r * per + j] as number, yPred.values[r * per + j] as number);
      out[r] = s / per;
    }
    return out;
  };
}

/** Precision or recall at a threshold, from confusion counts accumulated over batches. */
class ConfusionMetric implements Metric {
  private tp = 0;
  private fp = 0;
  private fn = 0;
  constructor(
    readonly name: string,
    private readonly kind: 'precision' | 'recall',
    private readonly threshold: number,
  ) {}

  update(yTrue: Tensor, yPred: Tensor): void {
    for (let i = 0; i < yPred.size; i++) {
      const p = (yPred.values[i] as number) > this.threshold;
      const t = (yTrue.values[i] as number) > 0.5;
      if (p && t) this.tp++;
      else if (p && !t) this.fp++;
      else if (!p && t) this.fn++;
    }
  }

  result(): number {
    const denom = this.kind === 'precision' ? this.tp + this.fp : this.tp + this.fn;
    return denom === 0 ? 0 : this.tp / denom;
  }

  reset(): void {
    this.tp = this.fp = this.fn = 0;
  }
}

/** ROC AUC by the trapezoidal rule over `numThresholds` evenly spaced thresholds (Keras' default method). */
class AucMetric implements Metric {
  private readonly tp: Float64Array;
  private readonly fp: Float64Array;
  private pos = 0;
  private neg = 0;
  constructor(
    readonly name: string,
    private readonly numThresholds = 200,
  ) {
    this.tp = new Float64Array(numThresholds);
    this.fp = new Float64Array(numThresholds);
  }

  private thresholdAt(i: number): number {
    const eps = 1e-7;
    if (i === 0) return -eps;
    if (i === this.numThresholds - 1) return 1 + eps;
    return i / (this.numThresholds - 1);
  }

  update(yTrue: Tensor, yPred: Tensor): void {
    for (let k = 0; k < yPred.size; k++) {
      const p = yPred.values[k] as number;
      const t = (yTrue.values[k] as number) > 0.5;
      if (t) this.pos++;
      else this.neg++;
      for (let i = 0; i < this.numThresholds; i++) {
        if (p > this.thresholdAt(i)) {
          if (t) this.tp[i]!++;
          else this.fp[i]!++;
        }
      }
    }
  }

  result(): number {
    if (this.pos === 0 || this.neg === 0) return 0;
    let auc = 0;
    for (let i = 0; i < this.numThresholds - 1; i++) {
      const tpr0 = this.tp[i]! / this.pos;
      const tpr1 = this.tp[i + 1]! / this.pos;
      const fpr0 = this.fp[i]! / this.neg;
      const fpr1 = this.fp[i + 1]! / this.neg;
      auc += ((fpr0 - fpr1) * (tpr0 + tpr1)) / 2;
    }
    return auc;
  }

  reset(): void {
    this.tp.fill(0);
    this.fp.fill(0);
    this.pos = this.neg = 0;
  }
}

/** 'accuracy' as Keras resolves it: sparse, binary or categorical, chosen from the loss and the output width. */
function accuracyFor(lossName: string | null, displayName: string): Metric {
  const pick = (yTrue: Tensor, yPred: Tensor): ArrayLike<number> => {
    const c = classesOf(yPred);
    if (lossName !== null && lossName.startsWith('sparse')) return sparseAccuracyValues(yTrue, yPred);
    if (c === 1 || lossName === 'binaryCrossentropy' || lossName === 'hinge' || lossName === 'squaredHinge') {
      return binaryAccuracyValues(0.5)(yTrue, yPred);
    }
    if (yTrue.size * c === yPred.size) return sparseAccuracyValues(yTrue, yPred);
    return categoricalAccuracyValues(yTrue, yPred);
  };
  return new MeanMetric(displayName, pick);
}

const FACTORIES: Record<string, (lossName: string | null, name: string) => Metric> = {
  accuracy: (loss, name) => accuracyFor(loss, name),
  acc: (loss, name) => accuracyFor(loss, name),
  binaryAccuracy: (_, name) => new MeanMetric(name, binaryAccuracyValues(0.5)),
  categoricalAccuracy: (_, name) => new MeanMetric(name, categoricalAccuracyValues),
  sparseCategoricalAccuracy: (_, name) => new MeanMetric(name, sparseAccuracyValues),
  topKCategoricalAccuracy: (_, name) => new MeanMetric(name, topKValues(5, false)),
  sparseTopKCategoricalAccuracy: (_, name) => new MeanMetric(name, topKValues(5, true)),
  precision: (_, name) => new ConfusionMetric(name, 'precision', 0.5),
  recall: (_, name) => new ConfusionMetric(name, 'recall', 0.5),
  auc: (_, name) => new AucMetric(name),
  meanAbsoluteError: (_, name) => new MeanMetric(name, elementwise((t, p) => Math.abs(t - p))),
  mae: (_, name) => new MeanMetric(name, elementwise((t, p) => Math.abs(t - p))),
  meanSquaredError: (_, name) => new MeanMetric(name, elementwise((t, p) => (t - p) ** 2)),
  mse: (_, name) => new MeanMetric(name, elementwise((t, p) => (t - p) ** 2)),
  rootMeanSquaredError: (_, name) => new MeanMetric(name, elementwise((t, p) => (t - p) ** 2), Math.sqrt),
};

export const METRIC_NAMES = Object.keys(FACTORIES);

export type MetricLike = string | Metric | Loss;

/** A fresh metric for a name (Keras camelCase or snake_case), a Metric object, or a loss used as a metric. */
export function getMetric(m: MetricLike, lossName: string | null = null): Metric {
  if (typeof m === 'string') {
    const key = m.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const make = Object.hasOwn(FACTORIES, key) ? FACTORIES[key] : undefined;
    if (make === undefined) throw new ValueError(`unknown metric '${m}'; valid names: ${METRIC_NAMES.join(', ')}`);
    return make(lossName, key === 'acc' ? 'acc' : key);
  }
  if (typeof m === 'function') {
    const loss = m;
    return new MeanMetric(loss.lossName, (yt, yp) => loss(yt, yp).values);
  }
  return m;
}

/** Factories for metric objects: nb.metrics.topKCategoricalAccuracy({k: 3}) etc. */
export const metrics = {
  binaryAccuracy: (args: { threshold?: number } = {}): Metric => new MeanMetric('binaryAccuracy', binaryAccuracyValues(args.threshold ?? 0.5)),
  categoricalAccuracy: (): Metric => new MeanMetric('categoricalAccuracy', categoricalAccuracyValues),
  sparseCategoricalAccuracy: (): Metric => new MeanMetric('sparseCategoricalAccuracy', sparseAccuracyValues),
  topKCategoricalAccuracy: (args: { k?: number } = {}): Metric => new MeanMetric('topKCategoricalAccuracy', topKValues(args.k ?? 5, false)),
  sparseTopKCategoricalAccuracy: (args: { k?: number } = {}): Metric => new MeanMetric('sparseTopKCategoricalAccuracy', topKValues(args.k ?? 5, true)),
  precision: (args: { threshold?: number } = {}): Metric => new ConfusionMetric('precision', 'precision', args.threshold ?? 0.5),
  recall: (args: { threshold?: number } = {}): Metric => new ConfusionMetric('recall', 'recall', args.threshold ?? 0.5),
  auc: (args: { numThresholds?: number } = {}): Metric => new AucMetric('auc', args.numThresholds ?? 200),
  meanAbsoluteError: (): Metric => getMetric('meanAbsoluteError'),
  meanSquaredError: (): Metric => getMetric('meanSquaredError'),
  rootMeanSquaredError: (): Metric => getMetric('rootMeanSquaredError'),
};
