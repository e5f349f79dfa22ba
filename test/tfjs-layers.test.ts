// Differential tests against TensorFlow.js layers (CPU backend): the same layer configuration in both
// libraries, nabla's weights copied into TensorFlow.js with setWeights (which also checks that the
// weight order and shapes match Keras'), and outputs compared in float32.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as nb from '../src/index.js';
import type { CallOptions, Layer, LayerInput } from '../src/nn/layer.js';
import { layers } from '../src/nn/layers/index.js';
import { assertSameAsTf, tfReady, toTf } from './tfjs-helpers.js';

/** The part of a TensorFlow.js layer these tests use. */
interface TfLayer {
  apply(inputs: tf.Tensor | tf.Tensor[], kwargs?: { training?: boolean }): unknown;
  getWeights(): tf.Tensor[];
  setWeights(weights: tf.Tensor[]): void;
}

/** Non-zero biases, betas and moving statistics, so that every weight matters in the comparison. */
function randomizeWeights(layer: Layer, seed: number): void {
  layer.setWeights(
    layer.weights.map((w, i) => {
      const name = w.name.split('/').pop()!;
      // Variances must stay positive; gammas near 1.
      if (name === 'moving_variance') return nb.randomUniform([...w.shape], 0.5, 2, { seed: seed + i });
      if (name === 'gamma') return nb.randomUniform([...w.shape], 0.5, 1.5, { seed: seed + i });
      return nb.randomUniform([...w.shape], -0.5, 0.5, { seed: seed + i });
    }),
  );
}

/**
 * Runs `nbLayer` and `tfLayer` on the same random inputs of `shapes` (after copying nabla's weights
 * into the TensorFlow.js layer) and compares the outputs; returns both for further checks.
 */
function compareLayer(
  nbLayer: Layer,
  tfLayer: TfLayer,
  shapes: number[][],
  options: { seed?: number; training?: boolean; transformTfInput?: (x: tf.Tensor) => tf.Tensor } = {},
): { y: nb.Tensor; tfY: tf.Tensor } {
  const seed = options.seed ?? 1;
  const xs = shapes.map((s, i) => nb.randomUniform(s, -2, 2, { seed: seed + 17 * i }));
  const arg = (xs.length === 1 ? xs[0] : xs) as LayerInput;
  const callOptions: CallOptions = { training: false };
  nbLayer.apply(arg, callOptions); // builds
  if (nbLayer.weights.length > 0) randomizeWeights(nbLayer, seed * 31);
  let tfXs = xs.map(toTf);
  if (options.transformTfInput) tfXs = tfXs.map(options.transformTfInput);
  const tfArg = tfXs.length === 1 ? tfXs[0]! : tfXs;
  tfLayer.apply(tfArg); // builds
  const tfWeights = tfLayer.getWeights();
  assert.deepEqual(
    tfWeights.map((w) => w.shape),
    nbLayer.getWeights().map((w) => [...w.shape]),
    'weight shapes and order must match TensorFlow.js/Keras',
  );
  if (tfWeights.length > 0) tfLayer.setWeights(nbLayer.getWeights().map(toTf));
  const y = nbLayer.apply(arg, { training: options.training === true }) as nb.Tensor;
  const tfY = tfLayer.apply(tfArg, { training: options.training === true }) as tf.Tensor;
  assertSameAsTf(y, tfY);
  return { y, tfY };
}

