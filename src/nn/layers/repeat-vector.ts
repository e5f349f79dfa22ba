import { broadcastTo, reshape } from '../../ops/movement.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type CallOptions, Layer, type LayerArgs, type LayerInput } from '../layer.js';
import { positiveInteger, requireRank } from './args.js';

export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat each sample. */
  n: number;
}

/** Repeats each sample n times: [batch, features] → [batch, n, features] (Keras' RepeatVector). */
export class RepeatVector extends Layer {
  static override readonly className = 'RepeatVector';
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    super(args);
    this.n = positiveInteger(args?.n, undefined, 'RepeatVector', 'n');
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const x = inputs as Tensor;
    requireRank(this, x.shape, [2], '[batch, features]');
    const [batch, features] = x.shape as [number, number];
    return broadcastTo(reshape(x, [batch, 1, features]), [batch, this.n, features]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}
