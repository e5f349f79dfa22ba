import { ValueError } from '../../tensor/errors.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { Callback, type Logs } from './callback.js';
import { checkInteger, checkMonitorAvailable, checkNumber, type MonitorMode, monitorValue, resolveMode, say } from './monitor.js';

export interface ReduceLROnPlateauArgs {
  /** The logged value to watch (default 'val_loss'). */
  monitor?: string;
  /** Multiplies the learning rate on a plateau (default 0.1; must be < 1). */
  factor?: number;
  /** Epochs without improvement before the rate is reduced (default 10). */
  patience?: number;
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** The learning rate never goes below this (default 0). */
  minLr?: number;
  verbose?: 0 | 1;
}

/**
 * Multiplies the optimizer's learning rate by `factor` when the monitored value has not improved
 * for `patience` epochs (Keras' ReduceLROnPlateau, same rules), never below `minLr`.
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: number;
  wait = 0;
  cooldownCounter = 0;
  best = Infinity;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    const what = 'reduceLROnPlateau';
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = checkNumber(args.factor, 0.1, what, 'factor');
    if (this.factor >= 1) throw new ValueError(`${what}: factor must be < 1 (it multiplies the learning rate), got ${this.factor}`);
    this.patience = checkInteger(args.patience, 10, what, 'patience');
    this.mode = resolveMode(this.monitor, args.mode, what);
    this.minDelta = checkNumber(args.minDelta, 1e-4, what, 'minDelta');
    this.cooldown = checkInteger(args.cooldown, 0, what, 'cooldown');
    this.minLr = checkNumber(args.minLr, 0, what, 'minLr');
    this.verbose = args.verbose ?? 0;
  }

  private improves(current: number): boolean {
    return this.mode === 'min' ? current < this.best - this.minDelta : current > this.best + this.minDelta;
  }

  private get optimizer(): Optimizer {
    const opt = this.model?.optimizer ?? null;
    if (opt === null) throw new ValueError('reduceLROnPlateau: the model has no optimizer; compile it first');
    return opt;
  }

  override onTrainBegin(): void {
    checkMonitorAvailable(this.monitor, this.params, 'reduceLROnPlateau');
    if (typeof this.optimizer.learningRateSetting !== 'number') {
      throw new ValueError('reduceLROnPlateau: the optimizer follows a learning-rate schedule, which this callback cannot change; use a constant learningRate');
    }
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const current = monitorValue(logs, this.monitor);
    if (current === null) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.improves(current)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.cooldownCounter > 0) return;
    this.wait += 1;
    if (this.wait < this.patience) return;
    const opt = this.optimizer;
    const old = opt.learningRate;
    if (old > this.minLr) {
      const next = Math.max(old * this.factor, this.minLr);
      opt.learningRate = next;
      if (this.verbose > 0) say(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
      this.cooldownCounter = this.cooldown;
      this.wait = 0;
    }
  }
}
