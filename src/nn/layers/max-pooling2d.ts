import { maxPool2d, type Pool2dOptions } from '../../ops/pool.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Pooling, type Pooling2DArgs } from './pooling.js';

/** Max pooling over [batch, height, width, channels] windows (Keras' MaxPooling2D). */
export class MaxPooling2D extends Pooling {
  static override readonly className = 'MaxPooling2D';

  constructor(args: Pooling2DArgs = {}) {
    super(args, 2);
  }

  protected pool2d(x: Tensor, options: Pool2dOptions): Tensor {
    return maxPool2d(x, options);
  }
}
