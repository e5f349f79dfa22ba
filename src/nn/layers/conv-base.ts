// What the convolution layers (Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D)
// share: window arguments, the bias and activation, input-rank checks and the common config.
import { ValueError } from '../../tensor/errors.js';
import type { Shape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ActivationFn, type ActivationLike, activationName, withBiasAndActivation, withFusedActivation } from '../activations.js';
import type { FusedActivation } from '../../ops/bias-activation.js';
import type { InitializerLike } from '../initializers.js';
import { Layer, type LayerArgs } from '../layer.js';
import type { Variable } from '../variable.js';
import {
  boolArg, checkDataFormat, choice, type ConstraintArg, intTuple, layerActivation, type RegularizerArg, requireRank, specConfig,
  weightSpec, type WeightSpec,
} from './args.js';

export type ConvPadding = 'valid' | 'same';

export interface BaseConvArgs extends LayerArgs {
  /** Window size: one number for every spatial axis or one per axis. */
  kernelSize: number | readonly number[];
  /** Step between windows (default 1). */
  strides?: number | readonly number[];
  /** 'valid' (default) or 'same'; Conv1D also accepts 'causal'. */
  padding?: ConvPadding | 'causal';
  /** Only 'channelsLast' (NHWC) is supported. */
  dataFormat?: 'channelsLast';
  /** Spacing between filter taps (default 1); cannot be combined with strides > 1. */
  dilationRate?: number | readonly number[];
  activation?: ActivationLike;
  useBias?: boolean;
  biasInitializer?: InitializerLike;
  biasRegularizer?: RegularizerArg;
  biasConstraint?: ConstraintArg;
}

export abstract class BaseConv extends Layer {
  /** Number of spatial axes (1 or 2). */
  readonly rank: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: ConvPadding | 'causal';
  readonly dilationRate: number[];
  readonly useBias: boolean;
  readonly activation: ActivationFn;
  protected readonly activationArg: ActivationLike | undefined;
  protected readonly biasSpec: WeightSpec;
  bias: Variable | null = null;

  constructor(args: BaseConvArgs, rank: number, paddings: readonly (ConvPadding | 'causal')[] = ['valid', 'same']) {
    super(args);
    const cls = this.className;
    this.rank = rank;
    this.kernelSize = intTuple(args.kernelSize, rank, undefined, cls, 'kernelSize');
    this.strides = intTuple(args.strides, rank, 1, cls, 'strides');
    this.padding = choice(args.padding, paddings, cls, 'padding');
    this.dilationRate = intTuple(args.dilationRate, rank, 1, cls, 'dilationRate');
    checkDataFormat(args.dataFormat, cls);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new ValueError(
        `${cls}: strides > 1 cannot be combined with dilationRate > 1, got strides [${this.strides.join(', ')}] and dilationRate [${this.dilationRate.join(', ')}]`,
      );
    }
    this.useBias = boolArg(args.useBias, true, cls, 'useBias');
    this.activation = layerActivation(args.activation, cls); // validates the name now rather than at first call
    this.activationArg = args.activation;
    this.biasSpec = weightSpec(args.biasInitializer, 'zeros', args.biasRegularizer, args.biasConstraint, cls, 'bias');
  }

  /** Resolves the initializer, regularizer and constraint of a kernel-like weight. */
  protected weightSpec(init: InitializerLike | undefined, reg: RegularizerArg | undefined, cons: ConstraintArg | undefined, what: string): WeightSpec {
    return weightSpec(init, 'glorotUniform', reg, cons, this.className, what);
  }

  protected addSpecWeight(name: string, shape: Shape, spec: WeightSpec): Variable {
    return this.addWeight(name, shape, spec.initializer, { regularizer: spec.regularizer, constraint: spec.constraint });
  }

  /** Checks the rank (batch, spatial axes, channels) and returns the channel count. */
  protected inputChannels(inputShape: Shape): number {
    const layout = this.rank === 1 ? '[batch, width, channels]' : '[batch, height, width, channels]';
    requireRank(this, inputShape, [this.rank + 2], layout);
    return inputShape[inputShape.length - 1]!;
  }

  protected buildBias(units: number): void {
    if (this.useBias) this.bias = this.addSpecWeight('bias', [units], this.biasSpec);
  }

  /** Adds the bias (when used) and applies the activation. */
  protected finish(y: Tensor): Tensor {
    return withBiasAndActivation(y, this.bias?.value ?? null, this.activationArg, this.activation);
  }

  /** Runs `conv(bias, act)`, a convolution with the bias and the fusable part of the activation in its kernel, then the rest. */
  protected fused(conv: (bias: Tensor | null, act: FusedActivation) => Tensor): Tensor {
    return withFusedActivation(this.activationArg, this.activation, (act) => conv(this.bias?.value ?? null, act));
  }

  /** The spatial arguments as the 2-D ops take them (a single number for rank 1). */
  protected pair(values: number[]): [number, number] {
    return [values[0]!, values[1]!];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: 'channelsLast',
      dilationRate: [...this.dilationRate],
      activation: activationName(this.activationArg),
      useBias: this.useBias,
      ...specConfig(this.biasSpec, 'bias', 'zeros'),
    };
  }
}
