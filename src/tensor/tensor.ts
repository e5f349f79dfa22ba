import { type DataArray, type DType, isFloat } from './dtype.js';
import { DTypeError, ShapeError } from './errors.js';
import { formatTensor } from './format.js';
import { type Shape, sizeOf } from './shape.js';

/**
 * One recorded operation on the autograd tape. `backward` maps the gradient of the output to the
 * gradients of `inputs` (null where an input needs none). Defined here so that tensor/ imports
 * nothing above it; autograd/ creates and walks these nodes.
 */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  backward(gradOutput: Tensor): readonly (Tensor | null)[];
}

export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array: a dtype, a shape and a contiguous row-major typed array. Tensors are
 * immutable values that the garbage collector frees; there is no dispose().
 */
export class Tensor {
  readonly dtype: DType;
  readonly shape: Shape;
  /** The backing storage, row-major and contiguous. Read it freely; never write to it. */
  readonly values: DataArray;
  /** Accumulated gradient, filled by backward() on leaves that require a gradient. */
  grad: Tensor | null = null;
  /** The op that produced this tensor, when it was recorded for autograd. */
  node: GradNode | null = null;
  private gradRequired = false;

  constructor(values: DataArray, shape: Shape, dtype: DType) {
    this.values = values;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.values.length;
  }

  /** True when gradients flow to or through this tensor. */
  get requiresGradient(): boolean {
    return this.gradRequired || this.node !== null;
  }

  /** Marks this tensor as a leaf that backward() fills `.grad` for; returns this for chaining. */
  requiresGrad(flag = true): this {
    if (flag && !isFloat(this.dtype)) {
      throw new DTypeError(`requiresGrad: only float32/float64 tensors can require gradients, got ${this.dtype}`);
    }
    this.gradRequired = flag;
    return this;
  }

  /**
   * Overwrites this tensor's values in place with those of `source` (same shape; converted to this
   * dtype). Meant for parameters updated by an optimizer, like tf.Variable.assign; it is not
   * recorded by autograd, so do not assign to a tensor whose graph still awaits backward().
   */
  assign(source: Tensor): this {
    if (source.shape.length !== this.shape.length || source.shape.some((d, i) => d !== this.shape[i])) {
      throw new ShapeError(`assign: source has shape [${source.shape.join(', ')}], expected [${this.shape.join(', ')}]`);
    }
    this.values.set(source.values);
    return this;
  }

  /** A copy of the values as a typed array. */
  dataSync(): DataArray {
    return this.values.slice();
  }

  /** A copy of the values, as a promise (for TensorFlow.js compatibility). */
  data(): Promise<DataArray> {
    return Promise.resolve(this.dataSync());
  }

  /** The values as nested JavaScript arrays (numbers, or booleans for bool tensors). */
  arraySync(): NestedArray {
    const v = this.values;
    const bool = this.dtype === 'bool';
    const read = (i: number): number | boolean => (bool ? v[i] !== 0 : (v[i] as number));
    if (this.shape.length === 0) return read(0);
    const build = (dim: number, offset: number, stride: number): NestedArray[] => {
      const n = this.shape[dim] as number;
      const inner = stride / Math.max(n, 1);
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) {
        out.push(dim === this.shape.length - 1 ? read(offset + i) : build(dim + 1, offset + i * inner, inner));
      }
      return out;
    };
    return build(0, 0, sizeOf(this.shape));
  }

  array(): Promise<NestedArray> {
    return Promise.resolve(this.arraySync());
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.values.length !== 1) {
      throw new DTypeError(`item: expected a tensor with exactly one element, got shape [${this.shape.join(', ')}]`);
    }
    return this.values[0] as number;
  }

  toString(): string {
    return formatTensor(this);
  }
}
