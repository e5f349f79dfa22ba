import { matmul, matmulBiasActivation } from '../../ops/matmul.js';
import { ShapeError } from '../../tensor/errors.js';
import { formatShape, type Shape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ActivationFn, type ActivationLike, activationName, withBiasAndActivation, withFusedActivation } from '../activations.js';
import { type InitializerLike } from '../initializers.js';
import { Layer, type CallOptions, type LayerArgs, type LayerInput } from '../layer.js';
import type { Variable } from '../variable.js';
import {
  boolArg, type ConstraintArg, layerActivation, positiveInteger, type RegularizerArg, specConfig, weightSpec, type WeightSpec,
} from './args.js';

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: ActivationLike;
  useBias?: boolean;
  kernelInitializer?: InitializerLike;
  biasInitializer?: InitializerLike;
  kernelRegularizer?: RegularizerArg;
  biasRegularizer?: RegularizerArg;
  kernelConstraint?: ConstraintArg;
  biasConstraint?: ConstraintArg;
}

/** A fully connected layer: activation(x · kernel + bias) over the last axis. */
export class Dense extends Layer {
  static override readonly className = 'Dense';
  readonly units: number;
  readonly useBias: boolean;
  readonly activation: ActivationFn;
  private readonly activationArg: ActivationLike | undefined;
  private readonly kernelSpec: WeightSpec;
  private readonly biasSpec: WeightSpec;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: DenseArgs) {
    super(args);
    this.units = positiveInteger(args.units, undefined, 'Dense', 'units');
    this.activation = layerActivation(args.activation, 'Dense'); // validates the name now rather than at first call
    this.activationArg = args.activation;
    this.useBias = boolArg(args.useBias, true, 'Dense', 'useBias');
    this.kernelSpec = weightSpec(args.kernelInitializer, 'glorotUniform', args.kernelRegularizer, args.kernelConstraint, 'Dense', 'kernel');
    this.biasSpec = weightSpec(args.biasInitializer, 'zeros', args.biasRegularizer, args.biasConstraint, 'Dense', 'bias');
  }

  override build(inputShape: Shape): void {
    const inDim = inputShape[inputShape.length - 1];
    if (inDim === undefined || inputShape.length < 2) {
      throw new ShapeError(`${this.name} (Dense): expected input of rank ≥ 2 ([batch, …, features]), got shape ${formatShape(inputShape)}`);
    }
    const k = this.kernelSpec;
    this.kernel = this.addWeight('kernel', [inDim, this.units], k.initializer, { regularizer: k.regularizer, constraint: k.constraint });
    if (this.useBias) {
      const b = this.biasSpec;
      this.bias = this.addWeight('bias', [this.units], b.initializer, { regularizer: b.regularizer, constraint: b.constraint });
    }
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const x = inputs as Tensor;
    const bias = this.bias?.value ?? null;
    if (x.rank !== 2) return withBiasAndActivation(matmul(x, this.kernel!.value), bias, this.activationArg, this.activation);
    return withFusedActivation(this.activationArg, this.activation, (act) => matmulBiasActivation(x, this.kernel!.value, bias, act));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationName(this.activationArg),
      useBias: this.useBias,
      ...specConfig(this.kernelSpec, 'kernel', 'glorotUniform'),
      ...specConfig(this.biasSpec, 'bias', 'zeros'),
    };
  }
}
