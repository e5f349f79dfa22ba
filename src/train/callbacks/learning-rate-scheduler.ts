import { ValueError } from '../../tensor/errors.js';
import { Callback } from './callback.js';
import { say } from './monitor.js';

/** Maps the epoch (0-based) and the current learning rate to the rate for that epoch. */
export type EpochSchedule = (epoch: number, lr: number) => number | Promise<number>;

/**
 * Sets the optimizer's learning rate at the start of every epoch to `schedule(epoch, lr)` (Keras'
 * LearningRateScheduler). For per-step schedules, pass a schedule as the optimizer's learningRate.
 */
export class LearningRateScheduler extends Callback {
  constructor(
    readonly schedule: EpochSchedule,
    readonly verbose: 0 | 1 = 0,
  ) {
    super();
    if (typeof schedule !== 'function') throw new ValueError(`learningRateScheduler: expected a function (epoch, lr) => lr, got ${typeof schedule}`);
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    const opt = this.model?.optimizer ?? null;
    if (opt === null) throw new ValueError('learningRateScheduler: the model has no optimizer; compile it first');
    const lr = await this.schedule(epoch, opt.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new ValueError(`learningRateScheduler: the schedule returned ${String(lr)} for epoch ${epoch}; it must return a finite number ≥ 0`);
    }
    opt.learningRate = lr;
    if (this.verbose > 0) say(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }
}
