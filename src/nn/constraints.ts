import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, clip, div, maximum, minimum, mul } from '../ops/binary.js';
import { sum } from '../ops/reduce.js';
import { relu, sqrt, square } from '../ops/unary.js';

/** Projects a weight back onto an allowed set after each optimizer step. */
export interface Constraint {
  (weight: Tensor): Tensor;
  readonly config: { className: string } & Record<string, unknown>;
}

function norms(w: Tensor, axis: number | number[]): Tensor {
  return sqrt(sum(square(w), axis, { keepDims: true }));
}

const EPS = 1e-7;

/** Column norms (over `axis`, default 0 as Keras) capped at maxValue. */
export function maxNorm(args: { maxValue?: number; axis?: number | number[] } = {}): Constraint {
  const maxValue = args.maxValue ?? 2;
  const axis = args.axis ?? 0;
  const f = (w: Tensor): Tensor => {
    const n = norms(w, axis);
    const desired = clip(n, 0, maxValue);
    return mul(w, div(desired, add(n, EPS)));
  };
  return Object.assign(f, { config: { className: 'MaxNorm', maxValue, axis } });
}

export function unitNorm(args: { axis?: number | number[] } = {}): Constraint {
  const axis = args.axis ?? 0;
  const f = (w: Tensor): Tensor => div(w, add(norms(w, axis), EPS));
  return Object.assign(f, { config: { className: 'UnitNorm', axis } });
}

export function nonNeg(): Constraint {
  return Object.assign((w: Tensor) => relu(w), { config: { className: 'NonNeg' } });
}

export function minMaxNorm(args: { minValue?: number; maxValue?: number; rate?: number; axis?: number | number[] } = {}): Constraint {
  const minValue = args.minValue ?? 0;
  const maxValue = args.maxValue ?? 1;
  const rate = args.rate ?? 1;
  const axis = args.axis ?? 0;
  const f = (w: Tensor): Tensor => {
    const n = norms(w, axis);
    const desired = add(mul(minimum(maximum(n, minValue), maxValue), rate), mul(n, 1 - rate));
    return mul(w, div(desired, add(n, EPS)));
  };
  return Object.assign(f, { config: { className: 'MinMaxNorm', minValue, maxValue, rate, axis } });
}

export type ConstraintLike = 'maxNorm' | 'unitNorm' | 'nonNeg' | 'minMaxNorm' | Constraint;

export function getConstraint(c: ConstraintLike | null | undefined): Constraint | null {
  if (c === null || c === undefined) return null;
  if (typeof c === 'function') return c;
  switch (c) {
    case 'maxNorm':
      return maxNorm();
    case 'unitNorm':
      return unitNorm();
    case 'nonNeg':
      return nonNeg();
    case 'minMaxNorm':
      return minMaxNorm();
    default:
      throw new ValueError(`unknown constraint '${String(c)}'; valid names: maxNorm, unitNorm, nonNeg, minMaxNorm`);
  }
}

export const constraints = { maxNorm, unitNorm, nonNeg, minMaxNorm };
