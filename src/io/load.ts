// loadModel(dir): rebuilds a model from dir/model.json and dir/weights.safetensors, validating every
// field; each problem is a DataError naming the file and what is wrong.
import { noGrad } from '../autograd/tape.js';
import type { Layer } from '../nn/layer.js';
import { getLayerClass } from '../nn/layer-registry.js';
import { InputLayer } from '../nn/layers/input-layer.js';
import { getLoss, type Loss, losses } from '../nn/losses.js';
import type { SymbolicTensor } from '../nn/symbolic.js';
import type { Optimizer } from '../optim/optimizer.js';
import { optimizers } from '../optim/optimizers.js';
import { type LearningRateSchedule, schedules } from '../optim/schedules.js';
import { zeros } from '../tensor/creation.js';
import { DataError, NablaError } from '../tensor/errors.js';
import { Functional } from '../train/functional.js';
import type { Model } from '../train/model.js';
import { Sequential } from '../train/sequential.js';
import { defaultFileSystem, type FileSystem, joinPath, readFileOrThrow } from './files.js';
import { decodeSafetensors } from './safetensors.js';
import { sha256Hex } from './save.js';
import {
  type CompileSpec, FORMAT_NAME, FORMAT_VERSION, type FunctionalConfig, MODEL_FILE, type ModelDocument, type SequentialConfig, type TensorRef,
} from './topology.js';
import { assignWeights } from './weights.js';

export interface LoadOptions {
  /** Restore the compile settings (optimizer, losses, metrics) when model.json has them (default true). */
  compile?: boolean;
  /** Replace the file system (tests, other hosts). */
  fileSystem?: FileSystem;
}

type Fail = (problem: string) => never;

function failer(file: string): Fail {
  return (problem) => {
    throw new DataError(`${file}: ${problem}`);
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Parses JSON bytes; a syntax error reports the byte offset. */
export function parseJsonFile(bytes: Uint8Array, file: string): unknown {
  const fail = failer(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('is not valid UTF-8 text');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    const where = m ? `at byte ${new TextEncoder().encode(text.slice(0, Number(m[1]))).length}` : text.trim() === '' ? '(the file is empty)' : '(at the end of the file: truncated?)';
    return fail(`malformed JSON ${where}: ${msg}`);
  }
}

/** Runs `fn`, turning any nabla error it throws into a DataError naming the file and `where`. */
function inFile<T>(file: string, where: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DataError && e.message.startsWith(file)) throw e;
    if (e instanceof NablaError || e instanceof TypeError) throw new DataError(`${file}: ${where}: ${e.message}`);
    throw e;
  }
}

function checkShape(v: unknown, fail: Fail, where: string): (number | null)[] {
  if (!Array.isArray(v) || !v.every((d) => d === null || (Number.isInteger(d) && d >= 0))) fail(`${where} must be a list of non-negative integers or nulls, got ${JSON.stringify(v)}`);
  return v as (number | null)[];
}

/** Rebuilds one layer (or nested model) from {className, config}. */
function layerFromSpec(spec: unknown, file: string, where: string): Layer {
  const fail = failer(file);
  if (!isObject(spec) || typeof spec['className'] !== 'string' || !isObject(spec['config'])) {
    return fail(`${where} must be {className: string, config: object}, got ${JSON.stringify(spec)?.slice(0, 200)}`);
  }
  const className = spec['className'];
  const config = spec['config'];
  if (className === 'Sequential') return sequentialFromConfig(config, file, `${where} (Sequential)`);
  if (className === 'Functional') return functionalFromConfig(config, file, `${where} (Functional)`);
  const cls = inFile(file, `${where}`, () => getLayerClass(className));
  return inFile(file, `${where} (${className}) config`, () => new cls(config as never));
}

