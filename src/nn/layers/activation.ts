import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { ACTIVATION_NAMES, type ActivationFn, type ActivationLike, activationName } from '../activations.js';
import { layerActivation } from './args.js';
import { type CallOptions, Layer, type LayerArgs, type LayerInput } from '../layer.js';

export interface ActivationArgs extends LayerArgs {
  /** An activation name ('relu', 'softmax', …) or a function. */
  activation: ActivationLike;
}

/** Applies an activation function elementwise (Keras' Activation). */
export class Activation extends Layer {
  static override readonly className = 'Activation';
  readonly activation: ActivationFn;
  private readonly activationArg: ActivationLike;

  constructor(args: ActivationArgs) {
    super(args);
    if (args?.activation === undefined || args.activation === null) {
      throw new ValueError(`Activation: the activation argument is required; valid names: ${ACTIVATION_NAMES.join(', ')}`);
    }
    this.activation = layerActivation(args.activation, 'Activation');
    this.activationArg = args.activation;
  }

  protected override checksInputShape(): boolean {
    return false;
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    return this.activation(inputs as Tensor);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: activationName(this.activationArg) };
  }
}
