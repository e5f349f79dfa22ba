import { noGrad } from '../autograd/tape.js';
import { Layer, type CallOptions, type LayerInput, type LayerOutput, trainableFirst } from '../nn/layer.js';
import type { Variable } from '../nn/variable.js';
import { concat } from '../ops/slicing.js';
import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { asList, type BatchSource, isBatchSource, iterateInputs, rowSlice, sampleCount, type TensorOrList } from './batches.js';
import type { Callback } from './callbacks/callback.js';
import { CompiledState, type CompileArgs } from './compiled.js';
import { evaluateLoop, type EvaluateArgs, fitLoop, type FitArgs, trainBatch } from './fit-loop.js';
import type { History } from './history.js';
import { save as saveModel, type SaveOptions } from '../io/save.js';
import { summary as printSummary, type SummaryArgs } from './summary.js';

/**
 * A trainable composition of layers with Keras' training API: compile, fit, evaluate, predict.
 * Sequential and functional models are subclasses; so are user models that override `call`.
 */
export class Model extends Layer {
  static override readonly className: string = 'Model';
  /** Set by a callback to end fit() after the current epoch (or batch). */
  stopTraining = false;
  compiled: CompiledState | null = null;

  /** Sub-layers: by default every Layer (or array of Layers) stored on this object, as Keras tracks attributes. */
  get layers(): Layer[] {
    const found: Layer[] = [];
    for (const value of Object.values(this)) {
      if (value instanceof Layer && value !== this) found.push(value);
      else if (Array.isArray(value)) for (const v of value) if (v instanceof Layer) found.push(v);
    }
    return found;
  }

  /** Every weight of every sub-layer (shared layers once) and the model's own: trainable first, as Keras. */
  override get weights(): Variable[] {
    const seen = new Set<Variable>();
    const out: Variable[] = [];
    for (const l of this.layers) for (const w of l.weights) if (!seen.has(w)) (seen.add(w), out.push(w));
    for (const w of super.weights) if (!seen.has(w)) (seen.add(w), out.push(w));
    return trainableFirst(out);
  }

  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(flag: boolean) {
    super.trainable = flag;
    for (const l of this.layers) l.trainable = flag;
  }

  override regularizationLosses(): Tensor[] {
    const out = super.regularizationLosses();
    for (const l of this.layers) out.push(...l.regularizationLosses());
    return out;
  }

  /** Subclassed models override this with their forward pass. */
  call(_inputs: LayerInput, _options: CallOptions): LayerOutput {
    throw new ValueError(`${this.name}: a subclassed Model must implement call(inputs, options)`);
  }

  /** Output names used to prefix metrics of multi-output models. */
  get outputNames(): string[] | null {
    return null;
  }

  /** Configures training: optimizer, loss(es) and metrics, by name or object. */
  compile(args: CompileArgs): void {
    this.compiled = new CompiledState(args, this.outputNames);
  }

  get optimizer(): CompiledState['optimizer'] | null {
    return this.compiled?.optimizer ?? null;
  }

  requireCompiled(what: string): CompiledState {
    if (this.compiled === null) {
      throw new ValueError(`${this.name}.${what}: the model must be compiled first, e.g. model.compile({optimizer: 'adam', loss: 'meanSquaredError'})`);
    }
    return this.compiled;
  }

  /** Runs the model on a list of inputs and always returns a list of outputs. */
  forward(xs: readonly Tensor[], training: boolean): Tensor[] {
    const out = this.apply(xs.length === 1 ? xs[0]! : xs, { training });
    return Array.isArray(out) ? out : [out];
  }

  /**
   * Trains for a number of epochs on arrays (`fit(x, y, args)`) or on a dataset / (async) iterable
   * of batches (`fit(dataset, args)`). Resolves to the History of per-epoch logs.
   */
  async fit(x: TensorOrList | BatchSource, y?: TensorOrList | FitArgs, args: FitArgs = {}): Promise<History> {
    const compiled = this.requireCompiled('fit');
    if (isBatchSource(x)) return fitLoop(this, compiled, { source: x }, (y as FitArgs | undefined) ?? {});
    if (!(y instanceof Tensor) && !Array.isArray(y)) {
      throw new ValueError(`${this.name}.fit: targets (y) are required when x is a Tensor`);
    }
    const xs = asList(x as TensorOrList, 'fit');
    const ys = asList(y as TensorOrList, 'fit');
    return fitLoop(this, compiled, { xs, ys }, args);
  }