function sequentialFromConfig(raw: Record<string, unknown>, file: string, where: string): Sequential {
  const fail = failer(file);
  const config = raw as Partial<SequentialConfig>;
  if (typeof config.name !== 'string') fail(`${where}: config.name must be a string`);
  if (!Array.isArray(config.layers)) return fail(`${where}: config.layers must be a list of {className, config}`);
  const layerList = config.layers.map((s, i) => layerFromSpec(s, file, `${where} layer ${i}`));
  const model = inFile(file, where, () => new Sequential({ name: config.name!, layers: layerList }));
  if (config.buildInputShape !== undefined) {
    const shape = checkShape(config.buildInputShape, fail, `${where}: buildInputShape`);
    if (shape.some((d) => d === null)) fail(`${where}: buildInputShape must be fully known, got ${JSON.stringify(shape)}`);
    inFile(file, `${where}: building for input shape [${shape.join(', ')}]`, () =>
      noGrad(() => model.apply(zeros([1, ...(shape as number[])]), { training: false })),
    );
  }
  return model;
}

function isRef(v: unknown): v is TensorRef {
  return Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && Number.isInteger(v[1]) && Number.isInteger(v[2]);
}

function functionalFromConfig(raw: Record<string, unknown>, file: string, where: string): Functional {
  const fail = failer(file);
  const config = raw as Partial<FunctionalConfig>;
  if (typeof config.name !== 'string') fail(`${where}: config.name must be a string`);
  for (const key of ['layers', 'nodes', 'inputs', 'outputs'] as const) {
    if (!Array.isArray(config[key])) fail(`${where}: config.${key} must be a list`);
  }
  const byName = new Map<string, Layer>();
  config.layers!.forEach((spec, i) => {
    if (!isObject(spec) || typeof spec['name'] !== 'string') fail(`${where}: config.layers[${i}] needs a string name`);
    if (byName.has(spec.name)) fail(`${where}: two layers are named '${spec.name}'`);
    byName.set(spec.name, layerFromSpec(spec, file, `${where} layer '${spec.name}'`));
  });
  const tensors = new Map<string, SymbolicTensor>();
  const key = (r: TensorRef): string => JSON.stringify(r);
  const lookup = (r: unknown, what: string): SymbolicTensor => {
    if (!isRef(r)) return fail(`${where}: ${what} must be [layerName, callIndex, outputIndex], got ${JSON.stringify(r)}`);
    const t = tensors.get(key(r));
    if (t === undefined) return fail(`${where}: ${what} refers to output ${r[2]} of call ${r[1]} of layer '${r[0]}', which is not computed before it`);
    return t;
  };
  const inputs = config.inputs!.map((r, i) => {
    if (!isRef(r)) return fail(`${where}: inputs[${i}] must be [layerName, 0, 0], got ${JSON.stringify(r)}`);
    const layer = byName.get(r[0]);
    if (!(layer instanceof InputLayer)) return fail(`${where}: inputs[${i}] names '${r[0]}', which is not an InputLayer of this model`);
    tensors.set(key(r), layer.output);
    return layer.output;
  });
  const calls = new Map<Layer, number>();
  config.nodes!.forEach((node, i) => {
    if (!isObject(node) || typeof node['layer'] !== 'string' || !Array.isArray(node['inbound'])) {
      fail(`${where}: nodes[${i}] must be {layer, inbound, listCall}, got ${JSON.stringify(node)}`);
    }
    const layer = byName.get(node.layer);
    if (layer === undefined) fail(`${where}: nodes[${i}] calls layer '${node.layer}', which is not in config.layers`);
    const args = node.inbound.map((r, j) => lookup(r, `nodes[${i}] (${node.layer}) input ${j}`));
    if (args.length === 0) fail(`${where}: nodes[${i}] (${node.layer}) has no inputs`);
    const asList = node.listCall === true || args.length > 1;
    const out = inFile(file, `${where}: calling layer '${node.layer}' (nodes[${i}])`, () => layer!.apply(asList ? args : args[0]!));
    const n = calls.get(layer!) ?? 0;
    calls.set(layer!, n + 1);
    (Array.isArray(out) ? out : [out]).forEach((t, o) => tensors.set(key([node.layer, n, o]), t));
  });
  const outputs = config.outputs!.map((r, i) => lookup(r, `outputs[${i}]`));
  return inFile(file, where, () => new Functional({ name: config.name!, inputs, outputs }));
}

