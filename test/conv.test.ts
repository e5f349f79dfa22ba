import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import {
  conv2dBackpropFilter, conv2dBackpropInput, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput,
} from '../src/ops/conv.js';
import { assertClose, assertGradcheck, assertThrowsWith, rand } from './helpers.js';

interface RefOptions {
  strides?: number | readonly [number, number];
  dilations?: number | readonly [number, number];
  padding?: 'valid' | 'same';
  depthwise?: boolean;
}

/**
 * Naive float64 reference convolution written from the TensorFlow definition, independent of the
 * library: NHWC input, HWIO filter (HW·C·M for depthwise), 'same' pads the smaller half first.
 */
function refConv(x: nb.Tensor, f: nb.Tensor, o: RefOptions = {}): { shape: number[]; values: number[] } {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const [KH, KW, , last] = f.shape as [number, number, number, number];
  const pair = (v: number | readonly [number, number] | undefined): readonly [number, number] => (typeof v === 'number' ? [v, v] : (v ?? [1, 1]));
  const [sh, sw] = pair(o.strides);
  const [dh, dw] = pair(o.dilations);
  const eh = (KH - 1) * dh + 1;
  const ew = (KW - 1) * dw + 1;
  const same = o.padding === 'same';
  const OH = same ? Math.ceil(H / sh) : Math.floor((H - eh) / sh) + 1;
  const OW = same ? Math.ceil(W / sw) : Math.floor((W - ew) / sw) + 1;
  const pt = same ? Math.floor(Math.max((OH - 1) * sh + eh - H, 0) / 2) : 0;
  const pl = same ? Math.floor(Math.max((OW - 1) * sw + ew - W, 0) / 2) : 0;
  const OC = o.depthwise ? C * last : last;
  const xv = x.values;
  const fv = f.values;
  const out: number[] = [];
  for (let b = 0; b < B; b++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++)
        for (let oc = 0; oc < OC; oc++) {
          let s = 0;
          for (let p = 0; p < KH; p++)
            for (let q = 0; q < KW; q++) {
              const r = i * sh + p * dh - pt;
              const c = j * sw + q * dw - pl;
              if (r < 0 || r >= H || c < 0 || c >= W) continue;
              if (o.depthwise) {
                const ci = Math.floor(oc / last);
                s += xv[((b * H + r) * W + c) * C + ci]! * fv[((p * KW + q) * C + ci) * last + (oc % last)]!;
              } else {
                for (let ci = 0; ci < C; ci++) s += xv[((b * H + r) * W + c) * C + ci]! * fv[((p * KW + q) * C + ci) * OC + oc]!;
              }
            }
          out.push(s);
        }
  return { shape: [B, OH, OW, OC], values: out };
}

