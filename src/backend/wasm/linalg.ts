import type { DataArray } from '../../tensor/dtype.js';
import type { Backend, ConvInfo, DepthwiseInfo, MatmulInfo } from '../backend.js';
import { cpuBackend } from '../cpu/cpu-backend.js';
import type { WasmRuntime } from './runtime.js';
import { allF32, PARALLEL_MIN_FLOPS, splitRange, taskCount, threadsFor } from './util.js';

/**
 * The compute-heavy kernels — matmul and convolutions — on the wasm runtime: take the operands'
 * addresses (staging those that do not live in the wasm memory); when the work pays for waking the
 * workers (~50 µs per parallel call on a 2-core VM), cut it into tasks (row or image ranges) that
 * the threads claim; run; copy back outputs that were not written in place. Anything not float32
 * goes to the reference kernels.
 */

function convRecord(rt: WasmRuntime, c: ConvInfo, multiplier = 1): number {
  return rt.record([
    c.batch, c.inH, c.inW, c.inC, c.outH, c.outW, c.outC, c.kH, c.kW,
    c.strideH, c.strideW, c.dilationH, c.dilationW, c.padTop, c.padLeft, multiplier,
  ]);
}

function matmul(rt: WasmRuntime, a: DataArray, b: DataArray, out: DataArray, info: MatmulInfo): void {
  if (!allF32(a, b, out)) return cpuBackend.matmul(a, b, out, info);
  const { batch, m, n, k, transA, transB, aBatchStride, bBatchStride } = info;
  if (out.length === 0) return;
  const e = rt.exports;
  rt.reset();
  const aLen = aBatchStride === 0 ? m * k : (batch - 1) * aBatchStride + m * k;
  const bLen = bBatchStride === 0 ? k * n : (batch - 1) * bBatchStride + k * n;
  const pa = rt.input(a.length === aLen ? a : a.subarray(0, aLen));
  const pb = rt.input(b.length === bLen ? b : b.subarray(0, bLen));
  const pc = rt.output(out);
  const rsA = transA ? 1 : k;
  const csA = transA ? m : 1;
  const rsB = transB ? 1 : n;
  const csB = transB ? k : 1;
  const perItem = 2 * m * n * k;
  const threads = threadsFor(rt, perItem * batch, PARALLEL_MIN_FLOPS);
  if (threads > 1 && batch >= threads) {
    const calls = splitRange(batch, taskCount(rt, perItem * batch, PARALLEL_MIN_FLOPS, batch)).map(([b0, b1]) => {
      const work = rt.alloc(e.gemmWorkspaceBytes(m, n, k));
      return [pa, aBatchStride, rsA, csA, pb, bBatchStride, rsB, csB, pc, m, n, k, b0, b1, 0, work];
    });
    rt.parallel('gemmBatch', calls);
  } else if (threads > 1 && perItem >= (rt.minParallelWork ?? PARALLEL_MIN_FLOPS)) {
    // Split each product over rows (or columns, when it is wider than tall); every task packs its
    // own panels (so tasks share nothing but the inputs), which costs a copy of the other operand
    // per task: hence two tasks per thread, of at least 32 register tiles.
    const byRows = m >= n;
    const tile = byRows ? e.gemmTileRows() : 8;
    const ranges = splitRange(byRows ? m : n, taskCount(rt, perItem, PARALLEL_MIN_FLOPS, byRows ? m : n, 32 * tile, 2), tile);
    const works = ranges.map(([s, t]) => rt.alloc(e.gemmWorkspaceBytes(byRows ? t - s : m, byRows ? n : t - s, k)));
    for (let t = 0; t < batch; t++) {
      const a0 = pa + t * aBatchStride * 4;
      const b0 = pb + t * bBatchStride * 4;
      const c0 = pc + t * m * n * 4;
      rt.parallel('gemm', ranges.map(([s, u], i) =>
        byRows ? [a0, rsA, csA, b0, rsB, csB, c0, n, k, s, u, 0, n, 0, works[i]!] : [a0, rsA, csA, b0, rsB, csB, c0, n, k, 0, m, s, u, 0, works[i]!]));
    }
  } else {
    const work = rt.alloc(e.gemmWorkspaceBytes(m, n, k));
    rt.parallel('gemmBatch', [[pa, aBatchStride, rsA, csA, pb, bBatchStride, rsB, csB, pc, m, n, k, 0, batch, 0, work]]);
  }
  rt.writeBack(pc, out);
}

