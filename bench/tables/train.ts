// Table 3: training throughput (samples/s) and inference latency for the workloads W1 (MLP), W2
// (MNIST CNN) and W3 (150×150 convnet), with nabla's backends, TensorFlow.js cpu and wasm (tf.layers,
// trainOnBatch, the same initial weights as nabla's model) and, for W1, a hand-written numpy
// implementation. Convolution training is judged against the machine itself: effective GFLOP/s
// (3 × forward FLOPs × samples/s) as a fraction of the fp32 peak and of numpy's 2048³ sgemm.
import type { TableContext, TableOutput } from '../lib/context.js';
import { type Competitor, gcNow, interleave, type Measurement } from '../lib/measure.js';
import { describeBackends, nablaBackends, nablaCompetitors, nb, stagingShare, threadControl, turnLikeFit, useNabla } from '../lib/nabla.js';
import { NUMPY_REMOVED_ENV, NumpyWorker } from '../lib/numpy.js';
import { heading, note, printTable, subheading } from '../lib/report.js';
import { fmt, fmtRatio, fmtSeconds, summarize, type Summary } from '../lib/stats.js';
import { tf, tfjs, useTf } from '../lib/tfjs.js';
import { type Batch, copyWeightsToTfjs, forwardFlops, headOf, nablaModel, syntheticBatch, tfjsModel, type Workload, WORKLOADS } from '../lib/workloads.js';

const SEED = 42;

/** One way of running a workload: a nabla backend, a TensorFlow.js backend, or numpy. */
interface Runner {
  id: string;
  threads: number;
  prepare(): Promise<void> | void;
  /** Runs `reps` forward passes on a batch of `n` (1 or the training batch); returns seconds. */
  predict(n: number, reps: number): Promise<number> | number;
  /** Runs `steps` training steps on the full batch; returns seconds and the last loss. */
  train(steps: number): Promise<{ seconds: number; loss: number }>;
  /** Predicted cost of a training step as a multiple of a forward pass on the same batch. */
  trainFactor: number;
  /** Pause after each measurement (multi-threaded competitors: let their threads go idle). */
  settleMs: number;
  /** Share of a training step and of a batch-1 prediction spent staging tensors (backends that count it). */
  staging?(seconds: number): Promise<Staging | null>;
}

type Staging = Record<'train' | 'infer1', Awaited<ReturnType<typeof stagingShare>>>;

interface Budget {
  /** Seconds of timed training a competitor may take per workload. */
  perCompetitor: number;
  /** A step predicted to take longer than this is skipped (unless --slow); one that turns out 1.5× longer is not repeated. */
  maxStep: number;
  minTimedSteps: number;
  roundTarget: number;
}

interface TrainResult {
  id: string;
  threads: number;
  status: 'ok' | 'skipped' | 'failed';
  note: string[];
  warmupSteps: number;
  timedSteps: number;
  /** Samples per second, one sample per round. */
  samplesPerSecond: number[];
  summary?: Summary;
  firstLoss: number | null;
  /** Predicted seconds per step (forward time × trainFactor) that decided whether to run it. */
  predictedStepSeconds: number | null;
}

function msg(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
}

function nablaRunner(w: Workload, name: nb.BackendName, threads: number | undefined, data: Batch, one: Batch): Runner {
  useNabla(name, threads);
  const model = nablaModel(w, SEED);
  const x = nb.tensor(data.x, [data.batch, ...w.inputShape]);
  const y = nb.tensor(data.y, [data.batch, w.outputs]);
  const x1 = nb.tensor(one.x, [1, ...w.inputShape]);
  const lossOf = (l: number | number[]): number => (Array.isArray(l) ? l[0]! : l);
  return {
    id: `nabla-${name}`,
    threads: threads ?? 1,
    prepare: () => useNabla(name, threads),
    predict: (n, reps) => {
      const input = n === 1 ? x1 : x;
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) model.predictOnBatch(input);
      return (performance.now() - t0) / 1e3;
    },
    train: async (steps) => {
      let loss = NaN;
      const t0 = performance.now();
      for (let s = 0; s < steps; s++) {
        loss = lossOf(model.trainOnBatch(x, y));
        await turnLikeFit();
      }
      return { seconds: (performance.now() - t0) / 1e3, loss };
    },
    trainFactor: 3,
    settleMs: (threads ?? 1) > 1 ? 100 : 0,
    staging: async (seconds) => {
      useNabla(name, threads);
      const train = await stagingShare(() => model.trainOnBatch(x, y), seconds);
      return train === null ? null : { train, infer1: await stagingShare(() => model.predictOnBatch(x1), seconds) };
    },
  };
}

