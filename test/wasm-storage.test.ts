// Float32 tensors that live in the wasm backend's memory: kernels use them in place (nothing is
// staged), views stay valid while the memory grows, blocks of collected tensors come back zeroed,
// the residency budget and a plain (non-shared) memory fall back to plain arrays, and the op suite
// gives the reference results with every float32 tensor resident.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { AdamParams, MatmulInfo } from '../src/backend/backend.js';
import { cpuBackend } from '../src/backend/cpu/cpu-backend.js';
import { classBytes, classOf } from '../src/backend/wasm/block-heap.js';
import { createWasmBackend, type WasmBackend } from '../src/backend/wasm/wasm-backend.js';
import { assertClose } from './helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const gc = (globalThis as { gc?: () => void }).gc;

function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / 8388608 - 1;
  }
  return out;
}

function backend(options: Parameters<typeof createWasmBackend>[0] = {}): WasmBackend {
  const b = createWasmBackend({ threads: 1, minElementwise: 0, minResidentElements: 1, ...options });
  assert.ok(b !== null, 'the wasm backend loads');
  return b;
}

/** A resident float32 array of n elements (fails the test when allocate declines). */
function alloc(b: WasmBackend, n: number): Float32Array {
  const v = b.allocate!('float32', n);
  assert.ok(v instanceof Float32Array, 'allocate returns a view');
  return v;
}

/** A resident copy of `values`. */
function resident(b: WasmBackend, values: Float32Array): Float32Array {
  const v = alloc(b, values.length);
  v.set(values);
  return v;
}

function isResident(x: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && x.buffer instanceof SharedArrayBuffer;
}

const EXACTISH = { atol: 1e-6, rtol: 1e-5 };
const macrotask = (): Promise<void> => new Promise((done) => setTimeout(done, 0));

describe('wasm storage: size classes', () => {
  it('every size fits its class, classes waste at most a quarter and are 64-byte multiples', () => {
    for (const bytes of [1, 63, 64, 65, 1024, 1025, 1280, 1281, 4096, 5000, 1 << 20, (1 << 20) + 1, 89_718_784, 2 ** 31 - 64]) {
      const c = classOf(bytes);
      const size = classBytes(c);
      assert.ok(size >= bytes, `class of ${bytes} holds it`);
      assert.equal(size % 64, 0);
      if (bytes > 1024) assert.ok(size <= bytes * 1.25 + 64, `class of ${bytes} (${size}) wastes at most a quarter`);
      if (c > 0) assert.ok(classBytes(c - 1) < bytes, `${bytes} is not in a smaller class`);
    }
  });
});

