import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as nb from '../src/index.js';
import { rand } from './helpers.js';
import { assertSameAsTf, compareWithTf, tfReady, toTf } from './tfjs-helpers.js';

/** Mirror positions for TensorFlow's mirrorPad, so the tf side can pad through tf.gather (whose gradient is correct). */
function mirror(n: number, before: number, after: number, shift: 0 | 1): number[] {
  const out: number[] = [];
  for (let j = -before; j < n + after; j++) out.push(j < 0 ? -j - shift : j >= n ? 2 * n - 2 + shift - j : j);
  return out;
}

describe('TensorFlow.js differential: slicing and indexing (float32, atol/rtol 1e-4)', () => {
  before(tfReady);

  it('slice (forward and gradient)', () => {
    compareWithTf((x) => nb.slice(x, [1, 0, 2], [2, -1, 2]), (x) => tf.slice(x, [1, 0, 2], [2, -1, 2]), [rand([3, 4, 5], 200)]);
    compareWithTf((x) => nb.slice(x, [2], [0]), (x) => tf.slice(x, [2], [0]), [rand([4], 201)]);
  });

  it('stridedSlice (forward; tfjs registers no StridedSlice gradient)', () => {
    // x[2:0:-1, 1, 1::2] — tf: begin/end/strides with endMask on axis 2, then squeeze axis 1. (tfjs's CPU
    // kernel gets shrinkAxisMask wrong when another axis has a non-unit stride, so it is not used here.)
    compareWithTf(
      (x) => nb.stridedSlice(x, [{ start: 2, stop: 0, step: -1 }, 1, { start: 1, step: 2 }]),
      (x) => tf.squeeze(tf.stridedSlice(x, [2, 1, 1], [0, 2, 0], [-1, 1, 2], 0, 0b100), [1]),
      [rand([3, 4, 5], 202)],
      { grad: false },
    );
    // x[::-2, -3:]
    compareWithTf(
      (x) => nb.stridedSlice(x, [{ step: -2 }, { start: -3 }]),
      (x) => tf.stridedSlice(x, [0, -3], [0, 0], [-2, 1], 0b01, 0b11),
      [rand([5, 4], 203)],
      { grad: false },
    );
  });

  it('concat (forward and gradient, negative axis)', () => {
    compareWithTf((a, b, c) => nb.concat([a!, b!, c!], -1), (a, b, c) => tf.concat([a!, b!, c!], -1), [
      rand([2, 3, 1], 204),
      rand([2, 3, 4], 205),
      rand([2, 3, 2], 206),
    ]);
    compareWithTf((a, b) => nb.concat([a!, b!], 0), (a, b) => tf.concat([a!, b!], 0), [rand([1, 3], 207), rand([2, 3], 208)]);
  });

  it('stack (forward and gradient)', () => {
    compareWithTf((a, b) => nb.stack([a!, b!], 1), (a, b) => tf.stack([a!, b!], 1), [rand([2, 3], 209), rand([2, 3], 210)]);
    compareWithTf((a, b) => nb.stack([a!, b!], -1), (a, b) => tf.stack([a!, b!], -1), [rand([3], 211), rand([3], 212)]);
  });

  it('split (one output, forward and gradient)', () => {
    compareWithTf((x) => nb.split(x, [1, -1, 2], 1)[1]!, (x) => tf.split(x, [1, -1, 2], 1)[1]!, [rand([3, 6], 213)]);
    compareWithTf((x) => nb.split(x, 2, -1)[0]!, (x) => tf.split(x, 2, -1)[0]!, [rand([2, 4], 214)]);
  });

  it('unstack (one output, forward and gradient)', () => {
    compareWithTf((x) => nb.unstack(x, 1)[2]!, (x) => tf.unstack(x, 1)[2]!, [rand([2, 3, 4], 215)]);
    compareWithTf((x) => nb.unstack(x, -1)[0]!, (x) => tf.unstack(x, -1)[0]!, [rand([3, 2], 216)]);
  });

  it('pad, constant (forward and gradient)', () => {
    compareWithTf((x) => nb.pad(x, [[1, 2], [0, 3]], { value: 1.5 }), (x) => tf.pad(x, [[1, 2], [0, 3]], 1.5), [rand([3, 4], 217)]);
  });

  it("pad, 'reflect' and 'symmetric' (forward against tf.mirrorPad)", () => {
    const p: [number, number][] = [[1, 2], [3, 1]];
    compareWithTf((x) => nb.pad(x, p, { mode: 'reflect' }), (x) => tf.mirrorPad(x, p, 'reflect'), [rand([3, 4], 218)], { grad: false });
    compareWithTf((x) => nb.pad(x, p, { mode: 'symmetric' }), (x) => tf.mirrorPad(x, p, 'symmetric'), [rand([3, 4], 219)], { grad: false });
  });

  it("pad, 'reflect' gradient (against tf.gather with mirrored indices: tfjs's MirrorPad gradient drops the mirrored parts)", () => {
    const p: [number, number][] = [[2, 1], [1, 3]];
    const rows = tf.tensor1d(mirror(3, 2, 1, 0), 'int32');
    const cols = tf.tensor1d(mirror(4, 1, 3, 0), 'int32');
    compareWithTf((x) => nb.pad(x, p, { mode: 'reflect' }), (x) => tf.gather(tf.gather(x, rows, 0), cols, 1), [rand([3, 4], 220)]);
    const x = nb.cast(rand([3, 4], 220), 'float32');
    assertSameAsTf(nb.pad(x, p, { mode: 'reflect' }), tf.mirrorPad(toTf(x), p, 'reflect'));
  });

  it('flip vs tf.reverse (forward and gradient)', () => {
    compareWithTf((x) => nb.flip(x, [0, -1]), (x) => tf.reverse(x, [0, -1]), [rand([2, 3, 4], 221)]);
    compareWithTf((x) => nb.flip(x, 1), (x) => tf.reverse(x, 1), [rand([3, 5], 222)]);
  });

  it('tile (forward and gradient)', () => {
    compareWithTf((x) => nb.tile(x, [2, 1, 3]), (x) => tf.tile(x, [2, 1, 3]), [rand([2, 3, 2], 223)]);
  });

  it('gather (forward and gradient, repeated indices, 2-D indices)', () => {
    const idx = [[3, 0, 3], [1, 1, 2]];
    compareWithTf((x) => nb.gather(x, nb.tensor(idx, undefined, 'int32'), 1), (x) => tf.gather(x, tf.tensor2d(idx, undefined, 'int32'), 1), [rand([2, 4, 3], 224)]);
    compareWithTf((x) => nb.gather(x, [2, 0, 2, 2]), (x) => tf.gather(x, tf.tensor1d([2, 0, 2, 2], 'int32')), [rand([3, 2], 225)]);
  });

  it('oneHot (forward)', () => {
    const idx = [[0, 3], [2, 1], [3, 3]];
    assertSameAsTf(nb.oneHot(nb.tensor(idx, undefined, 'int32'), 4), tf.oneHot(tf.tensor2d(idx, undefined, 'int32'), 4));
    assertSameAsTf(
      nb.oneHot([1, 0, 2], 3, { onValue: 2, offValue: -0.5 }),
      tf.oneHot(tf.tensor1d([1, 0, 2], 'int32'), 3, 2, -0.5, 'float32'),
    );
  });
});
