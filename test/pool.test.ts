import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { avgPool2dBackprop, maxPool2dBackprop } from '../src/ops/pool.js';
import { assertClose, assertGradcheck, assertThrowsWith, rand } from './helpers.js';

/**
 * Naive float64 reference pooling from the TensorFlow definition: 'same' pads the smaller half first;
 * padded cells are never the maximum and are not counted in averages.
 */
function refPool(kind: 'max' | 'avg', x: nb.Tensor, k: [number, number], s: [number, number], padding: 'valid' | 'same'): { shape: number[]; values: number[] } {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const same = padding === 'same';
  const OH = same ? Math.ceil(H / s[0]) : Math.floor((H - k[0]) / s[0]) + 1;
  const OW = same ? Math.ceil(W / s[1]) : Math.floor((W - k[1]) / s[1]) + 1;
  const pt = same ? Math.floor(Math.max((OH - 1) * s[0] + k[0] - H, 0) / 2) : 0;
  const pl = same ? Math.floor(Math.max((OW - 1) * s[1] + k[1] - W, 0) / 2) : 0;
  const out: number[] = [];
  for (let b = 0; b < B; b++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++)
        for (let c = 0; c < C; c++) {
          const vals: number[] = [];
          for (let p = 0; p < k[0]; p++)
            for (let q = 0; q < k[1]; q++) {
              const r = i * s[0] + p - pt;
              const col = j * s[1] + q - pl;
              if (r >= 0 && r < H && col >= 0 && col < W) vals.push(x.values[((b * H + r) * W + col) * C + c]!);
            }
          out.push(kind === 'max' ? Math.max(...vals) : vals.reduce((a, v) => a + v, 0) / vals.length);
        }
  return { shape: [B, OH, OW, C], values: out };
}

const img = (rows: number[][]): nb.Tensor => nb.tensor(rows.flat(), [1, rows.length, rows[0]!.length, 1], 'float64');
const X4 = img([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]);
const X3 = img([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);

/** Distinct values in random order, so that the maximum of every window is unique (needed by finite differences). */
function distinct(shape: number[], seed: number): nb.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const r = rand([n], seed);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => r.values[a]! - r.values[b]!);
  const v = new Float64Array(n);
  order.forEach((pos, rank) => (v[pos] = rank * 0.1 - n * 0.05));
  return nb.tensor(v, shape);
}

describe('maxPool2d and avgPool2d: hand-computed examples', () => {
  it('4×4, pool 2 (stride defaults to the pool size)', () => {
    const m = nb.maxPool2d(X4, { poolSize: 2 });
    assert.deepEqual([...m.shape], [1, 2, 2, 1]);
    assertClose(m, [6, 8, 14, 16]);
    assertClose(nb.avgPool2d(X4, { poolSize: 2 }), [3.5, 5.5, 11.5, 13.5]);
  });

  it("3×3, pool 2, stride 2, 'same': the padded row/column is ignored, not averaged as 0", () => {
    const opts: nb.Pool2dOptions = { poolSize: 2, strides: 2, padding: 'same' };
    assertClose(nb.maxPool2d(X3, opts), [5, 6, 8, 9]);
    assertClose(nb.avgPool2d(X3, opts), [3, 4.5, 7.5, 9]);
  });

  it('3×3, pool 2, stride 1 (overlapping windows), and a [1, 3] window', () => {
    assertClose(nb.maxPool2d(X3, { poolSize: 2, strides: 1 }), [5, 6, 8, 9]);
    assertClose(nb.avgPool2d(X3, { poolSize: 2, strides: 1 }), [3, 4, 6, 7]);
    assertClose(nb.maxPool2d(X3, { poolSize: [1, 3] }), [3, 6, 9]);
  });

  it('channels pool independently; unbatched input and chainable methods', () => {
    const x = nb.tensor([1, -1, 2, -2, 3, -3, 4, -4], [2, 2, 2], 'float64');
    const m = x.maxPool2d({ poolSize: 2 });
    assert.deepEqual([...m.shape], [1, 1, 2]);
    assertClose(m, [4, -1]);
    assertClose(x.avgPool2d({ poolSize: 2 }), [2.5, -2.5]);
  });

  it('maxPool gradient goes to the first maximum of each window; overlapping windows add up', () => {
    const ties = img([[1, 1], [1, 1]]);
    assertClose(nb.grad((t: nb.Tensor) => nb.sum(nb.maxPool2d(t, { poolSize: 2 })))(ties), [1, 0, 0, 0]);
    // stride 1 over X3: every window's maximum is its bottom-right cell.
    assertClose(nb.grad((t: nb.Tensor) => nb.sum(nb.maxPool2d(t, { poolSize: 2, strides: 1 })))(X3), [0, 0, 0, 0, 1, 1, 0, 1, 1]);
  });

  it("avgPool gradient divides by the window's real size", () => {
    const g = nb.grad((t: nb.Tensor) => nb.sum(nb.avgPool2d(t, { poolSize: 2, strides: 2, padding: 'same' })))(X3);
    assertClose(g, [0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1]);
  });

  it('NaN propagates through maxPool2d; int32 input is pooled without a gradient', () => {
    const x = img([[1, NaN], [3, 2]]);
    assert.ok(Number.isNaN(nb.maxPool2d(x, { poolSize: 2 }).item()));
    // The gradient goes to the element the forward pass returned (the NaN), not to the largest number.
    assertClose(nb.grad((t: nb.Tensor) => nb.sum(nb.maxPool2d(t, { poolSize: 2 })))(x), [0, 1, 0, 0]);
    const gi = nb.maxPool2d(nb.tensor([1, 5, 3, 2], [1, 2, 2, 1], 'int32'), { poolSize: 2 });
    assert.equal(gi.dtype, 'int32');
    assert.equal(gi.item(), 5);
    assert.equal(nb.maxPool2d(nb.cast(X4, 'float32'), { poolSize: 2 }).dtype, 'float32');
  });
});

