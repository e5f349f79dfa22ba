import { record } from '../autograd/tape.js';
import type { PoolInfo } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { isFloat } from '../tensor/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { formatShape, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { output } from './util.js';
import { axisGeometry, batched, type Pair, type Padding, resolvePadding, resolvePair } from './window.js';

export interface Pool2dOptions {
  /** Window size, one number for both axes or [height, width]. */
  poolSize: Pair;
  /** Step between windows (default: poolSize, as Keras and TensorFlow). */
  strides?: Pair;
  /** Default 'valid'. With 'same', padded cells are ignored: never the maximum, not counted in averages. */
  padding?: Padding;
}

function checkTensor(x: unknown, op: string, name: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: ${name} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
}

function checkRank(x: Tensor, op: string, name: string, ranks: readonly number[]): void {
  if (!ranks.includes(x.rank)) {
    const layout = ranks.length === 2 ? '[batch, height, width, channels] or [height, width, channels]' : '[batch, height, width, channels]';
    throw new ShapeError(`${op}: ${name} must have rank ${ranks.join(' or ')} (${layout}), got shape ${formatShape(x.shape)}`);
  }
}

/** PoolInfo for a 4-D input shape; throws when the window does not fit a 'valid' input. */
function poolInfo(op: string, shape: Shape, options: Pool2dOptions, describe: () => string): PoolInfo {
  if (typeof options !== 'object' || options === null) throw new ValueError(`${op}: options must be an object with a poolSize`);
  if (options.poolSize === undefined) throw new ValueError(`${op}: options.poolSize is required (a positive integer or [height, width])`);
  const [kH, kW] = resolvePair(options.poolSize, 1, op, 'poolSize');
  const [strideH, strideW] = resolvePair(options.strides ?? [kH, kW], 1, op, 'strides');
  const padding = resolvePadding(options.padding, op);
  const [batch, inH, inW, channels] = shape as [number, number, number, number];
  const h = axisGeometry(inH, kH, strideH, padding);
  const w = axisGeometry(inW, kW, strideW, padding);
  if (h === null || w === null) {
    throw new ShapeError(`${op}: the pool window ${kH}×${kW} is larger than the input (${inH}×${inW}) with 'valid' padding (${describe()})`);
  }
  return { batch, inH, inW, channels, outH: h.out, outW: w.out, kH, kW, strideH, strideW, padTop: h.pad, padLeft: w.pad };
}

const inShapeOf = (i: PoolInfo): number[] => [i.batch, i.inH, i.inW, i.channels];
const outShapeOf = (i: PoolInfo): number[] => [i.batch, i.outH, i.outW, i.channels];

// ---------------------------------------------------------------------------------------------
// Recorded primitives

function maxPoolRaw(x: Tensor, info: PoolInfo): Tensor {
  const y = output(outShapeOf(info), x.dtype);
  backend().maxPool2d(x.values, y.values, info);
  if (!isFloat(x.dtype)) return y;
  return record('maxPool2d', y, [x], (g) => [maxPoolBackpropRaw(g, x, info)]);
}

/**
 * Routes dy to each window's first maximum of x. Linear in dy, so its gradient with respect to dy is
 * the adjoint routing (maxPoolSelectRaw); with respect to x it is zero almost everywhere (the
 * routing is piecewise constant in x), so none is returned.
 */
function maxPoolBackpropRaw(dy: Tensor, x: Tensor, info: PoolInfo): Tensor {
  const dx = output(inShapeOf(info), dy.dtype);
  backend().maxPool2dBackprop(dy.values, x.values, dx.values, info);
  return record('maxPool2dBackprop', dx, [dy, x], (g) => [dy.requiresGradient ? maxPoolSelectRaw(g, x, info) : null, null]);
}

/**
 * Flat offsets into x of each window's first maximum (the first NaN if there is one), the same
 * choice the backend's maxPool2dBackprop makes.
 */
function windowArgmax(x: Tensor, info: PoolInfo): Int32Array {
  const { batch, inH, inW, channels: C, outH, outW, kH, kW, strideH, strideW, padTop, padLeft } = info;
  const v = x.values;
  const idx = new Int32Array(batch * outH * outW * C);
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const o = ((b * outH + oy) * outW + ox) * C;
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let at = -1;
          for (let ky = 0; ky < kH; ky++) {
            const iy = oy * strideH - padTop + ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kW; kx++) {
              const ix = ox * strideW - padLeft + kx;
              if (ix < 0 || ix >= inW) continue;
              const p = ((b * inH + iy) * inW + ix) * C + c;
              const val = v[p]!;
              if (at < 0 || val > best || (Number.isNaN(val) && !Number.isNaN(best))) {
                best = val;
                at = p;
              }
            }
          }
          idx[o + c] = at;
        }
      }
    }
  }
  return idx;
}

