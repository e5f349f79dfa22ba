import type { DataArray } from '../../tensor/dtype.js';
import { broadcastStrides, type Shape, shapesEqual } from '../../tensor/shape.js';
import type { BinaryOp, UnaryOp } from '../backend.js';
import { erf, floorMod, roundHalfEven, sigmoid, softplus } from './math.js';

export function unary(op: UnaryOp, x: DataArray, out: DataArray): void {
  const n = x.length;
  const map = (f: (v: number) => number): void => {
    for (let i = 0; i < n; i++) out[i] = f(x[i]!);
  };
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i]!;
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!);
      return;
    case 'sign':
      return map((v) => (v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : NaN));
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!);
      return;
    case 'expm1':
      return map(Math.expm1);
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!);
      return;
    case 'log1p':
      return map(Math.log1p);
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!);
      return;
    case 'rsqrt':
      return map((v) => 1 / Math.sqrt(v));
    case 'square':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v * v;
      }
      return;
    case 'reciprocal':
      return map((v) => 1 / v);
    case 'sin':
      return map(Math.sin);
    case 'cos':
      return map(Math.cos);
    case 'tan':
      return map(Math.tan);
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) out[i] = sigmoid(x[i]!);
      return;
    case 'softplus':
      return map(softplus);
    case 'erf':
      return map(erf);
    case 'floor':
      return map(Math.floor);
    case 'ceil':
      return map(Math.ceil);
    case 'round':
      return map(roundHalfEven);
    case 'isNaN':
      return map((v) => (Number.isNaN(v) ? 1 : 0));
    case 'isFinite':
      return map((v) => (Number.isFinite(v) ? 1 : 0));
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v < 0 ? 0 : v; // NaN stays NaN (as TensorFlow and PyTorch), so bad inputs are not hidden
      }
      return;
    case 'logicalNot':
      return map((v) => (v === 0 ? 1 : 0));
  }
}

type Fn2 = (a: number, b: number) => number;

const BINARY_FNS: Record<BinaryOp, Fn2> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (a > b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a < b || Number.isNaN(a) ? a : b),
  mod: floorMod,
  atan2: Math.atan2,
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
  logicalXor: (a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0),
};

/** Same-shape loops for the four hot ops, written out so V8 compiles each to a tight loop. */
function sameShapeArith(op: BinaryOp, a: DataArray, b: DataArray, out: DataArray): boolean {
  const n = out.length;
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
      return true;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
      return true;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
      return true;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!;
      return true;
    default:
      return false;
  }
}

/**
 * Walks `outShape` with an odometer over all but the last dimension and calls `inner` for each
 * row with the starting offsets of every input; the last dimension is the caller's tight loop.
 */
export function forEachRow(outShape: Shape, strides: readonly (readonly number[])[], inner: (outOffset: number, offsets: number[]) => void): void {
  const rank = outShape.length;
  const rowLen = rank === 0 ? 1 : (outShape[rank - 1] as number);
  const total = outShape.reduce((p, d) => p * d, 1);
  if (total === 0) return;
  const rows = total / rowLen;
  const idx = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  const offsets = strides.map(() => 0);
  for (let r = 0; r < rows; r++) {
    inner(r * rowLen, offsets);
    for (let d = rank - 2; d >= 0; d--) {
      const count = ++idx[d]!;
      for (let s = 0; s < strides.length; s++) offsets[s]! += strides[s]![d]!;
      if (count < (outShape[d] as number)) break;
      idx[d] = 0;
      for (let s = 0; s < strides.length; s++) offsets[s]! -= strides[s]![d]! * count;
    }
  }
}

export function binary(op: BinaryOp, a: DataArray, aShape: Shape, b: DataArray, bShape: Shape, out: DataArray, outShape: Shape): void {
  if (shapesEqual(aShape, bShape) && sameShapeArith(op, a, b, out)) return;
  const f = BINARY_FNS[op];
  const n = out.length;
  if (a.length === n && b.length === n && shapesEqual(aShape, outShape) && shapesEqual(bShape, outShape)) {
    for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
    return;
  }
  if (b.length === 1 && a.length === n) {
    const bv = b[0]!;
    for (let i = 0; i < n; i++) out[i] = f(a[i]!, bv);
    return;
  }
  if (a.length === 1 && b.length === n) {
    const av = a[0]!;
    for (let i = 0; i < n; i++) out[i] = f(av, b[i]!);
    return;
  }
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const rank = outShape.length;
  const la = sa[rank - 1] ?? 0;
  const lb = sb[rank - 1] ?? 0;
  const rowLen = rank === 0 ? 1 : (outShape[rank - 1] as number);
  forEachRow(outShape, [sa, sb], (o, [ia, ib]) => {
    let pa = ia!;
    let pb = ib!;
    for (let j = 0; j < rowLen; j++, pa += la, pb += lb) out[o + j] = f(a[pa]!, b[pb]!);
  });
}

export function where(cond: Uint8Array, condShape: Shape, a: DataArray, aShape: Shape, b: DataArray, bShape: Shape, out: DataArray, outShape: Shape): void {
  const sc = broadcastStrides(condShape, outShape);
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const rank = outShape.length;
  const lc = sc[rank - 1] ?? 0;
  const la = sa[rank - 1] ?? 0;
  const lb = sb[rank - 1] ?? 0;
  const rowLen = rank === 0 ? 1 : (outShape[rank - 1] as number);
  forEachRow(outShape, [sc, sa, sb], (o, [ic, ia, ib]) => {
    let pc = ic!;
    let pa = ia!;
    let pb = ib!;
    for (let j = 0; j < rowLen; j++, pc += lc, pa += la, pb += lb) out[o + j] = cond[pc] ? a[pa]! : b[pb]!;
  });
}