/** Rebuilds a schedule from its config ({className, ...args}). */
function scheduleFromConfig(c: Record<string, unknown>, fail: Fail): LearningRateSchedule {
  const { className, ...args } = c;
  const make: Record<string, (a: never) => LearningRateSchedule> = {
    ExponentialDecay: schedules.exponentialDecay,
    PiecewiseConstantDecay: schedules.piecewiseConstant,
    CosineDecay: schedules.cosineDecay,
    PolynomialDecay: schedules.polynomialDecay,
  };
  const f = make[String(className)];
  if (f === undefined) return fail(`compileConfig: unknown learning-rate schedule ${JSON.stringify(className)}; known: ${Object.keys(make).join(', ')}`);
  return f(args as never);
}

function optimizerFromSpec(spec: CompileSpec['optimizer'], fail: Fail, file: string): Optimizer {
  if (!isObject(spec) || typeof spec.className !== 'string' || !isObject(spec.config)) fail('compileConfig.optimizer must be {className, config, iterations}');
  const factories = optimizers as Record<string, (args: Record<string, unknown>) => Optimizer>;
  const make = factories[spec.className.toLowerCase()];
  if (make === undefined) fail(`compileConfig: unknown optimizer '${spec.className}'; known: ${Object.keys(optimizers).join(', ')}. Load with {compile: false} and compile yourself`);
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec.config)) if (v !== null) args[k] = v;
  if (isObject(args['learningRate'])) args['learningRate'] = scheduleFromConfig(args['learningRate'], fail);
  const opt = inFile(file, `compileConfig.optimizer (${spec.className})`, () => make!(args));
  if (Number.isInteger(spec.iterations) && spec.iterations >= 0) opt.iterations = spec.iterations;
  return opt;
}

function compileFromSpec(model: Model, spec: unknown, file: string): void {
  const fail = failer(file);
  if (!isObject(spec)) return fail('compileConfig must be an object or null');
  const c = spec as unknown as CompileSpec;
  if (!Array.isArray(c.loss) || c.loss.length === 0) fail('compileConfig.loss must be a non-empty list');
  if (!Array.isArray(c.metrics) || !c.metrics.every((m) => Array.isArray(m) && m.every((x) => typeof x === 'string'))) {
    fail('compileConfig.metrics must be a list of lists of metric names');
  }
  const optimizer = optimizerFromSpec(c.optimizer, fail, file);
  const hint = '; load with {compile: false} and compile the model yourself';
  const lossList: Loss[] = c.loss.map((l, i) =>
    inFile(file, `compileConfig.loss[${i}]`, () => {
      if (!isObject(l) || typeof l.name !== 'string') fail(`compileConfig.loss[${i}] must be {name, config?}`);
      const factory = (losses as Record<string, ((a: unknown) => Loss) | undefined>)[l.name];
      if (l.config !== undefined && factory !== undefined) return factory(l.config);
      try {
        return getLoss(l.name);
      } catch (e) {
        return fail(`compileConfig.loss[${i}]: ${(e as Error).message}${hint}`);
      }
    }),
  );
  const single = lossList.length === 1;
  inFile(file, 'compileConfig', () => {
    try {
      model.compile({
        optimizer,
        loss: single ? lossList[0]! : lossList,
        metrics: single ? c.metrics[0] ?? [] : c.metrics,
        lossWeights: Array.isArray(c.lossWeights) ? c.lossWeights : undefined,
      });
    } catch (e) {
      if (e instanceof NablaError) throw new DataError(`${file}: compileConfig: ${e.message}${hint}`);
      throw e;
    }
  });
}

