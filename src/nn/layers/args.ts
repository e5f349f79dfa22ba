// Validation and (de)serialization of layer constructor arguments, shared by the built-in layers:
// every bad argument becomes a ValueError naming the layer and the valid values, every wrong input
// rank a ShapeError naming the layer and the shape, and every getConfig() value is plain JSON that
// the constructor accepts back.
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { formatShape, type Shape } from '../../tensor/shape.js';
import { type ActivationFn, type ActivationLike, getActivation } from '../activations.js';
import { type Constraint, type ConstraintLike, getConstraint, maxNorm, minMaxNorm, nonNeg, unitNorm } from '../constraints.js';
import { getInitializer, type InitializerLike, type InitializerName } from '../initializers.js';
import { getRegularizer, l1l2, type Regularizer, type RegularizerLike } from '../regularizers.js';

/** A regularizer by name or object, or the `config` of one (what getConfig() writes). */
export type RegularizerArg = RegularizerLike | Regularizer['config'];

/** A constraint by name or object, or the `config` of one (what getConfig() writes). */
export type ConstraintArg = ConstraintLike | Constraint['config'];

const CONSTRAINT_CLASSES = ['MaxNorm', 'UnitNorm', 'NonNeg', 'MinMaxNorm'];

/** Resolves a regularizer name, object or serialized config. */
export function resolveRegularizer(r: RegularizerArg | null | undefined, layer: string, what: string): Regularizer | null {
  if (r !== null && typeof r === 'object') {
    if (r.className !== 'L1L2') throw new ValueError(`${layer}: ${what} config has unknown className ${JSON.stringify(r.className)}; valid: L1L2`);
    return l1l2({ l1: r.l1, l2: r.l2 });
  }
  return inLayer(layer, () => getRegularizer(r));
}

/** Resolves a constraint name, object or serialized config. */
export function resolveConstraint(c: ConstraintArg | null | undefined, layer: string, what: string): Constraint | null {
  if (c !== null && typeof c === 'object') {
    const o = c as Record<string, unknown>;
    const axis = o['axis'] as number | number[] | undefined;
    switch (o['className']) {
      case 'MaxNorm':
        return maxNorm({ maxValue: o['maxValue'] as number | undefined, axis });
      case 'UnitNorm':
        return unitNorm({ axis });
      case 'NonNeg':
        return nonNeg();
      case 'MinMaxNorm':
        return minMaxNorm({ minValue: o['minValue'] as number | undefined, maxValue: o['maxValue'] as number | undefined, rate: o['rate'] as number | undefined, axis });
      default:
        throw new ValueError(`${layer}: ${what} config has unknown className ${JSON.stringify(o['className'])}; valid: ${CONSTRAINT_CLASSES.join(', ')}`);
    }
  }
  return inLayer(layer, () => getConstraint(c));
}

/** The serializable form of an initializer: its name, or `fallback` for a function. */
export function initializerConfig(init: InitializerLike | undefined, fallback: InitializerName): string {
  return typeof init === 'string' ? init : fallback;
}

export function regularizerConfig(r: Regularizer | null): Regularizer['config'] | null {
  return r === null ? null : { ...r.config };
}

export function constraintConfig(c: Constraint | null): Constraint['config'] | null {
  return c === null ? null : { ...c.config };
}

/** Runs `fn`, prefixing the message of a ValueError it throws with the layer's class name. */
export function inLayer<T>(layer: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ValueError && !e.message.startsWith(`${layer}:`)) throw new ValueError(`${layer}: ${e.message}`);
    throw e;
  }
}

/** Resolves an activation by name or function; an unknown name gives a ValueError naming the layer and the valid names. */
export function layerActivation(a: ActivationLike | null | undefined, layer: string): ActivationFn {
  return inLayer(layer, () => getActivation(a));
}

/** Checks an initializer name now (rather than at build time) and returns it. */
export function checkInitializer(init: InitializerLike, layer: string): InitializerLike {
  inLayer(layer, () => getInitializer(init));
  return init;
}

