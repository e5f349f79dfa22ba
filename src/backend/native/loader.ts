/**
 * Finds and loads the Node-API addon built from kernels/native (by `npm install`, into
 * kernels/native/build/Release/nabla_native.node).
 *
 * No static `node:` import: this module is part of the graph a browser bundle loads, so Node's
 * `module`, `fs` and `url` come from `process.getBuiltinModule` (Node ≥ 20.16) and the loader
 * answers null (with a reason) anywhere else, or when the addon is missing or fails to load.
 * Environment: NABLA_NATIVE_DISABLE=1 skips the addon; NABLA_NATIVE_PATH loads that file instead.
 */

type F32 = Float32Array;

/** The addon's exports; every kernel writes into its preallocated output and returns nothing. */
export interface NativeAddon {
  unary(op: number, x: F32, out: F32 | Uint8Array): void;
  binary(op: number, a: F32, b: F32, out: F32 | Uint8Array, params: Float64Array): void;
  reduce(op: number, x: F32, out: F32, params: Float64Array): void;
  /** With `bias` and `act` (an activation id), out = act(out + bias) is applied to each finished tile. */
  matmul(a: F32, b: F32, out: F32, params: Float64Array, bias?: F32 | null, act?: number): void;
  conv2d(x: F32, filter: F32, out: F32, params: Float64Array, bias?: F32 | null, act?: number): void;
  conv2dBackpropInput(dy: F32, filter: F32, dx: F32, params: Float64Array): void;
  conv2dBackpropFilter(x: F32, dy: F32, dFilter: F32, params: Float64Array): void;
  depthwiseConv2d(x: F32, filter: F32, out: F32, params: Float64Array): void;
  depthwiseConv2dBackpropInput(dy: F32, filter: F32, dx: F32, params: Float64Array): void;
  depthwiseConv2dBackpropFilter(x: F32, dy: F32, dFilter: F32, params: Float64Array): void;
  maxPool2d(x: F32, out: F32, params: Float64Array): void;
  maxPool2dBackprop(dy: F32, x: F32, dx: F32, params: Float64Array): void;
  avgPool2d(x: F32, out: F32, params: Float64Array): void;
  avgPool2dBackprop(dy: F32, dx: F32, params: Float64Array): void;
  biasActivation(x: F32, bias: F32, out: F32, params: Float64Array): void;
  activationGrad(y: F32, dy: F32, out: F32, params: Float64Array): void;
  softmax(x: F32, out: F32, params: Float64Array): void;
  softmaxCrossEntropy(logits: F32, targets: F32, loss: F32, grad: F32 | null, params: Float64Array): void;
  sgdUpdate(param: F32, grad: F32, velocity: F32 | null, params: Float64Array): void;
  adamUpdate(param: F32, grad: F32, m: F32, v: F32, params: Float64Array): void;
  copyStrided(src: F32, dst: F32, params: Float64Array): void;
  /** An ArrayBuffer of `bytes` over recycled native memory, zero-filled unless `zeroed` is false. */
  allocate(bytes: number, zeroed: boolean): ArrayBuffer;
  /** Fills blocks handed out without zeroing with NaN (a test mode). */
  setStoragePoison(on: boolean): void;
  /** Caps the bytes kept for reuse; returns the bytes cached now. */
  setStorageCache(bytes: number): number;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  info(): { isa: string; gemmKernel: string; threads: number };
  /** Lowers (or restores) the ISA of the GEMM kernels, for tests and benchmarks; returns the ISA in use. */
  setIsa(isa: 'avx512' | 'avx2' | 'portable'): string;
}

export interface NativeLoadResult {
  addon: NativeAddon | null;
  /** Why the addon is absent (empty when it loaded). */
  reason: string;
  /** True when its absence is expected (not Node, or disabled on purpose): no notice is due. */
  expected: boolean;
}

interface NodeProcess {
  versions?: { node?: string };
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
}

interface NodeModuleApi {
  createRequire(from: string | URL): (id: string) => unknown;
}
interface NodeFsApi {
  existsSync(path: string): boolean;
}
interface NodePathApi {
  dirname(p: string): string;
  join(...parts: string[]): string;
  resolve(...parts: string[]): string;
}
interface NodeUrlApi {
  fileURLToPath(url: string | URL): string;
}

const ADDON_FILE = ['kernels', 'native', 'build', 'Release', 'nabla_native.node'];
const REQUIRED: readonly (keyof NativeAddon)[] = ['unary', 'binary', 'reduce', 'matmul', 'conv2d', 'maxPool2d', 'adamUpdate', 'copyStrided', 'setNumThreads', 'info'];

let cached: NativeLoadResult | undefined;

/** Loads the addon once per process; later calls return the same result. */
export function loadNativeAddon(): NativeLoadResult {
  cached ??= tryLoad();
  return cached;
}

function fail(reason: string, expected = false): NativeLoadResult {
  return { addon: null, reason, expected };
}

function tryLoad(): NativeLoadResult {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (typeof proc?.versions?.node !== 'string') return fail('not running in Node.js', true);
  const env = proc.env ?? {};
  const disable = env.NABLA_NATIVE_DISABLE;
  if (disable !== undefined && disable !== '' && disable !== '0') return fail('disabled by NABLA_NATIVE_DISABLE', true);
  if (typeof proc.getBuiltinModule !== 'function') return fail(`Node ${proc.versions.node} lacks process.getBuiltinModule (needs ≥ 20.16)`);
  const mod = proc.getBuiltinModule('module') as NodeModuleApi;
  const fs = proc.getBuiltinModule('fs') as NodeFsApi;
  const path = proc.getBuiltinModule('path') as NodePathApi;
  const url = proc.getBuiltinModule('url') as NodeUrlApi;
  let candidates: string[];
  const override = env.NABLA_NATIVE_PATH;
  if (override !== undefined && override !== '') {
    candidates = [path.resolve(override)];
  } else {
    // src/backend/native (sources) or dist/src/backend/native (build): the package root is 3–4 levels up.
    let dir = path.dirname(url.fileURLToPath(import.meta.url));
    candidates = [];
    for (let i = 0; i < 6; i++) {
      candidates.push(path.join(dir, ...ADDON_FILE));
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  const file = candidates.find((c) => fs.existsSync(c));
  if (file === undefined) return fail(`${candidates[0] !== undefined && override ? candidates[0] : ADDON_FILE.join('/')} not found: the native build did not run or failed (run \`npm rebuild nabla\` or \`node scripts/build-native.mjs\`)`);
  try {
    const addon = mod.createRequire(import.meta.url)(file) as NativeAddon;
    const missing = REQUIRED.filter((k) => typeof addon[k] !== 'function');
    if (missing.length > 0) return fail(`${file} lacks ${missing.join(', ')} (stale build? rerun the native build)`);
    return { addon, reason: '', expected: false };
  } catch (err) {
    return fail(`${file} failed to load: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}
