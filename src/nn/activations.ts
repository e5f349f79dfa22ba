import { elu, gelu, hardSigmoid, leakyRelu, mish, relu6, selu, softmax, softsign, swish } from '../ops/activation.js';
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { relu, sigmoid, softplus, tanh } from '../ops/unary.js';
import { biasActivation, type FusedActivation } from '../ops/bias-activation.js';
import { rememberLogits } from './logits.js';

export const ACTIVATION_NAMES = [
  'linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'tanh', 'softmax', 'softplus', 'softsign', 'elu', 'selu',
  'gelu', 'swish', 'silu', 'leakyRelu', 'mish',
] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];
export type ActivationFn = (x: Tensor) => Tensor;
export type ActivationLike = ActivationName | ActivationFn;

const FNS: Record<ActivationName, ActivationFn> = {
  linear: (x) => x,
  relu,
  relu6,
  // Softmax and sigmoid outputs remember their logits so cross-entropy can use the fused, stable path.
  sigmoid: (x) => rememberLogits(sigmoid(x), 'sigmoid', x),
  hardSigmoid,
  tanh,
  softmax: (x) => rememberLogits(softmax(x), 'softmax', x),
  softplus,
  softsign,
  elu: (x) => elu(x),
  selu,
  gelu: (x) => gelu(x),
  swish: (x) => swish(x),
  silu: (x) => swish(x),
  leakyRelu: (x) => leakyRelu(x),
  mish,
};

/** Resolves an activation by Keras name (camelCase; snake_case accepted) or passes a function through. */
export function getActivation(a: ActivationLike | null | undefined): ActivationFn {
  if (a === null || a === undefined) return FNS.linear;
  if (typeof a === 'function') return a;
  const key = String(a).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as ActivationName;
  const fn = Object.hasOwn(FNS, key) ? FNS[key] : undefined;
  if (fn === undefined) throw new ValueError(`unknown activation '${String(a)}'; valid names: ${ACTIVATION_NAMES.join(', ')}`);
  return fn;
}

/** The serializable name of an activation (functions serialize as 'custom'). */
export function activationName(a: ActivationLike | null | undefined): string {
  if (a === null || a === undefined) return 'linear';
  return typeof a === 'function' ? 'custom' : a;
}

/**
 * How a layer applies its activation after the bias: relu, tanh and linear run inside the fused
 * kernel (`fused`, with `rest` null); the others (sigmoid and softmax must see their logits, which
 * they remember for the fused cross-entropy) take a bias-only fused pass and then `rest`.
 */
export function splitActivation(activation: ActivationLike | null | undefined, fn: ActivationFn): { fused: FusedActivation; rest: ActivationFn | null } {
  const name = activationName(activation);
  if (name === 'relu' || name === 'tanh' || name === 'linear') return { fused: name, rest: null };
  return { fused: 'linear', rest: fn };
}

/**
 * Runs `op(fused)`, an op with the bias and the fusable part of the activation in its kernel
 * (see splitActivation), then the rest of the activation.
 */
export function withFusedActivation(activation: ActivationLike | null | undefined, fn: ActivationFn, op: (fused: FusedActivation) => Tensor): Tensor {
  const { fused, rest } = splitActivation(activation, fn);
  const y = op(fused);
  return rest === null ? y : rest(y);
}

/** activation(y + bias) for a layer's output `y`, through splitActivation. */
export function withBiasAndActivation(y: Tensor, bias: Tensor | null, activation: ActivationLike | null | undefined, fn: ActivationFn): Tensor {
  return withFusedActivation(activation, fn, (fused) => (bias === null && fused === 'linear' ? y : biasActivation(y, bias, fused)));
}
