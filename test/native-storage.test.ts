import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { loadNativeAddon } from '../src/backend/native/loader.js';
import { nativeBackend } from '../src/backend/native/native-backend.js';

const native = nativeBackend();
const addon = loadNativeAddon().addon;
const skip = native === null || addon === null ? `native addon unavailable: ${loadNativeAddon().reason}` : false;
const nat = native!;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1 << 20;

describe('native backend: recycled tensor storage', { skip }, () => {
  it('gives large tensors zero-filled native memory of every dtype, small ones none', () => {
    for (const [dtype, ctor] of [['float32', Float32Array], ['float64', Float64Array], ['int32', Int32Array], ['bool', Uint8Array]] as const) {
      const a = nat.allocate!(dtype, MB);
      assert.ok(a instanceof ctor, dtype);
      assert.equal(a.length, MB);
      assert.equal(a.byteOffset, 0);
      assert.ok(a.every((v) => v === 0), `${dtype} zero-filled`);
    }
    assert.equal(nat.allocate!('float32', 100), undefined);
  });

  it('returns freed blocks to the cache at GC, without an event-loop turn, and hands them out zeroed again', () => {
    addon!.setStorageCache(1 << 30);
    const before = addon!.setStorageCache(1 << 30);
    for (let i = 0; i < 8; i++) nat.allocate!('float32', 3 * MB)!.fill(7);
    gc();
    gc();
    const cached = addon!.setStorageCache(1 << 30);
    assert.ok(cached >= before + 12 * MB * 4 - 1, `cached ${cached} bytes after GC, had ${before}`);
    for (let i = 0; i < 8; i++) {
      const a = nat.allocate!('float32', 3 * MB)!;
      assert.ok(a.every((v) => v === 0), 'a recycled block is zero-filled');
    }
  });

  it('keeps the values of live tensors intact while other blocks are recycled', () => {
    const keep = nat.allocate!('float32', MB)!;
    for (let i = 0; i < keep.length; i++) keep[i] = i % 251;
    for (let round = 0; round < 20; round++) {
      nat.allocate!('float32', MB)!.fill(-1);
      if (round % 5 === 0) gc();
    }
    for (let i = 0; i < keep.length; i += 997) assert.equal(keep[i], i % 251);
  });

  it('hands out float32 blocks uninitialized only when asked, NaN-filled in poison mode', () => {
    addon!.setStoragePoison(true);
    try {
      const stale = nat.allocate!('float32', MB, false)!;
      assert.ok(Number.isNaN(stale[0]) && Number.isNaN(stale[MB - 1]), 'uninitialized float32 is poisoned');
      assert.ok(nat.allocate!('float32', MB, true)!.every((v) => v === 0), 'zeroed when asked');
      assert.ok(nat.allocate!('int32', MB, false)!.every((v) => v === 0), 'other dtypes stay zeroed');
    } finally {
      addon!.setStoragePoison(false);
    }
  });

  it('honours the cache limit and releases what exceeds it', () => {
    for (let i = 0; i < 4; i++) nat.allocate!('float32', MB);
    gc();
    assert.equal(addon!.setStorageCache(0), 0);
    addon!.setStorageCache(1 << 30);
  });

  it('can be switched off, and its buffers move to worker threads', async () => {
    nat.recycleStorage = false;
    assert.equal(nat.allocate!('float32', MB), undefined);
    nat.recycleStorage = true;
    const a = nat.allocate!('float32', MB)!;
    a[5] = 42;
    const w = new Worker('require("node:worker_threads").parentPort.on("message", (v) => require("node:worker_threads").parentPort.postMessage(v[5] + v.length));', { eval: true });
    const reply = new Promise((resolve) => w.once('message', resolve));
    w.postMessage(a, [a.buffer as ArrayBuffer]);
    assert.equal(await reply, 42 + MB);
    assert.equal(a.length, 0, 'transferred away');
    await w.terminate();
  });
});
