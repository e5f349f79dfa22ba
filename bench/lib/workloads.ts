// The three training workloads of the benchmark (W1 MLP, W2 MNIST CNN, W3 cats-vs-dogs convnet):
// one layer list from which the nabla and TensorFlow.js models, the synthetic data and the FLOP
// count all derive, so every competitor trains the same shapes.
import type * as nbTypes from '../../src/index.js';
import { layers } from '../../src/nn/layers/index.js';
import { nb } from './nabla.js';
import { tf } from './tfjs.js';

export type LayerSpec =
  | { kind: 'conv'; filters: number; kernel: number; activation: 'relu' }
  | { kind: 'pool'; size: number }
  | { kind: 'flatten' }
  | { kind: 'dense'; units: number; activation: 'relu' | 'softmax' | 'sigmoid' };

export type WorkloadId = 'W1' | 'W2' | 'W3';

export interface Workload {
  id: WorkloadId;
  title: string;
  inputShape: number[];
  /** Width of the target: classes for softmax, 1 for sigmoid. */
  outputs: number;
  batch: number;
  loss: 'categoricalCrossentropy' | 'binaryCrossentropy';
  layers: LayerSpec[];
}

const conv = (filters: number): LayerSpec => ({ kind: 'conv', filters, kernel: 3, activation: 'relu' });
const pool: LayerSpec = { kind: 'pool', size: 2 };

export const WORKLOADS: Record<WorkloadId, Workload> = {
  W1: {
    id: 'W1',
    title: 'W1 MLP 784→128 relu→10 softmax, Adam, batch 128',
    inputShape: [784],
    outputs: 10,
    batch: 128,
    loss: 'categoricalCrossentropy',
    layers: [{ kind: 'dense', units: 128, activation: 'relu' }, { kind: 'dense', units: 10, activation: 'softmax' }],
  },
  W2: {
    id: 'W2',
    title: 'W2 MNIST CNN conv32-pool-conv64-pool-dense128-dense10, Adam, batch 64',
    inputShape: [28, 28, 1],
    outputs: 10,
    batch: 64,
    loss: 'categoricalCrossentropy',
    layers: [conv(32), pool, conv(64), pool, { kind: 'flatten' }, { kind: 'dense', units: 128, activation: 'relu' }, { kind: 'dense', units: 10, activation: 'softmax' }],
  },
  W3: {
    id: 'W3',
    title: 'W3 150×150×3 convnet conv32/64/128/128+pool, dense512, dense1 sigmoid, BCE, Adam, batch 32',
    inputShape: [150, 150, 3],
    outputs: 1,
    batch: 32,
    loss: 'binaryCrossentropy',
    layers: [conv(32), pool, conv(64), pool, conv(128), pool, conv(128), pool, { kind: 'flatten' }, { kind: 'dense', units: 512, activation: 'relu' }, { kind: 'dense', units: 1, activation: 'sigmoid' }],
  },
};

/** Forward FLOPs per sample: 2 × the multiply-accumulates of the conv and dense layers ('valid' 3×3 convs, stride 1). */
export function forwardFlops(w: Workload): number {
  let shape = [...w.inputShape];
  let flops = 0;
  for (const l of w.layers) {
    if (l.kind === 'conv') {
      const [h, wd, c] = shape as [number, number, number];
      const oh = h - l.kernel + 1;
      const ow = wd - l.kernel + 1;
      flops += 2 * oh * ow * l.filters * l.kernel * l.kernel * c;
      shape = [oh, ow, l.filters];
    } else if (l.kind === 'pool') {
      const [h, wd, c] = shape as [number, number, number];
      shape = [Math.floor(h / l.size), Math.floor(wd / l.size), c];
    } else if (l.kind === 'flatten') {
      shape = [shape.reduce((a, b) => a * b, 1)];
    } else {
      flops += 2 * shape[0]! * l.units;
      shape = [l.units];
    }
  }
  return flops;
}

/** A nabla Sequential model for the workload, compiled with Adam; weights from `seed`. */
export function nablaModel(w: Workload, seed: number): nbTypes.Sequential {
  nb.setSeed(seed);
  const stack = w.layers.map((l, i) => {
    const first = i === 0 ? { inputShape: w.inputShape } : {};
    switch (l.kind) {
      case 'conv':
        return layers.conv2d({ filters: l.filters, kernelSize: l.kernel, activation: l.activation, ...first });
      case 'pool':
        return layers.maxPooling2d({ poolSize: l.size, ...first });
      case 'flatten':
        return layers.flatten({ ...first });
      case 'dense':
        return layers.dense({ units: l.units, activation: l.activation, ...first });
    }
  });
  const model = nb.sequential(stack);
  model.compile({ optimizer: 'adam', loss: w.loss });
  return model;
}

/** The same model in TensorFlow.js (tf.layers), compiled with Adam, on the active tfjs backend. */
export function tfjsModel(w: Workload): tf.Sequential {
  const model = tf.sequential();
  w.layers.forEach((l, i) => {
    const first = i === 0 ? { inputShape: w.inputShape } : {};
    switch (l.kind) {
      case 'conv':
        model.add(tf.layers.conv2d({ filters: l.filters, kernelSize: l.kernel, activation: l.activation, ...first }));
        break;
      case 'pool':
        model.add(tf.layers.maxPooling2d({ poolSize: l.size, ...first }));
        break;
      case 'flatten':
        model.add(tf.layers.flatten({ ...first }));
        break;
      case 'dense':
        model.add(tf.layers.dense({ units: l.units, activation: l.activation, ...first }));
        break;
    }
  });
  model.compile({ optimizer: 'adam', loss: w.loss });
  return model;
}

/**
 * Copies a nabla model's weights into a TensorFlow.js model (both store conv kernels HWIO and dense
 * kernels [in, out]); returns false, copying nothing, when the weight lists do not match.
 */
export function copyWeightsToTfjs(from: nbTypes.Sequential, to: tf.LayersModel): boolean {
  const src = from.weights;
  const dst = to.getWeights();
  if (src.length !== dst.length || src.some((v, i) => v.shape.join() !== dst[i]!.shape.join())) return false;
  const tensors = src.map((v) => tf.tensor(v.value.values as Float32Array, [...v.shape], 'float32'));
  to.setWeights(tensors);
  for (const t of tensors) t.dispose();
  return true;
}

export interface Batch {
  /** Inputs, [batch, ...inputShape], standard normal. */
  x: Float32Array;
  /** Targets, [batch, outputs]: one-hot classes, or 0/1 for a sigmoid output. */
  y: Float32Array;
  batch: number;
}

/** Synthetic data from a fixed seed (the same values go to every competitor). */
export function syntheticBatch(w: Workload, batch: number, seed: number): Batch {
  const x = nb.randomNormal([batch, ...w.inputShape], 0, 1, { seed }).values as Float32Array;
  const labels = nb.randomInt([batch], 0, Math.max(2, w.outputs), { seed: seed + 1 }).values as Int32Array;
  const y = new Float32Array(batch * w.outputs);
  for (let i = 0; i < batch; i++) {
    if (w.outputs === 1) y[i] = labels[i]!;
    else y[i * w.outputs + labels[i]!] = 1;
  }
  return { x, y, batch };
}

/** The first `n` samples of a batch. */
export function headOf(b: Batch, w: Workload, n: number): Batch {
  const per = w.inputShape.reduce((a, c) => a * c, 1);
  return { x: b.x.subarray(0, n * per), y: b.y.subarray(0, n * w.outputs), batch: n };
}
