import { concat } from '../../ops/slicing.js';
import { ShapeError, ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { CallOptions, LayerArgs, LayerInput } from '../layer.js';
import { Merge } from './merge.js';

export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (default -1; negative counts from the end; 0, the batch axis, is not allowed). */
  axis?: number;
}

/** Joins a list of inputs along `axis`; all other dimensions must match (Keras' Concatenate). */
export class Concatenate extends Merge {
  static override readonly className = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis)) throw new ValueError(`Concatenate: axis must be an integer, got ${JSON.stringify(axis)}`);
    this.axis = axis;
  }

  protected merge(xs: Tensor[]): Tensor {
    return concat(xs, this.axis);
  }

  override call(inputs: LayerInput, _options: CallOptions): Tensor {
    const xs = this.inputList(inputs);
    const rank = xs[0]!.rank;
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    const ok =
      a >= 1 && a < rank &&
      xs.every((x) => x.rank === rank && x.shape.every((d, i) => i === a || d === xs[0]!.shape[i]));
    if (!ok) {
      throw new ShapeError(
        `${this.name} (Concatenate): inputs must have one rank (≥ 2) and equal dimensions except on axis ${this.axis} (not the batch axis), got ${this.describe(xs)}`,
      );
    }
    return this.merge(xs);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
