import { BYTES_PER_ELEMENT, type DataArray, type DType, viewOf } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import type {
  AdamParams, ArgReduceOp, Backend, BinaryOp, ConvInfo, DepthwiseInfo, FusedActivation, MatmulInfo, PoolInfo, ReduceOp,
  SgdParams, UnaryOp,
} from '../backend.js';
import { cpuBackend } from '../cpu/cpu-backend.js';
import { loadNativeAddon, type NativeAddon } from './loader.js';

/**
 * The `native` backend: the C++ kernels of kernels/native (AVX-512 / AVX2+FMA / portable, chosen
 * at run time, multi-threaded by the addon's own blocking pool) working on the tensors' own
 * Float32Arrays. Other dtypes, and the kernels the addon lacks (where, argReduce, gather,
 * scatterAdd, reductions any/all), use the cpu reference.
 */
export interface NativeBackend extends Backend {
  readonly name: 'native';
  /** Sets the kernel threads, the calling thread included (default: NABLA_NUM_THREADS or all cores). */
  setThreads(n: number): void;
  getThreads(): number;
  /** The ISA the kernels run with ('avx512', 'avx2' or 'portable') and the GEMM micro-kernel. */
  readonly isa: string;
  readonly gemmKernel: string;
  /**
   * Whether tensors of `recycleMinBytes` or more live in recycled native memory (default true):
   * their pages stay mapped from one step to the next instead of faulting in afresh.
   */
  recycleStorage: boolean;
  /** The smallest tensor (in bytes) that uses recycled storage; smaller ones are plain typed arrays. */
  recycleMinBytes: number;
}

/** Below this size a plain typed array is as cheap as a recycled block (NABLA_NATIVE_POISON sets 0). */
const RECYCLE_MIN_BYTES = 1 << 18;

// Op ids of kernels/native/src/ops.h.
const UNARY_ID: Partial<Record<UnaryOp, number>> = {
  neg: 0, abs: 1, sign: 2, exp: 3, expm1: 4, log: 5, log1p: 6, sqrt: 7, rsqrt: 8, square: 9, reciprocal: 10, sin: 11,
  cos: 12, tan: 13, tanh: 14, sigmoid: 15, erf: 16, floor: 17, ceil: 18, round: 19, relu: 20, softplus: 21,
  isNaN: 100, isFinite: 101, logicalNot: 102,
};
const BINARY_ID: Record<BinaryOp, number> = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6, mod: 7, atan2: 8,
  equal: 100, notEqual: 101, less: 102, lessEqual: 103, greater: 104, greaterEqual: 105,
  logicalAnd: 106, logicalOr: 107, logicalXor: 108,
};
const REDUCE_ID: Partial<Record<ReduceOp, number>> = { sum: 0, prod: 1, max: 2, min: 3 };
const ACT_ID: Record<FusedActivation, number> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 };
const MAX_RANK = 16;

const f32 = (a: DataArray | null): a is Float32Array => a instanceof Float32Array;

/** Output type the addon expects for an op id: float32 below 100, bool (Uint8Array) from 100. */
const outMatches = (id: number, out: DataArray): boolean => (id < 100 ? out instanceof Float32Array : out instanceof Uint8Array);

function convParams(P: Float64Array, info: ConvInfo, multiplier: number): Float64Array {
  P[0] = info.batch; P[1] = info.inH; P[2] = info.inW; P[3] = info.inC; P[4] = info.outH; P[5] = info.outW;
  P[6] = info.outC; P[7] = info.kH; P[8] = info.kW; P[9] = info.strideH; P[10] = info.strideW;
  P[11] = info.dilationH; P[12] = info.dilationW; P[13] = info.padTop; P[14] = info.padLeft; P[15] = multiplier;
  return P;
}

function processEnv(name: string): string | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return g.process?.env?.[name];
}

function matmulParams(P: Float64Array, mi: MatmulInfo): Float64Array {
  P[0] = mi.batch; P[1] = mi.m; P[2] = mi.n; P[3] = mi.k; P[4] = mi.transA ? 1 : 0; P[5] = mi.transB ? 1 : 0;
  P[6] = mi.aBatchStride; P[7] = mi.bBatchStride;
  return P;
}

function poolParams(P: Float64Array, info: PoolInfo): Float64Array {
  P[0] = info.batch; P[1] = info.inH; P[2] = info.inW; P[3] = info.channels; P[4] = info.outH; P[5] = info.outW;
  P[6] = info.kH; P[7] = info.kW; P[8] = info.strideH; P[9] = info.strideW; P[10] = info.padTop; P[11] = info.padLeft;
  return P;
}