describe('pooling: shapes and agreement with a naive reference', () => {
  const cases: [string, number[], [number, number], [number, number], 'valid' | 'same', number[]][] = [
    ['valid 3×3 stride 2', [2, 7, 6, 3], [3, 3], [2, 2], 'valid', [2, 3, 2, 3]],
    ['same 3×3 stride 2', [2, 7, 6, 3], [3, 3], [2, 2], 'same', [2, 4, 3, 3]],
    ['same 2×3 stride [1, 2]', [1, 5, 6, 2], [2, 3], [1, 2], 'same', [1, 5, 3, 2]],
    ['valid 4×2 stride 3', [1, 9, 5, 1], [4, 2], [3, 3], 'valid', [1, 2, 2, 1]],
    ['same stride larger than window', [1, 7, 7, 1], [2, 2], [3, 3], 'same', [1, 3, 3, 1]],
  ];
  cases.forEach(([name, xs, k, s, padding, expected], i) => {
    it(name, () => {
      const x = rand(xs, 40 + i);
      for (const kind of ['max', 'avg'] as const) {
        const f = kind === 'max' ? nb.maxPool2d : nb.avgPool2d;
        const y = f(x, { poolSize: k, strides: s, padding });
        assert.deepEqual([...y.shape], expected);
        const ref = refPool(kind, x, k, s, padding);
        assert.deepEqual(ref.shape, expected);
        assertClose(y, ref.values, { atol: 1e-12, rtol: 1e-12 });
      }
    });
  });
});

