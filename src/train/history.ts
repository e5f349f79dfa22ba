/** Per-epoch values of the loss and metrics recorded by fit(), as Keras' History. */
export class History {
  /** The epoch numbers (0-based) that were run. */
  readonly epoch: number[] = [];
  /** One array per key ('loss', 'accuracy', 'val_loss', …), aligned with `epoch`. */
  readonly history: Record<string, number[]> = {};

  record(epoch: number, logs: Readonly<Record<string, number>>): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
