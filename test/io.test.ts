import assert from 'node:assert/strict';
import * as fsp from 'node:fs/promises';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as nb from '../src/index.js';
import type { FileSystem } from '../src/io/files.js';
import { loadModel, loadWeights, save, saveWeights, decodeSafetensors, encodeSafetensors } from '../src/io/index.js';
import { type CallOptions, Layer, type LayerArgs, type LayerInput } from '../src/nn/layer.js';
import { registerLayer } from '../src/nn/layer-registry.js';
import { input } from '../src/nn/layers/input-layer.js';
import { layers } from '../src/nn/layers/index.js';
import type { Variable } from '../src/nn/variable.js';
import type { Shape } from '../src/tensor/shape.js';
import { Model } from '../src/train/model.js';
import { Sequential } from '../src/train/sequential.js';
import { assertClose } from './helpers.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'nabla-io-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Expects a DataError whose message contains every part (the file name among them). */
async function rejectsData(p: Promise<unknown>, parts: string[]): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.ok(e instanceof nb.DataError, `expected DataError, got ${e.name}: ${e.message}`);
    for (const part of parts) assert.ok(e.message.includes(part), `message "${e.message}" lacks "${part}"`);
    return true;
  });
}

function cnn(): Sequential {
  nb.setSeed(11);
  const m = new Sequential({
    name: 'cnn',
    layers: [
      layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 2], name: 'conv' }),
      layers.batchNormalization({ name: 'bn' }),
      layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
      layers.dropout({ rate: 0.25, name: 'drop' }),
      layers.flatten({ name: 'flat' }),
      layers.dense({ units: 6, activation: 'tanh', name: 'hidden', kernelRegularizer: 'l2' }),
      layers.layerNormalization({ name: 'ln' }),
      layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
    ],
  });
  m.compile({ optimizer: nb.optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

function images(n = 12): { x: nb.Tensor; y: nb.Tensor } {
  const x = nb.randomNormal([n, 8, 8, 2], 0, 1, { seed: 3 });
  const y = nb.tensor(Array.from({ length: n }, (_, i) => i % 3), [n], 'int32');
  return { x, y };
}

async function savedCnn(): Promise<{ dir: string; model: Sequential; x: nb.Tensor; y: nb.Tensor }> {
  const dir = join(tempDir(), 'cnn');
  const model = cnn();
  const { x, y } = images();
  await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
  await model.save(dir);
  return { dir, model, x, y };
}

describe('save / loadModel round trip', () => {
  it('Sequential: identical predictions, layer configs, BN statistics and compile settings', async () => {
    const { dir, model, x, y } = await savedCnn();
    assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights.safetensors']);
    const loaded = await loadModel(dir);
    assert.ok(loaded instanceof Sequential);
    assert.equal(loaded.name, 'cnn');
    assert.deepEqual(loaded.layers.map((l) => `${l.name}:${l.className}`), model.layers.map((l) => `${l.name}:${l.className}`));
    assertClose(loaded.predict(x) as nb.Tensor, model.predict(x) as nb.Tensor, { atol: 0, rtol: 0 });
    const names = loaded.weights.map((w) => w.name);
    assert.ok(names.includes('bn/moving_mean') && names.includes('conv/kernel'), names.join(', '));
    const bn = loaded.weights.find((w) => w.name === 'bn/moving_variance')!;
    assert.notDeepEqual(Array.from(bn.value.values), [1, 1, 1, 1], 'trained moving statistics were saved');
    // Compile settings come back: same optimizer type, rate and step count, same losses and metrics.
    assert.ok(loaded.compiled !== null);
    assert.equal(loaded.optimizer!.constructor.name, 'Adam');
    assert.equal(loaded.optimizer!.learningRate, 0.01);
    assert.equal(loaded.optimizer!.iterations, model.optimizer!.iterations);
    assert.deepEqual(await loaded.evaluate(x, y), await model.evaluate(x, y));
    const doc = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    assert.equal(doc.format, 'nabla-model');
    assert.equal(doc.formatVersion, 1);
    assert.equal(doc.className, 'Sequential');
    assert.deepEqual(doc.compileConfig.loss, [{ name: 'sparseCategoricalCrossentropy' }]);
    assert.deepEqual(doc.compileConfig.metrics, [['accuracy']]);
    assert.equal(doc.config.layers[0].className, 'Conv2D');
    // {compile: false} skips the compile settings.
    assert.equal((await loadModel(dir, { compile: false })).compiled, null);
  });

  it('Sequential built by its first batch (no inputShape) records and rebuilds its input shape', async () => {
    const dir = join(tempDir(), 'lazy');
    nb.setSeed(2);
    const model = new Sequential([layers.dense({ units: 5, activation: 'relu', name: 'd1' }), layers.dense({ units: 2, name: 'd2' })]);
    const x = nb.randomNormal([7, 3], 0, 1, { seed: 5 });
    const before = model.predict(x) as nb.Tensor;
    await save(model, dir);
    const loaded = await loadModel(dir);
    assert.equal(loaded.compiled, null);
    assertClose(loaded.predict(x) as nb.Tensor, before, { atol: 0, rtol: 0 });
  });

  it('Functional: two inputs, a shared layer, a nested Sequential, merge layers and two outputs', async () => {
    const dir = join(tempDir(), 'graph');
    nb.setSeed(4);
    const a = input({ shape: [4], name: 'a' });
    const b = input({ shape: [4], name: 'b' });
    const shared = layers.dense({ units: 3, activation: 'relu', name: 'shared' });
    const ha = shared.apply(a) as nb.SymbolicTensor;
    const hb = shared.apply(b) as nb.SymbolicTensor;
    const summed = layers.add({ name: 'sum' }).apply([ha, hb]) as nb.SymbolicTensor;
    const joined = layers.concatenate({ name: 'cat' }).apply([ha, hb, summed]) as nb.SymbolicTensor;
    const tower = new Sequential({ name: 'tower', layers: [layers.dense({ units: 4, activation: 'tanh', name: 't1' }), layers.dense({ units: 2, name: 't2' })] });
    const out1 = tower.apply(joined) as nb.SymbolicTensor;
    const out2 = layers.dense({ units: 1, activation: 'sigmoid', name: 'prob' }).apply(summed) as nb.SymbolicTensor;
    const model = nb.model({ inputs: [a, b], outputs: [out1, out2], name: 'two_heads' });
    model.compile({ optimizer: nb.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }), loss: ['meanSquaredError', 'binaryCrossentropy'], metrics: [['mae'], ['accuracy']], lossWeights: [1, 0.5] });
    const xa = nb.randomNormal([6, 4], 0, 1, { seed: 8 });
    const xb = nb.randomNormal([6, 4], 0, 1, { seed: 9 });
    const y1 = nb.randomNormal([6, 2], 0, 1, { seed: 10 });
    const y2 = nb.tensor([[0], [1], [0], [1], [1], [0]]);
    await model.fit([xa, xb], [y1, y2], { epochs: 2, batchSize: 3, verbose: 0 });
    await model.save(dir);
    const loaded = await loadModel(dir);
    assert.equal(loaded.className, 'Functional');
    const [p1, p2] = model.predict([xa, xb]) as nb.Tensor[];
    const [q1, q2] = loaded.predict([xa, xb]) as nb.Tensor[];
    assertClose(q1!, p1!, { atol: 0, rtol: 0 });
    assertClose(q2!, p2!, { atol: 0, rtol: 0 });
    assert.deepEqual(await loaded.evaluate([xa, xb], [y1, y2]), await model.evaluate([xa, xb], [y1, y2]));
    const doc = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    assert.deepEqual(doc.config.inputs, [['a', 0, 0], ['b', 0, 0]]);
    const sumNode = doc.config.nodes.find((n: { layer: string }) => n.layer === 'sum');
    assert.equal(sumNode.listCall, true);
    assert.deepEqual(sumNode.inbound.map((r: unknown[]) => r[0]), ['shared', 'shared']);
    assert.deepEqual(new Set(sumNode.inbound.map((r: unknown[]) => r[1])), new Set([0, 1]));
    assert.deepEqual(doc.compileConfig.lossWeights, [1, 0.5]);
    // Training continues identically from the loaded copy (same optimizer settings; momentum restarts).
    assert.equal(loaded.optimizer!.getConfig()['momentum'], 0.9);
  });
});

