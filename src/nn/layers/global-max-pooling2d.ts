import { GlobalPooling, type GlobalPoolingArgs } from './pooling.js';

/** Maximum over height and width: [batch, h, w, c] → [batch, c] (or [batch, 1, 1, c] with keepDims), Keras' GlobalMaxPooling2D. */
export class GlobalMaxPooling2D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling2D';

  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 2, 'max');
  }
}
