import { record } from '../autograd/tape.js';
import type { FusedActivation, MatmulInfo } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { isFloat, promoteTypes } from '../tensor/dtype.js';
import { broadcastShapes, formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { mul } from './binary.js';
import { activationGradient, applyBiasActivation, biasGradient, checkBias, isFusedActivation } from './bias-activation.js';
import { broadcastTo, reshape } from './movement.js';
import { sumToShape } from './reduce.js';
import { cast } from './unary.js';
import { output } from './util.js';

export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

function check(a: unknown, b: unknown): asserts a is Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new ValueError('matmul: expected two Tensors');
  if (a.dtype === 'bool' || b.dtype === 'bool') throw new DTypeError(`matmul: bool tensors are not supported (got ${a.dtype} and ${b.dtype})`);
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(`matmul: both operands need at least one dimension, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
}

/**
 * Matrix product with NumPy semantics: the last two axes multiply, leading (batch) axes broadcast,
 * a 1-D operand is a vector. `transposeA/B` transpose the last two axes of an operand first.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  check(a, b);
  const tA = options.transposeA ?? false;
  const tB = options.transposeB ?? false;
  if (a.rank === 1) return reshape(matmul(reshape(a, [1, a.shape[0]!]), b, { transposeA: false, transposeB: tB }), vectorResult(b, tB, 'a'));
  if (b.rank === 1) return reshape(matmul(a, reshape(b, [b.shape[0]!, 1]), { transposeA: tA, transposeB: false }), vectorResult(a, tA, 'b'));
  return matmulND(a, b, tA, tB);
}

/** Result shape after dropping the vector's axis. */
function vectorResult(matrix: Tensor, trans: boolean, vector: 'a' | 'b'): number[] {
  const s = [...matrix.shape];
  if (vector === 'a') s.splice(s.length - (trans ? 1 : 2), 1);
  else s.splice(s.length - (trans ? 2 : 1), 1);
  return s;
}

function matmulND(a: Tensor, b: Tensor, tA: boolean, tB: boolean): Tensor {
  const [ar, ac] = [a.shape[a.rank - 2]!, a.shape[a.rank - 1]!];
  const [br, bc] = [b.shape[b.rank - 2]!, b.shape[b.rank - 1]!];
  const m = tA ? ac : ar;
  const k = tA ? ar : ac;
  const kb = tB ? bc : br;
  const n = tB ? br : bc;
  if (k !== kb) {
    throw new ShapeError(
      `matmul: inner dimensions differ: a has shape ${formatShape(a.shape)}${tA ? ' (transposed)' : ''} and b has shape ${formatShape(b.shape)}${tB ? ' (transposed)' : ''}, so ${k} ≠ ${kb}`,
    );
  }
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batchShape = broadcastShapes(batchA, batchB, 'matmul');
  const batch = sizeOf(batchShape);
  const dtype = promoteTypes(a.dtype, b.dtype);
  // A side whose batch is a single matrix is reused with stride 0; otherwise it is materialized.
  const operand = (t: Tensor, tb: readonly number[]): [Tensor, number] => {
    const mat = t.shape.slice(-2);
    if (sizeOf(tb) === 1) return [t, 0];
    const full = sizeOf(tb) === batch ? t : broadcastTo(t, [...batchShape, ...mat]);
    return [full, mat[0]! * mat[1]!];
  };
  const [aa, aStride] = operand(cast(a, dtype), batchA);
  const [bb, bStride] = operand(cast(b, dtype), batchB);
  const y = output([...batchShape, m, n], dtype, false);
  backend().matmul(aa.values, bb.values, y.values, { batch, m, n, k, transA: tA, transB: tB, aBatchStride: aStride, bBatchStride: bStride });
  return record('matmul', y, [a, b], (g) => {
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (a.requiresGradient) {
      const raw = tA ? matmul(b, g, { transposeA: tB, transposeB: true }) : matmul(g, b, { transposeA: false, transposeB: !tB });
      da = cast(sumToShape(raw, a.shape), a.dtype);
    }
    if (b.requiresGradient) {
      const raw = tB ? matmul(g, a, { transposeA: true, transposeB: tA }) : matmul(a, g, { transposeA: !tA, transposeB: false });
      db = cast(sumToShape(raw, b.shape), b.dtype);
    }
    return [da, db];
  });
}

/** Outer product of two vectors: [n] × [m] → [n, m]. */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor) || a.rank !== 1 || b.rank !== 1) {
    throw new ShapeError(`outer: expected two 1-D tensors, got shapes ${a instanceof Tensor ? formatShape(a.shape) : typeof a} and ${b instanceof Tensor ? formatShape(b.shape) : typeof b}`);
  }
  return mul(reshape(a, [a.size, 1]), reshape(b, [1, b.size]));
}

/** Dot product of vectors (a scalar), or the matrix product for higher ranks (as NumPy's dot for ≤ 2-D). */
export function dot(a: Tensor, b: Tensor): Tensor {
  check(a, b);
  if (a.rank === 1 && b.rank === 1 && a.size !== b.size) {
    throw new ShapeError(`dot: vectors have different lengths: ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  return matmul(a, b);
}

/**
 * act(x·w + bias) for x [rows, k] and w [k, n] (bias [n] or null) as one kernel where the backend
 * fuses it, like tf.fused.matMul; what Dense layers run.
 */
export function matmulBiasActivation(x: Tensor, w: Tensor, bias: Tensor | null, act: FusedActivation): Tensor {
  check(x, w);
  if (x.rank !== 2 || w.rank !== 2) {
    throw new ShapeError(`matmulBiasActivation: expected 2-D operands, got shapes ${formatShape(x.shape)} and ${formatShape(w.shape)}`);
  }
  if (!isFloat(x.dtype) || w.dtype !== x.dtype) {
    throw new DTypeError(`matmulBiasActivation: expected two float32 or two float64 operands, got ${x.dtype} and ${w.dtype}`);
  }
  if (!isFusedActivation(act)) throw new ValueError(`matmulBiasActivation: activation must be linear, relu, sigmoid or tanh, got ${String(act)}`);
  const [m, k] = x.shape as [number, number];
  const [kw, n] = w.shape as [number, number];
  if (k !== kw) throw new ShapeError(`matmulBiasActivation: inner dimensions differ: x has shape ${formatShape(x.shape)} and w ${formatShape(w.shape)}, so ${k} ≠ ${kw}`);
  checkBias('matmulBiasActivation', bias, n, x);
  const y = output([m, n], x.dtype, false);
  const info: MatmulInfo = { batch: 1, m, n, k, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
  const be = backend();
  if (be.matmulBiasActivation !== undefined) {
    be.matmulBiasActivation(x.values, w.values, bias?.values ?? null, y.values, info, act);
  } else {
    be.matmul(x.values, w.values, y.values, info);
    applyBiasActivation(y.values, bias, y.values, m, n, act);
  }
  return record('matmulBiasActivation', y, bias !== null ? [x, w, bias] : [x, w], (g) => {
    const gz = activationGradient(act, y, g);
    return [
      x.requiresGradient ? matmul(gz, w, { transposeB: true }) : null,
      w.requiresGradient ? matmul(x, gz, { transposeA: true }) : null,
      biasGradient(gz, bias, n),
    ];
  });
}
