import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import type { Backend, BinaryOp, ConvInfo, DepthwiseInfo, PoolInfo, ReduceOp, UnaryOp } from '../src/backend/backend.js';
import { BINARY_OPS, UNARY_OPS } from '../src/backend/backend.js';
import { cpuBackend } from '../src/backend/cpu/cpu-backend.js';
import { listBackends, setBackend, getBackend } from '../src/backend/registry.js';
import { relaxedSimdSupported, type WasmVariant } from '../src/backend/wasm/loader.js';
import { createWasmBackend, type WasmBackend } from '../src/backend/wasm/wasm-backend.js';
import { assertClose } from './helpers.js';

// Node 20 validates relaxed SIMD only behind a V8 flag; set it here so the relaxed build is tested too.
if (!relaxedSimdSupported()) setFlagsFromString('--experimental-wasm-relaxed-simd');
const variants: WasmVariant[] = relaxedSimdSupported() ? ['simd', 'relaxed'] : ['simd'];

/** Seeded uniform values in [lo, hi). */
function rand(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return out;
}

/** Small integers, so windows and rows have ties. */
function ints(n: number, seed: number, range = 4): Float32Array {
  return rand(n, seed, 0, range).map(Math.floor);
}

function convInfo(
  batch: number, inH: number, inW: number, inC: number, outC: number, kH: number, kW: number,
  stride: number, dilation: number, padding: 'same' | 'valid',
): ConvInfo {
  const ekH = dilation * (kH - 1) + 1;
  const ekW = dilation * (kW - 1) + 1;
  const outH = padding === 'same' ? Math.ceil(inH / stride) : Math.floor((inH - ekH) / stride) + 1;
  const outW = padding === 'same' ? Math.ceil(inW / stride) : Math.floor((inW - ekW) / stride) + 1;
  const padH = Math.max((outH - 1) * stride + ekH - inH, 0);
  const padW = Math.max((outW - 1) * stride + ekW - inW, 0);
  return {
    batch, inH, inW, inC, outH, outW, outC, kH, kW, strideH: stride, strideW: stride,
    dilationH: dilation, dilationW: dilation, padTop: padding === 'same' ? Math.floor(padH / 2) : 0,
    padLeft: padding === 'same' ? Math.floor(padW / 2) : 0,
  };
}

function poolInfo(batch: number, inH: number, inW: number, channels: number, k: number, stride: number, padding: 'same' | 'valid'): PoolInfo {
  const c = convInfo(batch, inH, inW, channels, channels, k, k, stride, 1, padding);
  return { batch, inH, inW, channels, outH: c.outH, outW: c.outW, kH: k, kW: k, strideH: stride, strideW: stride, padTop: c.padTop, padLeft: c.padLeft };
}

/** Runs `kernel` on the reference and on each backend with fresh copies of the arguments, returning the outputs. */
function compare<T extends unknown[]>(
  backends: Backend[], kernel: (b: Backend, ...args: T) => void, args: T, outputs: number[], tol: { atol: number; rtol: number },
): void {
  const copy = (a: T): T => a.map((x) => (ArrayBuffer.isView(x) ? (x as Float32Array).slice() : x)) as T;
  const ref = copy(args);
  kernel(cpuBackend, ...ref);
  for (const b of backends) {
    const got = copy(args);
    kernel(b, ...got);
    for (const o of outputs) assertClose(got[o] as Float32Array, ref[o] as Float32Array, tol);
  }
}

const GEMM = { atol: 2e-5, rtol: 1e-4 };
const EXACTISH = { atol: 1e-7, rtol: 1e-6 };

