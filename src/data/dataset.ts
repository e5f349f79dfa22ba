// The Dataset pipeline (tf.data for nabla): a lazy, re-iterable, async stream of elements with
// chainable transforms. Nothing is read until a pass starts, each pass pulls from its source anew,
// and memory is bounded by the buffers a pipeline asks for (shuffle, prefetch, parallel map, batch).
import { ValueError } from '../tensor/errors.js';
import { Random, randomFor } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { closeIterator, OrderedMapIterator, PrefetchIterator } from './async-iterators.js';
import { batchStructures, isRecord, unbatchStructure } from './structure.js';

/** What `batch()` makes of an element type: Tensors and numbers become Tensors, tuples and records are batched field by field, other values are collected into arrays. */
export type Batched<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean
    ? Tensor
    : T extends ArrayBufferView | string | null | undefined
      ? T[]
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Batched<T[K]> }
        : T extends object
          ? { [K in keyof T]: Batched<T[K]> }
          : T[];

/** What `unbatch()` makes of a batched element type: each Tensor becomes one of its rows; tuples and records keep their structure. */
export type Unbatched<T> = T extends Tensor
  ? Tensor
  : T extends readonly unknown[]
    ? { -readonly [K in keyof T]: Unbatched<T[K]> }
    : T extends object
      ? { [K in keyof T]: Unbatched<T[K]> }
      : never;

export interface MapOptions {
  /** How many calls of the (async) map function may run at once (default 1). Results keep the source order. */
  numParallelCalls?: number;
}

export interface BatchOptions {
  /** Drop a last batch that has fewer than `batchSize` elements (default false). */
  dropRemainder?: boolean;
}

export interface ShuffleOptions {
  /** Seed of the shuffle; by default one is drawn from the global generator (see `setSeed`). */
  seed?: number;
  /** Shuffle differently on every pass (default true); with false, every pass has the same order. */
  reshuffleEachIteration?: boolean;
}

function checkCount(n: unknown, what: string, allowAll: boolean): number {
  if (n === Infinity || (allowAll && n === -1)) return Infinity;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new ValueError(`${what}: count must be a non-negative integer${allowAll ? ' (or -1 for all)' : ''}, got ${String(n)}`);
  }
  return n;
}

function checkPositive(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) throw new ValueError(`${what} must be a positive integer, got ${String(n)}`);
  return n;
}

/**
 * A lazy sequence of elements, iterated with `for await` (or `iterator()`, like TensorFlow.js).
 * Every pass starts over from the source; transforms return new datasets and never run until
 * iterated. Elements are typically Tensors, tuples `[x, y]` or records `{xs, ys}` of Tensors, which
 * `model.fit` and `model.evaluate` accept directly once batched.
 *
 * Memory: each transform holds at most what it is asked to buffer (shuffle's buffer, prefetch's
 * look-ahead, a parallel map's calls in flight, one batch), so a pipeline over 100,000 images never
 * holds them all; only `cache()` and `toArray()` keep a whole pass.
 */
export class Dataset<T> implements AsyncIterable<T> {
  /** Elements per pass: a count, Infinity, or null when it is unknown (after filter, from a generator, …). */
  readonly size: number | null;

  /** A dataset whose every pass calls `source()` for a fresh iterator; `size` is the element count if known. */
  constructor(
    private readonly source: () => AsyncIterator<T>,
    size: number | null = null,
  ) {
    this.size = size;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.source();
  }

  /** A fresh iterator over one pass (TensorFlow.js' `dataset.iterator()`). */
  async iterator(): Promise<AsyncIterator<T>> {
    return this.source();
  }

  /** A dataset built from this one by `fn` (Keras' `dataset.apply`), e.g. `ds.apply(mapInWorkers(...))`. */
  apply<U>(transform: (dataset: Dataset<T>) => Dataset<U>): Dataset<U> {
    return transform(this);
  }

  /**
   * Applies `fn` (which may be async) to every element. With `numParallelCalls` > 1, up to that many
   * calls run at once (useful for I/O-bound or async work) and results keep the source order. JS
   * closures cannot cross threads: for CPU-heavy work in parallel, use `mapInWorkers` with a module path.
   */
  map<U>(fn: (element: T) => U | Promise<U>, options: MapOptions = {}): Dataset<Awaited<U>> {
    const parallel = checkPositive(options.numParallelCalls ?? 1, 'map: numParallelCalls');
    if (parallel > 1) {
      return new Dataset(() => new OrderedMapIterator<T, Awaited<U>>(this.source(), fn as (x: T) => Promise<Awaited<U>>, parallel), this.size);
    }
    const src = this;
    return new Dataset(async function* () {
      for await (const x of src) yield await fn(x);
    }, this.size);
  }

  /** TensorFlow.js' name for an async `map` (which already accepts async functions). */
  mapAsync<U>(fn: (element: T) => Promise<U>, options: MapOptions = {}): Dataset<Awaited<U>> {
    return this.map(fn, options);
  }

