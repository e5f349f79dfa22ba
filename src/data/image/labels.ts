// Label tensors for a batch of class indices, in the encodings of Keras' image loaders.
import { fromValues } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * 'binary' and 'sparse': float32 [n] class indices (flow_from_directory's encoding);
 * 'int': int32 [n]; 'categorical': float32 one-hot [n, numClasses]; 'binaryColumn': float32 [n, 1]
 * (image_dataset_from_directory's 'binary').
 */
export type LabelEncoding = 'binary' | 'sparse' | 'int' | 'categorical' | 'binaryColumn';

export function encodeLabels(classes: ArrayLike<number>, numClasses: number, encoding: LabelEncoding): Tensor {
  const n = classes.length;
  switch (encoding) {
    case 'int':
      return fromValues(Int32Array.from(classes), [n], 'int32');
    case 'categorical': {
      const out = new Float32Array(n * numClasses);
      for (let i = 0; i < n; i++) out[i * numClasses + classes[i]!] = 1;
      return fromValues(out, [n, numClasses], 'float32');
    }
    case 'binaryColumn':
      return fromValues(Float32Array.from(classes), [n, 1], 'float32');
    default:
      return fromValues(Float32Array.from(classes), [n], 'float32');
  }
}
