// Neural-network activations, composed of primitive ops so that each one gets its gradient from the
// primitives' rules. softmax and logSoftmax subtract the detached maximum first, so logits of ±1e4
// do not overflow; softmax is shift-invariant, so detaching the shift leaves the gradient exact.
// Over the last axis they run as one row kernel with their own gradient rule.
import { record } from '../autograd/tape.js';
import { backend } from '../backend/registry.js';
import { assertFloat, floatTypeOf, isFloat } from '../tensor/dtype.js';
import { ValueError } from '../tensor/errors.js';
import { normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, clip, div, greater, minimum, mul, sub, where } from './binary.js';
import { max, sum } from './reduce.js';
import { abs, cast, detach, erf, exp, expm1, isFinite, log, relu, sigmoid, softplus, tanh } from './unary.js';
import { output } from './util.js';

/** SELU constants from Klambauer et al., "Self-Normalizing Neural Networks" (2017), as in Keras and TensorFlow. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

const SQRT_HALF = Math.SQRT1_2;
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

function checkTensor(x: unknown, op: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
}

/** `x` as a float tensor: float32/float64 pass through, int32 and bool become float32 (as sigmoid and tanh do). */
function floatInput(x: unknown, op: string): Tensor {
  checkTensor(x, op);
  return isFloat(x.dtype) ? x : cast(x, floatTypeOf(x.dtype));
}

