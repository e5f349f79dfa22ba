import { reshape } from '../../ops/movement.js';
import { ShapeError } from '../../tensor/errors.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type CallOptions, Layer, type LayerArgs, type LayerInput } from '../layer.js';
import { checkDataFormat } from './args.js';

export interface FlattenArgs extends LayerArgs {
  dataFormat?: 'channelsLast';
}

/** Collapses every axis but the batch axis: [batch, d1, d2, …] → [batch, d1·d2·…] (Keras' Flatten). */
export class Flatten extends Layer {
  static override readonly className = 'Flatten';

  constructor(args: FlattenArgs = {}) {
    super(args);
    checkDataFormat(args.dataFormat, 'Flatten');
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const x = inputs as Tensor;
    if (x.rank < 1) throw new ShapeError(`${this.name} (Flatten): expected input of rank ≥ 1 ([batch, …]), got shape ${formatShape(x.shape)}`);
    const features = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return reshape(x, [x.shape[0]!, features]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: 'channelsLast' };
  }
}
