import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { ConvInfo, DepthwiseInfo, MatmulInfo, PoolInfo } from '../src/backend/backend.js';
import { BINARY_OPS, UNARY_OPS } from '../src/backend/backend.js';
import { cpuBackend as cpu } from '../src/backend/cpu/cpu-backend.js';
import { loadNativeAddon } from '../src/backend/native/loader.js';
import { nativeBackend } from '../src/backend/native/native-backend.js';

const root = resolve(import.meta.dirname, '..');
const native = nativeBackend();
const skip = native === null ? `native addon unavailable: ${loadNativeAddon().reason}` : false;
const nat = native!;
const EPS = 2 ** -24;
/** Results below the smallest normal float32 are flushed to zero by the native kernels (FTZ/DAZ). */
const FLT_MIN = 1.1754943508222875e-38;

/** Seeded uniform float32 values in [lo, hi). */
function rand(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return out;
}
const ints = (n: number, seed: number, range = 4): Float32Array => rand(n, seed, 0, range).map(Math.floor);
const abs = (a: Float32Array): Float32Array => a.map(Math.abs);

/** |got − want| ≤ atol + rtol·|want| + bound[i] elementwise (NaN matches NaN, equal infinities match). */
function check(got: ArrayLike<number>, want: ArrayLike<number>, what: string, rtol = 1e-6, atol = 0, bound?: ArrayLike<number>): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) ? Number.isNaN(g) : g === w) continue;
    const tol = atol + rtol * Math.abs(w) + (bound ? bound[i]! : 0);
    assert.ok(Math.abs(g - w) <= tol, `${what}[${i}]: got ${g}, want ${w} (tol ${tol})`);
  }
}

/**
 * Runs a kernel on the reference (float64 output, exact products) and on native (float32), and
 * checks every output against the rounding bound of a float32 sum: (terms + 2)·u·Σ|products|,
 * computed by running the reference on absolute values.
 */
function checkSums(what: string, terms: number, run: (b: typeof cpu, out: Float32Array | Float64Array, abs: boolean) => void, n: number): void {
  const want = new Float64Array(n);
  const mag = new Float64Array(n);
  const got = new Float32Array(n).fill(NaN);
  run(cpu, want, false);
  run(cpu, mag, true);
  run(nat, got, false);
  check(got, want, what, 0, 1e-30, mag.map((m) => (terms + 2) * EPS * m));
}

function convInfo(batch: number, inH: number, inW: number, inC: number, outC: number, k: number, stride: number, dilation: number, same: boolean, kW = k): ConvInfo {
  const ekH = dilation * (k - 1) + 1;
  const ekW = dilation * (kW - 1) + 1;
  const outH = same ? Math.ceil(inH / stride) : Math.floor((inH - ekH) / stride) + 1;
  const outW = same ? Math.ceil(inW / stride) : Math.floor((inW - ekW) / stride) + 1;
  const padTop = same ? Math.floor(Math.max((outH - 1) * stride + ekH - inH, 0) / 2) : 0;
  const padLeft = same ? Math.floor(Math.max((outW - 1) * stride + ekW - inW, 0) / 2) : 0;
  return { batch, inH, inW, inC, outH, outW, outC, kH: k, kW, strideH: stride, strideW: stride, dilationH: dilation, dilationW: dilation, padTop, padLeft };
}

function poolInfo(batch: number, inH: number, inW: number, channels: number, k: number, stride: number, same: boolean): PoolInfo {
  const c = convInfo(batch, inH, inW, channels, channels, k, stride, 1, same);
  return { batch, inH, inW, channels, outH: c.outH, outW: c.outW, kH: k, kW: k, strideH: stride, strideW: stride, padTop: c.padTop, padLeft: c.padLeft };
}

function matmulCase(batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean, shareA = false, shareB = false): void {
  const info: MatmulInfo = { batch, m, n, k, transA, transB, aBatchStride: shareA ? 0 : m * k, bBatchStride: shareB ? 0 : k * n };
  const a = rand((shareA ? 1 : batch) * m * k, m * 7 + k);
  const b = rand((shareB ? 1 : batch) * k * n, n * 13 + k);
  const [aa, ab] = [abs(a), abs(b)];
  checkSums(`matmul b${batch} ${m}x${k}x${n} tA=${transA} tB=${transB} shareA=${shareA} shareB=${shareB}`, k,
    (be, out, useAbs) => be.matmul(useAbs ? aa : a, useAbs ? ab : b, out, info), batch * m * n);
}