for (const variant of variants) {
  describe(`wasm backend (${variant} build)`, () => {
    const one = createWasmBackend({ variant, threads: 1, minElementwise: 0 }) as WasmBackend;
    // Two threads, and every kernel split however small, so the worker path is exercised.
    const two = createWasmBackend({ variant, threads: 2, minParallelWork: 0, minElementwise: 0 }) as WasmBackend;
    const both: Backend[] = [one, two];

    it('loads the requested build', () => {
      assert.ok(one !== null && two !== null);
      assert.equal(one.name, 'wasm');
      assert.equal(one.variant, variant);
      assert.equal(one.getThreads(), 1);
      assert.equal(two.getThreads(), 2);
    });

    it('matmul: odd sizes and every transpose combination', () => {
      const sizes = [[1, 1, 1], [7, 13, 5], [13, 7, 127], [127, 129, 13], [3, 127, 7], [1, 64, 200], [66, 1, 9], [130, 70, 260]];
      let seed = 1;
      for (const [m, n, k] of sizes as [number, number, number][]) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const info = { batch: 1, m, n, k, transA, transB, aBatchStride: 0, bBatchStride: 0 };
            compare(both, (b, a, bb, out) => b.matmul(a, bb, out, info), [rand(m * k, seed++), rand(k * n, seed++), new Float32Array(m * n)], [2], GEMM);
          }
        }
      }
    });

    it('matmul: large K, batches and batch stride 0', () => {
      const big = { batch: 1, m: 9, n: 33, k: 2000, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 };
      compare(both, (b, a, bb, out) => b.matmul(a, bb, out, big), [rand(9 * 2000, 3), rand(2000 * 33, 4), new Float32Array(9 * 33)], [2], { atol: 1e-4, rtol: 1e-4 });
      for (const [aS, bS] of [[1, 1], [0, 1], [1, 0]] as [number, number][]) {
        for (const batch of [1, 3, 5]) {
          const [m, n, k] = [13, 17, 7];
          const info = { batch, m, n, k, transA: aS === 0, transB: bS === 0, aBatchStride: aS * m * k, bBatchStride: bS * k * n };
          const a = rand(aS === 0 ? m * k : batch * m * k, batch * 10 + aS);
          const bb = rand(bS === 0 ? k * n : batch * k * n, batch * 20 + bS);
          compare(both, (b, x, y, out) => b.matmul(x, y, out, info), [a, bb, new Float32Array(batch * m * n)], [2], GEMM);
        }
      }
      // K = 0: the product of empty matrices is all zeros.
      const zero = { batch: 2, m: 3, n: 4, k: 0, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
      for (const b of both) {
        const out = new Float32Array(24).fill(7);
        b.matmul(new Float32Array(0), new Float32Array(0), out, zero);
        assert.deepEqual([...out], new Array(24).fill(0));
      }
    });

    it('conv2d forward and both backprops: stride, padding, dilation, 1x1', () => {
      const cases: ConvInfo[] = [
        convInfo(2, 7, 7, 3, 5, 3, 3, 1, 1, 'same'),
        convInfo(1, 13, 9, 1, 8, 3, 3, 2, 1, 'valid'),
        convInfo(3, 9, 11, 4, 7, 3, 2, 2, 1, 'same'),
        convInfo(2, 12, 12, 3, 4, 3, 3, 1, 2, 'same'),
        convInfo(1, 10, 8, 5, 6, 2, 3, 3, 2, 'valid'),
        convInfo(2, 6, 5, 7, 13, 1, 1, 1, 1, 'valid'),
        convInfo(1, 7, 7, 6, 3, 1, 1, 2, 1, 'valid'),
        convInfo(2, 28, 28, 1, 32, 3, 3, 1, 1, 'valid'),
      ];
      let seed = 100;
      for (const c of cases) {
        const xn = c.batch * c.inH * c.inW * c.inC;
        const fn = c.kH * c.kW * c.inC * c.outC;
        const yn = c.batch * c.outH * c.outW * c.outC;
        const x = rand(xn, seed++);
        const f = rand(fn, seed++);
        const dy = rand(yn, seed++);
        compare(both, (b, a, w, out) => b.conv2d(a, w, out, c), [x, f, new Float32Array(yn)], [2], GEMM);
        compare(both, (b, g, w, dx) => b.conv2dBackpropInput(g, w, dx, c), [dy, f, new Float32Array(xn)], [2], GEMM);
        compare(both, (b, a, g, df) => b.conv2dBackpropFilter(a, g, df, c), [x, dy, new Float32Array(fn)], [2], { atol: 1e-4, rtol: 1e-4 });
      }
    });

    it('depthwise conv2d forward and both backprops, with channel multipliers', () => {
      const cases: DepthwiseInfo[] = [
        { ...convInfo(2, 7, 7, 4, 4, 3, 3, 1, 1, 'same'), multiplier: 1 },
        { ...convInfo(1, 9, 8, 3, 6, 3, 3, 2, 1, 'same'), multiplier: 2 },
        { ...convInfo(2, 11, 10, 5, 15, 2, 3, 1, 2, 'valid'), multiplier: 3 },
        { ...convInfo(3, 6, 6, 13, 13, 3, 3, 2, 1, 'valid'), multiplier: 1 },
      ];
      let seed = 200;
      for (const c of cases) {
        const xn = c.batch * c.inH * c.inW * c.inC;
        const fn = c.kH * c.kW * c.outC;
        const yn = c.batch * c.outH * c.outW * c.outC;
        const x = rand(xn, seed++);
        const f = rand(fn, seed++);
        const dy = rand(yn, seed++);
        compare(both, (b, a, w, out) => b.depthwiseConv2d(a, w, out, c), [x, f, new Float32Array(yn)], [2], GEMM);
        compare(both, (b, g, w, dx) => b.depthwiseConv2dBackpropInput(g, w, dx, c), [dy, f, new Float32Array(xn)], [2], GEMM);
        compare(both, (b, a, g, df) => b.depthwiseConv2dBackpropFilter(a, g, df, c), [x, dy, new Float32Array(fn)], [2], GEMM);
      }
    });

    it('max and average pooling forward and backward, valid and same padding, ties and NaN', () => {
      const cases = [
        poolInfo(2, 7, 7, 3, 2, 2, 'valid'),
        poolInfo(2, 7, 7, 5, 3, 2, 'same'),
        poolInfo(1, 13, 9, 8, 3, 1, 'same'),
        poolInfo(3, 8, 8, 13, 2, 2, 'same'),
        poolInfo(1, 5, 6, 1, 3, 3, 'same'),
      ];
      let seed = 300;
      for (const p of cases) {
        const xn = p.batch * p.inH * p.inW * p.channels;
        const yn = p.batch * p.outH * p.outW * p.channels;
        for (const x of [rand(xn, seed++), ints(xn, seed++)]) {
          if (seed % 3 === 0) x[5] = NaN;
          const dy = rand(yn, seed++);
          const dx0 = rand(xn, seed++);
          compare(both, (b, a, out) => b.maxPool2d(a, out, p), [x, new Float32Array(yn)], [1], { atol: 0, rtol: 0 });
          compare(both, (b, g, a, dx) => b.maxPool2dBackprop(g, a, dx, p), [dy, x, dx0], [2], EXACTISH);
          compare(both, (b, a, out) => b.avgPool2d(a, out, p), [x, new Float32Array(yn)], [1], EXACTISH);
          compare(both, (b, g, dx) => b.avgPool2dBackprop(g, dx, p), [dy, dx0], [1], EXACTISH);
        }
      }
    });

    it('every unary op', () => {
      for (const n of [1, 7, 13, 127, 1000]) {
        const x = rand(n, n, -3, 3);
        x[0] = n === 1 ? 0.5 : NaN;
        if (n > 7) x.set([Infinity, -Infinity, 0, -0, 2.5, -2.5], 1);
        for (const op of UNARY_OPS) {
          compare([one], (b, a, out) => b.unary(op as UnaryOp, a, out), [x, new Float32Array(n)], [1], EXACTISH);
        }
      }
    });

    it('every binary op (comparisons give bytes): same shape, scalar, row and column broadcasts, and the general fallback', () => {
      const shapes: [number[], number[]][] = [
        [[7, 13], [7, 13]], [[7, 13], [1]], [[1], [7, 13]], [[5, 7, 13], [13]], [[13], [5, 7, 13]],
        [[5, 7, 13], [7, 13]], [[7, 13], [7, 1]], [[5, 1, 3], [5, 7, 3]], [[5, 7, 3], [5, 7, 1]], [[4, 1], [1, 6]], [[127], [127]],
        [[1, 1, 9], [2, 1, 9]],
      ];
      let seed = 400;
      for (const [as, bs] of shapes) {
        const rank = Math.max(as.length, bs.length);
        const pa = [...new Array(rank - as.length).fill(1), ...as];
        const pb = [...new Array(rank - bs.length).fill(1), ...bs];
        const os = pa.map((d, i) => Math.max(d, pb[i]!));
        const n = os.reduce((p, d) => p * d, 1);
        const a = rand(as.reduce((p, d) => p * d, 1), seed++, -3, 3);
        const b = rand(bs.reduce((p, d) => p * d, 1), seed++, 0.5, 3);
        a[0] = NaN;
        b[1 % b.length] = a[1 % a.length]!; // an equal pair for the comparisons
        for (const op of BINARY_OPS) {
          if (op.startsWith('logical')) continue; // boolean inputs: the reference kernel
          const comparison = /equal|less|greater/i.test(op);
          const out = comparison ? new Uint8Array(n) : new Float32Array(n);
          compare([one, two], (be, x, y, o) => be.binary(op as BinaryOp, x, as, y, bs, o, os), [a, b, out], [2], comparison ? { atol: 0, rtol: 0 } : EXACTISH);
        }
      }
    });

    it('reductions over [outer, n, inner]', () => {
      const layouts = [[1, 1, 1], [1, 127, 1], [7, 13, 1], [3, 5, 7], [2, 1000, 1], [4, 9, 13], [1, 7, 127]];
      let seed = 500;
      for (const [outer, n, inner] of layouts as [number, number, number][]) {
        const x = rand(outer * n * inner, seed++, 0.5, 1.5);
        for (const op of ['sum', 'prod', 'max', 'min'] as ReduceOp[]) {
          compare([one], (b, a, out) => b.reduce(op, a, outer, n, inner, out), [x, new Float32Array(outer * inner)], [1], EXACTISH);
          const withNaN = x.slice();
          withNaN[Math.floor(withNaN.length / 2)] = NaN;
          compare([one], (b, a, out) => b.reduce(op, a, outer, n, inner, out), [withNaN, new Float32Array(outer * inner)], [1], EXACTISH);
        }
      }
    });

    it('bias + activation, softmax, log-softmax and softmax cross-entropy', () => {
      for (const [rows, cols] of [[1, 1], [7, 13], [127, 10], [3, 1000]] as [number, number][]) {
        const x = rand(rows * cols, rows + cols, -5, 5);
        const bias = rand(cols, cols);
        if (rows * cols > 1) {
          x[0] = NaN;
          x[1] = -bias[1 % cols]!;
        }
        for (const act of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
          compare([one], (b, a, bb, out) => b.biasActivation(a, bb, out, rows, cols, act), [x, bias, new Float32Array(rows * cols)], [2], EXACTISH);
        }
        for (const log of [false, true]) compare([one], (b, a, out) => b.softmax(a, out, rows, cols, log), [x, new Float32Array(rows * cols)], [1], EXACTISH);
        const t = rand(rows * cols, 7, 0, 1);
        compare([one], (b, z, tt, loss, g) => b.softmaxCrossEntropy(z, tt, loss, g, rows, cols), [x, t, new Float32Array(rows), new Float32Array(rows * cols)], [2, 3], EXACTISH);
        compare([one], (b, z, tt, loss) => b.softmaxCrossEntropy(z, tt, loss, null, rows, cols), [x, t, new Float32Array(rows)], [2], EXACTISH);
      }
    });

    it('SGD and Adam updates are bit-identical to the reference; Adam flushes subnormal moments', () => {
      const exact = { atol: 0, rtol: 0 };
      for (const n of [1, 7, 127, 1000]) {
        const w = rand(n, n);
        const g = rand(n, n + 1);
        for (const momentum of [0, 0.9]) {
          for (const nesterov of [false, true]) {
            const p = { lr: 0.05, momentum, nesterov, weightDecay: 1e-3 };
            compare([one], (b, pp, gg, v) => b.sgdUpdate(pp, gg, v, p), [w, g, rand(n, 3)], [0, 2], exact);
          }
        }
        for (const decoupled of [false, true]) {
          const p = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 3, weightDecay: 0.01, decoupled };
          compare([one], (b, pp, gg, m, v) => b.adamUpdate(pp, gg, m, v, p), [w, g, rand(n, 5), rand(n, 6, 0, 1)], [0, 2, 3], exact);
        }
      }
      const m = new Float32Array([1e-39, -1e-39, 1e-3]);
      const v = new Float32Array([1e-39, 2e-39, 1e-3]);
      one.adamUpdate(new Float32Array(3), new Float32Array(3), m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 700, weightDecay: 0, decoupled: false });
      assert.deepEqual([...m.slice(0, 2)].map(Math.abs), [0, 0]);
      assert.deepEqual([...v.slice(0, 2)], [0, 0]);
      assert.ok(m[2]! > 0 && v[2]! > 0);
    });

    it('float64 and int32 inputs fall back to the reference kernels', () => {
      const a = Float64Array.from(rand(12, 1));
      const b = Float64Array.from(rand(12, 2));
      const info = { batch: 1, m: 3, n: 3, k: 4, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 };
      const want = new Float64Array(9);
      const got = new Float64Array(9);
      cpuBackend.matmul(a, b, want, info);
      one.matmul(a, b, got, info);
      assert.deepEqual(got, want);
      const ia = Int32Array.from([1, 2, 3]);
      const out = new Int32Array(3);
      one.binary('add', ia, [3], ia, [3], out, [3]);
      assert.deepEqual([...out], [2, 4, 6]);
    });

    it('1 and 2 threads agree on large kernels', () => {
      const uni = createWasmBackend({ variant, threads: 1 }) as WasmBackend;
      const duo = createWasmBackend({ variant, threads: 2 }) as WasmBackend;
      const run = (b: Backend): Float32Array[] => {
        const info = { batch: 1, m: 300, n: 260, k: 270, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
        const c = new Float32Array(300 * 260);
        b.matmul(rand(300 * 270, 1), rand(270 * 260, 2), c, info);
        const ci = convInfo(8, 16, 16, 16, 32, 3, 3, 1, 1, 'same');
        const y = new Float32Array(8 * 16 * 16 * 32);
        b.conv2d(rand(8 * 16 * 16 * 16, 3), rand(9 * 16 * 32, 4), y, ci);
        const df = new Float32Array(9 * 16 * 32);
        b.conv2dBackpropFilter(rand(8 * 16 * 16 * 16, 3), rand(y.length, 5), df, ci);
        const dx = new Float32Array(8 * 16 * 16 * 16);
        b.conv2dBackpropInput(rand(y.length, 5), rand(9 * 16 * 32, 4), dx, ci);
        return [c, y, df, dx];
      };
      const a = run(uni);
      const b = run(duo);
      // Row and image splits compute every output exactly as one thread does; the filter gradient
      // adds per-thread partial sums, so it agrees to rounding.
      assert.deepEqual(b[0], a[0]);
      assert.deepEqual(b[1], a[1]);
      assertClose(b[2]!, a[2]!, { atol: 1e-3, rtol: 1e-4 });
      assert.deepEqual(b[3], a[3]);
      duo.setThreads(1);
      assert.equal(duo.getThreads(), 1);
    });

    it('stress: thousands of small ops across threads finish and stay correct', () => {
      const info = { batch: 1, m: 9, n: 11, k: 5, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
      const a = rand(45, 1);
      const b = rand(55, 2);
      const want = new Float32Array(99);
      cpuBackend.matmul(a, b, want, info);
      const p = poolInfo(2, 6, 6, 3, 2, 2, 'valid');
      const x = rand(2 * 36 * 3, 3);
      const pooled = new Float32Array(2 * 9 * 3);
      cpuBackend.maxPool2d(x, pooled, p);
      for (let i = 0; i < 2000; i++) {
        const c = new Float32Array(99);
        two.matmul(a, b, c, info);
        assertClose(c, want, GEMM);
        const y = new Float32Array(2 * 9 * 3);
        two.maxPool2d(x, y, p);
        assert.deepEqual(y, pooled);
        const s = new Float32Array(1);
        two.reduce('sum', a, 1, 45, 1, s);
      }
    });
  });
}

