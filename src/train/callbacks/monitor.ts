// The monitored quantity shared by earlyStopping, modelCheckpoint and reduceLROnPlateau: which
// direction is better ('auto' as Keras: accuracy-like names are maximised, everything else
// minimised) and whether the logs will contain it.
import { ValueError } from '../../tensor/errors.js';
import type { Logs, TrainingParams } from './callback.js';

export type MonitorMode = 'auto' | 'min' | 'max';

/** Names whose larger values are better (after removing the 'val_' and output-name prefixes). */
const MAXIMIZED = /(^|_)(acc|accuracy|auc|precision|recall)$|Accuracy$/i;

/** The direction for `monitor` under `mode`: 'auto' maximises acc/accuracy/auc/precision/recall, minimises the rest. */
export function resolveMode(monitor: string, mode: MonitorMode | undefined, what: string): 'min' | 'max' {
  const m = mode ?? 'auto';
  if (m === 'min' || m === 'max') return m;
  if (m !== 'auto') throw new ValueError(`${what}: mode must be 'auto', 'min' or 'max', got ${JSON.stringify(mode)}`);
  const base = monitor.startsWith('val_') ? monitor.slice(4) : monitor;
  return MAXIMIZED.test(base) ? 'max' : 'min';
}

/** Throws when fit() announced its logged values and `monitor` is not among them (a typo, or no validation data). */
export function checkMonitorAvailable(monitor: string, params: TrainingParams | null, what: string): void {
  if (params === null || params.metrics.length === 0 || params.metrics.includes(monitor)) return;
  const hint = monitor.startsWith('val_') && !params.metrics.some((k) => k.startsWith('val_')) ? '; pass validationData or validationSplit to fit()' : '';
  throw new ValueError(`${what}: monitor '${monitor}' is not logged by this fit(); available: ${params.metrics.join(', ')}${hint}`);
}

/** The monitored value in `logs`, or null when absent. */
export function monitorValue(logs: Logs, monitor: string): number | null {
  const v = logs[monitor];
  return typeof v === 'number' ? v : null;
}

export function checkNumber(value: unknown, fallback: number, what: string, name: string, min = 0): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !(v >= min) || !Number.isFinite(v)) throw new ValueError(`${what}: ${name} must be a finite number ≥ ${min}, got ${JSON.stringify(value)}`);
  return v;
}

export function checkInteger(value: unknown, fallback: number, what: string, name: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ValueError(`${what}: ${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return v;
}

/** Writes a line to stdout (callbacks' verbose messages). */
export function say(line: string): void {
  const out = (globalThis as { process?: { stdout?: { write(s: string): unknown } } }).process?.stdout;
  if (out) out.write(`${line}\n`);
  else console.log(line);
}