  /** Loss and metrics on the given data: a number (loss only) or [loss, ...metrics] in compile order. */
  async evaluate(x: TensorOrList | BatchSource, y?: TensorOrList | EvaluateArgs, args: EvaluateArgs = {}): Promise<number | number[]> {
    const values = Object.values(await this.evaluateDict(x, y, args));
    return values.length === 1 ? values[0]! : values;
  }

  /** Like evaluate (arrays or a dataset), but returns the named logs ({loss, accuracy, …}). */
  async evaluateDict(x: TensorOrList | BatchSource, y?: TensorOrList | EvaluateArgs, args: EvaluateArgs = {}): Promise<Record<string, number>> {
    const compiled = this.requireCompiled('evaluate');
    if (isBatchSource(x)) return evaluateLoop(this, compiled, { source: x }, (y as EvaluateArgs | undefined) ?? {});
    return evaluateLoop(this, compiled, { xs: asList(x as TensorOrList, 'evaluate'), ys: asList(y as TensorOrList, 'evaluate') }, args);
  }

  /**
   * Predictions in batches (default 32), without recording gradients, in inference mode. Given a
   * dataset or (async) iterable of batches (elements `{xs}`, `{xs, ys}`, `[x, y]` or plain input
   * tensors), it resolves to the concatenated predictions.
   */
  predict(x: TensorOrList, args?: { batchSize?: number }): Tensor | Tensor[];
  predict(x: BatchSource, args?: { steps?: number }): Promise<Tensor | Tensor[]>;
  predict(x: TensorOrList | BatchSource, args: { batchSize?: number; steps?: number } = {}): Tensor | Tensor[] | Promise<Tensor | Tensor[]> {
    if (isBatchSource(x)) return this.predictSource(x, args.steps ?? null);
    const xs = asList(x, 'predict');
    const n = sampleCount(xs, [], null, 'predict');
    const batchSize = args.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new ValueError(`predict: batchSize must be a positive integer, got ${batchSize}`);
    const chunks: Tensor[][] = [];
    noGrad(() => {
      for (let start = 0; start < Math.max(n, 1); start += batchSize) {
        const end = Math.min(start + batchSize, n);
        chunks.push(this.forward(xs.map((t) => rowSlice(t, start, end)), false));
      }
    });
    return joinChunks(chunks);
  }

  private async predictSource(source: BatchSource, steps: number | null): Promise<Tensor | Tensor[]> {
    const chunks: Tensor[][] = [];
    for await (const xs of iterateInputs(source, steps)) chunks.push(noGrad(() => this.forward(xs, false)));
    if (chunks.length === 0) throw new ValueError(`${this.name}.predict: the dataset yielded no batches`);
    return joinChunks(chunks);
  }

  /** The model's output for one batch, in inference mode. */
  predictOnBatch(x: TensorOrList): Tensor | Tensor[] {
    const out = noGrad(() => this.forward(asList(x, 'predictOnBatch'), false));
    return out.length === 1 ? out[0]! : out;
  }

  /** One optimizer step on one batch; returns the loss (or [loss, ...metrics] when metrics are compiled). */
  trainOnBatch(x: TensorOrList, y: TensorOrList, sampleWeight?: Tensor): number | number[] {
    const compiled = this.requireCompiled('trainOnBatch');
    const xs = asList(x, 'trainOnBatch');
    const ys = asList(y, 'trainOnBatch');
    sampleCount(xs, ys, sampleWeight ?? null, 'trainOnBatch');
    const metrics = compiled.newMetrics(this.outputNames);
    const { loss } = trainBatch(this, compiled, { xs, ys, sampleWeight: sampleWeight ?? null }, metrics, false);
    return metrics.length === 0 ? loss : [loss, ...metrics.map((m) => m.metric.result())];
  }

  /** Prints Keras' summary table (layers, output shapes, parameter counts, totals) and returns its text. */
  summary(args: SummaryArgs = {}): string {
    return printSummary(this, args);
  }

  /** Saves topology, compile settings and weights to the directory `dir` (model.json + weights.safetensors); see loadModel. */
  save(dir: string, options: SaveOptions = {}): Promise<void> {
    return saveModel(this, dir, options);
  }

  /** TensorFlow.js' name for `fit(dataset, args)`. */
  fitDataset(dataset: BatchSource, args: FitArgs = {}): Promise<History> {
    return this.fit(dataset, args);
  }
}

/** Concatenates per-batch outputs along the batch axis. */
function joinChunks(chunks: Tensor[][]): Tensor | Tensor[] {
  const outputs = chunks[0]!.map((_, i) => (chunks.length === 1 ? chunks[0]![i]! : concat(chunks.map((c) => c[i]!), 0)));
  return outputs.length === 1 ? outputs[0]! : outputs;
}

export type { FitArgs, EvaluateArgs, Callback };
