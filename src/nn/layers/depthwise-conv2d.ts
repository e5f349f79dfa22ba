import { depthwiseConv2d } from '../../ops/conv.js';
import type { Shape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { InitializerLike } from '../initializers.js';
import type { CallOptions, LayerInput } from '../layer.js';
import type { Variable } from '../variable.js';
import { type ConstraintArg, positiveInteger, type RegularizerArg, specConfig, type WeightSpec } from './args.js';
import { BaseConv, type BaseConvArgs, type ConvPadding } from './conv-base.js';

export interface DepthwiseConv2DArgs extends BaseConvArgs {
  /** Filters per input channel (default 1): the output has inChannels·depthMultiplier channels. */
  depthMultiplier?: number;
  padding?: ConvPadding;
  depthwiseInitializer?: InitializerLike;
  depthwiseRegularizer?: RegularizerArg;
  depthwiseConstraint?: ConstraintArg;
}

/**
 * Depthwise 2-D convolution: each input channel is convolved with its own depthMultiplier filters,
 * kernel [kH, kW, inChannels, depthMultiplier] (Keras' DepthwiseConv2D).
 */
export class DepthwiseConv2D extends BaseConv {
  static override readonly className = 'DepthwiseConv2D';
  readonly depthMultiplier: number;
  private readonly depthwiseSpec: WeightSpec;
  depthwiseKernel: Variable | null = null;

  constructor(args: DepthwiseConv2DArgs) {
    super(args, 2);
    this.depthMultiplier = positiveInteger(args.depthMultiplier, 1, 'DepthwiseConv2D', 'depthMultiplier');
    this.depthwiseSpec = this.weightSpec(args.depthwiseInitializer, args.depthwiseRegularizer, args.depthwiseConstraint, 'depthwise');
  }

  override build(inputShape: Shape): void {
    const inC = this.inputChannels(inputShape);
    this.depthwiseKernel = this.addSpecWeight('depthwise_kernel', [...this.kernelSize, inC, this.depthMultiplier], this.depthwiseSpec);
    this.buildBias(inC * this.depthMultiplier);
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const y = depthwiseConv2d(inputs as Tensor, this.depthwiseKernel!.value, {
      strides: this.pair(this.strides),
      padding: this.padding as ConvPadding,
      dilations: this.pair(this.dilationRate),
    });
    return this.finish(y);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), depthMultiplier: this.depthMultiplier, ...specConfig(this.depthwiseSpec, 'depthwise', 'glorotUniform') };
  }
}
