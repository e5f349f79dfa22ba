import type { DataArray } from '../../tensor/dtype.js';
import type { AdamParams, SgdParams } from '../backend.js';

/** Smallest normal float32: Adam's moments below it become subnormal and slow x86 arithmetic many-fold. */
const FLT_MIN = 1.1754943508222875e-38;

export function sgdUpdate(param: DataArray, grad: DataArray, velocity: DataArray | null, p: SgdParams): void {
  const { lr, momentum, nesterov, weightDecay } = p;
  for (let i = 0; i < param.length; i++) {
    let g = grad[i]! + weightDecay * param[i]!;
    if (momentum !== 0 && velocity !== null) {
      const v = momentum * velocity[i]! - lr * g;
      velocity[i] = v;
      param[i] = nesterov ? param[i]! + momentum * v - lr * g : param[i]! + v;
    } else {
      param[i] = param[i]! - lr * g;
    }
  }
}

export function adamUpdate(param: DataArray, grad: DataArray, m: DataArray, v: DataArray, p: AdamParams): void {
  const { lr, beta1, beta2, epsilon, step, weightDecay, decoupled } = p;
  const c1 = 1 - beta1 ** step;
  const c2 = 1 - beta2 ** step;
  const stepSize = (lr * Math.sqrt(c2)) / c1;
  for (let i = 0; i < param.length; i++) {
    const w = param[i]!;
    const g = decoupled ? grad[i]! : grad[i]! + weightDecay * w;
    let mi = beta1 * m[i]! + (1 - beta1) * g;
    let vi = beta2 * v[i]! + (1 - beta2) * g * g;
    if (Math.abs(mi) < FLT_MIN) mi = 0;
    if (vi < FLT_MIN) vi = 0;
    m[i] = mi;
    v[i] = vi;
    // PyTorch / TensorFlow.js form, w −= lr·m̂/(√v̂ + ε), rewritten to avoid two divisions per element.
    let next = w - (stepSize * mi) / (Math.sqrt(vi) + epsilon * Math.sqrt(c2));
    if (decoupled) next -= lr * weightDecay * w;
    param[i] = next;
  }
}
