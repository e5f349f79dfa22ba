// Training callbacks: the classes, and Keras-style factories (nb.callbacks.earlyStopping({...}) etc.).
import { CSVLogger, type CSVLoggerArgs } from './csv-logger.js';
import { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
import { LambdaCallback, type LambdaCallbackArgs } from './lambda-callback.js';
import { type EpochSchedule, LearningRateScheduler } from './learning-rate-scheduler.js';
import { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
import { TerminateOnNaN } from './terminate-on-nan.js';

export { Callback, CallbackList, type Logs, type TrainingParams } from './callback.js';
export { ProgbarLogger } from './progbar.js';
export type { MonitorMode } from './monitor.js';
export {
  CSVLogger, type CSVLoggerArgs, EarlyStopping, type EarlyStoppingArgs, LambdaCallback, type LambdaCallbackArgs, LearningRateScheduler,
  type EpochSchedule, ModelCheckpoint, type ModelCheckpointArgs, ReduceLROnPlateau, type ReduceLROnPlateauArgs, TerminateOnNaN,
};

/** Factories with Keras' (camelCase) names. */
export const callbacks = {
  earlyStopping: (args: EarlyStoppingArgs = {}): EarlyStopping => new EarlyStopping(args),
  modelCheckpoint: (args: ModelCheckpointArgs): ModelCheckpoint => new ModelCheckpoint(args),
  reduceLROnPlateau: (args: ReduceLROnPlateauArgs = {}): ReduceLROnPlateau => new ReduceLROnPlateau(args),
  /** `learningRateScheduler(fn)` or `learningRateScheduler({schedule: fn, verbose})`. */
  learningRateScheduler: (arg: EpochSchedule | { schedule: EpochSchedule; verbose?: 0 | 1 }): LearningRateScheduler =>
    typeof arg === 'function' ? new LearningRateScheduler(arg) : new LearningRateScheduler(arg?.schedule, arg?.verbose ?? 0),
  csvLogger: (args: CSVLoggerArgs): CSVLogger => new CSVLogger(args),
  terminateOnNaN: (): TerminateOnNaN => new TerminateOnNaN(),
  lambdaCallback: (args: LambdaCallbackArgs = {}): LambdaCallback => new LambdaCallback(args),
};
