/*
 * Float32 elementwise kernels. Arithmetic that is exact in float32 (±, ×, ÷, √, min/max, rounding)
 * runs on f32x4 lanes; transcendental functions run in float64 per element, as the reference does,
 * so results match it to the last bit or one.
 */

// Unary op codes (the TypeScript side maps op names to these).
const NEG = 0, ABS = 1, SIGN = 2, EXP = 3, EXPM1 = 4, LOG = 5, LOG1P = 6, SQRT = 7, RSQRT = 8, SQUARE = 9;
const RECIPROCAL = 10, SIN = 11, COS = 12, TAN = 13, TANH = 14, SIGMOID = 15, ERF = 16, FLOOR = 17;
const CEIL = 18, ROUND = 19, IS_NAN = 20, IS_FINITE = 21, RELU = 22, LOGICAL_NOT = 23, SOFTPLUS = 24;

// Binary op codes; comparisons write one byte (0 or 1) per element.
const ADD = 0, SUB = 1, MUL = 2, DIV = 3, POW = 4, MAXIMUM = 5, MINIMUM = 6, MOD = 7, ATAN2 = 8;
const EQUAL = 9, NOT_EQUAL = 10, LESS = 11, LESS_EQUAL = 12, GREATER = 13, GREATER_EQUAL = 14;

// Broadcast modes of one operand of a binary op over n output elements.
const FULL = 0, SCALAR = 1, ROW = 2, COL = 3;

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/** The reference's error function: Maclaurin series below 2, Lentz's continued fraction above. */
export function erf64(x: f64): f64 {
  if (x != x) return x;
  const ax = Math.abs(x);
  if (ax < 2) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / <f64>n;
      const add = term / <f64>(2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  if (ax > 6) return x > 0 ? 1 : -1;
  const tiny = 1e-300;
  let f = ax;
  let c = ax;
  let d: f64 = 0;
  for (let n = 1; n < 200; n++) {
    const a = <f64>n / 2;
    d = ax + a * d;
    d = d == 0 ? tiny : d;
    c = ax + a / c;
    c = c == 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = (Math.exp(-ax * ax) * ONE_OVER_SQRT_PI) / f;
  return x > 0 ? 1 - erfc : erfc - 1;
}

// @ts-ignore: decorator
@inline export function sigmoid64(x: f64): f64 {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function scalarUnary(op: i32, v: f64): f64 {
  switch (op) {
    case SIGN: return v > 0 ? 1 : v < 0 ? -1 : v == 0 ? 0 : NaN;
    case EXP: return Math.exp(v);
    case EXPM1: return Math.expm1(v);
    case LOG: return Math.log(v);
    case LOG1P: return Math.log1p(v);
    case RSQRT: return 1 / Math.sqrt(v);
    case SIN: return Math.sin(v);
    case COS: return Math.cos(v);
    case TAN: return Math.tan(v);
    case TANH: return Math.tanh(v);
    case SIGMOID: return sigmoid64(v);
    case ERF: return erf64(v);
    case IS_NAN: return v != v ? 1 : 0;
    case IS_FINITE: return isFinite(v) ? 1 : 0;
    case LOGICAL_NOT: return v == 0 ? 1 : 0;
    case SOFTPLUS: return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    default: return NaN;
  }
}

/** out[i] = op(x[i]) for n floats; returns 0 for an unknown op code. */
export function unary(op: i32, x: usize, out: usize, n: i32): i32 {
  let i = 0;
  switch (op) {
    case NEG: for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.neg(v128.load(x + (<usize>i << 2)))); break;
    case ABS: for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.abs(v128.load(x + (<usize>i << 2)))); break;
    case SQRT: for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.sqrt(v128.load(x + (<usize>i << 2)))); break;
    case FLOOR: for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.floor(v128.load(x + (<usize>i << 2)))); break;
    case CEIL: for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.ceil(v128.load(x + (<usize>i << 2)))); break;
    case ROUND: for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.nearest(v128.load(x + (<usize>i << 2)))); break;
    case SQUARE:
      for (; i + 4 <= n; i += 4) {
        const v = v128.load(x + (<usize>i << 2));
        v128.store(out + (<usize>i << 2), f32x4.mul(v, v));
      }
      break;
    case RECIPROCAL: {
      const one = f32x4.splat(1);
      for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.div(one, v128.load(x + (<usize>i << 2))));
      break;
    }
    case RELU: {
      const zero = f32x4.splat(0);
      for (; i + 4 <= n; i += 4) {
        const v = v128.load(x + (<usize>i << 2));
        // v < 0 ? 0 : v: NaN and -0 pass through, as in the reference.
        v128.store(out + (<usize>i << 2), v128.andnot(v, f32x4.lt(v, zero)));
      }
      break;
    }
    default:
      if (op < 0 || op > SOFTPLUS) return 0;
  }
  for (; i < n; i++) {
    const p = <usize>i << 2;
    const v = load<f32>(x + p);
    let r: f32;
    switch (op) {
      case NEG: r = -v; break;
      case ABS: r = Mathf.abs(v); break;
      case SQRT: r = Mathf.sqrt(v); break;
      case FLOOR: r = Mathf.floor(v); break;
      case CEIL: r = Mathf.ceil(v); break;
      case ROUND: r = nearest<f32>(v); break;
      case SQUARE: r = v * v; break;
      case RECIPROCAL: r = 1 / v; break;
      case RELU: r = v < 0 ? 0 : v; break;
      default: r = <f32>scalarUnary(op, <f64>v);
    }
    store<f32>(out + p, r);
  }
  return 1;
}

