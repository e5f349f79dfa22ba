// Differential tests of image resizing against TensorFlow.js (half-pixel centres, no corner alignment).
import * as tf from '@tensorflow/tfjs';
import { before, describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { flipLeftRight, resize } from '../src/data/image/index.js';
import { assertSameAsTf, tfReady, toTf } from './tfjs-helpers.js';

describe('image resize vs TensorFlow.js', () => {
  before(tfReady);
  const cases: [number[], [number, number]][] = [
    [[1, 5, 7, 3], [2, 3]],
    [[2, 4, 4, 1], [9, 7]],
    [[1, 13, 6, 2], [5, 11]],
    [[1, 3, 3, 3], [3, 3]],
  ];

  it('bilinear matches tf.image.resizeBilinear(halfPixelCenters = true)', () => {
    for (const [shape, size] of cases) {
      const x = nb.randomUniform(shape, 0, 255, { seed: shape.reduce((a, b) => a * 7 + b, 1) });
      assertSameAsTf(resize(x, size), tf.image.resizeBilinear(toTf(x) as tf.Tensor4D, size, false, true), { atol: 1e-3, rtol: 1e-5 });
    }
  });

  it('nearest matches tf.image.resizeNearestNeighbor(halfPixelCenters = true)', () => {
    for (const [shape, size] of cases) {
      const x = nb.randomUniform(shape, 0, 255, { seed: shape.reduce((a, b) => a * 5 + b, 2) });
      assertSameAsTf(resize(x, size, { method: 'nearest' }), tf.image.resizeNearestNeighbor(toTf(x) as tf.Tensor4D, size, false, true), { atol: 0, rtol: 0 });
    }
  });

  it('flips match tf.image.flipLeftRight', () => {
    const x = nb.randomUniform([2, 4, 5, 3], 0, 255, { seed: 3 });
    assertSameAsTf(flipLeftRight(x), tf.image.flipLeftRight(toTf(x) as tf.Tensor4D), { atol: 0, rtol: 0 });
  });
});
