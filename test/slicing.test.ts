import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { assertClose, assertGradcheck, assertThrowsWith, rand } from './helpers.js';

const shapeOf = (t: nb.Tensor): number[] => [...t.shape];
/** arange(size) reshaped, as int32: every element equals its flat index. */
const iota = (shape: number[]): nb.Tensor => nb.arange(shape.reduce((a, b) => a * b, 1)).reshape(shape);

/** The gradient of sum(f(x) · w) with respect to x, for a hand check of accumulation. */
function weightedGrad(f: (x: nb.Tensor) => nb.Tensor, x: nb.Tensor, w: nb.Tensor): nb.Tensor {
  return nb.grad((t: nb.Tensor) => nb.sum(nb.mul(f(t), w)))(x);
}

// [n, spec, Python's list(range(n))[start:stop:step]] — expected values produced by CPython.
const PYTHON_SLICES: [number, nb.SliceSpec, number[]][] = [
  [7, {start: 11, stop: 1, step: -3}, [6, 3]],
  [7, {start: 7, stop: -6, step: -2}, [6, 4, 2]],
  [7, {start: -3, stop: -7, step: -8}, [4]],
  [7, {start: -6, stop: 4, step: 2}, [1, 3]],
  [7, {start: -12, stop: 7, step: 8}, [0]],
  [7, {start: -7, stop: 4}, [0, 1, 2, 3]],
  [7, {start: 7, stop: 0, step: -2}, [6, 4, 2]],
  [7, {start: -3, stop: 6, step: 8}, [4]],
  [7, {stop: 7}, [0, 1, 2, 3, 4, 5, 6]],
  [7, {start: 6, stop: 0, step: -3}, [6, 3]],
  [7, {start: 0, stop: 7, step: 3}, [0, 3, 6]],
  [7, {start: 2, stop: 0, step: -3}, [2]],
  [7, {start: -12, stop: 7}, [0, 1, 2, 3, 4, 5, 6]],
  [7, {start: 6, stop: -6, step: -2}, [6, 4, 2]],
  [7, {start: 4, stop: -7, step: -8}, [4]],
  [7, {stop: 4, step: 1}, [0, 1, 2, 3]],
  [7, {start: 11, stop: 1, step: -2}, [6, 4, 2]],
  [7, {start: -12, stop: 11, step: 3}, [0, 3, 6]],
  [7, {start: -7, step: 8}, [0]],
  [7, {start: 6, stop: 0, step: -2}, [6, 4, 2]],
  [7, {start: -12, stop: 6, step: 2}, [0, 2, 4]],
  [7, {start: -3, stop: -6, step: -3}, [4]],
  [7, {start: -3, step: 8}, [4]],
  [7, {start: 11, stop: 4, step: -3}, [6]],
  [7, {stop: 1, step: -8}, [6]],
  [7, {start: -1, stop: 11, step: 8}, [6]],
  [7, {start: 1, stop: -3, step: 8}, [1]],
  [7, {start: -3, step: 3}, [4]],
  [7, {start: -12, stop: 11}, [0, 1, 2, 3, 4, 5, 6]],
  [7, {start: -12, stop: 1, step: 1}, [0]],
  [7, {start: -3, stop: 6, step: 3}, [4]],
  [7, {stop: -3}, [0, 1, 2, 3]],
  [7, {start: 1, stop: 0, step: -8}, [1]],
  [7, {start: 7, stop: -7, step: -3}, [6, 3]],
  [7, {start: -12, stop: 4, step: 3}, [0, 3]],
  [7, {start: 2, stop: -6, step: -8}, [2]],
  [7, {start: 6, stop: -6, step: 2}, []],
  [7, {start: 4, stop: 11, step: -2}, []],
  [7, {start: 0, stop: 1, step: -1}, []],
  [7, {start: -6, stop: -6, step: 3}, []],
  [7, {start: 11, stop: 2}, []],
  [7, {start: -1, stop: 6, step: 3}, []],
  [1, {start: 1, stop: 0, step: 2}, []],
  [0, {start: -1, stop: -12, step: 2}, []],
  [0, {start: 6, stop: 0, step: -2}, []],
  [0, {start: -6, stop: 7, step: 2}, []],
  [0, {start: -3, stop: 1}, []],
  [0, {start: -12, step: -1}, []],
  [1, {start: 0, stop: 6, step: -8}, []],
  [1, {start: 7, stop: 7, step: 3}, []],
  [0, {start: 0, stop: 1}, []],
  [1, {start: 0, stop: 0}, []]
,
  [1, { step: -1 }, [0]],
  [1, { start: -1 }, [0]],
];