describe('wasm storage: resident tensors', { skip: typeof SharedArrayBuffer === 'undefined' && 'no SharedArrayBuffer' }, () => {
  it('allocates zero-filled float32 views of the shared memory; other dtypes and small sizes are left to plain arrays', () => {
    const b = backend({ minResidentElements: 100 });
    assert.ok(b.residency.enabled);
    const v = b.allocate!('float32', 1000)!;
    assert.ok(isResident(v));
    assert.equal(v.length, 1000);
    assert.equal(v.byteOffset % 64, 0);
    assert.ok(v.every((x) => x === 0));
    assert.equal(b.allocate!('float32', 99), undefined);
    assert.equal(b.allocate!('float64', 1000), undefined);
    assert.equal(b.allocate!('int32', 1000), undefined);
    assert.equal(b.allocate!('bool', 1000), undefined);
    const w = b.allocate!('float32', 1000)!;
    assert.ok(w.byteOffset >= v.byteOffset + 4000 || w.byteOffset + 4000 <= v.byteOffset, 'live blocks do not overlap');
  });

  it('kernels use resident operands in place: the same results as the reference, nothing staged', () => {
    const b = backend();
    const n = 1037;
    const x = rand(n, 1);
    const y = rand(n, 2);
    const rx = resident(b, x);
    const ry = resident(b, y);
    b.stagingStats.enabled = true;
    try {
      // A chain: each output is the next kernel's input.
      const r1 = resident(b, new Float32Array(n));
      b.unary('tanh', rx, r1);
      const r2 = resident(b, new Float32Array(n));
      b.binary('mul', r1, [n], ry, [n], r2, [n]);
      const r3 = resident(b, new Float32Array(1));
      b.reduce('sum', r2, 1, n, 1, r3);
      const [m, k, nn] = [13, 17, 11];
      const info: MatmulInfo = { batch: 1, m, n: nn, k, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 };
      const a = resident(b, rand(m * k, 3));
      const w = resident(b, rand(nn * k, 4));
      const mm = resident(b, new Float32Array(m * nn));
      b.matmul(a, w, mm, info);
      const bias = resident(b, rand(nn, 5));
      const act = resident(b, new Float32Array(m * nn));
      b.biasActivation(mm, bias, act, m, nn, 'relu');
      const sm = resident(b, new Float32Array(m * nn));
      b.softmax(act, sm, m, nn, true);
      assert.equal(b.stagingStats.bytesIn + b.stagingStats.bytesOut, 0, 'no copies between tensors and the memory');

      const e1 = new Float32Array(n);
      cpuBackend.unary('tanh', x, e1);
      const e2 = new Float32Array(n);
      cpuBackend.binary('mul', e1, [n], y, [n], e2, [n]);
      const e3 = new Float32Array(1);
      cpuBackend.reduce('sum', e2, 1, n, 1, e3);
      const emm = new Float32Array(m * nn);
      cpuBackend.matmul(a.slice(), w.slice(), emm, info);
      const eact = new Float32Array(m * nn);
      cpuBackend.biasActivation(emm, bias.slice(), eact, m, nn, 'relu');
      const esm = new Float32Array(m * nn);
      cpuBackend.softmax(eact, esm, m, nn, true);
      assertClose(r1, e1, EXACTISH);
      assertClose(r2, e2, EXACTISH);
      assertClose(r3, e3, { atol: 1e-4, rtol: 1e-5 });
      assertClose(mm, emm, { atol: 2e-5, rtol: 1e-4 });
      assertClose(act, eact, { atol: 2e-5, rtol: 1e-4 });
      assertClose(sm, esm, { atol: 2e-5, rtol: 1e-4 });
    } finally {
      b.stagingStats.enabled = false;
    }
  });

  it('optimizer updates change resident parameters and slots in place; mixed resident and plain operands work', () => {
    const b = backend();
    const n = 777;
    const p: AdamParams = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 3, weightDecay: 0.01, decoupled: true };
    const [param, grad, m, v] = [rand(n, 7), rand(n, 8), rand(n, 9).map(Math.abs), rand(n, 10).map(Math.abs)];
    const expected = [param.slice(), grad.slice(), m.slice(), v.slice()];
    cpuBackend.adamUpdate(expected[0]!, expected[1]!, expected[2]!, expected[3]!, p);
    const rp = resident(b, param);
    const rm = resident(b, m);
    const rv = resident(b, v);
    const rg = resident(b, grad);
    b.stagingStats.enabled = true;
    b.adamUpdate(rp, rg, rm, rv, p);
    b.stagingStats.enabled = false;
    assert.equal(b.stagingStats.bytesIn + b.stagingStats.bytesOut, 0);
    assertClose(rp, expected[0]!, EXACTISH);
    assertClose(rm, expected[2]!, EXACTISH);
    assertClose(rv, expected[3]!, EXACTISH);
    // Resident parameter, plain gradient and velocity (a tensor that fell back to a plain array).
    const sp = resident(b, param);
    const vel = rand(n, 11);
    const sgd = { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.001 };
    const ep = param.slice();
    const ev = vel.slice();
    cpuBackend.sgdUpdate(ep, grad, ev, sgd);
    b.sgdUpdate(sp, grad.slice(), vel, sgd);
    assertClose(sp, ep, EXACTISH);
    assertClose(vel, ev, EXACTISH);
  });

  it('conv, pooling and their gradients write resident outputs in place, on one thread and split over two', () => {
    for (const threads of [1, 2]) {
      const b = backend({ threads, minParallelWork: 0 });
      const info = { batch: 2, inH: 9, inW: 9, inC: 3, outH: 9, outW: 9, outC: 5, kH: 3, kW: 3, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 1, padLeft: 1 };
      const x = rand(2 * 9 * 9 * 3, 20);
      const f = rand(3 * 3 * 3 * 5, 21);
      const dy = rand(2 * 9 * 9 * 5, 22);
      const rx = resident(b, x);
      const rf = resident(b, f);
      const rdy = resident(b, dy);
      const checks: [(be: typeof cpuBackend, ...a: Float32Array[]) => void, Float32Array[], number][] = [
        [(be, a, w, o) => be.conv2d(a!, w!, o!, info), [x, f], dy.length],
        [(be, g, w, o) => be.conv2dBackpropInput(g!, w!, o!, info), [dy, f], x.length],
        [(be, a, g, o) => be.conv2dBackpropFilter(a!, g!, o!, info), [x, dy], f.length],
      ];
      for (const [run, args, size] of checks) {
        const expected = new Float32Array(size);
        run(cpuBackend, ...args, expected);
        // Non-zero garbage in the output: kernels that accumulate must clear it first.
        const out = resident(b, rand(size, 99));
        run(b, ...args.map((a) => (a === x ? rx : a === f ? rf : rdy)), out);
        assertClose(out, expected, { atol: 2e-5, rtol: 1e-4 });
      }
      const pool = { batch: 2, inH: 9, inW: 9, channels: 3, outH: 4, outW: 4, kH: 2, kW: 2, strideH: 2, strideW: 2, padTop: 0, padLeft: 0 };
      const py = rand(2 * 4 * 4 * 3, 23);
      for (const kind of ['max', 'avg'] as const) {
        const out = resident(b, new Float32Array(py.length));
        const expected = new Float32Array(py.length);
        if (kind === 'max') {
          b.maxPool2d(rx, out, pool);
          cpuBackend.maxPool2d(x, expected, pool);
        } else {
          b.avgPool2d(rx, out, pool);
          cpuBackend.avgPool2d(x, expected, pool);
        }
        assertClose(out, expected, EXACTISH);
        const dx = resident(b, new Float32Array(x.length));
        const edx = new Float32Array(x.length);
        if (kind === 'max') {
          b.maxPool2dBackprop(resident(b, py), rx, dx, pool);
          cpuBackend.maxPool2dBackprop(py, x, edx, pool);
        } else {
          b.avgPool2dBackprop(resident(b, py), dx, pool);
          cpuBackend.avgPool2dBackprop(py, edx, pool);
        }
        assertClose(dx, edx, EXACTISH);
      }
    }
  });

  it('views stay valid, with their values, while the memory grows', () => {
    const b = backend();
    const first = resident(b, rand(4096, 30));
    const copy = first.slice();
    const before = b.residency.heapBytes;
    const big: Float32Array[] = [];
    for (let i = 0; i < 6; i++) big.push(resident(b, rand(2_000_000, 31 + i)));
    assert.ok(b.residency.heapBytes > before + 6 * 8_000_000, 'the memory grew');
    assert.notEqual(first.buffer, big[5]!.buffer, 'growth hands out a new SharedArrayBuffer');
    assert.deepEqual(first, copy, 'values written before the growth are intact');
    // Views from before and after the growth are both recognised as resident (used in place).
    const out = resident(b, new Float32Array(4096));
    b.stagingStats.enabled = true;
    b.binary('add', first, [4096], big[5]!.subarray(0, 4096), [4096], out, [4096]);
    b.stagingStats.enabled = false;
    assert.equal(b.stagingStats.bytesIn + b.stagingStats.bytesOut, 0);
    const expected = new Float32Array(4096);
    cpuBackend.binary('add', copy, [4096], big[5]!.slice(0, 4096), [4096], expected, [4096]);
    assertClose(out, expected, EXACTISH);
    first[7] = 42;
    assert.equal(new Float32Array(first.buffer, first.byteOffset, 8)[7], 42, 'the view still maps the same memory');
  });

  it('past the residency budget, allocate declines (a plain array is used and staged)', () => {
    const b = backend({ maxResidentBytes: 1 << 20 });
    const held: Float32Array[] = [];
    for (let i = 0; i < 4; i++) held.push(alloc(b, 65536));
    assert.ok(held.every(isResident));
    assert.equal(b.residency.residentBytes, 1 << 20);
    assert.equal(b.allocate!('float32', 65536), undefined, 'the budget is spent');
    assert.ok(b.allocate!('float32', 1) === undefined, 'even for one element');
    // A plain operand next to resident ones.
    const plain = rand(65536, 40);
    held[0]!.set(rand(65536, 41));
    b.binary('sub', held[0]!, [65536], plain, [65536], held[1]!, [65536]);
    const expected = new Float32Array(65536);
    cpuBackend.binary('sub', held[0]!.slice(), [65536], plain, [65536], expected, [65536]);
    assertClose(held[1]!, expected, EXACTISH);
    b.residency.maxBytes = 2 << 20;
    assert.ok(b.allocate!('float32', 65536) !== undefined, 'a larger budget admits more');
  });

  it('over a plain (non-shared) memory nothing is resident and kernels stage as before', () => {
    const b = backend({ shared: false });
    assert.equal(b.residency.enabled, false);
    assert.equal(b.allocate!('float32', 4096), undefined);
    const x = rand(4096, 50);
    const out = new Float32Array(4096);
    b.unary('exp', x, out);
    const expected = new Float32Array(4096);
    cpuBackend.unary('exp', x, expected);
    assertClose(out, expected, EXACTISH);
  });

  describe('gc: blocks of collected tensors', { skip: gc === undefined && 'needs --expose-gc (run by the next test in a child process)' }, () => {
    /** Allocates and dirties a view in a frame of its own, so that nothing here keeps it alive. */
    function dirtyBlock(b: WasmBackend, n: number): number {
      const v = b.allocate!('float32', n)!;
      v.fill(3.5);
      return v.byteOffset;
    }

    async function collect(b: WasmBackend, blocks: number): Promise<void> {
      for (let i = 0; i < 20 && b.residency.residentBlocks > blocks; i++) {
        gc!();
        await macrotask();
      }
    }

    it('gc: are freed after a collection and a turn of the event loop, and reused zero-filled', async () => {
      const b = backend();
      const keep = b.allocate!('float32', 1000)!;
      const p = dirtyBlock(b, 5000);
      assert.equal(b.residency.residentBlocks, 2);
      await collect(b, 1);
      assert.equal(b.residency.residentBlocks, 1, 'the dead view was collected and its block freed');
      assert.equal(b.residency.residentBytes, classBytes(classOf(4000)));
      const again = b.allocate!('float32', 5000)!;
      assert.equal(again.byteOffset, p, 'the block of the same class is reused');
      assert.ok(again.every((x) => x === 0), 'a reused block is zero-filled');
      // Unzeroed storage (for a kernel that writes every element) skips the fill.
      const q = dirtyBlock(b, 6000);
      await collect(b, 2);
      const raw = b.allocate!('float32', 6000, false)!;
      assert.equal(raw.byteOffset, q);
      assert.equal(raw[0], 3.5, 'zeroed: false leaves the old values');
      assert.equal(keep.length, 1000);
    });

    it('gc: a loop that yields between steps keeps a bounded footprint', async () => {
      const b = backend();
      const x = resident(b, rand(1 << 18, 60));
      // 40 steps of 8 MiB each (320 MiB in all), collected every 5 steps.
      for (let step = 0; step < 40; step++) {
        let y = x;
        for (let k = 0; k < 8; k++) {
          const out = alloc(b, y.length);
          b.unary('tanh', y, out);
          y = out;
        }
        if (step % 5 === 4) gc!();
        await macrotask();
      }
      await collect(b, 1);
      assert.ok(b.residency.residentBlocks <= 9, `blocks are returned (${b.residency.residentBlocks} live)`);
      assert.ok(b.residency.heapBytes < 96 * 2 ** 20, `the heap stays bounded (${b.residency.heapBytes} bytes)`);
    });
  });

  it('runs the gc tests in a child process with --expose-gc', { skip: gc !== undefined && 'gc is exposed here: they ran above' }, () => {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--test', '--test-reporter=tap', '--test-name-pattern=^gc:', join('test', 'wasm-storage.test.ts')], {
      cwd: root,
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')) },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const tail = `${r.stdout}\n${r.stderr}`.split('\n').slice(-40).join('\n');
    assert.equal(r.status, 0, tail);
    const passed = /^# pass (\d+)$/m.exec(r.stdout);
    assert.ok(passed !== null && Number(passed[1]) >= 2, `expected the gc tests to run:\n${tail}`);
  });

  it('the op suite gives the reference results with every float32 tensor resident', () => {
    const files = ['autograd', 'binary', 'reduce', 'matmul', 'conv', 'pool', 'activation', 'losses', 'tfjs-layers', 'optimizers', 'training'].map((n) => join('test', `${n}.test.ts`));
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...files], {
      cwd: root,
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')), NABLA_BACKEND: 'wasm', NABLA_WASM_MIN_RESIDENT: '1' },
      encoding: 'utf8',
      timeout: 600_000,
    });
    const tail = `${r.stdout}\n${r.stderr}`.split('\n').slice(-40).join('\n');
    assert.equal(r.status, 0, `op suite failed with resident tensors:\n${tail}`);
    const passed = /^# pass (\d+)$/m.exec(r.stdout);
    assert.ok(passed !== null && Number(passed[1]) > 150, `expected the op suite to run:\n${tail}`);
  });
});
