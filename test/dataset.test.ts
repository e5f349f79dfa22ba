import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as nb from '../src/index.js';
import { data, Dataset, fromArrays, fromAsyncIterator, fromGenerator, fromTensors, mapInWorkers, WorkerPool, zip } from '../src/data/index.js';
import { assertClose, assertThrowsWith } from './helpers.js';

const range = (n: number, start = 0): number[] => Array.from({ length: n }, (_, i) => start + i);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A dataset of 0..n-1 from a generator that counts how many elements were pulled and whether it was closed. */
function counted(n: number): { ds: Dataset<number>; stats: { pulled: number; passes: number; closed: number } } {
  const stats = { pulled: 0, passes: 0, closed: 0 };
  const ds = fromGenerator(function* () {
    stats.passes++;
    try {
      for (let i = 0; i < n; i++) {
        stats.pulled++;
        yield i;
      }
    } finally {
      stats.closed++;
    }
  });
  return { ds, stats };
}

async function rejectsWith(p: Promise<unknown>, type: new (...args: never[]) => Error, parts: string[]): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof type, `expected ${type.name}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    for (const part of parts) assert.ok((err as Error).message.includes(part), `message "${(err as Error).message}" lacks "${part}"`);
    return true;
  });
}

describe('Dataset sources', () => {
  it('fromArrays yields the elements in order, on every pass, with a known size', async () => {
    const ds = fromArrays(['a', 'b', 'c']);
    assert.equal(ds.size, 3);
    assert.deepEqual(await ds.toArray(), ['a', 'b', 'c']);
    assert.deepEqual(await ds.toArray(), ['a', 'b', 'c']);
    const it = await ds.iterator();
    assert.deepEqual(await it.next(), { done: false, value: 'a' });
    assertThrowsWith(() => fromArrays('abc' as unknown as string[]), nb.ValueError, ['fromArrays', 'string']);
  });

  it('fromTensors slices a Tensor, a tuple and a record along axis 0', async () => {
    const x = nb.tensor([[1, 2], [3, 4], [5, 6]]);
    const y = nb.tensor([0, 1, 2], undefined, 'int32');
    const rows = await fromTensors(x).toArray();
    assert.equal(rows.length, 3);
    assert.deepEqual([...rows[1]!.shape], [2]);
    assert.deepEqual(rows.map((r) => r.arraySync()), [[1, 2], [3, 4], [5, 6]]);
    const pairs = await fromTensors([x, y]).toArray();
    assert.deepEqual(pairs[2]!.map((t) => t.arraySync()), [[5, 6], 2]);
    assert.equal(pairs[2]![1].dtype, 'int32');
    assert.deepEqual([...pairs[2]![1].shape], []);
    const records = await fromTensors({ xs: x, ys: y, nested: { again: [x] } }).toArray();
    assert.deepEqual(records[1]!.xs.arraySync(), [3, 4]);
    assert.equal(records[1]!.ys.item(), 1);
    assert.deepEqual(records[1]!.nested.again[0].arraySync(), [3, 4]);
    assert.equal(fromTensors(x).size, 3);
  });

  it('fromTensors rejects mismatched rows, scalars and non-tensors', () => {
    assertThrowsWith(() => fromTensors({ xs: nb.zeros([3, 2]), ys: nb.zeros([4]) }), nb.ShapeError, ['ys', '4 rows', '[4]', 'has 3']);
    assertThrowsWith(() => fromTensors(nb.scalar(1)), nb.ValueError, ['scalar']);
    assertThrowsWith(() => fromTensors({ xs: nb.zeros([3]), ys: [1, 2, 3] as unknown as nb.Tensor }), nb.ValueError, ['ys', 'Tensor']);
  });

  it('fromGenerator calls the function once per pass; fromAsyncIterator likewise', async () => {
    const { ds, stats } = counted(4);
    assert.equal(ds.size, null);
    assert.deepEqual(await ds.toArray(), [0, 1, 2, 3]);
    assert.deepEqual(await ds.toArray(), [0, 1, 2, 3]);
    assert.equal(stats.passes, 2);
    let calls = 0;
    const asyncDs = fromAsyncIterator(async function* () {
      calls++;
      for (let i = 0; i < 3; i++) {
        await sleep(1);
        yield i * 10;
      }
    });
    assert.deepEqual(await asyncDs.toArray(), [0, 10, 20]);
    assert.deepEqual(await asyncDs.toArray(), [0, 10, 20]);
    assert.equal(calls, 2);
    // a function returning an iterable (an array) works too
    assert.deepEqual(await fromGenerator(() => [7, 8]).toArray(), [7, 8]);
  });

  it('fromGenerator rejects a generator object and a function that returns no iterator', async () => {
    assertThrowsWith(() => fromGenerator((function* () {})() as unknown as () => Iterator<number>), nb.ValueError, ['fromGenerator', 'function']);
    await rejectsWith(fromGenerator(() => 5 as unknown as Iterator<number>).toArray(), nb.ValueError, ['fromGenerator', 'iterator', 'number']);
  });
});

describe('Dataset transforms', () => {
  it('map applies sync and async functions in order', async () => {
    const ds = fromArrays([1, 2, 3]);
    assert.deepEqual(await ds.map((x) => x * 2).toArray(), [2, 4, 6]);
    assert.deepEqual(
      await ds
        .map(async (x) => {
          await sleep(4 - x);
          return `v${x}`;
        })
        .toArray(),
      ['v1', 'v2', 'v3'],
    );
    assert.equal(ds.map((x) => x).size, 3);
  });

  it('map with numParallelCalls keeps order and runs exactly that many calls at once', async () => {
    let active = 0;
    let maxActive = 0;
    const { ds, stats } = counted(40);
    let consumed = 0;
    let maxAhead = 0;
    const mapped = ds.map(
      async (x) => {
        active++;
        maxActive = Math.max(maxActive, active);
        maxAhead = Math.max(maxAhead, stats.pulled - consumed);
        await sleep(((x * 7) % 5) + 1);
        active--;
        return x * 10;
      },
      { numParallelCalls: 4 },
    );
    const out: number[] = [];
    for await (const v of mapped) {
      out.push(v);
      consumed++;
    }
    assert.deepEqual(out, range(40).map((x) => x * 10));
    assert.equal(maxActive, 4);
    assert.ok(maxAhead <= 4, `read ${maxAhead} elements ahead of the consumer`);
    assertThrowsWith(() => ds.map((x) => x, { numParallelCalls: 0 }), nb.ValueError, ['numParallelCalls', '0']);
  });

  it('a failing map call is reported after the elements before it, and closes the source', async () => {
    for (const numParallelCalls of [1, 3]) {
      const { ds, stats } = counted(100);
      const seen: number[] = [];
      const mapped = ds.map(
        async (x) => {
          if (x === 5) throw new nb.DataError(`bad element ${x}`);
          return x;
        },
        { numParallelCalls },
      );
      await rejectsWith(mapped.forEachAsync((x) => void seen.push(x)), nb.DataError, ['bad element 5']);
      assert.deepEqual(seen, [0, 1, 2, 3, 4]);
      assert.equal(stats.closed, 1);
      assert.ok(stats.pulled <= 5 + numParallelCalls);
    }
  });

  it('filter keeps matching elements (sync or async predicate); size becomes unknown', async () => {
    const ds = fromArrays(range(10));
    assert.deepEqual(await ds.filter((x) => x % 3 === 0).toArray(), [0, 3, 6, 9]);
    assert.deepEqual(await ds.filter(async (x) => x > 7).toArray(), [8, 9]);
    assert.equal(ds.filter(() => true).size, null);
  });

  it('batch stacks Tensors, numbers, booleans, tuples and records; the remainder is kept or dropped', async () => {
    const x = nb.arange(14).reshape([7, 2]);
    const ds = fromTensors({ xs: x }).map(({ xs }) => ({ xs, label: xs.values[0]! / 2, flag: xs.values[0]! > 4, name: `n${xs.values[0]}` }));
    const batches = await ds.batch(3).toArray();
    assert.equal(ds.batch(3).size, 3);
    assert.deepEqual(batches.map((b) => [...b.xs.shape]), [[3, 2], [3, 2], [1, 2]]);
    assert.deepEqual(batches[1]!.xs.arraySync(), [[6, 7], [8, 9], [10, 11]]);
    assert.equal(batches[1]!.label.dtype, 'float32');
    assert.deepEqual(batches[1]!.label.arraySync(), [3, 4, 5]);
    assert.equal(batches[0]!.flag.dtype, 'bool');
    assert.deepEqual(batches[0]!.flag.arraySync(), [false, false, false]);
    assert.deepEqual(batches[1]!.flag.arraySync(), [true, true, true]);
    assert.deepEqual(batches[2]!.name, ['n12']);
    const dropped = await ds.batch(3, { dropRemainder: true }).toArray();
    assert.equal(dropped.length, 2);
    assert.equal(ds.batch(3, { dropRemainder: true }).size, 2);
    const tuples = await fromTensors([x, nb.arange(7)]).batch(4).toArray();
    assert.deepEqual([...tuples[0]![0].shape], [4, 2]);
    assert.deepEqual(tuples[1]![1].arraySync(), [4, 5, 6]);
    assertThrowsWith(() => ds.batch(0), nb.ValueError, ['batchSize', '0']);
  });

  it('batching elements of different shapes is a ShapeError naming the element and both shapes', async () => {
    const ds = fromGenerator(function* () {
      for (let i = 0; i < 6; i++) yield { image: nb.zeros(i === 4 ? [3, 3] : [2, 2]) };
    });
    await rejectsWith(ds.batch(3).toArray(), nb.ShapeError, ['element 4', '[3, 3]', 'element 3', '[2, 2]', 'image']);
    await rejectsWith(fromArrays([nb.zeros([2]), nb.zeros([2], 'int32')]).batch(2).toArray(), nb.DTypeError, ['element 1', 'int32', 'float32']);
    await rejectsWith(fromArrays<unknown>([[nb.zeros([2]), 1], [nb.zeros([2])]]).batch(2).toArray(), nb.DataError, ['element 1', 'tuple of length 1', 'length 2']);
    await rejectsWith(fromArrays<unknown>([{ a: 1 }, { b: 1 }]).batch(2).toArray(), nb.DataError, ['element 1', '{b}', '{a}']);
  });

  it('unbatch splits batches back into rows', async () => {
    const x = nb.arange(10).reshape([5, 2]);
    const y = nb.arange(5);
    const rows = await fromTensors({ x, y }).batch(2).unbatch().toArray();
    assert.equal(rows.length, 5);
    assert.deepEqual(rows.map((r) => [r.x.arraySync(), r.y.item()]), [[[0, 1], 0], [[2, 3], 1], [[4, 5], 2], [[6, 7], 3], [[8, 9], 4]]);
    await rejectsWith(fromArrays([[nb.zeros([2, 1]), nb.zeros([3])]]).unbatch().toArray(), nb.ShapeError, ['element 0', '3 rows', '[1]', 'but 2']);
    await rejectsWith(fromArrays([{ a: 'text' }]).unbatch().toArray(), nb.ValueError, ['element 0', 'string', 'at a']);
  });

  it('shuffle yields a permutation, reproducible under a seed and different on every pass', async () => {
    const base = fromArrays(range(50));
    const a = base.shuffle(50, { seed: 7 });
    const b = base.shuffle(50, 7);
    const a1 = await a.toArray();
    const a2 = await a.toArray();
    const b1 = await b.toArray();
    const b2 = await b.toArray();
    assert.deepEqual([...a1].sort((p, q) => p - q), range(50));
    assert.notDeepEqual(a1, range(50));
    assert.deepEqual(a1, b1, 'same seed, same first order');
    assert.deepEqual(a2, b2, 'same seed, same second order');
    assert.notDeepEqual(a1, a2, 'each pass reshuffles');
    const fixed = base.shuffle(50, { seed: 7, reshuffleEachIteration: false });
    assert.deepEqual(await fixed.toArray(), await fixed.toArray());
    assert.notDeepEqual(await base.shuffle(50, { seed: 8 }).toArray(), a1);
    // no seed: drawn from the global generator, so nb.setSeed makes it reproducible
    nb.setSeed(3);
    const g1 = await base.shuffle(50).toArray();
    nb.setSeed(3);
    assert.deepEqual(await base.shuffle(50).toArray(), g1);
  });

  it('shuffle draws from a bounded buffer: output i comes from the first i + bufferSize source elements', async () => {
    const out = await fromArrays(range(200)).shuffle(10, { seed: 1 }).toArray();
    assert.deepEqual([...out].sort((p, q) => p - q), range(200));
    out.forEach((v, i) => assert.ok(v < i + 10, `output ${i} is source element ${v}`));
    assert.deepEqual(await fromArrays(range(20)).shuffle(1, { seed: 1 }).toArray(), range(20));
    assertThrowsWith(() => fromArrays([1]).shuffle(0), nb.ValueError, ['shuffle', 'bufferSize', '0']);
    assertThrowsWith(() => fromArrays([1]).shuffle(-5), nb.ValueError, ['bufferSize', '-5']);
  });

  it('repeat repeats a finite number of times or forever; shuffle before repeat reshuffles per repetition', async () => {
    const ds = fromArrays([1, 2, 3]);
    assert.deepEqual(await ds.repeat(3).toArray(), [1, 2, 3, 1, 2, 3, 1, 2, 3]);
    assert.equal(ds.repeat(3).size, 9);
    assert.equal(ds.repeat().size, Infinity);
    assert.deepEqual(await ds.repeat().take(7).toArray(), [1, 2, 3, 1, 2, 3, 1]);
    assert.deepEqual(await ds.repeat(0).toArray(), []);
    assert.deepEqual(await fromArrays([]).repeat().toArray(), [], 'an empty dataset repeated forever ends');
    await rejectsWith(ds.repeat().toArray(), nb.ValueError, ['infinite']);
    const twice = await fromArrays(range(20)).shuffle(20, { seed: 2 }).repeat(2).toArray();
    assert.notDeepEqual(twice.slice(0, 20), twice.slice(20));
    assert.deepEqual([...twice.slice(20)].sort((p, q) => p - q), range(20));
    assertThrowsWith(() => ds.repeat(1.5), nb.ValueError, ['repeat', '1.5']);
  });

  it('take and skip select elements and read no further than needed', async () => {
    const { ds, stats } = counted(100);
    assert.deepEqual(await ds.take(3).toArray(), [0, 1, 2]);
    assert.equal(stats.pulled, 3);
    assert.equal(stats.closed, 1, 'take closes its source');
    assert.deepEqual(await ds.skip(97).toArray(), [97, 98, 99]);
    assert.deepEqual(await ds.skip(2).take(2).toArray(), [2, 3]);
    assert.deepEqual(await fromArrays([1, 2]).take(-1).toArray(), [1, 2]);
    assert.deepEqual(await fromArrays([1, 2]).skip(-1).toArray(), []);
    stats.pulled = 0;
    assert.deepEqual(await ds.take(0).toArray(), []);
    assert.equal(stats.pulled, 0);
    assert.equal(fromArrays(range(10)).take(4).size, 4);
    assert.equal(fromArrays(range(10)).skip(4).size, 6);
    assertThrowsWith(() => ds.take(-2), nb.ValueError, ['take', '-2']);
  });

  it('zip pairs elements into tuples or records and ends with the shortest, closing the others', async () => {
    const a = fromArrays([1, 2, 3]);
    const { ds: b, stats } = counted(100);
    const tuples = await Dataset.zip([a, b.map((x) => `s${x}`)]).toArray();
    assert.deepEqual(tuples, [[1, 's0'], [2, 's1'], [3, 's2']]);
    assert.equal(stats.closed, 1);
    assert.ok(stats.pulled <= 4);
    const records = await data.zip({ x: a, y: fromArrays(['a', 'b']) }).toArray();
    assert.deepEqual(records, [{ x: 1, y: 'a' }, { x: 2, y: 'b' }]);
    assert.equal(zip([a, fromArrays([0, 0])]).size, 2);
    assertThrowsWith(() => zip([a, [1, 2] as unknown as Dataset<number>]), nb.ValueError, ['entry 1', 'not a Dataset']);
  });

  it('concatenate appends one dataset to another', async () => {
    const ds = fromArrays([1, 2]).concatenate(fromArrays(['x']));
    assert.deepEqual(await ds.toArray(), [1, 2, 'x']);
    assert.equal(ds.size, 3);
  });

  it('prefetch keeps order, reads ahead in the background, but never more than its buffer', async () => {
    const { ds, stats } = counted(1000);
    const it = ds.prefetch(5)[Symbol.asyncIterator]();
    assert.equal(stats.pulled, 0, 'nothing is read before the first next()');
    assert.deepEqual(await it.next(), { done: false, value: 0 });
    assert.deepEqual(await it.next(), { done: false, value: 1 });
    await sleep(20);
    assert.equal(stats.pulled, 2 + 5);
    await it.return!();
    assert.equal(stats.closed, 1);
    assert.deepEqual(await fromArrays(range(30)).prefetch(3).toArray(), range(30));
  });

  it('prefetch delivers a source error after the elements that preceded it', async () => {
    const ds = fromGenerator(function* () {
      yield 1;
      yield 2;
      throw new nb.DataError('source broke');
    }).prefetch(4);
    const seen: number[] = [];
    await rejectsWith(ds.forEachAsync((x) => void seen.push(x)), nb.DataError, ['source broke']);
    assert.deepEqual(seen, [1, 2]);
  });

  it('cache runs the source once; an abandoned first pass caches nothing', async () => {
    const { ds, stats } = counted(5);
    let mapCalls = 0;
    const cached = ds
      .map((x) => {
        mapCalls++;
        return x * x;
      })
      .cache();
    for await (const x of cached) if (x >= 4) break;
    assert.equal(stats.passes, 1);
    assert.deepEqual(await cached.toArray(), [0, 1, 4, 9, 16]);
    assert.deepEqual(await cached.toArray(), [0, 1, 4, 9, 16]);
    assert.deepEqual(await cached.repeat(2).toArray(), [0, 1, 4, 9, 16, 0, 1, 4, 9, 16]);
    assert.equal(stats.passes, 2, 'one abandoned pass, one complete pass, then memory');
    assert.equal(mapCalls, 3 + 5);
    assertThrowsWith(() => ds.repeat().cache(), nb.ValueError, ['cache', 'infinite']);
  });

  it('forEachAsync visits every element in order and awaits the callback', async () => {
    const seen: number[] = [];
    await fromArrays([3, 1, 2]).forEachAsync(async (x) => {
      await sleep(1);
      seen.push(x);
    });
    assert.deepEqual(seen, [3, 1, 2]);
  });

  it('memory is bounded: 100,000 elements through shuffle(100), batch(32), prefetch(2), take(5) pull a few hundred', async () => {
    const { ds, stats } = counted(100_000);
    const batches = await ds.shuffle(100, { seed: 4 }).batch(32).prefetch(2).take(5).toArray();
    assert.equal(batches.length, 5);
    for (const b of batches) assert.deepEqual([...b.shape], [32]);
    await sleep(10);
    assert.ok(stats.pulled <= 100 + 5 * 32 + 2 * 32, `pulled ${stats.pulled} source elements`);
    assert.ok(stats.pulled >= 100 + 4 * 32, `pulled ${stats.pulled}`);
    assert.equal(stats.closed, 1, 'the generator was closed');
  });

  it('breaking out of a pipeline closes every stage down to the source', async () => {
    const { ds, stats } = counted(10_000);
    const pipeline = ds
      .map(async (x) => x + 1, { numParallelCalls: 3 })
      .shuffle(8, { seed: 1 })
      .batch(4)
      .prefetch(2);
    let n = 0;
    for await (const b of pipeline) {
      assert.deepEqual([...b.shape], [4]);
      if (++n === 3) break;
    }
    await sleep(10);
    assert.equal(stats.closed, 1);
    assert.ok(stats.pulled < 60, `pulled ${stats.pulled}`);
  });

  it('the data namespace exposes the sources and zip', () => {
    assert.equal(data.Dataset, Dataset);
    assert.equal(data.fromArrays, fromArrays);
    assert.equal(data.fromTensors, fromTensors);
    assert.equal(data.fromGenerator, fromGenerator);
    assert.equal(data.fromAsyncIterator, fromAsyncIterator);
    assert.equal(typeof data.zip, 'function');
    assert.equal(data.mapInWorkers, mapInWorkers);
    assert.equal(data.array, fromArrays, 'tfjs name');
    assert.equal(data.generator, fromGenerator, 'tfjs name');
  });

  it('mapAsync (the tfjs name) maps with an async function', async () => {
    assert.deepEqual(await data.array([1, 2]).mapAsync(async (x) => x + 1).toArray(), [2, 3]);
  });
});

describe('Dataset with model.fit and evaluate', () => {
  /** Two Gaussian blobs, labels 0/1. */
  function blobs(n: number, seed: number): { x: nb.Tensor; y: nb.Tensor } {
    const x = nb.randomNormal([n, 2], 0, 1, { seed });
    const labels = nb.cast(nb.arange(n).mod(2), 'float32');
    return { x: nb.add(x, nb.sub(nb.mul(labels, 4), 2).reshape([n, 1])), y: labels.reshape([n, 1]) };
  }

  function makeModel(): nb.Sequential {
    const model = nb.sequential([nb.layers.dense({ units: 8, activation: 'relu', inputShape: [2] }), nb.layers.dense({ units: 1, activation: 'sigmoid' })]);
    model.compile({ optimizer: nb.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    return model;
  }

  it('fit trains on a shuffled, batched dataset of records and evaluate agrees with array evaluation', async () => {
    nb.setSeed(5);
    const { x, y } = blobs(256, 1);
    const model = makeModel();
    const train = fromTensors({ xs: x, ys: y }).shuffle(256, { seed: 2 }).batch(32).prefetch(2);
    let batchesSeen = 0;
    const history = await model.fit(train, {
      epochs: 6,
      verbose: 0,
      validationData: fromTensors([x, y]).batch(64),
      callbacks: new nb.LambdaCallback({ onBatchEnd: () => void batchesSeen++ }),
    });
    assert.equal(batchesSeen, 6 * 8, 'each epoch is a fresh pass of 8 batches');
    const losses = history.history['loss']!;
    assert.equal(losses.length, 6);
    assert.ok(losses[5]! < losses[0]!, `loss went from ${losses[0]} to ${losses[5]}`);
    const [loss, acc] = (await model.evaluate(fromTensors([x, y]).batch(50))) as number[];
    assert.ok(acc! > 0.95, `accuracy ${acc}`);
    const [arrayLoss, arrayAcc] = (await model.evaluate(x, y, { batchSize: 64 })) as number[];
    assertClose(loss!, arrayLoss!, { atol: 1e-5 });
    assertClose(acc!, arrayAcc!, { atol: 1e-6 });
    assertClose(history.history['val_loss']!.at(-1)!, arrayLoss!, { atol: 1e-5 });
  });

  it('fit takes stepsPerEpoch batches from an infinite dataset built from a generator', async () => {
    nb.setSeed(6);
    const { x, y } = blobs(64, 3);
    const model = makeModel();
    const train = fromTensors([x, y]).repeat().shuffle(64, { seed: 1 }).batch(16);
    const history = await model.fit(train, { epochs: 2, stepsPerEpoch: 3, verbose: 0 });
    assert.equal(history.history['loss']!.length, 2);
    assert.ok(Number.isFinite(history.history['loss']![1]!));
  });
});

const fixture = fileURLToPath(new URL('./fixtures/worker-map.ts', import.meta.url));

describe('mapInWorkers and WorkerPool', () => {
  it('maps in worker threads, keeping order, and spreads work over the workers', async () => {
    const ds = fromArrays(range(12)).apply(mapInWorkers<number, { value: number; thread: number }>(fixture, 'square', { workers: 2 }));
    assert.equal(ds.size, 12);
    const out = await ds.toArray();
    assert.deepEqual(out.map((o) => o.value), range(12).map((x) => x * x));
    const threads = new Set(out.map((o) => o.thread));
    assert.equal(threads.size, 2, `threads used: ${[...threads].join(', ')}`);
    assert.ok(!threads.has(0), 'not the main thread');
  });

  it('moves typed arrays and Tensors across threads and preserves order under uneven delays', async () => {
    const inputs = range(10).map((i) => ({ id: i, data: Float32Array.from(range(4), (k) => i + k), delayMs: (i * 13) % 7 }));
    const ds = fromArrays(inputs).apply(mapInWorkers<(typeof inputs)[number], { id: number; total: nb.Tensor; doubled: Float32Array }>(new URL('./fixtures/worker-map.ts', import.meta.url), 'summarize', { workers: 3, maxInFlight: 4 }));
    const out = await ds.toArray();
    assert.deepEqual(out.map((o) => o.id), range(10));
    for (const o of out) {
      assert.ok(o.total instanceof nb.Tensor, 'a Tensor again in the main thread');
      assert.equal(o.total.item(), 4 * o.id + 6);
      assert.ok(o.doubled instanceof Float32Array);
      assert.deepEqual([...o.doubled], range(4).map((k) => 2 * (o.id + k)));
    }
    // inputs were copied, not moved (transferInputs is off by default)
    assert.equal(inputs[0]!.data.length, 4);
    const doubled = await fromTensors(nb.arange(6).reshape([3, 2])).apply(mapInWorkers<nb.Tensor, nb.Tensor>(fixture, 'doubleTensor', { workers: 1 })).toArray();
    assert.deepEqual(doubled.map((t) => t.arraySync()), [[0, 2], [4, 6], [8, 10]]);
    assert.equal(doubled[0]!.add(1).values[1], 3, 'results have the chainable methods');
  });

  it('WorkerPool.run can transfer inputs, which detaches them in the main thread', async () => {
    const pool = new WorkerPool(fixture, 'summarize', { workers: 1, transferInputs: true });
    try {
      const data = Float32Array.of(1, 2, 3);
      const out = await pool.run<{ total: nb.Tensor }>({ id: 0, data, delayMs: 0 });
      assert.equal(out.total.item(), 6);
      assert.equal(data.length, 0, 'the buffer was moved to the worker');
      assert.equal(pool.liveWorkers, 1);
    } finally {
      await pool.close();
    }
    await rejectsWith(pool.run(1), nb.ValueError, ['closed']);
  });

  it('reports a function that throws, a missing export and a missing module', async () => {
    const failing = fromArrays([1, 2, -3, 4]).apply(mapInWorkers<number, number>(fixture, 'failOnNegative', { workers: 2 }));
    const seen: number[] = [];
    await rejectsWith(failing.forEachAsync((x) => void seen.push(x)), RangeError, ['failOnNegative', 'negative input -3']);
    assert.deepEqual(seen, [1, 2]);
    await rejectsWith(fromArrays([1]).apply(mapInWorkers(fixture, 'notAFunction', { workers: 1 })).toArray(), TypeError, ['cannot load notAFunction', 'no function named', 'square']);
    await rejectsWith(fromArrays([1]).apply(mapInWorkers('test/fixtures/does-not-exist.js', 'f', { workers: 1 })).toArray(), Error, ['cannot load f', 'does-not-exist']);
    assertThrowsWith(() => mapInWorkers(((x: number) => x) as unknown as string, 'f'), nb.ValueError, ['module', 'closures']);
    assertThrowsWith(() => mapInWorkers(fixture, 'square', { workers: 0 }), nb.ValueError, ['workers', '0']);
  });

  it('the process exits after full, broken-off and abandoned iterations (no lingering workers)', { timeout: 60_000 }, async () => {
    const script = fileURLToPath(new URL('./fixtures/worker-exit.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    clearTimeout(timer);
    assert.equal(signal, null, `the child hung and was killed; stdout: ${stdout} stderr: ${stderr}`);
    assert.equal(code, 0, `stderr: ${stderr}`);
    assert.deepEqual(stdout.trim().split('\n'), ['full 0,1,4,9,16,25', 'broken 0,1', 'abandoned 0', 'end of script']);
  });
});
