import { allocate, type DataArray, type DType, dtypeOfArray, isDType } from './dtype.js';
import { DataError, DTypeError, ValueError } from './errors.js';
import { checkShape, formatShape, type Shape, sizeOf } from './shape.js';
import { type NestedArray, Tensor } from './tensor.js';

export type TensorLike = NestedArray | DataArray | readonly number[] | Tensor;

function checkDType(dtype: unknown, what: string): DType {
  if (!isDType(dtype)) {
    throw new DTypeError(`${what}: unknown dtype ${String(dtype)}; expected one of float32, float64, int32, bool`);
  }
  return dtype;
}

function inferShape(value: NestedArray, what: string): number[] {
  const shape: number[] = [];
  let cur: NestedArray = value;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0] as NestedArray;
  }
  // Verify the nesting is rectangular so a ragged array is an error, not silently misread.
  const check = (v: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (Array.isArray(v)) throw new DataError(`${what}: ragged nested array at ${path}: expected a number, found an array`);
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new DataError(`${what}: element at ${path} is ${typeof v}, expected a number or boolean`);
      }
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new DataError(
        `${what}: ragged nested array at ${path}: expected length ${shape[dim]}, found ${Array.isArray(v) ? v.length : 'a scalar'}`,
      );
    }
    v.forEach((x, i) => check(x, dim + 1, `${path}[${i}]`));
  };
  check(value, 0, 'root');
  return shape;
}

function flatten(value: NestedArray, out: number[]): void {
  if (Array.isArray(value)) {
    for (const v of value) flatten(v, out);
  } else {
    out.push(typeof value === 'boolean' ? (value ? 1 : 0) : value);
  }
}

function firstLeaf(value: NestedArray): NestedArray | undefined {
  let cur: NestedArray | undefined = value;
  while (Array.isArray(cur)) cur = cur[0];
  return cur;
}

/** Wraps a typed array of the right type as a tensor without copying (internal: callers own `values`). */
export function fromValues(values: DataArray, shape: Shape, dtype: DType = dtypeOfArray(values)): Tensor {
  return new Tensor(values, shape, dtype);
}

/**
 * Creates a tensor from nested arrays, a flat array with a shape, a typed array or another tensor.
 * The dtype defaults to the typed array's type, bool for nested booleans, and float32 otherwise.
 */
export function tensor(value: TensorLike, shape?: Shape, dtype?: DType): Tensor {
  const what = 'tensor';
  if (dtype !== undefined) checkDType(dtype, what);
  if (shape !== undefined) checkShape(shape, what);
  if (value instanceof Tensor) {
    return tensor(value.values, shape ?? value.shape, dtype ?? value.dtype);
  }
  let flat: ArrayLike<number>;
  let inferred: number[];
  let defaultType: DType = 'float32';
  if (ArrayBuffer.isView(value)) {
    flat = value;
    inferred = [value.length];
    defaultType = dtypeOfArray(value);
  } else {
    inferred = inferShape(value as NestedArray, what);
    const leaf = firstLeaf(value as NestedArray);
    if (typeof leaf === 'boolean') defaultType = 'bool';
    const list: number[] = [];
    flatten(value as NestedArray, list);
    flat = list;
  }
  const finalShape = shape ?? inferred;
  if (sizeOf(finalShape) !== flat.length) {
    throw new DataError(
      `${what}: ${flat.length} values cannot fill shape ${formatShape(finalShape)} (needs ${sizeOf(finalShape)})`,
    );
  }
  const dt = dtype ?? defaultType;
  const out = allocate(dt, flat.length);
  if (dt === 'bool') {
    for (let i = 0; i < flat.length; i++) out[i] = flat[i] ? 1 : 0;
  } else {
    for (let i = 0; i < flat.length; i++) out[i] = flat[i] as number;
  }
  return new Tensor(out, finalShape, dt);
}

export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, [], dtype);
}

export function full(shape: Shape, value: number | boolean, dtype: DType = typeof value === 'boolean' ? 'bool' : 'float32'): Tensor {
  checkShape(shape, 'full');
  checkDType(dtype, 'full');
  const out = allocate(dtype, sizeOf(shape));
  out.fill(typeof value === 'boolean' ? (value ? 1 : 0) : value);
  return new Tensor(out, shape, dtype);
}

export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  return full(shape, 0, dtype);
}

export function ones(shape: Shape, dtype: DType = 'float32'): Tensor {
  return full(shape, 1, dtype);
}

export function zerosLike(t: Tensor, dtype: DType = t.dtype): Tensor {
  return zeros(t.shape, dtype);
}

export function onesLike(t: Tensor, dtype: DType = t.dtype): Tensor {
  return ones(t.shape, dtype);
}

/** Values from `start` (inclusive) to `stop` (exclusive) by `step`, like NumPy's arange. */
export function arange(start: number, stop?: number, step = 1, dtype?: DType): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step)) throw new ValueError(`arange: step must be a non-zero finite number, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const allInt = Number.isInteger(start) && Number.isInteger(step);
  const dt = dtype ?? (allInt ? 'int32' : 'float32');
  const out = allocate(dt, n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return new Tensor(out, [n], dt);
}

/** `num` evenly spaced values from `start` to `stop`, both included. */
export function linspace(start: number, stop: number, num: number, dtype: DType = 'float32'): Tensor {
  if (!Number.isInteger(num) || num < 0) throw new ValueError(`linspace: num must be a non-negative integer, got ${num}`);
  const out = allocate(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) out[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return new Tensor(out, [num], dtype);
}

/** Identity matrix of `n` rows and `m` (default `n`) columns. */
export function eye(n: number, m: number = n, dtype: DType = 'float32'): Tensor {
  checkShape([n, m], 'eye');
  const out = allocate(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) out[i * m + i] = 1;
  return new Tensor(out, [n, m], dtype);
}
