import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { assertClose, assertGradcheck, assertThrowsWith, rand } from './helpers.js';

describe('binary ops: values and broadcasting', () => {
  it('broadcast shapes follow NumPy', () => {
    const a = nb.tensor([[1], [2]]); // [2, 1]
    const b = nb.tensor([10, 20, 30]); // [3]
    assert.deepEqual(nb.add(a, b).arraySync(), [[11, 21, 31], [12, 22, 32]]);
    assert.deepEqual(nb.sub(b, 1).arraySync(), [9, 19, 29]);
    assert.deepEqual(nb.mul(2, b).arraySync(), [20, 40, 60]);
    assert.deepEqual([...nb.add(nb.zeros([4, 1, 3]), nb.zeros([2, 1])).shape], [4, 2, 3]);
    assert.deepEqual([...nb.add(nb.zeros([0, 3]), nb.zeros([3])).shape], [0, 3]);
  });

  it('div, pow, maximum, minimum, mod (floor modulo), atan2', () => {
    assert.deepEqual(nb.div(nb.tensor([1, 3]), 2).arraySync(), [0.5, 1.5]);
    assert.deepEqual(nb.pow(nb.tensor([2, 3]), 2).arraySync(), [4, 9]);
    assert.deepEqual(nb.maximum(nb.tensor([1, 5]), nb.tensor([3, 2])).arraySync(), [3, 5]);
    assert.deepEqual(nb.minimum(nb.tensor([1, 5]), nb.tensor([3, 2])).arraySync(), [1, 2]);
    assert.deepEqual(nb.mod(nb.tensor([5, -5, 5, -5]), nb.tensor([3, 3, -3, -3])).arraySync(), [2, 1, -1, -2]);
    assertClose(nb.atan2(nb.tensor([1]), nb.tensor([1])), [Math.PI / 4]);
  });

  it('comparisons and logical ops give bool tensors', () => {
    const a = nb.tensor([1, 2, 3]);
    assert.deepEqual(nb.equal(a, 2).arraySync(), [false, true, false]);
    assert.deepEqual(nb.notEqual(a, 2).arraySync(), [true, false, true]);
    assert.deepEqual(nb.less(a, 2).arraySync(), [true, false, false]);
    assert.deepEqual(nb.lessEqual(a, 2).arraySync(), [true, true, false]);
    assert.deepEqual(nb.greater(a, 2).arraySync(), [false, false, true]);
    assert.deepEqual(nb.greaterEqual(a, 2).arraySync(), [false, true, true]);
    const p = nb.tensor([true, true, false, false]);
    const q = nb.tensor([true, false, true, false]);
    assert.deepEqual(nb.logicalAnd(p, q).arraySync(), [true, false, false, false]);
    assert.deepEqual(nb.logicalOr(p, q).arraySync(), [true, true, true, false]);
    assert.deepEqual(nb.logicalXor(p, q).arraySync(), [false, true, true, false]);
    assert.deepEqual(nb.logicalNot(p).arraySync(), [false, false, true, true]);
    assert.equal(nb.equal(a, 2).dtype, 'bool');
  });

  it('where and clip', () => {
    const c = nb.tensor([true, false, true]);
    assert.deepEqual(nb.where(c, nb.tensor([1, 2, 3]), 0).arraySync(), [1, 0, 3]);
    assert.deepEqual(nb.where(nb.tensor([[true], [false]]), nb.tensor([1, 2]), nb.tensor([9])).arraySync(), [[1, 2], [9, 9]]);
    assert.deepEqual(nb.clip(nb.tensor([-2, 0.5, 3]), -1, 1).arraySync(), [-1, 0.5, 1]);
  });

  it('isNaN / isFinite', () => {
    const t = nb.tensor([1, NaN, Infinity]);
    assert.deepEqual(nb.isNaN(t).arraySync(), [false, true, false]);
    assert.deepEqual(nb.isFinite(t).arraySync(), [true, false, false]);
  });

  it('mismatched shapes throw a ShapeError naming the op and both shapes', () => {
    assertThrowsWith(() => nb.add(nb.zeros([2, 3]), nb.zeros([4])), nb.ShapeError, ['add', '[2, 3]', '[4]']);
    assertThrowsWith(() => nb.mul(nb.zeros([2, 3]), nb.zeros([3, 2])), nb.ShapeError, ['mul', '[2, 3]', '[3, 2]']);
  });
});

describe('binary ops: gradcheck (float64, with broadcasting and size-1 dims)', () => {
  const pairs: [string, (a: nb.Tensor, b: nb.Tensor) => nb.Tensor][] = [
    ['add', nb.add],
    ['sub', nb.sub],
    ['mul', nb.mul],
    ['div', (a, b) => nb.div(a, nb.add(nb.square(b), 0.5))],
    ['pow', (a, b) => nb.pow(nb.add(nb.square(a), 0.5), b)],
    ['maximum', nb.maximum],
    ['minimum', nb.minimum],
    ['mod', (a, b) => nb.mod(a, nb.add(nb.abs(b), 2))],
    ['atan2', nb.atan2],
    ['where', (a, b) => nb.where(nb.greater(a, 0), a, b)],
  ];
  const shapes: [number[], number[]][] = [
    [[3, 4], [3, 4]],
    [[3, 4], [4]],
    [[2, 1, 4], [3, 1]],
    [[1], [2, 3]],
    [[0, 3], [3]],
  ];
  pairs.forEach(([name, f], i) => {
    it(name, () => {
      shapes.forEach(([sa, sb], j) => assertGradcheck(f, [rand(sa, 10 * i + j), rand(sb, 100 + 10 * i + j)]));
    });
  });
  it('clip', () => {
    assertGradcheck((x) => nb.clip(x, -0.5, 0.5), [rand([4, 5], 9)]);
  });
});
