import type { Backend } from '../backend.js';
import { cpuBackend } from '../cpu/cpu-backend.js';
import { elementwiseKernels } from './elementwise.js';
import { linalgKernels } from './linalg.js';
import type { WasmVariant } from './loader.js';
import { poolingKernels } from './pooling.js';
import { type RuntimeOptions, type StagingStats, WasmRuntime } from './runtime.js';

/**
 * The `wasm` backend: AssemblyScript kernels with 128-bit SIMD (relaxed-SIMD FMA where the engine
 * has it), multi-threaded over a shared memory with a worker pool. Over a shared memory, float32
 * tensors are allocated inside it (`allocate`), so kernels work on them in place; other tensors
 * (a plain memory, small sizes, past the residency budget, other dtypes) are staged per call.
 * Movement and indexing kernels (copyStrided, gather, scatterAdd, where, argReduce) are the
 * reference ones.
 */
export interface WasmBackend extends Backend {
  readonly name: 'wasm';
  /** 'relaxed' (relaxed-SIMD FMA) or 'simd'. */
  readonly variant: WasmVariant;
  /** Sets the threads large kernels use, the calling thread included (1 = single-threaded). */
  setThreads(n: number): void;
  /** Threads in use: 1 where shared memory or workers are unavailable. */
  getThreads(): number;
  /** Copies between tensors and the wasm memory, counted while `enabled` is set (for the benchmark). */
  readonly stagingStats: StagingStats;
  /** Tensor storage inside the wasm memory: live blocks and bytes, and the budget (settable). */
  readonly residency: WasmResidency;
}

export interface WasmResidency {
  readonly enabled: boolean;
  readonly residentBytes: number;
  readonly residentBlocks: number;
  /** Bytes of the memory the heap spans (live and free blocks, scratch). */
  readonly heapBytes: number;
  maxBytes: number;
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
    allocate: (dtype, size, zeroed) => (dtype === 'float32' ? rt.allocate(size, zeroed !== false) : undefined),
    setThreads: (n: number) => rt.setThreads(n),
    getThreads: () => rt.threads,
    stagingStats: rt.stats,
    residency: {
      get enabled() {
        return rt.resident.enabled;
      },
      get residentBytes() {
        return rt.resident.residentBytes;
      },
      get residentBlocks() {
        return rt.resident.residentBlocks;
      },
      get heapBytes() {
        return rt.heapBytes;
      },
      get maxBytes() {
        return rt.resident.maxBytes;
      },
      set maxBytes(n: number) {
        rt.resident.maxBytes = n;
      },
    },
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

/**
 * NABLA_WASM_MIN_RESIDENT (elements) overrides RuntimeOptions.minResidentElements for the
 * process-wide backend: the tests set 1 to run the op suite with every float32 tensor resident.
 */
function envMinResident(): number | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  const v = Number(g.process?.env?.['NABLA_WASM_MIN_RESIDENT'] ?? NaN);
  return Number.isInteger(v) && v >= 0 ? v : undefined;
}

/** The process-wide wasm backend (created on first use), or null where it cannot load. */
export function wasmBackend(): WasmBackend | null {
  if (shared === undefined) shared = createWasmBackend({ minResidentElements: envMinResident() });
  return shared;
}
