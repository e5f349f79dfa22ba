import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { computeGradients } from '../src/autograd/backward.js';
import { maxNorm } from '../src/nn/constraints.js';
import { type CallOptions, Layer, type LayerInput } from '../src/nn/layer.js';
import { getLayerClass, layerClassNames, layerFromConfig, registerLayer } from '../src/nn/layer-registry.js';
import {
  Add, BatchNormalization, Concatenate, Conv2D, Dense, Dropout, InputLayer, input, LAYER_CLASSES, layers, SpatialDropout2D,
} from '../src/nn/layers/index.js';
import { l1l2 } from '../src/nn/regularizers.js';
import { SymbolicTensor } from '../src/nn/symbolic.js';
import { assertClose, assertThrowsWith, rand } from './helpers.js';

type T = nb.Tensor;

function run(layer: Layer, xs: T | T[], options: CallOptions = {}): T {
  return layer.apply(xs as LayerInput, options) as T;
}

function inputsFor(shapes: number[][], seed: number, dtype: 'float32' | 'float64' = 'float32'): T[] {
  return shapes.map((s, i) => nb.randomUniform(s, -1, 1, { seed: seed + i, dtype }));
}

// ---------------------------------------------------------------------------------------------
// Output shapes and parameter counts (the expected counts are Keras' model.summary() figures).

interface Case {
  name: string;
  make: () => Layer;
  inputs: number[][];
  out: number[];
  params: number;
  trainable?: number;
}

