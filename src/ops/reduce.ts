import { record } from '../autograd/tape.js';
import type { ReduceOp } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { type DataArray, type DType, floatTypeOf } from '../tensor/dtype.js';
import { ValueError } from '../tensor/errors.js';
import { normalizeAxes, normalizeAxis, type Shape, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, div, equal, mul, sub, where } from './binary.js';
import { broadcastTo, permuteValues, reshape } from './movement.js';
import { cast, detach, exp, isFinite, log, sqrt, square } from './unary.js';
import { output } from './util.js';

export interface ReduceOptions {
  keepDims?: boolean;
}

/**
 * The input seen as [outer, n, inner] with the reduced axes in the middle. Reduced axes that are
 * contiguous need no copy; otherwise the values are permuted so they come last (inner = 1).
 */
interface Layout {
  values: DataArray;
  outer: number;
  n: number;
  inner: number;
  /** The permutation applied to the input, or null when none was needed. */
  perm: number[] | null;
}

function layoutFor(x: Tensor, axes: readonly number[]): Layout {
  const shape = x.shape;
  const contiguous = axes.every((a, i) => i === 0 || a === axes[i - 1]! + 1);
  if (contiguous && axes.length > 0) {
    const first = axes[0]!;
    const last = axes[axes.length - 1]!;
    return {
      values: x.values,
      outer: sizeOf(shape.slice(0, first)),
      n: sizeOf(shape.slice(first, last + 1)),
      inner: sizeOf(shape.slice(last + 1)),
      perm: null,
    };
  }
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  return {
    values: permuteValues(x, perm),
    outer: sizeOf(kept.map((i) => shape[i]!)),
    n: sizeOf(axes.map((i) => shape[i]!)),
    inner: 1,
    perm,
  };
}

function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

