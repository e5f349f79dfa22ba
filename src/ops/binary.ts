import { record } from '../autograd/tape.js';
import type { BinaryOp } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { type DType, floatTypeOf, isFloat } from '../tensor/dtype.js';
import { ValueError } from '../tensor/errors.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { sumToShape } from './reduce.js';
import { cast, floor, log, neg, square } from './unary.js';
import { operands, output, type TensorOrScalar, toTensor } from './util.js';

type ResultKind = 'promote' | 'float' | 'bool';
type BinaryGrad = (a: Tensor, b: Tensor, y: Tensor, g: Tensor) => Tensor;

/** The gradient for input `t`, summed over the dimensions it was broadcast along and cast back to its dtype. */
function gradFor(t: Tensor, compute: () => Tensor): Tensor | null {
  if (!t.requiresGradient) return null;
  return cast(sumToShape(compute(), t.shape), t.dtype);
}

function resultType(kind: ResultKind, dtype: DType): DType {
  if (kind === 'bool') return 'bool';
  if (kind === 'float') return floatTypeOf(dtype);
  return dtype === 'bool' ? 'int32' : dtype;
}

function compute(op: BinaryOp, a: Tensor, b: Tensor, dtype: DType): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  const y = output(shape, dtype, false);
  backend().binary(op, a.values, a.shape, b.values, b.shape, y.values, shape);
  return y;
}

function defineBinary(
  op: BinaryOp,
  kind: ResultKind,
  gradA: BinaryGrad | null,
  gradB: BinaryGrad | null,
): (a: TensorOrScalar, b: TensorOrScalar) => Tensor {
  return (a: TensorOrScalar, b: TensorOrScalar): Tensor => {
    const [ta, tb, dtype] = operands(a, b, op);
    const y = compute(op, ta, tb, resultType(kind, dtype));
    if (gradA === null || gradB === null || !isFloat(y.dtype)) return y;
    return record(op, y, [ta, tb], (g) => [gradFor(ta, () => gradA(ta, tb, y, g)), gradFor(tb, () => gradB(ta, tb, y, g))]);
  };
}

const mask = (m: Tensor, like: Tensor): Tensor => cast(m, like.dtype);

export const add = defineBinary('add', 'promote', (_a, _b, _y, g) => g, (_a, _b, _y, g) => g);
export const sub = defineBinary('sub', 'promote', (_a, _b, _y, g) => g, (_a, _b, _y, g) => neg(g));
export const mul = defineBinary('mul', 'promote', (_a, b, _y, g) => mul(g, b), (a, _b, _y, g) => mul(g, a));
/** True division: integer operands give a float32 result (as PyTorch and NumPy). */
export const div = defineBinary(
  'div',
  'float',
  (_a, b, _y, g) => div(g, b),
  (a, b, _y, g) => neg(div(mul(g, a), square(b))),
);
export const pow = defineBinary(
  'pow',
  'promote',
  (a, b, _y, g) => mul(g, mul(b, pow(a, sub(b, 1)))),
  // d/db a^b = a^b·ln a, taken as 0 where a ≤ 0 (as TensorFlow) instead of NaN.
  (a, _b, y, g) => mul(g, mul(y, where(greater(a, 0), log(a), 0))),
);
export const maximum = defineBinary(
  'maximum',
  'promote',
  (a, b, _y, g) => mul(g, mask(greaterEqual(a, b), g)),
  (a, b, _y, g) => mul(g, mask(less(a, b), g)),
);
export const minimum = defineBinary(
  'minimum',
  'promote',
  (a, b, _y, g) => mul(g, mask(lessEqual(a, b), g)),
  (a, b, _y, g) => mul(g, mask(greater(a, b), g)),
);
/** Floor modulo: the result takes the divisor's sign (Python, NumPy, TensorFlow's floorMod). */
export const mod = defineBinary('mod', 'promote', (_a, _b, _y, g) => g, (a, b, _y, g) => neg(mul(g, floor(div(a, b)))));
export const atan2 = defineBinary(
  'atan2',
  'float',
  (a, b, _y, g) => div(mul(g, b), add(square(a), square(b))),
  (a, b, _y, g) => neg(div(mul(g, a), add(square(a), square(b)))),
);

export const equal = defineBinary('equal', 'bool', null, null);
export const notEqual = defineBinary('notEqual', 'bool', null, null);
export const less = defineBinary('less', 'bool', null, null);
export const lessEqual = defineBinary('lessEqual', 'bool', null, null);
export const greater = defineBinary('greater', 'bool', null, null);
export const greaterEqual = defineBinary('greaterEqual', 'bool', null, null);
export const logicalAnd = defineBinary('logicalAnd', 'bool', null, null);
export const logicalOr = defineBinary('logicalOr', 'bool', null, null);
export const logicalXor = defineBinary('logicalXor', 'bool', null, null);

/** Picks `a` where `cond` is true and `b` elsewhere, broadcasting all three. */
export function where(cond: TensorOrScalar, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  const c = toTensor(cond, null, 'where');
  const condBool = c.dtype === 'bool' ? c : notEqual(c, 0);
  const [ta, tb, dtype] = operands(a, b, 'where');
  const shape = broadcastShapes(broadcastShapes(condBool.shape, ta.shape, 'where'), tb.shape, 'where');
  const y = output(shape, dtype);
  backend().where(condBool.values as Uint8Array, condBool.shape, ta.values, ta.shape, tb.values, tb.shape, y.values, shape);
  if (!isFloat(dtype)) return y;
  return record('where', y, [ta, tb], (g) => [
    gradFor(ta, () => where(condBool, g, 0)),
    gradFor(tb, () => where(condBool, 0, g)),
  ]);
}

/** Limits values to [min, max]; the gradient is 1 inside the interval (bounds included) and 0 outside. */
export function clip(x: Tensor, min: number, max: number): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError('clip: expected a Tensor');
  if (!(min <= max)) throw new ValueError(`clip: min (${min}) must not exceed max (${max})`);
  return minimum(maximum(x, min), max);
}
