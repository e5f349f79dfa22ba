import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as nb from '../src/index.js';
import { rand } from './helpers.js';
import { compareWithTf, tfReady } from './tfjs-helpers.js';

type P2 = [number, number];

// TensorFlow.js's CPU backend has no gradient for dilated conv2d / depthwiseConv2d (its gradient
// functions assert dilation 1). Dilated cases therefore compare the forward pass with tfjs's dilated
// op, and forward and gradients with an undilated tfjs convolution whose filter has zeros inserted
// between the taps (built with differentiable tf ops, so the filter gradient is compared too).

/** A [kH, kW, …] filter with dh − 1 and dw − 1 zeros between taps: [(kH − 1)·dh + 1, (kW − 1)·dw + 1, …]. */
function tfDilateFilter(f: tf.Tensor, dh: number, dw: number): tf.Tensor {
  const [kH, kW, a, b] = f.shape as [number, number, number, number];
  const spread = tf.pad(tf.reshape(f, [kH, 1, kW, 1, a, b]), [[0, 0], [0, dh - 1], [0, 0], [0, dw - 1], [0, 0], [0, 0]]);
  return tf.slice(tf.reshape(spread, [kH * dh, kW * dw, a, b]), [0, 0, 0, 0], [(kH - 1) * dh + 1, (kW - 1) * dw + 1, a, b]);
}

const dilated = (d: P2): boolean => d[0] > 1 || d[1] > 1;
describe('TensorFlow.js differential: convolution (forward and gradients, float32, atol/rtol 1e-4)', () => {
  before(tfReady);

  const conv2dCases: [string, number[], number[], P2, 'valid' | 'same', P2][] = [
    ['valid', [2, 6, 5, 3], [3, 3, 3, 4], [1, 1], 'valid', [1, 1]],
    ['same', [2, 6, 5, 3], [3, 3, 3, 4], [1, 1], 'same', [1, 1]],
    ['same, stride 2', [2, 7, 6, 2], [3, 3, 2, 3], [2, 2], 'same', [1, 1]],
    ['valid, stride [2, 1], even kernel', [1, 7, 6, 2], [2, 4, 2, 3], [2, 1], 'valid', [1, 1]],
    ['same, even kernel 4×4, stride 3', [1, 8, 7, 2], [4, 4, 2, 2], [3, 3], 'same', [1, 1]],
    ['valid, dilation 2 (gradients via a zero-inserted filter)', [2, 7, 7, 2], [3, 3, 2, 3], [1, 1], 'valid', [2, 2]],
    ['same, dilation [2, 3] (gradients via a zero-inserted filter)', [1, 7, 8, 2], [3, 2, 2, 2], [1, 1], 'same', [2, 3]],
  ];
  conv2dCases.forEach(([name, xs, fs, strides, padding, dilations], i) => {
    it(`conv2d: ${name}`, () => {
      compareWithTf(
        (x, f) => nb.conv2d(x!, f!, { strides, padding, dilations }),
        (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, strides, padding, 'NHWC', dilations),
        [rand(xs, 200 + i), rand(fs, 300 + i)],
        { grad: !dilated(dilations) },
      );
      if (dilated(dilations)) {
        compareWithTf(
          (x, f) => nb.conv2d(x!, f!, { strides, padding, dilations }),
          (x, f) => tf.conv2d(x as tf.Tensor4D, tfDilateFilter(f!, ...dilations) as tf.Tensor4D, strides, padding),
          [rand(xs, 200 + i), rand(fs, 300 + i)],
        );
      }
    });
  });

  const depthwiseCases: [string, number[], number[], P2, 'valid' | 'same', P2][] = [
    ['valid, multiplier 2', [2, 6, 5, 3], [3, 3, 3, 2], [1, 1], 'valid', [1, 1]],
    ['same, stride 2, multiplier 1', [1, 7, 6, 2], [3, 3, 2, 1], [2, 2], 'same', [1, 1]],
    ['same, dilation 2, multiplier 3 (gradients via a zero-inserted filter)', [1, 7, 6, 2], [2, 2, 2, 3], [1, 1], 'same', [2, 2]],
  ];
  depthwiseCases.forEach(([name, xs, fs, strides, padding, dilations], i) => {
    it(`depthwiseConv2d: ${name}`, () => {
      compareWithTf(
        (x, f) => nb.depthwiseConv2d(x!, f!, { strides, padding, dilations }),
        (x, f) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, strides, padding, 'NHWC', dilations),
        [rand(xs, 400 + i), rand(fs, 500 + i)],
        { grad: !dilated(dilations) },
      );
      if (dilated(dilations)) {
        compareWithTf(
          (x, f) => nb.depthwiseConv2d(x!, f!, { strides, padding, dilations }),
          (x, f) => tf.depthwiseConv2d(x as tf.Tensor4D, tfDilateFilter(f!, ...dilations) as tf.Tensor4D, strides, padding),
          [rand(xs, 400 + i), rand(fs, 500 + i)],
        );
      }
    });
  });

  const transposeCases: [string, number[], number[], [number, number, number, number], P2, 'valid' | 'same'][] = [
    ['valid, stride 1', [2, 4, 3, 3], [3, 3, 2, 3], [2, 6, 5, 2], [1, 1], 'valid'],
    ['same, stride 2', [2, 3, 4, 2], [3, 3, 3, 2], [2, 6, 8, 3], [2, 2], 'same'],
    ['valid, stride 2, odd output size', [1, 3, 3, 2], [2, 2, 2, 2], [1, 7, 7, 2], [2, 2], 'valid'],
    ['same, stride [2, 1], even kernel', [1, 3, 4, 2], [4, 2, 1, 2], [1, 6, 4, 1], [2, 1], 'same'],
  ];
  transposeCases.forEach(([name, xs, fs, out, strides, padding], i) => {
    it(`conv2dTranspose: ${name}`, () => {
      compareWithTf(
        (x, f) => nb.conv2dTranspose(x!, f!, out, { strides, padding }),
        (x, f) => tf.conv2dTranspose(x as tf.Tensor4D, f as tf.Tensor4D, out, strides, padding),
        [rand(xs, 600 + i), rand(fs, 700 + i)],
      );
    });
  });

  const conv1dCases: [string, number[], number[], number, 'valid' | 'same', number][] = [
    ['valid', [2, 9, 3], [3, 3, 4], 1, 'valid', 1],
    ['same, stride 2', [2, 9, 2], [4, 2, 3], 2, 'same', 1],
    ['valid, dilation 2 (gradients via a zero-inserted filter)', [1, 9, 2], [3, 2, 2], 1, 'valid', 2],
  ];
  conv1dCases.forEach(([name, xs, fs, stride, padding, dilation], i) => {
    it(`conv1d: ${name}`, () => {
      compareWithTf(
        (x, f) => nb.conv1d(x!, f!, { stride, padding, dilation }),
        (x, f) => tf.conv1d(x as tf.Tensor3D, f as tf.Tensor3D, stride, padding, 'NWC', dilation),
        [rand(xs, 800 + i), rand(fs, 900 + i)],
        { grad: dilation === 1 },
      );
      if (dilation > 1) {
        compareWithTf(
          (x, f) => nb.conv1d(x!, f!, { stride, padding, dilation }),
          (x, f) => {
            const [k, a, b] = f!.shape as [number, number, number];
            const f4 = tfDilateFilter(tf.reshape(f!, [k, 1, a, b]), dilation, 1);
            return tf.conv1d(x as tf.Tensor3D, tf.reshape(f4, [(k - 1) * dilation + 1, a, b]) as tf.Tensor3D, stride, padding);
          },
          [rand(xs, 800 + i), rand(fs, 900 + i)],
        );
      }
    });
  });

  it("conv1d 'causal' (Keras) against tf.conv1d on a left-padded input", () => {
    compareWithTf(
      (x, f) => nb.conv1d(x!, f!, { padding: 'causal', stride: 2 }),
      (x, f) => tf.conv1d(tf.pad(x!, [[0, 0], [2, 0], [0, 0]]) as tf.Tensor3D, f as tf.Tensor3D, 2, 'valid'),
      [rand([2, 8, 2], 1002), rand([3, 2, 3], 1003)],
    );
  });

  it('conv2d on an unbatched rank-3 input', () => {
    compareWithTf(
      (x, f) => nb.conv2d(x!, f!, { padding: 'same', strides: 2 }),
      (x, f) => tf.conv2d(x as tf.Tensor3D, f as tf.Tensor4D, 2, 'same'),
      [rand([5, 6, 2], 1000), rand([3, 3, 2, 2], 1001)],
    );
  });
});

