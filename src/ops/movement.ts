import { record } from '../autograd/tape.js';
import { backend } from '../backend/registry.js';
import type { DataArray } from '../tensor/dtype.js';
import { ShapeError, ValueError } from '../tensor/errors.js';
import { broadcastShapes, broadcastStrides, formatShape, normalizeAxis, type Shape, shapesEqual, sizeOf, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { sumToShape } from './reduce.js';
import { output } from './util.js';

function checkInput(x: unknown, op: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: expected a Tensor, got ${typeof x}`);
}

/** The values of `x` with its axes permuted (no autograd): the workhorse of transpose and friends. */
export function permuteValues(x: Tensor, perm: readonly number[]): DataArray {
  const strides = stridesOf(x.shape);
  const outShape = perm.map((p) => x.shape[p]!);
  const out = new (x.values.constructor as new (n: number) => DataArray)(x.size);
  backend().copyStrided(x.values, 0, perm.map((p) => strides[p]!), out, 0, stridesOf(outShape), outShape);
  return out;
}

/** Resolves a target shape with at most one -1 against `size`; throws a ShapeError when impossible. */
export function inferReshape(shape: Shape, size: number, from: Shape): number[] {
  const out = [...shape];
  let unknown = -1;
  for (let i = 0; i < out.length; i++) {
    const d = out[i]!;
    if (d === -1) {
      if (unknown >= 0) throw new ShapeError(`reshape: only one dimension can be -1, got ${formatShape(shape)}`);
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`reshape: dimensions must be non-negative integers or -1, got ${formatShape(shape)}`);
    }
  }
  if (unknown >= 0) {
    const known = sizeOf(out.filter((_, i) => i !== unknown));
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(`reshape: cannot reshape a tensor of shape ${formatShape(from)} (${size} elements) into ${formatShape(shape)}`);
    }
    out[unknown] = size / known;
  }
  if (sizeOf(out) !== size) {
    throw new ShapeError(`reshape: cannot reshape a tensor of shape ${formatShape(from)} (${size} elements) into ${formatShape(shape)} (${sizeOf(out)} elements)`);
  }
  return out;
}

/** Same values, new shape (one dimension may be -1). Shares storage: no copy. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  checkInput(x, 'reshape');
  const target = inferReshape(shape, x.size, x.shape);
  if (shapesEqual(target, x.shape)) return x;
  const y = new Tensor(x.values, target, x.dtype);
  return record('reshape', y, [x], (g) => [reshape(g, x.shape)]);
}

/** Permutes the axes; the default reverses them (a matrix transpose for rank 2). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  checkInput(x, 'transpose');
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank) {
    throw new ShapeError(`transpose: permutation ${formatShape(p)} has ${p.length} entries, expected ${x.rank} for shape ${formatShape(x.shape)}`);
  }
  const norm = p.map((a) => normalizeAxis(a, x.rank, 'transpose'));
  if (new Set(norm).size !== norm.length) throw new ValueError(`transpose: ${formatShape(p)} is not a permutation`);
  if (norm.every((a, i) => a === i)) return x;
  const y = new Tensor(permuteValues(x, norm), norm.map((a) => x.shape[a]!), x.dtype);
  const inverse = new Array<number>(norm.length);
  norm.forEach((a, i) => (inverse[a] = i));
  return record('transpose', y, [x], (g) => [transpose(g, inverse)]);
}

/** PyTorch's name for transpose with an explicit permutation. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  return transpose(x, perm);
}

/** Inserts a size-1 axis at `axis` (which may be negative, counting from the end of the result). */
export function expandDims(x: Tensor, axis = 0): Tensor {
  checkInput(x, 'expandDims');
  const a = normalizeAxis(axis, x.rank + 1, 'expandDims');
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Removes size-1 axes (all of them, or those listed; listing an axis whose size is not 1 is an error). */
export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  checkInput(x, 'squeeze');
  if (axes === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const list = (typeof axes === 'number' ? [axes] : axes).map((a) => normalizeAxis(a, x.rank, 'squeeze'));
  for (const a of list) {
    if (x.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${a} of shape ${formatShape(x.shape)} has size ${x.shape[a]}, expected 1`);
  }
  return reshape(x, x.shape.filter((_, i) => !list.includes(i)));
}

/** Broadcasts to `shape` under NumPy rules, materializing the result. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  checkInput(x, 'broadcastTo');
  const target = [...shape];
  const combined = broadcastShapes(x.shape, target, 'broadcastTo');
  if (!shapesEqual(combined, target)) {
    throw new ShapeError(`broadcastTo: shape ${formatShape(x.shape)} cannot be broadcast to ${formatShape(target)}`);
  }
  if (shapesEqual(x.shape, target)) return x;
  const y = output(target, x.dtype);
  backend().copyStrided(x.values, 0, broadcastStrides(x.shape, target), y.values, 0, stridesOf(target), target);
  return record('broadcastTo', y, [x], (g) => [sumToShape(g, x.shape)]);
}

/** Collapses every axis into one. */
export function flatten(x: Tensor): Tensor {
  checkInput(x, 'flatten');
  return reshape(x, [x.size]);
}
