import { add, mul } from '../../ops/binary.js';
import { gather } from '../../ops/gather.js';
import { broadcastTo, reshape } from '../../ops/movement.js';
import { cast } from '../../ops/unary.js';
import { allocate, isFloat } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { type CallOptions, Layer, type LayerArgs, type LayerInput } from '../layer.js';
import { checkDataFormat, choice, intTuple, requireRank } from './args.js';

export interface UpSampling2DArgs extends LayerArgs {
  /** Upsampling factors for rows and columns: one number or [height, width] (default [2, 2]). */
  size?: number | readonly [number, number];
  /** 'nearest' (default: repeats rows and columns) or 'bilinear'. */
  interpolation?: 'nearest' | 'bilinear';
  dataFormat?: 'channelsLast';
}

/**
 * Bilinear resampling of one axis by an integer factor, with TensorFlow 2's half-pixel centers
 * (tf.image.resize, which Keras' UpSampling2D uses): out[i] = lerp(x[lo], x[hi], frac) at source
 * position (i + 0.5)/factor − 0.5, clamped to the edges.
 */
function resizeAxis(x: Tensor, axis: number, factor: number): Tensor {
  const n = x.shape[axis]!;
  const m = n * factor;
  const lo: number[] = [];
  const hi: number[] = [];
  const frac = allocate(x.dtype, m);
  for (let i = 0; i < m; i++) {
    const src = (i + 0.5) / factor - 0.5;
    const f = Math.floor(src);
    lo.push(Math.max(f, 0));
    hi.push(Math.min(Math.ceil(src), n - 1));
    frac[i] = src - f;
  }
  const wShape = x.shape.map((_, a) => (a === axis ? m : 1));
  const w1 = new Tensor(frac, wShape, x.dtype);
  const w0 = new Tensor(frac.map((v) => 1 - v), wShape, x.dtype);
  return add(mul(gather(x, lo, axis), w0), mul(gather(x, hi, axis), w1));
}

/** Upsamples height and width of [batch, height, width, channels] by integer factors (Keras' UpSampling2D). */
export class UpSampling2D extends Layer {
  static override readonly className = 'UpSampling2D';
  readonly size: [number, number];
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(args: UpSampling2DArgs = {}) {
    super(args);
    const [h, w] = intTuple(args.size, 2, 2, 'UpSampling2D', 'size');
    this.size = [h!, w!];
    this.interpolation = choice(args.interpolation, ['nearest', 'bilinear'] as const, 'UpSampling2D', 'interpolation');
    checkDataFormat(args.dataFormat, 'UpSampling2D');
  }

  protected override checksInputShape(): boolean {
    return false;
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const x = inputs as Tensor;
    requireRank(this, x.shape, [4], '[batch, height, width, channels]');
    const [sh, sw] = this.size;
    if (this.interpolation === 'bilinear') {
      const xf = isFloat(x.dtype) ? x : cast(x, 'float32');
      return resizeAxis(resizeAxis(xf, 1, sh), 2, sw);
    }
    const [b, h, w, c] = x.shape as [number, number, number, number];
    const spread = broadcastTo(reshape(x, [b, h, 1, w, 1, c]), [b, h, sh, w, sw, c]);
    return reshape(spread, [b, h * sh, w * sw, c]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: [...this.size], interpolation: this.interpolation, dataFormat: 'channelsLast' };
  }
}
