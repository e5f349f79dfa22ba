import { pad } from '../../ops/slicing.js';
import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type CallOptions, Layer, type LayerArgs, type LayerInput } from '../layer.js';
import { checkDataFormat, requireRank } from './args.js';

type PadPair = readonly [number, number];

export interface ZeroPadding2DArgs extends LayerArgs {
  /**
   * Rows and columns of zeros to add: n (all four sides), [h, w] (top and bottom h, left and right w),
   * or [[top, bottom], [left, right]]. Default 1.
   */
  padding?: number | PadPair | readonly [PadPair, PadPair];
  dataFormat?: 'channelsLast';
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Pads height and width of [batch, height, width, channels] with zeros (Keras' ZeroPadding2D). */
export class ZeroPadding2D extends Layer {
  static override readonly className = 'ZeroPadding2D';
  /** [[top, bottom], [left, right]]. */
  readonly padding: [[number, number], [number, number]];

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args);
    checkDataFormat(args.dataFormat, 'ZeroPadding2D');
    const p = (args.padding ?? 1) as unknown;
    if (isCount(p)) {
      this.padding = [[p, p], [p, p]];
    } else if (Array.isArray(p) && p.length === 2 && p.every(isCount)) {
      const [h, w] = p as [number, number];
      this.padding = [[h, h], [w, w]];
    } else if (Array.isArray(p) && p.length === 2 && p.every((q) => Array.isArray(q) && q.length === 2 && q.every(isCount))) {
      const [[t, b], [l, r]] = p as [[number, number], [number, number]];
      this.padding = [[t, b], [l, r]];
    } else {
      throw new ValueError(
        `ZeroPadding2D: padding must be a non-negative integer, [height, width] or [[top, bottom], [left, right]] of them, got ${JSON.stringify(p)}`,
      );
    }
  }

  protected override checksInputShape(): boolean {
    return false;
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const x = inputs as Tensor;
    requireRank(this, x.shape, [4], '[batch, height, width, channels]');
    return pad(x, [[0, 0], this.padding[0], this.padding[1], [0, 0]]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((q) => [...q]), dataFormat: 'channelsLast' };
  }
}