const CASES: Case[] = [
  { name: 'Dense(128) on 784', make: () => layers.dense({ units: 128 }), inputs: [[2, 784]], out: [2, 128], params: 100480 },
  { name: 'Dense(3) on [2, 5, 4] (last axis)', make: () => layers.dense({ units: 3, useBias: false }), inputs: [[2, 5, 4]], out: [2, 5, 3], params: 12 },
  { name: 'Conv2D(32, 3) on 28×28×1', make: () => layers.conv2d({ filters: 32, kernelSize: 3 }), inputs: [[2, 28, 28, 1]], out: [2, 26, 26, 32], params: 320 },
  {
    name: 'Conv2D(16, 3, same, stride 2) on 9×9×3',
    make: () => layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
    inputs: [[2, 9, 9, 3]], out: [2, 5, 5, 16], params: 448,
  },
  {
    name: 'Conv2D(8, [3, 5], dilation 2, no bias) on 12×14×2',
    make: () => layers.conv2d({ filters: 8, kernelSize: [3, 5], dilationRate: 2, useBias: false }),
    inputs: [[1, 12, 14, 2]], out: [1, 8, 6, 8], params: 240,
  },
  { name: 'Conv1D(16, 5) on 20×8', make: () => layers.conv1d({ filters: 16, kernelSize: 5 }), inputs: [[2, 20, 8]], out: [2, 16, 16], params: 656 },
  {
    name: 'Conv1D(4, 3, causal, dilation 2) on 10×3',
    make: () => layers.conv1d({ filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 2 }),
    inputs: [[2, 10, 3]], out: [2, 10, 4], params: 40,
  },
  {
    name: 'DepthwiseConv2D(3, multiplier 2) on 8×8×4',
    make: () => layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }),
    inputs: [[2, 8, 8, 4]], out: [2, 6, 6, 8], params: 80,
  },
  { name: 'SeparableConv2D(64, 3) on 32 channels', make: () => layers.separableConv2d({ filters: 64, kernelSize: 3 }), inputs: [[1, 8, 8, 32]], out: [1, 6, 6, 64], params: 2400 },
  {
    name: 'SeparableConv2D(8, 3, multiplier 2, same) on 4 channels',
    make: () => layers.separableConv2d({ filters: 8, kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
    inputs: [[1, 5, 5, 4]], out: [1, 5, 5, 8], params: 4 * 9 * 2 + 8 * 8 + 8,
  },
  {
    name: 'Conv2DTranspose(16, 3, stride 2, same) on 7×7×8',
    make: () => layers.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same' }),
    inputs: [[2, 7, 7, 8]], out: [2, 14, 14, 16], params: 1168,
  },
  {
    name: 'Conv2DTranspose(4, 3, stride 2, valid) on 5×5×2',
    make: () => layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2 }),
    inputs: [[1, 5, 5, 2]], out: [1, 11, 11, 4], params: 76,
  },
  {
    name: 'Conv2DTranspose(4, 2, stride 3, valid) on 5×5×2 (kernel < stride: in·stride)',
    make: () => layers.conv2dTranspose({ filters: 4, kernelSize: 2, strides: 3 }),
    inputs: [[1, 5, 5, 2]], out: [1, 15, 15, 4], params: 36,
  },
  { name: 'MaxPooling2D() on 28×28×8', make: () => layers.maxPooling2d(), inputs: [[2, 28, 28, 8]], out: [2, 14, 14, 8], params: 0 },
  {
    name: 'MaxPooling2D(3, stride 2, same) on 7×7×2',
    make: () => layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
    inputs: [[1, 7, 7, 2]], out: [1, 4, 4, 2], params: 0,
  },
  { name: 'AveragePooling2D(2) on 5×5×3', make: () => layers.averagePooling2d({ poolSize: 2 }), inputs: [[2, 5, 5, 3]], out: [2, 2, 2, 3], params: 0 },
  { name: 'MaxPooling1D() on 10×3', make: () => layers.maxPooling1d(), inputs: [[2, 10, 3]], out: [2, 5, 3], params: 0 },
  {
    name: 'AveragePooling1D(3, stride 1, same) on 10×3',
    make: () => layers.averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' }),
    inputs: [[2, 10, 3]], out: [2, 10, 3], params: 0,
  },
  { name: 'GlobalAveragePooling2D on 5×6×3', make: () => layers.globalAveragePooling2d(), inputs: [[2, 5, 6, 3]], out: [2, 3], params: 0 },
  { name: 'GlobalMaxPooling2D keepDims on 5×6×3', make: () => layers.globalMaxPooling2d({ keepDims: true }), inputs: [[2, 5, 6, 3]], out: [2, 1, 1, 3], params: 0 },
  { name: 'GlobalAveragePooling1D on 7×3', make: () => layers.globalAveragePooling1d(), inputs: [[2, 7, 3]], out: [2, 3], params: 0 },
  { name: 'GlobalMaxPooling1D on 7×3', make: () => layers.globalMaxPooling1d(), inputs: [[2, 7, 3]], out: [2, 3], params: 0 },
  { name: 'Flatten on 3×4×5', make: () => layers.flatten(), inputs: [[2, 3, 4, 5]], out: [2, 60], params: 0 },
  { name: 'Reshape([-1, 4]) on 3×4×2', make: () => layers.reshape({ targetShape: [-1, 4] }), inputs: [[2, 3, 4, 2]], out: [2, 6, 4], params: 0 },
  { name: 'Permute([2, 1]) on 3×5', make: () => layers.permute({ dims: [2, 1] }), inputs: [[2, 3, 5]], out: [2, 5, 3], params: 0 },
  { name: 'Permute([3, 1, 2]) on 3×4×5', make: () => layers.permute({ dims: [3, 1, 2] }), inputs: [[2, 3, 4, 5]], out: [2, 5, 3, 4], params: 0 },
  { name: 'Dropout(0.5)', make: () => layers.dropout({ rate: 0.5 }), inputs: [[2, 7]], out: [2, 7], params: 0 },
  { name: 'SpatialDropout2D(0.3)', make: () => layers.spatialDropout2d({ rate: 0.3 }), inputs: [[2, 3, 3, 4]], out: [2, 3, 3, 4], params: 0 },
  { name: 'BatchNormalization on 64 channels', make: () => layers.batchNormalization(), inputs: [[4, 5, 5, 64]], out: [4, 5, 5, 64], params: 256, trainable: 128 },
  {
    name: 'BatchNormalization(axis 1, no scale) on [4, 3, 5]',
    make: () => layers.batchNormalization({ axis: 1, scale: false }),
    inputs: [[4, 3, 5]], out: [4, 3, 5], params: 9, trainable: 3,
  },
  { name: 'LayerNormalization on 10×16', make: () => layers.layerNormalization(), inputs: [[2, 10, 16]], out: [2, 10, 16], params: 32 },
  {
    name: 'LayerNormalization(axis [1, 2]) on 4×6×3',
    make: () => layers.layerNormalization({ axis: [1, 2] }),
    inputs: [[2, 4, 6, 3]], out: [2, 4, 6, 3], params: 48,
  },
  { name: "Activation('softmax')", make: () => layers.activation({ activation: 'softmax' }), inputs: [[2, 5]], out: [2, 5], params: 0 },
  { name: 'ZeroPadding2D(2) on 4×5×3', make: () => layers.zeroPadding2d({ padding: 2 }), inputs: [[1, 4, 5, 3]], out: [1, 8, 9, 3], params: 0 },
  {
    name: 'ZeroPadding2D([[1, 0], [2, 3]]) on 4×5×3',
    make: () => layers.zeroPadding2d({ padding: [[1, 0], [2, 3]] }),
    inputs: [[1, 4, 5, 3]], out: [1, 5, 10, 3], params: 0,
  },
  { name: 'UpSampling2D([2, 3]) on 4×5×3', make: () => layers.upSampling2d({ size: [2, 3] }), inputs: [[1, 4, 5, 3]], out: [1, 8, 15, 3], params: 0 },
  {
    name: 'UpSampling2D(2, bilinear) on 3×4×2',
    make: () => layers.upSampling2d({ size: 2, interpolation: 'bilinear' }),
    inputs: [[2, 3, 4, 2]], out: [2, 6, 8, 2], params: 0,
  },
  { name: 'RepeatVector(3) on 5', make: () => layers.repeatVector({ n: 3 }), inputs: [[2, 5]], out: [2, 3, 5], params: 0 },
  { name: 'Add of two', make: () => layers.add(), inputs: [[2, 3, 4], [2, 3, 4]], out: [2, 3, 4], params: 0 },
  { name: 'Add of three, broadcasting [2, 1, 4]', make: () => layers.add(), inputs: [[2, 3, 4], [2, 1, 4], [2, 3, 4]], out: [2, 3, 4], params: 0 },
  { name: 'Subtract', make: () => layers.subtract(), inputs: [[2, 3], [2, 3]], out: [2, 3], params: 0 },
  { name: 'Multiply', make: () => layers.multiply(), inputs: [[2, 3], [2, 3]], out: [2, 3], params: 0 },
  { name: 'Average', make: () => layers.average(), inputs: [[2, 3], [2, 3], [2, 3]], out: [2, 3], params: 0 },
  { name: 'Maximum', make: () => layers.maximum(), inputs: [[2, 3], [2, 3]], out: [2, 3], params: 0 },
  { name: 'Minimum', make: () => layers.minimum(), inputs: [[2, 3], [2, 3]], out: [2, 3], params: 0 },
  { name: 'Concatenate (last axis)', make: () => layers.concatenate(), inputs: [[2, 3, 4], [2, 3, 5]], out: [2, 3, 9], params: 0 },
  { name: 'Concatenate(axis 1)', make: () => layers.concatenate({ axis: 1 }), inputs: [[2, 3, 4], [2, 2, 4]], out: [2, 5, 4], params: 0 },
  { name: 'InputLayer', make: () => layers.inputLayer({ inputShape: [null, 3] }), inputs: [[2, 5, 3]], out: [2, 5, 3], params: 0 },
];

