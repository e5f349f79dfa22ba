// The measurement engine: competitors run one measurement each per round, in a rotating order, so
// that drift in the machine's load (it may be shared) spreads over all of them alike.
import { fmtSeconds, type Summary, summarize } from './stats.js';

export interface Competitor {
  /** Stable id used in tables and JSON, e.g. "nabla-native", "tfjs-wasm", "numpy". */
  id: string;
  /** Runs before each measurement, outside the timing: switch backends, set thread counts. */
  prepare?(): Promise<void> | void;
  /**
   * Runs `reps` repetitions and returns the elapsed seconds. Child processes time their own loop
   * and return that, so the round trip is not counted.
   */
  run(reps: number): Promise<number> | number;
  /** Milliseconds to pause after this competitor's measurement (e.g. OpenBLAS threads spin for a while). */
  settleMs?: number;
}

export type Status = 'ok' | 'skipped' | 'failed';

export interface Measurement {
  id: string;
  status: Status;
  /** Why it was skipped or failed, or a caveat about an ok measurement. */
  note?: string;
  /** Repetitions per sample. */
  reps: number;
  /** Seconds per repetition, one sample per round. */
  samples: number[];
  /** Summary of seconds per repetition. */
  seconds?: Summary;
}

export interface MeasureOptions {
  rounds: number;
  /** Aim for measurements (reps × one call) of about this many seconds. */
  targetSeconds: number;
  /** A competitor whose single call is predicted (or found) to take longer than this is not repeated. */
  maxCallSeconds: number;
  /** Upper bound on repetitions per measurement. */
  maxReps?: number;
  /** Predicted seconds for one call of a competitor (from earlier measurements), or null when unknown. */
  predict?: (id: string) => number | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!.slice(0, 240);
}

async function timed(c: Competitor, reps: number): Promise<number> {
  await c.prepare?.();
  const s = await c.run(reps);
  if (c.settleMs) await sleep(c.settleMs);
  return s;
}

/**
 * Warms every competitor up, calibrates repetitions per measurement to `targetSeconds`, then runs
 * `rounds` rounds in which each competitor takes one measurement (order rotated every round).
 */
export async function interleave(competitors: readonly Competitor[], opts: MeasureOptions): Promise<Measurement[]> {
  const results = competitors.map((c): Measurement => ({ id: c.id, status: 'ok', reps: 1, samples: [] }));
  const active: number[] = [];
  for (let i = 0; i < competitors.length; i++) {
    const c = competitors[i]!;
    const r = results[i]!;
    const predicted = opts.predict?.(c.id) ?? null;
    if (predicted !== null && predicted > opts.maxCallSeconds) {
      r.status = 'skipped';
      r.note = `skipped: one call predicted to take ~${fmtSeconds(predicted)} (cap ${fmtSeconds(opts.maxCallSeconds)})`;
      continue;
    }
    try {
      let t1 = await timed(c, 1);
      if (t1 > opts.maxCallSeconds) {
        // A first call can be slow for one-time reasons (lazy initialisation): when it is not far
        // over the cap, try once more before giving up.
        const again = t1 <= 3 * opts.maxCallSeconds ? await timed(c, 1) : Infinity;
        if (again > opts.maxCallSeconds) {
          // Too slow to repeat: keep the faster call as the only sample.
          const best = Math.min(t1, again);
          r.samples.push(best);
          r.note = `1 sample only (${Number.isFinite(again) ? 'best of 2 calls' : 'one cold call'}: ${fmtSeconds(best)}; cap ${fmtSeconds(opts.maxCallSeconds)})`;
          continue;
        }
        t1 = again;
      }
      // Calibrate: grow the repetition count tenfold until a call batch takes a tenth of the target,
      // so one descheduling of this process cannot decide the count.
      const maxReps = opts.maxReps ?? 1e7;
      let reps = 1;
      let t = t1 > opts.targetSeconds ? t1 : await timed(c, 1);
      while (t < opts.targetSeconds / 10 && reps < maxReps) {
        reps = Math.min(maxReps, reps * 10);
        t = await timed(c, reps);
      }
      r.reps = Math.max(1, Math.min(maxReps, Math.round((opts.targetSeconds * reps) / Math.max(t, 1e-9))));
      if (t <= opts.targetSeconds) await timed(c, r.reps); // warm at the measured repetition count
      active.push(i);
    } catch (e) {
      r.status = 'failed';
      r.note = `failed: ${firstLine(e)}`;
    }
  }
  for (let round = 0; round < opts.rounds; round++) {
    for (let j = 0; j < active.length; j++) {
      const i = active[(j + round) % active.length]!;
      const r = results[i]!;
      if (r.status !== 'ok') continue;
      try {
        const s = await timed(competitors[i]!, r.reps);
        r.samples.push(s / r.reps);
      } catch (e) {
        r.status = 'failed';
        r.note = `failed in round ${round + 1}: ${firstLine(e)}`;
      }
    }
  }
  for (const r of results) if (r.samples.length > 0 && r.status === 'ok') r.seconds = summarize(r.samples);
  return results;
}

/** Wall-clock seconds of a synchronous or asynchronous function. */
export async function time(f: () => unknown): Promise<number> {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1e3;
}

/** Wall-clock seconds of a synchronous function (no await: nothing else runs in between). */
export function timeSync(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return (performance.now() - t0) / 1e3;
}

/** Runs a full garbage collection when the process was started with --expose-gc (between measurements only). */
export function gcNow(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') g();
}
