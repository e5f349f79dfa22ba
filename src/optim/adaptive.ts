import { noGrad } from '../autograd/tape.js';
import { add, div, maximum, mul, sub } from '../ops/binary.js';
import { abs, sqrt, square } from '../ops/unary.js';
import { full } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { flushSubnormals, Optimizer, type OptimizerArgs } from './optimizer.js';

// The less common adaptive optimizers, written with tensor ops (they run on whatever backend is
// active). Formulas follow TensorFlow.js so that the differential tests compare like with like.

/** Replaces a slot's values in place and flushes subnormals. */
function store(slot: Tensor, value: Tensor): void {
  slot.assign(value);
  flushSubnormals(slot.values);
}

export interface RmsPropArgs extends OptimizerArgs {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/** RMSprop: ms ← ρ·ms + (1−ρ)g²; w ← w − lr·g/√(ms + ε) (centered: ms − mg² in the root). */
export class RMSprop extends Optimizer {
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(args: RmsPropArgs = {}) {
    super(args, 0.001);
    this.rho = args.rho ?? 0.9;
    this.momentum = args.momentum ?? 0;
    this.epsilon = args.epsilon ?? 1e-7;
    this.centered = args.centered ?? false;
  }

  protected update(param: Tensor, grad: Tensor, lr: number): void {
    noGrad(() => {
      const ms = this.slot(param, 'ms');
      store(ms, add(mul(ms, this.rho), mul(square(grad), 1 - this.rho)));
      let denom = ms;
      if (this.centered) {
        const mg = this.slot(param, 'mg');
        store(mg, add(mul(mg, this.rho), mul(grad, 1 - this.rho)));
        denom = sub(ms, square(mg));
      }
      const step = div(mul(grad, lr), sqrt(add(denom, this.epsilon)));
      if (this.momentum > 0) {
        const mom = this.slot(param, 'momentum');
        store(mom, add(mul(mom, this.momentum), step));
        param.assign(sub(param, mom));
      } else {
        param.assign(sub(param, step));
      }
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

export interface AdagradArgs extends OptimizerArgs {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** Adagrad: acc ← acc + g²; w ← w − lr·g/√(acc + ε). */
export class Adagrad extends Optimizer {
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(args: AdagradArgs = {}) {
    super(args, 0.001);
    this.initialAccumulatorValue = args.initialAccumulatorValue ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected update(param: Tensor, grad: Tensor, lr: number): void {
    noGrad(() => {
      const acc = this.slot(param, 'accumulator', () => full(param.shape, this.initialAccumulatorValue, param.dtype));
      store(acc, add(acc, square(grad)));
      param.assign(sub(param, div(mul(grad, lr), sqrt(add(acc, this.epsilon)))));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

export interface AdadeltaArgs extends OptimizerArgs {
  rho?: number;
  epsilon?: number;
}

/** Adadelta (Zeiler): update = √(accΔ + ε)/√(accG + ε)·g, both accumulators decaying with ρ. */
export class Adadelta extends Optimizer {
  readonly rho: number;
  readonly epsilon: number;

  constructor(args: AdadeltaArgs = {}) {
    super(args, 0.001);
    this.rho = args.rho ?? 0.95;
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected update(param: Tensor, grad: Tensor, lr: number): void {
    noGrad(() => {
      const accG = this.slot(param, 'accumulatedGrad');
      const accU = this.slot(param, 'accumulatedUpdate');
      store(accG, add(mul(accG, this.rho), mul(square(grad), 1 - this.rho)));
      const upd = mul(div(sqrt(add(accU, this.epsilon)), sqrt(add(accG, this.epsilon))), grad);
      store(accU, add(mul(accU, this.rho), mul(square(upd), 1 - this.rho)));
      param.assign(sub(param, mul(upd, lr)));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}

export interface AdamaxArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Adamax: the infinity-norm variant of Adam, u ← max(β₂u, |g|); w ← w − lr/(1−β₁ᵗ)·m/(u + ε). */
export class Adamax extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args: AdamaxArgs = {}) {
    super(args, 0.002);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected update(param: Tensor, grad: Tensor, lr: number): void {
    noGrad(() => {
      const t = this.iterations + 1;
      const m = this.slot(param, 'm');
      const u = this.slot(param, 'u');
      store(m, add(mul(m, this.beta1), mul(grad, 1 - this.beta1)));
      store(u, maximum(mul(u, this.beta2), abs(grad)));
      param.assign(sub(param, mul(div(m, add(u, this.epsilon)), lr / (1 - this.beta1 ** t))));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** Nadam: Adam with Nesterov momentum and Keras' momentum schedule μₜ = β₁(1 − ½·0.96^(0.004t)). */
export class Nadam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private uProduct = 1;
  private uProductStep = 0;

  constructor(args: AdamaxArgs = {}) {
    super(args, 0.001);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected update(param: Tensor, grad: Tensor, lr: number): void {
    const t = this.iterations + 1;
    const uT = this.beta1 * (1 - 0.5 * 0.96 ** (0.004 * t));
    const uNext = this.beta1 * (1 - 0.5 * 0.96 ** (0.004 * (t + 1)));
    // The running product of μ advances once per step, shared by every parameter of that step.
    if (this.uProductStep !== t) {
      this.uProduct *= uT;
      this.uProductStep = t;
    }
    const uProductT = this.uProduct;
    const uProductNext = uProductT * uNext;
    noGrad(() => {
      const m = this.slot(param, 'm');
      const v = this.slot(param, 'v');
      store(m, add(mul(m, this.beta1), mul(grad, 1 - this.beta1)));
      store(v, add(mul(v, this.beta2), mul(square(grad), 1 - this.beta2)));
      const mHat = add(mul(m, uNext / (1 - uProductNext)), mul(grad, (1 - uT) / (1 - uProductT)));
      const vHat = div(v, 1 - this.beta2 ** t);
      param.assign(sub(param, mul(div(mHat, add(sqrt(vHat), this.epsilon)), lr)));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