  /** Keeps the elements for which `predicate` (which may be async) returns true. */
  filter(predicate: (element: T) => boolean | Promise<boolean>): Dataset<T> {
    const src = this;
    return new Dataset(
      async function* () {
        for await (const x of src) if (await predicate(x)) yield x;
      },
      this.size === 0 ? 0 : null,
    );
  }

  /**
   * Groups consecutive elements into batches of `batchSize`: Tensors are stacked along a new first
   * axis (they must share shape and dtype, else ShapeError/DTypeError naming the element), numbers
   * become float32 and booleans bool tensors of shape [n], tuples and records are batched field by
   * field, other values (strings, …) are collected into arrays. The last batch may be smaller
   * unless `dropRemainder`.
   */
  batch(batchSize: number, options: BatchOptions = {}): Dataset<Batched<T>> {
    checkPositive(batchSize, 'batch: batchSize');
    const drop = options.dropRemainder ?? false;
    const src = this;
    const size = this.size === null || this.size === Infinity ? this.size : drop ? Math.floor(this.size / batchSize) : Math.ceil(this.size / batchSize);
    return new Dataset(async function* () {
      let pending: T[] = [];
      let index = 0;
      for await (const x of src) {
        pending.push(x);
        if (pending.length === batchSize) {
          const b = batchStructures(pending, index) as Batched<T>;
          index += batchSize;
          pending = [];
          yield b;
        }
      }
      if (pending.length > 0 && !drop) yield batchStructures(pending, index) as Batched<T>;
    }, size);
  }

  /** Splits each batched element (Tensors, or tuples/records of Tensors) back into its rows. */
  unbatch(): Dataset<Unbatched<T>> {
    const src = this;
    return new Dataset(
      async function* () {
        let index = 0;
        for await (const x of src) yield* unbatchStructure(x, index++) as Unbatched<T>[];
      },
      this.size === 0 ? 0 : this.size === Infinity ? Infinity : null,
    );
  }

  /**
   * Shuffles with a buffer of `bufferSize` elements, as tf.data does: the buffer is filled from the
   * source and each output is drawn at random from it, its place taken by the next source element. A
   * buffer at least as large as the dataset gives a uniform shuffle. Seeded: the same seed gives the
   * same sequence of orders; by default each pass (each epoch) is shuffled differently.
   */
  shuffle(bufferSize: number, seedOrOptions: number | ShuffleOptions = {}): Dataset<T> {
    if (typeof bufferSize !== 'number' || !Number.isInteger(bufferSize) || bufferSize <= 0) {
      throw new ValueError(`shuffle: bufferSize must be a positive integer, got ${String(bufferSize)}`);
    }
    const options = typeof seedOrOptions === 'number' ? { seed: seedOrOptions } : seedOrOptions;
    if (options.seed !== undefined && !Number.isFinite(options.seed)) throw new ValueError(`shuffle: seed must be a finite number, got ${options.seed}`);
    const baseSeed = options.seed ?? randomFor(undefined).nextUint32();
    const reshuffle = options.reshuffleEachIteration ?? true;
    const seeds = new Random(baseSeed);
    const src = this;
    return new Dataset(() => {
      const random = new Random(reshuffle ? seeds.nextUint32() : baseSeed);
      return (async function* () {
        const it = src.source();
        const buffer: T[] = [];
        let exhausted = false;
        try {
          for (;;) {
            while (!exhausted && buffer.length < bufferSize) {
              const r = await it.next();
              if (r.done) exhausted = true;
              else buffer.push(r.value);
            }
            if (buffer.length === 0) return;
            const j = random.nextInt(0, buffer.length);
            const x = buffer[j]!;
            buffer[j] = buffer[buffer.length - 1]!;
            buffer.pop();
            yield x;
          }
        } finally {
          if (!exhausted) await closeIterator(it);
        }
      })();
    }, this.size);
  }

  /**
   * Repeats the dataset `count` times, forever when omitted (or -1). Each repetition is a new pass,
   * so a shuffle before repeat reshuffles. A pass that yields nothing ends the repetition.
   */
  repeat(count?: number): Dataset<T> {
    const times = count === undefined ? Infinity : checkCount(count, 'repeat', true);
    const src = this;
    const size = this.size === 0 || times === 0 ? 0 : this.size === null ? (times === Infinity ? Infinity : null) : this.size * times;
    return new Dataset(async function* () {
      for (let pass = 0; pass < times; pass++) {
        let any = false;
        for await (const x of src) {
          any = true;
          yield x;
        }
        if (!any) return;
      }
    }, size);
  }

  /** The first `count` elements (all of them for -1); reads nothing past them. */
  take(count: number): Dataset<T> {
    const n = checkCount(count, 'take', true);
    const src = this;
    const size = this.size === null ? (n === 0 ? 0 : null) : Math.min(this.size, n);
    return new Dataset(async function* () {
      if (n === 0) return;
      let i = 0;
      for await (const x of src) {
        yield x;
        if (++i >= n) return;
      }
    }, size);
  }

