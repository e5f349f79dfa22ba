// Table 1: GEMM throughput (GFLOP/s, 2·M·K·N per call, output allocated per call as users get it)
// for square sizes and the deep-learning shapes, on 1 thread and on all cores, for each nabla
// backend, TensorFlow.js cpu and wasm, and numpy (OpenBLAS) in a python3 child.
import type { TableContext, TableOutput } from '../lib/context.js';
import { type Competitor, interleave, type Measurement } from '../lib/measure.js';
import { type BackendName, describeBackends, nablaBackends, nablaCompetitors, nb, threadControl, useNabla } from '../lib/nabla.js';
import { NUMPY_REMOVED_ENV, NumpyWorker } from '../lib/numpy.js';
import { heading, note, printTable, subheading } from '../lib/report.js';
import { fmt, fmtRatio, geomean } from '../lib/stats.js';
import { tf, tfjs, useTf } from '../lib/tfjs.js';
import { relaxedSimdSupported } from '../lib/wasm-features.js';

interface Shape {
  label: string;
  m: number;
  k: number;
  n: number;
  kind: 'square' | 'dl';
}

const square = (s: number): Shape => ({ label: `${s}³`, m: s, k: s, n: s, kind: 'square' });
const dl = (m: number, k: number, n: number): Shape => ({ label: `${m}×${k}×${n}`, m, k, n, kind: 'dl' });

function shapes(quick: boolean, minSquare = 0): Shape[] {
  const sq = (quick ? [128, 512] : [128, 256, 512, 1024, 2048]).filter((s) => s >= minSquare).map(square);
  return [...sq, dl(64, 784, 128), dl(43264, 9, 32), dl(7744, 288, 64)];
}

/** Deterministic pseudo-random float32 values in [-1, 1). */
function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** Largest error of sampled entries of C = A·B against a float64 dot product, relative to Σ|a·b|. */
function checkProduct(a: Float32Array, b: Float32Array, c: ArrayLike<number>, sh: Shape): number {
  let worst = 0;
  for (let t = 0; t < 16; t++) {
    const i = (t * 7919) % sh.m;
    const j = (t * 104729) % sh.n;
    let ref = 0;
    let mag = 0;
    for (let p = 0; p < sh.k; p++) {
      const v = a[i * sh.k + p]! * b[p * sh.n + j]!;
      ref += v;
      mag += Math.abs(v);
    }
    worst = Math.max(worst, Math.abs(c[i * sh.n + j]! - ref) / Math.max(mag, 1e-30));
  }
  return worst;
}

interface Row {
  threads: number;
  shape: string;
  m: number;
  k: number;
  n: number;
  id: string;
  gflops: number;
  gflopsMin: number;
  gflopsMax: number;
  vsNumpy: number;
  vsTfjsWasm: number;
  maxRelError: number | null;
  measurement: Measurement;
}

interface Setup {
  names: BackendName[];
  tfStatus: Awaited<ReturnType<typeof tfjs>>;
  numpy: Map<number, NumpyWorker>;
  numpyError: string | null;
  numpyInfo: Record<string, unknown> | null;
  competitorsInfo: Record<string, unknown>;
  notes: string[];
}

