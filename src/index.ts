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
export { setBackend, getBackend, listBackends, registerBackend, setNumThreads } from './backend/registry.js';

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
export { matmul, matmulBiasActivation, outer, dot, type MatmulOptions } from './ops/matmul.js';
// ops: convolution and pooling
export {
  conv2d, conv2dBiasActivation, depthwiseConv2d, conv2dTranspose, conv1d, conv2dBackpropInput, conv2dBackpropFilter,
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
export { biasActivation, type FusedActivation } from './ops/bias-activation.js';

// neural-network building blocks
export { Layer, type LayerArgs, type CallOptions } from './nn/layer.js';
export { Variable } from './nn/variable.js';
export { SymbolicTensor } from './nn/symbolic.js';
export { losses, getLoss, type Loss, type LossLike } from './nn/losses.js';
export { metrics, getMetric, type Metric, type MetricLike } from './nn/metrics.js';
export { initializers, type Initializer } from './nn/initializers.js';
export { regularizers, type Regularizer } from './nn/regularizers.js';
export { constraints, type Constraint } from './nn/constraints.js';
export { getActivation, type ActivationName } from './nn/activations.js';
export { input, LAYER_CLASSES } from './nn/layers/index.js';
export { layers } from './layers.js';
export { registerLayer, layerClassNames } from './nn/layer-registry.js';
export { softmaxCrossEntropyWithLogits, sigmoidCrossEntropyWithLogits } from './ops/cross-entropy.js';

// optimizers
export { Optimizer, type OptimizerArgs } from './optim/optimizer.js';
export { optimizers, getOptimizer } from './optim/optimizers.js';
export { schedules, type LearningRateSchedule } from './optim/schedules.js';
export { SGD } from './optim/sgd.js';
export { Adam, AdamW } from './optim/adam.js';
export { RMSprop, Adagrad, Adadelta, Adamax, Nadam } from './optim/adaptive.js';

// models and training
export { Model } from './train/model.js';
export { Sequential, type SequentialArgs } from './train/sequential.js';
export { Functional, type FunctionalArgs } from './train/functional.js';
export { History } from './train/history.js';
export { Callback, type Logs } from './train/callbacks/callback.js';
export { type FitArgs, type EvaluateArgs } from './train/fit-loop.js';
export { type CompileArgs } from './train/compiled.js';
export { sequential, model } from './train/factories.js';
export {
  callbacks, CallbackList, ProgbarLogger, EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler, CSVLogger,
  TerminateOnNaN, LambdaCallback,
} from './train/callbacks/index.js';
export { summary, type SummaryArgs } from './train/summary.js';

// saving and loading
export { save, saveWeights, loadModel, loadWeights, encodeSafetensors, decodeSafetensors, type SaveOptions, type LoadOptions } from './io/index.js';

// data: pipelines, images, text and audio
export { data, Dataset, mapInWorkers, WorkerPool, type MapOptions, type BatchOptions, type ShuffleOptions } from './data/index.js';
export { image, ImageDataGenerator, DirectoryIterator, ImageFolderDataset, type ImageDataGeneratorOptions, type FlowFromDirectoryOptions } from './data/image/index.js';
export * as text from './data/text/index.js';
export * as audio from './data/audio/index.js';
export { datasets, trainTestSplit } from './data/datasets/index.js';
