import { DTypeError, ValueError } from '../tensor/errors.js';
import { isFloat } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { computeGradients } from './backward.js';

/** A tracked alias of `x` (same storage): differentiating through it never touches `x.grad`. */
function trackedAlias(x: Tensor, what: string, index: number): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${what}: argument ${index} is not a Tensor`);
  if (!isFloat(x.dtype)) {
    throw new DTypeError(`${what}: argument ${index} has dtype ${x.dtype}; gradients need float32 or float64 inputs`);
  }
  return new Tensor(x.values, x.shape, x.dtype).requiresGrad();
}

function gradsOf(value: Tensor, args: readonly Tensor[], seed: Tensor | undefined): Tensor[] {
  const found = computeGradients(value, seed, args);
  // An argument that does not influence the result has a zero gradient (as tf.grads), never null.
  return args.map((a) => found.get(a) ?? new Tensor(new (a.values.constructor as Float32ArrayConstructor)(a.size), a.shape, a.dtype));
}

export interface ValueAndGrads {
  value: Tensor;
  grads: Tensor[];
}

/**
 * `valueAndGrad(f)(...xs)` returns f's value and the gradient of f with respect to each argument.
 * f must return a scalar unless `seed` (the output gradient) is given. `.grad` of the arguments and
 * of any tensor f closes over is left untouched.
 */
export function valueAndGrad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => ValueAndGrads {
  return (...xs: Tensor[]) => valueAndGradWithSeed(f, xs, undefined);
}

export function valueAndGradWithSeed(f: (...xs: Tensor[]) => Tensor, xs: readonly Tensor[], seed: Tensor | undefined): ValueAndGrads {
  const args = xs.map((x, i) => trackedAlias(x, 'valueAndGrad', i));
  const value = f(...args);
  if (!(value instanceof Tensor)) throw new ValueError('valueAndGrad: the function must return a Tensor');
  return { value, grads: gradsOf(value, args, seed) };
}

/** `grad(f)(x)` is the gradient of the scalar f(x) with respect to x (like `tf.grad`). */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, seed?: Tensor) => Tensor {
  return (x: Tensor, seed?: Tensor) => valueAndGradWithSeed(f, [x], seed).grads[0]!;
}

/** `grads(f)(...xs)` returns the gradient of f with respect to each argument (like `tf.grads`). */
export function grads(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor[] {
  return (...xs: Tensor[]) => valueAndGradWithSeed(f, xs, undefined).grads;
}