function checkInput(x: unknown, op: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: expected a Tensor, got ${typeof x}`);
}

function reduceRaw(op: ReduceOp, x: Tensor, axes: readonly number[], keepDims: boolean, dtype: DType): Tensor {
  const y = output(reducedShape(x.shape, axes, keepDims), dtype);
  if (axes.length === 0) {
    y.values.set(x.values);
    return y;
  }
  const l = layoutFor(x, axes);
  backend().reduce(op, l.values, l.outer, l.n, l.inner, y.values);
  return y;
}

/** `g` (reduced shape) broadcast back to the input's shape. */
function expandGrad(g: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return broadcastTo(reshape(g, reducedShape(x.shape, axes, true)), x.shape);
}

type Axes = number | readonly number[];

export function sum(x: Tensor, axes?: Axes, options: ReduceOptions = {}): Tensor {
  checkInput(x, 'sum');
  const ax = normalizeAxes(axes, x.rank, 'sum');
  const dtype = x.dtype === 'bool' ? 'int32' : x.dtype;
  const y = reduceRaw('sum', x, ax, options.keepDims ?? false, dtype);
  return record('sum', y, [x], (g) => [expandGrad(g, x, ax)]);
}

export function mean(x: Tensor, axes?: Axes, options: ReduceOptions = {}): Tensor {
  checkInput(x, 'mean');
  const ax = normalizeAxes(axes, x.rank, 'mean');
  const count = sizeOf(ax.map((a) => x.shape[a]!));
  const s = sum(cast(x, floatTypeOf(x.dtype)), ax, options);
  return div(s, count);
}

function extremum(op: 'max' | 'min', x: Tensor, axes: Axes | undefined, options: ReduceOptions): Tensor {
  checkInput(x, op);
  const ax = normalizeAxes(axes, x.rank, op);
  if (ax.some((a) => x.shape[a] === 0)) {
    throw new ValueError(`${op}: cannot reduce over an empty axis of a tensor with shape [${x.shape.join(', ')}]`);
  }
  const y = reduceRaw(op, x, ax, options.keepDims ?? false, x.dtype);
  return record(op, y, [x], (g) => {
    // Ties share the gradient equally, as in TensorFlow.
    const hit = cast(equal(x, expandGrad(detach(y), x, ax)), g.dtype);
    const count = expandGrad(sum(hit, ax), x, ax);
    return [div(mul(expandGrad(g, x, ax), hit), count)];
  });
}

export function max(x: Tensor, axes?: Axes, options: ReduceOptions = {}): Tensor {
  return extremum('max', x, axes, options);
}

export function min(x: Tensor, axes?: Axes, options: ReduceOptions = {}): Tensor {
  return extremum('min', x, axes, options);
}

/** ∂(Π x)/∂x_i = Π_{j≠i} x_j, computed with prefix/suffix products so zeros give exact gradients. */
function exclusiveProducts(x: Tensor, ax: readonly number[]): Tensor {
  const l = layoutFor(x, ax);
  const { outer, n, inner } = l;
  const res = new Float64Array(l.values.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let p = 1;
      for (let j = 0; j < n; j++) {
        res[base + j * inner] = p;
        p *= l.values[base + j * inner]!;
      }
      p = 1;
      for (let j = n - 1; j >= 0; j--) {
        res[base + j * inner]! *= p;
        p *= l.values[base + j * inner]!;
      }
    }
  }
  const shapeInLayout = l.perm === null ? x.shape : l.perm.map((p) => x.shape[p]!);
  const t = output(shapeInLayout, x.dtype);
  t.values.set(res);
  if (l.perm === null) return t;
  const inverse = new Array<number>(l.perm.length);
  l.perm.forEach((p, i) => (inverse[p] = i));
  return new Tensor(permuteValues(t, inverse), x.shape, x.dtype);
}

export function prod(x: Tensor, axes?: Axes, options: ReduceOptions = {}): Tensor {
  checkInput(x, 'prod');
  const ax = normalizeAxes(axes, x.rank, 'prod');
  const dtype = x.dtype === 'bool' ? 'int32' : x.dtype;
  const y = reduceRaw('prod', x, ax, options.keepDims ?? false, dtype);
  return record('prod', y, [x], (g) => [mul(expandGrad(g, x, ax), exclusiveProducts(x, ax))]);
}

function argReduce(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined): Tensor {
  checkInput(x, op);
  if (axis === undefined) return argReduce(op, reshape(x, [x.size]), 0);
  const a = normalizeAxis(axis, x.rank, op);
  if (x.shape[a] === 0) throw new ValueError(`${op}: axis ${axis} of shape [${x.shape.join(', ')}] is empty`);
  const y = output(reducedShape(x.shape, [a], false), 'int32');
  const l = layoutFor(x, [a]);
  backend().argReduce(op, l.values, l.outer, l.n, l.inner, y.values as Int32Array);
  return y;
}

/** Index of the first maximum along `axis` (over the flattened tensor when omitted), as int32. */
export function argmax(x: Tensor, axis?: number): Tensor {
  return argReduce('argmax', x, axis);
}

export function argmin(x: Tensor, axis?: number): Tensor {
  return argReduce('argmin', x, axis);
}

/** log Σ exp(x), stable for large inputs: the maximum is subtracted first. */
export function logSumExp(x: Tensor, axes?: Axes, options: ReduceOptions = {}): Tensor {
  checkInput(x, 'logSumExp');
  const ax = normalizeAxes(axes, x.rank, 'logSumExp');
  const xf = cast(x, floatTypeOf(x.dtype));
  const m = detach(max(xf, ax, { keepDims: true }));
  const safeM = where(isFinite(m), m, 0);
  const s = log(sum(exp(sub(xf, safeM)), ax, { keepDims: true }));
  const y = add(s, safeM);
  return options.keepDims ? y : reshape(y, reducedShape(x.shape, ax, false));
}

export interface VarianceOptions extends ReduceOptions {
  /** Subtracted from the count in the denominator: 0 for the population variance (default, as NumPy/TF), 1 for Bessel's correction. */
  correction?: number;
}

export function variance(x: Tensor, axes?: Axes, options: VarianceOptions = {}): Tensor {
  checkInput(x, 'variance');
  const ax = normalizeAxes(axes, x.rank, 'variance');
  const xf = cast(x, floatTypeOf(x.dtype));
  const centered = sub(xf, mean(xf, ax, { keepDims: true }));
  const count = sizeOf(ax.map((a) => x.shape[a]!)) - (options.correction ?? 0);
  return div(sum(square(centered), ax, { keepDims: options.keepDims ?? false }), count);
}

export function std(x: Tensor, axes?: Axes, options: VarianceOptions = {}): Tensor {
  return sqrt(variance(x, axes, options));
}

export function any(x: Tensor, axes?: Axes, options: ReduceOptions = {}): Tensor {
  checkInput(x, 'any');
  return reduceRaw('any', x, normalizeAxes(axes, x.rank, 'any'), options.keepDims ?? false, 'bool');
}

export function all(x: Tensor, axes?: Axes, options: ReduceOptions = {}): Tensor {
  checkInput(x, 'all');
  return reduceRaw('all', x, normalizeAxes(axes, x.rank, 'all'), options.keepDims ?? false, 'bool');
}

/** Sums a broadcast gradient back to `shape` (the inverse of broadcasting). */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  return reshape(sum(g, axes), shape);
}