/** Writes rank, out shape and the broadcast strides of a and b into P (layout of the addon's binary). */
function broadcastParams(P: Float64Array, a: DataArray, aShape: Shape, b: DataArray, bShape: Shape, out: DataArray, outShape: Shape): Float64Array {
  const n = out.length;
  // Flat fast paths: same shapes, or a single-element operand.
  if ((a.length === n || a.length === 1) && (b.length === n || b.length === 1) && (a.length === 1 || b.length === 1 || sameShape(aShape, bShape))) {
    P[0] = 1; P[1] = n; P[2] = a.length === 1 ? 0 : 1; P[3] = b.length === 1 ? 0 : 1;
    return P;
  }
  const rank = outShape.length;
  P[0] = rank;
  let sa = 1;
  let sb = 1;
  for (let d = rank - 1; d >= 0; d--) {
    P[1 + d] = outShape[d]!;
    const da = aShape.length - rank + d;
    const db = bShape.length - rank + d;
    const dimA = da >= 0 ? aShape[da]! : 1;
    const dimB = db >= 0 ? bShape[db]! : 1;
    P[1 + rank + d] = dimA === 1 ? 0 : sa;
    P[1 + 2 * rank + d] = dimB === 1 ? 0 : sb;
    sa *= dimA;
    sb *= dimB;
  }
  return P;
}