describe('layers: output shapes and Keras parameter counts', () => {
  CASES.forEach((c, i) => {
    it(c.name, () => {
      const layer = c.make();
      const xs = inputsFor(c.inputs, 100 + i);
      const y = run(layer, xs.length === 1 ? xs[0]! : xs);
      assert.deepEqual([...y.shape], c.out);
      assert.equal(layer.countParams(), c.params);
      const trainable = layer.trainableWeights.reduce((s, w) => s + w.value.size, 0);
      assert.equal(trainable, c.trainable ?? c.params);
      // A second call with the same shapes works and gives the same result (no hidden state, inference mode).
      if (!(layer instanceof Dropout)) assertClose(run(layer, xs.length === 1 ? xs[0]! : xs), y);
    });
  });

  it('layers get Keras-style unique snake_case names', () => {
    const a = new Conv2D({ filters: 1, kernelSize: 1 });
    const b = new Conv2D({ filters: 1, kernelSize: 1 });
    assert.match(a.name, /^conv2d(_\d+)?$/);
    assert.notEqual(a.name, b.name);
    assert.match(layers.separableConv2d({ filters: 1, kernelSize: 1 }).name, /^separable_conv2d(_\d+)?$/);
    assert.match(layers.conv2dTranspose({ filters: 1, kernelSize: 1 }).name, /^conv2d_transpose(_\d+)?$/);
    assert.match(layers.maxPooling2d().name, /^max_pooling2d(_\d+)?$/);
    assert.match(layers.batchNormalization().name, /^batch_normalization(_\d+)?$/);
    assert.equal(layers.dense({ units: 1, name: 'head' }).name, 'head');
  });

  it('weights are named and ordered as in Keras', () => {
    const sep = layers.separableConv2d({ filters: 2, kernelSize: 3, name: 'sep' });
    run(sep, nb.zeros([1, 4, 4, 3]));
    assert.deepEqual(sep.weights.map((w) => w.name), ['sep/depthwise_kernel', 'sep/pointwise_kernel', 'sep/bias']);
    const bn = layers.batchNormalization({ name: 'bn' });
    run(bn, nb.zeros([2, 3]));
    assert.deepEqual(bn.weights.map((w) => w.name), ['bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance']);
    assert.deepEqual(bn.nonTrainableWeights.map((w) => w.name), ['bn/moving_mean', 'bn/moving_variance']);
    const tr = layers.conv2dTranspose({ filters: 5, kernelSize: [2, 3], name: 'tr' });
    run(tr, nb.zeros([1, 3, 3, 4]));
    assert.deepEqual([...tr.weights[0]!.shape], [2, 3, 5, 4]);
  });
});

// ---------------------------------------------------------------------------------------------
// Values of the weightless layers

describe('layers: values', () => {
  it('flatten, reshape and permute move values as the ops do', () => {
    const x = nb.arange(24).reshape([2, 3, 4]);
    assertClose(run(layers.flatten(), x), x.reshape([2, 12]));
    assertClose(run(layers.reshape({ targetShape: [4, -1] }), x), x.reshape([2, 4, 3]));
    assertClose(run(layers.permute({ dims: [2, 1] }), x), nb.transpose(x, [0, 2, 1]));
  });

  it('repeatVector, zeroPadding2d and nearest upSampling2d', () => {
    const v = nb.tensor([[1, 2], [3, 4]]);
    assertClose(run(layers.repeatVector({ n: 2 }), v), nb.tensor([[[1, 2], [1, 2]], [[3, 4], [3, 4]]]));
    const img = nb.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    assert.deepEqual(
      run(layers.zeroPadding2d({ padding: [[1, 0], [0, 1]] }), img).reshape([3, 3]).arraySync(),
      [[0, 0, 0], [1, 2, 0], [3, 4, 0]],
    );
    assert.deepEqual(
      run(layers.upSampling2d({ size: [1, 2] }), img).reshape([2, 4]).arraySync(),
      [[1, 1, 2, 2], [3, 3, 4, 4]],
    );
  });

  it('bilinear upSampling2d uses half-pixel centers (TensorFlow 2 / Keras)', () => {
    const x = nb.tensor([0, 4, 8], [1, 1, 3, 1]);
    // Source positions (i + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25, 1.75, 2.25, clamped at the edges.
    assertClose(run(layers.upSampling2d({ size: [1, 2], interpolation: 'bilinear' }), x).values, [0, 1, 3, 5, 7, 8]);
  });

  it('global pooling, pooling and activation', () => {
    const x = nb.tensor([1, 5, 2, 0, 3, 7, 4, 6], [1, 2, 2, 2]);
    assertClose(run(layers.globalAveragePooling2d(), x), nb.tensor([[2.5, 4.5]]));
    assertClose(run(layers.globalMaxPooling2d(), x), nb.tensor([[4, 7]]));
    assertClose(run(layers.maxPooling2d(), x), nb.tensor([4, 7], [1, 1, 1, 2]));
    const seq = nb.tensor([1, 4, 2, 8, 0, 3], [1, 6, 1]);
    assertClose(run(layers.maxPooling1d({ poolSize: 3 }), seq).values, [4, 8]);
    assertClose(run(layers.averagePooling1d({ poolSize: 2 }), seq).values, [2.5, 5, 1.5]);
    assertClose(run(layers.activation({ activation: 'relu' }), nb.tensor([-1, 2])), nb.tensor([0, 2]));
  });

  it('merge layers compute elementwise sums, products, means, extrema and joins', () => {
    const a = nb.tensor([[1, -2, 3]]);
    const b = nb.tensor([[4, 5, -6]]);
    assertClose(run(layers.add(), [a, b]), nb.tensor([[5, 3, -3]]));
    assertClose(run(layers.subtract(), [a, b]), nb.tensor([[-3, -7, 9]]));
    assertClose(run(layers.multiply(), [a, b]), nb.tensor([[4, -10, -18]]));
    assertClose(run(layers.average(), [a, b]), nb.tensor([[2.5, 1.5, -1.5]]));
    assertClose(run(layers.maximum(), [a, b]), nb.tensor([[4, 5, 3]]));
    assertClose(run(layers.minimum(), [a, b]), nb.tensor([[1, -2, -6]]));
    assertClose(run(layers.concatenate(), [a, b]), nb.tensor([[1, -2, 3, 4, 5, -6]]));
  });

  it('layer normalization gives each sample mean 0 and variance v/(v + ε)', () => {
    const x = rand([3, 8], 5, -2, 2);
    const y = run(layers.layerNormalization({ dtype: 'float64' }), x);
    const v = nb.variance(x, -1);
    assertClose(nb.mean(y, -1), nb.zeros([3], 'float64'), { atol: 1e-12 });
    assertClose(nb.variance(y, -1), nb.div(v, nb.add(v, 1e-3)), { atol: 1e-12 });
  });
});

// ---------------------------------------------------------------------------------------------
// Gradients: autograd against central differences, for the input and every trainable weight (float64)

