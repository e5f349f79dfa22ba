import type { Tensor } from '../../tensor/tensor.js';
import type { LayerArgs } from '../layer.js';
import { checkDataFormat, requireRank } from './args.js';
import { Dropout } from './dropout.js';

export interface SpatialDropout2DArgs extends LayerArgs {
  /** Fraction of the channels to drop, in [0, 1). */
  rate: number;
  seed?: number;
  dataFormat?: 'channelsLast';
}

/**
 * Drops whole feature maps (Keras' SpatialDropout2D): in training, each channel of each sample of
 * [batch, height, width, channels] is zeroed with probability `rate`, the others scaled by 1/(1 − rate).
 */
export class SpatialDropout2D extends Dropout {
  static override readonly className = 'SpatialDropout2D';

  constructor(args: SpatialDropout2DArgs) {
    super({ ...args, noiseShape: undefined });
    checkDataFormat(args.dataFormat, 'SpatialDropout2D');
  }

  protected override maskShape(x: Tensor): readonly (number | null)[] {
    requireRank(this, x.shape, [4], '[batch, height, width, channels]');
    return [x.shape[0]!, 1, 1, x.shape[3]!];
  }

  override getConfig(): Record<string, unknown> {
    const { noiseShape: _, ...config } = super.getConfig();
    return { ...config, dataFormat: 'channelsLast' };
  }
}
