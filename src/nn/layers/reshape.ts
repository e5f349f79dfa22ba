import { reshape } from '../../ops/movement.js';
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type CallOptions, Layer, type LayerArgs, type LayerInput } from '../layer.js';

export interface ReshapeArgs extends LayerArgs {
  /** The per-sample output shape (batch axis excluded); one entry may be -1, inferred from the size. */
  targetShape: readonly number[];
}

/** Reshapes each sample to `targetShape`: [batch, …] → [batch, …targetShape] (Keras' Reshape). */
export class Reshape extends Layer {
  static override readonly className = 'Reshape';
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(args);
    const t = args?.targetShape as unknown;
    const ok = Array.isArray(t) && t.every((d) => typeof d === 'number' && Number.isInteger(d) && (d > 0 || d === -1));
    if (!ok || (t as number[]).filter((d) => d === -1).length > 1) {
      throw new ValueError(`Reshape: targetShape must be a list of positive integers with at most one -1, got ${JSON.stringify(t)}`);
    }
    this.targetShape = [...(t as number[])];
  }

  call(inputs: LayerInput, _options: CallOptions): Tensor {
    const x = inputs as Tensor;
    const size = x.shape.slice(1).reduce((a, b) => a * b, 1);
    const known = this.targetShape.reduce((a, d) => (d === -1 ? a : a * d), 1);
    const unknown = this.targetShape.indexOf(-1);
    const fits = unknown >= 0 ? known > 0 && size % known === 0 : known === size;
    if (!fits) {
      throw new ShapeError(
        `${this.name} (Reshape): cannot reshape input of shape ${formatShape(x.shape)} (${size} values per sample) to targetShape ${formatShape(this.targetShape)}`,
      );
    }
    const shape = this.targetShape.map((d) => (d === -1 ? size / known : d));
    return reshape(x, [x.shape[0]!, ...shape]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}
