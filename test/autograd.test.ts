import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { assertClose, assertThrowsWith } from './helpers.js';

describe('autograd: the 2-3-1 worked example', () => {
  // input [1, 2]; hidden W [[1,2],[3,4],[5,6]] (3×2), b [1,2,3]; output v [1,2,3], c 1; linear activations.
  const x = nb.tensor([[1, 2]]);
  const W = nb.tensor([[1, 2], [3, 4], [5, 6]]).requiresGrad();
  const b = nb.tensor([1, 2, 3]).requiresGrad();
  const v = nb.tensor([[1], [2], [3]]).requiresGrad();
  const c = nb.tensor([1]).requiresGrad();
  const h = x.matmul(W, { transposeB: true }).add(b);
  const y = h.matmul(v).add(c);

  it('forward: hidden pre-activations [6, 13, 20] and output 93', () => {
    // h = [1·1+2·2+1, 1·3+2·4+2, 1·5+2·6+3] = [6, 13, 20]; y = 6·1+13·2+20·3+1 = 93.
    // (A widely copied hand calculation prints [7, 14, 23] and 100: both are arithmetic slips.)
    assert.deepEqual(h.arraySync(), [[6, 13, 20]]);
    assert.deepEqual(y.arraySync(), [[93]]);
  });

  it('backward of L = (y − 50)² matches the hand-derived gradients', () => {
    const L = y.sub(50).square().sum();
    assert.equal(L.item(), 43 * 43);
    const dLdy = nb.grad((t) => t.sub(50).square().sum())(nb.detach(y));
    assert.equal(dLdy.item(), 86); // dL/dy = 2(93 − 50)
    L.backward();
    assert.deepEqual(c.grad?.arraySync(), [86]); // dL/dc = dL/dy
    assert.deepEqual(v.grad?.arraySync(), [[86 * 6], [86 * 13], [86 * 20]]); // dL/dv = dL/dy · h
    assert.deepEqual(b.grad?.arraySync(), [86 * 1, 86 * 2, 86 * 3]); // dL/db = dL/dy · v
    // dL/dW[j] = dL/dy · v[j] · x
    assert.deepEqual(W.grad?.arraySync(), [[86, 172], [172, 344], [258, 516]]);
  });
});

describe('autograd: derivative identities and small losses', () => {
  it("sigmoid' = a(1 − a), tanh' = 1 − a², relu' is a step", () => {
    const xs = nb.tensor([-2, -0.5, 0.5, 2], undefined, 'float64');
    const a = nb.sigmoid(xs);
    assertClose(nb.grad((t) => nb.sigmoid(t).sum())(xs), a.mul(nb.sub(1, a)), { atol: 1e-12 });
    const th = nb.tanh(xs);
    assertClose(nb.grad((t) => nb.tanh(t).sum())(xs), nb.sub(1, th.square()), { atol: 1e-12 });
    assert.deepEqual(nb.grad((t) => nb.relu(t).sum())(xs).arraySync(), [0, 0, 1, 1]);
  });

  it('½(0.9 − 1)² = 0.005 and −ln 0.9 ≈ 0.10536', () => {
    const p = nb.scalar(0.9, 'float64');
    assertClose(p.sub(1).square().mul(0.5).item(), 0.005, { atol: 1e-15 });
    assertClose(nb.neg(nb.log(p)).item(), 0.1053605156578263, { atol: 1e-12 });
  });
});

describe('autograd mechanics', () => {
  it('accumulates .grad across backward calls and through shared uses', () => {
    const w = nb.tensor([1, 2, 3]).requiresGrad();
    w.mul(w).sum().backward(); // d/dw Σw² = 2w
    assert.deepEqual(w.grad?.arraySync(), [2, 4, 6]);
    w.sum().backward();
    assert.deepEqual(w.grad?.arraySync(), [3, 5, 7]);
  });

  it('reduces gradients of broadcast inputs to the input shape', () => {
    const a = nb.ones([2, 3]).requiresGrad();
    const bias = nb.tensor([1, 2, 3]).requiresGrad();
    const s = nb.scalar(2).requiresGrad();
    a.add(bias).mul(s).sum().backward();
    assert.deepEqual(bias.grad?.arraySync(), [4, 4, 4]);
    assert.deepEqual(s.grad?.arraySync(), 6 + 2 * 6);
    assert.deepEqual(a.grad?.arraySync(), [[2, 2, 2], [2, 2, 2]]);
  });

  it('backward on a 10,000-op chain does not overflow the stack', () => {
    const x = nb.scalar(1, 'float64').requiresGrad();
    let y = x;
    for (let i = 0; i < 10000; i++) y = y.mul(1.0001);
    y.backward();
    assertClose(x.grad!.item(), 1.0001 ** 10000, { rtol: 1e-9 });
  });

  it('grad, grads and valueAndGrad leave .grad untouched', () => {
    const x = nb.tensor([1, 2]).requiresGrad();
    const g = nb.grad((t) => t.square().sum())(x);
    assert.deepEqual(g.arraySync(), [2, 4]);
    assert.equal(x.grad, null);
    const { value, grads } = nb.valueAndGrad((a, b) => a.mul(b).sum())(nb.tensor([1, 2]), nb.tensor([3, 4]));
    assert.equal(value.item(), 11);
    assert.deepEqual(grads.map((t) => t.arraySync()), [[3, 4], [1, 2]]);
    const [ga, gb] = nb.grads((a, b) => a.sum())(nb.tensor([1, 2]), nb.tensor([5]));
    assert.deepEqual(ga?.arraySync(), [1, 1]);
    assert.deepEqual(gb?.arraySync(), [0], 'an unused argument gets a zero gradient');
  });

  it('noGrad records nothing', () => {
    const w = nb.tensor([1]).requiresGrad();
    const y = nb.noGrad(() => w.mul(2));
    assert.equal(y.node, null);
    assert.equal(y.requiresGradient, false);
    assert.equal(nb.isGradEnabled(), true);
  });

  it('backward with an explicit seed for non-scalar outputs', () => {
    const w = nb.tensor([1, 2]).requiresGrad();
    w.mul(3).backward(nb.tensor([1, 10]));
    assert.deepEqual(w.grad?.arraySync(), [3, 30]);
  });

  it('errors: non-scalar backward without a seed, wrong seed shape, int requiresGrad', () => {
    const w = nb.tensor([1, 2]).requiresGrad();
    assertThrowsWith(() => w.mul(2).backward(), nb.GradientError, ['[2]', 'scalar']);
    assertThrowsWith(() => w.mul(2).backward(nb.ones([3])), nb.ShapeError, ['[3]', '[2]']);
    assertThrowsWith(() => nb.tensor([1], undefined, 'int32').requiresGrad(), nb.DTypeError, ['int32']);
  });

  it('gradcheck reports a wrong gradient', () => {
    // A deliberately wrong op: forward x², but its recorded gradient says 3x.
    const bad = (x: nb.Tensor): nb.Tensor => {
      const y = nb.square(nb.detach(x));
      y.node = { op: 'bad', inputs: [x], backward: (g) => [g.mul(x).mul(3)] };
      return y;
    };
    const r = nb.gradcheck(bad, [nb.tensor([1, 2, 3])]);
    assert.equal(r.passed, false);
    assert.equal(r.failures.length, 3);
    assert.equal(nb.gradcheck((x) => nb.square(x), [nb.tensor([1, 2, 3])]).passed, true);
  });
});