function checkFinite(value: unknown, name: string, op: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${op}: ${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

/**
 * `alpha · (eˣ − 1)` for x ≤ 0 and 0 for x > 0. The exponent is clamped at 0 so a large positive x
 * cannot produce inf in the unused branch (inf · 0 would turn its gradient into NaN).
 */
function negativeBranch(x: Tensor, alpha: number): Tensor {
  return mul(expm1(minimum(x, 0)), alpha);
}

/** x for x > 0, alpha·x otherwise (tf.leakyRelu; default alpha 0.2 as in TensorFlow.js). */
export function leakyRelu(x: Tensor, alpha = 0.2): Tensor {
  const xf = floatInput(x, 'leakyRelu');
  const a = checkFinite(alpha, 'alpha', 'leakyRelu');
  return where(greater(xf, 0), xf, mul(xf, a));
}

/** min(max(x, 0), 6). Keeps the input's dtype like relu; the gradient is 1 on (0, 6] as in TensorFlow. */
export function relu6(x: Tensor): Tensor {
  checkTensor(x, 'relu6');
  return minimum(relu(x), 6);
}

/** Exponential linear unit: x for x > 0, alpha·(eˣ − 1) otherwise. */
export function elu(x: Tensor, alpha = 1): Tensor {
  const xf = floatInput(x, 'elu');
  const a = checkFinite(alpha, 'alpha', 'elu');
  return where(greater(xf, 0), xf, negativeBranch(xf, a));
}

/** Scaled ELU: scale·elu(x, alpha) with Klambauer's constants (alpha ≈ 1.6733, scale ≈ 1.0507). */
export function selu(x: Tensor): Tensor {
  const xf = floatInput(x, 'selu');
  return mul(where(greater(xf, 0), xf, negativeBranch(xf, SELU_ALPHA)), SELU_SCALE);
}

export interface GeluOptions {
  /** Use the tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) instead of erf (default false). */
  approximate?: boolean;
}

/** Gaussian error linear unit: x·Φ(x) = 0.5·x·(1 + erf(x/√2)), or its tanh approximation. */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  const xf = floatInput(x, 'gelu');
  if (options === null || typeof options !== 'object') {
    throw new ValueError(`gelu: options must be an object like { approximate: true }, got ${String(options)}`);
  }
  const approximate = options.approximate ?? false;
  if (typeof approximate !== 'boolean') {
    throw new ValueError(`gelu: approximate must be a boolean, got ${String(approximate)}`);
  }
  const inner = approximate
    ? tanh(mul(add(xf, mul(mul(xf, mul(xf, xf)), 0.044715)), SQRT_TWO_OVER_PI))
    : erf(mul(xf, SQRT_HALF));
  return mul(mul(xf, 0.5), add(inner, 1));
}

/** x / (1 + |x|). */
export function softsign(x: Tensor): Tensor {
  const xf = floatInput(x, 'softsign');
  return div(xf, add(abs(xf), 1));
}

/** Keras's piecewise-linear sigmoid: clip(0.2·x + 0.5, 0, 1). */
export function hardSigmoid(x: Tensor): Tensor {
  const xf = floatInput(x, 'hardSigmoid');
  return clip(add(mul(xf, 0.2), 0.5), 0, 1);
}

/** x·sigmoid(beta·x) (Ramachandran et al.); beta = 1 gives silu. */
export function swish(x: Tensor, beta = 1): Tensor {
  const xf = floatInput(x, 'swish');
  const b = checkFinite(beta, 'beta', 'swish');
  return mul(xf, sigmoid(b === 1 ? xf : mul(xf, b)));
}

/** Sigmoid linear unit x·sigmoid(x): swish with beta = 1 (PyTorch's name). */
export function silu(x: Tensor): Tensor {
  checkTensor(x, 'silu');
  return swish(x, 1);
}

/** x·tanh(softplus(x)) (Misra, 2019). */
export function mish(x: Tensor): Tensor {
  const xf = floatInput(x, 'mish');
  return mul(xf, tanh(softplus(xf)));
}

/**
 * x minus its detached maximum along `axis`. A row whose maximum is ±inf is not shifted (its result
 * is then NaN or 0, as in TensorFlow).
 */
function shiftedByMax(x: Tensor, axis: number): Tensor {
  const m = max(detach(x), axis, { keepDims: true });
  return sub(x, where(isFinite(m), m, 0));
}

/**
 * exp(x) / Σ exp(x) along `axis` (default: the last). Computed as exp(x − max) so large logits do
 * not overflow. Needs a float tensor.
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  checkTensor(x, 'softmax');
  assertFloat(x.dtype, 'softmax');
  const a = normalizeAxis(axis, x.rank, 'softmax');
  if (x.size === 0) return output(x.shape, x.dtype);
  if (a === x.rank - 1) return lastAxisSoftmax(x, false);
  const e = exp(shiftedByMax(x, a));
  return div(e, sum(e, a, { keepDims: true }));
}

/**
 * Softmax or log-softmax over the last axis with the backend's row kernel (one pass instead of
 * five ops); the gradients are y·(g − Σ g·y) and g − softmax·Σ g.
 */
function lastAxisSoftmax(x: Tensor, log: boolean): Tensor {
  const n = x.shape[x.rank - 1]!;
  const y = output(x.shape, x.dtype, false);
  backend().softmax(x.values, y.values, x.size / n, n, log);
  const a = x.rank - 1;
  return record(log ? 'logSoftmax' : 'softmax', y, [x], (g) => [
    log ? sub(g, mul(exp(y), sum(g, a, { keepDims: true }))) : mul(y, sub(g, sum(mul(g, y), a, { keepDims: true }))),
  ]);
}

/**
 * log(softmax(x)) along `axis` (default: the last), computed as (x − max) − log Σ exp(x − max):
 * finite for logits of any magnitude (the same value as x − logSumExp(x)). Needs a float tensor.
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  checkTensor(x, 'logSoftmax');
  assertFloat(x.dtype, 'logSoftmax');
  const a = normalizeAxis(axis, x.rank, 'logSoftmax');
  if (x.size === 0) return output(x.shape, x.dtype);
  if (a === x.rank - 1) return lastAxisSoftmax(x, true);
  const shifted = shiftedByMax(x, a);
  return sub(shifted, log(sum(exp(shifted), a, { keepDims: true })));
}