describe('slice', () => {
  it('takes a block with begin and size (size -1 runs to the end)', () => {
    const x = iota([3, 4]);
    assert.deepEqual(nb.slice(x, [1, 1], [2, 2]).arraySync(), [[5, 6], [9, 10]]);
    assert.deepEqual(nb.slice(x, [1, 2], [-1, -1]).arraySync(), [[6, 7], [10, 11]]);
    assert.deepEqual(nb.slice(x, [2]).arraySync(), [[8, 9, 10, 11]]);
    assert.deepEqual(nb.slice(nb.arange(5), 2, 2).arraySync(), [2, 3]);
    assert.equal(nb.slice(x, [0, 0]), x, 'a full slice returns the input');
    assert.equal(nb.slice(x, [1, 1], [2, 2]).dtype, 'int32');
  });

  it('counts a negative begin from the end', () => {
    const x = iota([3, 4]);
    assert.deepEqual(nb.slice(x, [-1, -3]).arraySync(), [[9, 10, 11]]);
    assert.deepEqual(nb.slice(x, [-3, -4], [1, 2]).arraySync(), [[0, 1]]);
  });

  it('handles empty results and empty inputs', () => {
    const x = iota([3, 4]);
    assert.deepEqual(shapeOf(nb.slice(x, [3, 0], [0, 4])), [0, 4]);
    assert.deepEqual(shapeOf(nb.slice(x, [1, 4])), [2, 0]);
    assert.deepEqual(shapeOf(nb.slice(nb.zeros([0, 3]), [0, 1], [0, 2])), [0, 2]);
  });

  it('works on bool tensors and as a method', () => {
    const b = nb.tensor([true, false, true, true]);
    const s = b.slice([1], [2]);
    assert.equal(s.dtype, 'bool');
    assert.deepEqual(s.arraySync(), [false, true]);
  });

  it('gradient: g lands in the sliced block, zeros elsewhere', () => {
    const g = weightedGrad((t) => nb.slice(t, [1], [2]), nb.tensor([1, 2, 3, 4], undefined, 'float64'), nb.tensor([5, 7], undefined, 'float64'));
    assert.deepEqual(Array.from(g.values), [0, 5, 7, 0]);
    assertGradcheck((t) => nb.slice(t, [1, -3, 0], [2, 2, -1]), [rand([3, 4, 2], 1)]);
    assertGradcheck((t) => nb.slice(t, [0, 2], [1, 1]), [rand([1, 4], 2)]);
    assertGradcheck((t) => nb.slice(t, [1, 0], [0, 4]), [rand([3, 4], 3)]);
  });

  it('rejects out-of-bounds blocks with a ShapeError naming the shapes', () => {
    const x = iota([3, 4]);
    assertThrowsWith(() => nb.slice(x, [1, 2], [3, 1]), nb.ShapeError, ['slice', '[1, 2]', '[3, 1]', '[3, 4]', 'axis 0']);
    assertThrowsWith(() => nb.slice(x, [0, 5]), nb.ShapeError, ['slice', '[0, 5]', '[3, 4]', 'axis 1']);
    assertThrowsWith(() => nb.slice(x, [-4, 0]), nb.ShapeError, ['slice', '[-4, 0]', '[3, 4]']);
    assertThrowsWith(() => nb.slice(x, [0, 0, 0]), nb.ShapeError, ['slice', '[0, 0, 0]', '[3, 4]']);
    assertThrowsWith(() => nb.slice(x, [0, 0], [1, -2]), nb.ValueError, ['slice', 'size', '[1, -2]']);
    assertThrowsWith(() => nb.slice(x, [0.5]), nb.ValueError, ['slice', 'begin']);
  });
});