function checkLayerGradients(layer: Layer, xs: T[], options: CallOptions = {}, maxPerTensor = 24): void {
  const inputs = xs.map((x) => nb.clone(x).requiresGrad());
  const arg = inputs.length === 1 ? inputs[0]! : inputs;
  const y = run(layer, arg, options);
  const r = nb.randomUniform(y.shape, -1, 1, { seed: 99, dtype: 'float64' });
  const weights = layer.trainableWeights.map((w) => w.value);
  assert.ok(weights.every((w) => w.dtype === 'float64'), 'the layer under test must be float64');
  const targets = [...inputs, ...weights];
  const grads = computeGradients(nb.sum(nb.mul(y, r)), undefined, targets);
  const loss = (): number => nb.noGrad(() => nb.sum(nb.mul(run(layer, arg, options), r)).item());
  targets.forEach((t, ti) => {
    const g = grads.get(t);
    assert.ok(g !== undefined, `no gradient for ${ti < inputs.length ? `input ${ti}` : layer.trainableWeights[ti - inputs.length]!.name}`);
    const v = t.values as Float64Array;
    const step = Math.max(1, Math.floor(v.length / maxPerTensor));
    for (let i = 0; i < v.length; i += step) {
      const orig = v[i]!;
      const eps = 1e-6;
      v[i] = orig + eps;
      const plus = loss();
      v[i] = orig - eps;
      const minus = loss();
      v[i] = orig;
      const numeric = (plus - minus) / (2 * eps);
      const analytic = g.values[i] as number;
      assert.ok(
        Math.abs(analytic - numeric) <= 1e-6 + 1e-4 * Math.abs(numeric),
        `${layer.className} target ${ti} element ${i}: autograd ${analytic}, central difference ${numeric}`,
      );
    }
  });
}

describe('layers: gradients (autograd vs central differences, float64)', () => {
  const f64 = { dtype: 'float64' as const };
  const grads: [string, () => Layer, number[][], CallOptions?][] = [
    ['Dense (tanh)', () => layers.dense({ units: 3, activation: 'tanh', ...f64 }), [[2, 4]]],
    ['Conv2D (same, stride 2, tanh)', () => layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh', ...f64 }), [[2, 5, 5, 2]]],
    ['Conv2D (dilation 2)', () => layers.conv2d({ filters: 2, kernelSize: 2, dilationRate: 2, ...f64 }), [[1, 5, 5, 2]]],
    ['Conv1D (causal)', () => layers.conv1d({ filters: 2, kernelSize: 3, padding: 'causal', ...f64 }), [[2, 6, 2]]],
    ['DepthwiseConv2D', () => layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, ...f64 }), [[1, 4, 4, 2]]],
    ['SeparableConv2D', () => layers.separableConv2d({ filters: 3, kernelSize: 2, depthMultiplier: 2, ...f64 }), [[1, 4, 4, 2]]],
    ['Conv2DTranspose', () => layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', ...f64 }), [[1, 3, 3, 2]]],
    ['BatchNormalization (training)', () => layers.batchNormalization({ ...f64, gammaInitializer: 'randomNormal' }), [[4, 3, 2]], { training: true }],
    ['BatchNormalization (inference)', () => layers.batchNormalization(f64), [[4, 3]]],
    ['LayerNormalization', () => layers.layerNormalization({ ...f64, gammaInitializer: 'randomNormal' }), [[3, 5]]],
    ['LayerNormalization (axis [1, 2])', () => layers.layerNormalization({ axis: [1, 2], ...f64 }), [[2, 3, 2, 2]]],
    ['MaxPooling2D', () => layers.maxPooling2d({ poolSize: 2, ...f64 }), [[1, 4, 4, 2]]],
    ['AveragePooling2D (same)', () => layers.averagePooling2d({ poolSize: 2, padding: 'same', ...f64 }), [[1, 3, 3, 2]]],
    ['MaxPooling1D', () => layers.maxPooling1d(f64), [[2, 6, 2]]],
    ['AveragePooling1D', () => layers.averagePooling1d({ poolSize: 3, strides: 1, ...f64 }), [[2, 6, 2]]],
    ['GlobalAveragePooling2D', () => layers.globalAveragePooling2d(f64), [[2, 3, 3, 2]]],
    ['GlobalMaxPooling2D', () => layers.globalMaxPooling2d(f64), [[2, 3, 3, 2]]],
    ['UpSampling2D (nearest)', () => layers.upSampling2d({ size: [2, 3], ...f64 }), [[1, 2, 2, 2]]],
    ['UpSampling2D (bilinear)', () => layers.upSampling2d({ interpolation: 'bilinear', ...f64 }), [[1, 3, 3, 1]]],
    ['ZeroPadding2D', () => layers.zeroPadding2d({ padding: 1, ...f64 }), [[1, 2, 2, 2]]],
    ['Permute', () => layers.permute({ dims: [2, 3, 1], ...f64 }), [[2, 2, 3, 2]]],
    ['Reshape', () => layers.reshape({ targetShape: [-1], ...f64 }), [[2, 2, 3]]],
    ['Flatten', () => layers.flatten(f64), [[2, 2, 3]]],
    ['RepeatVector', () => layers.repeatVector({ n: 3, ...f64 }), [[2, 3]]],
    ['Multiply (three inputs)', () => layers.multiply(f64), [[2, 3], [2, 3], [2, 1]]],
    ['Average', () => layers.average(f64), [[2, 3], [2, 3]]],
    ['Maximum', () => layers.maximum(f64), [[2, 3], [2, 3]]],
    ['Concatenate', () => layers.concatenate({ axis: 1, ...f64 }), [[2, 2, 3], [2, 1, 3]]],
  ];
  grads.forEach(([name, make, shapes, options], i) => {
    it(name, () => checkLayerGradients(make(), inputsFor(shapes, 500 + 10 * i, 'float64'), options));
  });

  it('a backward pass fills the grad of every trainable weight and of no frozen one', () => {
    const conv = layers.conv2d({ filters: 2, kernelSize: 3 });
    const bn = layers.batchNormalization();
    const dense = layers.dense({ units: 2 });
    const x = nb.randomNormal([3, 5, 5, 1], 0, 1, { seed: 3 });
    const y = run(dense, run(layers.flatten(), run(bn, run(conv, x), { training: true })));
    nb.sum(nb.square(y)).backward();
    for (const l of [conv, bn, dense]) {
      for (const w of l.trainableWeights) {
        assert.ok(w.value.grad !== null, `${w.name} has no gradient`);
        assert.ok(Array.from(w.value.grad.values).some((v) => v !== 0), `${w.name} has an all-zero gradient`);
      }
      for (const w of l.nonTrainableWeights) assert.equal(w.value.grad, null, `${w.name} must not get a gradient`);
    }
    // A frozen layer's weights get no gradient.
    const frozen = layers.dense({ units: 2, trainable: false });
    const y2 = run(frozen, nb.ones([1, 3]).requiresGrad());
    nb.sum(y2).backward();
    assert.equal(frozen.trainableWeights.length, 0);
    assert.ok(frozen.weights.every((w) => w.value.grad === null));
  });
});

