import { record } from '../autograd/tape.js';
import type { UnaryOp } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { allocate, type DType, floatTypeOf, isDType } from '../tensor/dtype.js';
import { DTypeError, ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { add, div, mul } from './binary.js';
import { activationGradient } from './bias-activation.js';
import { output } from './util.js';

/** How a unary op's output dtype follows its input: floats only, the same dtype, or bool. */
type ResultKind = 'float' | 'same' | 'bool';
type UnaryGrad = (x: Tensor, y: Tensor, g: Tensor) => Tensor;

function checkTensor(x: unknown, op: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
}

function resultType(kind: ResultKind, dtype: DType): DType {
  if (kind === 'bool') return 'bool';
  if (kind === 'float') return floatTypeOf(dtype);
  return dtype === 'bool' ? 'int32' : dtype;
}

function defineUnary(op: UnaryOp, kind: ResultKind, gradient: UnaryGrad | null): (x: Tensor) => Tensor {
  return (x: Tensor): Tensor => {
    checkTensor(x, op);
    const y = output(x.shape, resultType(kind, x.dtype), false);
    backend().unary(op, x.values, y.values);
    if (gradient === null) return y;
    return record(op, y, [x], (g) => [gradient(x, y, g)]);
  };
}

function zeroGrad(x: Tensor): Tensor {
  return output(x.shape, x.dtype);
}

export const neg = defineUnary('neg', 'same', (_x, _y, g) => neg(g));
export const abs = defineUnary('abs', 'same', (x, _y, g) => mul(g, sign(x)));
export const sign = defineUnary('sign', 'same', zeroGrad);
export const exp = defineUnary('exp', 'float', (_x, y, g) => mul(g, y));
export const expm1 = defineUnary('expm1', 'float', (_x, y, g) => mul(g, add(y, 1)));
export const log = defineUnary('log', 'float', (x, _y, g) => div(g, x));
export const log1p = defineUnary('log1p', 'float', (x, _y, g) => div(g, add(x, 1)));
export const sqrt = defineUnary('sqrt', 'float', (_x, y, g) => div(g, mul(y, 2)));
export const rsqrt = defineUnary('rsqrt', 'float', (_x, y, g) => mul(g, mul(square(y), mul(y, -0.5))));
export const square = defineUnary('square', 'same', (x, _y, g) => mul(g, mul(x, 2)));
export const reciprocal = defineUnary('reciprocal', 'float', (_x, y, g) => neg(mul(g, square(y))));
export const sin = defineUnary('sin', 'float', (x, _y, g) => mul(g, cos(x)));
export const cos = defineUnary('cos', 'float', (x, _y, g) => neg(mul(g, sin(x))));
export const tan = defineUnary('tan', 'float', (_x, y, g) => mul(g, add(square(y), 1)));
export const tanh = defineUnary('tanh', 'float', (_x, y, g) => activationGradient('tanh', y, g));
export const sigmoid = defineUnary('sigmoid', 'float', (_x, y, g) => activationGradient('sigmoid', y, g));
export const softplus = defineUnary('softplus', 'float', (x, _y, g) => mul(g, sigmoid(x)));
export const erf = defineUnary('erf', 'float', (x, _y, g) => mul(g, mul(exp(neg(square(x))), 2 / Math.sqrt(Math.PI))));
export const floor = defineUnary('floor', 'same', zeroGrad);
export const ceil = defineUnary('ceil', 'same', zeroGrad);
/** Rounds half to even (as NumPy and TensorFlow). */
export const round = defineUnary('round', 'same', zeroGrad);
export const relu = defineUnary('relu', 'same', (_x, y, g) => activationGradient('relu', y, g));
export const isNaN = defineUnary('isNaN', 'bool', null);
export const isFinite = defineUnary('isFinite', 'bool', null);
export const logicalNot = defineUnary('logicalNot', 'bool', null);

/** Converts to another dtype; the gradient flows back between float types. */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkTensor(x, 'cast');
  if (!isDType(dtype)) throw new DTypeError(`cast: unknown dtype ${String(dtype)}; expected float32, float64, int32 or bool`);
  if (dtype === x.dtype) return x;
  const out = allocate(dtype, x.size);
  const v = x.values;
  if (dtype === 'bool') for (let i = 0; i < v.length; i++) out[i] = v[i] !== 0 ? 1 : 0;
  else if (dtype === 'int32') for (let i = 0; i < v.length; i++) out[i] = Math.trunc(v[i]!);
  else out.set(v);
  const y = new Tensor(out, x.shape, dtype);
  if (dtype !== 'float32' && dtype !== 'float64') return y;
  return record('cast', y, [x], (g) => [cast(g, x.dtype)]);
}

/** A copy with its own storage; gradients pass through unchanged. */
export function clone(x: Tensor): Tensor {
  checkTensor(x, 'clone');
  const y = new Tensor(x.values.slice(), x.shape, x.dtype);
  return record('clone', y, [x], (g) => [g]);
}

/** The same values, cut from the graph: no gradient flows through the result. */
export function detach(x: Tensor): Tensor {
  checkTensor(x, 'detach');
  return new Tensor(x.values, x.shape, x.dtype);
}