/** out[o] = g[argmax of window o]: the adjoint of maxPoolBackpropRaw in its dy argument. */
function maxPoolSelectRaw(g: Tensor, x: Tensor, info: PoolInfo): Tensor {
  const y = output(outShapeOf(info), g.dtype);
  backend().gather(g.values, 1, g.size, 1, windowArgmax(x, info), y.values);
  return record('maxPool2dSelect', y, [g, x], (h) => [g.requiresGradient ? maxPoolBackpropRaw(h, x, info) : null, null]);
}

function avgPoolRaw(x: Tensor, info: PoolInfo): Tensor {
  const y = output(outShapeOf(info), x.dtype);
  backend().avgPool2d(x.values, y.values, info);
  return record('avgPool2d', y, [x], (g) => [avgPoolBackpropRaw(g, info)]);
}

/** Spreads dy evenly over each window; linear, and its adjoint is avgPool2d itself. */
function avgPoolBackpropRaw(dy: Tensor, info: PoolInfo): Tensor {
  const dx = output(inShapeOf(info), dy.dtype);
  backend().avgPool2dBackprop(dy.values, dx.values, info);
  return record('avgPool2dBackprop', dx, [dy], (g) => [avgPoolRaw(g, info)]);
}

// ---------------------------------------------------------------------------------------------
// Public ops

/**
 * 2-D max pooling of x [batch, height, width, channels] (or unbatched [height, width, channels]).
 * Accepts float32, float64 and int32 (int32 has no gradient). The gradient goes to each window's
 * first maximum, as TensorFlow.
 */
export function maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  const op = 'maxPool2d';
  checkTensor(x, op, 'input');
  if (x.dtype === 'bool') throw new DTypeError(`${op}: input must be float32, float64 or int32, got bool`);
  checkRank(x, op, 'input', [3, 4]);
  const describe = (): string => `input shape ${formatShape(x.shape)}`;
  return batched(x, (x4) => maxPoolRaw(x4, poolInfo(op, x4.shape, options, describe)));
}

/**
 * 2-D average pooling of x [batch, height, width, channels] (or unbatched); with 'same' padding the
 * padded cells are not counted (as TensorFlow).
 */
export function avgPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  const op = 'avgPool2d';
  checkTensor(x, op, 'input');
  if (!isFloat(x.dtype)) throw new DTypeError(`${op}: input must be float32 or float64, got ${x.dtype}`);
  checkRank(x, op, 'input', [3, 4]);
  const describe = (): string => `input shape ${formatShape(x.shape)}`;
  return batched(x, (x4) => avgPoolRaw(x4, poolInfo(op, x4.shape, options, describe)));
}

/** The gradient of maxPool2d(x, options) given the output gradient dy (both rank 4); differentiable in dy. */
export function maxPool2dBackprop(dy: Tensor, x: Tensor, options: Pool2dOptions): Tensor {
  const op = 'maxPool2dBackprop';
  checkTensor(dy, op, 'dy');
  checkTensor(x, op, 'input');
  if (!isFloat(dy.dtype)) throw new DTypeError(`${op}: dy must be float32 or float64, got ${dy.dtype}`);
  if (x.dtype === 'bool') throw new DTypeError(`${op}: input must be float32, float64 or int32, got bool`);
  checkRank(dy, op, 'dy', [4]);
  checkRank(x, op, 'input', [4]);
  const describe = (): string => `dy shape ${formatShape(dy.shape)}, input shape ${formatShape(x.shape)}`;
  const info = poolInfo(op, x.shape, options, describe);
  checkOutput(op, dy, info, describe);
  return maxPoolBackpropRaw(dy, x, info);
}

/** The gradient of avgPool2d over an input of shape `inputShape` (rank 4) given the output gradient dy. */
export function avgPool2dBackprop(dy: Tensor, inputShape: Shape, options: Pool2dOptions): Tensor {
  const op = 'avgPool2dBackprop';
  checkTensor(dy, op, 'dy');
  if (!isFloat(dy.dtype)) throw new DTypeError(`${op}: dy must be float32 or float64, got ${dy.dtype}`);
  checkRank(dy, op, 'dy', [4]);
  const describe = (): string => `dy shape ${formatShape(dy.shape)}, inputShape ${JSON.stringify(inputShape)}`;
  if (!Array.isArray(inputShape) || inputShape.length !== 4 || !inputShape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`${op}: inputShape must be [batch, height, width, channels] of non-negative integers (${describe()})`);
  }
  const info = poolInfo(op, inputShape, options, describe);
  checkOutput(op, dy, info, describe);
  return avgPoolBackpropRaw(dy, info);
}

function checkOutput(op: string, dy: Tensor, info: PoolInfo, describe: () => string): void {
  const expected = outShapeOf(info);
  if (expected.some((d, i) => d !== dy.shape[i])) {
    throw new ShapeError(`${op}: dy must have the pooled shape ${formatShape(expected)} (${describe()})`);
  }
}
