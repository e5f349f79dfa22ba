import type { DataArray } from '../../tensor/dtype.js';
import { INITIAL_PAGES, loadModule, MAXIMUM_PAGES, relaxedSimdSupported, sharedMemorySupported, type WasmVariant } from './loader.js';
import { MAX_THREADS, ThreadPool } from './workers.js';

/** The kernel exports of kernels/wasm/assembly/index.ts (pointers are byte offsets, as numbers). */
export interface KernelExports {
  heapBase(): number;
  gemmWorkspaceBytes(m: number, n: number, k: number): number;
  gemmTileRows(): number;
  convWorkspaceBytes(info: number, rows: number): number;
  unary(op: number, x: number, out: number, n: number): number;
  binary(op: number, a: number, aMode: number, b: number, bMode: number, out: number, n: number, period: number): number;
  reduce(op: number, x: number, outer: number, n: number, inner: number, out: number, scratch: number): number;
  biasActivation(x: number, bias: number, out: number, r0: number, r1: number, cols: number, act: number): number;
  softmax(x: number, out: number, r0: number, r1: number, n: number, log: number, scratch: number): void;
  softmaxCrossEntropy(logits: number, targets: number, loss: number, grad: number, r0: number, r1: number, n: number): void;
  sgdUpdate(param: number, grad: number, velocity: number, i0: number, i1: number, lr: number, momentum: number, nesterov: number, weightDecay: number): void;
  adamUpdate(
    param: number, grad: number, m: number, v: number, i0: number, i1: number, beta1: number, beta2: number,
    oneMinusBeta1: number, oneMinusBeta2: number, stepSize: number, epsHat: number, weightDecay: number, lrDecay: number, decoupled: number,
  ): void;
  addInto(dst: number, src: number, n: number): void;
  fillF32(dst: number, v: number, n: number): void;
}

/** Exports that may run on worker threads; a call names one by its index in this list. */
export const PARALLEL_KERNELS = [
  'gemm', 'gemmBatch', 'conv2dRows', 'conv2dBackpropInputRows', 'conv2dBackpropFilterRows',
  'depthwiseRows', 'depthwiseBackpropInputImages', 'depthwiseBackpropFilterRows',
  'maxPoolRows', 'maxPoolBackpropImages', 'avgPoolRows', 'avgPoolBackpropImages',
] as const;
export type ParallelKernel = (typeof PARALLEL_KERNELS)[number];

const PAGE = 65536;
const ALIGN = 64;

export interface RuntimeOptions {
  /** 'relaxed' needs relaxed-SIMD support; default: relaxed where supported, else simd. */
  variant?: WasmVariant;
  /** Total threads, the calling thread included; default min(hardware threads, 4). */
  threads?: number;
  /** false forces the build with a plain (non-shared) memory, as where SharedArrayBuffer is missing. */
  shared?: boolean;
  /**
   * Unary and binary ops on fewer elements run on the reference kernels, where staging would cost
   * more than it saves; default 128. Tests set 0 to run every size through wasm.
   */
  minElementwise?: number;
  /**
   * Work (flops) below which a kernel stays on one thread; default: each kernel's own threshold,
   * sized so that waking the workers (~50 µs) pays. 0 (for tests) splits every kernel call into
   * as many tasks as allowed, however small.
   */
  minParallelWork?: number;
}

function hardwareThreads(): number {
  const g = globalThis as { navigator?: { hardwareConcurrency?: number }; process?: { getBuiltinModule?: (id: string) => unknown } };
  const n = g.navigator?.hardwareConcurrency;
  if (typeof n === 'number' && n > 0) return n;
  try {
    const os = g.process?.getBuiltinModule?.('os') as { availableParallelism?: () => number; cpus?: () => unknown[] } | undefined;
    return os?.availableParallelism?.() ?? os?.cpus?.().length ?? 1;
  } catch {
    return 1;
  }
}

/**
 * One instance of the kernels: its memory, a bump arena for staging tensors (reset by each
 * backend call, grown as needed) and, over a shared memory, the worker pool.
 */
export class WasmRuntime {
  readonly exports: KernelExports;
  private readonly raw: Record<string, (...args: number[]) => unknown>;
  private readonly base: number;
  private top: number;
  private f32: Float32Array;
  private i32: Int32Array;
  private pool: ThreadPool | null = null;
  private poolTried = false;
  private threadCount: number;
  /** Overrides the kernels' parallel thresholds when set. */
  minParallelWork: number | undefined;
  /** See RuntimeOptions.minElementwise. */
  minElementwise = 128;

  private constructor(
    readonly variant: WasmVariant,
    readonly shared: boolean,
    private readonly module: WebAssembly.Module,
    readonly memory: WebAssembly.Memory,
    threads: number,
  ) {
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    this.raw = instance.exports as unknown as Record<string, (...args: number[]) => unknown>;
    this.exports = instance.exports as unknown as KernelExports;
    this.base = Math.ceil((this.exports.heapBase() + 1024) / ALIGN) * ALIGN;
    this.top = this.base;
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    this.threadCount = threads;
  }

