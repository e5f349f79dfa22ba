import { GlobalPooling, type GlobalPoolingArgs } from './pooling.js';

/** Maximum over the steps: [batch, steps, c] → [batch, c] (or [batch, 1, c] with keepDims), Keras' GlobalMaxPooling1D. */
export class GlobalMaxPooling1D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling1D';

  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 1, 'max');
  }
}
