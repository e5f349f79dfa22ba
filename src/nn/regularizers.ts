import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul } from '../ops/binary.js';
import { sum } from '../ops/reduce.js';
import { abs, square } from '../ops/unary.js';

/** Maps a weight to a scalar penalty added to the loss. `config` makes it serializable. */
export interface Regularizer {
  (weight: Tensor): Tensor;
  readonly config: { className: 'L1L2'; l1: number; l2: number };
}

export function l1l2(args: { l1?: number; l2?: number } = {}): Regularizer {
  const l1 = args.l1 ?? 0;
  const l2 = args.l2 ?? 0;
  if (!(l1 >= 0) || !(l2 >= 0)) throw new ValueError(`l1l2 regularizer: factors must be non-negative, got l1=${l1}, l2=${l2}`);
  const f = (w: Tensor): Tensor => {
    let penalty: Tensor | null = null;
    if (l1 > 0) penalty = mul(sum(abs(w)), l1);
    if (l2 > 0) {
      const p2 = mul(sum(square(w)), l2);
      penalty = penalty === null ? p2 : add(penalty, p2);
    }
    return penalty ?? mul(sum(w), 0);
  };
  return Object.assign(f, { config: { className: 'L1L2' as const, l1, l2 } });
}

/** Keras defaults: l1(0.01), l2(0.01). */
export function l1(args: { l1?: number } = {}): Regularizer {
  return l1l2({ l1: args.l1 ?? 0.01 });
}

export function l2(args: { l2?: number } = {}): Regularizer {
  return l1l2({ l2: args.l2 ?? 0.01 });
}

export type RegularizerLike = 'l1' | 'l2' | 'l1l2' | Regularizer;

export function getRegularizer(r: RegularizerLike | null | undefined): Regularizer | null {
  if (r === null || r === undefined) return null;
  if (typeof r === 'function') return r;
  if (r === 'l1') return l1();
  if (r === 'l2') return l2();
  if (r === 'l1l2') return l1l2({ l1: 0.01, l2: 0.01 });
  throw new ValueError(`unknown regularizer '${String(r)}'; valid names: l1, l2, l1l2`);
}

export const regularizers = { l1, l2, l1l2 };
