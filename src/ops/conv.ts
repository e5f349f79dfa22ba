import { record } from '../autograd/tape.js';
import type { ConvInfo, DepthwiseInfo, FusedActivation } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { isFloat, promoteTypes } from '../tensor/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { formatShape, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { activationGradient, applyBiasActivation, biasGradient, checkBias, isFusedActivation } from './bias-activation.js';
import { reshape } from './movement.js';
import { cast } from './unary.js';
import { output } from './util.js';
import { axisGeometry, batched, type Padding, type Pair, positiveInt, resolvePadding, resolvePair } from './window.js';

export type { Padding, Pair } from './window.js';

export interface Conv2dOptions {
  /** Step between windows (default 1). */
  strides?: Pair;
  /** Default 'valid'. */
  padding?: Padding;
  /** Spacing between filter taps (default 1). */
  dilations?: Pair;
}

export interface Conv1dOptions {
  /** Step between windows (default 1). */
  stride?: number;
  /** Default 'valid'; 'causal' pads only on the left so output t sees inputs ≤ t (Keras Conv1D). */
  padding?: Padding | 'causal';
  /** Spacing between filter taps (default 1). */
  dilation?: number;
}

function checkTensor(x: unknown, op: string, name: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: ${name} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
}

function checkFloat(t: Tensor, op: string, name: string): void {
  if (!isFloat(t.dtype)) throw new DTypeError(`${op}: ${name} must be float32 or float64, got ${t.dtype}`);
}

function checkRank(t: Tensor, ranks: readonly number[], op: string, name: string, layout: string): void {
  if (!ranks.includes(t.rank)) {
    throw new ShapeError(`${op}: ${name} must have rank ${ranks.join(' or ')} (${layout}), got shape ${formatShape(t.shape)}`);
  }
}

/** Both operands cast to their common float dtype (the cast is recorded, so gradients come back in each input's dtype). */
function common(a: Tensor, b: Tensor): [Tensor, Tensor] {
  const dtype = promoteTypes(a.dtype, b.dtype);
  return [cast(a, dtype), cast(b, dtype)];
}

interface Spatial {
  strides: [number, number];
  dilations: [number, number];
  padding: Padding;
}

function spatialOptions(options: Conv2dOptions, op: string): Spatial {
  if (typeof options !== 'object' || options === null) throw new ValueError(`${op}: options must be an object`);
  return {
    strides: resolvePair(options.strides, 1, op, 'strides'),
    dilations: resolvePair(options.dilations, 1, op, 'dilations'),
    padding: resolvePadding(options.padding, op),
  };
}

/**
 * The ConvInfo of a convolution over an input of shape [batch, inH, inW, inC] with a kH×kW window;
 * `describe` names the shapes for the error thrown when the window does not fit.
 */
function convInfo(op: string, x: Shape, kH: number, kW: number, outC: number, s: Spatial, describe: () => string): ConvInfo {
  const [batch, inH, inW, inC] = x as [number, number, number, number];
  const [strideH, strideW] = s.strides;
  const [dilationH, dilationW] = s.dilations;
  const effH = (kH - 1) * dilationH + 1;
  const effW = (kW - 1) * dilationW + 1;
  const h = axisGeometry(inH, effH, strideH, s.padding);
  const w = axisGeometry(inW, effW, strideW, s.padding);
  if (h === null || w === null) {
    throw new ShapeError(
      `${op}: the filter window (${effH}×${effW}${dilationH > 1 || dilationW > 1 ? ` with dilations [${dilationH}, ${dilationW}]` : ''}) ` +
        `is larger than the input (${inH}×${inW}) with 'valid' padding (${describe()})`,
    );
  }
  return {
    batch, inH, inW, inC, outH: h.out, outW: w.out, outC, kH, kW,
    strideH, strideW, dilationH, dilationW, padTop: h.pad, padLeft: w.pad,
  };
}

function checkKernelSize(kH: number, kW: number, op: string, describe: () => string): void {
  if (kH === 0 || kW === 0) throw new ShapeError(`${op}: the filter has an empty spatial dimension (${describe()})`);
}

