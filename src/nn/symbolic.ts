import type { DType } from '../tensor/dtype.js';
import type { Layer } from './layer.js';

/** A shape whose batch (or any unknown) dimension is null, as in Keras' `(None, 784)`. */
export type SymbolicShape = readonly (number | null)[];

/**
 * A placeholder flowing through the functional API: `nb.input({shape})` creates one and calling a
 * layer on it records the connection instead of computing values.
 */
export class SymbolicTensor {
  constructor(
    readonly shape: SymbolicShape,
    readonly dtype: DType,
    /** The layer that produced it (an InputLayer for model inputs). */
    readonly layer: Layer,
    /** The symbolic inputs the layer was called on (empty for an input). */
    readonly inputs: readonly SymbolicTensor[],
    /** Which output of the layer call this is. */
    readonly outputIndex: number,
    /** Whether the layer was called with a list of inputs (merge layers), even a list of one. */
    readonly listCall: boolean = false,
  ) {}

  get rank(): number {
    return this.shape.length;
  }
}

export function formatSymbolicShape(shape: SymbolicShape): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}