function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function createNativeBackend(addon: NativeAddon): NativeBackend {
  const cpu = cpuBackend;
  // One parameter block reused by every call: calls are synchronous and never re-enter.
  const P = new Float64Array(4 + 3 * MAX_RANK);
  const info = addon.info();
  // Test mode: every tensor lives in recycled storage and what callers leave uninitialized is NaN,
  // so a kernel that fails to write an element of its output shows up in the op suite.
  const poison = processEnv('NABLA_NATIVE_POISON') === '1';
  addon.setStoragePoison(poison);
  return {
    name: 'native',
    isa: info.isa,
    gemmKernel: info.gemmKernel,
    setThreads(n: number): void {
      addon.setNumThreads(n);
    },
    getThreads(): number {
      return addon.getNumThreads();
    },
    recycleStorage: true,
    recycleMinBytes: poison ? 0 : RECYCLE_MIN_BYTES,
    allocate(dtype: DType, size: number, zeroed = true): DataArray | undefined {
      const bytes = size * BYTES_PER_ELEMENT[dtype];
      if (bytes < this.recycleMinBytes || !this.recycleStorage) return undefined;
      // Only float32 reaches the native kernels; other dtypes may meet the reference kernels, so they stay zeroed.
      return viewOf(dtype, addon.allocate(bytes, zeroed || dtype !== 'float32'), 0, size);
    },

    unary(op: UnaryOp, x: DataArray, out: DataArray): void {
      const id = UNARY_ID[op];
      if (id !== undefined && f32(x) && outMatches(id, out)) addon.unary(id, x, out as Float32Array | Uint8Array);
      else cpu.unary(op, x, out);
    },
    binary(op: BinaryOp, a: DataArray, aShape: Shape, b: DataArray, bShape: Shape, out: DataArray, outShape: Shape): void {
      const id = BINARY_ID[op];
      if (f32(a) && f32(b) && outMatches(id, out) && outShape.length <= MAX_RANK) {
        addon.binary(id, a, b, out as Float32Array | Uint8Array, broadcastParams(P, a, aShape, b, bShape, out, outShape));
      } else {
        cpu.binary(op, a, aShape, b, bShape, out, outShape);
      }
    },
    where: cpu.where,
    reduce(op: ReduceOp, x: DataArray, outer: number, n: number, inner: number, out: DataArray): void {
      const id = REDUCE_ID[op];
      if (id !== undefined && f32(x) && f32(out)) {
        P[0] = outer; P[1] = n; P[2] = inner;
        addon.reduce(id, x, out, P);
      } else {
        cpu.reduce(op, x, outer, n, inner, out);
      }
    },
    argReduce(op: ArgReduceOp, x: DataArray, outer: number, n: number, inner: number, out: Int32Array): void {
      cpu.argReduce(op, x, outer, n, inner, out);
    },
    copyStrided(src: DataArray, srcOffset: number, srcStrides: readonly number[], dst: DataArray, dstOffset: number, dstStrides: readonly number[], shape: Shape): void {
      const rank = shape.length;
      if (f32(src) && f32(dst) && rank <= MAX_RANK) {
        P[0] = rank; P[1] = srcOffset; P[2] = dstOffset;
        for (let d = 0; d < rank; d++) {
          P[3 + d] = shape[d]!;
          P[3 + rank + d] = srcStrides[d]!;
          P[3 + 2 * rank + d] = dstStrides[d]!;
        }
        addon.copyStrided(src, dst, P);
      } else {
        cpu.copyStrided(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, shape);
      }
    },
    gather: cpu.gather,
    scatterAdd: cpu.scatterAdd,
    matmul(a: DataArray, b: DataArray, out: DataArray, mi: MatmulInfo): void {
      if (f32(a) && f32(b) && f32(out)) {
        addon.matmul(a, b, out, matmulParams(P, mi));
      } else {
        cpu.matmul(a, b, out, mi);
      }
    },
    conv2d(x: DataArray, filter: DataArray, out: DataArray, ci: ConvInfo): void {
      if (f32(x) && f32(filter) && f32(out)) addon.conv2d(x, filter, out, convParams(P, ci, 1));
      else cpu.conv2d(x, filter, out, ci);
    },
    conv2dBackpropInput(dy: DataArray, filter: DataArray, dx: DataArray, ci: ConvInfo): void {
      if (f32(dy) && f32(filter) && f32(dx)) addon.conv2dBackpropInput(dy, filter, dx, convParams(P, ci, 1));
      else cpu.conv2dBackpropInput(dy, filter, dx, ci);
    },
    conv2dBackpropFilter(x: DataArray, dy: DataArray, dFilter: DataArray, ci: ConvInfo): void {
      if (f32(x) && f32(dy) && f32(dFilter)) addon.conv2dBackpropFilter(x, dy, dFilter, convParams(P, ci, 1));
      else cpu.conv2dBackpropFilter(x, dy, dFilter, ci);
    },
    depthwiseConv2d(x: DataArray, filter: DataArray, out: DataArray, di: DepthwiseInfo): void {
      if (f32(x) && f32(filter) && f32(out)) addon.depthwiseConv2d(x, filter, out, convParams(P, di, di.multiplier));
      else cpu.depthwiseConv2d(x, filter, out, di);
    },
    depthwiseConv2dBackpropInput(dy: DataArray, filter: DataArray, dx: DataArray, di: DepthwiseInfo): void {
      if (f32(dy) && f32(filter) && f32(dx)) addon.depthwiseConv2dBackpropInput(dy, filter, dx, convParams(P, di, di.multiplier));
      else cpu.depthwiseConv2dBackpropInput(dy, filter, dx, di);
    },
    depthwiseConv2dBackpropFilter(x: DataArray, dy: DataArray, dFilter: DataArray, di: DepthwiseInfo): void {
      if (f32(x) && f32(dy) && f32(dFilter)) addon.depthwiseConv2dBackpropFilter(x, dy, dFilter, convParams(P, di, di.multiplier));
      else cpu.depthwiseConv2dBackpropFilter(x, dy, dFilter, di);
    },
    maxPool2d(x: DataArray, out: DataArray, pi: PoolInfo): void {
      if (f32(x) && f32(out)) addon.maxPool2d(x, out, poolParams(P, pi));
      else cpu.maxPool2d(x, out, pi);
    },
    maxPool2dBackprop(dy: DataArray, x: DataArray, dx: DataArray, pi: PoolInfo): void {
      if (f32(dy) && f32(x) && f32(dx)) addon.maxPool2dBackprop(dy, x, dx, poolParams(P, pi));
      else cpu.maxPool2dBackprop(dy, x, dx, pi);
    },
    avgPool2d(x: DataArray, out: DataArray, pi: PoolInfo): void {
      if (f32(x) && f32(out)) addon.avgPool2d(x, out, poolParams(P, pi));
      else cpu.avgPool2d(x, out, pi);
    },
    avgPool2dBackprop(dy: DataArray, dx: DataArray, pi: PoolInfo): void {
      if (f32(dy) && f32(dx)) addon.avgPool2dBackprop(dy, dx, poolParams(P, pi));
      else cpu.avgPool2dBackprop(dy, dx, pi);
    },
    biasActivation(x: DataArray, bias: DataArray, out: DataArray, rows: number, cols: number, act: FusedActivation): void {
      if (f32(x) && f32(bias) && f32(out)) {
        P[0] = rows; P[1] = cols; P[2] = ACT_ID[act];
        addon.biasActivation(x, bias, out, P);
      } else {
        cpu.biasActivation(x, bias, out, rows, cols, act);
      }
    },
    matmulBiasActivation(a: DataArray, b: DataArray, bias: DataArray | null, out: DataArray, mi: MatmulInfo, act: FusedActivation): void {
      if (f32(a) && f32(b) && f32(out) && (bias === null || f32(bias))) {
        addon.matmul(a, b, out, matmulParams(P, mi), bias, ACT_ID[act]);
      } else {
        cpu.matmul(a, b, out, mi);
        cpu.biasActivation(out, bias ?? new Float32Array(mi.n), out, out.length / mi.n, mi.n, act);
      }
    },
    conv2dBiasActivation(x: DataArray, filter: DataArray, bias: DataArray | null, out: DataArray, ci: ConvInfo, act: FusedActivation): void {
      if (f32(x) && f32(filter) && f32(out) && (bias === null || f32(bias))) {
        addon.conv2d(x, filter, out, convParams(P, ci, 1), bias, ACT_ID[act]);
      } else {
        cpu.conv2d(x, filter, out, ci);
        cpu.biasActivation(out, bias ?? new Float32Array(ci.outC), out, out.length / ci.outC, ci.outC, act);
      }
    },
    activationGrad(act: FusedActivation, y: DataArray, dy: DataArray, out: DataArray): void {
      if (f32(y) && f32(dy) && f32(out)) {
        P[0] = ACT_ID[act];
        addon.activationGrad(y, dy, out, P);
      } else {
        cpu.activationGrad(act, y, dy, out);
      }
    },
    softmax(x: DataArray, out: DataArray, rows: number, n: number, log: boolean): void {
      if (f32(x) && f32(out)) {
        P[0] = rows; P[1] = n; P[2] = log ? 1 : 0;
        addon.softmax(x, out, P);
      } else {
        cpu.softmax(x, out, rows, n, log);
      }
    },
    softmaxCrossEntropy(logits: DataArray, targets: DataArray, loss: DataArray, grad: DataArray | null, rows: number, n: number): void {
      if (f32(logits) && f32(targets) && f32(loss) && (grad === null || f32(grad))) {
        P[0] = rows; P[1] = n;
        addon.softmaxCrossEntropy(logits, targets, loss, grad, P);
      } else {
        cpu.softmaxCrossEntropy(logits, targets, loss, grad, rows, n);
      }
    },
    sgdUpdate(param: DataArray, grad: DataArray, velocity: DataArray | null, p: SgdParams): void {
      const useVelocity = p.momentum !== 0 && velocity !== null;
      if (f32(param) && f32(grad) && (!useVelocity || f32(velocity))) {
        P[0] = p.lr; P[1] = useVelocity ? p.momentum : 0; P[2] = p.nesterov ? 1 : 0; P[3] = p.weightDecay;
        addon.sgdUpdate(param, grad, useVelocity ? (velocity as Float32Array) : null, P);
      } else {
        cpu.sgdUpdate(param, grad, velocity, p);
      }
    },
    adamUpdate(param: DataArray, grad: DataArray, m: DataArray, v: DataArray, p: AdamParams): void {
      if (f32(param) && f32(grad) && f32(m) && f32(v)) {
        const c1 = 1 - p.beta1 ** p.step;
        const c2 = 1 - p.beta2 ** p.step;
        P[0] = p.lr; P[1] = p.beta1; P[2] = p.beta2;
        P[3] = (p.lr * Math.sqrt(c2)) / c1; // step size, as the reference folds the bias corrections
        P[4] = p.epsilon * Math.sqrt(c2);
        P[5] = p.weightDecay; P[6] = p.decoupled ? 1 : 0;
        addon.adamUpdate(param, grad, m, v, P);
      } else {
        cpu.adamUpdate(param, grad, m, v, p);
      }
    },
  };
}

let shared: NativeBackend | null | undefined;
let noticed = false;

/** Why the native backend is unavailable, or null when it loads. */
export function nativeUnavailableReason(): string | null {
  const r = loadNativeAddon();
  return r.addon === null ? r.reason : null;
}

/**
 * The process-wide native backend, or null where the addon is absent; the first time it is found
 * missing for an unexpected reason (say, a failed build) one line goes to stderr.
 */
export function nativeBackend(): NativeBackend | null {
  if (shared !== undefined) return shared;
  const r = loadNativeAddon();
  shared = r.addon === null ? null : createNativeBackend(r.addon);
  if (shared === null && !r.expected && !noticed) {
    noticed = true;
    const proc = (globalThis as { process?: { stderr?: { write(s: string): unknown } } }).process;
    proc?.stderr?.write(`nabla: native backend unavailable (${r.reason}); using wasm/cpu\n`);
  }
  return shared;
}
