import type { DataArray } from '../../tensor/dtype.js';
import type { WasmRuntime } from './runtime.js';

/** Helpers shared by the wasm kernel wrappers: dtype checks and splitting work over threads. */

/** Work (flops, or element visits for pooling) below which a kernel stays on one thread. */
export const PARALLEL_MIN_FLOPS = 1 << 23;
export const PARALLEL_MIN_VISITS = 1 << 20;

export function allF32(...arrays: DataArray[]): boolean {
  for (const a of arrays) if (!(a instanceof Float32Array)) return false;
  return true;
}

/** Splits [0, total) into at most `parts` non-empty ranges whose inner bounds are multiples of `align`. */
export function splitRange(total: number, parts: number, align = 1): [number, number][] {
  const units = Math.ceil(total / align);
  const n = Math.max(1, Math.min(parts, units));
  const ranges: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = i === n - 1 ? total : Math.min(total, Math.round((units * (i + 1)) / n) * align);
    if (end > start) ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/** Threads for a kernel call of `work` units whose default threshold is `min`. */
export function threadsFor(rt: WasmRuntime, work: number, min: number): number {
  return work >= (rt.minParallelWork ?? min) ? rt.threads : 1;
}


/**
 * Tasks to cut a kernel call into: 1 below the parallel threshold, else about four per thread
 * (threads claim tasks as they come, so a thread the OS holds back does not stall the call),
 * each at least `minUnits` of the `units` being split.
 */
export function taskCount(rt: WasmRuntime, work: number, min: number, units: number, minUnits = 1, perThread = 4): number {
  if (threadsFor(rt, work, min) <= 1) return 1;
  // minParallelWork 0 (tests) splits as finely as allowed, to exercise the pool on small inputs.
  const unit = rt.minParallelWork === 0 ? 1 : minUnits;
  return Math.max(1, Math.min(rt.threads * perThread, Math.floor(units / unit)));
}
