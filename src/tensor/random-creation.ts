import { allocate, type DType, isFloat } from './dtype.js';
import { DTypeError, ValueError } from './errors.js';
import { randomFor } from './random.js';
import { checkShape, type Shape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

export interface RandomOptions {
  /** Makes the call deterministic: the same seed always gives the same values. */
  seed?: number;
  dtype?: DType;
}

function floatDType(dtype: DType | undefined, what: string): DType {
  const dt = dtype ?? 'float32';
  if (!isFloat(dt)) throw new DTypeError(`${what}: dtype must be float32 or float64, got ${dt}`);
  return dt;
}

/** Uniform values in [minval, maxval). */
export function randomUniform(shape: Shape, minval = 0, maxval = 1, options: RandomOptions = {}): Tensor {
  checkShape(shape, 'randomUniform');
  const dt = floatDType(options.dtype, 'randomUniform');
  if (!(maxval > minval)) throw new ValueError(`randomUniform: maxval (${maxval}) must be greater than minval (${minval})`);
  const rng = randomFor(options.seed);
  const out = allocate(dt, sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = minval + (maxval - minval) * rng.nextFloat();
  return new Tensor(out, shape, dt);
}

/** Normal values with the given mean and standard deviation. */
export function randomNormal(shape: Shape, mean = 0, stddev = 1, options: RandomOptions = {}): Tensor {
  checkShape(shape, 'randomNormal');
  const dt = floatDType(options.dtype, 'randomNormal');
  if (!(stddev >= 0)) throw new ValueError(`randomNormal: stddev must be non-negative, got ${stddev}`);
  const rng = randomFor(options.seed);
  const out = allocate(dt, sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = mean + stddev * rng.nextNormal();
  return new Tensor(out, shape, dt);
}

/** Normal values redrawn until they fall within two standard deviations of the mean (as in Keras). */
export function truncatedNormal(shape: Shape, mean = 0, stddev = 1, options: RandomOptions = {}): Tensor {
  checkShape(shape, 'truncatedNormal');
  const dt = floatDType(options.dtype, 'truncatedNormal');
  if (!(stddev >= 0)) throw new ValueError(`truncatedNormal: stddev must be non-negative, got ${stddev}`);
  const rng = randomFor(options.seed);
  const out = allocate(dt, sizeOf(shape));
  for (let i = 0; i < out.length; i++) {
    let z = rng.nextNormal();
    while (Math.abs(z) > 2) z = rng.nextNormal();
    out[i] = mean + stddev * z;
  }
  return new Tensor(out, shape, dt);
}

/** Integers uniformly drawn from [low, high). */
export function randomInt(shape: Shape, low: number, high: number, options: { seed?: number } = {}): Tensor {
  checkShape(shape, 'randomInt');
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError(`randomInt: expected integers low < high, got low=${low}, high=${high}`);
  }
  const rng = randomFor(options.seed);
  const out = new Int32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = rng.nextInt(low, high);
  return new Tensor(out, shape, 'int32');
}
