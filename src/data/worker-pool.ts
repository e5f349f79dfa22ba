// CPU-heavy dataset maps in parallel threads (Node worker_threads). A JS closure cannot cross a
// thread boundary, so the function to run is named by a module path and an export name; every
// worker imports that module once and then maps the elements sent to it.
//
// Node modules are imported lazily (on the first task), so importing this file is harmless in a
// browser; using a pool there throws a ValueError.
import { nodeModules } from '../io/node-modules.js';
import { DataError, ValueError } from '../tensor/errors.js';
import { LazyIterator, OrderedMapIterator } from './async-iterators.js';
import { Dataset } from './dataset.js';
import { decodeFromThread, deserializeError, encodeForThread, type SerializedError } from './thread-transfer.js';

type WorkerThreads = typeof import('node:worker_threads');
type NodeWorker = import('node:worker_threads').Worker;

export interface WorkerPoolOptions {
  /** Number of worker threads (default: available CPUs − 1, at least 1 and at most 8). Workers start on demand. */
  workers?: number;
  /**
   * Move (transfer) the ArrayBuffers of inputs to the workers instead of copying them (default
   * false). Only typed arrays and Tensors that span their whole buffer are moved; they become
   * unusable in the main thread, so enable it only for buffers nothing else reads (e.g. file bytes).
   */
  transferInputs?: boolean;
  /** Move the results' ArrayBuffers back instead of copying them (default true). */
  transferOutputs?: boolean;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: NodeWorker;
  pending: Map<number, Pending>;
}

interface Environment {
  threads: WorkerThreads;
  moduleUrl: string;
  entryUrl: string;
  tsxUrl: string | null;
  workers: number;
}

type ResultMessage = { type: 'result'; id: number; ok: true; value: unknown } | { type: 'result'; id: number; ok: false; error: SerializedError };
type WorkerMessage = ResultMessage | { type: 'init-error'; error: SerializedError };

// Each worker starts from this tiny ES module: under tsx (TypeScript sources) it registers tsx's
// loader in the worker first — Node 20 workers do not inherit loader hooks — then loads the entry.
const BOOT = `const { workerData } = await import('node:worker_threads');
if (workerData.tsx) (await import(workerData.tsx)).register();
await import(workerData.entry);
`;
const BOOT_URL = `data:text/javascript,${encodeURIComponent(BOOT)}`;

const TS_FILE = /\.[cm]?ts$/;

function describeModule(module: string | URL): string {
  return module instanceof URL ? module.href : module;
}

async function environment(module: string | URL, requested: number | undefined): Promise<Environment> {
  let threads: WorkerThreads;
  let url: typeof import('node:url');
  let path: typeof import('node:path');
  let os: typeof import('node:os');
  try {
    ({ workerThreads: threads, url, path, os } = await nodeModules('Worker threads'));
  } catch {
    throw new ValueError('WorkerPool: worker threads need Node.js (node:worker_threads is not available here)');
  }
  const isUrl = (s: string): boolean => /^(file|data|https?):/i.test(s);
  const moduleUrl = module instanceof URL ? module.href : isUrl(module) ? module : url.pathToFileURL(path.resolve(module)).href;
  const self = import.meta.url;
  const fromSources = TS_FILE.test(new URL(self).pathname);
  const entryUrl = new URL(fromSources ? './worker-entry.ts' : './worker-entry.js', self).href;
  let tsxUrl: string | null = null;
  if (fromSources || TS_FILE.test(new URL(moduleUrl).pathname)) {
    try {
      tsxUrl = import.meta.resolve('tsx/esm/api');
    } catch {
      throw new ValueError(`WorkerPool: ${describeModule(module)} is TypeScript; loading it in a worker needs the tsx package (npm install --save-dev tsx), or compile it to JavaScript`);
    }
  }
  const workers = requested ?? Math.max(1, Math.min(8, os.availableParallelism() - 1));
  return { threads, moduleUrl, entryUrl, tsxUrl, workers };
}

/**
 * A fixed set of worker threads that each run `module`'s export `exportName` on the inputs given to
 * `run()`. Inputs and results may be structured-clonable values, typed arrays and Tensors (also
 * inside arrays and plain records). Idle workers do not keep the process alive; `close()` ends them.
 *
 * `module` is a file path (resolved against the working directory) or a URL; prefer
 * `new URL('./my-worker.js', import.meta.url)`. The export may be async.
 */
export class WorkerPool {
  private env: Promise<Environment> | null = null;
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private failure: Error | null = null;
  private closed = false;
  private readonly transferInputs: boolean;
  private readonly transferOutputs: boolean;

  constructor(
    readonly module: string | URL,
    readonly exportName: string,
    private readonly options: WorkerPoolOptions = {},
  ) {
    if (typeof module !== 'string' && !(module instanceof URL)) throw new ValueError('WorkerPool: module must be a file path or URL of a module (JS closures cannot be sent to threads)');
    if (typeof exportName !== 'string' || exportName === '') throw new ValueError('WorkerPool: exportName must name a function exported by the module');
    if (options.workers !== undefined && (!Number.isInteger(options.workers) || options.workers <= 0)) {
      throw new ValueError(`WorkerPool: workers must be a positive integer, got ${String(options.workers)}`);
    }
    this.transferInputs = options.transferInputs ?? false;
    this.transferOutputs = options.transferOutputs ?? true;
  }

