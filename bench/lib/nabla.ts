// nabla's backends as benchmark competitors: which ones load here, switching between them, and
// their thread counts (a backend's optional `setThreads(n)` hook, or nb.setNumThreads when exported).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as nb from '../../src/index.js';
import { backend as activeBackend } from '../../src/backend/registry.js';

export type BackendName = nb.BackendName;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Optional hooks an accelerated backend may offer beyond the kernel interface. */
interface ThreadHooks {
  setThreads?: (n: number) => void;
  getThreads?: () => number;
  numThreads?: number;
  threads?: number;
}

interface NbThreadApi {
  setNumThreads?: (n: number) => void;
  getNumThreads?: () => number;
}

const api = nb as unknown as NbThreadApi;

/**
 * Loads modules that register accelerated backends when they are not loaded by the index
 * (a `nabla/node` entry, for example), then lists the backends that load, fastest first.
 * NABLA_BENCH_IMPORTS (comma-separated paths relative to the repository) adds more such modules.
 */
export async function nablaBackends(): Promise<{ names: BackendName[]; imported: string[] }> {
  const candidates = ['src/node.ts', 'src/node/index.ts', ...(process.env['NABLA_BENCH_IMPORTS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean)];
  const imported: string[] = [];
  for (const rel of candidates) {
    const file = path.resolve(ROOT, rel);
    if (!fs.existsSync(file)) continue;
    await import(pathToFileURL(file).href);
    imported.push(rel);
  }
  const order: BackendName[] = ['native', 'wasm', 'cpu'];
  const names = nb.listBackends().sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return { names, imported };
}

function hooks(): ThreadHooks {
  return activeBackend() as unknown as ThreadHooks;
}

/** Makes `name` the active backend (and sets its thread count when given and supported). */
export function useNabla(name: BackendName, threads?: number): void {
  if (nb.getBackend() !== name) nb.setBackend(name);
  if (threads !== undefined && currentThreads() !== threads) setThreads(threads);
}

/** Whether the active backend's thread count can be set. */
export function threadControl(name: BackendName): 'backend.setThreads' | 'nb.setNumThreads' | null {
  useNabla(name);
  if (typeof hooks().setThreads === 'function') return 'backend.setThreads';
  if (name !== 'cpu' && typeof api.setNumThreads === 'function') return 'nb.setNumThreads';
  return null;
}

function setThreads(n: number): void {
  const h = hooks();
  if (typeof h.setThreads === 'function') h.setThreads(n);
  else if (nb.getBackend() !== 'cpu' && typeof api.setNumThreads === 'function') api.setNumThreads(n);
}

/** The active backend's thread count, when it tells. */
export function currentThreads(): number | null {
  const h = hooks();
  if (typeof h.getThreads === 'function') return h.getThreads();
  if (typeof api.getNumThreads === 'function') return api.getNumThreads();
  if (typeof h.numThreads === 'number') return h.numThreads;
  if (typeof h.threads === 'number') return h.threads;
  return null;
}

/** Plain-valued properties a backend exposes about itself (ISA, variant, SIMD build, threads…), for the JSON. */
export function backendDetails(name: BackendName): Record<string, unknown> {
  useNabla(name);
  const b = activeBackend() as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const keys = new Set<string>([...Object.keys(b), ...Object.getOwnPropertyNames(Object.getPrototypeOf(b) ?? {})]);
  for (const k of keys) {
    if (k === 'constructor') continue;
    let v: unknown;
    try {
      v = b[k];
    } catch {
      continue;
    }
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
    else if (Array.isArray(v) && v.length <= 16 && v.every((x) => ['string', 'number', 'boolean'].includes(typeof x))) out[k] = v;
  }
  const t = currentThreads();
  if (t !== null) out['threads'] = t;
  return out;
}

/** What each table records about the nabla backends it ran: thread control and the backend's own facts. */
export function nablaCompetitors(names: readonly BackendName[]): Record<string, Record<string, unknown>> {
  return Object.fromEntries(names.map((n) => [n, { threadControl: threadControl(n), ...backendDetails(n) }]));
}

/** One line naming each backend with what it tells about itself, e.g. "wasm (variant simd, threads 2)". */
export function describeBackends(names: readonly BackendName[]): string {
  return names
    .map((n) => {
      const d = backendDetails(n);
      const bits = Object.entries(d)
        .filter(([k]) => k !== 'name')
        .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('/') : String(v)}`);
      const control = threadControl(n);
      bits.push(control === null ? 'no thread control' : `threads via ${control}`);
      return `${n} (${bits.join(', ')})`;
    })
    .join('; ');
}

export { nb };

interface StagingCounters {
  enabled: boolean;
  bytesIn: number;
  bytesOut: number;
  seconds: number;
}

/**
 * The share of `fn`'s time the active backend spends copying tensors into and out of its memory
 * (the wasm backend counts it when its `stagingStats.enabled` is set), with the bytes moved per
 * call; null for backends that do not count. `fn` runs at least `minCalls` times and ~`seconds`.
 */
/**
 * Lets the event loop turn when 50 ms have passed since the last turn, as nabla's fit() does
 * between batches (TensorFlow.js's trainOnBatch is awaited every step): the wasm backend gets its
 * freed tensor blocks back at such turns.
 */
let lastTurn = performance.now();
export async function turnLikeFit(): Promise<void> {
  if (performance.now() - lastTurn < 50) return;
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  lastTurn = performance.now();
}

export async function stagingShare(fn: () => void, seconds: number, minCalls = 3): Promise<{ share: number; bytesPerCall: number; calls: number } | null> {
  const stats = (activeBackend() as unknown as { stagingStats?: StagingCounters }).stagingStats;
  if (stats === undefined) return null;
  fn();
  Object.assign(stats, { enabled: true, bytesIn: 0, bytesOut: 0, seconds: 0 });
  let calls = 0;
  const t0 = performance.now();
  try {
    while (calls < minCalls || performance.now() - t0 < seconds * 1e3) {
      fn();
      calls++;
      await turnLikeFit();
    }
  } finally {
    stats.enabled = false;
  }
  const elapsed = (performance.now() - t0) / 1e3;
  return { share: stats.seconds / elapsed, bytesPerCall: (stats.bytesIn + stats.bytesOut) / calls, calls };
}
