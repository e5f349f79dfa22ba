// The shared shape of the pooling layers: window arguments, rank checks and config. The 1-D layers
// pool a [batch, steps, channels] input as a [batch, 1, steps, channels] image.
import { reshape } from '../../ops/movement.js';
import type { Pool2dOptions } from '../../ops/pool.js';
import { mean, max } from '../../ops/reduce.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type CallOptions, Layer, type LayerArgs, type LayerInput } from '../layer.js';
import { boolArg, checkDataFormat, choice, intTuple, requireRank } from './args.js';

export interface Pooling2DArgs extends LayerArgs {
  /** Window size, one number for both axes or [height, width] (default [2, 2]). */
  poolSize?: number | readonly [number, number];
  /** Step between windows (default: poolSize). */
  strides?: number | readonly [number, number];
  /** 'valid' (default) or 'same' (padded cells never count). */
  padding?: 'valid' | 'same';
  dataFormat?: 'channelsLast';
}

export interface Pooling1DArgs extends LayerArgs {
  /** Window length (default 2). */
  poolSize?: number | readonly [number];
  /** Step between windows (default: poolSize). */
  strides?: number | readonly [number];
  padding?: 'valid' | 'same';
  dataFormat?: 'channelsLast';
}

/** Windowed pooling over 1 or 2 spatial axes; subclasses pick the 2-D pooling op. */
export abstract class Pooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  private readonly spatialRank: number;

  constructor(args: Pooling2DArgs | Pooling1DArgs, spatialRank: 1 | 2) {
    super(args);
    const cls = this.className;
    this.spatialRank = spatialRank;
    this.poolSize = intTuple(args.poolSize, spatialRank, 2, cls, 'poolSize');
    this.strides = args.strides === undefined || args.strides === null ? [...this.poolSize] : intTuple(args.strides, spatialRank, undefined, cls, 'strides');
    this.padding = choice(args.padding, ['valid', 'same'] as const, cls, 'padding');
    checkDataFormat(args.dataFormat, cls);
  }

  protected abstract pool2d(x: Tensor, options: Pool2dOptions): Tensor;

  protected override checksInputShape(): boolean {
    return false;
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const x = inputs as Tensor;
    if (this.spatialRank === 2) {
      requireRank(this, x.shape, [4], '[batch, height, width, channels]');
      return this.pool2d(x, { poolSize: [this.poolSize[0]!, this.poolSize[1]!], strides: [this.strides[0]!, this.strides[1]!], padding: this.padding });
    }
    requireRank(this, x.shape, [3], '[batch, steps, channels]');
    const [batch, steps, channels] = x.shape as [number, number, number];
    const y = this.pool2d(reshape(x, [batch, 1, steps, channels]), { poolSize: [1, this.poolSize[0]!], strides: [1, this.strides[0]!], padding: this.padding });
    return reshape(y, [batch, y.shape[2]!, channels]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding, dataFormat: 'channelsLast' };
  }
}

export interface GlobalPoolingArgs extends LayerArgs {
  /** Keep the pooled spatial axes with size 1 (default false). */
  keepDims?: boolean;
  dataFormat?: 'channelsLast';
}

/** Reduces every spatial axis (all but batch and channels) by mean or max. */
export abstract class GlobalPooling extends Layer {
  readonly keepDims: boolean;
  private readonly spatialRank: number;
  private readonly reduce: 'mean' | 'max';

  constructor(args: GlobalPoolingArgs, spatialRank: 1 | 2, reduce: 'mean' | 'max') {
    super(args);
    this.keepDims = boolArg(args.keepDims, false, this.className, 'keepDims');
    checkDataFormat(args.dataFormat, this.className);
    this.spatialRank = spatialRank;
    this.reduce = reduce;
  }

  protected override checksInputShape(): boolean {
    return false;
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const x = inputs as Tensor;
    const layout = this.spatialRank === 2 ? '[batch, height, width, channels]' : '[batch, steps, channels]';
    requireRank(this, x.shape, [this.spatialRank + 2], layout);
    const axes = this.spatialRank === 2 ? [1, 2] : [1];
    return this.reduce === 'mean' ? mean(x, axes, { keepDims: this.keepDims }) : max(x, axes, { keepDims: this.keepDims });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), keepDims: this.keepDims, dataFormat: 'channelsLast' };
  }
}
