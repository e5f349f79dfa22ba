import { avgPool2d, type Pool2dOptions } from '../../ops/pool.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Pooling, type Pooling2DArgs } from './pooling.js';

/** Average pooling over [batch, height, width, channels] windows (Keras' AveragePooling2D); with 'same' padding the padded cells are not counted. */
export class AveragePooling2D extends Pooling {
  static override readonly className = 'AveragePooling2D';

  constructor(args: Pooling2DArgs = {}) {
    super(args, 2);
  }

  protected pool2d(x: Tensor, options: Pool2dOptions): Tensor {
    return avgPool2d(x, options);
  }
}
