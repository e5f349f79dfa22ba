import { add } from '../../ops/binary.js';
import { matmul } from '../../ops/matmul.js';
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { formatShape, type Shape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ActivationLike, activationName, getActivation } from '../activations.js';
import { type ConstraintLike, getConstraint } from '../constraints.js';
import { type InitializerLike } from '../initializers.js';
import { Layer, type CallOptions, type LayerArgs, type LayerInput } from '../layer.js';
import { getRegularizer, type RegularizerLike } from '../regularizers.js';
import type { Variable } from '../variable.js';

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: ActivationLike;
  useBias?: boolean;
  kernelInitializer?: InitializerLike;
  biasInitializer?: InitializerLike;
  kernelRegularizer?: RegularizerLike;
  biasRegularizer?: RegularizerLike;
  kernelConstraint?: ConstraintLike;
  biasConstraint?: ConstraintLike;
}

/** A fully connected layer: activation(x · kernel + bias) over the last axis. */
export class Dense extends Layer {
  static override readonly className = 'Dense';
  readonly units: number;
  readonly useBias: boolean;
  private readonly args: DenseArgs;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: DenseArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units <= 0) {
      throw new ValueError(`Dense: units must be a positive integer, got ${String(args.units)}`);
    }
    getActivation(args.activation); // validates the name now rather than at first call
    this.units = args.units;
    this.useBias = args.useBias ?? true;
    this.args = args;
  }

  override build(inputShape: Shape): void {
    const inDim = inputShape[inputShape.length - 1];
    if (inDim === undefined) throw new ShapeError(`${this.name} (Dense): input must have rank ≥ 1, got ${formatShape(inputShape)}`);
    this.kernel = this.addWeight('kernel', [inDim, this.units], this.args.kernelInitializer ?? 'glorotUniform', {
      regularizer: getRegularizer(this.args.kernelRegularizer),
      constraint: getConstraint(this.args.kernelConstraint),
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], this.args.biasInitializer ?? 'zeros', {
        regularizer: getRegularizer(this.args.biasRegularizer),
        constraint: getConstraint(this.args.biasConstraint),
      });
    }
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const x = inputs as Tensor;
    let y = matmul(x, this.kernel!.value);
    if (this.bias !== null) y = add(y, this.bias.value);
    return getActivation(this.args.activation)(y);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationName(this.args.activation),
      useBias: this.useBias,
      kernelInitializer: typeof this.args.kernelInitializer === 'string' ? this.args.kernelInitializer : 'glorotUniform',
      biasInitializer: typeof this.args.biasInitializer === 'string' ? this.args.biasInitializer : 'zeros',
    };
  }
}
