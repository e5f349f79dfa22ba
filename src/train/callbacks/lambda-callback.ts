import { ValueError } from '../../tensor/errors.js';
import { Callback, type Logs } from './callback.js';

const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'];

type Hook<A extends unknown[]> = (...args: A) => void | Promise<void>;

export interface LambdaCallbackArgs {
  onTrainBegin?: Hook<[logs: Logs]>;
  onTrainEnd?: Hook<[logs: Logs]>;
  onEpochBegin?: Hook<[epoch: number, logs: Logs]>;
  onEpochEnd?: Hook<[epoch: number, logs: Logs]>;
  onBatchBegin?: Hook<[batch: number, logs: Logs]>;
  onBatchEnd?: Hook<[batch: number, logs: Logs]>;
}

/** A callback built from functions (Keras' LambdaCallback, TensorFlow.js' CustomCallback); hooks may be async. */
export class LambdaCallback extends Callback {
  constructor(readonly hooks: LambdaCallbackArgs = {}) {
    super();
    if (hooks === null || typeof hooks !== 'object') throw new ValueError(`lambdaCallback: expected an object of hooks, got ${hooks === null ? 'null' : typeof hooks}`);
    for (const [k, v] of Object.entries(hooks)) {
      if (!HOOKS.includes(k)) throw new ValueError(`lambdaCallback: unknown hook '${k}'; valid hooks: ${HOOKS.join(', ')}`);
      if (v !== undefined && typeof v !== 'function') throw new ValueError(`lambdaCallback: hook '${k}' must be a function, got ${typeof v}`);
    }
  }

  override async onTrainBegin(logs: Logs): Promise<void> {
    await this.hooks.onTrainBegin?.(logs);
  }

  override async onTrainEnd(logs: Logs): Promise<void> {
    await this.hooks.onTrainEnd?.(logs);
  }

  override async onEpochBegin(epoch: number, logs: Logs): Promise<void> {
    await this.hooks.onEpochBegin?.(epoch, logs);
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    await this.hooks.onEpochEnd?.(epoch, logs);
  }

  override async onBatchBegin(batch: number, logs: Logs): Promise<void> {
    await this.hooks.onBatchBegin?.(batch, logs);
  }

  override async onBatchEnd(batch: number, logs: Logs): Promise<void> {
    await this.hooks.onBatchEnd?.(batch, logs);
  }
}
