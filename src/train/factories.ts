import type { Layer } from '../nn/layer.js';
import { Functional, type FunctionalArgs } from './functional.js';
import { Sequential, type SequentialArgs } from './sequential.js';

/** `nb.sequential([...layers])` or the TensorFlow.js form `nb.sequential({layers: [...]})`. */
export function sequential(args: readonly Layer[] | SequentialArgs = {}): Sequential {
  return new Sequential(args);
}

/** The functional API: `nb.model({inputs, outputs})` from symbolic tensors. */
export function model(args: FunctionalArgs): Functional {
  return new Functional(args);
}
