// Model → JSON: the model.json document written by save(). Only types are imported from train/ so
// that train/model.ts can import save() without an import cycle; models are told apart by className.
import type { Layer } from '../nn/layer.js';
import type { SymbolicTensor } from '../nn/symbolic.js';
import { ValueError } from '../tensor/errors.js';
import type { Functional } from '../train/functional.js';
import type { Model } from '../train/model.js';
import type { Sequential } from '../train/sequential.js';

export const FORMAT_NAME = 'nabla-model';
export const FORMAT_VERSION = 1;
export const WEIGHTS_FILE = 'weights.safetensors';
export const MODEL_FILE = 'model.json';

/** A layer as stored: its registered class name and constructor config. */
export interface LayerSpec {
  className: string;
  config: Record<string, unknown>;
}

/** A reference to one output of one call of a layer: [layerName, callIndex, outputIndex] (Keras' inbound node form). */
export type TensorRef = [string, number, number];

/** One call of a layer inside a functional model, in execution order. */
export interface NodeSpec {
  layer: string;
  inbound: TensorRef[];
  /** Whether the layer was called with a list (merge layers), even a list of one. */
  listCall: boolean;
}

export interface FunctionalConfig {
  name: string;
  layers: (LayerSpec & { name: string })[];
  nodes: NodeSpec[];
  inputs: TensorRef[];
  outputs: TensorRef[];
}

export interface SequentialConfig {
  name: string;
  layers: LayerSpec[];
  /** Per-sample input shape the model was built for, when the first layer declares none. */
  buildInputShape?: (number | null)[];
}

export interface CompileSpec {
  optimizer: { className: string; config: Record<string, unknown>; iterations: number };
  /** One loss per output: its name, plus its config when the loss object exposes one. */
  loss: { name: string; config?: Record<string, unknown> }[];
  /** Metric names per output. */
  metrics: string[][];
  lossWeights: number[];
}

export interface ModelDocument {
  format: typeof FORMAT_NAME;
  formatVersion: number;
  className: string;
  config: SequentialConfig | FunctionalConfig;
  compileConfig: CompileSpec | null;
  weights: { file: string; bytes: number; sha256: string; names: string[] };
}

export function isSequential(m: Layer): m is Sequential {
  return m.className === 'Sequential' && typeof (m as Partial<Sequential>).outputShapeOf === 'function';
}

export function isFunctional(m: Layer): m is Functional {
  return m.className === 'Functional' && Array.isArray((m as Partial<Functional>).nodes);
}

/** The per-sample input shape a layer was built for. */
export function builtInputShapeOf(layer: Layer): (number | null)[] | null {
  const s = layer.builtShape;
  return s === null ? null : [...s];
}

/** Throws unless the config can be rebuilt by a constructor (no functions, no 'custom' activations). */
function checkRebuildable(layer: Layer, config: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(config)) {
    if (v === 'custom') {
      throw new ValueError(
        `save: layer ${layer.name} (${layer.className}) has a custom function for '${k}', which cannot be stored as JSON; ` +
          'use a named one, a custom layer class registered with registerLayer(), or saveWeights()',
      );
    }
    if (typeof v === 'function') throw new ValueError(`save: layer ${layer.name} (${layer.className}) has a function in its config field '${k}'`);
  }
}

/** A layer (or nested model) as {className, config}. */
export function layerSpec(layer: Layer): LayerSpec {
  if (isSequential(layer)) return { className: 'Sequential', config: { ...sequentialConfig(layer) } };
  if (isFunctional(layer)) return { className: 'Functional', config: { ...functionalConfig(layer) } };
  if (layer.className === 'Model' || layer.className === 'Layer') {
    throw new ValueError(
      `save: ${layer.name} is a subclassed ${layer.className} without a registered class name; give it a static className, ` +
        'implement getConfig() and registerLayer() it, or save its weights with saveWeights()',
    );
  }
  const config = layer.getConfig();
  checkRebuildable(layer, config);
  return { className: layer.className, config: JSON.parse(JSON.stringify(config)) as Record<string, unknown> };
}

export function sequentialConfig(model: Sequential): SequentialConfig {
  const layers = model.layers;
  const config: SequentialConfig = { name: model.name, layers: layers.map(layerSpec) };
  const first = layers[0];
  if (first !== undefined && first.batchInputShape === null) {
    const shape = builtInputShapeOf(model);
    if (shape !== null) config.buildInputShape = shape;
  }
  return config;
}

export function functionalConfig(model: Functional): FunctionalConfig {
  const callIndex = new Map<SymbolicTensor, number>();
  const callsSoFar = new Map<Layer, number>();
  for (const t of model.inputs) callIndex.set(t, 0);
  const nodes: NodeSpec[] = [];
  const ref = (t: SymbolicTensor): TensorRef => {
    const i = callIndex.get(t);
    if (i === undefined) throw new ValueError(`save: ${model.name}: tensor from ${t.layer.name} is used before it is computed`);
    return [t.layer.name, i, t.outputIndex];
  };
  for (const node of model.nodes) {
    const n = callsSoFar.get(node.layer) ?? 0;
    callsSoFar.set(node.layer, n + 1);
    nodes.push({ layer: node.layer.name, inbound: node.inputs.map(ref), listCall: node.outputs[0]?.listCall ?? node.inputs.length > 1 });
    for (const o of node.outputs) callIndex.set(o, n);
  }
  const names = new Set<string>();
  const layers = model.layers.map((l) => {
    if (names.has(l.name)) throw new ValueError(`save: ${model.name} has two layers named '${l.name}'; layer names must be unique to be saved`);
    names.add(l.name);
    return { name: l.name, ...layerSpec(l) };
  });
  return { name: model.name, layers, nodes, inputs: model.inputs.map(ref), outputs: model.outputs.map(ref) };
}

/** The model's compile settings, or null when it is not compiled. */
export function compileSpec(model: Model): CompileSpec | null {
  const c = model.compiled;
  if (c === null) return null;
  const metrics: string[][] = c.losses.map(() => []);
  for (const m of c.newMetrics(null)) metrics[m.output]!.push(m.metric.name);
  const opt = c.optimizer;
  return {
    optimizer: { className: opt.constructor.name, config: JSON.parse(JSON.stringify(opt.getConfig())) as Record<string, unknown>, iterations: opt.iterations },
    loss: c.losses.map((l) => {
      const config = (l as { config?: Record<string, unknown> }).config;
      return config === undefined ? { name: l.lossName } : { name: l.lossName, config: { ...config } };
    }),
    metrics,
    lossWeights: [...c.lossWeights],
  };
}

/** The model's class name and topology config. */
export function modelConfig(model: Model): { className: string; config: SequentialConfig | FunctionalConfig } {
  if (isSequential(model)) return { className: 'Sequential', config: sequentialConfig(model) };
  if (isFunctional(model)) return { className: 'Functional', config: functionalConfig(model) };
  throw new ValueError(
    `save: ${model.name} is a subclassed model (${model.className}); its call() is code, not a stored topology. ` +
      'Save its weights with saveWeights(model, file) and rebuild it in code before loadWeights()',
  );
}
