// Elementwise merge layers (Keras' Add, Subtract, Multiply, Average, Maximum, Minimum): they take a
// list of tensors of one batch size whose per-sample shapes broadcast together.
import { add, div, maximum, minimum, mul, sub } from '../../ops/binary.js';
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { broadcastShapes, formatShape, type Shape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type CallOptions, Layer, type LayerArgs, type LayerInput } from '../layer.js';

export type MergeArgs = LayerArgs;

/** A layer over a list of inputs; checks the list, batch sizes and broadcasting, then merges. */
export abstract class Merge extends Layer {
  /** The exact number of inputs, or null for "two or more". */
  protected readonly arity: number | null = null;

  constructor(args: MergeArgs = {}) {
    super(args);
  }

  protected abstract merge(inputs: Tensor[]): Tensor;

  protected override checksInputShape(): boolean {
    return false;
  }

  override build(_inputShape: Shape | Shape[]): void {}

  /** Throws unless `inputs` is a list of the right length; returns it. */
  protected inputList(inputs: LayerInput): Tensor[] {
    const n = Array.isArray(inputs) ? inputs.length : 1;
    const want = this.arity === null ? 'a list of at least 2 tensors' : `a list of exactly ${this.arity} tensors`;
    if (!Array.isArray(inputs) || (this.arity === null ? n < 2 : n !== this.arity)) {
      throw new ValueError(`${this.name} (${this.className}): expects ${want}, got ${Array.isArray(inputs) ? `a list of ${n}` : 'a single tensor'}`);
    }
    return inputs as Tensor[];
  }

  /** The shapes as one readable list, for error messages. */
  protected describe(xs: Tensor[]): string {
    return xs.map((x) => formatShape(x.shape)).join(', ');
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const xs = this.inputList(inputs);
    const batch = xs[0]!.shape[0];
    let ok = xs.every((x) => x.rank > 0 && x.shape[0] === batch);
    if (ok) {
      try {
        xs.reduce<Shape>((s, x) => broadcastShapes(s, x.shape, this.className), []);
      } catch {
        ok = false;
      }
    }
    if (!ok) {
      throw new ShapeError(`${this.name} (${this.className}): inputs must have the same batch size and broadcastable shapes, got ${this.describe(xs)}`);
    }
    return this.merge(xs);
  }
}

/** Elementwise sum of its inputs (Keras' Add). */
export class Add extends Merge {
  static override readonly className = 'Add';
  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce((a, b) => add(a, b), xs[0]!);
  }
}

/** The first input minus the second (Keras' Subtract; exactly two inputs). */
export class Subtract extends Merge {
  static override readonly className = 'Subtract';
  protected override readonly arity = 2;
  protected merge(xs: Tensor[]): Tensor {
    return sub(xs[0]!, xs[1]!);
  }
}

/** Elementwise product of its inputs (Keras' Multiply). */
export class Multiply extends Merge {
  static override readonly className = 'Multiply';
  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce((a, b) => mul(a, b), xs[0]!);
  }
}

/** Elementwise mean of its inputs (Keras' Average). */
export class Average extends Merge {
  static override readonly className = 'Average';
  protected merge(xs: Tensor[]): Tensor {
    return div(xs.slice(1).reduce((a, b) => add(a, b), xs[0]!), xs.length);
  }
}

/** Elementwise maximum of its inputs (Keras' Maximum). */
export class Maximum extends Merge {
  static override readonly className = 'Maximum';
  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce((a, b) => maximum(a, b), xs[0]!);
  }
}

/** Elementwise minimum of its inputs (Keras' Minimum). */
export class Minimum extends Merge {
  static override readonly className = 'Minimum';
  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce((a, b) => minimum(a, b), xs[0]!);
  }
}
