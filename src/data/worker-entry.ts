// The main module of each WorkerPool thread (Node worker_threads; see worker-pool.ts). It imports
// the user's module, looks up the exported function, then answers {id, input} messages with
// {id, ok, value} or {id, ok: false, error}, transferring the result's whole-buffer typed arrays.
import { parentPort, workerData } from 'node:worker_threads';
import { decodeFromThread, encodeForThread, serializeError } from './thread-transfer.js';

interface WorkerConfig {
  module: string;
  exportName: string;
  transferOutputs: boolean;
}

interface Task {
  id: number;
  input: unknown;
}

const config = workerData as WorkerConfig;
const port = parentPort!;

let fn: ((input: unknown) => unknown) | null = null;
try {
  const mod = (await import(config.module)) as Record<string, unknown>;
  const found = mod[config.exportName];
  if (typeof found !== 'function') {
    const names = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
    throw new TypeError(`the module exports no function named '${config.exportName}' (its exported functions: ${names.join(', ') || 'none'})`);
  }
  fn = found as (input: unknown) => unknown;
} catch (e) {
  port.postMessage({ type: 'init-error', error: serializeError(e) });
}

if (fn !== null) {
  const run = fn;
  port.on('message', (task: Task) => {
    void (async () => {
      try {
        const out = await run(decodeFromThread(task.input));
        const { value, transferList } = encodeForThread(out, config.transferOutputs);
        port.postMessage({ type: 'result', id: task.id, ok: true, value }, transferList);
      } catch (e) {
        port.postMessage({ type: 'result', id: task.id, ok: false, error: serializeError(e) });
      }
    })();
  });
}
