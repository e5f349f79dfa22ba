import assert from 'node:assert/strict';
import * as nb from '../src/index.js';

export interface CloseOptions {
  atol?: number;
  rtol?: number;
}

function flat(x: nb.Tensor | ArrayLike<number> | number | nb.NestedArray): number[] {
  if (x instanceof nb.Tensor) return Array.from(x.values, Number);
  if (typeof x === 'number') return [x];
  if (typeof x === 'boolean') return [x ? 1 : 0];
  if (Array.isArray(x)) return (x as nb.NestedArray[]).flatMap((v) => flat(v));
  return Array.from(x as ArrayLike<number>, Number);
}

/** Asserts elementwise |a − e| ≤ atol + rtol·|e| (NaN matches NaN); shapes are compared when both are tensors. */
export function assertClose(
  actual: nb.Tensor | ArrayLike<number> | number | nb.NestedArray,
  expected: nb.Tensor | ArrayLike<number> | number | nb.NestedArray,
  options: CloseOptions = {},
): void {
  const atol = options.atol ?? 1e-6;
  const rtol = options.rtol ?? 1e-5;
  if (actual instanceof nb.Tensor && expected instanceof nb.Tensor) {
    assert.deepEqual([...actual.shape], [...expected.shape], `shape ${actual.shape} vs expected ${expected.shape}`);
  }
  const a = flat(actual);
  const e = flat(expected);
  assert.equal(a.length, e.length, `length ${a.length} vs expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = e[i]!;
    if (Number.isNaN(y) && Number.isNaN(x)) continue;
    if (x === y) continue;
    assert.ok(Math.abs(x - y) <= atol + rtol * Math.abs(y), `element ${i}: got ${x}, expected ${y} (atol ${atol}, rtol ${rtol})`);
  }
}

/** Asserts that autograd agrees with central differences for f at inputs (float64). */
export function assertGradcheck(f: (...xs: nb.Tensor[]) => nb.Tensor, inputs: nb.Tensor[], options: nb.GradcheckOptions = {}): void {
  const result = nb.gradcheck(f, inputs, options);
  assert.ok(
    result.passed,
    `gradcheck failed (max abs error ${result.maxAbsError}): ${JSON.stringify(result.failures.slice(0, 5))}`,
  );
}

/** A float64 tensor of uniform values in [lo, hi) from a fixed seed. */
export function rand(shape: number[], seed: number, lo = -1, hi = 1): nb.Tensor {
  return nb.randomUniform(shape, lo, hi, { seed, dtype: 'float64' });
}

/** A float64 tensor whose values are at least `gap` away from zero (for ops with a kink at 0). */
export function randAwayFromZero(shape: number[], seed: number, gap = 0.1): nb.Tensor {
  const t = rand(shape, seed);
  const v = t.values;
  for (let i = 0; i < v.length; i++) v[i] = Math.sign(v[i]! || 1) * (gap + Math.abs(v[i]!));
  return t;
}

/** Asserts that `fn` throws an error of class `type` whose message contains every string in `parts`. */
export function assertThrowsWith(fn: () => unknown, type: new (...args: never[]) => Error, parts: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof type, `expected ${type.name}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    for (const p of parts) assert.ok((err as Error).message.includes(p), `message "${(err as Error).message}" lacks "${p}"`);
    return true;
  });
}
