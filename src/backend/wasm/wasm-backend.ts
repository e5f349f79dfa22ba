import type { Backend } from '../backend.js';
import { cpuBackend } from '../cpu/cpu-backend.js';
import { elementwiseKernels } from './elementwise.js';
import { linalgKernels } from './linalg.js';
import type { WasmVariant } from './loader.js';
import { poolingKernels } from './pooling.js';
import { type RuntimeOptions, WasmRuntime } from './runtime.js';

/**
 * The `wasm` backend: AssemblyScript kernels with 128-bit SIMD (relaxed-SIMD FMA where the engine
 * has it), multi-threaded over a shared memory with a worker pool. Tensors stay plain typed arrays;
 * each call stages its inputs into the module's memory and copies the outputs back. Movement and
 * indexing kernels (copyStrided, gather, scatterAdd, where, argReduce) are the reference ones.
 */
export interface WasmBackend extends Backend {
  readonly name: 'wasm';
  /** 'relaxed' (relaxed-SIMD FMA) or 'simd'. */
  readonly variant: WasmVariant;
  /** Sets the threads large kernels use, the calling thread included (1 = single-threaded). */
  setThreads(n: number): void;
  /** Threads in use: 1 where shared memory or workers are unavailable. */
  getThreads(): number;
}

/** A new wasm backend with its own memory and workers, or null where it cannot load. */
export function createWasmBackend(options: RuntimeOptions = {}): WasmBackend | null {
  const rt = WasmRuntime.create(options);
  if (rt === null) return null;
  const kernels = withFallback({ ...linalgKernels(rt), ...poolingKernels(rt), ...elementwiseKernels(rt) });
  return {
    ...cpuBackend,
    ...kernels,
    name: 'wasm',
    variant: rt.variant,
    setThreads: (n: number) => rt.setThreads(n),
    getThreads: () => rt.threads,
  };
}

/**
 * Wraps each kernel so that a call whose buffers do not fit in the wasm memory (RangeError from
 * growing past its maximum, raised before any output is written) runs on the reference kernels.
 */
function withFallback<T extends Partial<Backend>>(kernels: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(kernels) as [string, (...args: unknown[]) => void][]) {
    const reference = (cpuBackend as unknown as Record<string, (...args: unknown[]) => void>)[name]!;
    out[name] = (...args: unknown[]): void => {
      try {
        fn(...args);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        reference(...args);
      }
    };
  }
  return out as T;
}

let shared: WasmBackend | null | undefined;

/** The process-wide wasm backend (created on first use), or null where it cannot load. */
export function wasmBackend(): WasmBackend | null {
  if (shared === undefined) shared = createWasmBackend();
  return shared;
}
