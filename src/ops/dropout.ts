// Inverted dropout as a composite: x times a constant mask of 0 and 1/(1 − rate), so the gradient is
// that same mask (mul's rule) and nothing is rescaled at inference time.
import { allocate, assertFloat } from '../tensor/dtype.js';
import { ShapeError, ValueError } from '../tensor/errors.js';
import { randomFor } from '../tensor/random.js';
import { broadcastShapes, formatShape, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { mul } from './binary.js';

export interface DropoutOptions {
  /** Makes the mask deterministic: the same seed always drops the same elements. */
  seed?: number;
  /**
   * Shape of the keep/drop mask, broadcast against x (as tf.dropout): e.g. [batch, 1, features]
   * drops the same features at every time step. With the same rank as x, a null entry takes x's size.
   */
  noiseShape?: readonly (number | null)[];
  /** When false, dropout is the identity (inference). Default true. */
  training?: boolean;
}

function resolveNoiseShape(x: Tensor, noiseShape: readonly (number | null)[] | undefined): number[] {
  if (noiseShape === undefined) return [...x.shape];
  if (!Array.isArray(noiseShape)) {
    throw new ValueError(`dropout: noiseShape must be an array of dimensions, got ${String(noiseShape)}`);
  }
  const sameRank = noiseShape.length === x.rank;
  const resolved = noiseShape.map((d, i) => {
    if (d === null && sameRank) return x.shape[i]!;
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        `dropout: noiseShape entries must be non-negative integers${sameRank ? ' or null' : ''}, got [${noiseShape.map(String).join(', ')}]`,
      );
    }
    return d;
  });
  let combined: number[] | null = null;
  try {
    combined = broadcastShapes(resolved, x.shape, 'dropout');
  } catch {
    combined = null;
  }
  if (combined === null || !shapesEqual(combined, x.shape)) {
    throw new ShapeError(
      `dropout: noiseShape ${formatShape(resolved)} does not broadcast to the input's shape ${formatShape(x.shape)}`,
    );
  }
  return resolved;
}

/**
 * Inverted dropout (tf.dropout, torch.nn.functional.dropout): each element (or each cell of
 * `noiseShape`, broadcast over x) is zeroed with probability `rate` and the kept ones are scaled
 * by 1/(1 − rate), so the expected value is unchanged. `rate` must lie in [0, 1). With rate 0 or
 * `training: false` the input is returned unchanged. The gradient is the same mask times the scale.
 */
export function dropout(x: Tensor, rate: number, options: DropoutOptions = {}): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`dropout: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  assertFloat(x.dtype, 'dropout');
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new ValueError(`dropout: rate must be a number in [0, 1), got ${String(rate)}`);
  }
  if (options === null || typeof options !== 'object') {
    throw new ValueError(`dropout: options must be an object, got ${String(options)}`);
  }
  if (options.training !== undefined && typeof options.training !== 'boolean') {
    throw new ValueError(`dropout: training must be a boolean, got ${String(options.training)}`);
  }
  const noiseShape = resolveNoiseShape(x, options.noiseShape);
  if (rate === 0 || options.training === false) return x;
  const scale = 1 / (1 - rate);
  const rng = randomFor(options.seed);
  const mask = allocate(x.dtype, sizeOf(noiseShape));
  for (let i = 0; i < mask.length; i++) mask[i] = rng.nextFloat() >= rate ? scale : 0;
  return mul(x, new Tensor(mask, noiseShape, x.dtype));
}
