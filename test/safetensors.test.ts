import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { decodeSafetensors, encodeSafetensors } from '../src/io/safetensors.js';

describe('safetensors', () => {
  it('writes the documented layout: u64 LE header length, JSON header padded to 8 bytes, raw LE data', () => {
    const bytes = encodeSafetensors([['w', nb.tensor([1, 2], [2], 'float32')]]);
    const json = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    assert.equal(json.length, 54);
    assert.deepEqual(Array.from(bytes.subarray(0, 8)), [56, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(new TextDecoder().decode(bytes.subarray(8, 64)), `${json}  `);
    assert.deepEqual(Array.from(bytes.subarray(64)), [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40]);
    assert.equal(bytes.length, 72);
  });

  it('round-trips every dtype with metadata, and reads a header written by another tool (unpadded, any key order)', () => {
    const tensors: [string, nb.Tensor][] = [
      ['f32', nb.tensor([[1.5, -2], [3, 4]], [2, 2], 'float32')],
      ['f64', nb.tensor([Math.PI], [1], 'float64')],
      ['i32', nb.tensor([-7, 2147483647], [2], 'int32')],
      ['b', nb.tensor([1, 0, 1], [3], 'bool')],
      ['scalar', nb.tensor(5, [], 'float32')],
      ['empty', nb.zeros([0, 3])],
    ];
    const { tensors: back, metadata } = decodeSafetensors(encodeSafetensors(tensors, { note: 'hi' }));
    assert.deepEqual(metadata, { note: 'hi' });
    for (const [name, t] of tensors) {
      const u = back.get(name)!;
      assert.equal(u.dtype, t.dtype, name);
      assert.deepEqual([...u.shape], [...t.shape], name);
      assert.deepEqual(Array.from(u.values), Array.from(t.values), name);
    }
    const header = new TextEncoder().encode('{"x":{"data_offsets":[0,4],"shape":[],"dtype":"I32"}}');
    const file = new Uint8Array(8 + header.length + 4);
    new DataView(file.buffer).setBigUint64(0, BigInt(header.length), true);
    file.set(header, 8);
    new DataView(file.buffer).setInt32(8 + header.length, -3, true);
    assert.equal(decodeSafetensors(file).tensors.get('x')!.item(), -3);
  });

  it('rejects malformed data with the source name: holes, overlaps, wrong sizes, unknown dtypes', () => {
    const make = (headerObj: unknown, dataBytes: number): Uint8Array => {
      const header = new TextEncoder().encode(JSON.stringify(headerObj));
      const out = new Uint8Array(8 + header.length + dataBytes);
      new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
      out.set(header, 8);
      return out;
    };
    const t = (offsets: number[], shape = [1], dtype = 'F32'): unknown => ({ dtype, shape, data_offsets: offsets });
    const bad = (bytes: Uint8Array, pattern: RegExp): void =>
      assert.throws(() => decodeSafetensors(bytes, 'x.safetensors'), (e: Error) => e instanceof nb.DataError && e.message.startsWith('x.safetensors: ') && pattern.test(e.message));
    bad(make({ a: t([0, 4]), b: t([8, 12]) }, 12), /hole: bytes 4 to 8/);
    bad(make({ a: t([0, 8], [2]), b: t([4, 8]) }, 8), /overlaps/);
    bad(make({ a: t([0, 8]) }, 8), /span 8 bytes but dtype F32 and shape \[1\] need 4/);
    bad(make({ a: t([0, 2], [1], 'F16') }, 2), /unsupported dtype "F16"/);
    bad(make({ a: t([0, 4]) }, 6), /2 trailing bytes/);
    bad(make({ a: t([0, 4], [-1]) }, 4), /shape must be a list of non-negative integers/);
    bad(new Uint8Array(5), /truncated file: 5 bytes/);
  });
});
