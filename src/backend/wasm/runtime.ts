import type { DataArray } from '../../tensor/dtype.js';
import { INITIAL_PAGES, loadModule, MAXIMUM_PAGES, relaxedSimdSupported, sharedMemorySupported, type WasmVariant } from './loader.js';
import { Arena } from './arena.js';
import { BlockHeap } from './block-heap.js';
import { ResidentStorage } from './resident.js';
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
/** Top of the memory kept free of tensor blocks, for the scratch arena (workspaces, staged operands). */
const SCRATCH_RESERVE = 256 * 2 ** 20;

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
  /**
   * Most bytes of float32 tensors kept in the wasm memory (a shared one only); past it new tensors
   * are plain arrays, staged per call. Blocks of collected tensors come back only when the event
   * loop gets a turn, so this bounds what a synchronous loop can pile up. Default: three quarters
   * of the memory's maximum (1.5 GiB): a loop that yields once per step holds two steps' tensors
   * (a step's garbage is found by a collection during the next step and freed at the turn after
   * it): up to 1.1 GiB measured for the 150×150 convnet W3 at batch 32. 0 keeps every tensor a
   * plain array.
   */
  maxResidentBytes?: number;
  /**
   * Tensors of fewer elements stay plain arrays (small ones come from shared slabs faster than a
   * block and a finalizer, and cost little to stage); default 2048. Tests set 1.
   */
  minResidentElements?: number;
}

/**
 * Bytes and time spent copying tensors into the wasm memory and results back out, counted only
 * while `enabled` (the benchmark's staging share; timing every copy would slow small ops).
 */
export interface StagingStats {
  enabled: boolean;
  bytesIn: number;
  bytesOut: number;
  seconds: number;
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
 * One instance of the kernels: its memory, managed by a block heap that holds the float32 tensors
 * living in the memory (over a shared memory) and the per-call scratch arena, and, over a shared
 * memory, the worker pool. Kernel wrappers take a resident tensor's address as it is and stage
 * only the others (`input`, `output`, `writeBack`).
 */
export class WasmRuntime {
  readonly exports: KernelExports;
  private readonly raw: Record<string, (...args: number[]) => unknown>;
  private readonly heap: BlockHeap;
  private readonly arena: Arena;
  /** Tensor storage in this memory (off over a plain memory). */
  readonly resident: ResidentStorage;
  private f32: Float32Array;
  private i32: Int32Array;
  private pool: ThreadPool | null = null;
  private poolTried = false;
  private threadCount: number;
  /** Overrides the kernels' parallel thresholds when set. */
  minParallelWork: number | undefined;
  /** See RuntimeOptions.minElementwise. */
  minElementwise = 128;
  /** See RuntimeOptions.minResidentElements. */
  minResidentElements = 2048;
  readonly stats: StagingStats = { enabled: false, bytesIn: 0, bytesOut: 0, seconds: 0 };

  private constructor(
    readonly variant: WasmVariant,
    readonly shared: boolean,
    private readonly module: WebAssembly.Module,
    readonly memory: WebAssembly.Memory,
    threads: number,
    maxResidentBytes: number,
  ) {
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    this.raw = instance.exports as unknown as Record<string, (...args: number[]) => unknown>;
    this.exports = instance.exports as unknown as KernelExports;
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    this.heap = new BlockHeap(memory, this.exports.heapBase() + 1024, MAXIMUM_PAGES, () => this.grown());
    this.arena = new Arena(this.heap);
    this.resident = new ResidentStorage(memory, this.heap, maxResidentBytes, MAXIMUM_PAGES * PAGE - SCRATCH_RESERVE);
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
      const maxResident = options.maxResidentBytes ?? (MAXIMUM_PAGES * PAGE * 3) / 4;
      const rt = new WasmRuntime(variant, isShared, module, memory, Math.max(1, Math.min(MAX_THREADS, Math.floor(threads))), maxResident);
      rt.minParallelWork = options.minParallelWork;
      rt.minElementwise = options.minElementwise ?? 128;
      rt.minResidentElements = Math.max(1, options.minResidentElements ?? 2048);
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

  /** Float32 storage in the memory for a new tensor, or undefined (see ResidentStorage.allocate). */
  allocate(size: number, zeroed = true): Float32Array | undefined {
    return size < this.minResidentElements ? undefined : this.resident.allocate(size, zeroed);
  }

  /** Bytes of the memory in use: the heap's end (tensor blocks, free lists and the arena). */
  get heapBytes(): number {
    return this.heap.end;
  }

  private grown(): void {
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
    this.resident.noteBuffer();
  }

  /** Frees every scratch buffer; each backend call starts with this. */
  reset(): void {
    this.arena.reset();
  }

  /** Reserves `bytes` of scratch (64-byte aligned), growing the memory when needed. */
  alloc(bytes: number): number {
    return this.arena.alloc(bytes);
  }

  // Operands are float32 (the wrappers check): a resident one is a Float32Array view of this memory.

  /**
   * The address of a float32 input: its own when it lives in this memory, else a staged copy.
   * In-place operands (optimizer state, gradients accumulated into) use this too, with writeBack.
   */
  input(x: DataArray): number {
    return this.resident.owns(x) ? x.byteOffset : this.stage(x);
  }

  /** Where a kernel writes float32 output `out`: in place when it lives in this memory, else scratch. */
  output(out: DataArray): number {
    return this.resident.owns(out) ? out.byteOffset : this.alloc(out.length * 4);
  }

  /** Copies a result from `p` into `out` unless the kernel wrote it in place. */
  writeBack(p: number, out: DataArray): void {
    if (p !== out.byteOffset || !this.resident.owns(out)) this.read(p, out);
  }

  /** Copies values (a Float32Array, as the wrappers check) into the arena as float32; returns the address. */
  stage(values: ArrayLike<number>): number {
    const t0 = this.stats.enabled ? performance.now() : 0;
    const p = this.alloc(values.length * 4);
    this.f32.set(values, p >>> 2);
    if (this.stats.enabled) this.count(t0, values.length * 4, 0);
    return p;
  }

  /** Copies `n` floats at address p into `out` (all of it when n is omitted). */
  read(p: number, out: DataArray, n = out.length): void {
    const t0 = this.stats.enabled ? performance.now() : 0;
    out.set(this.f32.subarray(p >>> 2, (p >>> 2) + n));
    if (this.stats.enabled) this.count(t0, 0, n * 4);
  }

  /** Copies out.length bytes at address p into `out`. */
  readBytes(p: number, out: Uint8Array): void {
    const t0 = this.stats.enabled ? performance.now() : 0;
    out.set(new Uint8Array(this.memory.buffer, p, out.length));
    if (this.stats.enabled) this.count(t0, 0, out.length);
  }

  private count(t0: number, bytesIn: number, bytesOut: number): void {
    this.stats.seconds += (performance.now() - t0) / 1e3;
    this.stats.bytesIn += bytesIn;
    this.stats.bytesOut += bytesOut;
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
