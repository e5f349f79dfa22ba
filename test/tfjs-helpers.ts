// Differential testing against TensorFlow.js (CPU backend): run the same op on the same inputs in
// both libraries and compare forward values and gradients.
// The union package registers every gradient; tfjs-core alone does not.
import * as tf from '@tensorflow/tfjs';
import * as nb from '../src/index.js';
import { assertClose, type CloseOptions } from './helpers.js';

let ready: Promise<void> | null = null;

/** Selects TensorFlow.js's CPU backend once. */
export function tfReady(): Promise<void> {
  ready ??= tf.setBackend('cpu').then(() => undefined);
  return ready;
}

/** Float32 tolerance used across the differential suite. */
export const TF_TOL: CloseOptions = { atol: 1e-4, rtol: 1e-4 };

export function toTf(t: nb.Tensor): tf.Tensor {
  const dtype = t.dtype === 'float64' ? 'float32' : t.dtype;
  return tf.tensor(Array.from(t.values, Number), [...t.shape], dtype);
}

/** Compares values of a nabla tensor with a TensorFlow.js tensor. */
export function assertSameAsTf(actual: nb.Tensor, expected: tf.Tensor, options: CloseOptions = TF_TOL): void {
  if ([...actual.shape].join() !== expected.shape.join()) {
    throw new Error(`shape ${JSON.stringify(actual.shape)} vs tfjs ${JSON.stringify(expected.shape)}`);
  }
  assertClose(actual, Array.from(expected.dataSync(), Number), options);
}

/**
 * Checks forward values and the gradients of sum(f(x)·r) for a fixed random r against TensorFlow.js
 * on float32 inputs. `nbf` and `tff` must compute the same function in the two libraries.
 */
export function compareWithTf(
  nbf: (...xs: nb.Tensor[]) => nb.Tensor,
  tff: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: nb.Tensor[],
  options: CloseOptions & { grad?: boolean } = {},
): void {
  const tol = { ...TF_TOL, ...options };
  const xs = inputs.map((x) => nb.cast(x, 'float32'));
  const y = nbf(...xs);
  const tfXs = xs.map(toTf);
  const tfY = tff(...tfXs);
  assertSameAsTf(y, tfY, tol);
  if (options.grad === false) return;
  const r = nb.randomUniform(y.shape, -1, 1, { seed: 7 });
  const { grads } = nb.valueAndGrad((...a: nb.Tensor[]) => nb.sum(nb.mul(nbf(...a), r)))(...xs);
  const tfR = toTf(r);
  const tfGrads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(tff(...a), tfR)))(tfXs);
  grads.forEach((g, i) => assertSameAsTf(g, tfGrads[i]!, tol));
}
