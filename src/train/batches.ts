import { gather } from '../ops/gather.js';
import { slice } from '../ops/slicing.js';
import { fromValues } from '../tensor/creation.js';
import { DataError, ValueError } from '../tensor/errors.js';
import { randomFor } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

/** One batch as the training loop consumes it: model inputs, targets and optional per-sample weights. */
export interface Batch {
  xs: Tensor[];
  ys: Tensor[];
  sampleWeight: Tensor | null;
}

export type TensorOrList = Tensor | readonly Tensor[];

export function asList(t: TensorOrList, what: string): Tensor[] {
  const list = t instanceof Tensor ? [t] : [...t];
  for (const x of list) if (!(x instanceof Tensor)) throw new ValueError(`${what}: expected Tensors, got ${typeof x}`);
  return list;
}

/** Rows [start, end) of a tensor along its first axis. */
export function rowSlice(t: Tensor, start: number, end: number): Tensor {
  return slice(t, [start, ...t.shape.slice(1).map(() => 0)], [end - start, ...t.shape.slice(1).map(() => -1)]);
}

/** Checks that every input, target and weight tensor has the same number of samples. */
export function sampleCount(xs: readonly Tensor[], ys: readonly Tensor[], sampleWeight: Tensor | null, what: string): number {
  const all: [string, Tensor][] = [...xs.map((t, i): [string, Tensor] => [`input ${i}`, t]), ...ys.map((t, i): [string, Tensor] => [`target ${i}`, t])];
  if (sampleWeight !== null) all.push(['sampleWeight', sampleWeight]);
  const first = all[0];
  if (first === undefined) throw new ValueError(`${what}: no input data`);
  for (const [name, t] of all) {
    if (t.rank === 0) throw new DataError(`${what}: ${name} is a scalar; expected a batch of samples along the first axis`);
  }
  const n = first[1].shape[0]!;
  for (const [name, t] of all) {
    if (t.shape[0] !== n) {
      throw new DataError(`${what}: ${first[0]} has ${n} samples but ${name} has ${t.shape[0]} (shapes [${first[1].shape.join(', ')}] and [${t.shape.join(', ')}])`);
    }
  }
  return n;
}

/** Batches over in-memory arrays, optionally shuffled each epoch by the global seeded generator. */
export class ArrayBatches {
  readonly numSamples: number;

  constructor(
    readonly xs: Tensor[],
    readonly ys: Tensor[],
    readonly sampleWeight: Tensor | null,
    readonly batchSize: number,
  ) {
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new ValueError(`batchSize must be a positive integer, got ${batchSize}`);
    this.numSamples = sampleCount(xs, ys, sampleWeight, 'fit');
  }

  get steps(): number {
    return Math.ceil(this.numSamples / this.batchSize);
  }

  *epoch(shuffle: boolean): Generator<Batch> {
    const n = this.numSamples;
    let order: Int32Array | null = null;
    if (shuffle) {
      order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      const rng = randomFor(undefined);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.nextInt(0, i + 1);
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
    }
    for (let start = 0; start < n; start += this.batchSize) {
      const end = Math.min(start + this.batchSize, n);
      const idx = order === null ? null : fromValues(order.subarray(start, end), [end - start], 'int32');
      const take = (t: Tensor): Tensor => (idx === null ? rowSlice(t, start, end) : gather(t, idx));
      yield { xs: this.xs.map(take), ys: this.ys.map(take), sampleWeight: this.sampleWeight === null ? null : take(this.sampleWeight) };
    }
  }
}

/** Anything fit() accepts as a stream of batches: a nabla/tfjs-style Dataset, an async or sync iterable. */
export type BatchSource = AsyncIterable<unknown> | Iterable<unknown> | { iterator(): Promise<AsyncIterator<unknown> | Iterator<unknown>> };

function toBatch(element: unknown, index: number, what = 'fit'): Batch {
  const bad = (): never => {
    throw new DataError(`${what}: dataset element ${index} must be {xs, ys}, [x, y] or [x, y, sampleWeight] of Tensors, got ${describe(element)}`);
  };
  if (Array.isArray(element)) {
    if (element.length < 2 || element.length > 3) bad();
    const [x, y, w] = element as unknown[];
    return { xs: asList(x as TensorOrList, 'fit'), ys: asList(y as TensorOrList, 'fit'), sampleWeight: w instanceof Tensor ? w : null };
  }
  if (element !== null && typeof element === 'object' && 'xs' in element && 'ys' in element) {
    const e = element as { xs: TensorOrList; ys: TensorOrList; sampleWeight?: Tensor };
    return { xs: asList(e.xs, 'fit'), ys: asList(e.ys, 'fit'), sampleWeight: e.sampleWeight ?? null };
  }
  return bad();
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Tensor) return `a Tensor of shape [${v.shape.join(', ')}]`;
  if (typeof v === 'object') return `an object with keys ${Object.keys(v).join(', ') || '(none)'}`;
  return typeof v;
}

/** Iterates a batch source once; a source with iterator() (like a tfjs Dataset) starts a fresh pass each call. */
async function openIterator(source: BatchSource): Promise<AsyncIterator<unknown> | Iterator<unknown>> {
  if (typeof (source as { iterator?: unknown }).iterator === 'function') {
    return (source as { iterator(): Promise<AsyncIterator<unknown> | Iterator<unknown>> }).iterator();
  }
  if (Symbol.asyncIterator in (source as object)) return (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  if (Symbol.iterator in (source as object)) return (source as Iterable<unknown>)[Symbol.iterator]();
  throw new ValueError('expected Tensors, a Dataset, or an (async) iterable of batches');
}

export async function* iterateSource(source: BatchSource, maxSteps: number | null): AsyncGenerator<Batch> {
  const iterator = await openIterator(source);
  let i = 0;
  while (maxSteps === null || i < maxSteps) {
    const r = await iterator.next();
    if (r.done) return;
    yield toBatch(r.value, i);
    i++;
  }
}

/** Model inputs of each element of a source: `{xs}`, `{xs, ys}`, `[x, y(, w)]`, or the input tensor(s) themselves. */
export async function* iterateInputs(source: BatchSource, maxSteps: number | null): AsyncGenerator<Tensor[]> {
  const iterator = await openIterator(source);
  for (let i = 0; maxSteps === null || i < maxSteps; i++) {
    const r = await iterator.next();
    if (r.done) return;
    const v = r.value;
    // Plain input tensors and {xs}-only elements are prediction-only; anything else parses as a batch.
    if (v instanceof Tensor) yield [v];
    else if (v !== null && typeof v === 'object' && 'xs' in v && !('ys' in v)) yield asList((v as { xs: TensorOrList }).xs, 'predict');
    else yield toBatch(v, i, 'predict').xs;
  }
}

export function isBatchSource(v: unknown): v is BatchSource {
  if (v === null || typeof v !== 'object' || v instanceof Tensor || Array.isArray(v)) return false;
  return Symbol.asyncIterator in v || Symbol.iterator in v || typeof (v as { iterator?: unknown }).iterator === 'function';
}
