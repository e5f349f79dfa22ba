import { add, mul, sub } from '../../ops/binary.js';
import { reshape } from '../../ops/movement.js';
import { mean } from '../../ops/reduce.js';
import { rsqrt, square } from '../../ops/unary.js';
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { formatShape, type Shape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type CallOptions, Layer, type LayerArgs, type LayerInput } from '../layer.js';
import type { Variable } from '../variable.js';
import { affineConfig, affineSpecs, type AffineArgs, boolArg, numberArg, type WeightSpec } from './args.js';

export interface LayerNormalizationArgs extends LayerArgs, AffineArgs {
  /** The axis or axes normalized over, per sample (default -1: the features). */
  axis?: number | readonly number[];
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Learn an offset beta (default true). */
  center?: boolean;
  /** Learn a scale gamma (default true). */
  scale?: boolean;
}

/**
 * Layer normalization (Keras' LayerNormalization, Ba et al. 2016): each sample is normalized by
 * its own mean and variance over `axis`, then scaled by gamma and shifted by beta, both of the
 * shape of the normalized axes. Weights: gamma, beta.
 */
export class LayerNormalization extends Layer {
  static override readonly className = 'LayerNormalization';
  readonly axis: number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly specs: { gamma: WeightSpec; beta: WeightSpec };
  gamma: Variable | null = null;
  beta: Variable | null = null;
  /** The normalized axes, resolved against the input rank at build time (sorted). */
  private axes: number[] = [];

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    const cls = 'LayerNormalization';
    const axis = args.axis ?? -1;
    const list = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? [...axis] : null;
    if (list === null || list.length === 0 || !list.every((a) => Number.isInteger(a))) {
      throw new ValueError(`${cls}: axis must be an integer or a non-empty list of integers, got ${JSON.stringify(axis)}`);
    }
    this.axis = list;
    this.epsilon = numberArg(args.epsilon, 1e-3, 0, Infinity, cls, 'epsilon', true);
    this.center = boolArg(args.center, true, cls, 'center');
    this.scale = boolArg(args.scale, true, cls, 'scale');
    this.specs = affineSpecs(args, cls);
  }

  override build(inputShape: Shape): void {
    const rank = inputShape.length;
    const axes = this.axis.map((a) => (a < 0 ? a + rank : a));
    if (axes.some((a) => a < 1 || a >= rank) || new Set(axes).size !== axes.length) {
      throw new ShapeError(
        `${this.name} (LayerNormalization): axis ${JSON.stringify(this.axis)} must name distinct non-batch axes of the input shape ${formatShape(inputShape)}`,
      );
    }
    this.axes = axes.sort((a, b) => a - b);
    const shape = this.axes.map((a) => inputShape[a]!);
    const { gamma, beta } = this.specs;
    if (this.scale) this.gamma = this.addWeight('gamma', shape, gamma.initializer, { regularizer: gamma.regularizer, constraint: gamma.constraint });
    if (this.center) this.beta = this.addWeight('beta', shape, beta.initializer, { regularizer: beta.regularizer, constraint: beta.constraint });
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const x = inputs as Tensor;
    const axes = this.axes;
    const trailing = axes.every((a, i) => a === x.rank - axes.length + i);
    const bShape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const b = (t: Tensor): Tensor => (trailing ? t : reshape(t, bShape));
    const m = mean(x, axes, { keepDims: true });
    const centered = sub(x, m);
    const v = mean(square(centered), axes, { keepDims: true });
    let y = mul(centered, rsqrt(add(v, this.epsilon)));
    if (this.gamma !== null) y = mul(y, b(this.gamma.value));
    if (this.beta !== null) y = add(y, b(this.beta.value));
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis.length === 1 ? this.axis[0] : [...this.axis],
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      ...affineConfig(this.specs),
    };
  }
}