describe('loadModel errors', () => {
  it('a truncated weights file is a DataError naming the file', async () => {
    const { dir } = await savedCnn();
    const file = join(dir, 'weights.safetensors');
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 10));
    await rejectsData(loadModel(dir), [file, 'truncated file', 'data_offsets']);
    writeFileSync(file, bytes.subarray(0, 20));
    await rejectsData(loadModel(dir), [file, 'truncated file or bad header length']);
  });

  it('a bad header length is a DataError naming the file', async () => {
    const { dir } = await savedCnn();
    const file = join(dir, 'weights.safetensors');
    const bytes = new Uint8Array(readFileSync(file));
    new DataView(bytes.buffer).setBigUint64(0, 1n << 40n, true);
    writeFileSync(file, bytes);
    await rejectsData(loadModel(dir), [file, `claims ${1n << 40n} bytes`]);
    new DataView(bytes.buffer).setBigUint64(0, 12n, true);
    writeFileSync(file, bytes);
    await rejectsData(loadModel(dir), [file, 'malformed JSON header at byte']);
  });

  it('a weight of the wrong shape names the weight, the expected and the found shape', async () => {
    const { dir, model } = await savedCnn();
    const file = join(dir, 'weights.safetensors');
    const entries = model.weights.map((w): [string, nb.Tensor] => [w.name, w.name === 'out/kernel' ? nb.zeros([7, 3]) : w.value]);
    writeFileSync(file, encodeSafetensors(entries));
    await rejectsData(loadModel(dir), [file, "weight 'out/kernel'", 'shape [7, 3] in the file', 'expects [6, 3]']);
  });

  it('missing weights, extra weights and a weights file from another save are DataErrors', async () => {
    const { dir, model } = await savedCnn();
    const file = join(dir, 'weights.safetensors');
    const original = readFileSync(file);
    writeFileSync(file, encodeSafetensors(model.weights.filter((w) => w.name !== 'bn/gamma').map((w) => [w.name, w.value] as const)));
    await rejectsData(loadModel(dir), [file, "missing weights 'bn/gamma'"]);
    writeFileSync(file, encodeSafetensors([...model.weights.map((w) => [w.name, w.value] as const), ['ghost/kernel', nb.zeros([1])]]));
    await rejectsData(loadModel(dir), [file, "'ghost/kernel'", 'does not have']);
    // Same names and shapes, other values: the checksum in model.json catches the mix-up.
    writeFileSync(file, encodeSafetensors(model.weights.map((w) => [w.name, nb.zerosLike(w.value)] as const)));
    await rejectsData(loadModel(dir), [file, 'does not match', 'model.json']);
    writeFileSync(file, original);
    await loadModel(dir);
  });

  it('an unknown layer class lists the known ones and mentions registerLayer', async () => {
    const { dir } = await savedCnn();
    const file = join(dir, 'model.json');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.config.layers[5].className = 'Densse';
    writeFileSync(file, JSON.stringify(doc));
    await rejectsData(loadModel(dir), [file, "unknown layer class 'Densse'", 'registerLayer', 'Known: ', 'Dense', 'layer 5']);
  });

  it('malformed JSON reports the byte offset; other structural problems name the field', async () => {
    const { dir } = await savedCnn();
    const file = join(dir, 'model.json');
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf('"formatVersion"');
    writeFileSync(file, `${text.slice(0, at)}@${text.slice(at)}`);
    await rejectsData(loadModel(dir), [file, `malformed JSON at byte ${at}`]);
    writeFileSync(file, text.slice(0, 100));
    await rejectsData(loadModel(dir), [file, 'malformed JSON']);
    const doc = JSON.parse(text);
    writeFileSync(file, JSON.stringify({ ...doc, format: 'keras' }));
    await rejectsData(loadModel(dir), [file, 'not a nabla model']);
    writeFileSync(file, JSON.stringify({ ...doc, formatVersion: 99 }));
    await rejectsData(loadModel(dir), [file, 'formatVersion 99 is newer']);
    writeFileSync(file, JSON.stringify({ ...doc, weights: { ...doc.weights, file: '../../etc/passwd' } }));
    await rejectsData(loadModel(dir), [file, 'plain file name']);
    doc.config.layers[0].config.filters = -2;
    writeFileSync(file, JSON.stringify(doc));
    await rejectsData(loadModel(dir), [file, 'layer 0 (Conv2D) config', 'filters']);
  });

  it('a missing directory, model.json or weights file is a DataError naming the path', async () => {
    const root = tempDir();
    await rejectsData(loadModel(join(root, 'nope')), [join(root, 'nope', 'model.json'), 'file not found']);
    const { dir } = await savedCnn();
    rmSync(join(dir, 'weights.safetensors'));
    await rejectsData(loadModel(dir), [join(dir, 'weights.safetensors'), 'file not found']);
    await rejectsData(loadWeights(cnn(), join(root, 'none.safetensors')), [join(root, 'none.safetensors'), 'file not found']);
  });

  it('an unknown loss in the compile settings suggests {compile: false}', async () => {
    const { dir } = await savedCnn();
    const file = join(dir, 'model.json');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.compileConfig.loss = [{ name: 'myLoss' }];
    writeFileSync(file, JSON.stringify(doc));
    await rejectsData(loadModel(dir), [file, "unknown loss 'myLoss'", '{compile: false}']);
    assert.equal((await loadModel(dir, { compile: false })).compiled, null);
  });
});

