import { conv2d, depthwiseConv2d } from '../../ops/conv.js';
import type { Shape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { InitializerLike } from '../initializers.js';
import type { CallOptions, LayerInput } from '../layer.js';
import type { Variable } from '../variable.js';
import { type ConstraintArg, positiveInteger, type RegularizerArg, specConfig, type WeightSpec } from './args.js';
import { BaseConv, type BaseConvArgs, type ConvPadding } from './conv-base.js';

export interface SeparableConv2DArgs extends BaseConvArgs {
  /** Number of output channels. */
  filters: number;
  /** Depthwise filters per input channel (default 1). */
  depthMultiplier?: number;
  padding?: ConvPadding;
  depthwiseInitializer?: InitializerLike;
  pointwiseInitializer?: InitializerLike;
  depthwiseRegularizer?: RegularizerArg;
  pointwiseRegularizer?: RegularizerArg;
  depthwiseConstraint?: ConstraintArg;
  pointwiseConstraint?: ConstraintArg;
}

/**
 * Depthwise separable 2-D convolution (Keras' SeparableConv2D): a depthwise convolution with kernel
 * [kH, kW, inChannels, depthMultiplier], then a 1×1 convolution with kernel
 * [1, 1, inChannels·depthMultiplier, filters], then bias and activation.
 */
export class SeparableConv2D extends BaseConv {
  static override readonly className = 'SeparableConv2D';
  readonly filters: number;
  readonly depthMultiplier: number;
  private readonly depthwiseSpec: WeightSpec;
  private readonly pointwiseSpec: WeightSpec;
  depthwiseKernel: Variable | null = null;
  pointwiseKernel: Variable | null = null;

  constructor(args: SeparableConv2DArgs) {
    super(args, 2);
    this.filters = positiveInteger(args.filters, undefined, 'SeparableConv2D', 'filters');
    this.depthMultiplier = positiveInteger(args.depthMultiplier, 1, 'SeparableConv2D', 'depthMultiplier');
    this.depthwiseSpec = this.weightSpec(args.depthwiseInitializer, args.depthwiseRegularizer, args.depthwiseConstraint, 'depthwise');
    this.pointwiseSpec = this.weightSpec(args.pointwiseInitializer, args.pointwiseRegularizer, args.pointwiseConstraint, 'pointwise');
  }

  override build(inputShape: Shape): void {
    const inC = this.inputChannels(inputShape);
    this.depthwiseKernel = this.addSpecWeight('depthwise_kernel', [...this.kernelSize, inC, this.depthMultiplier], this.depthwiseSpec);
    this.pointwiseKernel = this.addSpecWeight('pointwise_kernel', [1, 1, inC * this.depthMultiplier, this.filters], this.pointwiseSpec);
    this.buildBias(this.filters);
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const d = depthwiseConv2d(inputs as Tensor, this.depthwiseKernel!.value, {
      strides: this.pair(this.strides),
      padding: this.padding as ConvPadding,
      dilations: this.pair(this.dilationRate),
    });
    return this.finish(conv2d(d, this.pointwiseKernel!.value));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      depthMultiplier: this.depthMultiplier,
      ...specConfig(this.depthwiseSpec, 'depthwise', 'glorotUniform'),
      ...specConfig(this.pointwiseSpec, 'pointwise', 'glorotUniform'),
    };
  }
}
