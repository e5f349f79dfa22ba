import { type DType, isFloat } from '../tensor/dtype.js';
import { DTypeError, ShapeError } from '../tensor/errors.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { output } from '../ops/util.js';
import type { Constraint } from './constraints.js';
import type { Regularizer } from './regularizers.js';

/**
 * A named, mutable model weight: a leaf tensor updated in place by optimizers (like tf.Variable /
 * torch.nn.Parameter). Trainable variables require gradients; non-trainable ones (batch-norm
 * statistics) are updated by their layer.
 */
export class Variable {
  readonly name: string;
  readonly value: Tensor;
  readonly regularizer: Regularizer | null;
  readonly constraint: Constraint | null;
  private isTrainable: boolean;

  /**
   * `value` is copied into storage of the active backend (the wasm backend's memory, for one), so
   * that the kernels that read and update the weight every step need no copies.
   */
  constructor(name: string, value: Tensor, options: { trainable?: boolean; regularizer?: Regularizer | null; constraint?: Constraint | null } = {}) {
    this.name = name;
    this.value = output(value.shape, value.dtype);
    this.value.values.set(value.values);
    this.regularizer = options.regularizer ?? null;
    this.constraint = options.constraint ?? null;
    this.isTrainable = false;
    this.trainable = options.trainable ?? true;
  }

  get trainable(): boolean {
    return this.isTrainable;
  }

  set trainable(flag: boolean) {
    this.isTrainable = flag;
    this.value.requiresGrad(flag && isFloat(this.value.dtype));
  }

  get shape(): readonly number[] {
    return this.value.shape;
  }

  get dtype(): DType {
    return this.value.dtype;
  }

  /** Overwrites the value in place, checking shape and dtype. */
  assign(source: Tensor): void {
    if (!shapesEqual(source.shape, this.value.shape)) {
      throw new ShapeError(`Variable ${this.name}: cannot assign a value of shape ${formatShape(source.shape)} to a weight of shape ${formatShape(this.value.shape)}`);
    }
    if (isFloat(source.dtype) !== isFloat(this.value.dtype)) {
      throw new DTypeError(`Variable ${this.name}: cannot assign a ${source.dtype} value to a ${this.value.dtype} weight`);
    }
    this.value.assign(source);
  }
}
