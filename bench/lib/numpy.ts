// numpy as a competitor: a long-lived python3 child (bench/python/numpy_worker.py) per thread count,
// driven one request at a time so that it takes its turn in the interleaved rounds. OPENBLAS_CORETYPE
// and OPENBLAS_L2_SIZE are removed from the child's environment only (they may pin OpenBLAS to a
// slower kernel), and OPENBLAS_NUM_THREADS / OMP_NUM_THREADS / MKL_NUM_THREADS are set to its thread count.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'python', 'numpy_worker.py');
const REMOVED_ENV = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

type Reply = { ok: true; [key: string]: unknown } | { ok: false; error: string };

export class NumpyWorker {
  private readonly pending: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];
  private stderr = '';
  private exited: string | null = null;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly threads: number,
  ) {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const p = this.pending.shift();
      if (!p) return;
      try {
        p.resolve(JSON.parse(line) as Reply);
      } catch {
        p.reject(new Error(`numpy worker wrote a line that is not JSON: ${line.slice(0, 200)}`));
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    const fail = (why: string): void => {
      this.exited = why;
      for (const p of this.pending.splice(0)) p.reject(new Error(`${why}${this.stderr ? `: ${this.stderr.trim().split('\n').pop()}` : ''}`));
    };
    child.on('exit', (code, signal) => fail(`numpy worker exited (code ${code}, signal ${signal})`));
    child.on('error', (e) => fail(`numpy worker could not start: ${e.message}`));
  }

  /** Starts a worker with `threads` BLAS threads; resolves to an error string when python3 or numpy is missing. */
  static async start(threads: number): Promise<NumpyWorker | string> {
    const env = { ...process.env };
    for (const k of REMOVED_ENV) delete env[k];
    for (const k of ['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS']) env[k] = String(threads);
    const python = process.env['NABLA_BENCH_PYTHON'] ?? 'python3';
    const child = spawn(python, ['-u', WORKER], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const w = new NumpyWorker(child, threads);
    try {
      const first = await w.next();
      if (!first.ok) {
        w.close();
        return first.error;
      }
      return w;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  private next(): Promise<Reply> {
    if (this.exited !== null) return Promise.reject(new Error(this.exited));
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  /** Sends one request and waits for its reply; throws on an error reply. */
  async request(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
    const reply = this.next();
    this.child.stdin.write(`${JSON.stringify(msg)}\n`);
    const r = await reply;
    if (!r.ok) throw new Error(`numpy: ${r.error}`);
    return r;
  }

  /** Runs a timed command and returns the seconds the child measured. */
  async seconds(msg: Record<string, unknown>): Promise<number> {
    const r = await this.request(msg);
    return Number(r['seconds']);
  }

  close(): void {
    if (this.exited === null) {
      this.child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
      this.exited = 'closed';
    }
  }
}

export const NUMPY_REMOVED_ENV = REMOVED_ENV;
