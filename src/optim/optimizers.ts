import { ValueError } from '../tensor/errors.js';
import { Adam, type AdamArgs, AdamW } from './adam.js';
import { Adadelta, type AdadeltaArgs, Adagrad, type AdagradArgs, Adamax, type AdamaxArgs, Nadam, RMSprop, type RmsPropArgs } from './adaptive.js';
import type { Optimizer } from './optimizer.js';
import { SGD, type SgdArgs } from './sgd.js';

/** Keras-style factories: nb.optimizers.adam({learningRate: 1e-3}) etc. */
export const optimizers = {
  sgd: (args: SgdArgs = {}): SGD => new SGD(args),
  adam: (args: AdamArgs = {}): Adam => new Adam(args),
  adamw: (args: AdamArgs = {}): AdamW => new AdamW(args),
  rmsprop: (args: RmsPropArgs = {}): RMSprop => new RMSprop(args),
  adagrad: (args: AdagradArgs = {}): Adagrad => new Adagrad(args),
  adadelta: (args: AdadeltaArgs = {}): Adadelta => new Adadelta(args),
  adamax: (args: AdamaxArgs = {}): Adamax => new Adamax(args),
  nadam: (args: AdamaxArgs = {}): Nadam => new Nadam(args),
};

export type OptimizerName = keyof typeof optimizers;
export const OPTIMIZER_NAMES = Object.keys(optimizers) as OptimizerName[];
/** A name (autocompleted, but any string is accepted and checked at run time) or an Optimizer. */
export type OptimizerLike = OptimizerName | (string & Record<never, never>) | Optimizer;

/** An optimizer by name (case-insensitive, with Keras defaults) or the given object. */
export function getOptimizer(o: OptimizerLike): Optimizer {
  if (typeof o !== 'string') return o;
  const key = o.toLowerCase() as OptimizerName;
  const make = Object.hasOwn(optimizers, key) ? optimizers[key] : undefined;
  if (make === undefined) throw new ValueError(`unknown optimizer '${o}'; valid names: ${OPTIMIZER_NAMES.join(', ')}`);
  return make();
}
