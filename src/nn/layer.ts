import { noGrad } from '../autograd/tape.js';
import { zeros } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import { ShapeError, ValueError } from '../tensor/errors.js';
import { formatShape, type Shape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Constraint } from './constraints.js';
import { getInitializer, type InitializerLike } from './initializers.js';
import type { Regularizer } from './regularizers.js';
import { formatSymbolicShape, SymbolicTensor } from './symbolic.js';
import { Variable } from './variable.js';

export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Shape of one sample (without the batch dimension); on the first layer of a model. */
  inputShape?: readonly (number | null)[];
  /** Shape including the batch dimension (null for any batch size). */
  batchInputShape?: readonly (number | null)[];
  batchSize?: number;
  dtype?: DType;
}

export interface CallOptions {
  /** True inside fit(): dropout drops, batch normalization uses batch statistics. */
  training?: boolean;
}

export type LayerInput = Tensor | readonly Tensor[];
export type LayerOutput = Tensor | Tensor[];
export type SymbolicInput = SymbolicTensor | readonly SymbolicTensor[];

const nameCounts = new Map<string, number>();

/** Keras-style unique names: dense, dense_1, dense_2, … */
export function uniqueName(base: string): string {
  const n = nameCounts.get(base) ?? 0;
  nameCounts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** Keras' to_snake_case: Conv2D → conv2d, MaxPooling2D → max_pooling2d, Conv2DTranspose → conv2d_transpose. */
function snakeCase(s: string): string {
  return s.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

export interface AddWeightOptions {
  trainable?: boolean;
  regularizer?: Regularizer | null;
  constraint?: Constraint | null;
  dtype?: DType;
}

/**
 * Base of all layers: lazy `build` from the first input shape, weights as Variables, Keras-style
 * names, and `apply` that works on real tensors (eager) or symbolic ones (functional API).
 */
export abstract class Layer {
  /** Registered class name, used by save/load (subclasses override). */
  static readonly className: string = 'Layer';
  readonly name: string;
  readonly dtype: DType;
  /** Shape including the batch dimension, from `inputShape`/`batchInputShape`, when given. */
  readonly batchInputShape: (number | null)[] | null;
  built = false;
  /** The per-sample input shape the layer was built for (first input only), for input checks. */
  protected builtInputShape: readonly (number | null)[] | null = null;
  private readonly ownVariables: Variable[] = [];
  private trainableFlag: boolean;

  constructor(args: LayerArgs = {}) {
    this.name = args.name ?? uniqueName(snakeCase(this.className));
    this.trainableFlag = args.trainable ?? true;
    this.dtype = args.dtype ?? 'float32';
    if (args.batchInputShape !== undefined) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape !== undefined) this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    else this.batchInputShape = null;
  }

  /** The per-sample input shape the layer was built for (null dimensions were unknown), or null before building. */
  get builtShape(): readonly (number | null)[] | null {
    return this.builtInputShape;
  }

  get className(): string {
    return (this.constructor as typeof Layer).className;
  }

  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(flag: boolean) {
    this.trainableFlag = flag;
    for (const v of this.ownVariables) v.trainable = flag && this.isTrainableWeight(v);
  }

  private readonly nonTrainableByDesign = new Set<Variable>();

  private isTrainableWeight(v: Variable): boolean {
    return !this.nonTrainableByDesign.has(v);
  }

  /** Creates the layer's weights for an input of `inputShape` (batch dimension included). */
  build(_inputShape: Shape | Shape[]): void {
    this.built = true;
  }

  /** The computation; `inputs` are real tensors. */
  abstract call(inputs: LayerInput, options: CallOptions): LayerOutput;

  /** Creates a weight initialised by `initializer`. */
  protected addWeight(name: string, shape: Shape, initializer: InitializerLike, options: AddWeightOptions = {}): Variable {
    const init = getInitializer(initializer);
    const value = init(shape, options.dtype ?? this.dtype);
    const trainable = options.trainable ?? true;
    const v = new Variable(`${this.name}/${name}`, value, {
      trainable: trainable && this.trainableFlag,
      regularizer: options.regularizer ?? null,
      constraint: options.constraint ?? null,
    });
    if (!trainable) this.nonTrainableByDesign.add(v);
    this.ownVariables.push(v);
    return v;
  }

  /**
   * All weights: the trainable ones, then the non-trainable ones, each in creation order — Keras'
   * order (e.g. kernel, bias; gamma, beta, moving mean, moving variance), so getWeights/setWeights
   * lists line up with Keras and TensorFlow.js models.
   */
  get weights(): Variable[] {
    return trainableFirst(this.ownVariables);
  }

  get trainableWeights(): Variable[] {
    return this.weights.filter((v) => v.trainable);
  }

  get nonTrainableWeights(): Variable[] {
    return this.weights.filter((v) => !v.trainable);
  }

  /** Copies of the weight values, in `weights` order. */
  getWeights(): Tensor[] {
    return this.weights.map((v) => new Tensor(v.value.values.slice(), v.value.shape, v.value.dtype));
  }

  /** Sets every weight from `values` (same order and shapes as getWeights()); checks all before changing any. */
  setWeights(values: readonly Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) {
      throw new ValueError(`${this.name}.setWeights: expected ${ws.length} weight tensors, got ${values.length}`);
    }
    ws.forEach((w, i) => {
      const v = values[i]!;
      if (v.shape.length !== w.shape.length || v.shape.some((d, j) => d !== w.shape[j])) {
        throw new ShapeError(`${this.name}.setWeights: weight ${i} (${w.name}) has shape ${formatShape(w.shape)}, got ${formatShape(v.shape)}`);
      }
    });
    ws.forEach((w, i) => w.assign(values[i]!));
  }

  countParams(): number {
    return this.weights.reduce((s, v) => s + sizeOf(v.shape), 0);
  }

  /** Penalties from weight regularizers, added to the training loss. */
  regularizationLosses(): Tensor[] {
    const out: Tensor[] = [];
    for (const v of this.weights) if (v.regularizer !== null && v.trainable) out.push(v.regularizer(v.value));
    return out;
  }

  /** Serializable configuration (constructor arguments); subclasses add their own fields. */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape !== null) config['batchInputShape'] = this.batchInputShape;
    return config;
  }

  /**
   * Calls the layer. On tensors it builds the layer on first use, checks later inputs against the
   * built shape and computes; on symbolic tensors it records the call for the functional API.
   */
  apply(inputs: LayerInput, options?: CallOptions): LayerOutput;
  apply(inputs: SymbolicInput, options?: CallOptions): SymbolicTensor | SymbolicTensor[];
  apply(inputs: LayerInput | SymbolicInput, options: CallOptions = {}): LayerOutput | SymbolicTensor | SymbolicTensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length > 0 && list.every((t) => t instanceof SymbolicTensor)) {
      return this.applySymbolic(list as SymbolicTensor[], !Array.isArray(inputs));
    }
    if (!list.every((t) => t instanceof Tensor)) {
      throw new ValueError(`${this.name}: inputs must all be Tensors or all be symbolic tensors from nb.input()`);
    }
    const tensors = list as Tensor[];
    this.ensureBuilt(tensors.map((t) => t.shape));
    return this.call(Array.isArray(inputs) ? tensors : tensors[0]!, options);
  }

  /** Builds on first use; afterwards verifies the per-sample shape of the first input. */
  protected ensureBuilt(shapes: Shape[]): void {
    const first = shapes[0]!;
    if (!this.built) {
      if (this.batchInputShape !== null) this.checkShape(first, this.batchInputShape.slice(1));
      this.build(shapes.length === 1 ? first : shapes);
      this.built = true;
      this.builtInputShape = first.slice(1);
      return;
    }
    if (this.builtInputShape !== null && this.checksInputShape()) this.checkShape(first, this.builtInputShape);
  }

  /** Whether later calls must match the per-sample shape of the first call (layers that accept any shape say no). */
  protected checksInputShape(): boolean {
    return true;
  }

  private checkShape(actual: Shape, expected: readonly (number | null)[]): void {
    const sample = actual.slice(1);
    const ok = sample.length === expected.length && expected.every((d, i) => d === null || d === sample[i]);
    if (!ok) {
      throw new ShapeError(
        `${this.name} (${this.className}): expected input shape ${formatSymbolicShape([null, ...expected])}, got ${formatShape(actual)}`,
      );
    }
  }

  private applySymbolic(inputs: SymbolicTensor[], single: boolean): SymbolicTensor | SymbolicTensor[] {
    // Infer output shapes by running the layer on zero tensors: every layer gets shape inference
    // without a hand-written computeOutputShape. The batch dimension runs as 1; unknown non-batch
    // dimensions run at two sizes, and output dimensions that change with them stay unknown.
    const wasBuilt = this.built;
    let returnsList = false;
    const run = (fill: number): Tensor[] => {
      const dummies = inputs.map((s) => zeros(s.shape.map((d, j) => d ?? (j === 0 ? 1 : fill)), s.dtype));
      const out = noGrad(() => this.apply(single ? dummies[0]! : dummies, { training: false }));
      returnsList = Array.isArray(out);
      return Array.isArray(out) ? out : [out];
    };
    const hasUnknown = inputs.some((s) => s.shape.some((d, j) => j > 0 && d === null));
    const outs = run(16);
    // Unknown dimensions of the first input stay unknown in later shape checks.
    if (!wasBuilt) this.builtInputShape = inputs[0]!.shape.slice(1);
    const alt = hasUnknown ? run(17) : outs;
    const batchUnknown = inputs[0]!.shape[0] === null;
    const symbolic = outs.map((t, i) => {
      const shape = t.shape.map((d, j) => ((j === 0 && batchUnknown) || alt[i]!.shape[j] !== d ? null : d));
      return new SymbolicTensor(shape, t.dtype, this, inputs, i, !single);
    });
    return returnsList ? symbolic : symbolic[0]!;
  }
}

/** Stable partition: trainable variables first, as Keras orders `weights`. */
export function trainableFirst(vars: readonly Variable[]): Variable[] {
  return [...vars.filter((v) => v.trainable), ...vars.filter((v) => !v.trainable)];
}