describe('atomic saving', () => {
  /** The real file system, except that writing a file whose name contains `failOn` writes half and throws. */
  function failingFs(failOn: string): FileSystem {
    return {
      readFile: (p) => fsp.readFile(p),
      writeFile: async (p, d) => {
        if (p.includes(failOn)) {
          await fsp.writeFile(p, typeof d === 'string' ? d.slice(0, d.length >> 1) : d.subarray(0, d.length >> 1));
          throw Object.assign(new Error(`ENOSPC: no space left on device, write '${p}'`), { code: 'ENOSPC' });
        }
        await fsp.writeFile(p, d);
      },
      rename: (a, b) => fsp.rename(a, b),
      rm: (p, o) => fsp.rm(p, o),
      mkdir: (p, o) => fsp.mkdir(p, o),
      stat: (p) => fsp.stat(p),
    };
  }

  for (const failOn of ['weights.safetensors', 'model.json']) {
    it(`a failure while writing ${failOn} leaves no partial file and the previous save intact`, async () => {
      const { dir, model, x } = await savedCnn();
      const before = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
      const oldPrediction = model.predict(x) as nb.Tensor;
      await model.fit(x, nb.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], [12], 'int32'), { epochs: 1, verbose: 0 });
      await assert.rejects(save(model, dir, { fileSystem: failingFs(failOn) }), /ENOSPC/);
      assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights.safetensors']);
      for (const [f, content] of Object.entries(before)) assert.ok(readFileSync(join(dir, f)).equals(content), `${f} unchanged`);
      assertClose((await loadModel(dir)).predict(x) as nb.Tensor, oldPrediction, { atol: 0, rtol: 0 });
    });
  }

  it('a failed first save leaves no files at all', async () => {
    const dir = join(tempDir(), 'fresh');
    await assert.rejects(save(cnn(), dir, { fileSystem: failingFs('model.json') }), /ENOSPC/);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('models that cannot be stored as topology are refused before anything is written', async () => {
    class Net extends Model {
      readonly d = layers.dense({ units: 2, name: 'net_d' });
      override call(x: LayerInput, o: CallOptions): nb.Tensor {
        return this.d.apply(x, o) as nb.Tensor;
      }
    }
    const dir = join(tempDir(), 'refused');
    const net = new Net();
    net.predict(nb.ones([1, 3]));
    await assert.rejects(save(net, dir), (e: Error) => e instanceof nb.ValueError && /subclassed model.*saveWeights/.test(e.message));
    const custom = new Sequential([layers.dense({ units: 2, inputShape: [3], activation: (t: nb.Tensor) => nb.mul(t, 2) })]);
    await assert.rejects(save(custom, dir), (e: Error) => e instanceof nb.ValueError && /custom function for 'activation'/.test(e.message));
    assert.equal(existsSync(dir), false);
    // Its weights can still be saved and loaded into a model of the same structure.
    const file = join(tempDir(), 'net.safetensors');
    await saveWeights(net, file);
    const copy = new Net();
    copy.predict(nb.ones([1, 3]));
    await loadWeights(copy, file);
    const probe = nb.randomNormal([4, 3], 0, 1, { seed: 1 });
    assertClose(copy.predict(probe) as nb.Tensor, net.predict(probe) as nb.Tensor, { atol: 0, rtol: 0 });
  });
});

