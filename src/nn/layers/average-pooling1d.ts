import { avgPool2d, type Pool2dOptions } from '../../ops/pool.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Pooling, type Pooling1DArgs } from './pooling.js';

/** Average pooling over the steps of [batch, steps, channels] (Keras' AveragePooling1D). */
export class AveragePooling1D extends Pooling {
  static override readonly className = 'AveragePooling1D';

  constructor(args: Pooling1DArgs = {}) {
    super(args, 1);
  }

  protected pool2d(x: Tensor, options: Pool2dOptions): Tensor {
    return avgPool2d(x, options);
  }
}
