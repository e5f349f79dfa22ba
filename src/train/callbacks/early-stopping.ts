import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Callback, type Logs } from './callback.js';
import { checkInteger, checkMonitorAvailable, checkNumber, type MonitorMode, monitorValue, resolveMode, say } from './monitor.js';

export interface EarlyStoppingArgs {
  /** The logged value to watch (default 'val_loss'). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement after which training stops (default 0). */
  patience?: number;
  /** 'auto' (default) maximises accuracy-like values and minimises the rest. */
  mode?: MonitorMode;
  /** Training also stops unless the monitored value beats this within `patience` epochs. */
  baseline?: number;
  /** At the end of training, put back the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (warm-up; default 0). */
  startFromEpoch?: number;
  /** 1 prints when training stops and when weights are restored (default 0). */
  verbose?: 0 | 1;
}

/**
 * Stops training when the monitored value has stopped improving for `patience` epochs (Keras'
 * EarlyStopping, same rules): an epoch improves when it beats the best so far by more than
 * minDelta; with restoreBestWeights the best epoch's weights are restored at the end of fit().
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly verbose: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch (0-based) at which training was stopped, or 0 when it ran to the end. */
  stoppedEpoch = 0;
  /** The best monitored value so far (null before the first watched epoch). */
  best: number | null = null;
  /** The epoch (0-based) of the best value. */
  bestEpoch = 0;
  private bestWeights: Tensor[] | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    const what = 'earlyStopping';
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(checkNumber(args.minDelta, 0, what, 'minDelta', -Infinity));
    this.patience = checkInteger(args.patience, 0, what, 'patience');
    this.mode = resolveMode(this.monitor, args.mode, what);
    this.baseline = args.baseline ?? null;
    if (this.baseline !== null && !Number.isFinite(this.baseline)) throw new ValueError(`${what}: baseline must be a finite number, got ${this.baseline}`);
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = checkInteger(args.startFromEpoch, 0, what, 'startFromEpoch');
    this.verbose = args.verbose ?? 0;
  }

  /** Whether `value` beats `reference` by more than minDelta in the monitored direction. */
  private isImprovement(value: number, reference: number | null): boolean {
    if (reference === null) return true;
    return this.mode === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  override onTrainBegin(): void {
    checkMonitorAvailable(this.monitor, this.params, 'earlyStopping');
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestWeights = null;
    this.bestEpoch = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const current = monitorValue(logs, this.monitor);
    const model = this.model;
    if (current === null || model === null || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null) this.bestWeights = model.getWeights();
    this.wait += 1;
    // A NaN never improves (every comparison with it is false), as in Keras.
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = model.getWeights();
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) say(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null && this.model !== null) {
      if (this.verbose > 0) say(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model.setWeights(this.bestWeights);
    }
  }
}
