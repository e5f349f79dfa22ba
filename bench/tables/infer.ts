// Table 4: W2 (MNIST CNN) inference latency at batch 1: nabla's backends against ONNX Runtime
// (onnxruntime-node, CPU execution provider) running the same weights, exported to ONNX in memory,
// and TensorFlow.js for context.
import { createRequire } from 'node:module';
import type { TableContext, TableOutput } from '../lib/context.js';
import { type Competitor, interleave } from '../lib/measure.js';
import { describeBackends, nablaBackends, nablaCompetitors, nb, threadControl, useNabla } from '../lib/nabla.js';
import { buildOnnxCnn, type Weight } from '../lib/onnx.js';
import { heading, note, printTable, subheading } from '../lib/report.js';
import { fmt, fmtRatio } from '../lib/stats.js';
import { tf, tfjs, useTf } from '../lib/tfjs.js';
import { copyWeightsToTfjs, headOf, nablaModel, syntheticBatch, tfjsModel, WORKLOADS } from '../lib/workloads.js';

type Ort = typeof import('onnxruntime-node');

const SEED = 7;

async function loadOrt(): Promise<{ ort: Ort; version: string } | string> {
  try {
    const ort = (await import('onnxruntime-node')) as Ort & { default?: Ort };
    const mod = (ort.InferenceSession ? ort : ort.default) as Ort;
    const require = createRequire(import.meta.url);
    const version = (require('onnxruntime-node/package.json') as { version: string }).version;
    return { ort: mod, version };
  } catch (e) {
    return `onnxruntime-node could not be loaded: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`;
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export async function inferTable(ctx: TableContext): Promise<TableOutput> {
  const w = WORKLOADS.W2;
  const title = 'W2 (MNIST CNN) inference latency at batch 1 vs ONNX Runtime';
  heading(`Table 4 — ${title}`);
  const { names, imported } = await nablaBackends();
  const tfStatus = await tfjs();
  const cores = ctx.machine.cpu.cores;
  const notes: string[] = [`nabla backends: ${describeBackends(names)}`];
  const data = syntheticBatch(w, 1, SEED);
  const one = headOf(data, w, 1);
  const competitors: Competitor[] = [];
  const outputs = new Map<string, ArrayLike<number>>();

  // nabla: one model per backend, identical weights (same seed).
  for (const name of names) {
    const t = threadControl(name) === null ? undefined : cores;
    useNabla(name, t);
    const model = nablaModel(w, SEED);
    const x = nb.tensor(one.x, [1, ...w.inputShape]);
    outputs.set(`nabla-${name}`, (model.predictOnBatch(x) as nb.Tensor).values);
    competitors.push({
      id: `nabla-${name}`,
      prepare: () => useNabla(name, t),
      run: (reps) => {
        const t0 = performance.now();
        for (let r = 0; r < reps; r++) model.predictOnBatch(x);
        return (performance.now() - t0) / 1e3;
      },
    });
  }
  useNabla(names[names.length - 1]!);
  const template = nablaModel(w, SEED);
  const reference = (template.predictOnBatch(nb.tensor(one.x, [1, ...w.inputShape])) as nb.Tensor).values;

  // ONNX Runtime with the template's weights: default session options (intra-op threads = cores) and 1 thread.
  const ortLoaded = await loadOrt();
  let ortInfo: Record<string, unknown>;
  if (typeof ortLoaded === 'string') {
    notes.push(`onnxruntime rows skipped: ${ortLoaded}`);
    ortInfo = { error: ortLoaded };
  } else {
    const { ort, version } = ortLoaded;
    ortInfo = { version };
    try {
      const weights: Weight[] = template.weights.map((v) => ({ values: v.value.values as Float32Array, shape: v.shape }));
      const bytes = buildOnnxCnn(w.inputShape as [number, number, number], weights, 'softmax');
      ortInfo['modelBytes'] = bytes.length;
      const input = new ort.Tensor('float32', Float32Array.from(one.x), [1, ...w.inputShape]);
      for (const [id, threads] of [
        ['onnxruntime', 0],
        ['onnxruntime-1t', 1],
      ] as const) {
        const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionProviders: ['cpu'] });
        const first = await session.run({ input });
        outputs.set(id, first['output']!.data as Float32Array);
        competitors.push({
          id,
          run: async (reps) => {
            const t0 = performance.now();
            for (let r = 0; r < reps; r++) await session.run({ input });
            return (performance.now() - t0) / 1e3;
          },
        });
      }
      notes.push(`onnxruntime-node ${version}, CPU execution provider: "onnxruntime" uses the default intra-op thread count (all cores), "onnxruntime-1t" one thread; the ONNX model is built from the nabla model's weights (NHWC input transposed to NCHW)`);
    } catch (e) {
      const m = `onnxruntime rows skipped: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`;
      notes.push(m);
      ortInfo['error'] = m;
    }
  }

  // TensorFlow.js with the same weights.
  for (const be of ['cpu', 'wasm'] as const) {
    if ((be === 'cpu' ? tfStatus.cpu : tfStatus.wasm) !== true) continue;
    await useTf(be);
    const model = tfjsModel(w);
    copyWeightsToTfjs(template, model);
    const x = tf.tensor(one.x, [1, ...w.inputShape]);
    const o = model.predictOnBatch(x) as tf.Tensor;
    outputs.set(`tfjs-${be}`, o.dataSync() as Float32Array);
    o.dispose();
    competitors.push({
      id: `tfjs-${be}`,
      prepare: () => useTf(be),
      run: (reps) => {
        const t0 = performance.now();
        for (let r = 0; r < reps; r++) {
          const out = model.predictOnBatch(x) as tf.Tensor;
          out.dataSync();
          out.dispose();
        }
        return (performance.now() - t0) / 1e3;
      },
    });
  }

  for (const n of notes) note(n);
  subheading(`latency per call (ms: median, min–max over ${ctx.rounds} rounds); Δ = largest |output − nabla reference output|`);
  const ms = await interleave(competitors, { rounds: ctx.rounds, targetSeconds: ctx.quick ? 0.05 : 0.25, maxCallSeconds: 2 });
  const refId = ms.find((m) => m.id === 'onnxruntime' && m.seconds) ? 'onnxruntime' : null;
  const refMs = refId ? ms.find((m) => m.id === refId)!.seconds!.median * 1e3 : NaN;
  const rows: Record<string, unknown>[] = [];
  const table: string[][] = [];
  for (const m of ms) {
    const med = m.seconds ? m.seconds.median * 1e3 : NaN;
    const out = outputs.get(m.id);
    const diff = out ? maxAbsDiff(out, reference) : NaN;
    rows.push({ id: m.id, status: m.status, note: m.note, ms: med, msMin: m.seconds ? m.seconds.min * 1e3 : NaN, msMax: m.seconds ? m.seconds.max * 1e3 : NaN, latencyVsOnnxruntime: med / refMs, maxAbsDiffVsNabla: diff, reps: m.reps, samplesSeconds: m.samples, seconds: m.seconds });
    table.push([
      m.id,
      m.seconds ? fmt(med) : '–',
      m.seconds && m.samples.length > 1 ? `${fmt(m.seconds.min * 1e3)}–${fmt(m.seconds.max * 1e3)}` : '',
      fmtRatio(med / refMs),
      Number.isFinite(diff) ? diff.toExponential(1) : '',
      m.note ?? '',
    ]);
  }
  printTable(['competitor', 'ms', 'min–max', '× onnxruntime latency', 'Δ output', ''], table, 'lrrrrl');
  const parts = ms
    .filter((m) => m.id.startsWith('nabla-') && m.seconds)
    .map((m) => `${m.id} ${fmt(m.seconds!.median * 1e3)} ms (${fmtRatio((m.seconds!.median * 1e3) / refMs)} onnxruntime's latency)`);
  const summary = parts.length > 0 ? [`W2 inference, batch 1: ${parts.join('; ')}${refId ? `; onnxruntime ${fmt(refMs)} ms` : ' (onnxruntime unavailable)'}`] : [];
  return {
    title,
    rows,
    notes,
    summary,
    competitors: {
      nabla: nablaCompetitors(names),
      nablaImported: imported,
      tfjs: tfStatus,
      onnxruntime: ortInfo,
    },
  };
}
