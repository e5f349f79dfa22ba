import type { DataArray } from '../../tensor/dtype.js';
import type { Backend, PoolInfo } from '../backend.js';
import { cpuBackend } from '../cpu/cpu-backend.js';
import type { WasmRuntime } from './runtime.js';
import { allF32, PARALLEL_MIN_VISITS, splitRange, taskCount } from './util.js';

/**
 * Max and average pooling, forward and backward, on the wasm runtime. Forward passes split output
 * rows over threads; backward passes split whole images (windows of one image overlap).
 */

function poolRecord(rt: WasmRuntime, p: PoolInfo): number {
  return rt.record([p.batch, p.inH, p.inW, p.channels, p.outH, p.outW, p.kH, p.kW, p.strideH, p.strideW, p.padTop, p.padLeft]);
}

function maxPool2d(rt: WasmRuntime, x: DataArray, out: DataArray, info: PoolInfo): void {
  if (!allF32(x, out)) return cpuBackend.maxPool2d(x, out, info);
  if (out.length === 0) return;
  rt.reset();
  const px = rt.input(x);
  const po = rt.output(out);
  const pi = poolRecord(rt, info);
  const rows = info.batch * info.outH * info.outW;
  rt.parallel('maxPoolRows', splitRange(rows, taskCount(rt, out.length * info.kH * info.kW, PARALLEL_MIN_VISITS, rows, 64)).map(([r0, r1]) => [px, po, pi, r0, r1]));
  rt.writeBack(po, out);
}

function maxPool2dBackprop(rt: WasmRuntime, dy: DataArray, x: DataArray, dx: DataArray, info: PoolInfo): void {
  if (!allF32(dy, x, dx)) return cpuBackend.maxPool2dBackprop(dy, x, dx, info);
  if (dy.length === 0) return;
  rt.reset();
  const pdy = rt.input(dy);
  const px = rt.input(x);
  const pdx = rt.input(dx); // zero-filled by the caller; the kernel adds into it
  const pi = poolRecord(rt, info);
  rt.parallel('maxPoolBackpropImages', splitRange(info.batch, taskCount(rt, dy.length * info.kH * info.kW, PARALLEL_MIN_VISITS, info.batch)).map(([b0, b1]) => [pdy, px, pdx, pi, b0, b1]));
  rt.writeBack(pdx, dx);
}

function avgPool2d(rt: WasmRuntime, x: DataArray, out: DataArray, info: PoolInfo): void {
  if (!allF32(x, out)) return cpuBackend.avgPool2d(x, out, info);
  if (out.length === 0) return;
  rt.reset();
  const px = rt.input(x);
  const po = rt.output(out);
  const pi = poolRecord(rt, info);
  const rows = info.batch * info.outH * info.outW;
  rt.parallel('avgPoolRows', splitRange(rows, taskCount(rt, out.length * info.kH * info.kW, PARALLEL_MIN_VISITS, rows, 64)).map(([r0, r1]) => [px, po, pi, r0, r1]));
  rt.writeBack(po, out);
}

function avgPool2dBackprop(rt: WasmRuntime, dy: DataArray, dx: DataArray, info: PoolInfo): void {
  if (!allF32(dy, dx)) return cpuBackend.avgPool2dBackprop(dy, dx, info);
  if (dy.length === 0) return;
  rt.reset();
  const pdy = rt.input(dy);
  const pdx = rt.input(dx); // zero-filled by the caller; the kernel adds into it
  const pi = poolRecord(rt, info);
  rt.parallel('avgPoolBackpropImages', splitRange(info.batch, taskCount(rt, dy.length * info.kH * info.kW, PARALLEL_MIN_VISITS, info.batch)).map(([b0, b1]) => [pdy, pdx, pi, b0, b1]));
  rt.writeBack(pdx, dx);
}

type PoolingKernels = Pick<Backend, 'maxPool2d' | 'maxPool2dBackprop' | 'avgPool2d' | 'avgPool2dBackprop'>;

export function poolingKernels(rt: WasmRuntime): PoolingKernels {
  return {
    maxPool2d: (x, out, info) => maxPool2d(rt, x, out, info),
    maxPool2dBackprop: (dy, x, dx, info) => maxPool2dBackprop(rt, dy, x, dx, info),
    avgPool2d: (x, out, info) => avgPool2d(rt, x, out, info),
    avgPool2dBackprop: (dy, dx, info) => avgPool2dBackprop(rt, dy, dx, info),
  };
}
