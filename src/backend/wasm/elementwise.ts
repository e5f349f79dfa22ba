import type { DataArray } from '../../tensor/dtype.js';
import { type Shape, sizeOf } from '../../tensor/shape.js';
import type { AdamParams, Backend, BinaryOp, FusedActivation, ReduceOp, SgdParams, UnaryOp } from '../backend.js';
import { cpuBackend } from '../cpu/cpu-backend.js';
import type { WasmRuntime } from './runtime.js';
import { allF32 } from './util.js';

/**
 * Elementwise, reduction, fused and optimizer kernels on the wasm runtime. They are memory-bound,
 * so they run on one thread; operands that live in the wasm memory are used in place, others are
 * staged in and copied back.
 * Float32 only (comparisons: float32 in, bool out): other dtypes and broadcasts other than
 * same-shape / scalar / row / column go to the reference kernels.
 */

// Op codes of kernels/wasm/assembly (elementwise.ts, reduce.ts, fused.ts).
const UNARY_CODES: Partial<Record<UnaryOp, number>> = {
  neg: 0, abs: 1, sign: 2, exp: 3, expm1: 4, log: 5, log1p: 6, sqrt: 7, rsqrt: 8, square: 9, reciprocal: 10,
  sin: 11, cos: 12, tan: 13, tanh: 14, sigmoid: 15, erf: 16, floor: 17, ceil: 18, round: 19, isNaN: 20,
  isFinite: 21, relu: 22, logicalNot: 23, softplus: 24,
};
const BINARY_CODES: Partial<Record<BinaryOp, number>> = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6, mod: 7, atan2: 8,
  equal: 9, notEqual: 10, less: 11, lessEqual: 12, greater: 13, greaterEqual: 14,
};
/** Codes from here on are comparisons: float32 inputs, one byte (bool) out. */
const FIRST_COMPARISON = 9;
const REDUCE_CODES: Partial<Record<ReduceOp, number>> = { sum: 0, prod: 1, max: 2, min: 3 };
const ACTIVATION_CODES: Record<FusedActivation, number> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 };

// Broadcast modes of a binary operand.
const FULL = 0;
const SCALAR = 1;
const ROW = 2;
const COL = 3;

/**
 * How an operand of shape `shape` spreads over `outShape` (n elements): in full, as a scalar, as a
 * repeated trailing row, or with each element repeated over trailing dimensions; null otherwise.
 */
export function broadcastMode(shape: Shape, outShape: Shape, n: number): { mode: number; period: number } | null {
  const size = sizeOf(shape);
  if (size === n) return { mode: FULL, period: 0 };
  if (size === 1) return { mode: SCALAR, period: 0 };
  const rank = outShape.length;
  const padded = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  // ROW: ones, then the trailing dimensions of the output (a row repeated).
  let j = rank;
  while (j > 0 && padded[j - 1] === outShape[j - 1]) j--;
  if (padded.slice(0, j).every((d) => d === 1)) return { mode: ROW, period: size };
  // COL: the leading dimensions of the output, then ones (each element repeated).
  let t = 0;
  while (t < rank && padded[t] === outShape[t]) t++;
  if (padded.slice(t).every((d) => d === 1)) return { mode: COL, period: n / size };
  return null;
}

function unary(rt: WasmRuntime, op: UnaryOp, x: DataArray, out: DataArray): void {
  const code = UNARY_CODES[op];
  if (code === undefined || x.length < rt.minElementwise || !allF32(x, out) || x.length !== out.length) return cpuBackend.unary(op, x, out);
  rt.reset();
  const px = rt.input(x);
  const po = rt.output(out);
  if (rt.exports.unary(code, px, po, x.length) === 0) return cpuBackend.unary(op, x, out);
  rt.writeBack(po, out);
}

function binary(rt: WasmRuntime, op: BinaryOp, a: DataArray, aShape: Shape, b: DataArray, bShape: Shape, out: DataArray, outShape: Shape): void {
  const code = BINARY_CODES[op];
  const n = out.length;
  // Small ops: staging costs more than it saves (a 64-element add: ~0.25 µs in JS, ~0.45 µs via wasm).
  if (n < rt.minElementwise) return cpuBackend.binary(op, a, aShape, b, bShape, out, outShape);
  const ma = code === undefined ? null : broadcastMode(aShape, outShape, n);
  const mb = code === undefined ? null : broadcastMode(bShape, outShape, n);
  const compare = code !== undefined && code >= FIRST_COMPARISON;
  const outOk = compare ? out instanceof Uint8Array : out instanceof Float32Array;
  if (code === undefined || ma === null || mb === null || !allF32(a, b) || !outOk || (ma.mode !== FULL && mb.mode !== FULL) || n === 0) {
    return cpuBackend.binary(op, a, aShape, b, bShape, out, outShape);
  }
  rt.reset();
  const pa = rt.input(a);
  const pb = rt.input(b);
  const po = compare ? rt.alloc(n) : rt.output(out);
  const period = Math.max(ma.period, mb.period);
  if (rt.exports.binary(code, pa, ma.mode, pb, mb.mode, po, n, period) === 0) {
    return cpuBackend.binary(op, a, aShape, b, bShape, out, outShape);
  }
  if (compare) rt.readBytes(po, out as Uint8Array);
  else rt.writeBack(po, out);
}

