import { noGrad } from '../../autograd/tape.js';
import { add, mul, sub } from '../../ops/binary.js';
import { reshape } from '../../ops/movement.js';
import { mean } from '../../ops/reduce.js';
import { rsqrt, square } from '../../ops/unary.js';
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { formatShape, type Shape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { InitializerLike } from '../initializers.js';
import { type CallOptions, Layer, type LayerArgs, type LayerInput } from '../layer.js';
import type { Variable } from '../variable.js';
import {
  affineConfig, affineSpecs, type AffineArgs, boolArg, checkInitializer, initializerConfig, numberArg, type WeightSpec,
} from './args.js';

export interface BatchNormalizationArgs extends LayerArgs, AffineArgs {
  /** The feature (channel) axis, normalized per entry (default -1: channels-last). */
  axis?: number;
  /** Moving-average decay: moving = moving·momentum + batch·(1 − momentum) (default 0.99). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Learn an offset beta (default true). */
  center?: boolean;
  /** Learn a scale gamma (default true). */
  scale?: boolean;
  movingMeanInitializer?: InitializerLike;
  movingVarianceInitializer?: InitializerLike;
}

/**
 * Batch normalization (Keras' BatchNormalization). In training (`{training: true}` on a trainable
 * layer) it normalizes with the batch's mean and (population) variance over every axis but `axis`,
 * and updates the moving statistics in place: moving = moving·momentum + batch·(1 − momentum). At
 * inference, or when the layer is frozen (trainable = false, as Keras), it uses the moving statistics.
 * Weights, in Keras order: gamma, beta (trainable), movingMean, movingVariance (non-trainable).
 */
export class BatchNormalization extends Layer {
  static override readonly className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly specs: { gamma: WeightSpec; beta: WeightSpec };
  private readonly movingMeanInit: InitializerLike;
  private readonly movingVarianceInit: InitializerLike;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;
  /** The normalized axis, resolved against the input rank at build time. */
  private featureAxis = -1;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    const cls = 'BatchNormalization';
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis)) throw new ValueError(`${cls}: axis must be an integer, got ${JSON.stringify(axis)}`);
    this.axis = axis;
    this.momentum = numberArg(args.momentum, 0.99, 0, 1, cls, 'momentum');
    this.epsilon = numberArg(args.epsilon, 1e-3, 0, Infinity, cls, 'epsilon', true);
    this.center = boolArg(args.center, true, cls, 'center');
    this.scale = boolArg(args.scale, true, cls, 'scale');
    this.specs = affineSpecs(args, cls);
    this.movingMeanInit = checkInitializer(args.movingMeanInitializer ?? 'zeros', cls);
    this.movingVarianceInit = checkInitializer(args.movingVarianceInitializer ?? 'ones', cls);
  }

  override build(inputShape: Shape): void {
    const rank = inputShape.length;
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (rank < 2 || a < 1 || a >= rank) {
      throw new ShapeError(
        `${this.name} (BatchNormalization): axis ${this.axis} is not a feature axis of the input shape ${formatShape(inputShape)} (needs rank ≥ 2 and an axis other than the batch axis 0)`,
      );
    }
    this.featureAxis = a;
    const c = [inputShape[a]!];
    const { gamma, beta } = this.specs;
    if (this.scale) this.gamma = this.addWeight('gamma', c, gamma.initializer, { regularizer: gamma.regularizer, constraint: gamma.constraint });
    if (this.center) this.beta = this.addWeight('beta', c, beta.initializer, { regularizer: beta.regularizer, constraint: beta.constraint });
    this.movingMean = this.addWeight('moving_mean', c, this.movingMeanInit, { trainable: false });
    this.movingVariance = this.addWeight('moving_variance', c, this.movingVarianceInit, { trainable: false });
  }

  call(inputs: LayerInput, options: CallOptions): Tensor {
    const x = inputs as Tensor;
    const a = this.featureAxis;
    const c = x.shape[a]!;
    // Parameters of shape [c] broadcast against x along the feature axis.
    const last = a === x.rank - 1;
    const bShape = x.shape.map((d, i) => (i === a ? d : 1));
    const b = (t: Tensor): Tensor => (last ? t : reshape(t, bShape));
    let y: Tensor;
    if (options.training === true && this.trainable) {
      const axes = x.shape.map((_, i) => i).filter((i) => i !== a);
      const m = mean(x, axes, { keepDims: true });
      const centered = sub(x, m);
      const v = mean(square(centered), axes, { keepDims: true });
      y = mul(centered, rsqrt(add(v, this.epsilon)));
      if (this.gamma !== null) y = mul(y, b(this.gamma.value));
      if (this.beta !== null) y = add(y, b(this.beta.value));
      const k = this.momentum;
      noGrad(() => {
        const mm = this.movingMean!;
        const mv = this.movingVariance!;
        mm.assign(add(mul(mm.value, k), mul(reshape(m, [c]), 1 - k)));
        mv.assign(add(mul(mv.value, k), mul(reshape(v, [c]), 1 - k)));
      });
      return y;
    }
    let inv = rsqrt(add(this.movingVariance!.value, this.epsilon));
    if (this.gamma !== null) inv = mul(inv, this.gamma.value);
    y = mul(sub(x, b(this.movingMean!.value)), b(inv));
    if (this.beta !== null) y = add(y, b(this.beta.value));
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      ...affineConfig(this.specs),
      movingMeanInitializer: initializerConfig(this.movingMeanInit, 'zeros'),
      movingVarianceInitializer: initializerConfig(this.movingVarianceInit, 'ones'),
    };
  }
}
