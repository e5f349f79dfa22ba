import { add, clip, div, less, maximum, mul, sub, where } from '../ops/binary.js';
import { softmaxCrossEntropyWithLogits, sigmoidCrossEntropyWithLogits } from '../ops/cross-entropy.js';
import { oneHot } from '../ops/gather.js';
import { reshape } from '../ops/movement.js';
import { mean, sum } from '../ops/reduce.js';
import { abs, cast, log, neg, softplus, sqrt, square } from '../ops/unary.js';
import { floatTypeOf } from '../tensor/dtype.js';
import { ShapeError, ValueError } from '../tensor/errors.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { logitsOf } from './logits.js';

/** Keras' fuzz factor for clipping probabilities away from 0 and 1. */
export const EPSILON = 1e-7;

/**
 * A loss maps (yTrue, yPred) to one value per sample (shape [batch]); training averages it over the
 * batch (Keras' "sum over batch size"), applying sample weights first.
 */
export interface Loss {
  (yTrue: Tensor, yPred: Tensor): Tensor;
  readonly lossName: string;
  /** The factory's options, so a saved model recompiles with the same loss (e.g. fromLogits). */
  readonly config?: Readonly<Record<string, unknown>>;
}

function named(lossName: string, f: (yTrue: Tensor, yPred: Tensor) => Tensor, config?: object): Loss {
  const checked = (yTrue: Tensor, yPred: Tensor): Tensor => f(yTrue, yPred);
  return Object.assign(checked, config === undefined || Object.keys(config).length === 0 ? { lossName } : { lossName, config: { ...config } });
}

function sameShape(yTrue: Tensor, yPred: Tensor, what: string): Tensor {
  if (yTrue.rank === yPred.rank - 1 && yPred.shape[yPred.rank - 1] === 1) yTrue = reshape(yTrue, [...yTrue.shape, 1]);
  if (yTrue.shape.length !== yPred.shape.length || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(`${what}: labels have shape ${formatShape(yTrue.shape)} but predictions have shape ${formatShape(yPred.shape)}`);
  }
  return cast(yTrue, floatTypeOf(yPred.dtype));
}

/** Mean over every axis but the batch axis, so each sample yields one value. */
function perSample(t: Tensor): Tensor {
  if (t.rank <= 1) return t;
  return mean(t, Array.from({ length: t.rank - 1 }, (_, i) => i + 1));
}

export function meanSquaredError(): Loss {
  return named('meanSquaredError', (yt, yp) => perSample(square(sub(yp, sameShape(yt, yp, 'meanSquaredError')))));
}

export function meanAbsoluteError(): Loss {
  return named('meanAbsoluteError', (yt, yp) => perSample(abs(sub(yp, sameShape(yt, yp, 'meanAbsoluteError')))));
}

export function meanAbsolutePercentageError(): Loss {
  return named('meanAbsolutePercentageError', (yt, yp) => {
    const y = sameShape(yt, yp, 'meanAbsolutePercentageError');
    return perSample(mul(div(abs(sub(y, yp)), maximum(abs(y), EPSILON)), 100));
  });
}

export function meanSquaredLogarithmicError(): Loss {
  return named('meanSquaredLogarithmicError', (yt, yp) => {
    const y = sameShape(yt, yp, 'meanSquaredLogarithmicError');
    const a = log(add(maximum(yp, EPSILON), 1));
    const b = log(add(maximum(y, EPSILON), 1));
    return perSample(square(sub(a, b)));
  });
}

export function huber(args: { delta?: number } = {}): Loss {
  const delta = args.delta ?? 1;
  return named('huber', (yt, yp) => {
    const err = abs(sub(yp, sameShape(yt, yp, 'huber')));
    const quadratic = mul(square(err), 0.5);
    const linear = sub(mul(err, delta), 0.5 * delta * delta);
    return perSample(where(less(err, delta), quadratic, linear));
  }, args);
}

/** log(cosh(x)) = x + softplus(−2x) − log 2, stable for large |x|. */
export function logCosh(): Loss {
  return named('logCosh', (yt, yp) => {
    const x = sub(yp, sameShape(yt, yp, 'logCosh'));
    return perSample(sub(add(x, softplus(mul(x, -2))), Math.LN2));
  });
}

export interface CrossentropyOptions {
  /** Predictions are logits rather than probabilities. */
  fromLogits?: boolean;
  /** Mixes the labels towards uniform: y·(1 − s) + s/numClasses (binary: s/2). */
  labelSmoothing?: number;
}

export function binaryCrossentropy(args: CrossentropyOptions = {}): Loss {
  const smoothing = args.labelSmoothing ?? 0;
  return named('binaryCrossentropy', (yt, yp) => {
    let y = sameShape(yt, yp, 'binaryCrossentropy');
    if (smoothing > 0) y = add(mul(y, 1 - smoothing), 0.5 * smoothing);
    const logits = args.fromLogits ? yp : logitsOf(yp, 'sigmoid');
    if (logits !== null) return perSample(sigmoidCrossEntropyWithLogits(y, logits));
    const p = clip(yp, EPSILON, 1 - EPSILON);
    return perSample(neg(add(mul(y, log(p)), mul(sub(1, y), log(sub(1, p))))));
  }, args);
}

export function categoricalCrossentropy(args: CrossentropyOptions = {}): Loss {
  const smoothing = args.labelSmoothing ?? 0;
  return named('categoricalCrossentropy', (yt, yp) => {
    let y = sameShape(yt, yp, 'categoricalCrossentropy');
    const classes = yp.shape[yp.rank - 1]!;
    if (smoothing > 0) y = add(mul(y, 1 - smoothing), smoothing / classes);
    const logits = args.fromLogits ? yp : logitsOf(yp, 'softmax');
    if (logits !== null) return perSample(softmaxCrossEntropyWithLogits(y, logits));
    const p = clip(div(yp, sum(yp, -1, { keepDims: true })), EPSILON, 1 - EPSILON);
    return perSample(neg(sum(mul(y, log(p)), -1)));
  }, args);
}

