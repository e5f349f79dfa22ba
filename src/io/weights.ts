// A model's weights as named tensors (Variable names: "layer/kernel") and back, with every check
// done before any weight changes.
import type { Layer } from '../nn/layer.js';
import type { Variable } from '../nn/variable.js';
import { isFloat } from '../tensor/dtype.js';
import { DataError, ValueError } from '../tensor/errors.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { encodeSafetensors } from './safetensors.js';

/** The model's weights keyed by Variable name; two weights with one name cannot be saved. */
export function namedWeights(model: Layer): Map<string, Variable> {
  const out = new Map<string, Variable>();
  for (const v of model.weights) {
    if (out.has(v.name)) {
      throw new ValueError(`save: ${model.name} has two weights named '${v.name}' (two layers share the name '${v.name.split('/')[0]}'); give layers unique names`);
    }
    out.set(v.name, v);
  }
  return out;
}

/** The weights as safetensors bytes, in model order, with the given metadata. */
export function encodeWeights(model: Layer, metadata: Record<string, string>): { bytes: Uint8Array; names: string[] } {
  const named = namedWeights(model);
  const bytes = encodeSafetensors([...named].map(([n, v]) => [n, v.value] as const), metadata);
  return { bytes, names: [...named.keys()] };
}

/**
 * Assigns stored tensors to the model's weights by name. Missing, unexpected, wrongly shaped or
 * wrongly typed weights are a DataError naming `file`; nothing is assigned unless everything fits.
 */
export function assignWeights(model: Layer, stored: ReadonlyMap<string, Tensor>, file: string): void {
  const named = namedWeights(model);
  const missing = [...named.keys()].filter((n) => !stored.has(n));
  if (missing.length > 0) {
    throw new DataError(`${file}: missing weights ${missing.map((n) => `'${n}'`).join(', ')} of model ${model.name} (the file holds ${stored.size}: ${[...stored.keys()].join(', ') || 'none'})`);
  }
  const extra = [...stored.keys()].filter((n) => !named.has(n));
  if (extra.length > 0) {
    const hint = named.size === 0 ? '; it has no weights yet: build it first (inputShape on the first layer, or call it on data)' : '';
    throw new DataError(`${file}: holds weights ${extra.map((n) => `'${n}'`).join(', ')} that model ${model.name} does not have (its weights: ${[...named.keys()].join(', ') || 'none'})${hint}`);
  }
  for (const [name, v] of named) {
    const t = stored.get(name)!;
    if (!shapesEqual(t.shape, v.shape)) {
      throw new DataError(`${file}: weight '${name}' has shape ${formatShape(t.shape)} in the file, but the model expects ${formatShape(v.shape)}`);
    }
    if (isFloat(t.dtype) !== isFloat(v.dtype) || (t.dtype === 'bool') !== (v.dtype === 'bool')) {
      throw new DataError(`${file}: weight '${name}' is ${t.dtype} in the file, but the model expects ${v.dtype}`);
    }
  }
  for (const [name, v] of named) v.assign(stored.get(name)!);
}
