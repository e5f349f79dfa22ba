// Chainable tensor methods (`x.matmul(w).relu().sum()`). This is the one module allowed to reach
// from tensor/ up to ops/: it adds the methods to Tensor.prototype and declares their types by
// declaration merging. index.ts calls attachTensorMethods() once.
import { backward } from './autograd/backward.js';
import type { DType } from './tensor/dtype.js';
import type { Shape } from './tensor/shape.js';
import { Tensor } from './tensor/tensor.js';
import * as activation from './ops/activation.js';
import * as binary from './ops/binary.js';
import * as matmulOps from './ops/matmul.js';
import * as convOps from './ops/conv.js';
import * as poolOps from './ops/pool.js';
import * as movement from './ops/movement.js';
import * as reduce from './ops/reduce.js';
import * as gatherOps from './ops/gather.js';
import * as slicing from './ops/slicing.js';
import * as unary from './ops/unary.js';
import type { TensorOrScalar } from './ops/util.js';

type Axes = number | readonly number[];

declare module './tensor/tensor.js' {
  interface Tensor {
    /** Fills `.grad` on the leaves this tensor depends on; needs a seed unless this tensor has one element. */
    backward(seed?: Tensor): void;
    // unary
    neg(): Tensor; abs(): Tensor; sign(): Tensor; exp(): Tensor; expm1(): Tensor; log(): Tensor;
    log1p(): Tensor; sqrt(): Tensor; rsqrt(): Tensor; square(): Tensor; reciprocal(): Tensor;
    sin(): Tensor; cos(): Tensor; tan(): Tensor; tanh(): Tensor; sigmoid(): Tensor; softplus(): Tensor;
    erf(): Tensor; floor(): Tensor; ceil(): Tensor; round(): Tensor; relu(): Tensor; isNaN(): Tensor;
    isFinite(): Tensor; logicalNot(): Tensor;
    cast(dtype: DType): Tensor; clone(): Tensor; detach(): Tensor;
    // binary
    add(b: TensorOrScalar): Tensor; sub(b: TensorOrScalar): Tensor; mul(b: TensorOrScalar): Tensor;
    div(b: TensorOrScalar): Tensor; pow(b: TensorOrScalar): Tensor; maximum(b: TensorOrScalar): Tensor;
    minimum(b: TensorOrScalar): Tensor; mod(b: TensorOrScalar): Tensor;
    equal(b: TensorOrScalar): Tensor; notEqual(b: TensorOrScalar): Tensor; less(b: TensorOrScalar): Tensor;
    lessEqual(b: TensorOrScalar): Tensor; greater(b: TensorOrScalar): Tensor; greaterEqual(b: TensorOrScalar): Tensor;
    logicalAnd(b: TensorOrScalar): Tensor; logicalOr(b: TensorOrScalar): Tensor; logicalXor(b: TensorOrScalar): Tensor;
    clip(min: number, max: number): Tensor;
    // reductions
    sum(axes?: Axes, options?: reduce.ReduceOptions): Tensor; mean(axes?: Axes, options?: reduce.ReduceOptions): Tensor;
    max(axes?: Axes, options?: reduce.ReduceOptions): Tensor; min(axes?: Axes, options?: reduce.ReduceOptions): Tensor;
    prod(axes?: Axes, options?: reduce.ReduceOptions): Tensor; argmax(axis?: number): Tensor; argmin(axis?: number): Tensor;
    logSumExp(axes?: Axes, options?: reduce.ReduceOptions): Tensor;
    variance(axes?: Axes, options?: reduce.VarianceOptions): Tensor; std(axes?: Axes, options?: reduce.VarianceOptions): Tensor;
    any(axes?: Axes, options?: reduce.ReduceOptions): Tensor; all(axes?: Axes, options?: reduce.ReduceOptions): Tensor;
    // movement
    reshape(shape: Shape): Tensor; transpose(perm?: readonly number[]): Tensor; permute(perm: readonly number[]): Tensor;
    expandDims(axis?: number): Tensor; squeeze(axes?: Axes): Tensor; broadcastTo(shape: Shape): Tensor; flatten(): Tensor;
    // linear algebra
    matmul(b: Tensor, options?: matmulOps.MatmulOptions): Tensor; dot(b: Tensor): Tensor;
    // convolution and pooling
    conv2d(filter: Tensor, options?: convOps.Conv2dOptions): Tensor;
    maxPool2d(options: poolOps.Pool2dOptions): Tensor; avgPool2d(options: poolOps.Pool2dOptions): Tensor;
    // slicing and indexing
    slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor;
    stridedSlice(specs: readonly slicing.AxisSpec[]): Tensor; flip(axes?: Axes): Tensor; tile(reps: readonly number[]): Tensor;
    pad(paddings: readonly (readonly [number, number])[], options?: slicing.PadOptions): Tensor;
    split(numOrSizes: number | readonly number[], axis?: number): Tensor[]; unstack(axis?: number): Tensor[];
    gather(indices: gatherOps.Indices, axis?: number): Tensor;
    // activations
    leakyRelu(alpha?: number): Tensor; elu(alpha?: number): Tensor; selu(): Tensor;
    gelu(options?: activation.GeluOptions): Tensor; softmax(axis?: number): Tensor; logSoftmax(axis?: number): Tensor;
    swish(beta?: number): Tensor;
  }
}

type Method = (this: Tensor, ...args: never[]) => unknown;

/** Turns `op(x, ...rest)` into a method `x.op(...rest)`. */
function method<A extends unknown[], R>(op: (x: Tensor, ...rest: A) => R): (this: Tensor, ...rest: A) => R {
  return function (this: Tensor, ...rest: A): R {
    return op(this, ...rest);
  };
}

function methodsOf(ops: Record<string, unknown>, names: readonly string[]): Record<string, Method> {
  const out: Record<string, Method> = {};
  for (const name of names) {
    const op = ops[name];
    if (typeof op !== 'function') throw new Error(`methods: ${name} is not an op`);
    out[name] = method(op as (x: Tensor, ...rest: never[]) => unknown) as Method;
  }
  return out;
}

let attached = false;

export function attachTensorMethods(): void {
  if (attached) return;
  attached = true;
  Object.assign(
    Tensor.prototype,
    { backward: method(backward) },
    methodsOf(unary, [
      'neg', 'abs', 'sign', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'sin', 'cos', 'tan',
      'tanh', 'sigmoid', 'softplus', 'erf', 'floor', 'ceil', 'round', 'relu', 'isNaN', 'isFinite', 'logicalNot',
      'cast', 'clone', 'detach',
    ]),
    methodsOf(binary, [
      'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'mod', 'equal', 'notEqual', 'less', 'lessEqual', 'greater',
      'greaterEqual', 'logicalAnd', 'logicalOr', 'logicalXor', 'clip',
    ]),
    methodsOf(reduce, ['sum', 'mean', 'max', 'min', 'prod', 'argmax', 'argmin', 'logSumExp', 'variance', 'std', 'any', 'all']),
    methodsOf(movement, ['reshape', 'transpose', 'permute', 'expandDims', 'squeeze', 'broadcastTo', 'flatten']),
    methodsOf(matmulOps, ['matmul', 'dot']),
    methodsOf(convOps, ['conv2d']),
    methodsOf(poolOps, ['maxPool2d', 'avgPool2d']),
    methodsOf(slicing, ['slice', 'stridedSlice', 'flip', 'tile', 'pad', 'split', 'unstack']),
    methodsOf(gatherOps, ['gather']),
    methodsOf(activation, ['leakyRelu', 'elu', 'selu', 'gelu', 'softmax', 'logSoftmax', 'swish']),
  );
}