const t4 = (rows: number[][]): nb.Tensor => nb.tensor(rows.flat(), [1, rows.length, rows[0]!.length, 1], 'float64');
const X3 = t4([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
const F2 = nb.tensor([1, 2, 3, 4], [2, 2, 1, 1], 'float64');

describe('conv2d: hand-computed examples', () => {
  it('3×3 input, 2×2 filter, valid', () => {
    const y = nb.conv2d(X3, F2);
    assert.deepEqual([...y.shape], [1, 2, 2, 1]);
    assertClose(y, [37, 47, 67, 77]);
  });

  it("3×3 input, 2×2 filter, 'same' pads one row/column at the bottom/right", () => {
    const y = nb.conv2d(X3, F2, { padding: 'same' });
    assert.deepEqual([...y.shape], [1, 3, 3, 1]);
    assertClose(y, [37, 47, 3 + 6 * 3, 67, 77, 6 + 9 * 3, 7 + 8 * 2, 8 + 9 * 2, 9]);
  });

  it('stride 2 and dilation 2 pick the expected taps', () => {
    const x = t4([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15], [16, 17, 18, 19, 20], [21, 22, 23, 24, 25]]);
    const f = nb.tensor([1, 0, 0, 1], [2, 2, 1, 1], 'float64');
    // stride 2: x[i, j] + x[i+1, j+1] at i, j ∈ {0, 2}
    assertClose(nb.conv2d(x, f, { strides: 2 }), [1 + 7, 3 + 9, 11 + 17, 13 + 19]);
    // dilation 2: x[i, j] + x[i+2, j+2] at i, j ∈ {0, 1, 2}
    assertClose(nb.conv2d(x, f, { dilations: 2 }), [1 + 13, 2 + 14, 3 + 15, 6 + 18, 7 + 19, 8 + 20, 11 + 23, 12 + 24, 13 + 25]);
  });

  it('multiple channels: output channel o sums x·w over input channels', () => {
    const x = nb.tensor([1, 2, 3, 4], [1, 1, 2, 2], 'float64'); // two pixels, two channels
    const f = nb.tensor([1, 10, 100, 1000, 2, 20, 200, 2000], [1, 2, 2, 2], 'float64');
    // y[o] = Σ_k Σ_c x[k, c]·f[k, c, o]
    assertClose(nb.conv2d(x, f), [1 * 1 + 2 * 100 + 3 * 2 + 4 * 200, 1 * 10 + 2 * 1000 + 3 * 20 + 4 * 2000]);
  });

  it('gradients of sum(conv2d) are window sums (filter) and tap-count sums (input)', () => {
    const [dx, df] = nb.grads((x: nb.Tensor, f: nb.Tensor) => nb.sum(nb.conv2d(x, f)))(X3, F2);
    assertClose(df!, [12, 16, 24, 28]);
    assertClose(dx!, [1, 3, 2, 4, 10, 6, 3, 7, 4]);
  });

  it('accepts an unbatched rank-3 input and the chainable method', () => {
    const y = nb.reshape(X3, [3, 3, 1]).conv2d(F2);
    assert.deepEqual([...y.shape], [2, 2, 1]);
    assertClose(y, [37, 47, 67, 77]);
  });

  it('float32 in, float32 out; mixed float32/float64 promotes and gradients keep each dtype', () => {
    const x32 = nb.cast(X3, 'float32');
    assert.equal(nb.conv2d(x32, nb.cast(F2, 'float32')).dtype, 'float32');
    const y = nb.conv2d(x32, F2);
    assert.equal(y.dtype, 'float64');
    const [dx, df] = nb.grads((a: nb.Tensor, b: nb.Tensor) => nb.sum(nb.conv2d(a, b)))(x32, F2);
    assert.equal(dx!.dtype, 'float32');
    assert.equal(df!.dtype, 'float64');
    assertClose(dx!, [1, 3, 2, 4, 10, 6, 3, 7, 4]);
  });
});

describe('conv2d: output shapes and agreement with a naive reference', () => {
  const cases: [string, number[], number[], nb.Conv2dOptions, number[]][] = [
    ['valid', [2, 7, 6, 3], [3, 3, 3, 4], {}, [2, 5, 4, 4]],
    ['same', [2, 7, 6, 3], [3, 3, 3, 4], { padding: 'same' }, [2, 7, 6, 4]],
    ['valid stride 2', [1, 7, 6, 2], [3, 3, 2, 2], { strides: 2 }, [1, 3, 2, 2]],
    ['same stride 2', [1, 7, 6, 2], [3, 3, 2, 2], { strides: 2, padding: 'same' }, [1, 4, 3, 2]],
    ['stride [1, 3]', [1, 7, 7, 2], [2, 2, 2, 1], { strides: [1, 3] }, [1, 6, 2, 1]],
    ['valid dilation 2', [1, 7, 6, 2], [3, 3, 2, 2], { dilations: 2 }, [1, 3, 2, 2]],
    ['same dilation [2, 3]', [1, 7, 6, 2], [3, 2, 2, 2], { dilations: [2, 3], padding: 'same' }, [1, 7, 6, 2]],
    ['same even kernel 4×4 stride 3', [1, 8, 7, 1], [4, 4, 1, 2], { strides: 3, padding: 'same' }, [1, 3, 3, 2]],
    ['filter as large as the input', [1, 3, 3, 2], [3, 3, 2, 2], {}, [1, 1, 1, 2]],
  ];
  cases.forEach(([name, xs, fs, opts, expected], i) => {
    it(name, () => {
      const x = rand(xs, 10 + i);
      const f = rand(fs, 50 + i);
      const y = nb.conv2d(x, f, opts);
      assert.deepEqual([...y.shape], expected);
      const ref = refConv(x, f, opts);
      assert.deepEqual(ref.shape, expected);
      assertClose(y, ref.values, { atol: 1e-12, rtol: 1e-12 });
    });
  });

  it('batch of zero gives an empty result of the right shape', () => {
    assert.deepEqual([...nb.conv2d(nb.zeros([0, 4, 4, 2]), nb.zeros([3, 3, 2, 5])).shape], [0, 2, 2, 5]);
  });
});

describe('conv2d family: gradient checks (float64)', () => {
  const configs: [string, number[], number[], nb.Conv2dOptions][] = [
    ['valid, batch 2, 2→3 channels', [2, 5, 4, 2], [3, 2, 2, 3], {}],
    ['same, stride 2', [2, 5, 6, 2], [3, 3, 2, 2], { padding: 'same', strides: 2 }],
    ['same, dilation 2', [1, 6, 5, 2], [2, 3, 2, 2], { padding: 'same', dilations: 2 }],
    ['valid, stride [2, 1], dilation [1, 2]', [2, 6, 6, 1], [2, 2, 1, 3], { strides: [2, 1], dilations: [1, 2] }],
  ];
  for (const [name, xs, fs, opts] of configs) {
    it(`conv2d w.r.t. input and filter: ${name}`, () => {
      assertGradcheck((x, f) => nb.conv2d(x!, f!, opts), [rand(xs, 1), rand(fs, 2)]);
    });
    it(`conv2dBackpropInput (double backward) w.r.t. dy and filter: ${name}`, () => {
      const dyShape = [...nb.conv2d(rand(xs, 1), rand(fs, 2), opts).shape];
      assertGradcheck((dy, f) => conv2dBackpropInput(dy!, f!, xs, opts), [rand(dyShape, 3), rand(fs, 4)]);
    });
    it(`conv2dBackpropFilter (double backward) w.r.t. input and dy: ${name}`, () => {
      const dyShape = [...nb.conv2d(rand(xs, 1), rand(fs, 2), opts).shape];
      assertGradcheck((x, dy) => conv2dBackpropFilter(x!, dy!, fs, opts), [rand(xs, 5), rand(dyShape, 6)]);
    });
  }

  it('conv2d on an unbatched rank-3 input', () => {
    assertGradcheck((x, f) => nb.conv2d(x!, f!, { padding: 'same' }), [rand([4, 4, 2], 7), rand([3, 3, 2, 2], 8)]);
  });

  it('the backprops agree with the gradients autograd computes', () => {
    const x = rand([2, 5, 5, 2], 9);
    const f = rand([3, 3, 2, 3], 10);
    const opts: nb.Conv2dOptions = { strides: 2, padding: 'same' };
    const y = nb.conv2d(x, f, opts);
    const dy = rand([...y.shape], 11);
    const { grads } = nb.valueAndGrad((a: nb.Tensor, b: nb.Tensor) => nb.sum(nb.mul(nb.conv2d(a, b, opts), dy)))(x, f);
    assertClose(conv2dBackpropInput(dy, f, x.shape, opts), grads[0]!, { atol: 1e-12 });
    assertClose(conv2dBackpropFilter(x, dy, f.shape, opts), grads[1]!, { atol: 1e-12 });
  });
});

describe('depthwiseConv2d', () => {
  it('hand example: channel c, multiplier q scales x[c] by f[c, q]', () => {
    const x = nb.tensor([1, 2, 3, 4], [1, 1, 2, 2], 'float64');
    const f = nb.tensor([10, 20, 30, 40], [1, 1, 2, 2], 'float64');
    const y = nb.depthwiseConv2d(x, f);
    assert.deepEqual([...y.shape], [1, 1, 2, 4]);
    assertClose(y, [10, 20, 60, 80, 30, 60, 120, 160]);
  });

  const cases: [string, number[], number[], nb.Conv2dOptions][] = [
    ['valid, multiplier 2, batch 2', [2, 5, 4, 3], [3, 2, 3, 2], {}],
    ['same, stride 2', [1, 5, 6, 2], [3, 3, 2, 1], { padding: 'same', strides: 2 }],
    ['same, dilation 2, multiplier 3', [1, 6, 5, 2], [2, 2, 2, 3], { padding: 'same', dilations: 2 }],
  ];
  cases.forEach(([name, xs, fs, opts], i) => {
    it(`matches the naive reference: ${name}`, () => {
      const x = rand(xs, 20 + i);
      const f = rand(fs, 30 + i);
      const ref = refConv(x, f, { ...(opts), depthwise: true });
      const y = nb.depthwiseConv2d(x, f, opts);
      assert.deepEqual([...y.shape], ref.shape);
      assertClose(y, ref.values, { atol: 1e-12, rtol: 1e-12 });
    });
    it(`gradcheck w.r.t. input and filter: ${name}`, () => {
      assertGradcheck((x, f) => nb.depthwiseConv2d(x!, f!, opts), [rand(xs, 1), rand(fs, 2)]);
    });
    it(`gradcheck of its backprops (double backward): ${name}`, () => {
      const dyShape = [...nb.depthwiseConv2d(rand(xs, 1), rand(fs, 2), opts).shape];
      assertGradcheck((dy, f) => depthwiseConv2dBackpropInput(dy!, f!, xs, opts), [rand(dyShape, 3), rand(fs, 4)]);
      assertGradcheck((x, dy) => depthwiseConv2dBackpropFilter(x!, dy!, fs, opts), [rand(xs, 5), rand(dyShape, 6)]);
    });
  });
});

describe('conv2dTranspose', () => {
  it('hand example: stride 1 and stride 2 with a ones filter', () => {
    const x = t4([[1, 2], [3, 4]]);
    const ones = nb.ones([2, 2, 1, 1], 'float64');
    assertClose(nb.conv2dTranspose(x, ones), [1, 3, 2, 4, 10, 6, 3, 7, 4]);
    const y = nb.conv2dTranspose(x, ones, [1, 4, 4, 1], { strides: 2 });
    assert.deepEqual([...y.shape], [1, 4, 4, 1]);
    assertClose(y, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  it('default output sizes follow Keras: (in − 1)·s + k for valid, in·s for same', () => {
    const x = rand([2, 3, 4, 5], 1);
    const f = rand([3, 3, 2, 5], 2); // [kH, kW, outC, inC]
    assert.deepEqual([...nb.conv2dTranspose(x, f, undefined, { strides: 2 }).shape], [2, 7, 9, 2]);
    assert.deepEqual([...nb.conv2dTranspose(x, f, undefined, { strides: 2, padding: 'same' }).shape], [2, 6, 8, 2]);
    // An explicit shape may pick another size the forward convolution maps back to x's size.
    assert.deepEqual([...nb.conv2dTranspose(x, f, [2, 8, 10, 2], { strides: 2 }).shape], [2, 8, 10, 2]);
    assert.deepEqual([...nb.conv2dTranspose(rand([3, 4, 5], 3), f, [6, 8, 2], { strides: 2, padding: 'same' }).shape], [6, 8, 2]);
  });

  it('is the adjoint of conv2d: <conv2d(a, f), b> = <a, conv2dTranspose(b, f)>', () => {
    const a = rand([2, 6, 5, 3], 3);
    const f = rand([3, 3, 3, 2], 4);
    const opts: nb.Conv2dOptions = { strides: 2, padding: 'same' };
    const ya = nb.conv2d(a, f, opts);
    const b = rand([...ya.shape], 5);
    const lhs = nb.sum(nb.mul(ya, b)).item();
    const rhs = nb.sum(nb.mul(a, nb.conv2dTranspose(b, f, a.shape, opts))).item();
    assertClose(lhs, rhs, { atol: 1e-10 });
  });

  const cases: [string, number[], number[], number[] | undefined, nb.Conv2dOptions][] = [
    ['valid, stride 1', [2, 3, 3, 2], [2, 2, 3, 2], undefined, {}],
    ['same, stride 2', [1, 3, 2, 2], [3, 3, 2, 2], [1, 6, 4, 2], { strides: 2, padding: 'same' }],
    ['valid, stride 2, odd explicit size', [2, 2, 3, 1], [3, 2, 2, 1], [2, 6, 7, 2], { strides: 2 }],
    ['same, dilation 2', [1, 4, 3, 2], [2, 2, 1, 2], undefined, { dilations: 2, padding: 'same' }],
  ];
  for (const [name, xs, fs, out, opts] of cases) {
    it(`gradcheck w.r.t. input and filter: ${name}`, () => {
      assertGradcheck((x, f) => nb.conv2dTranspose(x!, f!, out, opts), [rand(xs, 1), rand(fs, 2)]);
    });
  }
});

describe('conv1d', () => {
  const x = nb.tensor([1, 2, 3, 4], [1, 4, 1], 'float64');
  const f = nb.tensor([1, 2], [2, 1, 1], 'float64');

  it('hand examples: valid, same, causal, stride, dilation', () => {
    assertClose(nb.conv1d(x, f), [5, 8, 11]);
    assertClose(nb.conv1d(x, f, { padding: 'same' }), [5, 8, 11, 4]);
    assertClose(nb.conv1d(x, f, { padding: 'causal' }), [2, 5, 8, 11]);
    assertClose(nb.conv1d(x, f, { stride: 2 }), [5, 11]);
    assertClose(nb.conv1d(x, f, { dilation: 2 }), [1 + 6, 2 + 8]);
    assertClose(nb.conv1d(x, f, { dilation: 2, padding: 'causal' }), [2, 4, 7, 10]);
  });

  it('shapes, including unbatched input', () => {
    assert.deepEqual([...nb.conv1d(rand([3, 9, 2], 1), rand([3, 2, 5], 2), { stride: 2 }).shape], [3, 4, 5]);
    assert.deepEqual([...nb.conv1d(rand([3, 9, 2], 1), rand([3, 2, 5], 2), { stride: 2, padding: 'same' }).shape], [3, 5, 5]);
    assert.deepEqual([...nb.conv1d(rand([9, 2], 1), rand([3, 2, 5], 2), { padding: 'causal' }).shape], [9, 5]);
  });

  const cases: [string, number[], number[], nb.Conv1dOptions][] = [
    ['valid, batch 2', [2, 6, 2], [3, 2, 3], {}],
    ['same, stride 2', [2, 7, 2], [3, 2, 2], { padding: 'same', stride: 2 }],
    ['causal, dilation 2', [1, 7, 3], [2, 3, 2], { padding: 'causal', dilation: 2 }],
    ['unbatched, dilation 2', [7, 2], [3, 2, 2], { dilation: 2 }],
  ];
  for (const [name, xs, fs, opts] of cases) {
    it(`gradcheck w.r.t. input and filter: ${name}`, () => {
      assertGradcheck((a, b) => nb.conv1d(a!, b!, opts), [rand(xs, 1), rand(fs, 2)]);
    });
  }
});

describe('convolution: errors', () => {
  const x = nb.zeros([1, 5, 5, 3]);
  it('channel mismatch names the op and both shapes', () => {
    assertThrowsWith(() => nb.conv2d(x, nb.zeros([3, 3, 4, 8])), nb.ShapeError, ['conv2d', '[1, 5, 5, 3]', '[3, 3, 4, 8]']);
    assertThrowsWith(() => nb.depthwiseConv2d(x, nb.zeros([3, 3, 2, 1])), nb.ShapeError, ['depthwiseConv2d', '[1, 5, 5, 3]', '[3, 3, 2, 1]']);
    assertThrowsWith(() => nb.conv2dTranspose(x, nb.zeros([3, 3, 2, 4])), nb.ShapeError, ['conv2dTranspose', '[1, 5, 5, 3]', '[3, 3, 2, 4]']);
    assertThrowsWith(() => nb.conv1d(nb.zeros([1, 5, 3]), nb.zeros([2, 4, 1])), nb.ShapeError, ['conv1d', '[1, 5, 3]', '[2, 4, 1]']);
  });
  it("a filter larger than the input with 'valid' padding", () => {
    assertThrowsWith(() => nb.conv2d(x, nb.zeros([6, 3, 3, 1])), nb.ShapeError, ['conv2d', 'larger than the input', '[1, 5, 5, 3]', '[6, 3, 3, 1]']);
    assertThrowsWith(() => nb.conv2d(x, nb.zeros([3, 3, 3, 1]), { dilations: 3 }), nb.ShapeError, ['conv2d', '7×7', 'dilations [3, 3]']);
    assertThrowsWith(() => nb.conv1d(nb.zeros([1, 2, 1]), nb.zeros([3, 1, 1])), nb.ShapeError, ['conv1d', '[1, 2, 1]']);
    // 'same' padding is fine
    assert.deepEqual([...nb.conv2d(x, nb.zeros([6, 3, 3, 1]), { padding: 'same' }).shape], [1, 5, 5, 1]);
  });
  it('non-float dtypes are a DTypeError naming the op and dtype', () => {
    assertThrowsWith(() => nb.conv2d(nb.zeros([1, 3, 3, 1], 'int32'), nb.zeros([2, 2, 1, 1])), nb.DTypeError, ['conv2d', 'int32']);
    assertThrowsWith(() => nb.conv2d(nb.zeros([1, 3, 3, 1]), nb.zeros([2, 2, 1, 1], 'bool')), nb.DTypeError, ['conv2d', 'filter', 'bool']);
    assertThrowsWith(() => nb.conv1d(nb.zeros([1, 3, 1], 'int32'), nb.zeros([2, 1, 1])), nb.DTypeError, ['conv1d', 'int32']);
    assertThrowsWith(() => nb.depthwiseConv2d(nb.zeros([1, 3, 3, 1], 'int32'), nb.zeros([2, 2, 1, 1])), nb.DTypeError, ['depthwiseConv2d', 'int32']);
  });
  it('wrong ranks', () => {
    assertThrowsWith(() => nb.conv2d(nb.zeros([5, 5]), nb.zeros([3, 3, 1, 1])), nb.ShapeError, ['conv2d', 'rank 3 or 4', '[5, 5]']);
    assertThrowsWith(() => nb.conv2d(x, nb.zeros([3, 3, 3])), nb.ShapeError, ['conv2d', 'filter', '[3, 3, 3]']);
  });
  it('bad options are a ValueError', () => {
    assertThrowsWith(() => nb.conv2d(x, nb.zeros([3, 3, 3, 1]), { strides: 0 }), nb.ValueError, ['conv2d', 'strides', '0']);
    assertThrowsWith(() => nb.conv2d(x, nb.zeros([3, 3, 3, 1]), { dilations: [1, 1.5] as unknown as [number, number] }), nb.ValueError, ['conv2d', 'dilations']);
    assertThrowsWith(() => nb.conv2d(x, nb.zeros([3, 3, 3, 1]), { padding: 'full' as 'same' }), nb.ValueError, ['conv2d', 'padding', 'full']);
    assertThrowsWith(() => nb.conv1d(nb.zeros([1, 5, 1]), nb.zeros([2, 1, 1]), { stride: -1 }), nb.ValueError, ['conv1d', 'stride', '-1']);
  });
  it('conv2dTranspose: an output shape the convolution does not map back to x', () => {
    assertThrowsWith(
      () => nb.conv2dTranspose(nb.zeros([1, 3, 3, 2]), nb.zeros([2, 2, 1, 2]), [1, 9, 9, 1], { strides: 2 }),
      nb.ShapeError,
      ['conv2dTranspose', '[1, 9, 9, 1]', '4×4', '3×3'],
    );
    assertThrowsWith(() => nb.conv2dTranspose(nb.zeros([1, 3, 3, 2]), nb.zeros([2, 2, 1, 2]), [1, 4, 4, 5]), nb.ShapeError, ['conv2dTranspose', 'outputShape', '1 channels']);
    assertThrowsWith(() => nb.conv2dTranspose(nb.zeros([1, 3, 3, 2]), nb.zeros([2, 2, 1, 2]), [4, 4, 1]), nb.ShapeError, ['conv2dTranspose', 'outputShape']);
  });
  it('a backprop whose dy does not match the geometry', () => {
    assertThrowsWith(() => conv2dBackpropFilter(nb.zeros([1, 5, 5, 1]), nb.zeros([1, 4, 4, 2]), [3, 3, 1, 2]), nb.ShapeError, ['conv2dBackpropFilter', '3×3', '4×4']);
  });
});
