// Table 2: per-op dispatch overhead (a 64-element add, µs per op, result allocated per call) and
// memory bandwidth of a 16M-element relu (GB/s counting 4 bytes read + 4 bytes written per element).
import type { TableContext, TableOutput } from '../lib/context.js';
import { type Competitor, interleave, type Measurement } from '../lib/measure.js';
import { describeBackends, nablaBackends, nablaCompetitors, nb, threadControl, useNabla } from '../lib/nabla.js';
import { NUMPY_REMOVED_ENV, NumpyWorker } from '../lib/numpy.js';
import { heading, note, printTable, subheading } from '../lib/report.js';
import { fmt, fmtRatio } from '../lib/stats.js';
import { tf, tfjs, useTf } from '../lib/tfjs.js';

const ADD_SIZE = 64;
const RELU_SIZE = 16 * 1024 * 1024;

interface OpCase {
  id: 'add64' | 'relu16M';
  label: string;
  unit: string;
  /** The figure of merit from seconds per op. */
  figure: (seconds: number) => number;
  higherIsBetter: boolean;
}

const CASES: OpCase[] = [
  { id: 'add64', label: `add, ${ADD_SIZE} elements (dispatch overhead)`, unit: 'µs/op', figure: (s) => s * 1e6, higherIsBetter: false },
  { id: 'relu16M', label: 'relu, 16M elements (memory bandwidth)', unit: 'GB/s', figure: (s) => (RELU_SIZE * 8) / s / 1e9, higherIsBetter: true },
];

function seeded(n: number, seed: number): Float32Array {
  return nb.randomNormal([n], 0, 1, { seed }).values as Float32Array;
}