const CONV_CASES: [string, ConvInfo][] = [
  ['3x3 same', convInfo(2, 9, 7, 3, 13, 3, 1, 1, true)],
  ['3x3 valid, 16→32', convInfo(1, 12, 12, 16, 32, 3, 1, 1, false)],
  ['5x3 stride 2 same', convInfo(2, 13, 11, 7, 5, 5, 2, 1, true, 3)],
  ['3x3 dilation 2 same', convInfo(1, 11, 12, 5, 9, 3, 1, 2, true)],
  ['3x3 stride 2 dilation 2 valid', convInfo(2, 15, 13, 4, 6, 3, 2, 2, false)],
  ['1x1 pointwise', convInfo(2, 7, 5, 13, 127, 1, 1, 1, false)],
  ['1x1 stride 2', convInfo(1, 8, 8, 6, 7, 1, 2, 1, false)],
  ['whole image', convInfo(3, 4, 5, 6, 7, 4, 1, 1, false, 5)],
  ['large: 32→64 on 26x26', convInfo(2, 26, 26, 32, 64, 3, 1, 1, false)],
  ['pad beyond kernel', { ...convInfo(1, 6, 6, 2, 3, 2, 1, 1, false), padTop: 3, padLeft: 2, outH: 10, outW: 9 }],
];