// ---------------------------------------------------------------------------------------------
// Batch normalization and dropout: training vs inference

/** Per-channel mean and population variance of x [n, c] computed with plain loops. */
function channelStats(x: T): { mean: number[]; variance: number[] } {
  const c = x.shape[x.rank - 1]!;
  const n = x.size / c;
  const mean = new Array<number>(c).fill(0);
  const variance = new Array<number>(c).fill(0);
  for (let i = 0; i < x.size; i++) mean[i % c]! += (x.values[i] as number) / n;
  for (let i = 0; i < x.size; i++) variance[i % c]! += ((x.values[i] as number) - mean[i % c]!) ** 2 / n;
  return { mean, variance };
}

describe('BatchNormalization: training vs inference', () => {
  const x = nb.randomNormal([6, 2, 2, 3], 2, 3, { seed: 11, dtype: 'float64' });
  const { mean, variance } = channelStats(x);

  it('training: normalizes with batch statistics and updates the moving ones as Keras', () => {
    const bn = new BatchNormalization({ momentum: 0.9, dtype: 'float64' });
    const y = run(bn, x, { training: true });
    const ys = channelStats(y);
    assertClose(ys.mean, [0, 0, 0], { atol: 1e-12 });
    assertClose(ys.variance, variance.map((v) => v / (v + 1e-3)), { atol: 1e-10 });
    // moving = moving·momentum + batch·(1 − momentum), from the initial 0 and 1.
    assertClose(bn.movingMean!.value.values, mean.map((m) => 0.1 * m), { atol: 1e-12 });
    assertClose(bn.movingVariance!.value.values, variance.map((v) => 0.9 + 0.1 * v), { atol: 1e-12 });
    run(bn, x, { training: true });
    assertClose(bn.movingMean!.value.values, mean.map((m) => 0.9 * 0.1 * m + 0.1 * m), { atol: 1e-12 });
    // No graph is attached to the moving statistics.
    assert.equal(bn.movingMean!.value.node, null);
  });

  it('inference (the default): uses the moving statistics and changes nothing', () => {
    const bn = new BatchNormalization({ dtype: 'float64', epsilon: 0.01 });
    run(bn, x);
    bn.setWeights([
      nb.tensor([1, 2, 3], undefined, 'float64'), nb.tensor([0.5, 0, -1], undefined, 'float64'),
      nb.tensor([1, -1, 0], undefined, 'float64'), nb.tensor([4, 1, 0.25], undefined, 'float64'),
    ]);
    const before = bn.getWeights().map((w) => Array.from(w.values));
    const y = run(bn, x);
    const g = [1, 2, 3];
    const b = [0.5, 0, -1];
    const mm = [1, -1, 0];
    const mv = [4, 1, 0.25];
    const expected = Array.from(x.values, (v, i) => {
      const c = i % 3;
      return ((v - mm[c]!) / Math.sqrt(mv[c]! + 0.01)) * g[c]! + b[c]!;
    });
    assertClose(y.values, expected, { atol: 1e-12 });
    assert.deepEqual(bn.getWeights().map((w) => Array.from(w.values)), before);
    assertClose(run(bn, x, { training: false }), y);
  });

  it('a frozen (trainable = false) layer runs in inference mode even when training, as Keras', () => {
    const bn = new BatchNormalization({ dtype: 'float64' });
    run(bn, x);
    bn.trainable = false;
    const y = run(bn, x, { training: true });
    assertClose(y, run(bn, x));
    assertClose(bn.movingMean!.value.values, [0, 0, 0]);
    assert.equal(bn.trainableWeights.length, 0);
  });

  it('called symbolically it records the call without touching the moving statistics', () => {
    const bn = new BatchNormalization();
    const s = bn.apply(input({ shape: [3] })) as SymbolicTensor;
    assert.deepEqual([...s.shape], [null, 3]);
    assertClose(bn.movingMean!.value.values, [0, 0, 0]);
  });
});

