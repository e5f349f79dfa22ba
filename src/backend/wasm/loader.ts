/**
 * Finds and compiles the WebAssembly kernel modules built from kernels/wasm (by `npm run
 * build:wasm` into kernels/wasm/build). Four builds exist: plain SIMD or relaxed-SIMD (FMA), each
 * importing a shared memory (for the worker pool) or a plain one (where SharedArrayBuffer is
 * missing, as in a browser page that is not cross-origin isolated).
 *
 * No static `node:` import: in Node the files are read through `process.getBuiltinModule('fs')`;
 * a browser app hands the bytes over with `setWasmBinaries()` before the backend is first used.
 */

export type WasmVariant = 'simd' | 'relaxed';

/** Pages of 64 KiB; must equal the limits that kernels/wasm/build.mjs compiles in. */
export const INITIAL_PAGES = 32;
export const MAXIMUM_PAGES = 32768;

const MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A module with one function `() -> v128` whose body is `f32x4.relaxed_madd` of three zero vectors. */
function relaxedProbe(): Uint8Array<ArrayBuffer> {
  const zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
  const body = [0x00, ...zero, ...zero, ...zero, 0xfd, 0x85, 0x02, 0x0b];
  const code = [0x01, body.length, ...body];
  return new Uint8Array([...MAGIC, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, code.length, ...code]);
}

/** The same module with `f32x4.add` of two vectors: plain 128-bit SIMD. */
function simdProbe(): Uint8Array<ArrayBuffer> {
  const zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
  const body = [0x00, ...zero, ...zero, 0xfd, 0xe4, 0x01, 0x0b];
  const code = [0x01, body.length, ...body];
  return new Uint8Array([...MAGIC, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, code.length, ...code]);
}

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** Whether this engine runs 128-bit WebAssembly SIMD. */
export function simdSupported(): boolean {
  return validates(simdProbe());
}

/** Whether this engine runs relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd). */
export function relaxedSimdSupported(): boolean {
  return validates(relaxedProbe());
}

/** Whether a shared WebAssembly.Memory can be created (and so a worker pool can share it). */
export function sharedMemorySupported(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

export function moduleFileName(variant: WasmVariant, shared: boolean): string {
  return `${variant}-${shared ? 'mt' : 'st'}.wasm`;
}

const provided = new Map<string, BufferSource>();

/**
 * Supplies the kernel binaries where they cannot be read from disk (browsers): keys are file names
 * such as `simd-st.wasm` or `relaxed-mt.wasm`, values their bytes. Call before the first op.
 */
export function setWasmBinaries(binaries: Record<string, BufferSource>): void {
  for (const [name, bytes] of Object.entries(binaries)) provided.set(name, bytes);
}

interface NodeFs {
  readFileSync(path: string | URL): Uint8Array<ArrayBuffer>;
  existsSync(path: string | URL): boolean;
}

function nodeFs(): NodeFs | undefined {
  const g = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  try {
    return g.process?.getBuiltinModule?.('fs') as NodeFs | undefined;
  } catch {
    return undefined;
  }
}

function envDir(): string | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  const dir = g.process?.env?.NABLA_WASM_DIR;
  return dir !== undefined && dir !== '' ? dir : undefined;
}

/** The bytes of one build, or null when neither setWasmBinaries nor the file system has it. */
export function readModuleBytes(file: string): BufferSource | null {
  const given = provided.get(file);
  if (given !== undefined) return given;
  const fs = nodeFs();
  if (fs === undefined) return null;
  const dir = envDir();
  // src/backend/wasm/ and dist/backend/wasm/ are both three levels below the package root.
  const location = dir !== undefined ? `${dir.replace(/\/$/, '')}/${file}` : new URL(`../../../kernels/wasm/build/${file}`, import.meta.url);
  try {
    if (!fs.existsSync(location)) return null;
    return fs.readFileSync(location);
  } catch {
    return null;
  }
}

const compiled = new Map<string, WebAssembly.Module | null>();

/** Compiles (once, synchronously) the build for a variant and memory kind; null if unavailable. */
export function loadModule(variant: WasmVariant, shared: boolean): WebAssembly.Module | null {
  const file = moduleFileName(variant, shared);
  if (compiled.has(file)) return compiled.get(file) ?? null;
  let mod: WebAssembly.Module | null = null;
  if (simdSupported() && (variant === 'simd' || relaxedSimdSupported())) {
    const bytes = readModuleBytes(file);
    if (bytes !== null) {
      try {
        mod = new WebAssembly.Module(bytes);
      } catch {
        mod = null;
      }
    }
  }
  compiled.set(file, mod);
  return mod;
}