/** Checks the top level of model.json and returns it typed. */
function checkDocument(doc: unknown, file: string): ModelDocument {
  const fail = failer(file);
  if (!isObject(doc)) return fail('expected a JSON object');
  if (doc['format'] !== FORMAT_NAME) fail(`not a nabla model: "format" is ${JSON.stringify(doc['format'])}, expected "${FORMAT_NAME}"`);
  const version = doc['formatVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) fail(`formatVersion must be a positive integer, got ${JSON.stringify(version)}`);
  if ((version as number) > FORMAT_VERSION) fail(`formatVersion ${version} is newer than this nabla reads (${FORMAT_VERSION}); upgrade nabla`);
  if (doc['className'] !== 'Sequential' && doc['className'] !== 'Functional') {
    fail(`className must be "Sequential" or "Functional", got ${JSON.stringify(doc['className'])}`);
  }
  if (!isObject(doc['config'])) fail('config must be an object');
  const w = doc['weights'];
  if (!isObject(w) || typeof w['file'] !== 'string' || typeof w['bytes'] !== 'number' || typeof w['sha256'] !== 'string') {
    fail('weights must be {file, bytes, sha256, names}');
  }
  const wf = (w as Record<string, unknown>)['file'] as string;
  if (wf.length === 0 || /[/\\]/.test(wf) || wf === '.' || wf === '..') fail(`weights.file must be a plain file name in the model directory, got ${JSON.stringify(wf)}`);
  return doc as unknown as ModelDocument;
}

/**
 * Loads a model saved with save(model, dir) / model.save(dir): rebuilds the layers (custom ones
 * must be registered with registerLayer), loads the weights and, unless `compile: false`, restores
 * the optimizer, losses and metrics. Any problem (missing or truncated file, malformed JSON,
 * unknown layer class, missing or mis-shaped weights) is a DataError naming the file.
 */
export async function loadModel(dir: string, options: LoadOptions = {}): Promise<Model> {
  const fs = options.fileSystem ?? (await defaultFileSystem());
  const modelFile = joinPath(dir, MODEL_FILE);
  const doc = checkDocument(parseJsonFile(await readFileOrThrow(modelFile, 'the model topology written by save()', fs), modelFile), modelFile);
  const model: Model =
    doc.className === 'Sequential'
      ? sequentialFromConfig(doc.config as unknown as Record<string, unknown>, modelFile, 'model')
      : functionalFromConfig(doc.config as unknown as Record<string, unknown>, modelFile, 'model');

  const weightsFile = joinPath(dir, doc.weights.file);
  const bytes = await readFileOrThrow(weightsFile, `the weights that ${MODEL_FILE} refers to`, fs);
  const { tensors } = decodeSafetensors(bytes, weightsFile);
  assignWeights(model, tensors, weightsFile);
  if (bytes.length !== doc.weights.bytes || (await sha256Hex(bytes)) !== doc.weights.sha256) {
    throw new DataError(
      `${weightsFile}: does not match ${modelFile} (expected ${doc.weights.bytes} bytes with SHA-256 ${doc.weights.sha256.slice(0, 12)}…, found ${bytes.length} bytes); the two files come from different saves or one was modified`,
    );
  }
  if (doc.compileConfig !== null && doc.compileConfig !== undefined && options.compile !== false) compileFromSpec(model, doc.compileConfig, modelFile);
  return model;
}

/** Loads weights saved with saveWeights() into a model of the same structure (matched by weight name). */
export async function loadWeights(model: Layer, file: string, options: { fileSystem?: FileSystem } = {}): Promise<void> {
  const bytes = await readFileOrThrow(file, 'a safetensors weights file', options.fileSystem);
  const { tensors } = decodeSafetensors(bytes, file);
  assignWeights(model, tensors, file);
}
