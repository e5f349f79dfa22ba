import { GlobalPooling, type GlobalPoolingArgs } from './pooling.js';

/** Mean over height and width: [batch, h, w, c] → [batch, c] (or [batch, 1, 1, c] with keepDims), Keras' GlobalAveragePooling2D. */
export class GlobalAveragePooling2D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling2D';

  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 2, 'mean');
  }
}
