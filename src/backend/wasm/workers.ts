/**
 * A pool of worker threads that run kernel calls on the shared WebAssembly memory. Each worker
 * instantiates the same module over the same memory and blocks in Atomics.wait on its own slot of
 * a control array. A parallel run publishes a list of tasks (export index and arguments), wakes the
 * workers, and then every thread, the caller included, claims tasks from an atomic counter until
 * none are left. The caller then closes the run and waits only for workers that are inside it, so
 * a worker the OS has not scheduled yet (another process holding the core) costs nothing: the
 * caller does its share. Workers never spin (measured on a 2-core machine: a spinning pool
 * collapses when another process holds a core).
 *
 * Workers are worker_threads in Node and Web Workers (from a Blob URL) in browsers; both run the
 * same source, WORKER_BODY. A browser's main thread may not block, so there it polls instead.
 */

/** Most threads a pool runs, the main thread included. */
export const MAX_THREADS = 16;
/** Most tasks in one run (longer lists run in several). */
export const MAX_TASKS = 256;
/** Slots per task: the export index, then its arguments (the widest export takes 16). */
const ARGS = 24;

// Control words (Int32 indices).
const ACTIVE = 0; // workers inside the current run
const ERRORS = 1; // tasks that trapped on a worker
const RUN = 2; // id of the current run
const OPEN = 3; // 1 while the current run's tasks may be claimed
const NEXT = 4; // next task to claim
const TOTAL = 5; // tasks in the current run
const READY = 16;
const SLOT = 16 + MAX_THREADS;
const CONTROL_WORDS = 16 + 2 * MAX_THREADS;

export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  args: SharedArrayBuffer;
  index: number;
  names: string[];
}

/**
 * The worker's code, as the body of a function of its WorkerInit. Kept as plain JavaScript in a
 * string so that Node (eval worker) and browsers (Blob URL) run it without a bundler.
 */
const WORKER_BODY = `
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const fns = init.names.map((n) => instance.exports[n]);
  const ctrl = new Int32Array(init.control);
  const a = new Float64Array(init.args);
  const me = init.index;
  Atomics.store(ctrl, ${READY} + me, 1);
  Atomics.notify(ctrl, ${READY} + me);
  let seen = 0;
  for (;;) {
    Atomics.wait(ctrl, ${SLOT} + me, seen);
    seen = Atomics.load(ctrl, ${SLOT} + me);
    Atomics.add(ctrl, ${ACTIVE}, 1);
    // Join only the run this wake-up was for, and only while it is open.
    if (Atomics.load(ctrl, ${RUN}) === seen && Atomics.load(ctrl, ${OPEN}) === 1) {
      const total = Atomics.load(ctrl, ${TOTAL});
      for (let t = Atomics.add(ctrl, ${NEXT}, 1); t < total; t = Atomics.add(ctrl, ${NEXT}, 1)) {
        const b = t * ${ARGS};
        try {
          fns[a[b]](a[b + 1], a[b + 2], a[b + 3], a[b + 4], a[b + 5], a[b + 6], a[b + 7], a[b + 8], a[b + 9],
            a[b + 10], a[b + 11], a[b + 12], a[b + 13], a[b + 14], a[b + 15], a[b + 16], a[b + 17], a[b + 18],
            a[b + 19], a[b + 20]);
        } catch (e) {
          Atomics.add(ctrl, ${ERRORS}, 1);
        }
      }
    }
    if (Atomics.sub(ctrl, ${ACTIVE}, 1) === 1) Atomics.notify(ctrl, ${ACTIVE});
  }
`;

interface WorkerLike {
  unref?(): void;
  terminate(): unknown;
}

type Spawner = (init: WorkerInit) => WorkerLike;

interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: boolean; workerData: unknown }) => WorkerLike;
}

function nodeSpawner(): Spawner | null {
  const g = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  let wt: NodeWorkerThreads | undefined;
  try {
    wt = g.process?.getBuiltinModule?.('worker_threads') as NodeWorkerThreads | undefined;
  } catch {
    wt = undefined;
  }
  if (wt === undefined) return null;
  const source = `const init = require('node:worker_threads').workerData;\n${WORKER_BODY}`;
  return (init) => {
    const w = new wt.Worker(source, { eval: true, workerData: init });
    w.unref?.();
    return w;
  };
}

function webSpawner(): Spawner | null {
  const g = globalThis as { Worker?: new (url: string) => WorkerLike & { postMessage(m: unknown): void }; Blob?: typeof Blob; URL?: typeof URL };
  if (g.Worker === undefined || g.Blob === undefined || g.URL?.createObjectURL === undefined) return null;
  const url = g.URL.createObjectURL(new g.Blob([`onmessage = (e) => { onmessage = null; const init = e.data;\n${WORKER_BODY}\n};`], { type: 'text/javascript' }));
  const WorkerCtor = g.Worker;
  return (init) => {
    const w = new WorkerCtor(url);
    w.postMessage(init);
    return w;
  };
}

