import { allocate, type DType, isFloat, promoteTypes } from '../tensor/dtype.js';
import { newStorage } from './storage.js';
import { ValueError } from '../tensor/errors.js';
import type { Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** A tensor or a plain number (or boolean), as ops accept for convenience (`x.add(1)`). */
export type TensorOrScalar = Tensor | number | boolean;

/**
 * A tensor for a kernel to write into: zero-filled, or — with `zeroed` false, for kernels that write
 * every element on every backend — possibly holding stale values, which spares clearing memory
 * the kernel overwrites anyway.
 */
export function output(shape: Shape, dtype: DType, zeroed = true): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  return new Tensor(newStorage(dtype, n, zeroed), shape, dtype);
}

/**
 * Converts a number operand to a scalar tensor whose dtype does not widen the other operand: a
 * number next to a float tensor takes that float type; next to an int/bool tensor it is int32 if
 * integral and float32 otherwise (PyTorch's rule for Python scalars).
 */
export function toTensor(x: TensorOrScalar, other: Tensor | null, what: string): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'boolean') return new Tensor(Uint8Array.of(x ? 1 : 0), [], 'bool');
  if (typeof x !== 'number') throw new ValueError(`${what}: expected a Tensor or a number, got ${typeof x}`);
  let dtype: DType;
  if (other !== null && isFloat(other.dtype)) dtype = other.dtype;
  else dtype = Number.isInteger(x) ? 'int32' : 'float32';
  const t = new Tensor(allocate(dtype, 1), [], dtype);
  t.values[0] = x;
  return t;
}

/** Both operands as tensors and their promoted dtype. */
export function operands(a: TensorOrScalar, b: TensorOrScalar, what: string): [Tensor, Tensor, DType] {
  const ta = a instanceof Tensor ? a : null;
  const tb = b instanceof Tensor ? b : null;
  const x = toTensor(a, tb, what);
  const y = toTensor(b, ta ?? x, what);
  return [x, y, promoteTypes(x.dtype, y.dtype)];
}
