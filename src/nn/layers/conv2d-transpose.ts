import { conv2dTranspose } from '../../ops/conv.js';
import type { Shape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { InitializerLike } from '../initializers.js';
import type { CallOptions, LayerInput } from '../layer.js';
import type { Variable } from '../variable.js';
import { type ConstraintArg, positiveInteger, type RegularizerArg, specConfig, type WeightSpec } from './args.js';
import { BaseConv, type BaseConvArgs, type ConvPadding } from './conv-base.js';

export interface Conv2DTransposeArgs extends BaseConvArgs {
  /** Number of output channels. */
  filters: number;
  padding?: ConvPadding;
  kernelInitializer?: InitializerLike;
  kernelRegularizer?: RegularizerArg;
  kernelConstraint?: ConstraintArg;
}

/** Keras' deconv_output_length: 'same' gives in·stride, 'valid' in·stride + max(k − stride, 0) (k dilated). */
function outputLength(size: number, k: number, stride: number, dilation: number, padding: ConvPadding): number {
  if (padding === 'same') return size * stride;
  const eff = (k - 1) * dilation + 1;
  return size * stride + Math.max(eff - stride, 0);
}

/**
 * Transposed 2-D convolution (the gradient of Conv2D with respect to its input; "deconvolution")
 * with a kernel [kH, kW, filters, inChannels], as Keras' Conv2DTranspose; the output size follows
 * Keras: in·stride for 'same', in·stride + max(k − stride, 0) for 'valid'.
 */
export class Conv2DTranspose extends BaseConv {
  static override readonly className = 'Conv2DTranspose';
  readonly filters: number;
  private readonly kernelSpec: WeightSpec;
  kernel: Variable | null = null;

  constructor(args: Conv2DTransposeArgs) {
    super(args, 2);
    this.filters = positiveInteger(args.filters, undefined, 'Conv2DTranspose', 'filters');
    this.kernelSpec = this.weightSpec(args.kernelInitializer, args.kernelRegularizer, args.kernelConstraint, 'kernel');
  }

  override build(inputShape: Shape): void {
    const inC = this.inputChannels(inputShape);
    this.kernel = this.addSpecWeight('kernel', [...this.kernelSize, this.filters, inC], this.kernelSpec);
    this.buildBias(this.filters);
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const x = inputs as Tensor;
    const padding = this.padding as ConvPadding;
    const outShape = [
      x.shape[0]!,
      outputLength(x.shape[1]!, this.kernelSize[0]!, this.strides[0]!, this.dilationRate[0]!, padding),
      outputLength(x.shape[2]!, this.kernelSize[1]!, this.strides[1]!, this.dilationRate[1]!, padding),
      this.filters,
    ];
    const y = conv2dTranspose(x, this.kernel!.value, outShape, {
      strides: this.pair(this.strides),
      padding,
      dilations: this.pair(this.dilationRate),
    });
    return this.finish(y);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), filters: this.filters, ...specConfig(this.kernelSpec, 'kernel', 'glorotUniform') };
  }
}