describe('Dropout and SpatialDropout2D', () => {
  const x = nb.ones([8, 50]);

  it('drops only when training; at inference the input passes through unchanged', () => {
    const d = new Dropout({ rate: 0.5 });
    assert.equal(run(d, x), x);
    assert.equal(run(d, x, { training: false }), x);
    const y = run(d, x, { training: true });
    const vals = Array.from(y.values);
    assert.ok(vals.every((v) => v === 0 || v === 2), 'kept values are scaled by 1/(1 − rate)');
    const dropped = vals.filter((v) => v === 0).length;
    assert.ok(dropped > 120 && dropped < 280, `dropped ${dropped} of 400`);
  });

  it('a seed makes the sequence of masks reproducible, and each call draws a new mask', () => {
    const a = new Dropout({ rate: 0.3, seed: 5 });
    const b = new Dropout({ rate: 0.3, seed: 5 });
    const a1 = run(a, x, { training: true });
    const a2 = run(a, x, { training: true });
    assert.deepEqual(Array.from(run(b, x, { training: true }).values), Array.from(a1.values));
    assert.notDeepEqual(Array.from(a2.values), Array.from(a1.values));
  });

  it('noiseShape shares the mask along size-1 axes; SpatialDropout2D drops whole channels', () => {
    const y = run(new Dropout({ rate: 0.5, noiseShape: [null, 1], seed: 1 }), x, { training: true });
    for (let r = 0; r < 8; r++) assert.equal(new Set(Array.from(y.values.slice(r * 50, r * 50 + 50))).size, 1);
    const img = nb.ones([4, 3, 3, 16]);
    const z = run(new SpatialDropout2D({ rate: 0.5, seed: 2 }), img, { training: true });
    let zeroChannels = 0;
    for (let b = 0; b < 4; b++) {
      for (let c = 0; c < 16; c++) {
        const vals = new Set<number>();
        for (let p = 0; p < 9; p++) vals.add(z.values[(b * 9 + p) * 16 + c] as number);
        assert.equal(vals.size, 1, 'a channel is kept or dropped as a whole');
        if (vals.has(0)) zeroChannels++;
      }
    }
    assert.ok(zeroChannels > 10 && zeroChannels < 54, `dropped ${zeroChannels} of 64 channels`);
    assert.equal(run(new SpatialDropout2D({ rate: 0.5 }), img), img);
  });

  it('gradients pass through the kept elements only', () => {
    const w = nb.ones([4, 10]).requiresGrad();
    const y = run(new Dropout({ rate: 0.5, seed: 9 }), w, { training: true });
    nb.sum(y).backward();
    assertClose(w.grad!.values, y.values);
  });
});

// ---------------------------------------------------------------------------------------------
// Configuration round trip and the registry

describe('getConfig round trip', () => {
  CASES.forEach((c, i) => {
    it(c.name, () => {
      const layer = c.make();
      const xs = inputsFor(c.inputs, 300 + i);
      const arg = xs.length === 1 ? xs[0]! : xs;
      const y = run(layer, arg);
      const config = JSON.parse(JSON.stringify(layer.getConfig())) as Record<string, unknown>;
      const cls = LAYER_CLASSES[layer.className];
      assert.ok(cls !== undefined, `${layer.className} is missing from LAYER_CLASSES`);
      assert.equal(cls, layer.constructor);
      const copy = layerFromConfig(layer.className, config);
      assert.deepEqual(copy.getConfig(), layer.getConfig());
      const y2 = run(copy, arg);
      assert.deepEqual([...y2.shape], [...y.shape]);
      if (layer.weights.length > 0) {
        copy.setWeights(layer.getWeights());
        assertClose(run(copy, arg), y);
      }
    });
  });

  it('regularizers and constraints serialize as their configs and come back working', () => {
    const dense = new Dense({ units: 2, kernelRegularizer: l1l2({ l1: 0.01, l2: 0.1 }), biasConstraint: maxNorm({ maxValue: 3 }), kernelInitializer: 'heNormal' });
    const config = JSON.parse(JSON.stringify(dense.getConfig())) as Record<string, unknown>;
    assert.deepEqual(config['kernelRegularizer'], { className: 'L1L2', l1: 0.01, l2: 0.1 });
    assert.deepEqual(config['biasConstraint'], { className: 'MaxNorm', maxValue: 3, axis: 0 });
    assert.equal(config['biasRegularizer'], null);
    assert.equal(config['kernelInitializer'], 'heNormal');
    const copy = new Dense(config as never);
    const x = nb.ones([1, 4]);
    run(dense, x);
    run(copy, x);
    copy.setWeights(dense.getWeights());
    assertClose(copy.regularizationLosses()[0]!, dense.regularizationLosses()[0]!);
    assert.equal(copy.weights[1]!.constraint!.config.className, 'MaxNorm');
    const conv = layers.conv2d({ filters: 1, kernelSize: 1, kernelRegularizer: 'l2', kernelConstraint: 'nonNeg' });
    const cc = conv.getConfig();
    assert.deepEqual(cc['kernelRegularizer'], { className: 'L1L2', l1: 0, l2: 0.01 });
    assert.deepEqual(cc['kernelConstraint'], { className: 'NonNeg' });
    assert.deepEqual(new Conv2D(cc as never).getConfig(), cc);
  });

  it('registerLayer: custom layers round-trip; built-in names are protected; unknown names list the known ones', () => {
    class Scale extends Layer {
      static override readonly className = 'TestScale';
      constructor(readonly args: { factor: number; name?: string }) {
        super(args);
      }
      call(inputs: LayerInput): T {
        return nb.mul(inputs as T, this.args.factor);
      }
      override getConfig(): Record<string, unknown> {
        return { ...super.getConfig(), factor: this.args.factor };
      }
    }
    registerLayer('TestScale', Scale);
    assert.equal(getLayerClass('TestScale'), Scale);
    assert.ok(layerClassNames().includes('TestScale') && layerClassNames().includes('Conv2D'));
    const copy = layerFromConfig('TestScale', new Scale({ factor: 3 }).getConfig());
    assertClose(run(copy, nb.tensor([1, 2])), nb.tensor([3, 6]));
    assertThrowsWith(() => registerLayer('Dense', Scale), nb.ValueError, ['built-in', 'Dense']);
    assertThrowsWith(() => registerLayer('Thing', class {} as never), nb.ValueError, ['extends Layer']);
    assertThrowsWith(() => getLayerClass('Nope'), nb.ValueError, ["unknown layer class 'Nope'", 'Conv2D', 'TestScale', 'registerLayer']);
  });
});

// ---------------------------------------------------------------------------------------------
// Functional API entry points

