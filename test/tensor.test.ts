import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { assertClose, assertThrowsWith } from './helpers.js';

describe('tensor creation and access', () => {
  it('infers shape and dtype from nested arrays', () => {
    const t = nb.tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual([...t.shape], [2, 3]);
    assert.equal(t.dtype, 'float32');
    assert.equal(t.rank, 2);
    assert.equal(t.size, 6);
    assert.deepEqual(t.arraySync(), [[1, 2, 3], [4, 5, 6]]);
    assert.equal(nb.tensor([true, false]).dtype, 'bool');
    assert.equal(nb.tensor(new Int32Array([1, 2])).dtype, 'int32');
    assert.equal(nb.tensor([1.5], undefined, 'float64').dtype, 'float64');
  });

  it('accepts a flat array with a shape and rejects a wrong size', () => {
    assert.deepEqual(nb.tensor([1, 2, 3, 4], [2, 2]).arraySync(), [[1, 2], [3, 4]]);
    assertThrowsWith(() => nb.tensor([1, 2, 3], [2, 2]), nb.DataError, ['3 values', '[2, 2]']);
    assertThrowsWith(() => nb.tensor([[1, 2], [3]]), nb.DataError, ['ragged']);
  });

  it('rejects negative or non-integer dimensions', () => {
    assertThrowsWith(() => nb.zeros([2, -1]), nb.ShapeError, ['[2, -1]']);
    assertThrowsWith(() => nb.ones([1.5]), nb.ShapeError, ['[1.5]']);
  });

  it('data(), dataSync(), array() and item()', async () => {
    const t = nb.tensor([1, 2, 3]);
    const copy = t.dataSync();
    copy[0] = 100;
    assert.equal(t.values[0], 1, 'dataSync returns a copy');
    assert.deepEqual(Array.from(await t.data()), [1, 2, 3]);
    assert.deepEqual(await t.array(), [1, 2, 3]);
    assert.equal(nb.scalar(4).item(), 4);
    assert.throws(() => t.item(), nb.DTypeError);
  });

  it('creation helpers', () => {
    assert.deepEqual(nb.zeros([2]).arraySync(), [0, 0]);
    assert.deepEqual(nb.ones([2], 'int32').arraySync(), [1, 1]);
    assert.deepEqual(nb.full([2], 7).arraySync(), [7, 7]);
    assert.deepEqual(nb.zerosLike(nb.ones([1, 2])).arraySync(), [[0, 0]]);
    assert.deepEqual(nb.onesLike(nb.zeros([2], 'int32')).arraySync(), [1, 1]);
    assert.deepEqual(nb.arange(5).arraySync(), [0, 1, 2, 3, 4]);
    assert.equal(nb.arange(5).dtype, 'int32');
    assert.deepEqual(nb.arange(1, 2, 0.25).arraySync(), [1, 1.25, 1.5, 1.75]);
    assert.deepEqual(nb.arange(3, 0, -1).arraySync(), [3, 2, 1]);
    assertClose(nb.linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(nb.eye(2, 3).arraySync(), [[1, 0, 0], [0, 1, 0]]);
    assert.equal(nb.scalar(3).rank, 0);
  });

  it('toString is readable and elides long dimensions', () => {
    const s = nb.tensor([[1, 2], [3, 4]]).toString();
    assert.match(s, /shape=\[2, 2\], dtype=float32/);
    assert.match(s, /\[\[1, 2\],\n \[3, 4\]\]/);
    assert.match(nb.arange(100).toString(), /\[0, 1, 2, \.\.\., 97, 98, 99\]/);
  });

  it('cast, clone and detach', () => {
    const t = nb.tensor([1.7, -1.7, 0]);
    assert.deepEqual(nb.cast(t, 'int32').arraySync(), [1, -1, 0]);
    assert.deepEqual(nb.cast(t, 'bool').arraySync(), [true, true, false]);
    const c = nb.clone(t);
    assert.notEqual(c.values, t.values);
    assertClose(c, t);
    const w = nb.tensor([1, 2]).requiresGrad();
    const d = w.mul(2).detach();
    assert.equal(d.requiresGradient, false);
  });

  it('promotes dtypes bool < int32 < float32 < float64', () => {
    assert.equal(nb.promoteTypes('int32', 'float32'), 'float32');
    assert.equal(nb.promoteTypes('bool', 'int32'), 'int32');
    assert.equal(nb.promoteTypes('float64', 'float32'), 'float64');
    assert.equal(nb.add(nb.tensor([1], undefined, 'int32'), nb.tensor([1.5])).dtype, 'float32');
    assert.equal(nb.add(nb.tensor([1], undefined, 'int32'), 2).dtype, 'int32');
    assert.equal(nb.add(nb.tensor([1], undefined, 'int32'), 2.5).dtype, 'float32');
    assert.equal(nb.div(nb.tensor([1], undefined, 'int32'), nb.tensor([2], undefined, 'int32')).dtype, 'float32');
    assert.equal(nb.mul(nb.tensor([1], undefined, 'float64'), 2).dtype, 'float64');
  });
});

describe('seeded random generation', () => {
  it('the same seed gives bit-identical values; different seeds differ', () => {
    for (const make of [
      (s: number) => nb.randomUniform([100], 0, 1, { seed: s }),
      (s: number) => nb.randomNormal([100], 0, 1, { seed: s }),
      (s: number) => nb.truncatedNormal([100], 0, 1, { seed: s }),
      (s: number) => nb.randomInt([100], 0, 10, { seed: s }),
    ]) {
      assert.deepEqual(Array.from(make(42).values), Array.from(make(42).values));
      assert.notDeepEqual(Array.from(make(42).values), Array.from(make(43).values));
    }
  });

  it('setSeed makes unseeded calls reproducible', () => {
    nb.setSeed(5);
    const a = nb.randomNormal([10]).dataSync();
    nb.setSeed(5);
    const b = nb.randomNormal([10]).dataSync();
    assert.deepEqual(Array.from(a), Array.from(b));
  });

  it('the generator is xoshiro128** seeded by splitmix32 (fixed known stream)', () => {
    const r = new nb.Random(1);
    const first = [r.nextUint32(), r.nextUint32(), r.nextUint32()];
    // Reference values from an independent Python implementation of splitmix32 + xoshiro128**.
    assert.deepEqual(first, [2442144158, 3238099751, 3819917871]);
  });

  it('distributions have the right moments and ranges', () => {
    const u = nb.randomUniform([20000], -2, 3, { seed: 1 });
    assert.ok(nb.min(u).item() >= -2 && nb.max(u).item() < 3);
    assertClose(nb.mean(u).item(), 0.5, { atol: 0.05 });
    const n = nb.randomNormal([20000], 1, 2, { seed: 2 });
    assertClose(nb.mean(n).item(), 1, { atol: 0.05 });
    assertClose(nb.std(n).item(), 2, { atol: 0.05 });
    const t = nb.truncatedNormal([20000], 0, 1, { seed: 3 });
    assert.ok(nb.max(nb.abs(t)).item() <= 2);
    const i = nb.randomInt([20000], 3, 7, { seed: 4 });
    assert.equal(nb.min(i).item(), 3);
    assert.equal(nb.max(i).item(), 6);
  });
});

describe('assign', () => {
  it('overwrites values in place and checks the shape', () => {
    const w = nb.tensor([1, 2]);
    const v = w.values;
    w.assign(nb.tensor([3, 4]));
    assert.equal(w.values, v);
    assert.deepEqual(w.arraySync(), [3, 4]);
    assertThrowsWith(() => w.assign(nb.tensor([1, 2, 3])), nb.ShapeError, ['[3]', '[2]']);
  });
});
