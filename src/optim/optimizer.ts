import { noGrad } from '../autograd/tape.js';
import { Variable } from '../nn/variable.js';
import { clip, mul } from '../ops/binary.js';
import { sum } from '../ops/reduce.js';
import { square } from '../ops/unary.js';
import { output } from '../ops/util.js';
import type { DataArray } from '../tensor/dtype.js';
import { ShapeError, ValueError } from '../tensor/errors.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { LearningRateSchedule } from './schedules.js';

/** A parameter: a layer Variable or a plain leaf tensor that requires gradients. */
export type Param = Variable | Tensor;
export type GradientPairs = Iterable<readonly [Param, Tensor]> | Map<Param, Tensor>;

export interface OptimizerArgs {
  learningRate?: number | LearningRateSchedule;
  /** Clip each gradient elementwise to [−clipValue, clipValue]. */
  clipValue?: number;
  /** Rescale each gradient whose L2 norm exceeds clipNorm. */
  clipNorm?: number;
  /** Rescale all gradients together when their global L2 norm exceeds globalClipNorm. */
  globalClipNorm?: number;
}

const FLT_MIN = 1.1754943508222875e-38;

/** Flushes subnormal float32 values to zero (they make x86 arithmetic many times slower). */
export function flushSubnormals(values: DataArray): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== 0 && Math.abs(v) < FLT_MIN) values[i] = 0;
  }
}

function tensorOf(p: Param): Tensor {
  return p instanceof Variable ? p.value : p;
}

/**
 * Base of all optimizers. Updates happen in place, outside autograd, on the parameters' own
 * storage; per-parameter state ("slots") is created lazily. Works with `fit`, with Keras'
 * `applyGradients(pairs)` and with PyTorch's `step()` after `loss.backward()`.
 */
export abstract class Optimizer {
  /** Number of update steps applied so far. */
  iterations = 0;
  readonly clipValue: number | null;
  readonly clipNorm: number | null;
  readonly globalClipNorm: number | null;
  private lr: number | LearningRateSchedule;
  private readonly slots = new WeakMap<Tensor, Map<string, Tensor>>();

  constructor(args: OptimizerArgs, defaultLearningRate: number) {
    this.lr = args.learningRate ?? defaultLearningRate;
    if (typeof this.lr === 'number' && !(this.lr >= 0)) {
      throw new ValueError(`${this.constructor.name}: learningRate must be a non-negative number, got ${this.lr}`);
    }
    this.clipValue = args.clipValue ?? null;
    this.clipNorm = args.clipNorm ?? null;
    this.globalClipNorm = args.globalClipNorm ?? null;
  }

  /** The learning rate for the next step (a schedule is evaluated at `iterations`). */
  get learningRate(): number {
    return typeof this.lr === 'number' ? this.lr : this.lr(this.iterations);
  }

  set learningRate(value: number | LearningRateSchedule) {
    if (typeof value === 'number' && !(value >= 0)) throw new ValueError(`learningRate must be a non-negative number, got ${value}`);
    this.lr = value;
  }

  /** The learning rate setting itself: a number or a schedule. */
  get learningRateSetting(): number | LearningRateSchedule {
    return this.lr;
  }

  /** Applies one update with the given gradients (Keras' apply_gradients). */
  applyGradients(pairs: GradientPairs): void {
    const list: [Param, Tensor][] = [];
    for (const [p, g] of pairs) list.push([p, g]);
    for (const [p, g] of list) {
      const t = tensorOf(p);
      if (!shapesEqual(t.shape, g.shape)) {
        const name = p instanceof Variable ? p.name : 'parameter';
        throw new ShapeError(`${this.constructor.name}: gradient of shape ${formatShape(g.shape)} for ${name} of shape ${formatShape(t.shape)}`);
      }
    }
    noGrad(() => {
      const grads = this.clip(list.map(([, g]) => g));
      const lr = this.learningRate;
      list.forEach(([p, _], i) => {
        const t = tensorOf(p);
        this.update(t, grads[i]!, lr);
        if (p instanceof Variable && p.constraint !== null) t.assign(p.constraint(t));
      });
    });
    this.iterations++;
  }

  /**
   * PyTorch style: updates each parameter from its `.grad` (filled by `loss.backward()`); with
   * `grads`, uses those instead, in the same order.
   */
  step(params: readonly Param[], grads?: readonly Tensor[]): void {
    if (grads !== undefined && grads.length !== params.length) {
      throw new ValueError(`${this.constructor.name}.step: ${params.length} parameters but ${grads.length} gradients`);
    }
    const pairs: [Param, Tensor][] = [];
    params.forEach((p, i) => {
      const g = grads?.[i] ?? tensorOf(p).grad;
      if (g !== null && g !== undefined) pairs.push([p, g]);
    });
    this.applyGradients(pairs);
  }

  /** Clears `.grad` on the parameters (PyTorch's zero_grad). */
  zeroGrad(params: readonly Param[]): void {
    for (const p of params) tensorOf(p).grad = null;
  }

  /** Updates `param` in place from `grad`. */
  protected abstract update(param: Tensor, grad: Tensor, lr: number): void;

  /** Per-parameter state, zero-initialised on first use. */
  protected slot(param: Tensor, name: string, init?: () => Tensor): Tensor {
    let m = this.slots.get(param);
    if (m === undefined) {
      m = new Map();
      this.slots.set(param, m);
    }
    let s = m.get(name);
    if (s === undefined) {
      // Zeros in backend storage, so the fused update kernels work on the slots in place.
      s = init ? init() : output(param.shape, param.dtype);
      m.set(name, s);
    }
    return s;
  }

  private clip(grads: Tensor[]): Tensor[] {
    let out = grads;
    if (this.clipValue !== null) {
      const c = this.clipValue;
      out = out.map((g) => clip(g, -c, c));
    }
    if (this.clipNorm !== null) {
      const c = this.clipNorm;
      out = out.map((g) => {
        const n = Math.sqrt(sum(square(g)).item());
        return n > c ? mul(g, c / n) : g;
      });
    }
    if (this.globalClipNorm !== null) {
      const c = this.globalClipNorm;
      let total = 0;
      for (const g of out) total += sum(square(g)).item();
      const n = Math.sqrt(total);
      if (n > c) out = out.map((g) => mul(g, c / n));
    }
    return out;
  }

  getConfig(): Record<string, unknown> {
    const lr = this.lr;
    return {
      learningRate: typeof lr === 'number' ? lr : lr.config,
      clipValue: this.clipValue,
      clipNorm: this.clipNorm,
      globalClipNorm: this.globalClipNorm,
    };
  }
}

