// The iterator returned by flow and flowFromDirectory: a re-iterable source of batches that
// model.fit consumes directly (like a Keras Sequence), one epoch per iterator() call.
import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { baseSeed, epochOrder } from './seeds.js';

/** One batch: images (and labels, unless classMode is null; sample weights when given). */
export interface ImageBatch {
  xs: Tensor;
  ys?: Tensor;
  sampleWeight?: Tensor;
}

export interface BatchIteratorOptions {
  batchSize?: number;
  shuffle?: boolean;
  seed?: number;
}

/**
 * Batches of `samples` items in a (seeded, per-epoch) shuffled order. Subclasses load the batch
 * for a list of sample indices. Every call of `iterator()` (or `for await`) is one epoch: each
 * sample appears exactly once, and with shuffling the order changes from epoch to epoch, the same
 * way for the same seed. The next batch is loaded while the current one is being consumed.
 */
export abstract class BatchIterator {
  readonly batchSize: number;
  readonly shuffle: boolean;
  /** The seed the orders and augmentations derive from (drawn from the global generator when not given). */
  readonly seed: number;
  /** Epochs started so far (calls of iterator()). */
  epochsStarted = 0;

  constructor(
    readonly samples: number,
    options: BatchIteratorOptions,
    what: string,
  ) {
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new ValueError(`${what}: batchSize must be a positive integer, got ${String(batchSize)}`);
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? true;
    this.seed = baseSeed(options.seed, what);
  }

  /** Batches per epoch (Keras' len(iterator)). */
  get numBatches(): number {
    return Math.ceil(this.samples / this.batchSize);
  }

  /** Same as numBatches. */
  get length(): number {
    return this.numBatches;
  }

  /** Loads the batch of the given sample indices (in that order) for `epoch`. */
  protected abstract loadBatch(indices: Int32Array, epoch: number): Promise<ImageBatch | null>;

  /** The sample order of `epoch`. */
  orderOf(epoch: number): Int32Array {
    return epochOrder(this.samples, this.shuffle, this.seed, epoch);
  }

  /**
   * Batch `index` of the current epoch's order (the last epoch started, or the first): Keras'
   * `iterator[index]`. Resolves to null when every image of the batch was skipped as unreadable.
   */
  async getBatch(index: number): Promise<ImageBatch | null> {
    if (!Number.isInteger(index) || index < 0 || index >= this.numBatches) {
      throw new ValueError(`getBatch: index must be an integer in [0, ${this.numBatches}), got ${index}`);
    }
    const epoch = Math.max(this.epochsStarted - 1, 0);
    const order = this.orderOf(epoch);
    return this.loadBatch(order.subarray(index * this.batchSize, Math.min((index + 1) * this.batchSize, this.samples)), epoch);
  }

  /** One epoch of batches, loading one batch ahead. Batches whose every image was skipped are left out. */
  async iterator(): Promise<AsyncGenerator<ImageBatch>> {
    return this.epoch(this.epochsStarted++);
  }

  [Symbol.asyncIterator](): AsyncGenerator<ImageBatch> {
    return this.epoch(this.epochsStarted++);
  }

  private async *epoch(epoch: number): AsyncGenerator<ImageBatch> {
    const order = this.orderOf(epoch);
    const load = (b: number): Promise<ImageBatch | null> =>
      this.loadBatch(order.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, this.samples)), epoch);
    const n = this.numBatches;
    let next: Promise<ImageBatch | null> | null = n > 0 ? load(0) : null;
    for (let b = 0; b < n; b++) {
      const current = next!;
      next = b + 1 < n ? load(b + 1) : null;
      // Keep a rejected look-ahead from being reported as unhandled if the consumer stops here.
      next?.catch(() => undefined);
      const batch = await current;
      if (batch !== null) yield batch;
    }
  }
}