describe('stridedSlice', () => {
  it('matches Python slicing on one axis (start/stop/step, clamping, negative steps)', () => {
    for (const [n, spec, expected] of PYTHON_SLICES) {
      const got = nb.stridedSlice(nb.arange(n), [spec]);
      assert.deepEqual(Array.from(got.values), expected, `range(${n})[${JSON.stringify(spec)}]`);
      assert.deepEqual(shapeOf(got), [expected.length]);
    }
  });

  it('mixes indices (which drop axes), reversed and stepped axes', () => {
    const x = iota([2, 3, 4]);
    // x[1, ::-1, 1:-1]
    const y = nb.stridedSlice(x, [1, { step: -1 }, { start: 1, stop: -1 }]);
    assert.deepEqual(y.arraySync(), [[21, 22], [17, 18], [13, 14]]);
    // x[-1, :, ::3] (trailing axes kept whole when specs are fewer than the rank)
    assert.deepEqual(nb.stridedSlice(x, [-1, {}, { step: 3 }]).arraySync(), [[12, 15], [16, 19], [20, 23]]);
    assert.deepEqual(nb.stridedSlice(x, [0, 2]).arraySync(), [8, 9, 10, 11]);
    assert.deepEqual(shapeOf(nb.stridedSlice(x, [0, 1, -1])), []);
    assert.equal(nb.stridedSlice(x, [0, 1, -1]).item(), 7);
    assert.equal(nb.stridedSlice(x, [{}, { start: -100, stop: 100 }]), x, 'a full slice returns the input');
    assert.deepEqual(x.stridedSlice([{ start: 1 }, { start: 2, stop: 0, step: -1 }, { stop: 1 }]).arraySync(), [[[20], [16]]]);
  });

  it('gradient with negative steps, indices and empty axes', () => {
    assertGradcheck((t) => nb.stridedSlice(t, [{ step: -1 }, 1, { start: 4, stop: 0, step: -2 }]), [rand([3, 4, 5], 4)]);
    assertGradcheck((t) => nb.stridedSlice(t, [{ start: 1, step: 2 }, { start: -1, step: -3 }]), [rand([4, 5], 5)]);
    assertGradcheck((t) => nb.stridedSlice(t, [-1, { start: 3, stop: 1 }]), [rand([2, 4], 6)]);
    const g = weightedGrad((t) => nb.stridedSlice(t, [{ step: -2 }]), nb.tensor([1, 2, 3, 4, 5], undefined, 'float64'), nb.tensor([10, 20, 30], undefined, 'float64'));
    assert.deepEqual(Array.from(g.values), [30, 0, 20, 0, 10]);
  });

  it('rejects a zero step, out-of-range indices and too many specs', () => {
    const x = iota([2, 3]);
    assertThrowsWith(() => nb.stridedSlice(x, [{ step: 0 }]), nb.ValueError, ['stridedSlice', 'step', 'axis 0']);
    assertThrowsWith(() => nb.stridedSlice(x, [0, 3]), nb.ShapeError, ['stridedSlice', 'index 3', 'axis 1', '[2, 3]']);
    assertThrowsWith(() => nb.stridedSlice(x, [-3]), nb.ShapeError, ['index -3', 'axis 0', '[2, 3]']);
    assertThrowsWith(() => nb.stridedSlice(x, [0, 0, 0]), nb.ShapeError, ['3 axis specs', '[2, 3]']);
    assertThrowsWith(() => nb.stridedSlice(x, [{ start: 1.5 }]), nb.ValueError, ['start', 'axis 0']);
  });
});

