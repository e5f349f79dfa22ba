import { transpose } from '../../ops/movement.js';
import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type CallOptions, Layer, type LayerArgs, type LayerInput } from '../layer.js';
import { requireRank } from './args.js';

export interface PermuteArgs extends LayerArgs {
  /** A permutation of 1…n of the per-sample axes (1-based: the batch axis is 0 and stays), as Keras. */
  dims: readonly number[];
}

/** Permutes the per-sample axes: Permute({dims: [2, 1]}) turns [batch, a, b] into [batch, b, a] (Keras' Permute). */
export class Permute extends Layer {
  static override readonly className = 'Permute';
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    super(args);
    const d = args?.dims as unknown;
    const n = Array.isArray(d) ? d.length : 0;
    const ok = Array.isArray(d) && n > 0 && [...d].sort((a, b) => a - b).every((v, i) => v === i + 1);
    if (!ok) {
      throw new ValueError(`Permute: dims must be a permutation of 1…n (1-based; the batch axis is not included), got ${JSON.stringify(d)}`);
    }
    this.dims = [...(d as number[])];
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const x = inputs as Tensor;
    requireRank(this, x.shape, [this.dims.length + 1], `batch plus ${this.dims.length} axes`);
    return transpose(x, [0, ...this.dims]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}
