import { sigmoid64 } from './elementwise';

/*
 * Fused kernels: bias + activation, softmax / log-softmax and softmax cross-entropy. The
 * exponentials run in float64, in the reference's order of operations.
 */

const LINEAR = 0, RELU = 1, SIGMOID = 2, TANH = 3;

/** out[r, c] = act(x[r, c] + bias[c]) over rows [r0, r1) of a [rows, cols] matrix; 0 for an unknown act. */
export function biasActivation(x: usize, bias: usize, out: usize, r0: i32, r1: i32, cols: i32, act: i32): i32 {
  if (act < LINEAR || act > TANH) return 0;
  const zero = f32x4.splat(0);
  for (let r = r0; r < r1; r++) {
    const xr = x + (<usize>(r * cols) << 2);
    const or = out + (<usize>(r * cols) << 2);
    let c = 0;
    if (act == LINEAR || act == RELU) {
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        const v = f32x4.add(v128.load(xr + o), v128.load(bias + o));
        v128.store(or + o, act == RELU ? v128.andnot(v, f32x4.lt(v, zero)) : v);
      }
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      // The sum is exact in float64; the reference applies the activation to it before rounding.
      const v = <f64>load<f32>(xr + o) + <f64>load<f32>(bias + o);
      let y: f64;
      if (act == LINEAR) y = v;
      else if (act == RELU) y = v < 0 ? 0 : v;
      else if (act == SIGMOID) y = sigmoid64(v);
      else y = Math.tanh(v);
      store<f32>(or + o, <f32>y);
    }
  }
  return 1;
}

/** Softmax (log = 0) or log-softmax (log ≠ 0) of rows [r0, r1) of an [rows, n] matrix; scratch holds n f64s. */
export function softmax(x: usize, out: usize, r0: i32, r1: i32, n: i32, log: i32, scratch: usize): void {
  for (let r = r0; r < r1; r++) {
    const xr = x + (<usize>(r * n) << 2);
    const or = out + (<usize>(r * n) << 2);
    let m: f64 = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = <f64>load<f32>(xr + (<usize>j << 2));
      if (v > m) m = v;
    }
    if (!isFinite(m)) m = 0;
    let s: f64 = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(<f64>load<f32>(xr + (<usize>j << 2)) - m);
      store<f64>(scratch + (<usize>j << 3), e);
      s += e;
    }
    if (log != 0) {
      const lse = Math.log(s) + m;
      for (let j = 0; j < n; j++) store<f32>(or + (<usize>j << 2), <f32>(<f64>load<f32>(xr + (<usize>j << 2)) - lse));
    } else {
      for (let j = 0; j < n; j++) store<f32>(or + (<usize>j << 2), <f32>(load<f64>(scratch + (<usize>j << 3)) / s));
    }
  }
}

/**
 * Cross-entropy of softmax(logits) against target probabilities for rows [r0, r1):
 * loss[r] = −Σ t·log softmax(z); grad (when not 0) = softmax(z) − t.
 */
export function softmaxCrossEntropy(logits: usize, targets: usize, loss: usize, grad: usize, r0: i32, r1: i32, n: i32): void {
  for (let r = r0; r < r1; r++) {
    const zr = logits + (<usize>(r * n) << 2);
    const tr = targets + (<usize>(r * n) << 2);
    let m: f64 = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = <f64>load<f32>(zr + (<usize>j << 2));
      if (v > m) m = v;
    }
    let s: f64 = 0;
    for (let j = 0; j < n; j++) s += Math.exp(<f64>load<f32>(zr + (<usize>j << 2)) - m);
    const lse = Math.log(s) + m;
    let l: f64 = 0;
    for (let j = 0; j < n; j++) {
      const z = <f64>load<f32>(zr + (<usize>j << 2));
      const t = <f64>load<f32>(tr + (<usize>j << 2));
      if (t != 0) l -= t * (z - lse);
      if (grad != 0) store<f32>(grad + (<usize>((r * n) + j) << 2), <f32>(Math.exp(z - lse) - t));
    }
    store<f32>(loss + (<usize>r << 2), <f32>l);
  }
}