describe('native backend: kernels against the cpu reference', { skip }, () => {
  it('matmul: every transpose combination on odd and edge sizes', () => {
    const sizes: [number, number, number][] = [[1, 1, 1], [7, 13, 127], [127, 7, 13], [13, 127, 7], [1, 300, 70], [2, 64, 33], [70, 50, 1], [33, 29, 15], [150, 260, 130]];
    for (const [m, n, k] of sizes) for (const tA of [false, true]) for (const tB of [false, true]) matmulCase(1, m, n, k, tA, tB);
  });

  it('matmul: large K, split-K and thread-sized products', () => {
    matmulCase(1, 64, 33, 2000, false, false);
    matmulCase(1, 15, 17, 2000, true, true);
    matmulCase(1, 20, 24, 30000, false, false); // small output, long reduction: split over threads
    matmulCase(1, 300, 200, 500, false, true);
    matmulCase(1, 1000, 70, 100, true, false);
    // Short reductions (k ≤ 16) take the register-blocked direct kernel: row counts not a multiple of 4, n not of 16.
    for (const tA of [false, true]) {
      matmulCase(1, 4327, 32, 9, tA, false);
      matmulCase(1, 301, 37, 16, tA, false);
      matmulCase(1, 6, 16, 1, tA, false);
    }
  });

  it('matmul: batches, including a batch stride of 0 on either side', () => {
    matmulCase(3, 7, 13, 127, false, false);
    matmulCase(4, 33, 17, 9, false, false, true, false);
    matmulCase(4, 33, 17, 9, true, true, false, true);
    matmulCase(5, 40, 50, 60, false, true, true, false);
    matmulCase(2, 1, 1, 1, false, false, true, true);
  });

  it('conv2d forward and both gradients: stride, padding, dilation, pointwise, odd channels', () => {
    for (const [name, info] of CONV_CASES) {
      const x = rand(info.batch * info.inH * info.inW * info.inC, 1);
      const f = rand(info.kH * info.kW * info.inC * info.outC, 2);
      const dy = rand(info.batch * info.outH * info.outW * info.outC, 3);
      const [xa, fa, dya] = [abs(x), abs(f), abs(dy)];
      const taps = info.kH * info.kW;
      checkSums(`conv2d ${name}`, taps * info.inC, (b, out, u) => b.conv2d(u ? xa : x, u ? fa : f, out, info), dy.length);
      checkSums(`conv2dBackpropInput ${name}`, taps * info.outC, (b, out, u) => b.conv2dBackpropInput(u ? dya : dy, u ? fa : f, out, info), x.length);
      checkSums(`conv2dBackpropFilter ${name}`, info.batch * info.outH * info.outW, (b, out, u) => b.conv2dBackpropFilter(u ? xa : x, u ? dya : dy, out, info), f.length);
    }
  });

  it('matmul and conv2d with the fused bias + activation epilogue, on every GEMM path', () => {
    const acts = ['linear', 'relu', 'sigmoid', 'tanh'] as const;
    const mm: [number, number, number][] = [[3, 5, 7], [7, 13, 127], [2, 2000, 100], [20, 24, 30000], [150, 260, 130], [300, 200, 500]];
    for (const [m, n, k] of mm) {
      const info: MatmulInfo = { batch: 1, m, n, k, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
      const [a, b, bias] = [rand(m * k, m + k), rand(k * n, n + k), rand(n, n)];
      for (const act of acts) {
        for (const withBias of [true, false]) {
          const want = new Float64Array(m * n);
          cpu.matmul(a, b, want, info);
          cpu.biasActivation(want, withBias ? bias : new Float32Array(n), want, m, n, act);
          const got = new Float32Array(m * n);
          nat.matmulBiasActivation!(a, b, withBias ? bias : null, got, info, act);
          check(got, want, `matmul epilogue ${m}x${k}x${n} ${act} bias=${withBias}`, 1e-4, 1e-4 * Math.sqrt(k));
        }
      }
    }
    for (const [name, info] of [CONV_CASES[0]!, CONV_CASES[2]!, CONV_CASES[5]!, CONV_CASES[7]!, CONV_CASES[8]!]) {
      const x = rand(info.batch * info.inH * info.inW * info.inC, 31);
      const f = rand(info.kH * info.kW * info.inC * info.outC, 32);
      const bias = rand(info.outC, 33);
      const rows = info.batch * info.outH * info.outW;
      for (const act of acts) {
        const want = new Float64Array(rows * info.outC);
        cpu.conv2d(x, f, want, info);
        cpu.biasActivation(want, bias, want, rows, info.outC, act);
        const got = new Float32Array(want.length);
        nat.conv2dBiasActivation!(x, f, bias, got, info, act);
        check(got, want, `conv2d epilogue ${name} ${act}`, 1e-4, 1e-4 * Math.sqrt(info.kH * info.kW * info.inC));
      }
    }
  });

  it('depthwise conv2d and both gradients, with channel multipliers', () => {
    for (const [name, base, multiplier] of [['3x3 same', CONV_CASES[0]![1], 1], ['5x3 stride 2', CONV_CASES[2]![1], 2], ['dilated', CONV_CASES[3]![1], 3], ['1x1', CONV_CASES[5]![1], 1]] as const) {
      const info: DepthwiseInfo = { ...base, outC: base.inC * multiplier, multiplier };
      const x = rand(info.batch * info.inH * info.inW * info.inC, 4);
      const f = rand(info.kH * info.kW * info.outC, 5);
      const dy = rand(info.batch * info.outH * info.outW * info.outC, 6);
      const [xa, fa, dya] = [abs(x), abs(f), abs(dy)];
      const taps = info.kH * info.kW;
      checkSums(`depthwise ${name}`, taps, (b, out, u) => b.depthwiseConv2d(u ? xa : x, u ? fa : f, out, info), dy.length);
      checkSums(`depthwise input ${name}`, taps * multiplier, (b, out, u) => b.depthwiseConv2dBackpropInput(u ? dya : dy, u ? fa : f, out, info), x.length);
      checkSums(`depthwise filter ${name}`, info.batch * info.outH * info.outW, (b, out, u) => b.depthwiseConv2dBackpropFilter(u ? xa : x, u ? dya : dy, out, info), f.length);
    }
  });

  it('max and average pooling with same/valid padding, ties and NaN (first maximum gets the gradient)', () => {
    const cases = [poolInfo(2, 7, 9, 3, 3, 2, true), poolInfo(1, 8, 8, 70, 2, 2, false), poolInfo(2, 13, 13, 5, 3, 1, true), poolInfo(1, 40, 40, 130, 3, 2, true)];
    for (const info of cases) {
      const label = `pool ${info.inH}x${info.inW}x${info.channels} k${info.kH} s${info.strideH} pad${info.padTop}`;
      const x = ints(info.batch * info.inH * info.inW * info.channels, 7);
      x[5] = NaN;
      x[info.channels * 3 + 1] = NaN;
      const dy = rand(info.batch * info.outH * info.outW * info.channels, 8);
      const run = (be: typeof cpu): Float32Array[] => {
        const outs = [new Float32Array(dy.length), new Float32Array(x.length), new Float32Array(dy.length), new Float32Array(x.length)];
        be.maxPool2d(x, outs[0]!, info);
        be.maxPool2dBackprop(dy, x, outs[1]!, info);
        be.avgPool2d(x, outs[2]!, info);
        be.avgPool2dBackprop(dy, outs[3]!, info);
        return outs;
      };
      const [want, got] = [run(cpu), run(nat)];
      check(got[0]!, want[0]!, `maxPool2d ${label}`, 0);
      check(got[1]!, want[1]!, `maxPool2dBackprop ${label}`, 1e-6, 1e-6);
      check(got[2]!, want[2]!, `avgPool2d ${label}`, 1e-6, 1e-6);
      check(got[3]!, want[3]!, `avgPool2dBackprop ${label}`, 1e-6, 1e-6);
    }
  });

  it('every unary op, special values included', () => {
    const x = rand(4099, 9, -6, 6);
    x.set([0, -0, Infinity, -Infinity, NaN, 100, -100, 1e-30, -1e-30, 0.5, -0.5, 1.5, 2.5, -2.5, 88, -88, 0.625, -0.625, 1e-8, 3e38]);
    const pos = rand(4099, 10, 1e-3, 50);
    pos.set([0, Infinity, 1, 2, 1e-30, 3e38]);
    for (const op of UNARY_OPS) {
      const input = ['log', 'sqrt', 'rsqrt', 'log1p'].includes(op) ? pos : x;
      const boolOut = op === 'isNaN' || op === 'isFinite' || op === 'logicalNot';
      const want = boolOut ? new Uint8Array(input.length) : new Float32Array(input.length);
      const got = boolOut ? new Uint8Array(input.length) : new Float32Array(input.length);
      cpu.unary(op, input, want);
      nat.unary(op, input, got);
      const approx = ['exp', 'log', 'tanh', 'sigmoid', 'softplus'].includes(op);
      // exp/log/tanh/sigmoid/softplus use float32 polynomials (a few ulp); the rest round the reference's result.
      check(got, want, `unary ${op}`, approx ? 1e-6 : 4 * EPS, FLT_MIN);
    }
  });

  it('every binary op with same-shape, scalar, row, column and general broadcasting', () => {
    const shapes: [number[], number[]][] = [[[5, 7], [5, 7]], [[5, 7], []], [[], [5, 7]], [[3, 5, 7], [7]], [[5, 7], [5, 1]], [[2, 1, 3], [4, 1]], [[1], [9]], [[300, 301], [301]], [[1], [1]]];
    for (const op of BINARY_OPS) {
      for (const [as, bs] of shapes) {
        const out = [...(as.length > bs.length ? as : bs)].map((_, i, arr) => {
          const da = as[as.length - arr.length + i] ?? 1;
          const db = bs[bs.length - arr.length + i] ?? 1;
          return Math.max(da, db);
        });
        const size = (s: number[]): number => s.reduce((p, d) => p * d, 1);
        const a = op === 'pow' ? rand(size(as), 11, 0, 3) : ints(size(as), 11, 5).map((v) => v - 2);
        const b = op === 'pow' ? rand(size(bs), 12, -2, 2) : ints(size(bs), 12, 5).map((v) => v - 2);
        if (a.length > 2) a[1] = NaN;
        const boolOut = BINARY_OPS.indexOf(op) >= BINARY_OPS.indexOf('equal');
        const want = boolOut ? new Uint8Array(size(out)) : new Float32Array(size(out));
        const got = boolOut ? new Uint8Array(size(out)) : new Float32Array(size(out));
        cpu.binary(op, a, as, b, bs, want, out);
        nat.binary(op, a, as, b, bs, got, out);
        check(got, want, `binary ${op} [${as}] [${bs}]`, 4 * EPS, FLT_MIN);
      }
    }
  });

  it('reductions sum/prod/max/min over [outer, n, inner] views, long rows and empty axes', () => {
    const views: [number, number, number][] = [[1, 1, 1], [3, 127, 1], [13, 7, 5], [1, 200000, 1], [2, 100001, 1], [1, 300, 1000], [4, 0, 3], [1, 5, 70000]];
    for (const op of ['sum', 'prod', 'max', 'min'] as const) {
      for (const [outer, n, inner] of views) {
        const x = op === 'prod' ? rand(outer * n * inner, 13, 0.9, 1.1) : rand(outer * n * inner, 13);
        if (x.length > 10 && op !== 'sum') x[7] = NaN;
        const want = new Float32Array(outer * inner);
        const got = new Float32Array(outer * inner);
        cpu.reduce(op, x, outer, n, inner, want);
        nat.reduce(op, x, outer, n, inner, got);
        check(got, want, `reduce ${op} [${outer}, ${n}, ${inner}]`, op === 'sum' || op === 'prod' ? 1e-5 : 0, op === 'sum' ? 1e-6 : 0);
      }
    }
  });

  it('softmax, log-softmax and softmax cross-entropy (with and without gradient)', () => {
    for (const [rows, n] of [[1, 1], [7, 13], [13, 127], [300, 1000]] as const) {
      const x = rand(rows * n, 14, -20, 20);
      for (const log of [false, true]) {
        const want = new Float64Array(x.length);
        const got = new Float32Array(x.length);
        cpu.softmax(x, want, rows, n, log);
        nat.softmax(x, got, rows, n, log);
        check(got, want, `softmax log=${log} ${rows}x${n}`, 2e-6, 1e-6);
      }
      const t = rand(rows * n, 15, 0, 1);
      for (const withGrad of [false, true]) {
        const [lw, lg] = [new Float64Array(rows), new Float32Array(rows)];
        const [gw, gg] = [new Float64Array(x.length), new Float32Array(x.length)];
        cpu.softmaxCrossEntropy(x, t, lw, withGrad ? gw : null, rows, n);
        nat.softmaxCrossEntropy(x, t, lg, withGrad ? gg : null, rows, n);
        check(lg, lw, `softmaxCrossEntropy loss ${rows}x${n}`, 2e-6, 1e-5);
        if (withGrad) check(gg, gw, `softmaxCrossEntropy grad ${rows}x${n}`, 2e-6, 1e-6);
      }
    }
  });

  it('biasActivation for every activation', () => {
    for (const act of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
      for (const [rows, cols] of [[1, 1], [7, 13], [129, 127], [600, 300]] as const) {
        const x = rand(rows * cols, 16, -5, 5);
        x[0] = NaN;
        const bias = rand(cols, 17);
        const [want, got] = [new Float64Array(x.length), new Float32Array(x.length)];
        cpu.biasActivation(x, bias, want, rows, cols, act);
        nat.biasActivation(x, bias, got, rows, cols, act);
        check(got, want, `biasActivation ${act} ${rows}x${cols}`, 1e-6, 1e-7);
      }
    }
  });

  it('activationGrad for every activation, including NaN and the relu kink at 0', () => {
    for (const act of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
      for (const n of [1, 7, 127, 70001]) {
        const y = act === 'sigmoid' ? rand(n, 21, 0, 1) : act === 'tanh' ? rand(n, 21, -1, 1) : rand(n, 21, -3, 3);
        y[0] = NaN;
        if (n > 1) y[1] = 0;
        const dy = rand(n, 22);
        const [want, got] = [new Float64Array(n), new Float32Array(n)];
        cpu.activationGrad(act, y, dy, want);
        nat.activationGrad(act, y, dy, got);
        check(got, want, `activationGrad ${act} ${n}`, 1e-6, 1e-7);
      }
    }
  });

  it('SGD (plain, momentum, Nesterov, weight decay) and Adam/AdamW, flushing subnormal moments', () => {
    const n = 70001;
    const sgdCases = [{ lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 }, { lr: 0.05, momentum: 0.9, nesterov: false, weightDecay: 1e-4 }, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0 }];
    for (const p of sgdCases) {
      const [pw, pg] = [rand(n, 18), rand(n, 18)];
      const [vw, vg] = [rand(n, 19), rand(n, 19)];
      const g = rand(n, 20);
      for (let step = 0; step < 3; step++) {
        cpu.sgdUpdate(pw, g, vw, p);
        nat.sgdUpdate(pg, g, vg, p);
      }
      check(pg, pw, `sgd ${JSON.stringify(p)} param`, 1e-5, 1e-6);
      check(vg, vw, `sgd ${JSON.stringify(p)} velocity`, 1e-5, 1e-6);
    }
    for (const decoupled of [false, true]) {
      const [pw, pg] = [rand(n, 21), rand(n, 21)];
      const [mw, mg] = [rand(n, 22, -1e-3, 1e-3), rand(n, 22, -1e-3, 1e-3)];
      const [vw, vg] = [rand(n, 23, 0, 1e-3), rand(n, 23, 0, 1e-3)];
      for (const arr of [mw, mg, vw, vg]) arr.set([1e-39, -1e-39, 1.2e-38]); // subnormal or about to become one
      const g = rand(n, 24);
      for (const arr of [g, pw, pg]) arr.set([0, 0, 0]); // no gradient (and no L2 term) there: the moments only decay
      for (let step = 1; step <= 3; step++) {
        const p = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step, weightDecay: 0.01, decoupled };
        cpu.adamUpdate(pw, g, mw, vw, p);
        nat.adamUpdate(pg, g, mg, vg, p);
      }
      check(pg, pw, `adam decoupled=${decoupled} param`, 1e-6, 1e-7);
      check(mg, mw, `adam decoupled=${decoupled} m`, 1e-5, 1e-7);
      check(vg, vw, `adam decoupled=${decoupled} v`, 1e-5, 1e-7);
      assert.deepEqual([...mg.subarray(0, 3)], [0, 0, 0], 'subnormal first moments are flushed to zero');
    }
  });

  it('copyStrided: transpose, flip (negative strides), broadcast (stride 0) and offsets', () => {
    const src = rand(6 * 7 * 8, 25);
    const cases: [number, number[], number, number[], number[]][] = [
      [0, [56, 8, 1], 0, [1, 6, 42], [6, 7, 8]],
      [55, [-8, -1], 0, [7, 1], [7, 7]],
      [3, [0, 1], 0, [8, 1], [5, 8]],
      [10, [8, 1], 4, [20, 2], [2, 3]],
      [0, [1], 0, [1], [0]],
    ];
    for (const [so, ss, doff, ds, shape] of cases) {
      const size = Math.max(1, doff + shape.reduce((p, d, i) => p + (d - 1) * Math.max(ds[i]!, 0), 1));
      const [want, got] = [new Float32Array(size), new Float32Array(size)];
      cpu.copyStrided(src, so, ss, want, doff, ds, shape);
      nat.copyStrided(src, so, ss, got, doff, ds, shape);
      assert.deepEqual(got, want, `copyStrided ${JSON.stringify([so, ss, doff, ds, shape])}`);
    }
  });

  it('falls back to the reference for float64 and int32 arrays', () => {
    const a = new Float64Array(rand(12, 26));
    const b = new Float64Array(rand(12, 27));
    const info: MatmulInfo = { batch: 1, m: 3, n: 3, k: 4, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
    const [want, got] = [new Float64Array(9), new Float64Array(9)];
    cpu.matmul(a, b, want, info);
    nat.matmul(a, b, got, info);
    assert.deepEqual(got, want);
    const [iw, ig] = [new Int32Array(4), new Int32Array(4)];
    cpu.binary('add', Int32Array.of(1, 2, 3, 4), [4], Int32Array.of(5), [1], iw, [4]);
    nat.binary('add', Int32Array.of(1, 2, 3, 4), [4], Int32Array.of(5), [1], ig, [4]);
    assert.deepEqual(ig, iw);
  });

  it('rejects arrays shorter than the shapes say instead of touching memory past them', () => {
    const addon = loadNativeAddon().addon!;
    assert.throws(() => addon.matmul(new Float32Array(3), new Float32Array(4), new Float32Array(4), Float64Array.of(1, 2, 2, 2, 0, 0, 0, 0)), RangeError);
    assert.throws(() => addon.unary(0, new Float32Array(8), new Float32Array(4)), RangeError);
    assert.throws(() => addon.unary(0, new Float64Array(8) as unknown as Float32Array, new Float32Array(8)), TypeError);
  });

  it('leaves JavaScript arithmetic alone (flush-to-zero is scoped to the kernels)', () => {
    nat.unary('exp', rand(1 << 17, 28), new Float32Array(1 << 17));
    const tiny = 2.2250738585072014e-308;
    assert.ok(tiny / 4 > 0, 'subnormal doubles survive after a native call');
    assert.equal(Math.fround(1e-40) > 0, true);
  });
});

