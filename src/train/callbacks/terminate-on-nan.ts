import { Callback, type Logs } from './callback.js';

/**
 * Stops training at the first batch whose loss is NaN or infinite (Keras' TerminateOnNaN). Its
 * presence also makes fit() skip that batch's update, so the weights stay those of the last good
 * step, and fit() prints which batch failed and whether its inputs contain NaN or Infinity.
 */
export class TerminateOnNaN extends Callback {
  override readonly stopsOnNonFiniteLoss = true;
  /** Where training was stopped ({epoch, batch}, 0-based), or null. */
  stoppedAt: { epoch: number; batch: number } | null = null;
  private epoch = 0;

  override onTrainBegin(): void {
    this.stoppedAt = null;
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs['loss'];
    if (typeof loss === 'number' && !Number.isFinite(loss) && this.model !== null) {
      this.stoppedAt = { epoch: this.epoch, batch };
      this.model.stopTraining = true;
    }
  }
}
