import { record } from '../autograd/tape.js';
import { backend } from '../backend/registry.js';
import { type DType, isDType, promoteTypes } from '../tensor/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { formatShape, normalizeAxis, type Shape, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { cast } from './unary.js';
import { output } from './util.js';

/** Integer positions along one axis: an int32 tensor of any shape, or a plain array (1-D). */
export type Indices = Tensor | readonly number[];

function checkInput(x: unknown, op: string, what = 'x'): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: expected ${what} to be a Tensor, got ${x === null ? 'null' : typeof x}`);
}

/**
 * Validates `indices` against `[0, n)` and returns them as an int32 tensor. `range` describes the
 * bound for messages ("axis 1 of size 4 (x shape [2, 4])"). Negative indices are rejected, as in
 * TensorFlow, rather than wrapped.
 */
function toIndices(indices: Indices, op: string, n: number, range: string): Tensor {
  let values: ArrayLike<number>;
  let shape: Shape;
  if (indices instanceof Tensor) {
    if (indices.dtype !== 'int32') {
      throw new DTypeError(`${op}: indices must be an int32 tensor, got ${indices.dtype} (shape ${formatShape(indices.shape)})`);
    }
    values = indices.values;
    shape = indices.shape;
  } else if (Array.isArray(indices)) {
    values = indices;
    shape = [indices.length];
  } else {
    throw new ValueError(`${op}: indices must be an int32 tensor or an array of integers, got ${indices === null ? 'null' : typeof indices}`);
  }
  for (let i = 0; i < values.length; i++) {
    const k = values[i];
    if (typeof k !== 'number' || !Number.isInteger(k)) {
      throw new ValueError(`${op}: indices must be integers, got ${String(k)} at position ${i}`);
    }
    if (k < 0 || k >= n) {
      const hint = k < 0 ? '; negative indices are not supported' : '';
      throw new ValueError(`${op}: index ${k} (position ${i} of indices) is out of range for ${range}${hint}`);
    }
  }
  if (indices instanceof Tensor) return indices;
  return new Tensor(Int32Array.from(values), shape, 'int32');
}

interface AxisLayout {
  axis: number;
  outer: number;
  n: number;
  inner: number;
  indices: Tensor;
  /** x.shape[:axis] + indices.shape + x.shape[axis+1:] */
  gathered: number[];
}

function layout(x: Tensor, indices: Indices, axis: number, op: string): AxisLayout {
  const a = normalizeAxis(axis, x.rank, op);
  const n = x.shape[a]!;
  const idx = toIndices(indices, op, n, `axis ${a} of size ${n} (x shape ${formatShape(x.shape)})`);
  return {
    axis: a,
    outer: sizeOf(x.shape.slice(0, a)),
    n,
    inner: sizeOf(x.shape.slice(a + 1)),
    indices: idx,
    gathered: [...x.shape.slice(0, a), ...idx.shape, ...x.shape.slice(a + 1)],
  };
}

/**
 * Picks slices of `x` along `axis` at `indices` (like tf.gather and NumPy's take): the result has
 * shape x.shape[:axis] + indices.shape + x.shape[axis+1:]. An index outside [0, size) throws a
 * ValueError. The gradient scatters (and sums, for repeated indices) back into x's shape.
 */
export function gather(x: Tensor, indices: Indices, axis = 0): Tensor {
  checkInput(x, 'gather');
  const l = layout(x, indices, axis, 'gather');
  const y = output(l.gathered, x.dtype);
  backend().gather(x.values, l.outer, l.n, l.inner, l.indices.values as Int32Array, y.values);
  return record('gather', y, [x], (g) => [scatterAdd(output(x.shape, g.dtype), l.indices, g, l.axis)]);
}

/**
 * A copy of `x` with `updates` added at `indices` along `axis` (like torch.index_add): repeated
 * indices accumulate. `updates` must have shape x.shape[:axis] + indices.shape + x.shape[axis+1:].
 * Differentiable with respect to both x and updates; the dtype is the promotion of the two.
 */
export function scatterAdd(x: Tensor, indices: Indices, updates: Tensor, axis = 0): Tensor {
  checkInput(x, 'scatterAdd');
  checkInput(updates, 'scatterAdd', 'updates');
  const l = layout(x, indices, axis, 'scatterAdd');
  if (!shapesEqual(updates.shape, l.gathered)) {
    throw new ShapeError(
      `scatterAdd: updates have shape ${formatShape(updates.shape)}, expected ${formatShape(l.gathered)} ` +
        `(x.shape[:axis] + indices.shape + x.shape[axis+1:] for x ${formatShape(x.shape)}, indices ${formatShape(l.indices.shape)}, axis ${l.axis})`,
    );
  }
  const promoted = promoteTypes(x.dtype, updates.dtype);
  const dtype: DType = promoted === 'bool' ? 'int32' : promoted;
  const xs = cast(x, dtype);
  const us = cast(updates, dtype);
  const y = new Tensor(xs.values.slice(), xs.shape, dtype);
  backend().scatterAdd(us.values, l.outer, l.n, l.inner, l.indices.values as Int32Array, y.values);
  return record('scatterAdd', y, [xs, us], (g) => [
    xs.requiresGradient ? g : null,
    us.requiresGradient ? gather(g, l.indices, l.axis) : null,
  ]);
}

export interface OneHotOptions {
  /** Value at the index position (default 1). */
  onValue?: number;
  /** Value everywhere else (default 0). */
  offValue?: number;
  /** Result dtype (default float32). */
  dtype?: DType;
}

/**
 * One-hot encoding: shape indices.shape + [depth], `onValue` where the last coordinate equals the
 * index. Unlike TensorFlow, which silently yields an all-off row, an index outside [0, depth)
 * throws a ValueError.
 */
export function oneHot(indices: Indices, depth: number, options: OneHotOptions = {}): Tensor {
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 0) {
    throw new ValueError(`oneHot: depth must be a non-negative integer, got ${String(depth)}`);
  }
  const dtype = options.dtype ?? 'float32';
  if (!isDType(dtype)) throw new DTypeError(`oneHot: unknown dtype ${String(dtype)}; expected float32, float64, int32 or bool`);
  let onValue = options.onValue ?? 1;
  let offValue = options.offValue ?? 0;
  if (typeof onValue !== 'number' || typeof offValue !== 'number') {
    throw new ValueError(`oneHot: onValue and offValue must be numbers, got ${typeof onValue} and ${typeof offValue}`);
  }
  if (dtype === 'bool') {
    onValue = onValue !== 0 ? 1 : 0;
    offValue = offValue !== 0 ? 1 : 0;
  }
  const idx = toIndices(indices, 'oneHot', depth, `depth ${depth}`);
  const y = output([...idx.shape, depth], dtype);
  if (offValue !== 0) y.values.fill(offValue);
  const v = idx.values;
  for (let i = 0; i < v.length; i++) y.values[i * depth + v[i]!] = onValue;
  return y;
}
