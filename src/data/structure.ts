// Dataset elements are nested structures: a Tensor, a number or other leaf, or a tuple (JS array)
// or record (plain object) of such structures. This file batches a list of structures into one
// (stacking leaves along a new first axis) and splits a batched structure back into rows.
import { stack } from '../ops/slicing.js';
import { allocate } from '../tensor/dtype.js';
import { fromValues } from '../tensor/creation.js';
import { DataError, DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** True for objects whose keys are a record of fields (not class instances such as Tensors or typed arrays). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Tensor) return `a Tensor of shape ${formatShape(v.shape)}`;
  if (Array.isArray(v)) return `a tuple of length ${v.length}`;
  if (isRecord(v)) return `a record with keys {${Object.keys(v).join(', ')}}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return `a ${typeof v}`;
}

const where = (path: string): string => (path === '' ? '' : ` at ${path}`);

/** Row `i` of a tensor along its first axis, as a new contiguous tensor (not recorded by autograd). */
export function row(t: Tensor, i: number): Tensor {
  const rowSize = t.shape.slice(1).reduce((a, b) => a * b, 1);
  return fromValues(t.values.slice(i * rowSize, (i + 1) * rowSize), t.shape.slice(1), t.dtype);
}

/**
 * Stacks tensors of one shape and dtype along a new first axis. Shape and dtype mismatches are
 * reported with the dataset element indices (`firstIndex` is the index of tensors[0]).
 */
function stackLeaves(tensors: Tensor[], firstIndex: number, path: string): Tensor {
  const first = tensors[0]!;
  for (let i = 1; i < tensors.length; i++) {
    const t = tensors[i]!;
    if (!shapesEqual(t.shape, first.shape)) {
      throw new ShapeError(
        `batch: element ${firstIndex + i} has shape ${formatShape(t.shape)}${where(path)}, but element ${firstIndex} ` +
          `(the first of its batch) has shape ${formatShape(first.shape)}; every element of a batch needs the same shape ` +
          `(resize or pad in map(), or use batch(1))`,
      );
    }
    if (t.dtype !== first.dtype) {
      throw new DTypeError(
        `batch: element ${firstIndex + i} has dtype ${t.dtype}${where(path)}, but element ${firstIndex} (the first of its batch) has dtype ${first.dtype}; cast in map() first`,
      );
    }
  }
  if (tensors.some((t) => t.requiresGradient)) return stack(tensors, 0);
  const rowSize = first.size;
  const out = allocate(first.dtype, rowSize * tensors.length);
  tensors.forEach((t, i) => out.set(t.values, i * rowSize));
  return fromValues(out, [tensors.length, ...first.shape], first.dtype);
}

/**
 * Combines dataset elements into one batch: Tensors are stacked along a new first axis, numbers
 * become a float32 tensor and booleans a bool tensor of shape [n], tuples and records are batched
 * field by field, and any other value (strings, typed arrays, …) is collected into a JS array.
 */
export function batchStructures(elements: readonly unknown[], firstIndex: number, path = ''): unknown {
  const first = elements[0];
  const mismatch = (i: number, v: unknown): never => {
    throw new DataError(
      `batch: element ${firstIndex + i} is ${describe(v)}${where(path)}, but element ${firstIndex} (the first of its batch) is ${describe(first)}; ` +
        'all elements of a dataset need the same structure',
    );
  };
  if (first instanceof Tensor) {
    elements.forEach((v, i) => (v instanceof Tensor ? undefined : mismatch(i, v)));
    return stackLeaves(elements as Tensor[], firstIndex, path);
  }
  if (typeof first === 'number' || typeof first === 'boolean') {
    const kind = typeof first;
    elements.forEach((v, i) => (typeof v === kind ? undefined : mismatch(i, v)));
    const out = kind === 'number' ? new Float32Array(elements.length) : new Uint8Array(elements.length);
    elements.forEach((v, i) => (out[i] = Number(v)));
    return fromValues(out, [elements.length], kind === 'number' ? 'float32' : 'bool');
  }
  if (Array.isArray(first)) {
    elements.forEach((v, i) => (Array.isArray(v) && v.length === first.length ? undefined : mismatch(i, v)));
    return first.map((_, k) => batchStructures(elements.map((e) => (e as unknown[])[k]), firstIndex, `${path}[${k}]`));
  }
  if (isRecord(first)) {
    const keys = Object.keys(first);
    elements.forEach((v, i) => (isRecord(v) && Object.keys(v).length === keys.length && keys.every((k) => k in v) ? undefined : mismatch(i, v)));
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = batchStructures(elements.map((e) => (e as Record<string, unknown>)[k]), firstIndex, path === '' ? k : `${path}.${k}`);
    return out;
  }
  return [...elements];
}

/** Splits a batched structure (Tensor leaves, in tuples and records) into its rows along axis 0. */
export function unbatchStructure(element: unknown, index: number): unknown[] {
  let rows: number | null = null;
  let rowsPath = '';
  const count = (v: unknown, path: string): void => {
    if (v instanceof Tensor) {
      if (v.rank === 0) throw new ShapeError(`unbatch: element ${index} has a scalar Tensor${where(path)}; every Tensor needs a first (batch) axis`);
      if (rows === null) (rows = v.shape[0]!), (rowsPath = path);
      else if (v.shape[0] !== rows) {
        throw new ShapeError(
          `unbatch: element ${index} has ${v.shape[0]} rows${where(path)} (shape ${formatShape(v.shape)}) but ${rows}${where(rowsPath)}; all Tensors of an element need the same first dimension`,
        );
      }
    } else if (Array.isArray(v)) v.forEach((x, k) => count(x, `${path}[${k}]`));
    else if (isRecord(v)) for (const [k, x] of Object.entries(v)) count(x, path === '' ? k : `${path}.${k}`);
    else throw new ValueError(`unbatch: element ${index} holds ${describe(v)}${where(path)}; unbatch splits Tensors (in tuples and records) along their first axis`);
  };
  count(element, '');
  if (rows === null) throw new ValueError(`unbatch: element ${index} holds no Tensors`);
  const pick = (v: unknown, i: number): unknown => {
    if (v instanceof Tensor) return row(v, i);
    if (Array.isArray(v)) return v.map((x) => pick(x, i));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = pick(x, i);
    return out;
  };
  return Array.from({ length: rows }, (_, i) => pick(element, i));
}

/** The Tensor leaves of a structure of Tensors (tuples and records), validated; `what` names the caller. */
export function tensorLeaves(structure: unknown, what: string, path = ''): { path: string; tensor: Tensor }[] {
  if (structure instanceof Tensor) return [{ path, tensor: structure }];
  if (Array.isArray(structure)) return structure.flatMap((x, k) => tensorLeaves(x, what, `${path}[${k}]`));
  if (isRecord(structure)) return Object.entries(structure).flatMap(([k, x]) => tensorLeaves(x, what, path === '' ? k : `${path}.${k}`));
  throw new ValueError(`${what}: expected a Tensor, or a tuple or record of Tensors, but found ${describe(structure)}${where(path)}`);
}

/** Rebuilds `structure` with each Tensor leaf replaced by `fn(leaf)`. */
export function mapTensors(structure: unknown, fn: (t: Tensor) => unknown): unknown {
  if (structure instanceof Tensor) return fn(structure);
  if (Array.isArray(structure)) return structure.map((x) => mapTensors(x, fn));
  if (isRecord(structure)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(structure)) out[k] = mapTensors(x, fn);
    return out;
  }
  return structure;
}
