import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { assertClose, assertGradcheck, assertThrowsWith, rand } from './helpers.js';

describe('reductions: values', () => {
  const t = nb.tensor([[1, 2, 3], [4, 5, 6]]);
  it('sum/mean/max/min/prod over all, one, negative and several axes, with keepDims', () => {
    assert.equal(nb.sum(t).item(), 21);
    assert.deepEqual(nb.sum(t, 0).arraySync(), [5, 7, 9]);
    assert.deepEqual(nb.sum(t, -1).arraySync(), [6, 15]);
    assert.deepEqual(nb.sum(t, 1, { keepDims: true }).arraySync(), [[6], [15]]);
    assert.deepEqual(nb.mean(t, 0).arraySync(), [2.5, 3.5, 4.5]);
    assert.deepEqual(nb.max(t, 1).arraySync(), [3, 6]);
    assert.deepEqual(nb.min(t, 0).arraySync(), [1, 2, 3]);
    assert.deepEqual(nb.prod(t, 1).arraySync(), [6, 120]);
    const cube = nb.arange(24).reshape([2, 3, 4]);
    assert.deepEqual(nb.sum(cube, [0, 2]).arraySync(), [0 + 1 + 2 + 3 + 12 + 13 + 14 + 15, 92, 124]);
    assert.deepEqual([...nb.sum(cube, [0, 2], { keepDims: true }).shape], [1, 3, 1]);
  });

  it('argmax/argmin return the first extreme as int32', () => {
    const x = nb.tensor([[1, 9, 9], [7, 0, 7]]);
    assert.deepEqual(nb.argmax(x, 1).arraySync(), [1, 0]);
    assert.deepEqual(nb.argmin(x, 0).arraySync(), [0, 1, 1]);
    assert.equal(nb.argmax(x).item(), 1);
    assert.equal(nb.argmax(x, 1).dtype, 'int32');
  });

  it('logSumExp is stable for large inputs', () => {
    assertClose(nb.logSumExp(nb.tensor([1000, 1000])).item(), 1000 + Math.log(2), { rtol: 1e-6 });
    assertClose(nb.logSumExp(nb.tensor([[1, 2], [3, 4]], undefined, 'float64'), 1), [Math.log(Math.E + Math.E ** 2), Math.log(Math.E ** 3 + Math.E ** 4)], { atol: 1e-12 });
    assert.equal(nb.logSumExp(nb.tensor([-Infinity, -Infinity])).item(), -Infinity);
  });

  it('variance and std (population by default, Bessel with correction 1)', () => {
    const x = nb.tensor([1, 2, 3, 4]);
    assertClose(nb.variance(x).item(), 1.25);
    assertClose(nb.variance(x, undefined, { correction: 1 }).item(), 5 / 3);
    assertClose(nb.std(x).item(), Math.sqrt(1.25));
  });

  it('any and all', () => {
    const b = nb.tensor([[true, false], [false, false]]);
    assert.deepEqual(nb.any(b, 1).arraySync(), [true, false]);
    assert.deepEqual(nb.all(nb.tensor([[true, true], [true, false]]), 1).arraySync(), [true, false]);
    assert.equal(nb.any(b).dtype, 'bool');
  });

  it('sum of an empty axis is 0; max of an empty axis is an error', () => {
    assert.deepEqual(nb.sum(nb.zeros([0, 3]), 0).arraySync(), [0, 0, 0]);
    assertThrowsWith(() => nb.max(nb.zeros([0, 3]), 0), nb.ValueError, ['max', '[0, 3]']);
  });

  it('an axis out of range is a ValueError naming the axis and rank', () => {
    assertThrowsWith(() => nb.sum(t, 2), nb.ValueError, ['sum', 'axis 2', 'rank 2']);
    assertThrowsWith(() => nb.mean(t, -3), nb.ValueError, ['axis -3']);
  });
});

describe('reductions: gradcheck (float64)', () => {
  const x = (): nb.Tensor => rand([2, 3, 4], 3);
  const cases: [string, (t: nb.Tensor) => nb.Tensor][] = [
    ['sum all', (t) => nb.sum(t)],
    ['sum axis -1 keepDims', (t) => nb.sum(t, -1, { keepDims: true })],
    ['sum axes [0, 2] (non-contiguous)', (t) => nb.sum(t, [0, 2])],
    ['mean axis 1', (t) => nb.mean(t, 1)],
    ['max axis 2', (t) => nb.max(t, 2)],
    ['min axes [0, 1]', (t) => nb.min(t, [0, 1])],
    ['prod axis 1', (t) => nb.prod(t, 1)],
    ['prod axes [0, 2]', (t) => nb.prod(t, [0, 2])],
    ['logSumExp axis -1', (t) => nb.logSumExp(t, -1)],
    ['variance axis 0', (t) => nb.variance(t, 0)],
    ['std axes [1, 2]', (t) => nb.std(t, [1, 2])],
  ];
  for (const [name, f] of cases) it(name, () => assertGradcheck(f, [x()]));

  it('prod gradient is exact with zeros', () => {
    const t = nb.tensor([[2, 0, 3], [0, 0, 1]], undefined, 'float64');
    const g = nb.grad((a) => nb.prod(a, 1).sum())(t);
    assert.deepEqual(g.arraySync(), [[0, 6, 0], [0, 0, 0]]);
  });

  it('max gradient splits ties equally', () => {
    const g = nb.grad((a) => nb.max(a))(nb.tensor([1, 3, 3]));
    assert.deepEqual(g.arraySync(), [0, 0.5, 0.5]);
  });
});
