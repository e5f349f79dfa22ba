import { record } from '../autograd/tape.js';
import { backend } from '../backend/registry.js';
import { assertFloat } from '../tensor/dtype.js';
import { ShapeError } from '../tensor/errors.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, maximum, mul, sub } from './binary.js';
import { logSoftmax } from './activation.js';
import { reshape } from './movement.js';
import { abs, cast, exp, log1p, neg } from './unary.js';
import { output } from './util.js';

/**
 * −Σ targets·log softmax(logits) over the last axis, one value per row: a fused kernel whose
 * gradient with respect to the logits is softmax(logits) − targets, exact and stable for any logits.
 */
export function softmaxCrossEntropyWithLogits(targets: Tensor, logits: Tensor): Tensor {
  assertFloat(logits.dtype, 'softmaxCrossEntropyWithLogits');
  if (!shapesEqual(targets.shape, logits.shape) || logits.rank === 0) {
    throw new ShapeError(`softmaxCrossEntropyWithLogits: targets ${formatShape(targets.shape)} and logits ${formatShape(logits.shape)} must have the same shape of rank ≥ 1`);
  }
  const n = logits.shape[logits.rank - 1]!;
  const rows = n === 0 ? 0 : logits.size / n;
  const t = cast(targets, logits.dtype);
  const loss = output(logits.shape.slice(0, -1), logits.dtype);
  const grad = output(logits.shape, logits.dtype);
  backend().softmaxCrossEntropy(logits.values, t.values, loss.values, grad.values, rows, n);
  return record('softmaxCrossEntropy', loss, [t, logits], (g) => {
    const gCol = reshape(g, [...g.shape, 1]);
    return [t.requiresGradient ? neg(mul(gCol, logSoftmax(logits))) : null, mul(gCol, grad)];
  });
}

/** Elementwise max(z, 0) − z·y + log(1 + e^−|z|): binary cross-entropy from logits, stable for any z. */
export function sigmoidCrossEntropyWithLogits(targets: Tensor, logits: Tensor): Tensor {
  assertFloat(logits.dtype, 'sigmoidCrossEntropyWithLogits');
  const y = cast(targets, logits.dtype);
  return add(sub(maximum(logits, 0), mul(logits, y)), log1p(exp(neg(abs(logits)))));
}