describe('pooling: gradient checks (float64)', () => {
  const configs: [string, number[], nb.Pool2dOptions][] = [
    ['valid 2×2, batch 2, 3 channels', [2, 4, 4, 3], { poolSize: 2 }],
    ['same 3×3 stride 2', [2, 5, 6, 2], { poolSize: 3, strides: 2, padding: 'same' }],
    ['overlapping 3×2 stride 1', [1, 5, 4, 2], { poolSize: [3, 2], strides: 1 }],
    ['unbatched, same 2×2 stride [1, 2]', [5, 5, 2], { poolSize: 2, strides: [1, 2], padding: 'same' }],
  ];
  for (const [name, xs, opts] of configs) {
    it(`maxPool2d: ${name}`, () => {
      assertGradcheck((x) => nb.maxPool2d(x!, opts), [distinct(xs, 1)]);
    });
    it(`avgPool2d: ${name}`, () => {
      assertGradcheck((x) => nb.avgPool2d(x!, opts), [rand(xs, 2)]);
    });
    if (xs.length === 4) {
      it(`maxPool2dBackprop (double backward) w.r.t. dy and x: ${name}`, () => {
        const x = distinct(xs, 3);
        const dyShape = [...nb.maxPool2d(x, opts).shape];
        assertGradcheck((dy, xx) => maxPool2dBackprop(dy!, xx!, opts), [rand(dyShape, 4), x]);
      });
      it(`avgPool2dBackprop (double backward) w.r.t. dy: ${name}`, () => {
        const dyShape = [...nb.avgPool2d(rand(xs, 5), opts).shape];
        assertGradcheck((dy) => avgPool2dBackprop(dy!, xs, opts), [rand(dyShape, 6)]);
      });
    }
  }

  it('the backprops agree with the gradients autograd computes', () => {
    const x = distinct([2, 5, 5, 2], 7);
    const opts: nb.Pool2dOptions = { poolSize: 3, strides: 2, padding: 'same' };
    const dy = rand([2, 3, 3, 2], 8);
    const gm = nb.grad((t: nb.Tensor) => nb.sum(nb.mul(nb.maxPool2d(t, opts), dy)))(x);
    assertClose(maxPool2dBackprop(dy, x, opts), gm, { atol: 1e-12 });
    const ga = nb.grad((t: nb.Tensor) => nb.sum(nb.mul(nb.avgPool2d(t, opts), dy)))(x);
    assertClose(avgPool2dBackprop(dy, x.shape, opts), ga, { atol: 1e-12 });
  });
});

describe('pooling: errors', () => {
  const x = nb.zeros([1, 4, 4, 2]);
  it('a window larger than the input with valid padding names the op and shape', () => {
    assertThrowsWith(() => nb.maxPool2d(x, { poolSize: 5 }), nb.ShapeError, ['maxPool2d', '5×5', '[1, 4, 4, 2]']);
    assertThrowsWith(() => nb.avgPool2d(x, { poolSize: [2, 5] }), nb.ShapeError, ['avgPool2d', '2×5', '[1, 4, 4, 2]']);
    assert.deepEqual([...nb.maxPool2d(x, { poolSize: 5, padding: 'same' }).shape], [1, 1, 1, 2]);
  });
  it('wrong rank', () => {
    assertThrowsWith(() => nb.maxPool2d(nb.zeros([4, 4]), { poolSize: 2 }), nb.ShapeError, ['maxPool2d', 'rank 3 or 4', '[4, 4]']);
  });
  it('dtypes', () => {
    assertThrowsWith(() => nb.avgPool2d(nb.zeros([1, 2, 2, 1], 'int32'), { poolSize: 2 }), nb.DTypeError, ['avgPool2d', 'int32']);
    assertThrowsWith(() => nb.maxPool2d(nb.zeros([1, 2, 2, 1], 'bool'), { poolSize: 2 }), nb.DTypeError, ['maxPool2d', 'bool']);
  });
  it('bad options', () => {
    assertThrowsWith(() => nb.maxPool2d(x, {} as nb.Pool2dOptions), nb.ValueError, ['maxPool2d', 'poolSize', 'required']);
    assertThrowsWith(() => nb.maxPool2d(x, { poolSize: 0 }), nb.ValueError, ['maxPool2d', 'poolSize', '0']);
    assertThrowsWith(() => nb.avgPool2d(x, { poolSize: 2, strides: [1, 2, 3] as unknown as [number, number] }), nb.ValueError, ['avgPool2d', 'strides']);
    assertThrowsWith(() => nb.avgPool2d(x, { poolSize: 2, padding: 'causal' as 'same' }), nb.ValueError, ['avgPool2d', 'padding', 'causal']);
  });
  it('a backprop whose dy does not have the pooled shape', () => {
    assertThrowsWith(() => maxPool2dBackprop(nb.zeros([1, 3, 3, 2]), x, { poolSize: 2 }), nb.ShapeError, ['maxPool2dBackprop', '[1, 2, 2, 2]', '[1, 3, 3, 2]']);
    assertThrowsWith(() => avgPool2dBackprop(nb.zeros([1, 3, 3, 2]), [1, 4, 4, 2], { poolSize: 2 }), nb.ShapeError, ['avgPool2dBackprop', '[1, 2, 2, 2]']);
  });
});