describe('wasm backend without shared memory', () => {
  it('loads the plain-memory build, runs single-threaded and matches the reference', () => {
    const b = createWasmBackend({ shared: false, threads: 4 }) as WasmBackend;
    assert.ok(b !== null);
    assert.equal(b.getThreads(), 1);
    const info = { batch: 2, m: 70, n: 33, k: 90, transA: true, transB: false, aBatchStride: 70 * 90, bBatchStride: 0 };
    compare([b], (be, x, y, out) => be.matmul(x, y, out, info), [rand(2 * 70 * 90, 1), rand(90 * 33, 2), new Float32Array(2 * 70 * 33)], [2], GEMM);
    const c = convInfo(2, 9, 9, 3, 8, 3, 3, 2, 1, 'same');
    compare([b], (be, x, f, out) => be.conv2d(x, f, out, c), [rand(2 * 81 * 3, 3), rand(9 * 3 * 8, 4), new Float32Array(2 * 25 * 8)], [2], GEMM);
    // A call that needs more memory than the start size grows the memory.
    const big = { batch: 1, m: 700, n: 700, k: 700, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
    compare([b], (be, x, y, out) => be.matmul(x, y, out, big), [rand(490000, 5), rand(490000, 6), new Float32Array(490000)], [2], { atol: 1e-4, rtol: 1e-4 });
  });
});

describe('wasm backend selection', () => {
  it('is registered, listed and selectable', () => {
    assert.ok(listBackends().includes('wasm'));
    const before = getBackend();
    setBackend('wasm');
    assert.equal(getBackend(), 'wasm');
    setBackend(before);
  });
});