function reduce(rt: WasmRuntime, op: ReduceOp, x: DataArray, outer: number, n: number, inner: number, out: DataArray): void {
  const code = REDUCE_CODES[op];
  if (code === undefined || !allF32(x, out) || out.length === 0) return cpuBackend.reduce(op, x, outer, n, inner, out);
  rt.reset();
  const px = rt.input(x.length === outer * n * inner ? x : x.subarray(0, outer * n * inner));
  const po = rt.output(out);
  const scratch = rt.alloc(inner * 8);
  rt.exports.reduce(code, px, outer, n, inner, po, scratch);
  rt.writeBack(po, out);
}

function biasActivation(rt: WasmRuntime, x: DataArray, bias: DataArray, out: DataArray, rows: number, cols: number, act: FusedActivation): void {
  if (!allF32(x, bias, out)) return cpuBackend.biasActivation(x, bias, out, rows, cols, act);
  if (rows * cols === 0) return;
  rt.reset();
  const px = rt.input(x);
  const pb = rt.input(bias);
  const po = rt.output(out);
  rt.exports.biasActivation(px, pb, po, 0, rows, cols, ACTIVATION_CODES[act]);
  rt.writeBack(po, out);
}

function softmax(rt: WasmRuntime, x: DataArray, out: DataArray, rows: number, n: number, log: boolean): void {
  if (!allF32(x, out)) return cpuBackend.softmax(x, out, rows, n, log);
  if (rows * n === 0) return;
  rt.reset();
  const px = rt.input(x);
  const po = rt.output(out);
  rt.exports.softmax(px, po, 0, rows, n, log ? 1 : 0, rt.alloc(n * 8));
  rt.writeBack(po, out);
}

function softmaxCrossEntropy(rt: WasmRuntime, logits: DataArray, targets: DataArray, loss: DataArray, grad: DataArray | null, rows: number, n: number): void {
  if (!allF32(logits, targets, loss) || (grad !== null && !(grad instanceof Float32Array))) {
    return cpuBackend.softmaxCrossEntropy(logits, targets, loss, grad, rows, n);
  }
  if (rows === 0) return;
  rt.reset();
  const pz = rt.input(logits);
  const pt = rt.input(targets);
  const pl = rt.output(loss);
  const pg = grad === null ? 0 : rt.output(grad);
  rt.exports.softmaxCrossEntropy(pz, pt, pl, pg, 0, rows, n);
  rt.writeBack(pl, loss);
  if (grad !== null) rt.writeBack(pg, grad);
}

function sgdUpdate(rt: WasmRuntime, param: DataArray, grad: DataArray, velocity: DataArray | null, p: SgdParams): void {
  const useVelocity = p.momentum !== 0 && velocity !== null;
  if (!allF32(param, grad) || (useVelocity && !(velocity instanceof Float32Array))) return cpuBackend.sgdUpdate(param, grad, velocity, p);
  const n = param.length;
  if (n === 0) return;
  rt.reset();
  const pp = rt.input(param);
  const pg = rt.input(grad);
  const pv = useVelocity ? rt.input(velocity) : 0;
  rt.exports.sgdUpdate(pp, pg, pv, 0, n, p.lr, p.momentum, p.nesterov ? 1 : 0, p.weightDecay);
  rt.writeBack(pp, param);
  if (useVelocity) rt.writeBack(pv, velocity);
}

function adamUpdate(rt: WasmRuntime, param: DataArray, grad: DataArray, m: DataArray, v: DataArray, p: AdamParams): void {
  if (!allF32(param, grad, m, v)) return cpuBackend.adamUpdate(param, grad, m, v, p);
  const n = param.length;
  if (n === 0) return;
  const { lr, beta1, beta2, epsilon, step, weightDecay, decoupled } = p;
  const c1 = 1 - beta1 ** step;
  const c2 = 1 - beta2 ** step;
  rt.reset();
  const pp = rt.input(param);
  const pg = rt.input(grad);
  const pm = rt.input(m);
  const pv = rt.input(v);
  rt.exports.adamUpdate(pp, pg, pm, pv, 0, n, beta1, beta2, 1 - beta1, 1 - beta2, (lr * Math.sqrt(c2)) / c1, epsilon * Math.sqrt(c2), weightDecay, lr * weightDecay, decoupled ? 1 : 0);
  rt.writeBack(pp, param);
  rt.writeBack(pm, m);
  rt.writeBack(pv, v);
}

type ElementwiseKernels = Pick<Backend, 'unary' | 'binary' | 'reduce' | 'biasActivation' | 'softmax' | 'softmaxCrossEntropy' | 'sgdUpdate' | 'adamUpdate'>;

export function elementwiseKernels(rt: WasmRuntime): ElementwiseKernels {
  return {
    unary: (op, x, out) => unary(rt, op, x, out),
    binary: (op, a, as, b, bs, out, os) => binary(rt, op, a, as, b, bs, out, os),
    reduce: (op, x, outer, n, inner, out) => reduce(rt, op, x, outer, n, inner, out),
    biasActivation: (x, bias, out, rows, cols, act) => biasActivation(rt, x, bias, out, rows, cols, act),
    softmax: (x, out, rows, n, log) => softmax(rt, x, out, rows, n, log),
    softmaxCrossEntropy: (z, t, loss, grad, rows, n) => softmaxCrossEntropy(rt, z, t, loss, grad, rows, n),
    sgdUpdate: (param, grad, velocity, p) => sgdUpdate(rt, param, grad, velocity, p),
    adamUpdate: (param, grad, m, v, p) => adamUpdate(rt, param, grad, m, v, p),
  };
}