// @ts-ignore: decorator
@inline function floorMod64(a: f64, b: f64): f64 {
  const r = a % b;
  return r != 0 && (r < 0) != (b < 0) ? r + b : r;
}

// @ts-ignore: decorator
@inline function vecOp(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    // a > b || isNaN(a) ? a : b, lane by lane (the reference's NaN and signed-zero behaviour).
    case MAXIMUM: return v128.bitselect(a, b, v128.or(f32x4.gt(a, b), f32x4.ne(a, a)));
    default: return v128.bitselect(a, b, v128.or(f32x4.lt(a, b), f32x4.ne(a, a)));
  }
}

// @ts-ignore: decorator
@inline function scalarOp(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case DIV: return a / b;
    case MAXIMUM: return a > b || a != a ? a : b;
    case MINIMUM: return a < b || a != a ? a : b;
    case POW: return <f32>Math.pow(<f64>a, <f64>b);
    case MOD: return <f32>floorMod64(<f64>a, <f64>b);
    default: return <f32>Math.atan2(<f64>a, <f64>b);
  }
}

/** out[i] = op(a[i or 0], b[i or 0]) for n floats; aVec/bVec say whether that side advances. */
// @ts-ignore: decorator
@inline function run(op: i32, a: usize, aVec: bool, b: usize, bVec: bool, out: usize, n: i32): void {
  let i = 0;
  if (op <= DIV || op == MAXIMUM || op == MINIMUM) {
    const as = v128.load32_splat(a);
    const bs = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const va = aVec ? v128.load(a + o) : as;
      const vb = bVec ? v128.load(b + o) : bs;
      v128.store(out + o, vecOp(op, va, vb));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, scalarOp(op, load<f32>(aVec ? a + o : a), load<f32>(bVec ? b + o : b)));
  }
}

// @ts-ignore: decorator
@inline function vecCompare(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case EQUAL: return f32x4.eq(a, b);
    case NOT_EQUAL: return f32x4.ne(a, b);
    case LESS: return f32x4.lt(a, b);
    case LESS_EQUAL: return f32x4.le(a, b);
    case GREATER: return f32x4.gt(a, b);
    default: return f32x4.ge(a, b);
  }
}

