import { maxPool2d, type Pool2dOptions } from '../../ops/pool.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Pooling, type Pooling1DArgs } from './pooling.js';

/** Max pooling over the steps of [batch, steps, channels] (Keras' MaxPooling1D). */
export class MaxPooling1D extends Pooling {
  static override readonly className = 'MaxPooling1D';

  constructor(args: Pooling1DArgs = {}) {
    super(args, 1);
  }

  protected pool2d(x: Tensor, options: Pool2dOptions): Tensor {
    return maxPool2d(x, options);
  }
}
