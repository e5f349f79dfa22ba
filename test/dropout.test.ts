import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { assertClose, assertGradcheck, assertThrowsWith, rand } from './helpers.js';

/** Values in [1, 2): none is zero, so a zero in the output always means "dropped". */
function positive(shape: number[], seed: number, dtype: 'float32' | 'float64' = 'float64'): nb.Tensor {
  return nb.randomUniform(shape, 1, 2, { seed, dtype });
}

describe('dropout', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const x = positive([20, 30], 1);
    const a = nb.dropout(x, 0.5, { seed: 42 });
    const b = nb.dropout(x, 0.5, { seed: 42 });
    const c = nb.dropout(x, 0.5, { seed: 43 });
    assert.deepEqual(Array.from(a.values), Array.from(b.values));
    assert.notDeepEqual(Array.from(a.values), Array.from(c.values));
  });

  it('unseeded calls draw from the global generator: reproducible after setSeed, different call to call', () => {
    const x = positive([10, 10], 2);
    nb.setSeed(123);
    const a1 = nb.dropout(x, 0.5);
    const a2 = nb.dropout(x, 0.5);
    nb.setSeed(123);
    const b1 = nb.dropout(x, 0.5);
    assert.deepEqual(Array.from(a1.values), Array.from(b1.values));
    assert.notDeepEqual(Array.from(a1.values), Array.from(a2.values));
  });

  for (const rate of [0.1, 0.3, 0.75]) {
    it(`rate ${rate}: the kept fraction is ≈ ${1 - rate} on 100,000 elements and the mean is preserved`, () => {
      const y = nb.dropout(nb.ones([200, 500]), rate, { seed: 7 });
      let kept = 0;
      for (const v of y.values) if (v !== 0) kept++;
      const n = y.size;
      const sigma = Math.sqrt((rate * (1 - rate)) / n);
      assert.ok(Math.abs(kept / n - (1 - rate)) < 6 * sigma, `kept fraction ${kept / n}, expected ${1 - rate}`);
      assertClose(nb.mean(y).item(), 1, { atol: 6 * sigma / (1 - rate) });
    });
  }

  it('kept values are scaled by exactly 1/(1 − rate), in float64 and float32', () => {
    const rate = 0.3;
    const x64 = positive([50, 40], 3);
    const y64 = nb.dropout(x64, rate, { seed: 9 });
    assert.equal(y64.dtype, 'float64');
    assert.deepEqual([...y64.shape], [50, 40]);
    let dropped = 0;
    y64.values.forEach((v, i) => {
      if (v === 0) dropped++;
      else assert.equal(v, x64.values[i]! * (1 / (1 - rate)));
    });
    assert.ok(dropped > 0 && dropped < y64.size);
    const x32 = positive([50, 40], 3, 'float32');
    const y32 = nb.dropout(x32, rate, { seed: 9 });
    assert.equal(y32.dtype, 'float32');
    const scale32 = Math.fround(1 / (1 - rate));
    y32.values.forEach((v, i) => {
      // The same seed drops the same positions whatever the dtype.
      assert.equal(v === 0, y64.values[i] === 0);
      if (v !== 0) assert.equal(v, Math.fround(x32.values[i]! * scale32));
    });
  });

  it('the gradient is the same mask times the scale', () => {
    const x = positive([6, 7], 4);
    const opts = { seed: 5 };
    const g = nb.grad((t: nb.Tensor) => nb.sum(nb.dropout(t, 0.4, opts)))(x);
    const maskTimesScale = nb.dropout(nb.ones([6, 7], 'float64'), 0.4, opts);
    assert.deepEqual(Array.from(g.values), Array.from(maskTimesScale.values));
    assert.ok(Array.from(g.values).every((v) => v === 0 || v === 1 / 0.6));
    // A non-trivial upstream gradient is multiplied elementwise by the mask.
    const r = rand([6, 7], 8);
    const gr = nb.grad((t: nb.Tensor) => nb.sum(nb.mul(nb.dropout(t, 0.4, opts), r)))(x);
    assertClose(gr, nb.mul(r, maskTimesScale), { atol: 0, rtol: 0 });
    assertGradcheck((t) => nb.dropout(t, 0.4, opts), [rand([4, 5], 6)]);
  });

  it('noiseShape broadcasts one mask cell over the size-1 axes', () => {
    const x = positive([4, 3, 5], 10);
    const y = nb.dropout(x, 0.5, { seed: 11, noiseShape: [4, 1, 5] });
    let keptCells = 0;
    for (let i = 0; i < 4; i++) {
      for (let k = 0; k < 5; k++) {
        const dropped = [0, 1, 2].map((j) => y.values[i * 15 + j * 5 + k] === 0);
        assert.ok(dropped.every((d) => d === dropped[0]), `cell (${i}, :, ${k}) is partly dropped`);
        if (!dropped[0]) keptCells++;
      }
    }
    assert.ok(keptCells > 0 && keptCells < 20);
    // null entries take x's size (Keras style); a shorter noiseShape broadcasts over leading axes.
    const yNull = nb.dropout(x, 0.5, { seed: 11, noiseShape: [null, 1, null] });
    assert.deepEqual(Array.from(yNull.values), Array.from(y.values));
    const yCols = nb.dropout(x, 0.5, { seed: 12, noiseShape: [5] });
    for (let r = 1; r < 12; r++) {
      for (let k = 0; k < 5; k++) assert.equal(yCols.values[r * 5 + k] === 0, yCols.values[k] === 0);
    }
    // The gradient follows the same broadcast mask.
    const g = nb.grad((t: nb.Tensor) => nb.sum(nb.dropout(t, 0.5, { seed: 11, noiseShape: [4, 1, 5] })))(x);
    assert.deepEqual(Array.from(g.values, (v) => v !== 0), Array.from(y.values, (v) => v !== 0));
  });

  it('rate 0 or training: false return the input unchanged', () => {
    const x = positive([3, 3], 13).requiresGrad();
    assert.equal(nb.dropout(x, 0), x);
    assert.equal(nb.dropout(x, 0.9, { training: false }), x);
    assert.equal(nb.dropout(x, 0.5, { training: false, seed: 1 }), x);
    assert.notEqual(nb.dropout(x, 0.5, { training: true, seed: 1 }), x);
  });

  it('an empty tensor stays empty', () => {
    assert.deepEqual([...nb.dropout(nb.zeros([0, 4]), 0.5, { seed: 1 }).shape], [0, 4]);
  });

  it('invalid rate, dtype, noiseShape and options are typed errors naming dropout', () => {
    const x = nb.ones([2, 3]);
    for (const rate of [1, 1.5, -0.1, Number.NaN]) {
      assertThrowsWith(() => nb.dropout(x, rate), nb.ValueError, ['dropout', 'rate', '[0, 1)', String(rate)]);
    }
    assertThrowsWith(() => nb.dropout(x, '0.5' as unknown as number), nb.ValueError, ['dropout', 'rate']);
    assertThrowsWith(() => nb.dropout(nb.ones([2], 'int32'), 0.5), nb.DTypeError, ['dropout', 'int32']);
    assertThrowsWith(() => nb.dropout(x, 0.5, { noiseShape: [2, 2] }), nb.ShapeError, ['dropout', 'noiseShape [2, 2]', '[2, 3]']);
    assertThrowsWith(() => nb.dropout(x, 0.5, { noiseShape: [2, 3, 1] }), nb.ShapeError, ['dropout', '[2, 3, 1]']);
    assertThrowsWith(() => nb.dropout(x, 0.5, { noiseShape: [2, -1] }), nb.ShapeError, ['dropout', 'non-negative integers']);
    assertThrowsWith(() => nb.dropout(x, 0.5, { noiseShape: [null] }), nb.ShapeError, ['dropout', 'non-negative integers']);
    assertThrowsWith(() => nb.dropout(x, 0.5, { training: 'yes' as unknown as boolean }), nb.ValueError, ['dropout', 'training']);
    assertThrowsWith(() => nb.dropout([1, 2] as unknown as nb.Tensor, 0.5), nb.ValueError, ['dropout', 'expected a Tensor']);
  });
});
