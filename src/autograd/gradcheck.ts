import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../tensor/errors.js';
import { computeGradients } from './backward.js';
import { noGrad } from './tape.js';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Seed of the random projection applied to non-scalar outputs (default 0). */
  seed?: number;
}

export interface GradcheckFailure {
  input: number;
  index: number;
  analytic: number;
  numeric: number;
}

export interface GradcheckResult {
  passed: boolean;
  maxAbsError: number;
  failures: GradcheckFailure[];
}

function toFloat64(t: Tensor): Tensor {
  return new Tensor(Float64Array.from(t.values), t.shape, 'float64');
}

/**
 * Compares the gradients autograd computes for `f` at `inputs` with central differences, all in
 * float64. A non-scalar output y is reduced to the scalar Σ r·y with a fixed random r, which checks
 * the full vector–Jacobian product. Passes when |analytic − numeric| ≤ atol + rtol·|numeric| everywhere.
 */
export function gradcheck(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  if (inputs.length === 0) throw new ValueError('gradcheck: expected at least one input tensor');
  const xs = inputs.map((t) => toFloat64(t).requiresGrad());
  const y = f(...xs);
  const rng = new Random(options.seed ?? 0);
  const r = new Float64Array(y.size);
  for (let i = 0; i < r.length; i++) r[i] = rng.nextFloat() * 2 - 1;
  const seed = new Tensor(r, y.shape, y.dtype);
  const found = computeGradients(y, seed, xs);
  const project = (out: Tensor): number => {
    let s = 0;
    for (let i = 0; i < r.length; i++) s += r[i]! * (out.values[i] as number);
    return s;
  };
  const failures: GradcheckFailure[] = [];
  let maxAbsError = 0;
  noGrad(() => {
    xs.forEach((x, xi) => {
      const analytic = found.get(x)?.values;
      const v = x.values as Float64Array;
      for (let i = 0; i < v.length; i++) {
        const orig = v[i]!;
        v[i] = orig + eps;
        const plus = project(f(...xs));
        v[i] = orig - eps;
        const minus = project(f(...xs));
        v[i] = orig;
        const numeric = (plus - minus) / (2 * eps);
        const a = analytic === undefined ? 0 : (analytic[i] as number);
        const err = Math.abs(a - numeric);
        maxAbsError = Math.max(maxAbsError, err);
        if (!(err <= atol + rtol * Math.abs(numeric))) failures.push({ input: xi, index: i, analytic: a, numeric });
      }
    });
  });
  return { passed: failures.length === 0, maxAbsError, failures };
}