describe('TensorFlow.js differential: layers with identical weights (float32, atol/rtol 1e-4)', () => {
  before(tfReady);

  it('dense (relu, and without bias)', () => {
    compareLayer(layers.dense({ units: 5, activation: 'relu' }), tf.layers.dense({ units: 5, activation: 'relu' }), [[3, 7]]);
    compareLayer(layers.dense({ units: 4, useBias: false }), tf.layers.dense({ units: 4, useBias: false }), [[2, 3, 6]]);
  });

  const convCases: [string, Record<string, unknown>, number[]][] = [
    ['valid', { filters: 4, kernelSize: 3 }, [2, 7, 6, 3]],
    ['same', { filters: 3, kernelSize: 3, padding: 'same', activation: 'tanh' }, [2, 6, 5, 2]],
    ['same, stride 2', { filters: 3, kernelSize: [3, 2], strides: 2, padding: 'same' }, [1, 7, 8, 2]],
    ['valid, stride [2, 1]', { filters: 2, kernelSize: 3, strides: [2, 1] }, [1, 8, 6, 3]],
    ['dilation 2', { filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same' }, [1, 6, 6, 2]],
  ];
  for (const [name, args, shape] of convCases) {
    it(`conv2d: ${name}`, () => {
      compareLayer(layers.conv2d(args as never), tf.layers.conv2d(args as never), [shape]);
    });
  }

  it('conv1d: valid, same with stride 2, and causal (TensorFlow.js has no causal: left padding then valid)', () => {
    compareLayer(layers.conv1d({ filters: 3, kernelSize: 3 }), tf.layers.conv1d({ filters: 3, kernelSize: 3 }), [[2, 9, 4]]);
    compareLayer(
      layers.conv1d({ filters: 2, kernelSize: 4, strides: 2, padding: 'same' }),
      tf.layers.conv1d({ filters: 2, kernelSize: 4, strides: 2, padding: 'same' }),
      [[2, 9, 3]],
    );
    compareLayer(
      layers.conv1d({ filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2 }),
      tf.layers.conv1d({ filters: 2, kernelSize: 3, dilationRate: 2 }),
      [[2, 8, 3]],
      { transformTfInput: (x) => tf.pad(x, [[0, 0], [4, 0], [0, 0]]) },
    );
  });

  it('depthwiseConv2d: multiplier 1 valid, multiplier 2 same with stride 2', () => {
    compareLayer(layers.depthwiseConv2d({ kernelSize: 3 }), tf.layers.depthwiseConv2d({ kernelSize: 3 }), [[2, 6, 6, 3]]);
    compareLayer(
      layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' }),
      [[1, 7, 7, 2]],
    );
  });

  it('separableConv2d: valid, and same with depth multiplier 2 and relu', () => {
    compareLayer(layers.separableConv2d({ filters: 4, kernelSize: 3 }), tf.layers.separableConv2d({ filters: 4, kernelSize: 3 }), [[2, 6, 6, 3]]);
    const args = { filters: 3, kernelSize: 3, depthMultiplier: 2, padding: 'same' as const, activation: 'relu' as const };
    compareLayer(layers.separableConv2d(args), tf.layers.separableConv2d(args), [[1, 5, 5, 2]]);
  });

  const transposeCases: [string, Record<string, unknown>, number[]][] = [
    ['valid', { filters: 3, kernelSize: 3 }, [2, 4, 5, 2]],
    ['same, stride 2', { filters: 2, kernelSize: 3, strides: 2, padding: 'same' }, [1, 4, 4, 3]],
    ['valid, stride 2', { filters: 2, kernelSize: [3, 2], strides: 2 }, [1, 3, 4, 2]],
    ['valid, kernel 2 < stride 3', { filters: 2, kernelSize: 2, strides: 3 }, [1, 3, 3, 2]],
  ];
  for (const [name, args, shape] of transposeCases) {
    it(`conv2dTranspose: ${name}`, () => {
      compareLayer(layers.conv2dTranspose(args as never), tf.layers.conv2dTranspose(args as never), [shape]);
    });
  }

  it('pooling layers', () => {
    const p2 = [{ poolSize: 2 }, { poolSize: 3, strides: 2, padding: 'same' as const }, { poolSize: [2, 3] as [number, number], strides: 1 }];
    for (const args of p2) {
      compareLayer(layers.maxPooling2d(args), tf.layers.maxPooling2d(args), [[2, 7, 6, 3]]);
      compareLayer(layers.averagePooling2d(args), tf.layers.averagePooling2d(args), [[2, 7, 6, 3]]);
    }
    const p1 = [{ poolSize: 2 }, { poolSize: 3, strides: 2, padding: 'same' as const }];
    for (const args of p1) {
      compareLayer(layers.maxPooling1d(args), tf.layers.maxPooling1d(args), [[2, 9, 3]]);
      compareLayer(layers.averagePooling1d(args), tf.layers.averagePooling1d(args), [[2, 9, 3]]);
    }
    compareLayer(layers.globalAveragePooling2d(), tf.layers.globalAveragePooling2d({}), [[2, 5, 4, 3]]);
    compareLayer(layers.globalMaxPooling2d(), tf.layers.globalMaxPooling2d({}), [[2, 5, 4, 3]]);
    compareLayer(layers.globalAveragePooling1d(), tf.layers.globalAveragePooling1d(), [[2, 6, 3]]);
    compareLayer(layers.globalMaxPooling1d(), tf.layers.globalMaxPooling1d(), [[2, 6, 3]]);
  });

  it('batchNormalization: inference with moving statistics', () => {
    compareLayer(layers.batchNormalization(), tf.layers.batchNormalization(), [[4, 3, 3, 5]]);
    compareLayer(layers.batchNormalization({ epsilon: 0.01, center: false }), tf.layers.batchNormalization({ epsilon: 0.01, center: false }), [[4, 5]]);
  });

  it('batchNormalization on a non-last axis, against TensorFlow.js ops (its layer is wrong there)', () => {
    // tfjs 4.22's BatchNormalization layer with axis ≠ -1 at inference applies the parameters along
    // the last axis (its CPU batchNorm kernel indexes them modulo their length, ignoring the
    // broadcast shape), so the reference is built from explicit tf ops.
    const bn = layers.batchNormalization({ axis: 1, epsilon: 0.01 });
    const x = nb.randomUniform([4, 3, 5], -2, 2, { seed: 3 });
    bn.apply(x);
    randomizeWeights(bn, 77);
    const [g, b, mm, mv] = bn.getWeights().map((w) => tf.reshape(toTf(w), [1, 3, 1]));
    const expected = tf.add(tf.mul(tf.div(tf.sub(toTf(x), mm!), tf.sqrt(tf.add(mv!, 0.01))), g!), b!);
    assertSameAsTf(bn.apply(x) as nb.Tensor, expected);
  });

  it('batchNormalization: training output and the moving-statistics update', () => {
    const nbBn = layers.batchNormalization({ momentum: 0.8 });
    const tfBn = tf.layers.batchNormalization({ momentum: 0.8 });
    compareLayer(nbBn, tfBn, [[6, 3, 2, 4]], { training: true });
    const tfWeights = tfBn.getWeights();
    nbBn.getWeights().forEach((w, i) => assertSameAsTf(w, tfWeights[i]!));
  });

  it('layerNormalization: last axis, and over two axes without scale', () => {
    compareLayer(layers.layerNormalization(), tf.layers.layerNormalization(), [[3, 4, 6]]);
    const args = { axis: [1, 2], scale: false, epsilon: 1e-2 };
    compareLayer(layers.layerNormalization(args), tf.layers.layerNormalization(args), [[2, 3, 4, 2]]);
  });

  it('flatten, reshape, permute and repeatVector', () => {
    compareLayer(layers.flatten(), tf.layers.flatten(), [[2, 3, 4, 2]]);
    compareLayer(layers.reshape({ targetShape: [4, -1] }), tf.layers.reshape({ targetShape: [4, -1] }), [[2, 3, 4, 2]]);
    compareLayer(layers.permute({ dims: [3, 1, 2] }), tf.layers.permute({ dims: [3, 1, 2] }), [[2, 3, 4, 2]]);
    compareLayer(layers.repeatVector({ n: 3 }), tf.layers.repeatVector({ n: 3 }), [[2, 5]]);
  });

  it('zeroPadding2d and upSampling2d', () => {
    compareLayer(layers.zeroPadding2d(), tf.layers.zeroPadding2d(), [[2, 3, 4, 2]]);
    compareLayer(layers.zeroPadding2d({ padding: [[1, 2], [0, 3]] }), tf.layers.zeroPadding2d({ padding: [[1, 2], [0, 3]] }), [[1, 3, 4, 2]]);
    compareLayer(layers.upSampling2d({ size: [2, 3] }), tf.layers.upSampling2d({ size: [2, 3] }), [[2, 3, 4, 2]]);
  });

  it('upSampling2d bilinear matches tf.image.resizeBilinear with half-pixel centers (TensorFlow 2 / Keras)', () => {
    // tfjs-layers' UpSampling2D calls resizeBilinear without half-pixel centers (TensorFlow 1
    // behaviour); Keras 2 and 3 use tf.image.resize, i.e. half-pixel centers, which nabla follows.
    const x = nb.randomUniform([2, 3, 4, 2], -2, 2, { seed: 8 });
    const y = layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear' }).apply(x) as nb.Tensor;
    assertSameAsTf(y, tf.image.resizeBilinear(toTf(x) as tf.Tensor4D, [6, 12], false, true));
  });

  it('activation layer', () => {
    for (const activation of ['relu', 'softmax', 'elu', 'selu', 'softplus', 'hardSigmoid', 'swish'] as const) {
      compareLayer(layers.activation({ activation }), tf.layers.activation({ activation }), [[3, 5]]);
    }
  });

  it('merge layers: add, multiply, average, maximum, minimum, concatenate', () => {
    const shapes = [[2, 3, 4], [2, 3, 4], [2, 3, 4]];
    compareLayer(layers.add(), tf.layers.add(), shapes);
    compareLayer(layers.multiply(), tf.layers.multiply(), shapes);
    compareLayer(layers.average(), tf.layers.average(), shapes);
    compareLayer(layers.maximum(), tf.layers.maximum(), shapes);
    compareLayer(layers.minimum(), tf.layers.minimum(), shapes);
    compareLayer(layers.concatenate(), tf.layers.concatenate(), [[2, 3, 4], [2, 3, 2]]);
    compareLayer(layers.concatenate({ axis: 1 }), tf.layers.concatenate({ axis: 1 }), [[2, 3, 4], [2, 1, 4], [2, 2, 4]]);
  });

  it('dropout is the identity at inference in both', () => {
    compareLayer(layers.dropout({ rate: 0.5 }), tf.layers.dropout({ rate: 0.5 }), [[3, 4]]);
  });
});