// @ts-ignore: decorator
@inline function scalarCompare(op: i32, a: f32, b: f32): u8 {
  switch (op) {
    case EQUAL: return a == b ? 1 : 0;
    case NOT_EQUAL: return a != b ? 1 : 0;
    case LESS: return a < b ? 1 : 0;
    case LESS_EQUAL: return a <= b ? 1 : 0;
    case GREATER: return a > b ? 1 : 0;
    default: return a >= b ? 1 : 0;
  }
}

/** out[i] = a[i] op b[i] ? 1 : 0 as bytes; 16 elements per step (lane masks narrowed to bytes). */
// @ts-ignore: decorator
@inline function runCompare(op: i32, a: usize, aVec: bool, b: usize, bVec: bool, out: usize, n: i32): void {
  const as = v128.load32_splat(a);
  const bs = v128.load32_splat(b);
  const one = i8x16.splat(1);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const m0 = vecCompare(op, aVec ? v128.load(a + o) : as, bVec ? v128.load(b + o) : bs);
    const m1 = vecCompare(op, aVec ? v128.load(a + o, 16) : as, bVec ? v128.load(b + o, 16) : bs);
    const m2 = vecCompare(op, aVec ? v128.load(a + o, 32) : as, bVec ? v128.load(b + o, 32) : bs);
    const m3 = vecCompare(op, aVec ? v128.load(a + o, 48) : as, bVec ? v128.load(b + o, 48) : bs);
    const lo = i16x8.narrow_i32x4_s(m0, m1);
    const hi = i16x8.narrow_i32x4_s(m2, m3);
    v128.store(out + <usize>i, v128.and(i8x16.narrow_i16x8_s(lo, hi), one));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<u8>(out + <usize>i, scalarCompare(op, load<f32>(aVec ? a + o : a), load<f32>(bVec ? b + o : b)));
  }
}

function runBoth(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (op >= EQUAL) runCompare(op, a, true, b, true, out, n);
  else run(op, a, true, b, true, out, n);
}
function runScalarB(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (op >= EQUAL) runCompare(op, a, true, b, false, out, n);
  else run(op, a, true, b, false, out, n);
}
function runScalarA(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (op >= EQUAL) runCompare(op, a, false, b, true, out, n);
  else run(op, a, false, b, true, out, n);
}

/**
 * Binary op over n output elements (float32, or bytes for comparisons), one operand possibly broadcast: mode FULL (n elements),
 * SCALAR (1), ROW (a row of `period` elements repeated), COL (each element repeated `period`
 * times). The other operand must be FULL. Returns 0 for an unknown op or combination.
 */
export function binary(op: i32, a: usize, aMode: i32, b: usize, bMode: i32, out: usize, n: i32, period: i32): i32 {
  if (op < ADD || op > GREATER_EQUAL) return 0;
  // Output element size: 4 bytes, or 1 for comparisons.
  const ob: i32 = op >= EQUAL ? 0 : 2;
  if (aMode == FULL && bMode == FULL) runBoth(op, a, b, out, n);
  else if (aMode == FULL && bMode == SCALAR) runScalarB(op, a, b, out, n);
  else if (aMode == SCALAR && bMode == FULL) runScalarA(op, a, b, out, n);
  else if (period <= 0) return 0;
  else if (aMode == FULL && bMode == ROW) {
    for (let r = 0; r < n; r += period) runBoth(op, a + (<usize>r << 2), b, out + (<usize>r << ob), period);
  } else if (aMode == ROW && bMode == FULL) {
    for (let r = 0; r < n; r += period) runBoth(op, a, b + (<usize>r << 2), out + (<usize>r << ob), period);
  } else if (aMode == FULL && bMode == COL) {
    for (let r = 0, j = 0; r < n; r += period, j++) runScalarB(op, a + (<usize>r << 2), b + (<usize>j << 2), out + (<usize>r << ob), period);
  } else if (aMode == COL && bMode == FULL) {
    for (let r = 0, j = 0; r < n; r += period, j++) runScalarA(op, a + (<usize>j << 2), b + (<usize>r << 2), out + (<usize>r << ob), period);
  } else return 0;
  return 1;
}
