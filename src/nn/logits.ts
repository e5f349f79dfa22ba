import type { Tensor } from '../tensor/tensor.js';

/**
 * Remembers the logits behind a softmax or sigmoid output, so cross-entropy losses can compute
 * from logits (stable and fused) even when the model ends in a probability activation — the same
 * trick Keras uses. Weak keys: nothing is kept alive by this table.
 */
const table = new WeakMap<Tensor, { kind: 'softmax' | 'sigmoid'; logits: Tensor }>();

export function rememberLogits(output: Tensor, kind: 'softmax' | 'sigmoid', logits: Tensor): Tensor {
  table.set(output, { kind, logits });
  return output;
}

export function logitsOf(output: Tensor, kind: 'softmax' | 'sigmoid'): Tensor | null {
  const entry = table.get(output);
  return entry !== undefined && entry.kind === kind ? entry.logits : null;
}