  /** A runtime, or null where WebAssembly SIMD or the built kernels are unavailable. */
  static create(options: RuntimeOptions = {}): WasmRuntime | null {
    const variant = options.variant ?? (relaxedSimdSupported() ? 'relaxed' : 'simd');
    const shared = options.shared !== false && sharedMemorySupported();
    let module = loadModule(variant, shared);
    let isShared = shared;
    if (module === null && shared) {
      module = loadModule(variant, false);
      isShared = false;
    }
    if (module === null) return null;
    try {
      const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: isShared });
      const threads = options.threads ?? Math.min(hardwareThreads(), 4);
      const rt = new WasmRuntime(variant, isShared, module, memory, Math.max(1, Math.min(MAX_THREADS, Math.floor(threads))));
      rt.minParallelWork = options.minParallelWork;
      rt.minElementwise = options.minElementwise ?? 128;
      return rt;
    } catch {
      return null;
    }
  }

  /** Threads a parallel kernel may use (1 where shared memory or workers are missing). */
  get threads(): number {
    return this.shared ? this.threadCount : 1;
  }

  setThreads(n: number): void {
    this.threadCount = Math.max(1, Math.min(MAX_THREADS, Math.floor(n)));
  }

  /** Frees every staged buffer; each backend call starts with this. */
  reset(): void {
    this.top = this.base;
  }

  /** Reserves `bytes` in the arena (64-byte aligned), growing the memory when needed. */
  alloc(bytes: number): number {
    const p = this.top;
    const end = p + Math.ceil(Math.max(bytes, 0) / ALIGN) * ALIGN;
    if (end > this.memory.buffer.byteLength) {
      const pages = Math.ceil((end - this.memory.buffer.byteLength) / PAGE);
      // Grow by at least a quarter of the current size, so a growing model does not grow every call.
      const current = this.memory.buffer.byteLength / PAGE;
      const want = Math.min(Math.max(pages, Math.ceil(current / 4)), MAXIMUM_PAGES - current);
      if (want < pages) throw new RangeError(`wasm backend: needs ${end} bytes of memory, more than its ${MAXIMUM_PAGES * PAGE}-byte maximum`);
      this.memory.grow(want); // throws a RangeError when the engine cannot reserve more
      this.f32 = new Float32Array(this.memory.buffer);
      this.i32 = new Int32Array(this.memory.buffer);
    }
    this.top = end;
    return p;
  }

  /** Copies values (a Float32Array, as the wrappers check) into the arena as float32; returns the address. */
  stage(values: ArrayLike<number>): number {
    const p = this.alloc(values.length * 4);
    this.f32.set(values, p >>> 2);
    return p;
  }

  /** Copies `n` floats at address p into `out` (all of it when n is omitted). */
  read(p: number, out: DataArray, n = out.length): void {
    out.set(this.f32.subarray(p >>> 2, (p >>> 2) + n));
  }

  /** Copies out.length bytes at address p into `out`. */
  readBytes(p: number, out: Uint8Array): void {
    out.set(new Uint8Array(this.memory.buffer, p, out.length));
  }

  /** Writes int32 fields (a kernel's geometry record) into the arena; returns the address. */
  record(fields: readonly number[]): number {
    const p = this.alloc(fields.length * 4);
    for (let i = 0; i < fields.length; i++) this.i32[(p >>> 2) + i] = fields[i]!;
    return p;
  }

  /** Zero-filled float buffer of n elements. */
  zeros(n: number): number {
    const p = this.alloc(n * 4);
    this.f32.fill(0, p >>> 2, (p >>> 2) + n);
    return p;
  }

  /**
   * Runs one kernel export over several argument lists (tasks): on up to `threads` threads when
   * there is more than one task and a pool is available, else one after the other here.
   */
  parallel(kernel: ParallelKernel, tasks: readonly (readonly number[])[]): void {
    const fn = this.raw[kernel]!;
    const threads = Math.min(this.threads, tasks.length);
    if (threads > 1) {
      const pool = this.workers(threads - 1);
      if (pool !== null) {
        const index = PARALLEL_KERNELS.indexOf(kernel);
        pool.run(tasks.map((c) => [index, ...c]), threads - 1, (c) => fn(...c.slice(1)));
        return;
      }
    }
    for (const c of tasks) fn(...c);
  }

  private workers(count: number): ThreadPool | null {
    if (!this.poolTried) {
      this.poolTried = true;
      this.pool = ThreadPool.create(this.module, this.memory, [...PARALLEL_KERNELS]);
    }
    if (this.pool === null) return null;
    return this.pool.ensure(count) >= count ? this.pool : null;
  }
}
