import { dropout } from '../../ops/dropout.js';
import { ValueError } from '../../tensor/errors.js';
import { Random } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type CallOptions, Layer, type LayerArgs, type LayerInput } from '../layer.js';
import { rateArg } from './args.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  /**
   * Shape of the keep/drop mask, broadcast against the input (null entries take the input's size):
   * [null, 1, null] drops the same features at every time step.
   */
  noiseShape?: readonly (number | null)[];
  /** Seeds the layer's own generator: the sequence of masks is reproducible. */
  seed?: number;
}

/**
 * Inverted dropout (Keras' Dropout): during training (`{training: true}`, as fit() calls it) each
 * element is zeroed with probability `rate` and the others scaled by 1/(1 − rate); otherwise the
 * identity.
 */
export class Dropout extends Layer {
  static override readonly className: string = 'Dropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  private readonly random: Random | null;

  constructor(args: DropoutArgs) {
    super(args);
    const cls = this.className;
    this.rate = rateArg(args?.rate, cls);
    const ns = args.noiseShape as unknown;
    if (ns !== undefined && ns !== null && !(Array.isArray(ns) && ns.every((d) => d === null || (Number.isInteger(d) && d >= 0)))) {
      throw new ValueError(`${cls}: noiseShape must be a list of non-negative integers or nulls, got ${JSON.stringify(ns)}`);
    }
    this.noiseShape = Array.isArray(ns) ? [...(ns as (number | null)[])] : null;
    if (args.seed !== undefined && args.seed !== null && !Number.isFinite(args.seed)) {
      throw new ValueError(`${cls}: seed must be a finite number, got ${String(args.seed)}`);
    }
    this.seed = args.seed ?? null;
    this.random = this.seed === null ? null : new Random(this.seed);
  }

  protected override checksInputShape(): boolean {
    return false;
  }

  /** The mask shape for input `x` (null: elementwise). */
  protected maskShape(x: Tensor): readonly (number | null)[] | undefined {
    return this.noiseShape ?? undefined;
  }

  call(inputs: LayerInput, options: CallOptions): Tensor {
    const x = inputs as Tensor;
    const noiseShape = this.maskShape(x);
    if (options.training !== true || this.rate === 0) return x;
    // A fresh mask per call; with a seed, the sequence of masks is reproducible.
    const seed = this.random === null ? undefined : this.random.nextUint32();
    return dropout(x, this.rate, { noiseShape, seed, training: true });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seed };
  }
}