  /** Resolves the module and the worker count (without starting threads); returns the worker count. */
  async start(): Promise<number> {
    this.env ??= environment(this.module, this.options.workers);
    return (await this.env).workers;
  }

  /** Threads started so far. */
  get liveWorkers(): number {
    return this.slots.length;
  }

  /** Runs the function on `input` in a worker and resolves to its result. */
  async run<O = unknown>(input: unknown): Promise<O> {
    this.checkUsable();
    await this.start();
    const env = await this.env!;
    this.checkUsable();
    const slot = this.pick(env);
    const id = this.nextId++;
    return new Promise<O>((resolve, reject) => {
      let message: { value: unknown; transferList: ArrayBuffer[] };
      try {
        message = encodeForThread(input, this.transferInputs);
        slot.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        slot.worker.ref();
        slot.worker.postMessage({ id, input: message.value }, message.transferList);
      } catch (e) {
        slot.pending.delete(id);
        if (slot.pending.size === 0) slot.worker.unref();
        reject(new ValueError(`WorkerPool: cannot send the input to a worker (${e instanceof Error ? e.message : String(e)}); send typed arrays, Tensors, numbers, strings, arrays and plain objects`));
      }
    });
  }

  /** Ends every worker; pending runs reject. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new ValueError('WorkerPool: the pool was closed before this task finished');
    for (const slot of this.slots) {
      for (const p of slot.pending.values()) p.reject(error);
      slot.pending.clear();
    }
    // An idle worker is unref'd; ref it again so that the event loop stays alive until its exit,
    // otherwise a caller awaiting close() could be left pending when nothing else is scheduled.
    await Promise.all(
      this.slots.map((s) => {
        s.worker.ref();
        return s.worker.terminate().catch(() => 0);
      }),
    );
  }

  private checkUsable(): void {
    if (this.failure !== null) throw this.failure;
    if (this.closed) throw new ValueError('WorkerPool: the pool is closed');
  }

  private pick(env: Environment): Slot {
    const idle = this.slots.find((s) => s.pending.size === 0);
    if (idle !== undefined) return idle;
    if (this.slots.length < env.workers) return this.spawn(env);
    return this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private spawn(env: Environment): Slot {
    const what = `${this.exportName} from ${describeModule(this.module)}`;
    const worker = new env.threads.Worker(new URL(BOOT_URL), {
      workerData: { entry: env.entryUrl, tsx: env.tsxUrl, module: env.moduleUrl, exportName: this.exportName, transferOutputs: this.transferOutputs },
    });
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (m: WorkerMessage) => {
      if (this.closed) return; // a late result; close() already settled its task and keeps the worker ref'd until it exits
      if (m.type === 'init-error') {
        this.fail(deserializeError(m.error, `WorkerPool: cannot load ${what}`));
        return;
      }
      const p = slot.pending.get(m.id);
      if (p === undefined) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) worker.unref();
      if (m.ok) p.resolve(decodeFromThread(m.value));
      else p.reject(deserializeError(m.error, `WorkerPool: ${what} failed`));
    });
    worker.on('error', (e: unknown) => this.fail(e instanceof Error ? deserializeError({ name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) }, `WorkerPool: a worker running ${what} crashed`) : new DataError(`WorkerPool: a worker running ${what} crashed: ${String(e)}`)));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new DataError(`WorkerPool: a worker running ${what} exited unexpectedly (exit code ${code})`));
    });
    this.slots.push(slot);
    return slot;
  }

  /** Records the first failure, rejects every pending run with it, and ends the workers. */
  private fail(error: Error): void {
    if (this.closed) return;
    this.failure ??= error;
    for (const slot of this.slots) {
      for (const p of slot.pending.values()) p.reject(this.failure);
      slot.pending.clear();
    }
    void this.close();
  }
}

export interface MapInWorkersOptions extends WorkerPoolOptions {
  /** Elements sent to the workers ahead of the consumer (default 2 × workers); bounds read-ahead and memory. */
  maxInFlight?: number;
}

/**
 * A dataset transform that maps every element with `module`'s export `exportName` in a pool of
 * worker threads, keeping the element order: `ds.apply(mapInWorkers(url, 'decode', {workers: 4}))`.
 * Plain closures cannot cross threads, so the function must live in a module file. Each pass
 * starts its own pool on its first element and ends it when the pass ends, fails or is abandoned
 * (break / return()); idle workers never keep the process alive.
 */
export function mapInWorkers<T, U = unknown>(module: string | URL, exportName: string, options: MapInWorkersOptions = {}): (dataset: Dataset<T>) => Dataset<U> {
  new WorkerPool(module, exportName, options); // validates the arguments now rather than on the first element
  if (options.maxInFlight !== undefined && (!Number.isInteger(options.maxInFlight) || options.maxInFlight <= 0)) {
    throw new ValueError(`mapInWorkers: maxInFlight must be a positive integer, got ${String(options.maxInFlight)}`);
  }
  return (dataset: Dataset<T>): Dataset<U> => {
    if (!(dataset instanceof Dataset)) throw new ValueError('mapInWorkers: the transform applies to a Dataset');
    return new Dataset<U>(
      () =>
        new LazyIterator<U>(async () => {
          const pool = new WorkerPool(module, exportName, options);
          const workers = await pool.start();
          const source = dataset[Symbol.asyncIterator]();
          return new OrderedMapIterator<T, U>(source, (x) => pool.run<U>(x), options.maxInFlight ?? 2 * workers, () => pool.close());
        }),
      dataset.size,
    );
  };
}
