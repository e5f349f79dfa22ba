import { backend } from '../backend/registry.js';
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type OptimizerArgs } from './optimizer.js';

export interface SgdArgs extends OptimizerArgs {
  momentum?: number;
  nesterov?: boolean;
  /** L2 penalty coefficient added to the gradient (PyTorch's weight_decay). */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent, Keras' form: v ← μv − lr·g; w ← w + v (Nesterov: w ← w + μv − lr·g).
 * Runs as one fused backend kernel per parameter.
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;

  constructor(args: SgdArgs = {}) {
    super(args, 0.01);
    this.momentum = args.momentum ?? 0;
    this.nesterov = args.nesterov ?? false;
    this.weightDecay = args.weightDecay ?? 0;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new ValueError(`sgd: momentum must be in [0, 1), got ${this.momentum}`);
  }

  protected update(param: Tensor, grad: Tensor, lr: number): void {
    const velocity = this.momentum > 0 ? this.slot(param, 'momentum').values : null;
    backend().sgdUpdate(param.values, grad.values, velocity, { lr, momentum: this.momentum, nesterov: this.nesterov, weightDecay: this.weightDecay });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov, weightDecay: this.weightDecay };
  }
}
