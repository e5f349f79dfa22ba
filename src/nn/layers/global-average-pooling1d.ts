import { GlobalPooling, type GlobalPoolingArgs } from './pooling.js';

/** Mean over the steps: [batch, steps, c] → [batch, c] (or [batch, 1, c] with keepDims), Keras' GlobalAveragePooling1D. */
export class GlobalAveragePooling1D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling1D';

  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 1, 'mean');
  }
}