async function setup(ctx: TableContext, withNumpy: boolean): Promise<Setup> {
  const { names, imported } = await nablaBackends();
  const tfStatus = await tfjs();
  const numpy = new Map<number, NumpyWorker>();
  let numpyError: string | null = null;
  let numpyInfo: Record<string, unknown> | null = null;
  if (withNumpy) {
    for (const t of ctx.threadCounts) {
      const w = await NumpyWorker.start(t);
      if (typeof w === 'string') {
        numpyError = w;
        break;
      }
      numpy.set(t, w);
    }
    if (numpyError === null) {
      const { ok: _ok, ...info } = await numpy.get(1)!.request({ cmd: 'info' });
      numpyInfo = info;
    }
  }
  const notes: string[] = [`nabla backends: ${describeBackends(names)}`];
  const competitorsInfo: Record<string, unknown> = {
    nabla: nablaCompetitors(names),
    nablaImported: imported,
    tfjs: tfStatus,
    numpy: numpyError === null ? (withNumpy ? { ...numpyInfo, removedEnv: NUMPY_REMOVED_ENV } : 'not used') : { error: numpyError },
  };
  if (withNumpy && numpyError !== null) notes.push(`numpy skipped: ${numpyError}`);
  if (numpyInfo !== null) {
    const blas = numpyInfo['blas'] as Record<string, string> | undefined;
    notes.push(
      `numpy ${String(numpyInfo['numpy'])} (python ${String(numpyInfo['python'])}, ${blas?.['openblas configuration'] ?? blas?.['name'] ?? 'BLAS unknown'}) in a python3 child per thread count; ` +
        `${NUMPY_REMOVED_ENV.join(' and ')} removed from its environment, OPENBLAS_NUM_THREADS set to the thread count`,
    );
  }
  if (tfStatus.wasm === true) notes.push(`TensorFlow.js ${tfStatus.version}; tfjs-wasm: SIMD ${tfStatus.wasmSimd ? 'on' : 'off'}, ${tfStatus.wasmThreads ?? '?'} thread (threads are disabled under Node)`);
  if (tfStatus.wasm !== true) notes.push(`tfjs-wasm skipped: ${tfStatus.wasm}`);
  return { names, tfStatus, numpy, numpyError, numpyInfo, competitorsInfo, notes };
}