/** Distinct values (a shuffled ramp), so every pooling window has a unique maximum in both libraries. */
function distinct(shape: number[], seed: number): nb.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const r = rand([n], seed);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => r.values[a]! - r.values[b]!);
  const v = new Float64Array(n);
  order.forEach((pos, rank) => (v[pos] = (rank - n / 2) / 16));
  return nb.tensor(v, shape);
}

// TensorFlow.js's CPU AvgPoolGrad divides every window by the full window area, while its forward
// pass (and TensorFlow's own AvgPoolGrad) divides by the number of cells inside the image: with
// 'same' padding its gradient disagrees with its own forward pass at the borders. nabla's gradient
// is checked against finite differences in pool.test.ts; here 'same' avgPool compares the forward only.
describe('TensorFlow.js differential: pooling (forward and gradients, float32, atol/rtol 1e-4)', () => {
  before(tfReady);

  const cases: [string, number[], P2, P2, 'valid' | 'same'][] = [
    ['2×2 valid', [2, 6, 6, 3], [2, 2], [2, 2], 'valid'],
    ['3×3 stride 2 same', [2, 7, 6, 2], [3, 3], [2, 2], 'same'],
    ['3×3 stride 1 valid (overlapping)', [1, 6, 5, 2], [3, 3], [1, 1], 'valid'],
    ['2×3 stride [1, 2] same', [1, 5, 7, 2], [2, 3], [1, 2], 'same'],
    ['2×2 stride 3 same (gaps between windows)', [1, 7, 8, 1], [2, 2], [3, 3], 'same'],
  ];
  cases.forEach(([name, xs, k, s, padding], i) => {
    it(`maxPool: ${name}`, () => {
      compareWithTf(
        (x) => nb.maxPool2d(x!, { poolSize: k, strides: s, padding }),
        (x) => tf.maxPool(x as tf.Tensor4D, k, s, padding),
        [distinct(xs, 1100 + i)],
      );
    });
    it(`avgPool: ${name}`, () => {
      compareWithTf(
        (x) => nb.avgPool2d(x!, { poolSize: k, strides: s, padding }),
        (x) => tf.avgPool(x as tf.Tensor4D, k, s, padding),
        [rand(xs, 1200 + i)],
        { grad: padding === 'valid' },
      );
    });
  });
});