describe('native backend: the lower-ISA GEMM kernels (AVX2+FMA, portable C++)', { skip }, () => {
  const addon = loadNativeAddon().addon;
  const best = addon?.info().isa ?? 'portable';
  const order = ['portable', 'avx2', 'avx512'];
  for (const isa of ['avx2', 'portable'] as const) {
    it(`${isa}: matmul and convolutions match the reference`, { skip: order.indexOf(isa) > order.indexOf(best) ? `this CPU lacks ${isa}` : false }, () => {
      assert.equal(addon!.setIsa(isa), isa);
      try {
        for (const [m, n, k] of [[7, 13, 127], [127, 7, 13], [33, 29, 15], [150, 260, 130], [64, 33, 2000]] as const)
          for (const tA of [false, true]) for (const tB of [false, true]) matmulCase(1, m, n, k, tA, tB);
        matmulCase(4, 33, 17, 9, false, false, true, false);
        for (const [name, info] of [CONV_CASES[0]!, CONV_CASES[2]!, CONV_CASES[8]!]) {
          const x = rand(info.batch * info.inH * info.inW * info.inC, 1);
          const f = rand(info.kH * info.kW * info.inC * info.outC, 2);
          const dy = rand(info.batch * info.outH * info.outW * info.outC, 3);
          const [xa, fa, dya] = [abs(x), abs(f), abs(dy)];
          const taps = info.kH * info.kW;
          checkSums(`${isa} conv2d ${name}`, taps * info.inC, (b, out, u) => b.conv2d(u ? xa : x, u ? fa : f, out, info), dy.length);
          checkSums(`${isa} conv2dBackpropInput ${name}`, taps * info.outC, (b, out, u) => b.conv2dBackpropInput(u ? dya : dy, u ? fa : f, out, info), x.length);
          checkSums(`${isa} conv2dBackpropFilter ${name}`, info.batch * info.outH * info.outW, (b, out, u) => b.conv2dBackpropFilter(u ? xa : x, u ? dya : dy, out, info), f.length);
        }
      } finally {
        addon!.setIsa(best as 'avx512');
      }
    });
  }
});

