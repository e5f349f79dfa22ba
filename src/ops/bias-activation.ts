// Dense and convolution layers end in act(x·W + b): one pass over the output instead of an add, an
// activation and, in backward, a comparison, a cast and a multiply, each with its own output array.
import { record } from '../autograd/tape.js';
import type { FusedActivation } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { type DataArray, isFloat } from '../tensor/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { reshape } from './movement.js';
import { sum } from './reduce.js';
import { newStorage } from './storage.js';
import { output } from './util.js';

export type { FusedActivation } from '../backend/backend.js';

const FUSED: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh'];

/** Whether `name` is an activation that biasActivation applies in its kernel. */
export function isFusedActivation(name: unknown): name is FusedActivation {
  return typeof name === 'string' && FUSED.includes(name);
}

/**
 * act(x + bias), the bias (rank 1, or null for none) broadcast along x's last axis, in one kernel;
 * the gradient is taken from the output, so backward keeps no pre-activation tensor alive.
 */
export function biasActivation(x: Tensor, bias: Tensor | null, act: FusedActivation): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError('biasActivation: expected a Tensor');
  if (!isFusedActivation(act)) throw new ValueError(`biasActivation: activation must be one of ${FUSED.join(', ')}, got ${String(act)}`);
  if (!isFloat(x.dtype)) throw new DTypeError(`biasActivation: expected a float32 or float64 input, got ${x.dtype}`);
  const cols = x.rank === 0 ? 1 : x.shape[x.rank - 1]!;
  checkBias('biasActivation', bias, cols, x);
  const rows = cols === 0 ? 0 : x.size / cols;
  const y = output(x.shape, x.dtype, false);
  applyBiasActivation(x.values, bias, y.values, rows, cols, act);
  const inputs = bias !== null ? [x, bias] : [x];
  return record('biasActivation', y, inputs, (g) => {
    const gz = activationGradient(act, y, g);
    return [x.requiresGradient ? gz : null, biasGradient(gz, bias, cols)];
  });
}

/** Runs the biasActivation kernel (in place when x is out); a null bias adds nothing. */
export function applyBiasActivation(x: DataArray, bias: Tensor | null, out: DataArray, rows: number, cols: number, act: FusedActivation): void {
  if (bias === null && act === 'linear') {
    if (x !== out) out.set(x);
    return;
  }
  const b = bias !== null ? bias.values : newStorage(x instanceof Float64Array ? 'float64' : 'float32', cols);
  backend().biasActivation(x, b, out, rows, cols, act);
}

/** Throws unless `bias` is null or a rank-1 tensor of `cols` entries with the dtype of `like`. */
export function checkBias(op: string, bias: Tensor | null, cols: number, like: Tensor): void {
  if (bias === null) return;
  if (!(bias instanceof Tensor) || bias.rank !== 1 || bias.shape[0] !== cols) {
    throw new ShapeError(`${op}: bias must have shape [${cols}] to match the output's last axis (input ${formatShape(like.shape)}), got ${bias instanceof Tensor ? formatShape(bias.shape) : typeof bias}`);
  }
  if (bias.dtype !== like.dtype) throw new DTypeError(`${op}: bias is ${bias.dtype} but the input is ${like.dtype}`);
}

/** The bias gradient of a fused op: gz summed over every axis but the last, or null when none is needed. */
export function biasGradient(gz: Tensor, bias: Tensor | null, cols: number): Tensor | null {
  if (bias === null || !bias.requiresGradient) return null;
  return sum(reshape(gz, [gz.size / Math.max(cols, 1), cols]), 0);
}

/** g · act′, with act′ taken from the activation's output y (see Backend.activationGrad). */
export function activationGradient(act: FusedActivation, y: Tensor, g: Tensor): Tensor {
  if (act === 'linear') return g;
  const out = output(g.shape, g.dtype, false);
  backend().activationGrad(act, y.values, g.values, out.values);
  return out;
}
