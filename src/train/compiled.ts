import { getLoss, type Loss, type LossLike } from '../nn/losses.js';
import { getMetric, type Metric, type MetricLike } from '../nn/metrics.js';
import { add, mul } from '../ops/binary.js';
import { mean } from '../ops/reduce.js';
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { getOptimizer, type OptimizerLike } from '../optim/optimizers.js';
import type { Optimizer } from '../optim/optimizer.js';

export interface CompileArgs {
  optimizer: OptimizerLike;
  /** One loss for every output, or one per output. */
  loss: LossLike | readonly LossLike[];
  /** Metrics for every output (or, as an array of arrays, per output). */
  metrics?: MetricLike | readonly MetricLike[] | readonly (readonly MetricLike[])[];
  /** Weights of each output's loss in the total (default 1 each). */
  lossWeights?: readonly number[];
}

/** What compile() resolved: the optimizer, one loss per output, and fresh metric objects per output. */
export class CompiledState {
  readonly optimizer: Optimizer;
  readonly losses: Loss[];
  readonly lossWeights: number[];
  private readonly metricSpecs: MetricLike[][];

  constructor(args: CompileArgs, outputNames: readonly string[] | null) {
    if (args === undefined || args === null || typeof args !== 'object') {
      throw new ValueError('compile: expected an object {optimizer, loss, metrics?}');
    }
    if (args.optimizer === undefined) throw new ValueError('compile: an optimizer is required (e.g. "adam")');
    if (args.loss === undefined) throw new ValueError('compile: a loss is required (e.g. "categoricalCrossentropy")');
    this.optimizer = getOptimizer(args.optimizer);
    const n = outputNames?.length ?? 1;
    const lossList = Array.isArray(args.loss) ? (args.loss as LossLike[]) : [args.loss as LossLike];
    if (lossList.length !== 1 && lossList.length !== n) {
      throw new ValueError(`compile: ${lossList.length} losses given for a model with ${n} outputs`);
    }
    this.losses = Array.from({ length: n }, (_, i) => getLoss(lossList[lossList.length === 1 ? 0 : i]!));
    this.lossWeights = args.lossWeights ? [...args.lossWeights] : this.losses.map(() => 1);
    if (this.lossWeights.length !== n) throw new ValueError(`compile: lossWeights has ${this.lossWeights.length} entries for ${n} outputs`);
    const m = args.metrics;
    if (m === undefined) this.metricSpecs = this.losses.map(() => []);
    else if (!Array.isArray(m)) this.metricSpecs = this.losses.map(() => [m as MetricLike]);
    else if (m.length > 0 && Array.isArray(m[0])) this.metricSpecs = (m as MetricLike[][]).map((x) => [...x]);
    else this.metricSpecs = this.losses.map(() => [...(m as MetricLike[])]);
    // Resolve once now so an unknown metric name fails at compile time.
    this.newMetrics(outputNames);
  }

  /** Fresh metric objects, named as Keras does (prefixed by the output name when there are several). */
  newMetrics(outputNames: readonly string[] | null): { output: number; metric: Metric; key: string }[] {
    const out: { output: number; metric: Metric; key: string }[] = [];
    this.metricSpecs.forEach((specs, i) => {
      for (const spec of specs) {
        const metric = getMetric(spec, this.losses[i]!.lossName);
        const prefix = outputNames !== null && outputNames.length > 1 ? `${outputNames[i]}_` : '';
        out.push({ output: i, metric, key: `${prefix}${metric.name}` });
      }
    });
    return out;
  }

  /** The weighted total loss (a scalar) and each output's mean loss; sample weights scale per-sample losses. */
  computeLoss(ys: readonly Tensor[], outputs: readonly Tensor[], sampleWeight: Tensor | null): { total: Tensor; perOutput: Tensor[] } {
    if (ys.length !== outputs.length) {
      throw new ValueError(`fit: the model has ${outputs.length} outputs but ${ys.length} targets were given`);
    }
    const perOutput = outputs.map((yp, i) => {
      let per = this.losses[i]!(ys[i]!, yp);
      if (sampleWeight !== null) per = mul(per, sampleWeight);
      return mean(per);
    });
    let total = mul(perOutput[0]!, this.lossWeights[0]!);
    for (let i = 1; i < perOutput.length; i++) total = add(total, mul(perOutput[i]!, this.lossWeights[i]!));
    return { total, perOutput };
  }
}
