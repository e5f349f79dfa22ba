import { conv1d } from '../../ops/conv.js';
import type { Shape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { InitializerLike } from '../initializers.js';
import type { CallOptions, LayerInput } from '../layer.js';
import type { Variable } from '../variable.js';
import { type ConstraintArg, positiveInteger, type RegularizerArg, specConfig, type WeightSpec } from './args.js';
import { BaseConv, type BaseConvArgs } from './conv-base.js';

export interface Conv1DArgs extends BaseConvArgs {
  /** Number of output channels. */
  filters: number;
  /** 'valid' (default), 'same', or 'causal' (left padding only: output t sees inputs ≤ t). */
  padding?: 'valid' | 'same' | 'causal';
  kernelInitializer?: InitializerLike;
  kernelRegularizer?: RegularizerArg;
  kernelConstraint?: ConstraintArg;
}

/**
 * 1-D convolution over [batch, steps, channels] with a kernel [kernelSize, inChannels, filters]
 * (Keras' Conv1D), including causal padding for sequence models.
 */
export class Conv1D extends BaseConv {
  static override readonly className = 'Conv1D';
  readonly filters: number;
  private readonly kernelSpec: WeightSpec;
  kernel: Variable | null = null;

  constructor(args: Conv1DArgs) {
    super(args, 1, ['valid', 'same', 'causal']);
    this.filters = positiveInteger(args.filters, undefined, 'Conv1D', 'filters');
    this.kernelSpec = this.weightSpec(args.kernelInitializer, args.kernelRegularizer, args.kernelConstraint, 'kernel');
  }

  override build(inputShape: Shape): void {
    const inC = this.inputChannels(inputShape);
    this.kernel = this.addSpecWeight('kernel', [this.kernelSize[0]!, inC, this.filters], this.kernelSpec);
    this.buildBias(this.filters);
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const y = conv1d(inputs as Tensor, this.kernel!.value, {
      stride: this.strides[0]!,
      padding: this.padding,
      dilation: this.dilationRate[0]!,
    });
    return this.finish(y);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), filters: this.filters, ...specConfig(this.kernelSpec, 'kernel', 'glorotUniform') };
  }
}
