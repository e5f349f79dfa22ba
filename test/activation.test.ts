import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { assertClose, assertGradcheck, assertThrowsWith, rand, randAwayFromZero } from './helpers.js';

// Float64 scalar references for every elementwise activation.
const sigmoidRef = (v: number): number => 1 / (1 + Math.exp(-v));
const softplusRef = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
const erfRef = (v: number): number => {
  const z = Math.abs(v);
  if (z < 2) {
    // Maclaurin series: terms stay below e^4, so float64 keeps ~1e-15 accuracy.
    let sum = 0;
    let term = z;
    for (let n = 0; n < 60; n++) {
      sum += term / (2 * n + 1);
      term *= (-z * z) / (n + 1);
    }
    return Math.sign(v) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), evaluated from the tail backwards.
  let t = z;
  for (let k = 200; k >= 1; k--) t = z + k / 2 / t;
  const erfc = Math.exp(-z * z) / (Math.sqrt(Math.PI) * t);
  return Math.sign(v) * (1 - erfc);
};

type Case = [string, (x: nb.Tensor) => nb.Tensor, (v: number) => number];

const ELEMENTWISE: Case[] = [
  ['leakyRelu (alpha 0.2)', (x) => nb.leakyRelu(x), (v) => (v > 0 ? v : 0.2 * v)],
  ['leakyRelu (alpha 0.01)', (x) => nb.leakyRelu(x, 0.01), (v) => (v > 0 ? v : 0.01 * v)],
  ['relu6', nb.relu6, (v) => Math.min(Math.max(v, 0), 6)],
  ['elu (alpha 1)', (x) => nb.elu(x), (v) => (v > 0 ? v : Math.expm1(v))],
  ['elu (alpha 2)', (x) => nb.elu(x, 2), (v) => (v > 0 ? v : 2 * Math.expm1(v))],
  ['selu', nb.selu, (v) => nb.SELU_SCALE * (v > 0 ? v : nb.SELU_ALPHA * Math.expm1(v))],
  ['gelu (erf)', (x) => nb.gelu(x), (v) => 0.5 * v * (1 + erfRef(v / Math.SQRT2))],
  [
    'gelu (tanh approximation)',
    (x) => nb.gelu(x, { approximate: true }),
    (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
  ],
  ['softsign', nb.softsign, (v) => v / (1 + Math.abs(v))],
  ['hardSigmoid', nb.hardSigmoid, (v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1)],
  ['swish (beta 1)', (x) => nb.swish(x), (v) => v * sigmoidRef(v)],
  ['swish (beta 1.5)', (x) => nb.swish(x, 1.5), (v) => v * sigmoidRef(1.5 * v)],
  ['silu', nb.silu, (v) => v * sigmoidRef(v)],
  ['mish', nb.mish, (v) => v * Math.tanh(softplusRef(v))],
];

describe('activations: values', () => {
  it('known values: gelu(1), selu constants, mish(1), swish(1)', () => {
    const one = nb.tensor([1, -1], undefined, 'float64');
    assertClose(nb.gelu(one), [0.8413447460685429, -0.15865525393145707], { atol: 1e-12 });
    assertClose(nb.gelu(nb.tensor([1])), [0.8413447], { atol: 1e-7 });
    assertClose(nb.gelu(one, { approximate: true }), [0.8411919906082768, -0.15880800939172324], { atol: 1e-12 });
    assert.equal(nb.SELU_ALPHA, 1.6732632423543772);
    assert.equal(nb.SELU_SCALE, 1.0507009873554805);
    assertClose(nb.selu(one), [1.0507009873554805, -1.1113307378125628], { atol: 1e-12 });
    assertClose(nb.mish(one), [0.8650983882673103, -0.3034014613741425], { atol: 1e-12 });
    assertClose(nb.swish(one), [0.7310585786300049, -0.2689414213699951], { atol: 1e-12 });
  });

  it('piecewise activations at and around their kinks', () => {
    const x = nb.tensor([-3, -1, 0, 2.5, 3, 7]);
    assertClose(nb.leakyRelu(x), [-0.6, -0.2, 0, 2.5, 3, 7]);
    assertClose(nb.relu6(x), [0, 0, 0, 2.5, 3, 6]);
    assertClose(nb.elu(x, 1), [Math.expm1(-3), Math.expm1(-1), 0, 2.5, 3, 7]);
    assertClose(nb.hardSigmoid(x), [0, 0.3, 0.5, 1, 1, 1]);
    assertClose(nb.softsign(x), [-0.75, -0.5, 0, 2.5 / 3.5, 0.75, 7 / 8]);
  });

  ELEMENTWISE.forEach(([name, f, ref], i) => {
    it(`${name} matches its float64 reference on random inputs`, () => {
      const x = rand([4, 5], 10 + i, -6, 6);
      const y = f(x);
      assert.equal(y.dtype, 'float64');
      assert.deepEqual([...y.shape], [4, 5]);
      assertClose(y, Array.from(x.values, (v) => ref(v)), { atol: 1e-12, rtol: 1e-12 });
    });
  });

  it('float32 in, float32 out; int32 input becomes float32 (relu6 keeps int32 like relu)', () => {
    const f32 = nb.tensor([-1, 2]);
    for (const [, f] of ELEMENTWISE) assert.equal(f(f32).dtype, 'float32');
    const i32 = nb.tensor([-2, 3], undefined, 'int32');
    assert.equal(nb.leakyRelu(i32).dtype, 'float32');
    assertClose(nb.leakyRelu(i32), [-0.4, 3]);
    assert.equal(nb.relu6(i32).dtype, 'int32');
    assert.deepEqual(nb.relu6(nb.tensor([-2, 3, 9], undefined, 'int32')).arraySync(), [0, 3, 6]);
    assertClose(nb.selu(i32), [nb.SELU_SCALE * nb.SELU_ALPHA * Math.expm1(-2), nb.SELU_SCALE * 3], { atol: 1e-6 });
  });

  it('large inputs neither overflow nor give NaN gradients', () => {
    const x = nb.tensor([-1000, -50, 50, 1000], undefined, 'float64');
    const fns: Case[] = ELEMENTWISE;
    for (const [name, f] of fns) {
      const { value, grads } = nb.valueAndGrad((t: nb.Tensor) => nb.sum(f(t)))(x);
      assert.ok(Number.isFinite(value.item()), `${name}: value ${value.item()}`);
      for (const g of grads[0]!.values) assert.ok(Number.isFinite(g), `${name}: gradient ${g}`);
    }
    assertClose(nb.elu(x), [-1, Math.expm1(-50), 50, 1000], { atol: 1e-12 });
    assertClose(nb.mish(x), [-0, -50 * Math.tanh(softplusRef(-50)), 50, 1000], { atol: 1e-12 });
  });

  it('chainable methods agree with the functions', () => {
    const x = rand([2, 3], 3, -2, 2);
    assertClose(x.leakyRelu(), nb.leakyRelu(x));
    assertClose(x.leakyRelu(0.3), nb.leakyRelu(x, 0.3));
    assertClose(x.elu(0.5), nb.elu(x, 0.5));
    assertClose(x.selu(), nb.selu(x));
    assertClose(x.gelu({ approximate: true }), nb.gelu(x, { approximate: true }));
    assertClose(x.swish(2), nb.swish(x, 2));
    assertClose(x.softmax(0), nb.softmax(x, 0));
    assertClose(x.logSoftmax(), nb.logSoftmax(x, -1));
  });

  it('invalid arguments are typed errors naming the op', () => {
    assertThrowsWith(() => nb.leakyRelu([1, 2] as unknown as nb.Tensor), nb.ValueError, ['leakyRelu', 'expected a Tensor']);
    assertThrowsWith(() => nb.leakyRelu(nb.tensor([1]), Number.NaN), nb.ValueError, ['leakyRelu', 'alpha', 'NaN']);
    assertThrowsWith(() => nb.elu(nb.tensor([1]), Infinity), nb.ValueError, ['elu', 'alpha']);
    assertThrowsWith(() => nb.swish(nb.tensor([1]), '2' as unknown as number), nb.ValueError, ['swish', 'beta']);
    assertThrowsWith(() => nb.gelu(nb.tensor([1]), { approximate: 'tanh' as unknown as boolean }), nb.ValueError, ['gelu', 'approximate', 'tanh']);
    assertThrowsWith(() => nb.relu6(null as unknown as nb.Tensor), nb.ValueError, ['relu6', 'null']);
  });
});

describe('activations: gradients (float64 central differences)', () => {
  ELEMENTWISE.forEach(([name, f], i) => {
    it(name, () => {
      // Away from the kinks at 0 (and ±2.5 for hardSigmoid, 6 for relu6, which these inputs never reach).
      const x = nb.mul(randAwayFromZero([3, 4], 40 + i, 0.05), 2);
      assertGradcheck(f, [x]);
    });
  });

  it('sanity: sigmoid′ = a(1 − a), tanh′ = 1 − a², relu′ is a step', () => {
    const points = [-3, -0.5, 0.25, 2];
    for (const p of points) {
      const x = nb.tensor([p], undefined, 'float64');
      const a = 1 / (1 + Math.exp(-p));
      assertClose(nb.grad((t: nb.Tensor) => nb.sum(nb.sigmoid(t)))(x), [a * (1 - a)], { atol: 1e-15 });
      const th = Math.tanh(p);
      assertClose(nb.grad((t: nb.Tensor) => nb.sum(nb.tanh(t)))(x), [1 - th * th], { atol: 1e-15 });
      assert.deepEqual(Array.from(nb.grad((t: nb.Tensor) => nb.sum(nb.relu(t)))(x).values), [p > 0 ? 1 : 0]);
    }
    assert.deepEqual(Array.from(nb.grad((t: nb.Tensor) => nb.sum(nb.relu(t)))(nb.tensor([-1, 0, 1e-9, 5])).values), [0, 0, 1, 1]);
  });

  it('gradients at the kinks follow TensorFlow', () => {
    const x = nb.tensor([0, 6], undefined, 'float64');
    const g = (f: (t: nb.Tensor) => nb.Tensor): number[] => Array.from(nb.grad((t: nb.Tensor) => nb.sum(f(t)))(x).values);
    assert.deepEqual(g(nb.relu6), [0, 1]);
    assert.deepEqual(g((t) => nb.leakyRelu(t, 0.2)), [0.2, 1]);
    assert.deepEqual(g((t) => nb.elu(t, 2)), [2, 1]);
    assertClose(g(nb.selu), [nb.SELU_SCALE * nb.SELU_ALPHA, nb.SELU_SCALE], { atol: 1e-15 });
    assertClose(g(nb.softsign), [1, 1 / 49], { atol: 1e-15 });
    assertClose(g((t) => nb.gelu(t)), [0.5, 1 + 6 * Math.exp(-18) / Math.sqrt(2 * Math.PI) + (erfRef(6 / Math.SQRT2) - 1) / 2], { atol: 1e-12 });
  });
});

/** Reference softmax of a float64 tensor along `axis`, by explicit loops. */
function softmaxRef(x: nb.Tensor, axis: number, log: boolean): number[] {
  const shape = x.shape;
  const a = axis < 0 ? axis + shape.length : axis;
  const n = shape[a]!;
  const inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const outer = x.size / (n * inner);
  const v = x.values;
  const out = new Array<number>(x.size).fill(0);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const idx = (j: number): number => o * n * inner + j * inner + i;
      let m = -Infinity;
      for (let j = 0; j < n; j++) m = Math.max(m, v[idx(j)]!);
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(v[idx(j)]! - m);
      for (let j = 0; j < n; j++) out[idx(j)] = log ? v[idx(j)]! - m - Math.log(s) : Math.exp(v[idx(j)]! - m) / s;
    }
  }
  return out;
}