describe('InputLayer and input()', () => {
  it('input() returns a symbolic tensor produced by an InputLayer; layers chain on it', () => {
    const s = input({ shape: [28, 28, 1], name: 'pixels' });
    assert.ok(s instanceof SymbolicTensor);
    assert.ok(s.layer instanceof InputLayer);
    assert.equal(s.layer.name, 'pixels');
    assert.deepEqual([...s.shape], [null, 28, 28, 1]);
    assert.deepEqual(s.inputs, []);
    const h = layers.conv2d({ filters: 4, kernelSize: 3 }).apply(s) as SymbolicTensor;
    assert.deepEqual([...h.shape], [null, 26, 26, 4]);
    const f = layers.flatten().apply(layers.maxPooling2d().apply(h) as SymbolicTensor) as SymbolicTensor;
    assert.deepEqual([...f.shape], [null, 13 * 13 * 4]);
    const a = input({ shape: [5] });
    const b = input({ shape: [5], batchSize: 8 });
    assert.deepEqual([...b.shape], [8, 5]);
    const merged = new Concatenate().apply([a, layers.dense({ units: 2 }).apply(a) as SymbolicTensor]) as SymbolicTensor;
    assert.deepEqual([...merged.shape], [null, 7]);
    assert.equal(merged.inputs.length, 2);
    assert.equal(input({ shape: [2], dtype: 'int32' }).dtype, 'int32');
  });

  it('InputLayer is the identity on real tensors and checks their shape', () => {
    const il = layers.inputLayer({ inputShape: [null, 3], name: 'seq_in' });
    const x = nb.ones([2, 7, 3]);
    assert.equal(run(il, x), x);
    assert.equal(run(il, nb.ones([1, 2, 3])).shape[1], 2);
    assertThrowsWith(() => run(il, nb.ones([2, 7, 4])), nb.ShapeError, ['seq_in', 'InputLayer', '[null, null, 3]', '[2, 7, 4]']);
    assert.deepEqual(il.getConfig()['batchInputShape'], [null, null, 3]);
    assertThrowsWith(() => input({} as never), nb.ValueError, ['input', 'shape']);
    assertThrowsWith(() => layers.inputLayer({}), nb.ValueError, ['InputLayer', 'inputShape']);
    assertThrowsWith(() => layers.inputLayer({ inputShape: [-1] }), nb.ValueError, ['InputLayer', 'non-negative']);
  });
});

// ---------------------------------------------------------------------------------------------
// Bad arguments and bad inputs

describe('layers: bad arguments → ValueError naming the layer and the valid values', () => {
  const cases: [string, () => unknown, string[]][] = [
    ['Dense units 0', () => layers.dense({ units: 0 }), ['Dense', 'units', 'positive integer']],
    ['Conv2D filters -1', () => layers.conv2d({ filters: -1, kernelSize: 3 }), ['Conv2D', 'filters', 'positive integer', '-1']],
    ['Conv2D filters 2.5', () => layers.conv2d({ filters: 2.5, kernelSize: 3 }), ['Conv2D', 'filters']],
    ['Conv2D kernelSize [3]', () => layers.conv2d({ filters: 2, kernelSize: [3] }), ['Conv2D', 'kernelSize', 'list of 2']],
    ['Conv2D padding', () => layers.conv2d({ filters: 2, kernelSize: 3, padding: 'full' as never }), ['Conv2D', 'padding', "'valid', 'same'", 'full']],
    ['Conv2D causal', () => layers.conv2d({ filters: 2, kernelSize: 3, padding: 'causal' as never }), ['Conv2D', "'valid', 'same'"]],
    ['Conv1D padding', () => layers.conv1d({ filters: 2, kernelSize: 3, padding: 'full' as never }), ['Conv1D', "'valid', 'same', 'causal'"]],
    ['Conv2D strides and dilation', () => layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }), ['Conv2D', 'strides', 'dilationRate']],
    ['Conv2D activation', () => layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relux' as never }), ['Conv2D', "'relux'", 'relu, relu6']],
    ['Conv2D initializer', () => layers.conv2d({ filters: 2, kernelSize: 3, kernelInitializer: 'gloriot' as never }), ['Conv2D', 'gloriot', 'glorotUniform']],
    ['Dense regularizer', () => layers.dense({ units: 2, kernelRegularizer: 'l3' as never }), ['Dense', 'l3', 'l1, l2, l1l2']],
    ['Conv2D dataFormat', () => layers.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' as never }), ['Conv2D', 'channelsLast']],
    ['DepthwiseConv2D multiplier', () => layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 0 }), ['DepthwiseConv2D', 'depthMultiplier']],
    ['SeparableConv2D filters', () => layers.separableConv2d({ filters: 0, kernelSize: 3 }), ['SeparableConv2D', 'filters']],
    ['Conv2DTranspose filters', () => layers.conv2dTranspose({ filters: 0, kernelSize: 3 }), ['Conv2DTranspose', 'filters']],
    ['MaxPooling2D poolSize', () => layers.maxPooling2d({ poolSize: 0 }), ['MaxPooling2D', 'poolSize']],
    ['AveragePooling2D padding', () => layers.averagePooling2d({ padding: 'full' as never }), ['AveragePooling2D', "'valid', 'same'"]],
    ['MaxPooling1D strides', () => layers.maxPooling1d({ strides: -2 }), ['MaxPooling1D', 'strides']],
    ['Dropout rate 1', () => layers.dropout({ rate: 1 }), ['Dropout', 'rate', '[0, 1)', '1']],
    ['Dropout rate -0.1', () => layers.dropout({ rate: -0.1 }), ['Dropout', '[0, 1)']],
    ['SpatialDropout2D rate', () => layers.spatialDropout2d({ rate: 1.5 }), ['SpatialDropout2D', '[0, 1)']],
    ['BatchNormalization momentum', () => layers.batchNormalization({ momentum: 1.5 }), ['BatchNormalization', 'momentum', '[0, 1]']],
    ['BatchNormalization epsilon', () => layers.batchNormalization({ epsilon: 0 }), ['BatchNormalization', 'epsilon']],
    ['LayerNormalization axis', () => layers.layerNormalization({ axis: [] }), ['LayerNormalization', 'axis']],
    ['Reshape two -1', () => layers.reshape({ targetShape: [-1, -1] }), ['Reshape', 'targetShape', 'at most one -1']],
    ['Reshape 0', () => layers.reshape({ targetShape: [0, 2] }), ['Reshape', 'positive']],
    ['Permute 0-based', () => layers.permute({ dims: [0, 1] }), ['Permute', '1-based', 'permutation']],
    ['Permute repeated', () => layers.permute({ dims: [1, 1] }), ['Permute', 'permutation']],
    ['Activation unknown', () => layers.activation({ activation: 'sigmoidd' as never }), ['Activation', 'sigmoidd', 'softmax']],
    ['Activation missing', () => layers.activation({} as never), ['Activation', 'required', 'relu']],
    ['ZeroPadding2D negative', () => layers.zeroPadding2d({ padding: -1 }), ['ZeroPadding2D', 'padding', 'non-negative']],
    ['UpSampling2D interpolation', () => layers.upSampling2d({ interpolation: 'bicubic' as never }), ['UpSampling2D', "'nearest', 'bilinear'"]],
    ['UpSampling2D size', () => layers.upSampling2d({ size: 0 }), ['UpSampling2D', 'size']],
    ['RepeatVector n', () => layers.repeatVector({ n: 0 }), ['RepeatVector', 'n', 'positive']],
    ['Concatenate axis', () => layers.concatenate({ axis: 1.5 }), ['Concatenate', 'axis']],
    ['GlobalMaxPooling2D keepDims', () => layers.globalMaxPooling2d({ keepDims: 'yes' as never }), ['GlobalMaxPooling2D', 'keepDims']],
  ];
  for (const [name, fn, parts] of cases) it(name, () => assertThrowsWith(fn, nb.ValueError, parts));
});

