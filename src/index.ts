// Public API of nabla: explicit named re-exports only. Loading this module attaches the chainable
// tensor methods (see methods.ts) — the one intended side effect, documented in DESIGN.md.
import { attachTensorMethods } from './methods.js';

attachTensorMethods();

// tensor
export { Tensor, type GradNode, type NestedArray } from './tensor/tensor.js';
export { type DType, type DataArray, promoteTypes } from './tensor/dtype.js';
export { NablaError, ShapeError, DTypeError, ValueError, DataError, GradientError } from './tensor/errors.js';
export { type Shape } from './tensor/shape.js';
export { Random, setSeed } from './tensor/random.js';
export { tensor, scalar, full, zeros, ones, zerosLike, onesLike, arange, linspace, eye, type TensorLike } from './tensor/creation.js';
export { randomUniform, randomNormal, truncatedNormal, randomInt, type RandomOptions } from './tensor/random-creation.js';

// backend
export { type Backend, type BackendName } from './backend/backend.js';
export { setBackend, getBackend, listBackends, registerBackend } from './backend/registry.js';

// autograd
export { noGrad, isGradEnabled } from './autograd/tape.js';
export { grad, grads, valueAndGrad, type ValueAndGrads } from './autograd/functional.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from './autograd/gradcheck.js';

// ops: unary
export {
  neg, abs, sign, exp, expm1, log, log1p, sqrt, rsqrt, square, reciprocal, sin, cos, tan, tanh, sigmoid,
  softplus, erf, floor, ceil, round, relu, isNaN, isFinite, logicalNot, cast, clone, detach,
} from './ops/unary.js';
// ops: binary
export {
  add, sub, mul, div, pow, maximum, minimum, mod, atan2, equal, notEqual, less, lessEqual, greater,
  greaterEqual, logicalAnd, logicalOr, logicalXor, where, clip,
} from './ops/binary.js';
// ops: reductions
export { sum, mean, max, min, prod, argmax, argmin, logSumExp, variance, std, any, all, type ReduceOptions, type VarianceOptions } from './ops/reduce.js';
// ops: movement
export { reshape, transpose, permute, expandDims, squeeze, broadcastTo, flatten } from './ops/movement.js';
// ops: linear algebra
export { matmul, outer, dot, type MatmulOptions } from './ops/matmul.js';
// ops: convolution and pooling
export {
  conv2d, depthwiseConv2d, conv2dTranspose, conv1d, conv2dBackpropInput, conv2dBackpropFilter,
  type Conv2dOptions, type Conv1dOptions, type Padding,
} from './ops/conv.js';
export { maxPool2d, avgPool2d, type Pool2dOptions } from './ops/pool.js';
// ops: slicing and indexing
export {
  slice, stridedSlice, flip, concat, stack, split, unstack, pad, tile,
  type SliceSpec, type AxisSpec, type PadMode, type PadOptions,
} from './ops/slicing.js';
export { gather, scatterAdd, oneHot, type Indices, type OneHotOptions } from './ops/gather.js';
// ops: activations and dropout
export {
  leakyRelu, relu6, elu, selu, gelu, softsign, hardSigmoid, swish, silu, mish, softmax, logSoftmax,
  SELU_ALPHA, SELU_SCALE, type GeluOptions,
} from './ops/activation.js';
export { dropout, type DropoutOptions } from './ops/dropout.js';
