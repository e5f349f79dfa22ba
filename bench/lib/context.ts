// What every table receives (options, machine facts, the fp32 peak) and returns (rows for the JSON,
// notes, and one README-ready summary line or more).
import type { Options } from './cli.js';
import type { MachineFacts, Peak } from './machine.js';
import type { Measurement } from './measure.js';

export interface TableContext {
  opts: Options;
  quick: boolean;
  rounds: number;
  machine: MachineFacts;
  peak: Peak;
  /** Thread counts to measure: 1 and the number of cores (just 1 on a one-core machine). */
  threadCounts: number[];
}

export interface TableOutput {
  title: string;
  /** Per-row data for the JSON (measurements with their derived figures). */
  rows: Record<string, unknown>[];
  notes: string[];
  /** README-ready summary lines. */
  summary: string[];
  /** Versions and configuration of the competitors. */
  competitors: Record<string, unknown>;
}

export type TableRunner = (ctx: TableContext) => Promise<TableOutput>;

/** The JSON form of a measurement, with the per-rep samples. */
export function measurementJson(m: Measurement): Record<string, unknown> {
  return { id: m.id, status: m.status, note: m.note, reps: m.reps, samplesSeconds: m.samples, seconds: m.seconds };
}