describe('layers: wrong inputs → ShapeError naming the layer and the shape', () => {
  it('wrong input rank', () => {
    const conv = layers.conv2d({ filters: 2, kernelSize: 3, name: 'c1' });
    assertThrowsWith(() => run(conv, nb.ones([2, 5, 3])), nb.ShapeError, ['c1', 'Conv2D', 'rank 4', '[2, 5, 3]']);
    assertThrowsWith(() => run(layers.conv1d({ filters: 2, kernelSize: 3, name: 'c1d' }), nb.ones([2, 5, 5, 3])), nb.ShapeError, ['c1d', 'rank 3', '[2, 5, 5, 3]']);
    assertThrowsWith(() => run(layers.maxPooling2d({ name: 'p' }), nb.ones([2, 4, 4])), nb.ShapeError, ['p', 'MaxPooling2D', '[2, 4, 4]']);
    assertThrowsWith(() => run(layers.maxPooling1d({ name: 'p1' }), nb.ones([2, 4, 4, 1])), nb.ShapeError, ['p1', 'MaxPooling1D', 'rank 3']);
    assertThrowsWith(() => run(layers.globalAveragePooling2d({ name: 'g' }), nb.ones([2, 4])), nb.ShapeError, ['g', '[2, 4]']);
    assertThrowsWith(() => run(layers.dense({ units: 2, name: 'd' }), nb.ones([4])), nb.ShapeError, ['d', 'Dense', '[4]']);
    assertThrowsWith(() => run(layers.repeatVector({ n: 2, name: 'rv' }), nb.ones([2, 3, 4])), nb.ShapeError, ['rv', 'RepeatVector', '[2, 3, 4]']);
    assertThrowsWith(() => run(layers.permute({ dims: [2, 1], name: 'pm' }), nb.ones([2, 3])), nb.ShapeError, ['pm', 'Permute', '[2, 3]']);
    assertThrowsWith(() => run(layers.upSampling2d({ name: 'up' }), nb.ones([2, 3])), nb.ShapeError, ['up', 'UpSampling2D']);
    assertThrowsWith(() => run(layers.zeroPadding2d({ name: 'zp' }), nb.ones([2, 3])), nb.ShapeError, ['zp', 'ZeroPadding2D']);
    assertThrowsWith(() => run(layers.spatialDropout2d({ rate: 0.5, name: 'sd' }), nb.ones([2, 3])), nb.ShapeError, ['sd', 'SpatialDropout2D']);
    assertThrowsWith(() => run(layers.batchNormalization({ name: 'bn' }), nb.ones([4])), nb.ShapeError, ['bn', 'BatchNormalization', '[4]']);
    assertThrowsWith(() => run(layers.layerNormalization({ axis: 3, name: 'ln' }), nb.ones([2, 4])), nb.ShapeError, ['ln', 'LayerNormalization', '[2, 4]']);
  });

  it('a built layer rejects an input of another shape, naming both shapes', () => {
    const conv = layers.conv2d({ filters: 2, kernelSize: 3, name: 'c2' });
    run(conv, nb.ones([1, 5, 5, 3]));
    assertThrowsWith(() => run(conv, nb.ones([1, 5, 5, 4])), nb.ShapeError, ['c2', 'Conv2D', '[null, 5, 5, 3]', '[1, 5, 5, 4]']);
    const dense = layers.dense({ units: 2, inputShape: [4], name: 'd2' });
    assertThrowsWith(() => run(dense, nb.ones([3, 5])), nb.ShapeError, ['d2', '[null, 4]', '[3, 5]']);
    assertThrowsWith(() => run(layers.reshape({ targetShape: [5, -1], name: 'rs' }), nb.ones([2, 6])), nb.ShapeError, ['rs', 'Reshape', '[2, 6]', '[5, -1]']);
  });

  it('merge layers need a list of compatible inputs', () => {
    const add = new Add({ name: 'sum' });
    assertThrowsWith(() => run(add, nb.ones([2, 3])), nb.ValueError, ['sum', 'Add', 'at least 2', 'single tensor']);
    assertThrowsWith(() => run(add, [nb.ones([2, 3])]), nb.ValueError, ['sum', 'at least 2', 'list of 1']);
    assertThrowsWith(() => run(add, [nb.ones([2, 3]), nb.ones([2, 4])]), nb.ShapeError, ['sum', 'Add', '[2, 3], [2, 4]']);
    assertThrowsWith(() => run(add, [nb.ones([2, 3]), nb.ones([1, 3])]), nb.ShapeError, ['sum', 'batch size']);
    assertThrowsWith(() => run(layers.subtract({ name: 'diff' }), [nb.ones([2]), nb.ones([2]), nb.ones([2])]), nb.ValueError, ['diff', 'exactly 2']);
    const cat = new Concatenate({ name: 'cat' });
    assertThrowsWith(() => run(cat, [nb.ones([2, 3, 4]), nb.ones([2, 2, 5])]), nb.ShapeError, ['cat', 'Concatenate', '[2, 3, 4], [2, 2, 5]']);
    assertThrowsWith(() => run(new Concatenate({ axis: 0 }), [nb.ones([2, 3]), nb.ones([2, 3])]), nb.ShapeError, ['batch axis']);
  });
});