/** A positive integer argument (`fallback` when undefined). */
export function positiveInteger(value: unknown, fallback: number | undefined, layer: string, name: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new ValueError(`${layer}: ${name} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * A size per spatial axis: one positive integer for all `n` axes, or a list of `n` of them
 * (`fallback` when undefined).
 */
export function intTuple(value: unknown, n: number, fallback: number | undefined, layer: string, name: string): number[] {
  const v = value ?? fallback;
  const list: unknown[] = typeof v === 'number' ? new Array<number>(n).fill(v) : Array.isArray(v) ? v : [];
  const ok = list.length === n && list.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0);
  if (!ok) {
    const form = n === 1 ? 'a positive integer' : `a positive integer or a list of ${n} positive integers`;
    throw new ValueError(`${layer}: ${name} must be ${form}, got ${JSON.stringify(v)}`);
  }
  return list as number[];
}

/** One of `valid` (the first is the default). */
export function choice<T extends string>(value: unknown, valid: readonly T[], layer: string, name: string): T {
  const v = value ?? valid[0];
  if (!valid.includes(v as T)) {
    throw new ValueError(`${layer}: ${name} must be one of ${valid.map((s) => `'${s}'`).join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

/** Layers are channels-last (NHWC) only, as Keras' default. */
export function checkDataFormat(value: unknown, layer: string): void {
  if (value !== undefined && value !== null && value !== 'channelsLast') {
    throw new ValueError(`${layer}: dataFormat must be 'channelsLast' (nabla layers are NHWC), got ${JSON.stringify(value)}`);
  }
}

/** A dropout rate in [0, 1). */
export function rateArg(value: unknown, layer: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new ValueError(`${layer}: rate must be a number in [0, 1), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A boolean option (`fallback` when undefined). */
export function boolArg(value: unknown, fallback: boolean, layer: string, name: string): boolean {
  const v = value ?? fallback;
  if (typeof v !== 'boolean') throw new ValueError(`${layer}: ${name} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

/** Throws a ShapeError naming the layer when `shape` (batch included) has none of the `ranks`. */
export function requireRank(layer: { name: string; className: string }, shape: Shape, ranks: readonly number[], layout: string): void {
  if (!ranks.includes(shape.length)) {
    throw new ShapeError(
      `${layer.name} (${layer.className}): expected input of rank ${ranks.join(' or ')} (${layout}), got shape ${formatShape(shape)}`,
    );
  }
}

/** A weight's initializer, regularizer and constraint, resolved from the constructor arguments. */
export interface WeightSpec {
  initializer: InitializerLike;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
}

/** Resolves (and checks) the initializer, regularizer and constraint of a weight called `what`. */
export function weightSpec(init: InitializerLike | undefined, fallback: InitializerName, reg: RegularizerArg | undefined, cons: ConstraintArg | undefined, layer: string, what: string): WeightSpec {
  return {
    initializer: checkInitializer(init ?? fallback, layer),
    regularizer: resolveRegularizer(reg, layer, `${what}Regularizer`),
    constraint: resolveConstraint(cons, layer, `${what}Constraint`),
  };
}

/** The config entries of a weight called `what`: `${what}Initializer`, `${what}Regularizer`, `${what}Constraint`. */
export function specConfig(spec: WeightSpec, what: string, fallback: InitializerName): Record<string, unknown> {
  return {
    [`${what}Initializer`]: initializerConfig(spec.initializer, fallback),
    [`${what}Regularizer`]: regularizerConfig(spec.regularizer),
    [`${what}Constraint`]: constraintConfig(spec.constraint),
  };
}

/** A number argument within [lo, hi] (`fallback` when undefined); `openLo` excludes lo. */
export function numberArg(value: unknown, fallback: number, lo: number, hi: number, layer: string, name: string, openLo = false): number {
  const v = value ?? fallback;
  const ok = typeof v === 'number' && (openLo ? v > lo : v >= lo) && v <= hi;
  if (!ok) throw new ValueError(`${layer}: ${name} must be a number in ${openLo ? '(' : '['}${lo}, ${hi}], got ${JSON.stringify(v)}`);
  return v;
}

/** The (gamma, beta) pair that both normalization layers learn. */
export function affineSpecs(args: AffineArgs, layer: string): { gamma: WeightSpec; beta: WeightSpec } {
  return {
    gamma: weightSpec(args.gammaInitializer, 'ones', args.gammaRegularizer, args.gammaConstraint, layer, 'gamma'),
    beta: weightSpec(args.betaInitializer, 'zeros', args.betaRegularizer, args.betaConstraint, layer, 'beta'),
  };
}

/** The arguments of a normalization layer's learned scale (gamma) and offset (beta). */
export interface AffineArgs {
  betaInitializer?: InitializerLike;
  gammaInitializer?: InitializerLike;
  betaRegularizer?: RegularizerArg;
  gammaRegularizer?: RegularizerArg;
  betaConstraint?: ConstraintArg;
  gammaConstraint?: ConstraintArg;
}

export function affineConfig(specs: { gamma: WeightSpec; beta: WeightSpec }): Record<string, unknown> {
  return { ...specConfig(specs.beta, 'beta', 'zeros'), ...specConfig(specs.gamma, 'gamma', 'ones') };
}
