import { conv2dBiasActivation } from '../../ops/conv.js';
import type { Shape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { InitializerLike } from '../initializers.js';
import type { CallOptions, LayerInput } from '../layer.js';
import type { Variable } from '../variable.js';
import { type ConstraintArg, positiveInteger, type RegularizerArg, specConfig, type WeightSpec } from './args.js';
import { BaseConv, type BaseConvArgs, type ConvPadding } from './conv-base.js';

export interface Conv2DArgs extends BaseConvArgs {
  /** Number of output channels. */
  filters: number;
  padding?: ConvPadding;
  kernelInitializer?: InitializerLike;
  kernelRegularizer?: RegularizerArg;
  kernelConstraint?: ConstraintArg;
}

/**
 * 2-D convolution over [batch, height, width, channels]: activation(conv2d(x, kernel) + bias) with
 * a kernel [kH, kW, inChannels, filters] (Keras' Conv2D).
 */
export class Conv2D extends BaseConv {
  static override readonly className = 'Conv2D';
  readonly filters: number;
  private readonly kernelSpec: WeightSpec;
  kernel: Variable | null = null;

  constructor(args: Conv2DArgs) {
    super(args, 2);
    this.filters = positiveInteger(args.filters, undefined, 'Conv2D', 'filters');
    this.kernelSpec = this.weightSpec(args.kernelInitializer, args.kernelRegularizer, args.kernelConstraint, 'kernel');
  }

  override build(inputShape: Shape): void {
    const inC = this.inputChannels(inputShape);
    this.kernel = this.addSpecWeight('kernel', [...this.kernelSize, inC, this.filters], this.kernelSpec);
    this.buildBias(this.filters);
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const options = { strides: this.pair(this.strides), padding: this.padding as ConvPadding, dilations: this.pair(this.dilationRate) };
    return this.fused((bias, act) => conv2dBiasActivation(inputs as Tensor, this.kernel!.value, bias, act, options));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), filters: this.filters, ...specConfig(this.kernelSpec, 'kernel', 'glorotUniform') };
  }
}