async function tfjsRunner(w: Workload, be: 'cpu' | 'wasm', template: nb.Sequential, data: Batch, one: Batch, notes: string[]): Promise<Runner> {
  await useTf(be);
  const model = tfjsModel(w);
  if (!copyWeightsToTfjs(template, model)) notes.push(`tfjs-${be}: weights not copied from the nabla model (weight lists differ); it starts from its own initialisation`);
  const x = tf.tensor(data.x, [data.batch, ...w.inputShape]);
  const y = tf.tensor(data.y, [data.batch, w.outputs]);
  const x1 = tf.tensor(one.x, [1, ...w.inputShape]);
  const hasConv = w.layers.some((l) => l.kind === 'conv');
  return {
    id: `tfjs-${be}`,
    threads: 1,
    prepare: () => useTf(be),
    predict: (n, reps) => {
      const input = n === 1 ? x1 : x;
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) {
        const out = model.predictOnBatch(input) as tf.Tensor;
        out.dataSync();
        out.dispose();
      }
      return (performance.now() - t0) / 1e3;
    },
    train: async (steps) => {
      let loss = NaN;
      const t0 = performance.now();
      for (let s = 0; s < steps; s++) {
        const l = await model.trainOnBatch(x, y);
        loss = Array.isArray(l) ? l[0]! : l;
      }
      return { seconds: (performance.now() - t0) / 1e3, loss };
    },
    // tfjs-cpu computes convolution gradients with plain loops: measured here, its training steps
    // cost 30–100× its forward pass on W2 and W3 (a one-sample W3 step took 60–86 s), not ~3×.
    trainFactor: be === 'cpu' && hasConv ? 40 : 3,
    settleMs: 0,
  };
}

async function numpyRunner(w: Workload, np: NumpyWorker, id: string): Promise<Runner> {
  await np.request({ cmd: 'w1_init', batch: w.batch, seed: SEED });
  const threads = np.threads;
  return {
    id,
    threads,
    prepare: () => undefined,
    predict: (n, reps) => np.seconds({ cmd: 'w1_predict', batch: n, reps }),
    train: async (steps) => {
      const r = await np.request({ cmd: 'w1_train', reps: steps });
      return { seconds: Number(r['seconds']), loss: Number(r['loss']) };
    },
    trainFactor: 3,
    settleMs: threads > 1 ? 150 : 0,
  };
}

interface Inference {
  one: Measurement[];
  full: Measurement[];
  /** Forward seconds at batch 1 predicted from an earlier convolutional workload's FLOP rate. */
  predictedOne: Map<string, number>;
}

/**
 * Inference latency at batch 1 and at the training batch, interleaved. `convRates` (forward FLOP/s
 * at batch 1 on the previous convolutional workload) predicts calls too slow to make even once.
 */
async function inference(ctx: TableContext, w: Workload, runners: Runner[], flops: number, convRates: Map<string, number>): Promise<Inference> {
  const opts = { rounds: ctx.rounds, targetSeconds: ctx.quick ? 0.05 : 0.2, maxCallSeconds: ctx.quick ? 1 : 3 };
  const asCompetitors = (n: number): Competitor[] => runners.map((r) => ({ id: r.id, prepare: () => r.prepare(), run: (reps) => r.predict(n, reps), settleMs: r.settleMs }));
  const predictedOne = new Map<string, number>();
  for (const [id, rate] of convRates) predictedOne.set(id, flops / rate);
  const one = await interleave(asCompetitors(1), { ...opts, predict: (id) => predictedOne.get(id) ?? null });
  const full = await interleave(asCompetitors(w.batch), {
    ...opts,
    predict: (id) => {
      const m = one.find((x) => x.id === id);
      const t1 = m?.seconds?.median ?? predictedOne.get(id);
      return t1 === undefined ? null : t1 * w.batch;
    },
  });
  if (w.layers.some((l) => l.kind === 'conv')) {
    for (const m of one) if (m.seconds) convRates.set(m.id, flops / m.seconds.median);
  }
  return { one, full, predictedOne };
}