const xShapeOf = (i: ConvInfo): number[] => [i.batch, i.inH, i.inW, i.inC];
const yShapeOf = (i: ConvInfo): number[] => [i.batch, i.outH, i.outW, i.outC];

// ---------------------------------------------------------------------------------------------
// Recorded primitives. conv2d, its input gradient and its filter gradient are bilinear and each
// one's gradients are the other two, so every order of derivative stays inside this family.

function conv2dRaw(x: Tensor, f: Tensor, info: ConvInfo): Tensor {
  const y = output(yShapeOf(info), x.dtype, false);
  backend().conv2d(x.values, f.values, y.values, info);
  return record('conv2d', y, [x, f], (g) => [
    x.requiresGradient ? conv2dBackpropInputRaw(g, f, info) : null,
    f.requiresGradient ? conv2dBackpropFilterRaw(x, g, info) : null,
  ]);
}

function conv2dBackpropInputRaw(dy: Tensor, f: Tensor, info: ConvInfo): Tensor {
  const dx = output(xShapeOf(info), dy.dtype, false);
  backend().conv2dBackpropInput(dy.values, f.values, dx.values, info);
  return record('conv2dBackpropInput', dx, [dy, f], (g) => [
    dy.requiresGradient ? conv2dRaw(g, f, info) : null,
    f.requiresGradient ? conv2dBackpropFilterRaw(g, dy, info) : null,
  ]);
}

function conv2dBackpropFilterRaw(x: Tensor, dy: Tensor, info: ConvInfo): Tensor {
  const df = output([info.kH, info.kW, info.inC, info.outC], x.dtype, false);
  backend().conv2dBackpropFilter(x.values, dy.values, df.values, info);
  return record('conv2dBackpropFilter', df, [x, dy], (g) => [
    x.requiresGradient ? conv2dBackpropInputRaw(dy, g, info) : null,
    dy.requiresGradient ? conv2dRaw(x, g, info) : null,
  ]);
}

function depthwiseRaw(x: Tensor, f: Tensor, info: DepthwiseInfo): Tensor {
  const y = output(yShapeOf(info), x.dtype);
  backend().depthwiseConv2d(x.values, f.values, y.values, info);
  return record('depthwiseConv2d', y, [x, f], (g) => [
    x.requiresGradient ? depthwiseBackpropInputRaw(g, f, info) : null,
    f.requiresGradient ? depthwiseBackpropFilterRaw(x, g, info) : null,
  ]);
}

function depthwiseBackpropInputRaw(dy: Tensor, f: Tensor, info: DepthwiseInfo): Tensor {
  const dx = output(xShapeOf(info), dy.dtype);
  backend().depthwiseConv2dBackpropInput(dy.values, f.values, dx.values, info);
  return record('depthwiseConv2dBackpropInput', dx, [dy, f], (g) => [
    dy.requiresGradient ? depthwiseRaw(g, f, info) : null,
    f.requiresGradient ? depthwiseBackpropFilterRaw(g, dy, info) : null,
  ]);
}