export function sparseCategoricalCrossentropy(args: { fromLogits?: boolean } = {}): Loss {
  return named('sparseCategoricalCrossentropy', (yt, yp) => {
    const classes = yp.shape[yp.rank - 1]!;
    let labels = yt;
    if (labels.rank === yp.rank && labels.shape[labels.rank - 1] === 1) labels = reshape(labels, labels.shape.slice(0, -1));
    if (labels.rank !== yp.rank - 1 || labels.shape.some((d, i) => d !== yp.shape[i])) {
      throw new ShapeError(`sparseCategoricalCrossentropy: integer labels of shape ${formatShape(yt.shape)} do not match predictions of shape ${formatShape(yp.shape)} (expected ${formatShape(yp.shape.slice(0, -1))})`);
    }
    const v = labels.values;
    for (let i = 0; i < v.length; i++) {
      const c = v[i]!;
      if (!Number.isInteger(c) || c < 0 || c >= classes) {
        throw new ValueError(`sparseCategoricalCrossentropy: label ${c} at position ${i} is not a class index in [0, ${classes})`);
      }
    }
    const y = oneHot(cast(labels, 'int32'), classes, { dtype: floatTypeOf(yp.dtype) });
    const logits = args.fromLogits ? yp : logitsOf(yp, 'softmax');
    if (logits !== null) return perSample(softmaxCrossEntropyWithLogits(y, logits));
    const p = clip(div(yp, sum(yp, -1, { keepDims: true })), EPSILON, 1 - EPSILON);
    return perSample(neg(sum(mul(y, log(p)), -1)));
  }, args);
}

export function kullbackLeiblerDivergence(): Loss {
  return named('kullbackLeiblerDivergence', (yt, yp) => {
    const y = clip(sameShape(yt, yp, 'kullbackLeiblerDivergence'), EPSILON, 1);
    const p = clip(yp, EPSILON, 1);
    const kl = sum(mul(y, log(div(y, p))), -1);
    return perSample(kl);
  });
}

/** Labels in {0, 1} are mapped to {−1, 1}, as Keras does. */
function signedLabels(yt: Tensor, yp: Tensor, what: string): Tensor {
  const y = sameShape(yt, yp, what);
  const v = y.values;
  let binary = true;
  for (let i = 0; i < v.length; i++) if (v[i] !== 0 && v[i] !== 1) binary = false;
  return binary ? sub(mul(y, 2), 1) : y;
}

export function hinge(): Loss {
  return named('hinge', (yt, yp) => perSample(maximum(sub(1, mul(signedLabels(yt, yp, 'hinge'), yp)), 0)));
}

export function squaredHinge(): Loss {
  return named('squaredHinge', (yt, yp) => perSample(square(maximum(sub(1, mul(signedLabels(yt, yp, 'squaredHinge'), yp)), 0))));
}

export function poisson(): Loss {
  return named('poisson', (yt, yp) => perSample(sub(yp, mul(sameShape(yt, yp, 'poisson'), log(add(yp, EPSILON))))));
}

/** −cos(yTrue, yPred) along the last axis (Keras' loss form: −1 is a perfect match). */
export function cosineSimilarity(args: { axis?: number } = {}): Loss {
  const axis = args.axis ?? -1;
  return named('cosineSimilarity', (yt, yp) => {
    const y = sameShape(yt, yp, 'cosineSimilarity');
    const nt = div(y, maximum(sqrt(sum(square(y), axis, { keepDims: true })), 1e-12));
    const np = div(yp, maximum(sqrt(sum(square(yp), axis, { keepDims: true })), 1e-12));
    return perSample(neg(sum(mul(nt, np), axis)));
  }, args);
}

const NAMED: Record<string, () => Loss> = {
  meanSquaredError,
  mse: meanSquaredError,
  meanAbsoluteError,
  mae: meanAbsoluteError,
  meanAbsolutePercentageError,
  mape: meanAbsolutePercentageError,
  meanSquaredLogarithmicError,
  msle: meanSquaredLogarithmicError,
  huber: () => huber(),
  logCosh,
  binaryCrossentropy: () => binaryCrossentropy(),
  categoricalCrossentropy: () => categoricalCrossentropy(),
  sparseCategoricalCrossentropy: () => sparseCategoricalCrossentropy(),
  kullbackLeiblerDivergence,
  kld: kullbackLeiblerDivergence,
  hinge,
  squaredHinge,
  poisson,
  cosineSimilarity: () => cosineSimilarity(),
};

export const LOSS_NAMES = Object.keys(NAMED);

export type LossLike = string | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor);

/** Resolves a loss by Keras name (camelCase or snake_case) or wraps a function. */
export function getLoss(l: LossLike): Loss {
  if (typeof l === 'function') return 'lossName' in l ? (l as Loss) : named(l.name || 'customLoss', l);
  const key = String(l).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const make = Object.hasOwn(NAMED, key) ? NAMED[key] : undefined;
  if (make === undefined) throw new ValueError(`unknown loss '${String(l)}'; valid names: ${LOSS_NAMES.join(', ')}`);
  return make();
}

/** Keras-style factories: nb.losses.categoricalCrossentropy({fromLogits: true}) etc. */
export const losses = {
  meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredLogarithmicError, huber, logCosh,
  binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, kullbackLeiblerDivergence, hinge,
  squaredHinge, poisson, cosineSimilarity,
};