describe('custom layers', () => {
  interface ScaleArgs extends LayerArgs {
    init?: number;
  }
  /** y = x · s, with a learned per-feature scale s. */
  class Scale extends Layer {
    static override readonly className = 'TestScale';
    readonly init: number;
    scale: Variable | null = null;
    constructor(args: ScaleArgs = {}) {
      super(args);
      this.init = args.init ?? 1;
    }
    override build(shape: Shape): void {
      this.scale = this.addWeight('scale', [shape[shape.length - 1]!], () => nb.full([shape[shape.length - 1]!], this.init));
    }
    call(x: LayerInput, _o: CallOptions): nb.Tensor {
      return nb.mul(x as nb.Tensor, this.scale!.value);
    }
    override getConfig(): Record<string, unknown> {
      return { ...super.getConfig(), init: this.init };
    }
  }

  it('loads once registered with registerLayer; before that the error says how', async () => {
    const dir = join(tempDir(), 'custom');
    const model = new Sequential([layers.dense({ units: 3, inputShape: [2], name: 'pre' }), new Scale({ init: 0.5, name: 'scale' })]);
    model.weights.find((w) => w.name === 'scale/scale')!.assign(nb.tensor([1, 2, 3]));
    await model.save(dir);
    await rejectsData(loadModel(dir), [join(dir, 'model.json'), "unknown layer class 'TestScale'", 'registerLayer']);
    registerLayer('TestScale', Scale);
    const loaded = await loadModel(dir);
    const l = loaded.layers[1]!;
    assert.ok(l instanceof Scale);
    assert.equal(l.init, 0.5);
    const x = nb.randomNormal([5, 2], 0, 1, { seed: 3 });
    assertClose(loaded.predict(x) as nb.Tensor, model.predict(x) as nb.Tensor, { atol: 0, rtol: 0 });
  });
});