function depthwiseBackpropFilterRaw(x: Tensor, dy: Tensor, info: DepthwiseInfo): Tensor {
  const df = output([info.kH, info.kW, info.inC, info.multiplier], x.dtype);
  backend().depthwiseConv2dBackpropFilter(x.values, dy.values, df.values, info);
  return record('depthwiseConv2dBackpropFilter', df, [x, dy], (g) => [
    x.requiresGradient ? depthwiseBackpropInputRaw(dy, g, info) : null,
    dy.requiresGradient ? depthwiseRaw(x, g, info) : null,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Public ops

/**
 * 2-D convolution (cross-correlation, as every DL library) of x [batch, height, width, inC] (or an
 * unbatched [height, width, inC]) with a filter [kH, kW, inC, outC]; returns [batch, outH, outW, outC].
 */
export function conv2d(x: Tensor, filter: Tensor, options: Conv2dOptions = {}): Tensor {
  return conv2dWith('conv2d', x, filter, options, conv2dRaw);
}

/**
 * act(conv2d(x, filter) + bias), bias [outChannels] or null, as one kernel where the backend fuses
 * it (the bias and activation are applied to each output tile while it is in cache), like
 * tf.fused.conv2d; what Conv2D layers run.
 */
export function conv2dBiasActivation(x: Tensor, filter: Tensor, bias: Tensor | null, act: FusedActivation, options: Conv2dOptions = {}): Tensor {
  if (!isFusedActivation(act)) throw new ValueError(`conv2dBiasActivation: activation must be linear, relu, sigmoid or tanh, got ${String(act)}`);
  return conv2dWith('conv2dBiasActivation', x, filter, options, (x4, f, info) => {
    checkBias('conv2dBiasActivation', bias, info.outC, f);
    return fusedConv2dRaw(x4, f, bias, act, info);
  });
}

function fusedConv2dRaw(x: Tensor, f: Tensor, bias: Tensor | null, act: FusedActivation, info: ConvInfo): Tensor {
  const y = output(yShapeOf(info), x.dtype, false);
  const be = backend();
  const rows = info.batch * info.outH * info.outW;
  if (be.conv2dBiasActivation !== undefined) {
    be.conv2dBiasActivation(x.values, f.values, bias?.values ?? null, y.values, info, act);
  } else {
    be.conv2d(x.values, f.values, y.values, info);
    applyBiasActivation(y.values, bias, y.values, rows, info.outC, act);
  }
  return record('conv2dBiasActivation', y, bias !== null ? [x, f, bias] : [x, f], (g) => {
    const gz = activationGradient(act, y, g);
    return [
      x.requiresGradient ? conv2dBackpropInputRaw(gz, f, info) : null,
      f.requiresGradient ? conv2dBackpropFilterRaw(x, gz, info) : null,
      biasGradient(gz, bias, info.outC),
    ];
  });
}

function conv2dWith(op: string, x: Tensor, filter: Tensor, options: Conv2dOptions, run: (x4: Tensor, f: Tensor, info: ConvInfo) => Tensor): Tensor {
  checkTensor(x, op, 'input');
  checkTensor(filter, op, 'filter');
  checkFloat(x, op, 'input');
  checkFloat(filter, op, 'filter');
  checkRank(x, [3, 4], op, 'input', '[batch, height, width, channels] or [height, width, channels]');
  checkRank(filter, [4], op, 'filter', '[kH, kW, inChannels, outChannels]');
  const s = spatialOptions(options, op);
  const describe = (): string => `input shape ${formatShape(x.shape)}, filter shape ${formatShape(filter.shape)}`;
  const [kH, kW, fIn, outC] = filter.shape as [number, number, number, number];
  if (fIn !== x.shape[x.rank - 1]) {
    throw new ShapeError(`${op}: the input has ${x.shape[x.rank - 1]} channels but the filter expects ${fIn} (${describe()})`);
  }
  checkKernelSize(kH, kW, op, describe);
  const [xc, fc] = common(x, filter);
  return batched(xc, (x4) => run(x4, fc, convInfo(op, x4.shape, kH, kW, outC, s, describe)));
}

/**
 * Depthwise 2-D convolution: each input channel is convolved with its own `multiplier` filters.
 * x [batch, height, width, inC] (or unbatched), filter [kH, kW, inC, multiplier];
 * returns [batch, outH, outW, inC·multiplier] with output channel c·multiplier + q.
 */
export function depthwiseConv2d(x: Tensor, filter: Tensor, options: Conv2dOptions = {}): Tensor {
  const op = 'depthwiseConv2d';
  checkTensor(x, op, 'input');
  checkTensor(filter, op, 'filter');
  checkFloat(x, op, 'input');
  checkFloat(filter, op, 'filter');
  checkRank(x, [3, 4], op, 'input', '[batch, height, width, channels] or [height, width, channels]');
  checkRank(filter, [4], op, 'filter', '[kH, kW, inChannels, multiplier]');
  const s = spatialOptions(options, op);
  const describe = (): string => `input shape ${formatShape(x.shape)}, filter shape ${formatShape(filter.shape)}`;
  const [kH, kW, fIn, multiplier] = filter.shape as [number, number, number, number];
  if (fIn !== x.shape[x.rank - 1]) {
    throw new ShapeError(`${op}: the input has ${x.shape[x.rank - 1]} channels but the filter expects ${fIn} (${describe()})`);
  }
  checkKernelSize(kH, kW, op, describe);
  const [xc, fc] = common(x, filter);
  return batched(xc, (x4) => {
    const info = { ...convInfo(op, x4.shape, kH, kW, fIn * multiplier, s, describe), multiplier };
    return depthwiseRaw(x4, fc, info);
  });
}

/**
 * The geometry of the convolution whose input gradient a transposed convolution computes: `big` is
 * the conv's input shape [batch, H, W, C], `small` the shape of dy/x. Throws a ShapeError when a
 * conv2d over `big` would not produce `small`'s spatial size.
 */
function transposedInfo(op: string, big: Shape, small: Shape, kH: number, kW: number, outC: number, s: Spatial, describe: () => string): ConvInfo {
  const info = convInfo(op, big, kH, kW, outC, s, describe);
  if (info.outH !== small[1] || info.outW !== small[2]) {
    throw new ShapeError(
      `${op}: a convolution with strides [${s.strides.join(', ')}], dilations [${s.dilations.join(', ')}] and '${s.padding}' padding ` +
        `maps ${formatShape(big)} to spatial size ${info.outH}×${info.outW}, not ${small[1]}×${small[2]} (${describe()})`,
    );
  }
  return info;
}

/** Resolves a user-given shape of rank 3 or 4 to match `ref` (rank 3 or 4) and checks batch and channels. */
function checkTargetShape(op: string, name: string, shape: Shape | undefined, ref: Tensor, channels: number, describe: () => string): number[] | null {
  if (shape === undefined) return null;
  const ok = Array.isArray(shape) && shape.length === ref.rank && shape.every((d) => Number.isInteger(d) && d >= 0);
  if (!ok) {
    throw new ShapeError(`${op}: ${name} must be ${ref.rank === 4 ? '[batch, height, width, channels]' : '[height, width, channels]'} of non-negative integers, got ${JSON.stringify(shape)} (${describe()})`);
  }
  const full = ref.rank === 4 ? [...shape] : [1, ...shape];
  const batch = ref.rank === 4 ? ref.shape[0] : 1;
  if (full[0] !== batch || full[3] !== channels) {
    throw new ShapeError(`${op}: ${name} ${formatShape(shape)} needs batch ${batch} and ${channels} channels (${describe()})`);
  }
  return full;
}

function transposeImpl(op: string, x: Tensor, filter: Tensor, target: Shape | undefined, options: Conv2dOptions, name: string, xName: string): Tensor {
  checkTensor(x, op, xName);
  checkTensor(filter, op, 'filter');
  checkFloat(x, op, xName);
  checkFloat(filter, op, 'filter');
  checkRank(x, [3, 4], op, xName, '[batch, height, width, channels] or [height, width, channels]');
  checkRank(filter, [4], op, 'filter', '[kH, kW, outChannels, inChannels]');
  const s = spatialOptions(options, op);
  const describe = (): string => `${xName} shape ${formatShape(x.shape)}, filter shape ${formatShape(filter.shape)}`;
  const [kH, kW, outC, inC] = filter.shape as [number, number, number, number];
  if (inC !== x.shape[x.rank - 1]) {
    throw new ShapeError(`${op}: the ${xName} has ${x.shape[x.rank - 1]} channels but the filter expects ${inC} (${describe()})`);
  }
  checkKernelSize(kH, kW, op, describe);
  const given = checkTargetShape(op, name, target, x, outC, describe);
  const [xc, fc] = common(x, filter);
  return batched(xc, (x4) => {
    const [batch, h, w] = x4.shape as [number, number, number, number];
    const effH = (kH - 1) * s.dilations[0] + 1;
    const effW = (kW - 1) * s.dilations[1] + 1;
    // Without an explicit shape: Keras's Conv2DTranspose sizes (valid: (in − 1)·s + k, same: in·s).
    const big = given ?? (s.padding === 'same'
      ? [batch, h * s.strides[0], w * s.strides[1], outC]
      : [batch, Math.max((h - 1) * s.strides[0] + effH, 0), Math.max((w - 1) * s.strides[1] + effW, 0), outC]);
    return conv2dBackpropInputRaw(x4, fc, transposedInfo(op, big, x4.shape, kH, kW, inC, s, describe));
  });
}

/**
 * Transposed convolution (the gradient of conv2d with respect to its input), as tf.conv2dTranspose:
 * x [batch, h, w, inC] (or unbatched), filter [kH, kW, outC, inC]. `outputShape` (with or without the
 * batch axis, matching x) defaults to Keras's Conv2DTranspose size: (h − 1)·stride + kH for 'valid',
 * h·stride for 'same'.
 */
export function conv2dTranspose(x: Tensor, filter: Tensor, outputShape?: Shape, options: Conv2dOptions = {}): Tensor {
  return transposeImpl('conv2dTranspose', x, filter, outputShape, options, 'outputShape', 'input');
}

/** The gradient of conv2d(x, filter, options) with respect to x, for x of shape `inputShape`. */
export function conv2dBackpropInput(dy: Tensor, filter: Tensor, inputShape: Shape, options: Conv2dOptions = {}): Tensor {
  return transposeImpl('conv2dBackpropInput', dy, filter, inputShape, options, 'inputShape', 'dy');
}

/** Shared checks of the filter-gradient ops: returns x, dy in a common dtype and the 4-D geometry. */
function backpropFilterInfo(op: string, x: Tensor, dy: Tensor, filterShape: Shape, options: Conv2dOptions, depthwise: boolean): [Tensor, Tensor, ConvInfo] {
  checkTensor(x, op, 'input');
  checkTensor(dy, op, 'dy');
  checkFloat(x, op, 'input');
  checkFloat(dy, op, 'dy');
  checkRank(x, [4], op, 'input', '[batch, height, width, channels]');
  checkRank(dy, [4], op, 'dy', '[batch, height, width, channels]');
  const s = spatialOptions(options, op);
  const describe = (): string => `input shape ${formatShape(x.shape)}, dy shape ${formatShape(dy.shape)}, filter shape ${JSON.stringify(filterShape)}`;
  if (!Array.isArray(filterShape) || filterShape.length !== 4 || !filterShape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`${op}: filterShape must be [kH, kW, inChannels, ${depthwise ? 'multiplier' : 'outChannels'}] (${describe()})`);
  }
  const [kH, kW, fIn, last] = filterShape as [number, number, number, number];
  const outC = depthwise ? fIn * last : last;
  if (fIn !== x.shape[3] || dy.shape[0] !== x.shape[0] || dy.shape[3] !== outC) {
    throw new ShapeError(`${op}: inconsistent channels or batch (${describe()})`);
  }
  checkKernelSize(kH, kW, op, describe);
  const [xc, dyc] = common(x, dy);
  return [xc, dyc, transposedInfo(op, x.shape, dy.shape, kH, kW, outC, s, describe)];
}

/** The gradient of conv2d(x, filter, options) with respect to a filter of shape `filterShape`. */
export function conv2dBackpropFilter(x: Tensor, dy: Tensor, filterShape: Shape, options: Conv2dOptions = {}): Tensor {
  const [xc, dyc, info] = backpropFilterInfo('conv2dBackpropFilter', x, dy, filterShape, options, false);
  return conv2dBackpropFilterRaw(xc, dyc, info);
}

/** The gradient of depthwiseConv2d(x, filter, options) with respect to x, for x of shape `inputShape` (rank 4). */
export function depthwiseConv2dBackpropInput(dy: Tensor, filter: Tensor, inputShape: Shape, options: Conv2dOptions = {}): Tensor {
  const op = 'depthwiseConv2dBackpropInput';
  checkTensor(dy, op, 'dy');
  checkTensor(filter, op, 'filter');
  checkFloat(dy, op, 'dy');
  checkFloat(filter, op, 'filter');
  checkRank(dy, [4], op, 'dy', '[batch, height, width, channels]');
  checkRank(filter, [4], op, 'filter', '[kH, kW, inChannels, multiplier]');
  const s = spatialOptions(options, op);
  const describe = (): string => `dy shape ${formatShape(dy.shape)}, filter shape ${formatShape(filter.shape)}, inputShape ${JSON.stringify(inputShape)}`;
  const [kH, kW, inC, multiplier] = filter.shape as [number, number, number, number];
  if (dy.shape[3] !== inC * multiplier) {
    throw new ShapeError(`${op}: dy has ${dy.shape[3]} channels but the filter produces ${inC * multiplier} (${describe()})`);
  }
  checkKernelSize(kH, kW, op, describe);
  const big = checkTargetShape(op, 'inputShape', inputShape, dy, inC, describe) as number[];
  const [dyc, fc] = common(dy, filter);
  const info = { ...transposedInfo(op, big, dy.shape, kH, kW, inC * multiplier, s, describe), multiplier };
  return depthwiseBackpropInputRaw(dyc, fc, info);
}

/** The gradient of depthwiseConv2d(x, filter, options) with respect to a filter of shape `filterShape`. */
export function depthwiseConv2dBackpropFilter(x: Tensor, dy: Tensor, filterShape: Shape, options: Conv2dOptions = {}): Tensor {
  const [xc, dyc, info] = backpropFilterInfo('depthwiseConv2dBackpropFilter', x, dy, filterShape, options, true);
  return depthwiseBackpropFilterRaw(xc, dyc, { ...info, multiplier: filterShape[3]! });
}

/**
 * 1-D convolution of x [batch, width, inC] (or unbatched [width, inC]) with a filter [k, inC, outC];
 * returns [batch, outWidth, outC]. A composite of reshape and the 2-D convolution.
 */
export function conv1d(x: Tensor, filter: Tensor, options: Conv1dOptions = {}): Tensor {
  const op = 'conv1d';
  checkTensor(x, op, 'input');
  checkTensor(filter, op, 'filter');
  checkFloat(x, op, 'input');
  checkFloat(filter, op, 'filter');
  checkRank(x, [2, 3], op, 'input', '[batch, width, channels] or [width, channels]');
  checkRank(filter, [3], op, 'filter', '[k, inChannels, outChannels]');
  if (typeof options !== 'object' || options === null) throw new ValueError(`${op}: options must be an object`);
  const stride = positiveInt(options.stride, op, 'stride');
  const dilation = positiveInt(options.dilation, op, 'dilation');
  const padding = options.padding === 'causal' ? 'causal' : resolvePadding(options.padding, op);
  const describe = (): string => `input shape ${formatShape(x.shape)}, filter shape ${formatShape(filter.shape)}`;
  const [k, fIn, outC] = filter.shape as [number, number, number];
  if (fIn !== x.shape[x.rank - 1]) {
    throw new ShapeError(`${op}: the input has ${x.shape[x.rank - 1]} channels but the filter expects ${fIn} (${describe()})`);
  }
  checkKernelSize(1, k, op, describe);
  const [xc, fc] = common(x, filter);
  const x3 = xc.rank === 3 ? xc : reshape(xc, [1, ...xc.shape]);
  const [batch, width] = x3.shape as [number, number, number];
  const x4 = reshape(x3, [batch, 1, width, fIn]);
  const f4 = reshape(fc, [1, k, fIn, outC]);
  let info: ConvInfo;
  if (padding === 'causal') {
    // Keras: pad (k − 1)·dilation on the left, then a 'valid' convolution.
    info = {
      batch, inH: 1, inW: width, inC: fIn, outH: 1, outW: Math.ceil(width / stride), outC, kH: 1, kW: k,
      strideH: 1, strideW: stride, dilationH: 1, dilationW: dilation, padTop: 0, padLeft: (k - 1) * dilation,
    };
  } else {
    info = convInfo(op, x4.shape, 1, k, outC, { strides: [1, stride], dilations: [1, dilation], padding }, describe);
  }
  const y = conv2dRaw(x4, f4, info);
  return reshape(y, x.rank === 3 ? [batch, info.outW, outC] : [info.outW, outC]);
}
