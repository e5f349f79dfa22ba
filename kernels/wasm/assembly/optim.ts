/*
 * Optimizer updates, in float64 with the reference's order of operations (so the results are
 * bit-identical to it), two elements per f64x2 vector. Adam flushes moments below the smallest
 * normal float32 to zero: on x86, arithmetic on subnormal values is many times slower.
 */

const FLT_MIN: f64 = 1.1754943508222875e-38;

// @ts-ignore: decorator
@inline function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

// @ts-ignore: decorator
@inline function store2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

/** SGD over elements [i0, i1); velocity is 0 when momentum is 0. */
export function sgdUpdate(
  param: usize, grad: usize, velocity: usize, i0: i32, i1: i32, lr: f64, momentum: f64, nesterov: i32, weightDecay: f64,
): void {
  const useVelocity = momentum != 0 && velocity != 0;
  const vlr = f64x2.splat(lr);
  const vmom = f64x2.splat(momentum);
  const vwd = f64x2.splat(weightDecay);
  let i = i0;
  for (; i + 2 <= i1; i += 2) {
    const o = <usize>i << 2;
    const w = load2(param + o);
    const g = f64x2.add(load2(grad + o), f64x2.mul(vwd, w));
    if (useVelocity) {
      const v = f64x2.sub(f64x2.mul(vmom, load2(velocity + o)), f64x2.mul(vlr, g));
      store2(velocity + o, v);
      store2(param + o, nesterov != 0 ? f64x2.sub(f64x2.add(w, f64x2.mul(vmom, v)), f64x2.mul(vlr, g)) : f64x2.add(w, v));
    } else {
      store2(param + o, f64x2.sub(w, f64x2.mul(vlr, g)));
    }
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    const w = <f64>load<f32>(param + o);
    const g = <f64>load<f32>(grad + o) + weightDecay * w;
    if (useVelocity) {
      const v = momentum * <f64>load<f32>(velocity + o) - lr * g;
      store<f32>(velocity + o, <f32>v);
      store<f32>(param + o, <f32>(nesterov != 0 ? w + momentum * v - lr * g : w + v));
    } else {
      store<f32>(param + o, <f32>(w - lr * g));
    }
  }
}

/**
 * Adam/AdamW over elements [i0, i1). The caller precomputes, in float64: oneMinusBeta1 = 1 − β1,
 * oneMinusBeta2 = 1 − β2, stepSize = lr·√(1 − β2^t)/(1 − β1^t), epsHat = ε·√(1 − β2^t),
 * lrDecay = lr·weightDecay.
 */
export function adamUpdate(
  param: usize, grad: usize, m: usize, v: usize, i0: i32, i1: i32, beta1: f64, beta2: f64, oneMinusBeta1: f64,
  oneMinusBeta2: f64, stepSize: f64, epsHat: f64, weightDecay: f64, lrDecay: f64, decoupled: i32,
): void {
  const vb1 = f64x2.splat(beta1);
  const vb2 = f64x2.splat(beta2);
  const vob1 = f64x2.splat(oneMinusBeta1);
  const vob2 = f64x2.splat(oneMinusBeta2);
  const vstep = f64x2.splat(stepSize);
  const veps = f64x2.splat(epsHat);
  const vwd = f64x2.splat(weightDecay);
  const vlrd = f64x2.splat(lrDecay);
  const vmin = f64x2.splat(FLT_MIN);
  let i = i0;
  for (; i + 2 <= i1; i += 2) {
    const o = <usize>i << 2;
    const w = load2(param + o);
    const g = decoupled != 0 ? load2(grad + o) : f64x2.add(load2(grad + o), f64x2.mul(vwd, w));
    let mi = f64x2.add(f64x2.mul(vb1, load2(m + o)), f64x2.mul(vob1, g));
    let vi = f64x2.add(f64x2.mul(vb2, load2(v + o)), f64x2.mul(f64x2.mul(vob2, g), g));
    mi = v128.andnot(mi, f64x2.lt(f64x2.abs(mi), vmin));
    vi = v128.andnot(vi, f64x2.lt(vi, vmin));
    store2(m + o, mi);
    store2(v + o, vi);
    let next = f64x2.sub(w, f64x2.div(f64x2.mul(vstep, mi), f64x2.add(f64x2.sqrt(vi), veps)));
    if (decoupled != 0) next = f64x2.sub(next, f64x2.mul(vlrd, w));
    store2(param + o, next);
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    const w = <f64>load<f32>(param + o);
    const g = decoupled != 0 ? <f64>load<f32>(grad + o) : <f64>load<f32>(grad + o) + weightDecay * w;
    let mi = beta1 * <f64>load<f32>(m + o) + oneMinusBeta1 * g;
    let vi = beta2 * <f64>load<f32>(v + o) + oneMinusBeta2 * g * g;
    if (Math.abs(mi) < FLT_MIN) mi = 0;
    if (vi < FLT_MIN) vi = 0;
    store<f32>(m + o, <f32>mi);
    store<f32>(v + o, <f32>vi);
    let next = w - (stepSize * mi) / (Math.sqrt(vi) + epsHat);
    if (decoupled != 0) next -= lrDecay * w;
    store<f32>(param + o, <f32>next);
  }
}
