// The built-in layers: classes, their argument types, the `layers` factories under TensorFlow.js's
// names (nb.layers.dense({...}) is new Dense({...})), and LAYER_CLASSES for deserialization.
// No side effects: everything here is a plain declaration.
import type { Layer } from '../layer.js';
import { Activation, type ActivationArgs } from './activation.js';
import { AveragePooling1D } from './average-pooling1d.js';
import { AveragePooling2D } from './average-pooling2d.js';
import { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
import { Concatenate, type ConcatenateArgs } from './concatenate.js';
import { Conv1D, type Conv1DArgs } from './conv1d.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { Conv2DTranspose, type Conv2DTransposeArgs } from './conv2d-transpose.js';
import { Dense, type DenseArgs } from './dense.js';
import { DepthwiseConv2D, type DepthwiseConv2DArgs } from './depthwise-conv2d.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { Flatten, type FlattenArgs } from './flatten.js';
import { GlobalAveragePooling1D } from './global-average-pooling1d.js';
import { GlobalAveragePooling2D } from './global-average-pooling2d.js';
import { GlobalMaxPooling1D } from './global-max-pooling1d.js';
import { GlobalMaxPooling2D } from './global-max-pooling2d.js';
import { InputLayer, type InputLayerArgs } from './input-layer.js';
import { LayerNormalization, type LayerNormalizationArgs } from './layer-normalization.js';
import { MaxPooling1D } from './max-pooling1d.js';
import { MaxPooling2D } from './max-pooling2d.js';
import { Add, Average, Maximum, type MergeArgs, Minimum, Multiply, Subtract } from './merge.js';
import { Permute, type PermuteArgs } from './permute.js';
import type { GlobalPoolingArgs, Pooling1DArgs, Pooling2DArgs } from './pooling.js';
import { RepeatVector, type RepeatVectorArgs } from './repeat-vector.js';
import { Reshape, type ReshapeArgs } from './reshape.js';
import { SeparableConv2D, type SeparableConv2DArgs } from './separable-conv2d.js';
import { SpatialDropout2D, type SpatialDropout2DArgs } from './spatial-dropout2d.js';
import { UpSampling2D, type UpSampling2DArgs } from './up-sampling2d.js';
import { ZeroPadding2D, type ZeroPadding2DArgs } from './zero-padding2d.js';

export {
  Activation, type ActivationArgs, AveragePooling1D, AveragePooling2D, BatchNormalization, type BatchNormalizationArgs,
  Concatenate, type ConcatenateArgs, Conv1D, type Conv1DArgs, Conv2D, type Conv2DArgs, Conv2DTranspose, type Conv2DTransposeArgs,
  Dense, type DenseArgs, DepthwiseConv2D, type DepthwiseConv2DArgs, Dropout, type DropoutArgs, Flatten, type FlattenArgs,
  GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D, InputLayer, type InputLayerArgs,
  LayerNormalization, type LayerNormalizationArgs, MaxPooling1D, MaxPooling2D, Add, Subtract, Multiply, Average, Maximum, Minimum,
  type MergeArgs, Permute, type PermuteArgs, type GlobalPoolingArgs, type Pooling1DArgs, type Pooling2DArgs, RepeatVector,
  type RepeatVectorArgs, Reshape, type ReshapeArgs, SeparableConv2D, type SeparableConv2DArgs, SpatialDropout2D,
  type SpatialDropout2DArgs, UpSampling2D, type UpSampling2DArgs, ZeroPadding2D, type ZeroPadding2DArgs,
};
export { input, type InputArgs } from './input-layer.js';
export { BaseConv, type BaseConvArgs, type ConvPadding } from './conv-base.js';
export { Merge } from './merge.js';
export { GlobalPooling, Pooling } from './pooling.js';
export type { ConstraintArg, RegularizerArg } from './args.js';

/** Layer factories with TensorFlow.js's names: `layers.conv2d(args)` is `new Conv2D(args)`. */
export const layers = {
  dense: (args: DenseArgs): Dense => new Dense(args),
  conv1d: (args: Conv1DArgs): Conv1D => new Conv1D(args),
  conv2d: (args: Conv2DArgs): Conv2D => new Conv2D(args),
  conv2dTranspose: (args: Conv2DTransposeArgs): Conv2DTranspose => new Conv2DTranspose(args),
  depthwiseConv2d: (args: DepthwiseConv2DArgs): DepthwiseConv2D => new DepthwiseConv2D(args),
  separableConv2d: (args: SeparableConv2DArgs): SeparableConv2D => new SeparableConv2D(args),
  maxPooling1d: (args: Pooling1DArgs = {}): MaxPooling1D => new MaxPooling1D(args),
  maxPooling2d: (args: Pooling2DArgs = {}): MaxPooling2D => new MaxPooling2D(args),
  averagePooling1d: (args: Pooling1DArgs = {}): AveragePooling1D => new AveragePooling1D(args),
  averagePooling2d: (args: Pooling2DArgs = {}): AveragePooling2D => new AveragePooling2D(args),
  globalAveragePooling1d: (args: GlobalPoolingArgs = {}): GlobalAveragePooling1D => new GlobalAveragePooling1D(args),
  globalAveragePooling2d: (args: GlobalPoolingArgs = {}): GlobalAveragePooling2D => new GlobalAveragePooling2D(args),
  globalMaxPooling1d: (args: GlobalPoolingArgs = {}): GlobalMaxPooling1D => new GlobalMaxPooling1D(args),
  globalMaxPooling2d: (args: GlobalPoolingArgs = {}): GlobalMaxPooling2D => new GlobalMaxPooling2D(args),
  flatten: (args: FlattenArgs = {}): Flatten => new Flatten(args),
  reshape: (args: ReshapeArgs): Reshape => new Reshape(args),
  permute: (args: PermuteArgs): Permute => new Permute(args),
  repeatVector: (args: RepeatVectorArgs): RepeatVector => new RepeatVector(args),
  dropout: (args: DropoutArgs): Dropout => new Dropout(args),
  spatialDropout2d: (args: SpatialDropout2DArgs): SpatialDropout2D => new SpatialDropout2D(args),
  batchNormalization: (args: BatchNormalizationArgs = {}): BatchNormalization => new BatchNormalization(args),
  layerNormalization: (args: LayerNormalizationArgs = {}): LayerNormalization => new LayerNormalization(args),
  activation: (args: ActivationArgs): Activation => new Activation(args),
  zeroPadding2d: (args: ZeroPadding2DArgs = {}): ZeroPadding2D => new ZeroPadding2D(args),
  upSampling2d: (args: UpSampling2DArgs = {}): UpSampling2D => new UpSampling2D(args),
  add: (args: MergeArgs = {}): Add => new Add(args),
  subtract: (args: MergeArgs = {}): Subtract => new Subtract(args),
  multiply: (args: MergeArgs = {}): Multiply => new Multiply(args),
  average: (args: MergeArgs = {}): Average => new Average(args),
  maximum: (args: MergeArgs = {}): Maximum => new Maximum(args),
  minimum: (args: MergeArgs = {}): Minimum => new Minimum(args),
  concatenate: (args: ConcatenateArgs = {}): Concatenate => new Concatenate(args),
  inputLayer: (args: InputLayerArgs): InputLayer => new InputLayer(args),
};

/** A layer class as the registry holds it: constructible from its getConfig() output. */
// The parameter is `never` so that every layer class fits whatever its argument type; callers pass
// a saved config with `as never` after checking the class name.
export type LayerClass = (new (config: never) => Layer) & { readonly className: string };

/** The built-in layer classes by className, for rebuilding a model from its saved topology. */
export const LAYER_CLASSES: Readonly<Record<string, LayerClass>> = Object.freeze({
  Activation, Add, Average, AveragePooling1D, AveragePooling2D, BatchNormalization, Concatenate, Conv1D, Conv2D, Conv2DTranspose,
  Dense, DepthwiseConv2D, Dropout, Flatten, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D,
  InputLayer, LayerNormalization, MaxPooling1D, MaxPooling2D, Maximum, Minimum, Multiply, Permute, RepeatVector, Reshape,
  SeparableConv2D, SpatialDropout2D, Subtract, UpSampling2D, ZeroPadding2D,
});