/** Training: predict, warm up, plan the timed steps within the budget, then interleave rounds. */
async function training(ctx: TableContext, w: Workload, runners: Runner[], inf: Inference, budget: Budget): Promise<TrainResult[]> {
  const results: TrainResult[] = runners.map((r) => ({ id: r.id, threads: r.threads, status: 'ok', note: [], warmupSteps: 0, timedSteps: 0, samplesPerSecond: [], firstLoss: null, predictedStepSeconds: null }));
  const stepTime = new Map<string, number>();
  for (let i = 0; i < runners.length; i++) {
    const r = runners[i]!;
    const res = results[i]!;
    try {
      await r.prepare();
      // 1. Predict a step from the forward pass on the training batch (measured, or batch 1 × batch size).
      const fwdFull = inf.full.find((m) => m.id === r.id)?.seconds?.median;
      const measuredOne = inf.one.find((m) => m.id === r.id)?.seconds?.median;
      const fwdOne = measuredOne ?? inf.predictedOne.get(r.id);
      const fwd = fwdFull ?? (fwdOne === undefined ? null : fwdOne * w.batch);
      const how = fwdFull !== undefined ? '' : measuredOne !== undefined ? ' extrapolated from batch 1' : " predicted from the previous conv workload's FLOP rate";
      if (fwd !== null) {
        const predicted = fwd * r.trainFactor;
        res.predictedStepSeconds = predicted;
        if (predicted > budget.maxStep && !ctx.opts.slow) {
          res.status = 'skipped';
          res.note.push(`skipped: one step predicted to take ~${fmtSeconds(predicted)} (forward ${fmtSeconds(fwd)}${how} × ${r.trainFactor}; cap ${fmtSeconds(budget.maxStep)}); --slow runs it`);
          continue;
        }
      }
      // 2. First warm-up step (cold): its loss, at the initial weights, is the sanity check across libraries.
      const first = await r.train(1);
      res.firstLoss = first.loss;
      res.warmupSteps = 1;
      if (first.seconds > budget.maxStep * 1.5) {
        res.samplesPerSecond.push(w.batch / first.seconds);
        res.timedSteps = 1;
        res.warmupSteps = 0;
        res.note.push(`1 cold step only (took ${fmtSeconds(first.seconds)})`);
        continue;
      }
      let s = first.seconds;
      if (s * (3 + budget.minTimedSteps) <= budget.perCompetitor) {
        const more = await r.train(2);
        res.warmupSteps = 3;
        s = more.seconds / 2;
      } else res.note.push('1 warm-up step (slow)');
      stepTime.set(r.id, s);
    } catch (e) {
      res.status = 'failed';
      res.note.push(`failed: ${msg(e)}`);
    }
  }
  // 3. Plan: at least minTimedSteps, enough for `rounds` rounds of ~roundTarget seconds, within the budget.
  const plan = new Map<string, { total: number; perRound: number; left: number }>();
  for (const res of results) {
    const s = stepTime.get(res.id);
    if (res.status !== 'ok' || s === undefined) continue;
    let total = Math.max(budget.minTimedSteps, Math.ceil((ctx.rounds * budget.roundTarget) / s));
    const affordable = Math.max(1, Math.floor((budget.perCompetitor - res.warmupSteps * s) / s));
    if (total > affordable) {
      total = affordable;
      res.note.push(`${total} timed step${total > 1 ? 's' : ''} (time budget ${budget.perCompetitor} s)`);
    }
    plan.set(res.id, { total, perRound: Math.ceil(total / ctx.rounds), left: total });
  }
  // 4. Interleaved rounds.
  for (let round = 0; round < ctx.rounds; round++) {
    for (let j = 0; j < runners.length; j++) {
      const i = (j + round) % runners.length;
      const r = runners[i]!;
      const res = results[i]!;
      const p = plan.get(r.id);
      if (!p || p.left <= 0 || res.status !== 'ok') continue;
      const steps = Math.min(p.perRound, p.left);
      try {
        await r.prepare();
        const t = await r.train(steps);
        p.left -= steps;
        res.timedSteps += steps;
        res.samplesPerSecond.push((steps * w.batch) / t.seconds);
        if (r.settleMs) await new Promise((done) => setTimeout(done, r.settleMs));
      } catch (e) {
        res.status = 'failed';
        res.note.push(`failed in round ${round + 1}: ${msg(e)}`);
      }
    }
  }
  for (const res of results) if (res.samplesPerSecond.length > 0) res.summary = summarize(res.samplesPerSecond);
  return results;
}

