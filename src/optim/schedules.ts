import { ValueError } from '../tensor/errors.js';

/** Maps the optimizer's step count (iterations done so far) to a learning rate. */
export interface LearningRateSchedule {
  (step: number): number;
  readonly config: { className: string } & Record<string, unknown>;
}

function schedule(className: string, config: Record<string, unknown>, f: (step: number) => number): LearningRateSchedule {
  return Object.assign(f, { config: { className, ...config } });
}

function positive(value: number, name: string, what: string): number {
  if (!(value > 0)) throw new ValueError(`${what}: ${name} must be positive, got ${value}`);
  return value;
}

/** lr · rate^(step / decaySteps), with integer division when staircase. */
export function exponentialDecay(args: { initialLearningRate: number; decaySteps: number; decayRate: number; staircase?: boolean }): LearningRateSchedule {
  positive(args.decaySteps, 'decaySteps', 'exponentialDecay');
  return schedule('ExponentialDecay', args, (step) => {
    const p = step / args.decaySteps;
    return args.initialLearningRate * args.decayRate ** (args.staircase ? Math.floor(p) : p);
  });
}

/** values[i] while step ≤ boundaries[i] (values has one more entry than boundaries). */
export function piecewiseConstant(args: { boundaries: number[]; values: number[] }): LearningRateSchedule {
  if (args.values.length !== args.boundaries.length + 1) {
    throw new ValueError(`piecewiseConstant: values needs ${args.boundaries.length + 1} entries (boundaries + 1), got ${args.values.length}`);
  }
  return schedule('PiecewiseConstantDecay', args, (step) => {
    let i = 0;
    while (i < args.boundaries.length && step > args.boundaries[i]!) i++;
    return args.values[i]!;
  });
}

/** Cosine decay from the initial rate to alpha·initial over decaySteps, after an optional linear warm-up to warmupTarget. */
export function cosineDecay(args: { initialLearningRate: number; decaySteps: number; alpha?: number; warmupTarget?: number; warmupSteps?: number }): LearningRateSchedule {
  positive(args.decaySteps, 'decaySteps', 'cosineDecay');
  const alpha = args.alpha ?? 0;
  const warmupSteps = args.warmupSteps ?? 0;
  return schedule('CosineDecay', args, (step) => {
    const target = args.warmupTarget ?? args.initialLearningRate;
    if (warmupSteps > 0 && step < warmupSteps) {
      return args.initialLearningRate + ((target - args.initialLearningRate) * step) / warmupSteps;
    }
    const t = Math.min(step - warmupSteps, args.decaySteps) / args.decaySteps;
    const cosine = 0.5 * (1 + Math.cos(Math.PI * t));
    return target * ((1 - alpha) * cosine + alpha);
  });
}

/** (initial − end)·(1 − step/decaySteps)^power + end; with cycle the horizon grows in multiples of decaySteps. */
export function polynomialDecay(args: { initialLearningRate: number; decaySteps: number; endLearningRate?: number; power?: number; cycle?: boolean }): LearningRateSchedule {
  positive(args.decaySteps, 'decaySteps', 'polynomialDecay');
  const end = args.endLearningRate ?? 0.0001;
  const power = args.power ?? 1;
  return schedule('PolynomialDecay', args, (step) => {
    let steps = args.decaySteps;
    let s = step;
    if (args.cycle) steps = steps * Math.max(1, Math.ceil(step / args.decaySteps));
    else s = Math.min(step, steps);
    return (args.initialLearningRate - end) * (1 - s / steps) ** power + end;
  });
}

export const schedules = { exponentialDecay, piecewiseConstant, cosineDecay, polynomialDecay };