describe('native backend: threads', { skip }, () => {
  it('gives the same results with 1 and 2 threads', () => {
    const before = nat.getThreads();
    const run = (threads: number): Float32Array[] => {
      nat.setThreads(threads);
      const info: MatmulInfo = { batch: 1, m: 300, n: 257, k: 700, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
      const mm = new Float32Array(300 * 257);
      nat.matmul(rand(300 * 700, 29), rand(700 * 257, 30), mm, info);
      const splitK = new Float32Array(20 * 24);
      nat.matmul(rand(20 * 30000, 31), rand(30000 * 24, 32), splitK, { ...info, m: 20, n: 24, k: 30000 });
      const ci = CONV_CASES[8]![1];
      const conv = new Float32Array(ci.batch * ci.outH * ci.outW * ci.outC);
      nat.conv2d(rand(ci.batch * ci.inH * ci.inW * ci.inC, 33), rand(9 * ci.inC * ci.outC, 34), conv, ci);
      const df = new Float32Array(9 * ci.inC * ci.outC);
      nat.conv2dBackpropFilter(rand(ci.batch * ci.inH * ci.inW * ci.inC, 33), rand(conv.length, 35), df, ci);
      const sum = new Float32Array(1);
      nat.reduce('sum', rand(1 << 20, 36), 1, 1 << 20, 1, sum);
      const sm = new Float32Array(500 * 300);
      nat.softmax(rand(500 * 300, 37), sm, 500, 300, false);
      return [mm, splitK, conv, df, sum, sm];
    };
    try {
      const one = run(1);
      assert.equal(nat.getThreads(), 1);
      const two = run(2);
      assert.equal(nat.getThreads(), 2);
      one.forEach((r, i) => check(two[i]!, r, `result ${i} with 2 threads vs 1`, 1e-4, 1e-4));
    } finally {
      nat.setThreads(before);
    }
  });

  it('takes its default from NABLA_NUM_THREADS, and nb.setNumThreads validates and applies a count', async () => {
    const file = join(root, 'kernels', 'native', 'build', 'Release', 'nabla_native.node');
    const r = spawnSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(file)}).getNumThreads())`], { env: { ...process.env, NABLA_NUM_THREADS: '3' }, encoding: 'utf8' });
    assert.equal(r.stdout.trim(), '3', r.stderr);
    const nb = await import('../src/index.js');
    const before = nat.getThreads();
    const previous = nb.getBackend();
    try {
      nb.setBackend('native');
      nb.setNumThreads(1);
      assert.equal(nat.getThreads(), 1);
      assert.throws(() => nb.setNumThreads(0), nb.ValueError);
      assert.throws(() => nb.setNumThreads(1.5), nb.ValueError);
    } finally {
      nb.setNumThreads(before);
      nb.setBackend(previous);
    }
  });

  it('survives many small ops, thread-count changes and a second JavaScript thread using the pool (no deadlock)', async () => {
    const before = nat.getThreads();
    const worker = new Worker(
      `const m = require(${JSON.stringify(loadNativeAddon().addon ? join(root, 'kernels/native/build/Release/nabla_native.node') : '')});
       const a = new Float32Array(200 * 200).fill(0.5), out = new Float32Array(200 * 200), p = Float64Array.of(1, 200, 200, 200, 0, 0, 0, 0);
       for (let i = 0; i < 200; i++) m.matmul(a, a, out, p);
       require('node:worker_threads').parentPort.postMessage(out[0]);`,
      { eval: true },
    );
    const fromWorker = new Promise<number>((res, rej) => {
      worker.once('message', res);
      worker.once('error', rej);
    });
    try {
      const big = rand(256 * 256, 38);
      const bigOut = new Float32Array(256 * 256);
      const small = rand(64, 39);
      const smallOut = new Float32Array(64);
      const mi: MatmulInfo = { batch: 1, m: 256, n: 256, k: 256, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
      for (let i = 0; i < 3000; i++) {
        if (i % 500 === 0) nat.setThreads(1 + ((i / 500) % 3));
        nat.binary('add', small, [64], small, [64], smallOut, [64]);
        nat.unary('relu', small, smallOut);
        if (i % 10 === 0) nat.matmul(big, big, bigOut, mi);
      }
      check(smallOut, small.map((v) => Math.max(v, 0)), 'last small op');
      assert.equal(await fromWorker, 0.5 * 0.5 * 200, 'the worker thread computed its products');
    } finally {
      nat.setThreads(before);
      await worker.terminate();
    }
  });
});

describe('native backend: install fallback', () => {
  it('a failed build exits 0 with a one-line notice, and nabla then loads with another backend', { timeout: 300_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'nabla-native-'));
    try {
      cpSync(join(root, 'scripts', 'build-native.mjs'), join(dir, 'scripts', 'build-native.mjs'));
      cpSync(join(root, 'kernels', 'native', 'binding.gyp'), join(dir, 'kernels', 'native', 'binding.gyp'));
      cpSync(join(root, 'kernels', 'native', 'src'), join(dir, 'kernels', 'native', 'src'), { recursive: true });
      // No compiler; a compiler that produces nothing (node-gyp itself fails); the build switched off.
      for (const env of [{ CXX: '/bin/false' }, { CXX: 'true' }, { NABLA_NATIVE_SKIP_BUILD: '1' }]) {
        const r = spawnSync(process.execPath, [join(dir, 'scripts', 'build-native.mjs')], { env: { ...process.env, ...env }, encoding: 'utf8' });
        assert.equal(r.status, 0, `exit code with ${JSON.stringify(env)}: ${r.stderr}`);
        const lines = `${r.stdout}${r.stderr}`.trim().split('\n');
        assert.equal(lines.length, 1, `one line: ${lines.join(' | ')}`);
        assert.match(lines[0]!, /^nabla: native backend not built \(.+\); nabla will use the wasm or cpu backend$/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const script = "import * as nb from './src/index.ts'; const x = nb.tensor([1, -2, 3]).relu().sum(); console.log(nb.getBackend(), x.item()); nb.tensor([1]).add(1);";
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, NABLA_NATIVE_PATH: join(tmpdir(), 'nabla-missing', 'nabla_native.node'), NABLA_BACKEND: '' },
      encoding: 'utf8',
    });
    assert.equal(child.status, 0, child.stderr);
    const [name, value] = child.stdout.trim().split(' ');
    assert.ok(name === 'wasm' || name === 'cpu', `fell back to ${name}`);
    assert.equal(Number(value), 4);
    const notices = child.stderr.split('\n').filter((l) => l.includes('native backend unavailable'));
    assert.equal(notices.length, 1, `one notice on stderr: ${child.stderr}`);
    assert.match(notices[0]!, /^nabla: native backend unavailable \(.*nabla_native\.node not found.*\); using wasm\/cpu$/);
  });

  it('NABLA_NATIVE_DISABLE skips the addon without a notice', { timeout: 120_000 }, () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', "import * as nb from './src/index.ts'; console.log(nb.getBackend());"], {
      cwd: root,
      env: { ...process.env, NABLA_NATIVE_DISABLE: '1', NABLA_BACKEND: '' },
      encoding: 'utf8',
    });
    assert.equal(child.status, 0, child.stderr);
    assert.notEqual(child.stdout.trim(), 'native');
    assert.ok(!child.stderr.includes('native backend unavailable'), child.stderr);
  });
});