function conv2d(rt: WasmRuntime, x: DataArray, filter: DataArray, out: DataArray, info: ConvInfo): void {
  if (!allF32(x, filter, out)) return cpuBackend.conv2d(x, filter, out, info);
  if (out.length === 0) return;
  rt.reset();
  const px = rt.input(x);
  const pf = rt.input(filter);
  const po = rt.output(out);
  const pi = convRecord(rt, info);
  const rows = info.batch * info.outH * info.outW;
  const flops = 2 * rows * info.kH * info.kW * info.inC * info.outC;
  const calls = splitRange(rows, taskCount(rt, flops, PARALLEL_MIN_FLOPS, rows, 64)).map(([r0, r1]) =>
    [px, pf, po, pi, r0, r1, rt.alloc(rt.exports.convWorkspaceBytes(pi, r1 - r0))]);
  rt.parallel('conv2dRows', calls);
  rt.writeBack(po, out);
}

function conv2dBackpropInput(rt: WasmRuntime, dy: DataArray, filter: DataArray, dx: DataArray, info: ConvInfo): void {
  if (!allF32(dy, filter, dx)) return cpuBackend.conv2dBackpropInput(dy, filter, dx, info);
  if (dx.length === 0) return;
  rt.reset();
  const pdy = rt.input(dy);
  const pf = rt.input(filter);
  // The kernel accumulates into dx, so it must start zeroed (a resident dx is zeroed in place).
  const pdx = rt.output(dx);
  rt.exports.fillF32(pdx, 0, dx.length);
  const pi = convRecord(rt, info);
  const plane = info.outH * info.outW;
  const flops = 2 * info.batch * plane * info.kH * info.kW * info.inC * info.outC;
  // Whole images per thread: neighbouring output pixels scatter into shared input pixels.
  const calls = splitRange(info.batch, taskCount(rt, flops, PARALLEL_MIN_FLOPS, info.batch)).map(([b0, b1]) =>
    [pdy, pf, pdx, pi, b0 * plane, b1 * plane, rt.alloc(rt.exports.convWorkspaceBytes(pi, (b1 - b0) * plane))]);
  rt.parallel('conv2dBackpropInputRows', calls);
  rt.writeBack(pdx, dx);
}

function conv2dBackpropFilter(rt: WasmRuntime, x: DataArray, dy: DataArray, dFilter: DataArray, info: ConvInfo): void {
  if (!allF32(x, dy, dFilter)) return cpuBackend.conv2dBackpropFilter(x, dy, dFilter, info);
  if (dFilter.length === 0) return;
  rt.reset();
  const px = rt.input(x);
  const pdy = rt.input(dy);
  const pi = convRecord(rt, info);
  const rows = info.batch * info.outH * info.outW;
  const flops = 2 * rows * dFilter.length;
  // Each task sums its rows into a private filter gradient (the first one into dFilter itself when
  // it is resident); the partial sums are added at the end.
  const ranges = splitRange(rows, taskCount(rt, flops, PARALLEL_MIN_FLOPS, rows, 64));
  const outs = ranges.map((_, i) => (i === 0 ? rt.output(dFilter) : rt.alloc(dFilter.length * 4)));
  if (ranges.length === 0) {
    dFilter.fill(0);
    return;
  }
  const calls = ranges.map(([r0, r1], i) => [px, pdy, outs[i]!, pi, r0, r1, 0, rt.alloc(rt.exports.convWorkspaceBytes(pi, r1 - r0))]);
  rt.parallel('conv2dBackpropFilterRows', calls);
  for (let i = 1; i < outs.length; i++) rt.exports.addInto(outs[0]!, outs[i]!, dFilter.length);
  rt.writeBack(outs[0]!, dFilter);
}