export async function opsTable(ctx: TableContext): Promise<TableOutput> {
  const title = 'Per-op overhead and elementwise bandwidth';
  heading(`Table 2 — ${title}`);
  const { names, imported } = await nablaBackends();
  const tfStatus = await tfjs();
  const threads = ctx.threadCounts[ctx.threadCounts.length - 1]!;
  const np = await NumpyWorker.start(1);
  const notes: string[] = [`nabla backends: ${describeBackends(names)}`];
  if (typeof np === 'string') notes.push(`numpy skipped: ${np}`);
  if (tfStatus.wasm !== true) notes.push(`tfjs-wasm skipped: ${tfStatus.wasm}`);
  notes.push(`nabla backends with thread control run on ${threads} threads; results are allocated per call in every library (tfjs results are disposed)`);
  for (const n of notes) note(n);
  const rows: Record<string, unknown>[] = [];
  const summaryParts: string[] = [];
  const addValues = [seeded(ADD_SIZE, 1), seeded(ADD_SIZE, 2)] as const;
  const reluValues = seeded(RELU_SIZE, 3);
  try {
    for (const c of CASES) {
      subheading(`${c.label}: ${c.unit}, median and min–max over ${ctx.rounds} rounds`);
      const competitors: Competitor[] = [];
      for (const name of names) {
        const t = threadControl(name) === null ? undefined : threads;
        useNabla(name, t);
        if (c.id === 'add64') {
          const a = nb.tensor(addValues[0], [ADD_SIZE]);
          const b = nb.tensor(addValues[1], [ADD_SIZE]);
          competitors.push({
            id: `nabla-${name}`,
            prepare: () => useNabla(name, t),
            run: (reps) => {
              const t0 = performance.now();
              for (let r = 0; r < reps; r++) nb.add(a, b);
              return (performance.now() - t0) / 1e3;
            },
          });
        } else {
          const x = nb.tensor(reluValues, [RELU_SIZE]);
          competitors.push({
            id: `nabla-${name}`,
            prepare: () => useNabla(name, t),
            run: (reps) => {
              const t0 = performance.now();
              for (let r = 0; r < reps; r++) nb.relu(x);
              return (performance.now() - t0) / 1e3;
            },
          });
        }
      }
      for (const be of ['cpu', 'wasm'] as const) {
        if ((be === 'cpu' ? tfStatus.cpu : tfStatus.wasm) !== true) continue;
        await useTf(be);
        if (c.id === 'add64') {
          const a = tf.tensor1d(addValues[0]);
          const b = tf.tensor1d(addValues[1]);
          competitors.push({
            id: `tfjs-${be}`,
            prepare: () => useTf(be),
            run: (reps) => {
              const t0 = performance.now();
              for (let r = 0; r < reps; r++) tf.add(a, b).dispose();
              return (performance.now() - t0) / 1e3;
            },
          });
        } else {
          const x = tf.tensor1d(reluValues);
          competitors.push({
            id: `tfjs-${be}`,
            prepare: () => useTf(be),
            run: (reps) => {
              const t0 = performance.now();
              for (let r = 0; r < reps; r++) tf.relu(x).dispose();
              return (performance.now() - t0) / 1e3;
            },
          });
        }
      }
      if (typeof np !== 'string') {
        competitors.push({
          id: 'numpy',
          run: (reps) => np.seconds(c.id === 'add64' ? { cmd: 'add', size: ADD_SIZE, reps } : { cmd: 'relu', size: RELU_SIZE, reps }),
        });
      }
      const ms = await interleave(competitors, {
        rounds: ctx.rounds,
        targetSeconds: ctx.quick ? 0.05 : 0.2,
        maxCallSeconds: ctx.quick ? 1 : 3,
      });
      const ref = ms.find((m) => m.id === 'tfjs-wasm');
      const refFig = ref?.seconds ? c.figure(ref.seconds.median) : NaN;
      const table: string[][] = [];
      for (const m of ms) {
        const fig = m.seconds ? c.figure(m.seconds.median) : NaN;
        const lo = m.seconds ? c.figure(c.higherIsBetter ? m.seconds.max : m.seconds.min) : NaN;
        const hi = m.seconds ? c.figure(c.higherIsBetter ? m.seconds.min : m.seconds.max) : NaN;
        // "× tfjs-wasm" is a speed ratio (> 1 is faster) for both cases.
        const speed = c.higherIsBetter ? fig / refFig : refFig / fig;
        table.push([m.id, fmt(fig), m.samples.length > 1 ? `${fmt(lo)}–${fmt(hi)}` : '', fmtRatio(speed), m.note ?? '']);
        rows.push({ op: c.id, unit: c.unit, id: m.id, value: fig, min: lo, max: hi, speedVsTfjsWasm: speed, ...measurementFields(m) });
        if (m.id.startsWith('nabla-') && Number.isFinite(fig) ) summaryParts.push(`${m.id} ${c.id === 'add64' ? `${fmt(fig)} µs per 64-element add` : `relu ${fmt(fig)} GB/s`} (${fmtRatio(speed)} tfjs-wasm)`);
      }
      printTable(['competitor', c.unit, 'min–max', '× tfjs-wasm (speed)', ''], table, 'lrrrl');
    }
  } finally {
    if (typeof np !== 'string') np.close();
  }
  const tfRef = rows.filter((r) => r['id'] === 'tfjs-wasm').map((r) => `${fmt(r['value'] as number)} ${r['unit'] as string}`);
  const summary = summaryParts.length > 0 ? [`Ops: ${summaryParts.join('; ')}${tfRef.length ? ` — tfjs-wasm: ${tfRef.join(', ')}` : ''}`] : [];
  return {
    title,
    rows,
    notes,
    summary,
    competitors: {
      nabla: nablaCompetitors(names),
      nablaImported: imported,
      tfjs: tfStatus,
      numpy: typeof np === 'string' ? { error: np } : { threads: 1, removedEnv: NUMPY_REMOVED_ENV },
    },
  };
}

function measurementFields(m: Measurement): Record<string, unknown> {
  return { status: m.status, note: m.note, reps: m.reps, samplesSeconds: m.samples, seconds: m.seconds };
}
