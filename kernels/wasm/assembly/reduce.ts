/*
 * Reductions of x viewed as [outer, n, inner] over the middle axis. Sums and products accumulate
 * in float64, as the reference does; max and min are exact in float32 and propagate NaN.
 */

const SUM = 0, PROD = 1, MAX = 2, MIN = 3;

/** Sum of n contiguous floats in float64 (two f64x2 accumulators). */
function sumRow(x: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
  }
  const s = f64x2.add(s0, s1);
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) t += <f64>load<f32>(x + (<usize>i << 2));
  return t;
}

// @ts-ignore: decorator
@inline function pick(isMax: bool, v: v128, best: v128): v128 {
  const better = isMax ? f32x4.gt(v, best) : f32x4.lt(v, best);
  return v128.bitselect(v, best, v128.or(better, f32x4.ne(v, v)));
}

// @ts-ignore: decorator
@inline function pick1(isMax: bool, v: f32, best: f32): f32 {
  return (isMax ? v > best : v < best) || v != v ? v : best;
}

/** Reduces; `scratch` holds inner float64s. Returns 0 for an unknown op code. */
export function reduce(op: i32, x: usize, outer: i32, n: i32, inner: i32, out: usize, scratch: usize): i32 {
  if (op < SUM || op > MIN) return 0;
  for (let o = 0; o < outer; o++) {
    const base = x + (<usize>(o * n * inner) << 2);
    const dst = out + (<usize>(o * inner) << 2);
    if (op == SUM || op == PROD) {
      if (inner == 1 && op == SUM) {
        store<f32>(dst, <f32>sumRow(base, n));
        continue;
      }
      const init: f64 = op == SUM ? 0 : 1;
      for (let i = 0; i < inner; i++) store<f64>(scratch + (<usize>i << 3), init);
      for (let j = 0; j < n; j++) {
        const row = base + (<usize>(j * inner) << 2);
        if (op == SUM) {
          let i = 0;
          for (; i + 2 <= inner; i += 2) {
            const a = scratch + (<usize>i << 3);
            v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(v128.load64_zero(row + (<usize>i << 2)))));
          }
          for (; i < inner; i++) {
            const a = scratch + (<usize>i << 3);
            store<f64>(a, load<f64>(a) + <f64>load<f32>(row + (<usize>i << 2)));
          }
        } else {
          for (let i = 0; i < inner; i++) {
            const a = scratch + (<usize>i << 3);
            store<f64>(a, load<f64>(a) * <f64>load<f32>(row + (<usize>i << 2)));
          }
        }
      }
      for (let i = 0; i < inner; i++) store<f32>(dst + (<usize>i << 2), <f32>load<f64>(scratch + (<usize>i << 3)));
      continue;
    }
    const isMax = op == MAX;
    if (inner == 1) {
      let best = f32x4.splat(isMax ? -Infinity : Infinity);
      let j = 0;
      for (; j + 4 <= n; j += 4) best = pick(isMax, v128.load(base + (<usize>j << 2)), best);
      let r: f32 = isMax ? -Infinity : Infinity;
      r = pick1(isMax, f32x4.extract_lane(best, 0), r);
      r = pick1(isMax, f32x4.extract_lane(best, 1), r);
      r = pick1(isMax, f32x4.extract_lane(best, 2), r);
      r = pick1(isMax, f32x4.extract_lane(best, 3), r);
      for (; j < n; j++) r = pick1(isMax, load<f32>(base + (<usize>j << 2)), r);
      store<f32>(dst, r);
      continue;
    }
    for (let i = 0; i < inner; i++) store<f32>(dst + (<usize>i << 2), isMax ? -Infinity : Infinity);
    for (let j = 0; j < n; j++) {
      const row = base + (<usize>(j * inner) << 2);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const a = dst + (<usize>i << 2);
        v128.store(a, pick(isMax, v128.load(row + (<usize>i << 2)), v128.load(a)));
      }
      for (; i < inner; i++) {
        const a = dst + (<usize>i << 2);
        store<f32>(a, pick1(isMax, load<f32>(row + (<usize>i << 2)), load<f32>(a)));
      }
    }
  }
  return 1;
}
