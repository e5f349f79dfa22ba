import { backend } from '../backend/registry.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type OptimizerArgs } from './optimizer.js';

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Adam: L2 penalty added to the gradient. AdamW: decoupled decay of the weights. */
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba) in the form of PyTorch and TensorFlow.js: w ← w − lr·m̂/(√v̂ + ε). One fused
 * backend kernel per parameter, which also flushes subnormal moments to zero.
 */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  protected readonly decoupled: boolean = false;

  constructor(args: AdamArgs = {}, defaultWeightDecay = 0) {
    super(args, 0.001);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    this.weightDecay = args.weightDecay ?? defaultWeightDecay;
  }

  protected update(param: Tensor, grad: Tensor, lr: number): void {
    const m = this.slot(param, 'm');
    const v = this.slot(param, 'v');
    backend().adamUpdate(param.values, grad.values, m.values, v.values, {
      lr,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      step: this.iterations + 1,
      weightDecay: this.weightDecay,
      decoupled: this.decoupled,
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, weightDecay: this.weightDecay };
  }
}

/** AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, w ← w − lr·λ·w (default λ = 0.004, as Keras). */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  constructor(args: AdamArgs = {}) {
    super(args, 0.004);
  }
}