async function measureGemm(ctx: TableContext, s: Setup, opts: { shapes: Shape[]; ids?: (id: string) => boolean; threadCounts: number[]; title: string }): Promise<{ rows: Row[]; notes: string[] }> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const rate = new Map<string, number>(); // best GFLOP/s seen per competitor, for predicting slow calls
  const maxCall = ctx.quick ? 0.5 : 3;
  for (const threads of opts.threadCounts) {
    subheading(`${opts.title}, ${threads} thread${threads > 1 ? 's' : ''} (GFLOP/s: median, min–max over ${ctx.rounds} rounds)`);
    const tableRows: string[][] = [];
    const threadNotes: string[] = [];
    for (const sh of opts.shapes) {
      const a = values(sh.m * sh.k, 1 + sh.m);
      const b = values(sh.k * sh.n, 2 + sh.n);
      const flops = 2 * sh.m * sh.k * sh.n;
      const competitors: Competitor[] = [];
      const errors = new Map<string, number>();
      for (const name of s.names) {
        const id = `nabla-${name}`;
        if (opts.ids && !opts.ids(id)) continue;
        if (threads > 1 && threadControl(name) === null) {
          if (sh === opts.shapes[0]) threadNotes.push(`${id}: no thread control (single-threaded), measured on 1 thread only`);
          continue;
        }
        useNabla(name, threads);
        const A = nb.tensor(a, [sh.m, sh.k]);
        const B = nb.tensor(b, [sh.k, sh.n]);
        competitors.push({
          id,
          settleMs: threads > 1 ? 100 : 0,
          prepare: () => useNabla(name, threads),
          run: (reps) => {
            const t0 = performance.now();
            let c: nb.Tensor | null = null;
            for (let r = 0; r < reps; r++) c = nb.matmul(A, B);
            const dt = (performance.now() - t0) / 1e3;
            if (!errors.has(id) && c) errors.set(id, checkProduct(a, b, c.values, sh));
            return dt;
          },
        });
      }
      for (const be of ['cpu', 'wasm'] as const) {
        const id = `tfjs-${be}`;
        if (opts.ids && !opts.ids(id)) continue;
        if ((be === 'cpu' ? s.tfStatus.cpu : s.tfStatus.wasm) !== true) continue;
        if (threads > 1) {
          if (sh === opts.shapes[0]) threadNotes.push(`${id}: single-threaded in Node (${be === 'wasm' ? 'tfjs-backend-wasm disables threads under Node' : 'plain JavaScript'}), measured on 1 thread only`);
          continue;
        }
        await useTf(be);
        const A = tf.tensor2d(a, [sh.m, sh.k]);
        const B = tf.tensor2d(b, [sh.k, sh.n]);
        competitors.push({
          id,
          prepare: () => useTf(be),
          run: (reps) => {
            const t0 = performance.now();
            for (let r = 0; r < reps; r++) {
              const c = tf.matMul(A, B);
              const v = c.dataSync();
              if (!errors.has(id)) errors.set(id, checkProduct(a, b, v as Float32Array, sh));
              c.dispose();
            }
            return (performance.now() - t0) / 1e3;
          },
        });
      }
      const np = s.numpy.get(threads);
      if (np && (!opts.ids || opts.ids('numpy'))) {
        competitors.push({
          id: 'numpy',
          run: (reps) => np.seconds({ cmd: 'gemm', m: sh.m, k: sh.k, n: sh.n, reps }),
          settleMs: threads > 1 ? 150 : 0,
        });
      }
      const ms = await interleave(competitors, {
        rounds: ctx.rounds,
        targetSeconds: ctx.quick ? 0.05 : 0.25,
        maxCallSeconds: maxCall,
        predict: (id) => {
          // The best rate seen at any thread count: more threads should never be slower, and a
          // small size can run slowly when another process holds a core.
          const g = Math.max(rate.get(`${id}@${threads}`) ?? 0, rate.get(`${id}@1`) ?? 0);
          return g === 0 ? null : flops / (g * 1e9);
        },
      });
      const med = (id: string): number => {
        const m = ms.find((x) => x.id === id);
        return m?.seconds ? flops / m.seconds.median / 1e9 : NaN;
      };
      const npG = med('numpy');
      const twG = med('tfjs-wasm');
      for (const m of ms) {
        const g = m.seconds ? flops / m.seconds.median / 1e9 : NaN;
        if (Number.isFinite(g)) rate.set(`${m.id}@${threads}`, Math.max(g, rate.get(`${m.id}@${threads}`) ?? 0));
        const err = errors.get(m.id) ?? null;
        const row: Row = {
          threads,
          shape: sh.label,
          m: sh.m,
          k: sh.k,
          n: sh.n,
          id: m.id,
          gflops: g,
          gflopsMin: m.seconds ? flops / m.seconds.max / 1e9 : NaN,
          gflopsMax: m.seconds ? flops / m.seconds.min / 1e9 : NaN,
          vsNumpy: g / npG,
          vsTfjsWasm: g / twG,
          maxRelError: err,
          measurement: m,
        };
        rows.push(row);
        let remark = m.note ?? '';
        if (err !== null && err > 1e-4) remark = `WRONG RESULT (relative error ${err.toExponential(1)}) ${remark}`;
        tableRows.push([
          sh.label,
          m.id,
          m.seconds ? fmt(g) : '–',
          m.seconds && m.samples.length > 1 ? `${fmt(row.gflopsMin)}–${fmt(row.gflopsMax)}` : '',
          m.id === 'numpy' ? '1' : fmtRatio(row.vsNumpy),
          m.id === 'tfjs-wasm' ? '1' : fmtRatio(row.vsTfjsWasm),
          remark,
        ]);
      }
    }
    printTable(['M×K×N', 'competitor', 'GFLOP/s', 'min–max', '× numpy', '× tfjs-wasm', ''], tableRows, 'llrrrrl');
    for (const n of threadNotes) note(n);
    notes.push(...threadNotes.map((n) => `${threads} threads: ${n}`));
  }
  return { rows, notes };
}