describe('flip', () => {
  it('reverses the listed axes (negative axes allowed), all axes by default', () => {
    const x = nb.tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(nb.flip(x, 1).arraySync(), [[3, 2, 1], [6, 5, 4]]);
    assert.deepEqual(nb.flip(x, -2).arraySync(), [[4, 5, 6], [1, 2, 3]]);
    assert.deepEqual(x.flip().arraySync(), [[6, 5, 4], [3, 2, 1]]);
    assert.deepEqual(nb.flip(x, []).arraySync(), [[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(shapeOf(nb.flip(nb.zeros([0, 3]), [0, 1])), [0, 3]);
    assert.equal(nb.flip(iota([2, 2]), 0).dtype, 'int32');
  });

  it('gradient flips g back', () => {
    assertGradcheck((t) => nb.flip(t, [0, -1]), [rand([2, 3, 4], 7)]);
    assertGradcheck((t) => nb.flip(t, 1), [rand([3, 1], 8)]);
  });

  it('rejects bad or repeated axes', () => {
    assertThrowsWith(() => nb.flip(nb.zeros([2, 3]), 2), nb.ValueError, ['flip', 'axis 2', 'rank 2']);
    assertThrowsWith(() => nb.flip(nb.zeros([2, 3]), [1, -1]), nb.ValueError, ['flip', 'more than once']);
  });
});

describe('concat and stack', () => {
  it('concat joins along an axis and promotes dtypes', () => {
    const a = nb.tensor([[1, 2, 3], [4, 5, 6]]);
    const b = nb.tensor([[7], [8]]);
    const c = nb.tensor([[9, 10], [11, 12]]);
    assert.deepEqual(nb.concat([a, b, c], 1).arraySync(), [[1, 2, 3, 7, 9, 10], [4, 5, 6, 8, 11, 12]]);
    assert.deepEqual(nb.concat([a, b], -1).arraySync(), [[1, 2, 3, 7], [4, 5, 6, 8]]);
    assert.deepEqual(nb.concat([a, nb.tensor([[0, 0, 0]])], 0).arraySync(), [[1, 2, 3], [4, 5, 6], [0, 0, 0]]);
    assert.deepEqual(nb.concat([a, nb.zeros([2, 0]), b], 1).arraySync(), [[1, 2, 3, 7], [4, 5, 6, 8]]);
    const mixed = nb.concat([nb.tensor([1, 2], undefined, 'int32'), nb.tensor([0.5])]);
    assert.equal(mixed.dtype, 'float32');
    assert.deepEqual(Array.from(mixed.values), [1, 2, 0.5]);
    assert.equal(nb.concat([a]), a);
  });

  it('concat gradient: each input receives its slice of g', () => {
    assertGradcheck((x, y, z) => nb.concat([x, y, z], -1), [rand([2, 3], 9), rand([2, 1], 10), rand([2, 2], 11)]);
    assertGradcheck((x, y) => nb.concat([x, y], 0), [rand([1, 3, 2], 12), rand([3, 3, 2], 13)]);
    assertGradcheck((x, y) => nb.concat([x, y], 1), [rand([2, 0], 14), rand([2, 3], 15)]);
    // The same tensor twice: gradients add up.
    const g = weightedGrad((t) => nb.concat([t, t]), nb.tensor([1, 2], undefined, 'float64'), nb.tensor([1, 2, 3, 4], undefined, 'float64'));
    assert.deepEqual(Array.from(g.values), [4, 6]);
  });

  it('concat names the op, the axis and both shapes on a mismatch', () => {
    const a = nb.zeros([2, 3]);
    assertThrowsWith(() => nb.concat([a, nb.zeros([3, 1])], 1), nb.ShapeError, ['concat', 'axis 1', '[3, 1]', '[2, 3]']);
    assertThrowsWith(() => nb.concat([a, nb.zeros([2, 3, 1])], 0), nb.ShapeError, ['concat', 'axis 0', '[2, 3, 1]', '[2, 3]']);
    assertThrowsWith(() => nb.concat([a, a], 2), nb.ValueError, ['concat', 'axis 2']);
    assertThrowsWith(() => nb.concat([]), nb.ValueError, ['concat', 'non-empty']);
    assertThrowsWith(() => nb.concat([nb.scalar(1), nb.scalar(2)]), nb.ShapeError, ['concat', 'scalars']);
  });

  it('stack adds a new axis', () => {
    const a = nb.tensor([[1, 2, 3], [4, 5, 6]]);
    const b = nb.tensor([[7, 8, 9], [10, 11, 12]]);
    assert.deepEqual(shapeOf(nb.stack([a, b])), [2, 2, 3]);
    assert.deepEqual(nb.stack([a, b], 0).arraySync(), [a.arraySync(), b.arraySync()]);
    assert.deepEqual(nb.stack([a, b], -1).arraySync(), [[[1, 7], [2, 8], [3, 9]], [[4, 10], [5, 11], [6, 12]]]);
    assert.deepEqual(nb.stack([nb.scalar(1), nb.scalar(2)]).arraySync(), [1, 2]);
    assert.deepEqual(shapeOf(nb.stack([a], 1)), [2, 1, 3]);
  });

  it('stack gradient and errors', () => {
    assertGradcheck((x, y) => nb.stack([x, y], 1), [rand([2, 3], 16), rand([2, 3], 17)]);
    assertGradcheck((x, y) => nb.stack([y, x, y], -1), [rand([3], 18), rand([3], 19)]);
    assertThrowsWith(() => nb.stack([nb.zeros([2, 3]), nb.zeros([3, 2])]), nb.ShapeError, ['stack', '[3, 2]', '[2, 3]']);
    assertThrowsWith(() => nb.stack([nb.zeros([2])], 2), nb.ValueError, ['stack', 'axis 2']);
  });
});

describe('split and unstack', () => {
  it('split into equal parts or listed sizes (one may be -1)', () => {
    const x = iota([2, 6]);
    const parts = nb.split(x, 3, 1);
    assert.deepEqual(parts.map((p) => p.arraySync()), [[[0, 1], [6, 7]], [[2, 3], [8, 9]], [[4, 5], [10, 11]]]);
    const sized = x.split([1, -1, 2], -1);
    assert.deepEqual(sized.map(shapeOf), [[2, 1], [2, 3], [2, 2]]);
    assert.deepEqual(sized[1]!.arraySync(), [[1, 2, 3], [7, 8, 9]]);
    assert.deepEqual(nb.split(x, [0, 6], 1).map(shapeOf), [[2, 0], [2, 6]]);
    assert.deepEqual(nb.split(x, [2, -1], 0).map(shapeOf), [[2, 6], [0, 6]]);
    assert.deepEqual(nb.split(x, 2).map((p) => p.arraySync()), [[[0, 1, 2, 3, 4, 5]], [[6, 7, 8, 9, 10, 11]]]);
  });

  it('split gradient: unused parts get zeros, reordered parts route back', () => {
    assertGradcheck((t) => nb.split(t, [1, -1, 2], 1)[1]!, [rand([3, 6], 20)]);
    assertGradcheck((t) => {
      const [a, b] = nb.split(t, 2, -1);
      return nb.concat([b!, a!], 0);
    }, [rand([2, 4], 21)]);
  });

  it('split rejects uneven or inconsistent sizes', () => {
    const x = nb.zeros([2, 5]);
    assertThrowsWith(() => nb.split(x, 2, 1), nb.ShapeError, ['split', '[2, 5]', 'size 5', '2 equal parts']);
    assertThrowsWith(() => nb.split(x, [2, 2], 1), nb.ShapeError, ['split', '[2, 2]', 'size 5', '[2, 5]']);
    assertThrowsWith(() => nb.split(x, [4, -1, 2], 1), nb.ShapeError, ['split', '[4, -1, 2]']);
    assertThrowsWith(() => nb.split(x, [-1, -1], 1), nb.ValueError, ['split', '-1']);
    assertThrowsWith(() => nb.split(x, 0), nb.ValueError, ['split', 'positive']);
    assertThrowsWith(() => nb.split(x, 2, -3), nb.ValueError, ['split', 'axis -3']);
  });

  it('unstack removes the axis', () => {
    const x = iota([2, 3]);
    assert.deepEqual(nb.unstack(x).map((p) => p.arraySync()), [[0, 1, 2], [3, 4, 5]]);
    assert.deepEqual(x.unstack(-1).map((p) => p.arraySync()), [[0, 3], [1, 4], [2, 5]]);
    assert.deepEqual(nb.unstack(nb.zeros([0, 3])), []);
    assert.deepEqual(nb.unstack(nb.zeros([3, 0]), 0).map(shapeOf), [[0], [0], [0]]);
    assertThrowsWith(() => nb.unstack(nb.scalar(1)), nb.ValueError, ['unstack', 'rank 0']);
  });

  it('unstack gradient (stack of the parts in another order)', () => {
    assertGradcheck((t) => nb.stack(nb.unstack(t, 1).reverse(), 0), [rand([2, 3, 2], 22)]);
    assertGradcheck((t) => nb.unstack(t, -1)[0]!, [rand([2, 1], 23)]);
  });
});

describe('pad', () => {
  it('constant padding with a fill value', () => {
    const x = nb.tensor([[1, 2], [3, 4]]);
    assert.deepEqual(nb.pad(x, [[1, 0], [0, 2]], { value: 9 }).arraySync(), [[9, 9, 9, 9], [1, 2, 9, 9], [3, 4, 9, 9]]);
    assert.deepEqual(x.pad([[0, 0], [1, 1]]).arraySync(), [[0, 1, 2, 0], [0, 3, 4, 0]]);
    assert.deepEqual(nb.pad(nb.zeros([0, 2]), [[1, 1], [0, 0]], { value: 3 }).arraySync(), [[3, 3], [3, 3]]);
    assert.equal(nb.pad(x, [[0, 0], [0, 0]]), x);
    const b = nb.pad(nb.tensor([true]), [[1, 1]], { value: 1 });
    assert.deepEqual(b.arraySync(), [true, true, true]);
  });

  it("mirror padding: 'reflect' excludes the edge, 'symmetric' includes it", () => {
    const v = nb.tensor([1, 2, 3]);
    assert.deepEqual(nb.pad(v, [[2, 2]], { mode: 'reflect' }).arraySync(), [3, 2, 1, 2, 3, 2, 1]);
    assert.deepEqual(nb.pad(v, [[2, 3]], { mode: 'symmetric' }).arraySync(), [2, 1, 1, 2, 3, 3, 2, 1]);
    const m = nb.tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(nb.pad(m, [[1, 1], [2, 2]], { mode: 'reflect' }).arraySync(), [
      [6, 5, 4, 5, 6, 5, 4],
      [3, 2, 1, 2, 3, 2, 1],
      [6, 5, 4, 5, 6, 5, 4],
      [3, 2, 1, 2, 3, 2, 1],
    ]);
  });

  it('mirror padding gradient accumulates the mirrored copies', () => {
    const x = nb.tensor([1, 2, 3], undefined, 'float64');
    const w = nb.tensor([1, 2, 3, 4, 5, 6, 7], undefined, 'float64');
    // reflect: [c b | a b c | b a] → a gets 3+7, b gets 2+4+6, c gets 1+5
    assert.deepEqual(Array.from(weightedGrad((t) => nb.pad(t, [[2, 2]], { mode: 'reflect' }), x, w).values), [10, 12, 6]);
    // symmetric: [b a | a b c | c b] → a gets 2+3, b gets 1+4+7, c gets 5+6
    assert.deepEqual(Array.from(weightedGrad((t) => nb.pad(t, [[2, 2]], { mode: 'symmetric' }), x, w).values), [5, 12, 11]);
  });

  it('gradient checks for every mode', () => {
    assertGradcheck((t) => nb.pad(t, [[1, 2], [0, 3]], { value: 5 }), [rand([3, 4], 24)]);
    assertGradcheck((t) => nb.pad(t, [[1, 2], [3, 1]], { mode: 'reflect' }), [rand([3, 4], 25)]);
    assertGradcheck((t) => nb.pad(t, [[0, 0], [2, 2], [1, 0]], { mode: 'symmetric' }), [rand([2, 3, 4], 26)]);
    assertGradcheck((t) => nb.pad(t, [[1, 1], [0, 0]], { mode: 'symmetric' }), [rand([1, 2], 27)]);
  });

  it('rejects bad paddings and modes', () => {
    const x = nb.zeros([2, 3]);
    assertThrowsWith(() => nb.pad(x, [[1, 1]]), nb.ShapeError, ['pad', '[2, 3]', '2 [before, after] pairs']);
    assertThrowsWith(() => nb.pad(x, [[1, 1], [-1, 0]]), nb.ValueError, ['pad', 'paddings[1]', '[-1,0]']);
    assertThrowsWith(() => nb.pad(x, [[2, 0], [0, 0]], { mode: 'reflect' }), nb.ValueError, ['pad', 'reflect', 'axis 0', '[2, 3]', 'at most 1']);
    assertThrowsWith(() => nb.pad(x, [[0, 0], [0, 4]], { mode: 'symmetric' }), nb.ValueError, ['symmetric', 'axis 1', 'at most 3']);
    assertThrowsWith(() => nb.pad(x, [[0, 0], [0, 1]], { mode: 'edge' as nb.PadMode }), nb.ValueError, ['pad', 'mode', 'edge']);
    assertThrowsWith(() => nb.pad(x, [[0, 0], [0, 1]], { mode: 'reflect', value: 2 }), nb.ValueError, ['pad', 'value', 'constant']);
  });
});

describe('tile', () => {
  it('repeats along each axis (NumPy rules for shorter or longer reps)', () => {
    const x = nb.tensor([[1, 2], [3, 4]]);
    assert.deepEqual(nb.tile(x, [2, 3]).arraySync(), [
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
    ]);
    assert.deepEqual(x.tile([2]).arraySync(), [[1, 2, 1, 2], [3, 4, 3, 4]]);
    assert.deepEqual(nb.tile(nb.tensor([1, 2]), [2, 1]).arraySync(), [[1, 2], [1, 2]]);
    assert.deepEqual(shapeOf(nb.tile(x, [0, 2])), [0, 4]);
    assert.deepEqual(shapeOf(nb.tile(x, [1, 1])), [2, 2]);
    assert.equal(nb.tile(iota([2]), [3]).dtype, 'int32');
  });

  it('gradient sums over the repeats', () => {
    const g = weightedGrad((t) => nb.tile(t, [3]), nb.tensor([1, 2], undefined, 'float64'), nb.tensor([1, 2, 3, 4, 5, 6], undefined, 'float64'));
    assert.deepEqual(Array.from(g.values), [9, 12]);
    assertGradcheck((t) => nb.tile(t, [2, 1, 3]), [rand([2, 3], 28)]);
    assertGradcheck((t) => nb.tile(t, [1, 2, 2]), [rand([2, 1, 3], 29)]);
    assertGradcheck((t) => nb.tile(t, [0, 2]), [rand([2, 2], 30)]);
  });

  it('rejects negative or fractional reps', () => {
    assertThrowsWith(() => nb.tile(nb.zeros([2]), [-1]), nb.ValueError, ['tile', 'reps', '[-1]']);
    assertThrowsWith(() => nb.tile(nb.zeros([2]), [1.5]), nb.ValueError, ['tile', 'reps']);
  });
});

describe('composite use', () => {
  it('a slice of a flip of a padded tensor matches the hand result, and its gradient checks', () => {
    const x = nb.tensor([[1, 2, 3], [4, 5, 6]]);
    const y = nb.slice(nb.flip(nb.pad(x, [[0, 0], [1, 1]]), 1), [0, 1], [2, 3]);
    assert.deepEqual(y.arraySync(), [[3, 2, 1], [6, 5, 4]]);
    assertGradcheck((t) => nb.slice(nb.flip(nb.pad(t, [[1, 0], [1, 1]], { mode: 'reflect' }), 1), [0, 1], [2, 3]), [rand([2, 3], 31)]);
    assertClose(nb.sum(nb.tile(nb.ones([2]), [4])), 8);
  });
});
