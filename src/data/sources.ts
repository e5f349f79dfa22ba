// Ways to make a Dataset: from JS arrays, from Tensors sliced along their first axis, from
// (async) generator functions, and by zipping datasets.
import { ShapeError, ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Dataset } from './dataset.js';
import { isRecord, row, tensorLeaves } from './structure.js';

/** A Tensor, or a tuple or record (nested freely) of Tensors: what `fromTensors` slices. */
export type TensorStructure = Tensor | readonly TensorStructure[] | { readonly [key: string]: TensorStructure };

/** The element type of `fromTensors(s)`: the same structure, each Tensor replaced by one of its rows. */
export type Sliced<S> = S extends Tensor ? Tensor : S extends readonly unknown[] ? { -readonly [K in keyof S]: Sliced<S[K]> } : { -readonly [K in keyof S]: Sliced<S[K]> };

/** Makes an async iterator out of a sync iterator or iterable, or an async one; `what` names the caller in errors. */
function toAsyncIterator<T>(made: unknown, what: string): AsyncIterator<T> {
  if (made !== null && typeof made === 'object') {
    const obj = made as Partial<AsyncIterable<T> & Iterable<T> & AsyncIterator<T>>;
    if (typeof obj[Symbol.asyncIterator] === 'function') return obj[Symbol.asyncIterator]!();
    if (typeof obj.next === 'function' && typeof obj[Symbol.iterator] !== 'function') return obj as AsyncIterator<T>;
    if (typeof obj[Symbol.iterator] === 'function') {
      const it = (obj as Iterable<T>)[Symbol.iterator]();
      return (async function* () {
        yield* { [Symbol.iterator]: () => it };
      })();
    }
  }
  throw new ValueError(`${what}: the function must return an iterator or iterable (e.g. a generator), got ${made === null ? 'null' : typeof made}`);
}

/** A dataset of the elements of a JS array (copied shallowly; elements are not cloned). */
export function fromArrays<T>(elements: readonly T[]): Dataset<T> {
  if (!Array.isArray(elements)) throw new ValueError(`fromArrays: expected an array of elements, got ${elements === null ? 'null' : typeof elements}`);
  const items = [...elements];
  return new Dataset(async function* () {
    yield* items;
  }, items.length);
}

/**
 * Slices Tensors along their first axis, like tf.data.Dataset.from_tensor_slices: element i is row i
 * of a Tensor, or a tuple/record of the rows i of each Tensor in a tuple/record (all of which must
 * have the same number of rows).
 */
export function fromTensors<const S extends TensorStructure>(tensors: S): Dataset<Sliced<S>> {
  const leaves = tensorLeaves(tensors, 'fromTensors');
  if (leaves.length === 0) throw new ValueError('fromTensors: expected at least one Tensor');
  for (const { path, tensor } of leaves) {
    if (tensor.rank === 0) throw new ValueError(`fromTensors: the Tensor${path === '' ? '' : ` at ${path}`} is a scalar; slicing needs a first axis`);
  }
  const n = leaves[0]!.tensor.shape[0]!;
  for (const { path, tensor } of leaves) {
    if (tensor.shape[0] !== n) {
      throw new ShapeError(
        `fromTensors: the Tensor at ${path} has ${tensor.shape[0]} rows (shape [${tensor.shape.join(', ')}]) but the one at ${leaves[0]!.path || '(root)'} has ${n}; all need the same first dimension`,
      );
    }
  }
  const slice = (v: unknown, i: number): unknown => {
    if (Array.isArray(v)) return v.map((x) => slice(x, i));
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, slice(x, i)]));
    return row(v as Tensor, i);
  };
  const rows = new Dataset<unknown>(async function* () {
    for (let i = 0; i < n; i++) yield slice(tensors, i);
  }, n);
  return rows as Dataset<Sliced<S>>;
}

/**
 * A dataset whose every pass calls `fn` for a fresh iterator: a generator function, or any
 * function returning an iterator or iterable. (A generator object itself can only be read once,
 * so pass the function.)
 */
export function fromGenerator<T>(fn: () => Iterator<T> | Iterable<T>): Dataset<T> {
  if (typeof fn !== 'function') throw new ValueError('fromGenerator: expected a function returning an iterator (e.g. a generator function), so that every pass can start over');
  return new Dataset(() => toAsyncIterator<T>(fn(), 'fromGenerator'));
}

/** A dataset whose every pass calls `fn` for a fresh async iterator (an async generator function, or a function returning an async iterable). */
export function fromAsyncIterator<T>(fn: () => AsyncIterator<T> | AsyncIterable<T>): Dataset<T> {
  if (typeof fn !== 'function') throw new ValueError('fromAsyncIterator: expected a function returning an async iterator, so that every pass can start over');
  return new Dataset(() => toAsyncIterator<T>(fn(), 'fromAsyncIterator'));
}

/** `Dataset.zip`: combines datasets into tuples (`zip([a, b])`) or records (`zip({x: a, y: b})`), ending with the shortest. */
export function zip<const D extends readonly Dataset<unknown>[]>(datasets: D): Dataset<{ -readonly [K in keyof D]: D[K] extends Dataset<infer E> ? E : never }>;
export function zip<D extends { readonly [key: string]: Dataset<unknown> }>(datasets: D): Dataset<{ -readonly [K in keyof D]: D[K] extends Dataset<infer E> ? E : never }>;
export function zip(datasets: readonly Dataset<unknown>[] | { readonly [key: string]: Dataset<unknown> }): Dataset<unknown> {
  return Dataset.zip(datasets as readonly Dataset<unknown>[]);
}