/** Whether this thread may block in Atomics.wait (Node's main thread may; a browser page's may not). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

export class ThreadPool {
  private readonly control = new SharedArrayBuffer(CONTROL_WORDS * 4);
  private readonly ctrl = new Int32Array(this.control);
  private readonly argBuffer = new SharedArrayBuffer(MAX_TASKS * ARGS * 8);
  private runId = 0;
  private readonly args = new Float64Array(this.argBuffer);
  private readonly workers: WorkerLike[] = [];
  private readonly blocking = canBlock();
  private broken = false;

  private constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly names: string[],
    private readonly spawn: Spawner,
  ) {}

  /** A pool for this environment, or null where workers or shared memory are unavailable. */
  static create(module: WebAssembly.Module, memory: WebAssembly.Memory, names: string[]): ThreadPool | null {
    if (!(memory.buffer instanceof SharedArrayBuffer)) return null;
    const spawn = nodeSpawner() ?? webSpawner();
    return spawn === null ? null : new ThreadPool(module, memory, names, spawn);
  }

  /**
   * Starts workers until `count` are ready; waits for them (in Node, blocking up to 10 s in all).
   * Returns how many are ready; on failure the pool stops being used.
   */
  ensure(count: number): number {
    if (this.broken) return 0;
    const want = Math.min(count, MAX_THREADS - 1);
    try {
      while (this.workers.length < want) {
        const index = this.workers.length + 1;
        this.workers.push(this.spawn({ module: this.module, memory: this.memory, control: this.control, args: this.argBuffer, index, names: this.names }));
      }
      if (!this.blocking) {
        // A browser main thread cannot wait: use the workers that have reported ready so far.
        let ready = 0;
        while (ready < want && Atomics.load(this.ctrl, READY + ready + 1) === 1) ready++;
        return ready;
      }
      const deadline = Date.now() + 10_000;
      for (let i = 1; i <= want; i++) {
        while (Atomics.load(this.ctrl, READY + i) !== 1) {
          const left = deadline - Date.now();
          if (left <= 0) throw new Error('wasm worker did not start');
          Atomics.wait(this.ctrl, READY + i, 0, left);
        }
      }
      return want;
    } catch {
      this.broken = true;
      for (const w of this.workers) w.terminate();
      this.workers.length = 0;
      return 0;
    }
  }

  /**
   * Runs every task ([export index, ...arguments]) on this thread (through
   * `runHere`) and on up to `workers` pool threads, whichever claims it first. Returns when all are
   * done; throws if one trapped.
   */
  run(tasks: readonly (readonly number[])[], workers: number, runHere: (task: readonly number[]) => void): void {
    if (tasks.length > MAX_TASKS) {
      for (let s = 0; s < tasks.length; s += MAX_TASKS) this.run(tasks.slice(s, s + MAX_TASKS), workers, runHere);
      return;
    }
    const ctrl = this.ctrl;
    const total = tasks.length;
    for (let t = 0; t < total; t++) {
      const task = tasks[t]!;
      const base = t * ARGS;
      for (let i = 0; i < ARGS; i++) this.args[base + i] = task[i] ?? 0;
    }
    const id = ++this.runId;
    Atomics.store(ctrl, ERRORS, 0);
    Atomics.store(ctrl, TOTAL, total);
    Atomics.store(ctrl, NEXT, 0);
    Atomics.store(ctrl, RUN, id);
    Atomics.store(ctrl, OPEN, 1);
    const wake = Math.min(workers, this.workers.length, total - 1);
    for (let w = 1; w <= wake; w++) {
      Atomics.store(ctrl, SLOT + w, id);
      Atomics.notify(ctrl, SLOT + w, 1);
    }
    let failure: unknown = null;
    for (let t = Atomics.add(ctrl, NEXT, 1); t < total; t = Atomics.add(ctrl, NEXT, 1)) {
      try {
        runHere(tasks[t]!);
      } catch (e) {
        failure ??= e;
      }
    }
    // Every task is claimed: close the run and wait for the workers still inside it.
    Atomics.store(ctrl, OPEN, 0);
    let active: number;
    while ((active = Atomics.load(ctrl, ACTIVE)) !== 0) {
      if (this.blocking) Atomics.wait(ctrl, ACTIVE, active);
    }
    if (failure !== null) throw failure;
    if (Atomics.load(ctrl, ERRORS) !== 0) throw new Error('wasm backend: a kernel trapped in a worker thread');
  }
}
