/** Helpers shared by the kernels. */

/** a·b + c per f32 lane: one relaxed-SIMD FMA in the relaxed build, a multiply and an add otherwise. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Copies n floats from src to dst (non-overlapping); inlined loops beat memory.copy for short rows. */
export function copyF32(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    v128.store(dst + o, v128.load(src + o));
    v128.store(dst + o, v128.load(src + o, 16), 16);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, v128.load(src + o));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(src + o));
  }
}

/** dst[i] += src[i] for n floats. */
export function addInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/** Sets n floats at dst to v. */
export function fillF32(dst: usize, v: f32, n: i32): void {
  const s = f32x4.splat(v);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), s);
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), v);
}