function summarizeGemm(rows: Row[], threadCounts: number[], names: BackendName[], label: string): string[] {
  const out: string[] = [];
  for (const t of threadCounts) {
    const parts: string[] = [];
    for (const n of names) {
      const id = `nabla-${n}`;
      const mine = rows.filter((r) => r.id === id && r.threads === t && Number.isFinite(r.gflops));
      if (mine.length === 0) continue;
      const big = mine.filter((r) => r.m === r.k && r.k === r.n && r.m >= 256);
      const dls = mine.filter((r) => !(r.m === r.k && r.k === r.n));
      const bits: string[] = [];
      const gnp = geomean(big.map((r) => r.vsNumpy));
      const gnpDl = geomean(dls.map((r) => r.vsNumpy));
      const gtw = geomean(big.map((r) => r.vsTfjsWasm));
      if (Number.isFinite(gnp)) bits.push(`${fmtRatio(gnp)} numpy on 256³–2048³`);
      if (Number.isFinite(gnpDl)) bits.push(`${fmtRatio(gnpDl)} numpy on the DL shapes`);
      if (Number.isFinite(gtw)) bits.push(`${fmtRatio(gtw)} tfjs-wasm on 256³–2048³`);
      if (t > 1) {
        const speedups = mine
          .filter((r) => r.m === r.k && r.k === r.n && r.m >= 512)
          .map((r) => r.gflops / (rows.find((o) => o.id === id && o.threads === 1 && o.shape === r.shape)?.gflops ?? NaN));
        const sp = geomean(speedups);
        if (Number.isFinite(sp)) bits.push(`${fmtRatio(sp)} its 1-thread speed at ≥512³`);
      }
      const best = Math.max(...mine.map((r) => r.gflops));
      if (bits.length > 0) parts.push(`${id} ${bits.join(', ')} (best ${fmt(best)} GFLOP/s)`);
    }
    const np = rows.filter((r) => r.id === 'numpy' && r.threads === t && r.m === 2048);
    const npNote = np.length > 0 && Number.isFinite(np[0]!.gflops) ? `; numpy 2048³ ${fmt(np[0]!.gflops)} GFLOP/s` : '';
    if (parts.length > 0) out.push(`${label}, ${t} thread${t > 1 ? 's' : ''} (geomean ratios): ${parts.join('; ')}${npNote}`);
  }
  return out;
}

function rowsJson(rows: Row[]): Record<string, unknown>[] {
  return rows.map(({ measurement, ...r }) => ({ ...r, note: measurement.note, status: measurement.status, reps: measurement.reps, samplesSeconds: measurement.samples, seconds: measurement.seconds }));
}

export async function gemmTable(ctx: TableContext): Promise<TableOutput> {
  const title = 'GEMM: C = A·B in float32 (output allocated per call)';
  heading(`Table 1 — ${title}`);
  const s = await setup(ctx, true);
  for (const n of s.notes) note(n);
  try {
    const { rows, notes } = await measureGemm(ctx, s, { shapes: shapes(ctx.quick), threadCounts: ctx.threadCounts, title: 'GEMM' });
    const summary = summarizeGemm(rows, ctx.threadCounts, s.names, 'GEMM');
    return { title, rows: rowsJson(rows), notes: [...s.notes, ...notes], summary, competitors: s.competitorsInfo };
  } finally {
    for (const w of s.numpy.values()) w.close();
  }
}

/**
 * gemm's companion in a process started with --experimental-wasm-relaxed-simd (Node 20 needs the
 * flag): nabla's wasm backend can pick its relaxed-SIMD (FMA) build; tfjs-wasm is the reference.
 */
export async function gemmRelaxedTable(ctx: TableContext): Promise<TableOutput> {
  const title = 'GEMM with relaxed SIMD enabled (node --experimental-wasm-relaxed-simd): nabla-wasm vs tfjs-wasm';
  heading(`Table 1b — ${title}`);
  const s = await setup(ctx, false);
  const notes = [...s.notes];
  if (!relaxedSimdSupported()) notes.push('this Node does not accept relaxed-SIMD modules even with the flag');
  if (!s.names.includes('wasm')) {
    notes.push("skipped: nabla has no 'wasm' backend in this build");
    for (const n of notes) note(n);
    return { title, rows: [], notes, summary: [], competitors: s.competitorsInfo };
  }
  for (const n of notes) note(n);
  const { rows, notes: more } = await measureGemm(ctx, s, {
    shapes: shapes(ctx.quick, 256),
    ids: (id) => id === 'nabla-wasm' || id === 'tfjs-wasm',
    threadCounts: ctx.threadCounts,
    title: 'GEMM, relaxed SIMD',
  });
  const summary = summarizeGemm(rows, ctx.threadCounts, ['wasm'], 'GEMM with relaxed SIMD');
  return { title, rows: rowsJson(rows), notes: [...notes, ...more], summary, competitors: s.competitorsInfo };
}
