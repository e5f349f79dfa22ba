// TensorFlow.js as a competitor: its CPU backend (plain JavaScript) and its WebAssembly backend
// (XNNPACK, SIMD), whose .wasm files load from node_modules. In Node, tfjs-backend-wasm disables
// multi-threading (WASM_HAS_MULTITHREAD_SUPPORT is false under Node, tfjs issue #3830), so it runs
// on one thread whatever setThreadsCount says; the CPU backend is single-threaded too.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';

export type TfBackend = 'cpu' | 'wasm';

export interface TfjsStatus {
  version: string;
  cpu: true | string;
  wasm: true | string;
  wasmThreads: number | null;
  wasmSimd: boolean | null;
}

let status: Promise<TfjsStatus> | null = null;

async function init(): Promise<TfjsStatus> {
  // Production mode: no debug checks, and no "install tfjs-node" banner on stderr.
  tf.enableProdMode();
  const s: TfjsStatus = { version: tf.version.tfjs, cpu: true, wasm: true, wasmThreads: null, wasmSimd: null };
  try {
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    tfwasm.setWasmPaths(dir + path.sep);
    tfwasm.setThreadsCount(1);
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('tf.setBackend("wasm") returned false');
    await tf.ready();
    s.wasmThreads = tfwasm.getThreadsCount();
    s.wasmSimd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  } catch (e) {
    s.wasm = e instanceof Error ? e.message : String(e);
  }
  try {
    const ok = await tf.setBackend('cpu');
    if (!ok) throw new Error('tf.setBackend("cpu") returned false');
  } catch (e) {
    s.cpu = e instanceof Error ? e.message : String(e);
  }
  return s;
}

/** Initialises both TensorFlow.js backends once. */
export function tfjs(): Promise<TfjsStatus> {
  status ??= init();
  return status;
}

/** Makes `name` TensorFlow.js's active backend (tensors must be created after switching). */
export async function useTf(name: TfBackend): Promise<void> {
  if (tf.getBackend() !== name) await tf.setBackend(name);
}

export { tf };