  /** All but the first `count` elements (none for -1). */
  skip(count: number): Dataset<T> {
    const n = checkCount(count, 'skip', true);
    const src = this;
    const size = this.size === null ? null : this.size === Infinity ? (n === Infinity ? 0 : Infinity) : Math.max(0, this.size - n);
    return new Dataset(async function* () {
      if (n === Infinity) return;
      let i = 0;
      for await (const x of src) if (i++ >= n) yield x;
    }, size);
  }

  /** This dataset's elements followed by `other`'s. */
  concatenate<U>(other: Dataset<U>): Dataset<T | U> {
    if (!(other instanceof Dataset)) throw new ValueError('concatenate: expected a Dataset');
    const src = this;
    const size = this.size === null || other.size === null ? null : this.size + other.size;
    return new Dataset<T | U>(async function* () {
      yield* src;
      yield* other;
    }, size);
  }

  /**
   * Reads up to `bufferSize` elements ahead of the consumer in the background, so the source's work
   * (decoding, augmentation) overlaps with the consumer's (a training step).
   */
  prefetch(bufferSize: number): Dataset<T> {
    const n = checkPositive(bufferSize, 'prefetch: bufferSize');
    return new Dataset(() => new PrefetchIterator(this.source(), n), this.size);
  }

  /**
   * Keeps the elements in memory after the first complete pass; later passes replay them without
   * running the source (and the transforms before cache) again. An abandoned pass caches nothing.
   */
  cache(): Dataset<T> {
    if (this.size === Infinity) throw new ValueError('cache: the dataset is infinite (repeat() without a count?); cache before repeat');
    let cached: T[] | null = null;
    const src = this;
    return new Dataset(() => {
      if (cached !== null) {
        const elements = cached;
        return (async function* () {
          yield* elements;
        })();
      }
      return (async function* () {
        const elements: T[] = [];
        for await (const x of src) {
          elements.push(x);
          yield x;
        }
        cached ??= elements;
      })();
    }, this.size);
  }

  /** Runs `fn` (which may be async) on every element of one pass, in order. */
  async forEachAsync(fn: (element: T) => void | Promise<void>): Promise<void> {
    for await (const x of this) await fn(x);
  }

  /** All elements of one pass, in an array; for finite datasets. */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity) throw new ValueError('toArray: the dataset is infinite; use take(n) first');
    const out: T[] = [];
    for await (const x of this) out.push(x);
    return out;
  }

  /**
   * Combines datasets element by element into tuples (`zip([a, b])`) or records (`zip({x: a, y: b})`);
   * it ends with the shortest dataset.
   */
  static zip<const D extends readonly Dataset<unknown>[]>(datasets: D): Dataset<{ -readonly [K in keyof D]: D[K] extends Dataset<infer E> ? E : never }>;
  static zip<D extends { readonly [key: string]: Dataset<unknown> }>(datasets: D): Dataset<{ -readonly [K in keyof D]: D[K] extends Dataset<infer E> ? E : never }>;
  static zip(datasets: readonly Dataset<unknown>[] | { readonly [key: string]: Dataset<unknown> }): Dataset<unknown> {
    const isTuple = Array.isArray(datasets);
    if (!isTuple && !isRecord(datasets)) throw new ValueError('zip: expected an array or a record of Datasets');
    const keys = isTuple ? null : Object.keys(datasets);
    const list: Dataset<unknown>[] = isTuple ? [...(datasets as readonly Dataset<unknown>[])] : Object.values(datasets);
    if (list.length === 0) throw new ValueError('zip: expected at least one Dataset');
    list.forEach((d, i) => {
      if (!(d instanceof Dataset)) throw new ValueError(`zip: ${keys === null ? `entry ${i}` : `key '${keys[i]}'`} is not a Dataset`);
    });
    const sizes = list.map((d) => d.size);
    const size = sizes.includes(0) ? 0 : sizes.every((s) => s !== null) ? Math.min(...(sizes as number[])) : null;
    return new Dataset(async function* () {
      const its = list.map((d) => d[Symbol.asyncIterator]());
      const open = new Set(its);
      try {
        for (;;) {
          const results = await Promise.allSettled(its.map((it) => it.next()));
          results.forEach((r, i) => {
            if (r.status === 'rejected' || r.value.done) open.delete(its[i]!);
          });
          const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          if (failed !== undefined) throw failed.reason;
          const values = results.map((r) => (r as PromiseFulfilledResult<IteratorResult<unknown>>).value);
          if (values.some((r) => r.done)) return;
          const elements = values.map((r) => r.value);
          yield keys === null ? elements : Object.fromEntries(keys.map((k, i) => [k, elements[i]]));
        }
      } finally {
        await Promise.all([...open].map(closeIterator));
      }
    }, size);
  }
}
