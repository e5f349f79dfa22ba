// Loads the images of a batch, in the main thread or in a pool of worker threads.
import { WorkerPool } from '../worker-pool.js';
import { type ImageTask, type ImageTaskResult, runImageTaskAsync } from './image-task.js';
import { imageNode } from './node.js';

/**
 * How many worker threads decode images by default: one fewer than the CPUs (the main thread
 * trains), at most 4; 0 (decode in the main thread) on a single CPU.
 */
export function defaultDecodeWorkers(): number {
  return Math.max(0, Math.min(4, imageNode().os.availableParallelism() - 1));
}

/**
 * Runs image tasks: with `workers` = 0 the files are read asynchronously and decoded in the calling
 * thread; otherwise in a WorkerPool of that many threads (started on the first batch; idle threads
 * never keep the process alive). Results keep the task order.
 */
export class ImageLoader {
  private pool: WorkerPool | null = null;
  private fallback = false;

  constructor(readonly workers: number) {}

  private workerPool(): WorkerPool {
    if (this.pool === null) {
      const fromSources = import.meta.url.endsWith('.ts');
      this.pool = new WorkerPool(new URL(fromSources ? './decode-worker.ts' : './decode-worker.js', import.meta.url), 'runImageTask', {
        workers: this.workers,
      });
    }
    return this.pool;
  }

  async load(tasks: readonly ImageTask[]): Promise<ImageTaskResult[]> {
    if (this.workers === 0 || this.fallback) return Promise.all(tasks.map((t) => runImageTaskAsync(t)));
    const pool = this.workerPool();
    try {
      // A task never throws (unreadable images come back as results), so a rejection means the pool itself failed.
      return await Promise.all(tasks.map((t) => pool.run<ImageTaskResult>(t)));
    } catch (e) {
      this.fallback = true;
      this.pool = null;
      void pool.close();
      console.warn(`image loader: decoding worker threads failed (${(e as Error).message}); decoding in the main thread from now on`);
      return Promise.all(tasks.map((t) => runImageTaskAsync(t)));
    }
  }

  /** Ends the worker threads (a later load starts new ones). */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool !== null) await pool.close();
  }
}