async function numpySgemm(np: NumpyWorker, samples: number): Promise<number[]> {
  const n = 2048;
  await np.seconds({ cmd: 'gemm', m: n, k: n, n, reps: 1 });
  const out: number[] = [];
  for (let i = 0; i < samples; i++) out.push((2 * n ** 3) / (await np.seconds({ cmd: 'gemm', m: n, k: n, n, reps: 1 })) / 1e9);
  return out;
}

export async function trainTable(ctx: TableContext): Promise<TableOutput> {
  const title = 'Training throughput and inference latency (W1 MLP, W2 MNIST CNN, W3 150×150 convnet)';
  heading(`Table 3 — ${title}`);
  const { names, imported } = await nablaBackends();
  const tfStatus = await tfjs();
  const cores = ctx.machine.cpu.cores;
  const np = await NumpyWorker.start(cores);
  // W1's numpy reference also runs on one thread: OpenBLAS's threads collapse when another process
  // holds a core, and "× numpy" compares with the faster of the two.
  const np1 = cores > 1 && typeof np !== 'string' ? await NumpyWorker.start(1) : null;
  const notes: string[] = [`nabla backends: ${describeBackends(names)}`];
  if (typeof np === 'string') notes.push(`numpy skipped (no W1 reference, no sgemm yardstick): ${np}`);
  if (tfStatus.wasm !== true) notes.push(`tfjs-wasm skipped: ${tfStatus.wasm}`);
  const budget: Budget = ctx.quick
    ? { perCompetitor: 6, maxStep: 8, minTimedSteps: 5, roundTarget: 0.1 }
    : { perCompetitor: 60, maxStep: 30, minTimedSteps: 20, roundTarget: 0.4 };
  notes.push(
    `nabla backends with thread control and numpy use ${cores} threads, TensorFlow.js 1 (it is single-threaded in Node); ` +
      `3 warm-up steps then ≥ ${budget.minTimedSteps} timed steps in ${ctx.rounds} interleaved rounds, fewer for competitors slower than the ${budget.perCompetitor} s budget (noted); ` +
      `synthetic data (standard normal inputs, random labels, seed ${SEED}); TensorFlow.js models start from the nabla model's initial weights`,
  );
  notes.push(`fp32 peak ${fmt(ctx.peak.allCoresGFlops)} GFLOP/s = ${ctx.peak.assumption}`);
  const sgemm = typeof np === 'string' ? [] : await numpySgemm(np, 3);
  for (const n of notes) note(n);
  const rows: Record<string, unknown>[] = [];
  const summary: string[] = [];
  const convRates = new Map<string, number>();
  try {
    for (const w of Object.values(WORKLOADS)) {
      gcNow();
      const flops = forwardFlops(w);
      subheading(`${w.title} — forward ${fmt(flops / 1e6)} MFLOP/sample, a training step ≈ 3× forward`);
      const data = syntheticBatch(w, w.batch, SEED);
      const one = headOf(data, w, 1);
      const wNotes: string[] = [];
      const runners: Runner[] = [];
      for (const name of names) {
        const t = threadControl(name) === null ? undefined : cores;
        runners.push(nablaRunner(w, name, t, data, one));
      }
      useNabla(names[names.length - 1]!);
      const template = nablaModel(w, SEED);
      for (const be of ['cpu', 'wasm'] as const) {
        if ((be === 'cpu' ? tfStatus.cpu : tfStatus.wasm) !== true) continue;
        runners.push(await tfjsRunner(w, be, template, data, one, wNotes));
      }
      if (w.id === 'W1' && typeof np !== 'string') {
        runners.push(await numpyRunner(w, np, 'numpy'));
        if (np1 !== null && typeof np1 !== 'string') runners.push(await numpyRunner(w, np1, 'numpy-1t'));
      }
      const inf = await inference(ctx, w, runners, flops, convRates);
      const tr = await training(ctx, w, runners, inf, budget);
      // Staging share, measured apart from the timed steps (counting costs a clock read per copy).
      const staging = new Map<string, Staging>();
      for (const r of runners) {
        if (tr.find((t) => t.id === r.id)?.status !== 'ok') continue;
        const st = await r.staging?.(ctx.quick ? 0.3 : 1);
        if (st) staging.set(r.id, st);
      }
      const sgemmNow = typeof np === 'string' ? [] : await numpySgemm(np, 1);
      sgemm.push(...sgemmNow);
      const sgemmMedian = sgemm.length > 0 ? summarize(sgemm).median : NaN;
      const sps = (id: string): number => tr.find((r) => r.id === id)?.summary?.median ?? NaN;
      const numpyBest = Math.max(sps('numpy'), Number.isFinite(sps('numpy-1t')) ? sps('numpy-1t') : -Infinity);
      const trainRows: string[][] = [];
      const inferRows: string[][] = [];
      for (const r of tr) {
        const med = r.summary?.median ?? NaN;
        const eff = (3 * flops * med) / 1e9;
        const row = {
          workload: w.id,
          id: r.id,
          threads: r.threads,
          status: r.status,
          note: r.note.join('; '),
          batch: w.batch,
          forwardFlopsPerSample: flops,
          samplesPerSecond: med,
          samplesPerSecondMin: r.summary?.min ?? NaN,
          samplesPerSecondMax: r.summary?.max ?? NaN,
          samplesPerSecondSamples: r.samplesPerSecond,
          warmupSteps: r.warmupSteps,
          timedSteps: r.timedSteps,
          predictedStepSeconds: r.predictedStepSeconds,
          firstLoss: r.firstLoss,
          effectiveGflops: eff,
          fractionOfPeak: eff / ctx.peak.allCoresGFlops,
          vsNumpySgemm2048: eff / sgemmMedian,
          vsNumpy: med / numpyBest,
          vsTfjsWasm: med / sps('tfjs-wasm'),
          vsTfjsCpu: med / sps('tfjs-cpu'),
          inferBatch1: inf.one.find((m) => m.id === r.id),
          inferBatchFull: inf.full.find((m) => m.id === r.id),
          staging: staging.get(r.id),
        };
        rows.push(row);
        const ok = Number.isFinite(med);
        trainRows.push([
          r.id,
          String(r.threads),
          ok ? fmt(med) : '–',
          ok && r.samplesPerSecond.length > 1 ? `${fmt(row.samplesPerSecondMin)}–${fmt(row.samplesPerSecondMax)}` : '',
          ok ? `${r.warmupSteps}+${r.timedSteps}` : '',
          ok ? fmt(eff) : '–',
          ok ? `${(row.fractionOfPeak * 100).toFixed(1)}%` : '–',
          ok ? fmtRatio(row.vsNumpySgemm2048) : '–',
          w.id === 'W1' ? fmtRatio(row.vsNumpy) : '',
          fmtRatio(row.vsTfjsWasm),
          fmtRatio(row.vsTfjsCpu),
          r.firstLoss === null ? '' : r.firstLoss.toFixed(4),
          r.note.join('; '),
        ]);
        const i1 = row.inferBatch1;
        const iB = row.inferBatchFull;
        inferRows.push([
          r.id,
          i1?.seconds ? fmt(i1.seconds.median * 1e3) : '–',
          i1?.seconds && i1.samples.length > 1 ? `${fmt(i1.seconds.min * 1e3)}–${fmt(i1.seconds.max * 1e3)}` : '',
          iB?.seconds ? fmt(iB.seconds.median * 1e3) : '–',
          iB?.seconds && iB.samples.length > 1 ? `${fmt(iB.seconds.min * 1e3)}–${fmt(iB.seconds.max * 1e3)}` : '',
          iB?.seconds ? fmt(w.batch / iB.seconds.median) : '–',
          [i1?.note && `batch 1: ${i1.note}`, iB?.note && `batch ${w.batch}: ${iB.note}`].filter(Boolean).join('; '),
        ]);
      }
      console.log(`training, batch ${w.batch} (samples/s: median, min–max over rounds; steps = warm-up + timed${w.id === 'W1' ? '; × numpy: against the faster of numpy and numpy-1t' : ''})`);
      printTable(
        ['competitor', 'thr', 'samples/s', 'min–max', 'steps', 'eff. GFLOP/s', '% peak', '× sgemm', '× numpy', '× tfjs-wasm', '× tfjs-cpu', 'first loss', ''],
        trainRows,
        'lrrrrrrrrrrrl',
      );
      console.log(`\ninference (predictOnBatch; ms: median, min–max)`);
      printTable(['competitor', 'batch 1 ms', 'min–max', `batch ${w.batch} ms`, 'min–max', 'samples/s', ''], inferRows, 'lrrrrrl');
      for (const [id, st] of staging) {
        const pct = (s: Staging['train'], what: string): string => (s === null ? `– of ${what}` : `${(s.share * 100).toFixed(1)} % of ${what} (${fmt(s.bytesPerCall / 1e6)} MB copied each)`);
        const line = `${id} staging: ${pct(st.train, 'a training step')}, ${pct(st.infer1, 'a batch-1 prediction')}`;
        note(line);
        summary.push(`${w.id} ${line}`);
      }
      for (const n of wNotes) note(n);
      notes.push(...wNotes.map((n) => `${w.id}: ${n}`));
      if (Number.isFinite(sgemmMedian)) note(`numpy sgemm 2048³ on ${cores} threads: ${fmt(sgemmMedian)} GFLOP/s (median of ${sgemm.length} measurements in this run); × sgemm = effective GFLOP/s ÷ that`);
      // Summary line.
      const parts: string[] = [];
      for (const r of tr) {
        if (!r.id.startsWith('nabla-') || !r.summary) continue;
        const row = rows.find((x) => x['workload'] === w.id && x['id'] === r.id)!;
        const bits = [`${fmt(r.summary.median)} samples/s`];
        if (w.id === 'W1') {
          if (Number.isFinite(row['vsNumpy'] as number)) bits.push(`${fmtRatio(row['vsNumpy'] as number)} numpy`);
          if (Number.isFinite(row['vsTfjsWasm'] as number)) bits.push(`${fmtRatio(row['vsTfjsWasm'] as number)} tfjs-wasm`);
        } else {
          bits.push(`${fmt(row['effectiveGflops'] as number)} GFLOP/s effective`);
          if (Number.isFinite(row['vsNumpySgemm2048'] as number)) bits.push(`${fmtRatio(row['vsNumpySgemm2048'] as number)} numpy sgemm`);
          bits.push(`${((row['fractionOfPeak'] as number) * 100).toFixed(1)}% of peak`);
        }
        parts.push(`${r.id} ${bits.join(', ')}`);
      }
      const peers = tr
        .filter((r) => !r.id.startsWith('nabla-'))
        .map((r) => `${r.id} ${r.summary ? `${fmt(r.summary.median)}` : r.status}`)
        .join(', ');
      if (parts.length > 0) summary.push(`${w.id} training (batch ${w.batch}): ${parts.join('; ')}${peers ? ` — peers (samples/s): ${peers}` : ''}`);
    }
  } finally {
    if (typeof np !== 'string') np.close();
    if (np1 !== null && typeof np1 !== 'string') np1.close();
  }
  return {
    title,
    rows,
    notes,
    summary,
    competitors: {
      nabla: nablaCompetitors(names),
      nablaImported: imported,
      tfjs: tfStatus,
      numpy: typeof np === 'string' ? { error: np } : { threads: cores, removedEnv: NUMPY_REMOVED_ENV, sgemm2048GflopsSamples: sgemm },
      budget,
    },
  };
}