function depthwiseConv2d(rt: WasmRuntime, x: DataArray, filter: DataArray, out: DataArray, info: DepthwiseInfo): void {
  if (!allF32(x, filter, out)) return cpuBackend.depthwiseConv2d(x, filter, out, info);
  if (out.length === 0) return;
  rt.reset();
  const px = rt.input(x);
  const pf = rt.input(filter);
  const po = rt.output(out);
  const pi = convRecord(rt, info, info.multiplier);
  const rows = info.batch * info.outH * info.outW;
  const calls = splitRange(rows, taskCount(rt, 2 * out.length * info.kH * info.kW, PARALLEL_MIN_FLOPS, rows, 64)).map(([r0, r1]) => [px, pf, po, pi, r0, r1]);
  rt.parallel('depthwiseRows', calls);
  rt.writeBack(po, out);
}

function depthwiseConv2dBackpropInput(rt: WasmRuntime, dy: DataArray, filter: DataArray, dx: DataArray, info: DepthwiseInfo): void {
  if (!allF32(dy, filter, dx)) return cpuBackend.depthwiseConv2dBackpropInput(dy, filter, dx, info);
  if (dx.length === 0) return;
  rt.reset();
  const pdy = rt.input(dy);
  const pf = rt.input(filter);
  const pdx = rt.output(dx);
  const pi = convRecord(rt, info, info.multiplier);
  const calls = splitRange(info.batch, taskCount(rt, 2 * dy.length * info.kH * info.kW, PARALLEL_MIN_FLOPS, info.batch)).map(([b0, b1]) => [pdy, pf, pdx, pi, b0, b1]);
  rt.parallel('depthwiseBackpropInputImages', calls);
  rt.writeBack(pdx, dx);
}

function depthwiseConv2dBackpropFilter(rt: WasmRuntime, x: DataArray, dy: DataArray, dFilter: DataArray, info: DepthwiseInfo): void {
  if (!allF32(x, dy, dFilter)) return cpuBackend.depthwiseConv2dBackpropFilter(x, dy, dFilter, info);
  if (dFilter.length === 0) return;
  rt.reset();
  const px = rt.input(x);
  const pdy = rt.input(dy);
  const pi = convRecord(rt, info, info.multiplier);
  const rows = info.batch * info.outH * info.outW;
  const ranges = splitRange(rows, taskCount(rt, 2 * dy.length * info.kH * info.kW, PARALLEL_MIN_FLOPS, rows, 64));
  if (ranges.length === 0) {
    dFilter.fill(0);
    return;
  }
  const outs = ranges.map((_, i) => (i === 0 ? rt.output(dFilter) : rt.alloc(dFilter.length * 4)));
  rt.parallel('depthwiseBackpropFilterRows', ranges.map(([r0, r1], i) => [px, pdy, outs[i]!, pi, r0, r1]));
  for (let i = 1; i < outs.length; i++) rt.exports.addInto(outs[0]!, outs[i]!, dFilter.length);
  rt.writeBack(outs[0]!, dFilter);
}

type LinalgKernels = Pick<
  Backend,
  | 'matmul' | 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter' | 'depthwiseConv2d'
  | 'depthwiseConv2dBackpropInput' | 'depthwiseConv2dBackpropFilter'
>;

export function linalgKernels(rt: WasmRuntime): LinalgKernels {
  return {
    matmul: (a, b, out, info) => matmul(rt, a, b, out, info),
    conv2d: (x, f, out, info) => conv2d(rt, x, f, out, info),
    conv2dBackpropInput: (dy, f, dx, info) => conv2dBackpropInput(rt, dy, f, dx, info),
    conv2dBackpropFilter: (x, dy, df, info) => conv2dBackpropFilter(rt, x, dy, df, info),
    depthwiseConv2d: (x, f, out, info) => depthwiseConv2d(rt, x, f, out, info),
    depthwiseConv2dBackpropInput: (dy, f, dx, info) => depthwiseConv2dBackpropInput(rt, dy, f, dx, info),
    depthwiseConv2dBackpropFilter: (x, dy, df, info) => depthwiseConv2dBackpropFilter(rt, x, dy, df, info),
  };
}
