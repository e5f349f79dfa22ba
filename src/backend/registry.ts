import { ValueError } from '../tensor/errors.js';
import type { Backend, BackendName } from './backend.js';
import { cpuBackend } from './cpu/cpu-backend.js';
import { nativeBackend } from './native/native-backend.js';
import { wasmBackend } from './wasm/wasm-backend.js';

const registered = new Map<BackendName, () => Backend | null>([
  ['native', nativeBackend],
  ['wasm', wasmBackend],
  ['cpu', () => cpuBackend],
]);
let active: Backend | null = null;

/**
 * Registers a backend factory; the factory returns null when the backend cannot load here (for
 * example a native addon that failed to build), and selection moves on to the next one.
 */
export function registerBackend(name: BackendName, factory: () => Backend | null): void {
  registered.set(name, factory);
}

const PREFERENCE: readonly BackendName[] = ['native', 'wasm', 'cpu'];

function envBackend(): string | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return g.process?.env?.NABLA_BACKEND;
}

/** The active backend: chosen on first use from NABLA_BACKEND or the fastest available. */
export function backend(): Backend {
  if (active !== null) return active;
  const requested = envBackend();
  if (requested !== undefined && requested !== '') {
    setBackend(requested);
    return active as unknown as Backend;
  }
  for (const name of PREFERENCE) {
    const b = registered.get(name)?.();
    if (b) {
      active = b;
      return b;
    }
  }
  active = cpuBackend;
  return cpuBackend;
}

/** Switches the active backend; throws a ValueError naming the available backends when it cannot. */
export function setBackend(name: string): void {
  const factory = registered.get(name as BackendName);
  const b = factory?.() ?? null;
  if (b === null) {
    const available = [...registered.entries()].filter(([, f]) => f() !== null).map(([n]) => n);
    throw new ValueError(`setBackend: backend '${name}' is not available; available backends: ${available.join(', ')}`);
  }
  active = b;
  if (threadCount !== null) b.setThreads?.(threadCount);
}

let threadCount: number | null = null;

/**
 * Sets how many threads the active backend's kernels use, the calling thread included (backends
 * without a pool ignore it); a backend chosen later with `setBackend` gets the same count.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`setNumThreads: expected a positive integer, got ${String(n)}`);
  threadCount = n;
  backend().setThreads?.(n);
}

/** The name of the active backend. */
export function getBackend(): BackendName {
  return backend().name;
}

/** Names of the backends that can load in this process. */
export function listBackends(): BackendName[] {
  return [...registered.entries()].filter(([, f]) => f() !== null).map(([n]) => n);
}