describe('softmax and logSoftmax', () => {
  it('rows sum to 1 and logSoftmax = log(softmax) = x − logSumExp(x)', () => {
    const x = nb.randomNormal([5, 7], 0, 3, { seed: 11 });
    const y = nb.softmax(x);
    assert.equal(y.dtype, 'float32');
    assertClose(nb.sum(y, 1), new Array<number>(5).fill(1), { atol: 1e-6 });
    for (const v of y.values) assert.ok(v > 0 && v < 1);
    assertClose(nb.logSoftmax(x), nb.log(y), { atol: 1e-5 });
    assertClose(nb.logSoftmax(x), nb.sub(x, nb.logSumExp(x, 1, { keepDims: true })), { atol: 1e-5 });
  });

  it('is stable for huge logits: [1000, 1000] → [0.5, 0.5]; logSoftmax of [−1e4, 0] is finite', () => {
    assert.deepEqual(Array.from(nb.softmax(nb.tensor([1000, 1000])).values), [0.5, 0.5]);
    assert.deepEqual(Array.from(nb.softmax(nb.tensor([1e4, -1e4])).values), [1, 0]);
    assert.deepEqual(Array.from(nb.softmax(nb.tensor([-1e4, -1e4 + Math.log(3)], undefined, 'float64')).values).map((v) => Math.round(v * 1e12) / 1e12), [0.25, 0.75]);
    const ls = nb.logSoftmax(nb.tensor([-1e4, 0]));
    assert.deepEqual(Array.from(ls.values), [-1e4, 0]);
    const ls64 = nb.logSoftmax(nb.tensor([[1e4, 1e4 - 1], [-1e4, -1e4]], undefined, 'float64'));
    assertClose(ls64, [-Math.log1p(Math.exp(-1)), -1 - Math.log1p(Math.exp(-1)), -Math.LN2, -Math.LN2], { atol: 1e-12 });
  });

  it('gradients stay finite for huge logits and equal g − softmax·Σg', () => {
    const x = nb.tensor([-1e4, 0], undefined, 'float64');
    const r = nb.tensor([0.3, -0.7], undefined, 'float64');
    const g = nb.grad((t: nb.Tensor) => nb.sum(nb.mul(nb.logSoftmax(t), r)))(x);
    assertClose(g, [0.3, -0.3], { atol: 1e-15 });
    const gs = nb.grad((t: nb.Tensor) => nb.sum(nb.mul(nb.softmax(t), r)))(nb.tensor([1e4, 1e4], undefined, 'float64'));
    // softmax = [½, ½]; ∂/∂x_i = s_i (r_i − Σ s r) = ½ (r_i + 0.2).
    assertClose(gs, [0.25, -0.25], { atol: 1e-15 });
  });

  it('−inf logits are masked out: softmax 0, logSoftmax −inf', () => {
    assert.deepEqual(Array.from(nb.softmax(nb.tensor([-Infinity, 0, 0])).values), [0, 0.5, 0.5]);
    assert.deepEqual(Array.from(nb.logSoftmax(nb.tensor([-Infinity, 0])).values), [-Infinity, 0]);
  });

  for (const axis of [0, 1, 2, -1, -2]) {
    it(`3-D tensor, axis ${axis}: values match a loop reference and gradients pass gradcheck`, () => {
      const x = rand([2, 3, 4], 60 + axis, -3, 3);
      assertClose(nb.softmax(x, axis), softmaxRef(x, axis, false), { atol: 1e-14 });
      assertClose(nb.logSoftmax(x, axis), softmaxRef(x, axis, true), { atol: 1e-14 });
      assertClose(nb.sum(nb.softmax(x, axis), axis), nb.ones(x.shape.filter((_, i) => i !== (axis + 3) % 3), 'float64'), { atol: 1e-14 });
      assertGradcheck((t) => nb.softmax(t, axis), [x]);
      assertGradcheck((t) => nb.logSoftmax(t, axis), [x]);
    });
  }

  it('default axis is the last; a 1-D and a size-1 axis work; empty tensors give empty results', () => {
    const x = rand([3, 4], 5);
    assertClose(nb.softmax(x), nb.softmax(x, 1));
    assertClose(nb.softmax(nb.tensor([1, 2, 3], undefined, 'float64')), softmaxRef(nb.tensor([1, 2, 3], undefined, 'float64'), 0, false), { atol: 1e-15 });
    assert.deepEqual(Array.from(nb.softmax(x, 0).shape), [3, 4]);
    assert.deepEqual(Array.from(nb.softmax(nb.zeros([3, 1])).values), [1, 1, 1]);
    assert.deepEqual(Array.from(nb.logSoftmax(nb.zeros([3, 1])).values), [0, 0, 0]);
    assert.deepEqual([...nb.softmax(nb.zeros([0, 3])).shape], [0, 3]);
    assert.deepEqual([...nb.logSoftmax(nb.zeros([2, 0]), 1).shape], [2, 0]);
  });

  it('int and bool tensors are DTypeErrors; a bad axis is a ValueError', () => {
    assertThrowsWith(() => nb.softmax(nb.tensor([1, 2], undefined, 'int32')), nb.DTypeError, ['softmax', 'int32', 'float32']);
    assertThrowsWith(() => nb.logSoftmax(nb.tensor([true, false])), nb.DTypeError, ['logSoftmax', 'bool']);
    assertThrowsWith(() => nb.softmax(nb.zeros([2, 3]), 2), nb.ValueError, ['softmax', 'axis 2', 'rank 2']);
    assertThrowsWith(() => nb.logSoftmax(nb.zeros([2, 3]), -3), nb.ValueError, ['logSoftmax', 'axis -3']);
    assertThrowsWith(() => nb.softmax('x' as unknown as nb.Tensor), nb.ValueError, ['softmax', 'expected a Tensor']);
  });
});
