import type { DataArray, DType } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';

/**
 * The kernel interface every backend implements. Kernels take typed arrays plus shapes and write
 * into a preallocated output, so a native or wasm backend can work on the tensors' own memory.
 * Shapes, dtype promotion, validation and gradients live in ops/, never in a backend.
 */

export const UNARY_OPS = [
  'neg', 'abs', 'sign', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'reciprocal',
  'sin', 'cos', 'tan', 'tanh', 'sigmoid', 'erf', 'floor', 'ceil', 'round', 'isNaN', 'isFinite',
  'relu', 'logicalNot', 'softplus',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

export const BINARY_OPS = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'mod', 'atan2',
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual',
  'logicalAnd', 'logicalOr', 'logicalXor',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

export const REDUCE_OPS = ['sum', 'prod', 'max', 'min', 'any', 'all'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

export type ArgReduceOp = 'argmax' | 'argmin';

/** A batched product out[b] = op(A[b]) · op(B[b]); a batch stride of 0 reuses one matrix for every batch. */
export interface MatmulInfo {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  aBatchStride: number;
  bBatchStride: number;
}

/** Geometry of a 2-D convolution in NHWC layout with an HWIO filter ([kH, kW, inC, outC]). */
export interface ConvInfo {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
}

/** Geometry of a depthwise convolution: filter [kH, kW, inC, multiplier], output channels inC·multiplier. */
export interface DepthwiseInfo extends ConvInfo {
  multiplier: number;
}

/** Geometry of 2-D pooling in NHWC layout; padded cells are ignored (not counted in averages). */
export interface PoolInfo {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** Hyper-parameters of one Adam/AdamW step; `step` counts from 1 (bias correction). */
export interface AdamParams {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  step: number;
  /** L2 penalty added to the gradient (Adam) or decoupled decay applied to the weights (AdamW). */
  weightDecay: number;
  decoupled: boolean;
}

/** Hyper-parameters of one SGD step; momentum 0 needs no velocity buffer. */
export interface SgdParams {
  lr: number;
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
}

export type BackendName = 'cpu' | 'wasm' | 'native';

export interface Backend {
  readonly name: BackendName;
  /** Sets the number of threads the backend's kernels use, the calling thread included (where it has a pool). */
  setThreads?(n: number): void;
  /**
   * Storage of `size` elements for a new tensor, owned by the backend (recycled native memory, the
   * wasm backend's memory); undefined leaves it to a plain typed array. Zero-filled unless
   * `zeroed` is false, which callers pass only when this backend's kernel writes every element.
   */
  allocate?(dtype: DType, size: number, zeroed?: boolean): DataArray | undefined;
  /** out[i] = op(x[i]); x and out have the same length. */
  unary(op: UnaryOp, x: DataArray, out: DataArray): void;
  /** NumPy-broadcast elementwise op; out has `outShape`. */
  binary(op: BinaryOp, a: DataArray, aShape: Shape, b: DataArray, bShape: Shape, out: DataArray, outShape: Shape): void;
  /** out = cond ? a : b with broadcasting of all three to `outShape`. */
  where(cond: Uint8Array, condShape: Shape, a: DataArray, aShape: Shape, b: DataArray, bShape: Shape, out: DataArray, outShape: Shape): void;
  /** Reduces x viewed as [outer, n, inner] over the middle axis into out of size outer·inner. */
  reduce(op: ReduceOp, x: DataArray, outer: number, n: number, inner: number, out: DataArray): void;
  /** Index of the first maximum/minimum of x viewed as [outer, n, inner] along the middle axis. */
  argReduce(op: ArgReduceOp, x: DataArray, outer: number, n: number, inner: number, out: Int32Array): void;
  /**
   * Copies `shape` elements: dst[dstOffset + Σ i·dstStrides] = src[srcOffset + Σ i·srcStrides].
   * Strides may be 0 (broadcast) or negative (flip); this one kernel serves transpose, slice,
   * broadcast, flip, tile, concat and pad.
   */
  copyStrided(src: DataArray, srcOffset: number, srcStrides: readonly number[], dst: DataArray, dstOffset: number, dstStrides: readonly number[], shape: Shape): void;
  /** out[o, j, i] = x[o, indices[j], i] for x viewed as [outer, n, inner]. Indices are already validated. */
  gather(x: DataArray, outer: number, n: number, inner: number, indices: Int32Array, out: DataArray): void;
  /** out[o, indices[j], i] += updates[o, j, i] for out viewed as [outer, n, inner]. */
  scatterAdd(updates: DataArray, outer: number, n: number, inner: number, indices: Int32Array, out: DataArray): void;
  matmul(a: DataArray, b: DataArray, out: DataArray, info: MatmulInfo): void;
  conv2d(x: DataArray, filter: DataArray, out: DataArray, info: ConvInfo): void;
  conv2dBackpropInput(dy: DataArray, filter: DataArray, dx: DataArray, info: ConvInfo): void;
  conv2dBackpropFilter(x: DataArray, dy: DataArray, dFilter: DataArray, info: ConvInfo): void;
  depthwiseConv2d(x: DataArray, filter: DataArray, out: DataArray, info: DepthwiseInfo): void;
  depthwiseConv2dBackpropInput(dy: DataArray, filter: DataArray, dx: DataArray, info: DepthwiseInfo): void;
  depthwiseConv2dBackpropFilter(x: DataArray, dy: DataArray, dFilter: DataArray, info: DepthwiseInfo): void;
  maxPool2d(x: DataArray, out: DataArray, info: PoolInfo): void;
  /** dx (zero-filled by the caller) receives dy at the position of each window's first maximum. */
  maxPool2dBackprop(dy: DataArray, x: DataArray, dx: DataArray, info: PoolInfo): void;
  avgPool2d(x: DataArray, out: DataArray, info: PoolInfo): void;
  avgPool2dBackprop(dy: DataArray, dx: DataArray, info: PoolInfo): void;
  /** out[r, c] = act(x[r, c] + bias[c]) for a [rows, cols] matrix. */
  biasActivation(x: DataArray, bias: DataArray, out: DataArray, rows: number, cols: number, act: FusedActivation): void;
  /**
   * out[i] = dy[i] · act′ at the point whose activation is y[i], the derivative written in terms of
   * the output (relu: y > 0; sigmoid: y(1 − y); tanh: 1 − y²; linear: 1), so backward needs no input.
   */
  activationGrad(act: FusedActivation, y: DataArray, dy: DataArray, out: DataArray): void;
  /**
   * Optional fused forms of matmul and conv2d: out = act(product + bias), the bias (or null) along
   * the last axis, applied to each output tile while it is in cache. Without them, ops run the
   * plain kernel and then biasActivation in place.
   */
  matmulBiasActivation?(a: DataArray, b: DataArray, bias: DataArray | null, out: DataArray, info: MatmulInfo, act: FusedActivation): void;
  conv2dBiasActivation?(x: DataArray, filter: DataArray, bias: DataArray | null, out: DataArray, info: ConvInfo, act: FusedActivation): void;
  /** Softmax (or log-softmax) of each length-n row of x, viewed as [rows, n]. */
  softmax(x: DataArray, out: DataArray, rows: number, n: number, log: boolean): void;
  /**
   * Row-wise cross-entropy of softmax(logits) against target probabilities, both [rows, n]: writes
   * loss[r] = −Σ t·log softmax(z), and, when `grad` is given, grad = softmax(z) − t.
   */
  softmaxCrossEntropy(logits: DataArray, targets: DataArray, loss: DataArray, grad: DataArray | null, rows: number, n: number): void;
  /** In-place SGD update of `param`; `velocity` is required when momentum > 0. */
  sgdUpdate(param: DataArray, grad: DataArray, velocity: DataArray | null, p: SgdParams): void;
  /** In-place Adam/AdamW update of `param` and its moment buffers; flushes subnormal moments to zero. */
  adamUpdate(param: DataArray, grad: DataArray, m: DataArray, v: DataArray, p: AdamParams): void;
}

export type KernelName = Exclude<keyof Backend, 'name' | 'setThreads' | 'allocate' | 'matmulBiasActivation' | 'conv2dBiasActivation'>;
