import type { DType } from '../../tensor/dtype.js';
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type CallOptions, Layer, type LayerArgs, type LayerInput } from '../layer.js';
import { formatSymbolicShape, SymbolicTensor } from '../symbolic.js';

export interface InputLayerArgs extends LayerArgs {
  /** Shape of one sample (without the batch axis); null entries are unknown sizes. */
  inputShape?: readonly (number | null)[];
  /** Shape including the batch axis (null: any batch size). */
  batchInputShape?: readonly (number | null)[];
  batchSize?: number;
  dtype?: DType;
}

export interface InputArgs {
  /** Shape of one sample (without the batch axis); null entries are unknown sizes. */
  shape?: readonly (number | null)[];
  /** Shape including the batch axis (instead of `shape`). */
  batchShape?: readonly (number | null)[];
  batchSize?: number;
  name?: string;
  dtype?: DType;
}

function checkDims(shape: unknown, what: string): void {
  if (!Array.isArray(shape) || !shape.every((d) => d === null || (Number.isInteger(d) && d >= 0))) {
    throw new ValueError(`InputLayer: ${what} must be a list of non-negative integers or nulls, got ${JSON.stringify(shape)}`);
  }
}

/**
 * The entry point of a functional model (Keras' InputLayer): it holds the input's shape and dtype,
 * and its `output` is the symbolic tensor that nb.input() returns. Called on a real tensor it
 * checks the shape and passes the tensor through.
 */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  /** The symbolic tensor standing for this input in a functional model. */
  readonly output: SymbolicTensor;

  constructor(args: InputLayerArgs) {
    if (args === null || typeof args !== 'object' || (args.inputShape === undefined && args.batchInputShape === undefined)) {
      throw new ValueError('InputLayer: needs inputShape (shape of one sample) or batchInputShape');
    }
    if (args.inputShape !== undefined && args.batchInputShape !== undefined) {
      throw new ValueError('InputLayer: give inputShape or batchInputShape, not both');
    }
    if (args.batchInputShape !== undefined) checkDims(args.batchInputShape, 'batchInputShape');
    else checkDims(args.inputShape, 'inputShape');
    if (args.batchSize !== undefined && args.batchSize !== null && !(Number.isInteger(args.batchSize) && args.batchSize > 0)) {
      throw new ValueError(`InputLayer: batchSize must be a positive integer, got ${JSON.stringify(args.batchSize)}`);
    }
    super(args);
    if (this.batchInputShape!.length === 0) {
      throw new ValueError('InputLayer: batchInputShape must include the batch axis, got []');
    }
    this.output = new SymbolicTensor([...this.batchInputShape!], this.dtype, this, [], 0);
    this.built = true;
    this.builtInputShape = null;
  }

  protected override checksInputShape(): boolean {
    return false;
  }

  /** Checks a real input against the declared shape (null entries match any size) and passes it through. */
  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const x = inputs as Tensor;
    const expected = this.batchInputShape!;
    const ok = x.rank === expected.length && expected.every((d, i) => i === 0 || d === null || d === x.shape[i]);
    if (!ok) {
      throw new ShapeError(`${this.name} (InputLayer): expected input shape ${formatSymbolicShape([null, ...expected.slice(1)])}, got ${formatShape(x.shape)}`);
    }
    return x;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), batchInputShape: this.batchInputShape };
  }
}

/**
 * A symbolic input for the functional API (Keras' keras.Input / tf.input): `input({shape: [784]})`
 * stands for a batch of 784-vectors; call layers on it, then build a model from inputs and outputs.
 */
export function input(args: InputArgs): SymbolicTensor {
  if (args === null || typeof args !== 'object' || (args.shape === undefined && args.batchShape === undefined)) {
    throw new ValueError('input: needs shape (shape of one sample, without the batch axis) or batchShape');
  }
  const layerArgs: InputLayerArgs = { name: args.name, dtype: args.dtype };
  if (args.batchShape !== undefined) layerArgs.batchInputShape = args.batchShape;
  else {
    layerArgs.inputShape = args.shape;
    layerArgs.batchSize = args.batchSize;
  }
  return new InputLayer(layerArgs).output;
}
