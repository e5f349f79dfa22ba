// Command-line options shared by the examples: --epochs, --batch-size, --backend, --data DIR,
// --json FILE, --seed, plus any numeric options an example adds; and the final report (printed,
// and written as JSON atomically when --json is given).
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as nb from '../src/index.js';

export interface ExampleArgs {
  epochs: number;
  batchSize: number;
  /** The backend in use (after --backend, if given). */
  backend: string;
  /** --data DIR: the data set's folder, or a folder containing it (passed to load({dir})). */
  data: string | undefined;
  json: string | undefined;
  seed: number;
  /** Values of the example's own numeric options, by name. */
  extra: Record<string, number>;
}

export interface ExtraOption {
  default: number;
  description: string;
}

/**
 * Parses process.argv. `defaults` gives the example's epochs and batch size; `extra` its own
 * numeric options (`--limit 5000`). `--help` prints the options and exits.
 */
export function parseExampleArgs(
  name: string,
  defaults: { epochs: number; batchSize: number },
  extra: Record<string, ExtraOption> = {},
): ExampleArgs {
  const options = {
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    backend: { type: 'string' },
    data: { type: 'string' },
    json: { type: 'string' },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    ...Object.fromEntries(Object.keys(extra).map((k) => [k, { type: 'string' }])),
  } as const;
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ options, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    console.error(`${name}: ${(e as Error).message}\nRun with --help for the options.`);
    process.exit(2);
  }
  if (values['help'] === true) {
    const lines = [
      `usage: npx tsx examples/${name}.ts [options]`,
      `  --epochs N        training epochs (default ${defaults.epochs})`,
      `  --batch-size N    batch size (default ${defaults.batchSize})`,
      `  --backend NAME    compute backend: ${nb.listBackends().join(', ')} (default: the fastest available)`,
      '  --data DIR        data set folder (or a folder containing it); default $NABLA_DATA, then ../shared/data',
      '  --json FILE       write the final metrics to FILE as JSON',
      '  --seed N          random seed (default 1)',
      ...Object.entries(extra).map(([k, o]) => `  --${k.padEnd(16)}${o.description} (default ${o.default})`),
    ];
    console.log(lines.join('\n'));
    process.exit(0);
  }
  const int = (key: string, fallback: number, min: number): number => {
    const raw = values[key];
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min) {
      console.error(`${name}: --${key} must be an integer >= ${min}, got '${String(raw)}'`);
      process.exit(2);
    }
    return v;
  };
  if (typeof values['backend'] === 'string') nb.setBackend(values['backend']);
  const parsedExtra: Record<string, number> = {};
  for (const [k, o] of Object.entries(extra)) {
    const raw = values[k];
    const v = raw === undefined ? o.default : Number(raw);
    if (!Number.isFinite(v)) {
      console.error(`${name}: --${k} must be a number, got '${String(raw)}'`);
      process.exit(2);
    }
    parsedExtra[k] = v;
  }
  return {
    epochs: int('epochs', defaults.epochs, 1),
    batchSize: int('batch-size', defaults.batchSize, 1),
    backend: nb.getBackend(),
    data: typeof values['data'] === 'string' ? values['data'] : undefined,
    json: typeof values['json'] === 'string' ? values['json'] : undefined,
    seed: int('seed', 1, 0),
    extra: parsedExtra,
  };
}

/** Writes `value` as JSON to `file` atomically: a temporary file in the same folder, then rename. */
export function writeJsonAtomic(file: string, value: unknown): void {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Prints the final metrics and the wall time since `startMs`, and writes them (with the run's
 * settings) to --json when given.
 */
export function report(name: string, args: ExampleArgs, startMs: number, metrics: Record<string, number | string>): void {
  const wallSeconds = (performance.now() - startMs) / 1000;
  const shown = Object.entries(metrics)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : v}`)
    .join(', ');
  console.log(`${name}: ${shown}; wall time ${wallSeconds.toFixed(1)} s on backend '${args.backend}'`);
  if (args.json !== undefined) {
    writeJsonAtomic(args.json, {
      example: name,
      ...metrics,
      wallSeconds: Number(wallSeconds.toFixed(3)),
      backend: args.backend,
      epochs: args.epochs,
      batchSize: args.batchSize,
      seed: args.seed,
      ...args.extra,
      node: process.version,
      date: new Date().toISOString(),
    });
    console.log(`metrics written to ${args.json}`);
  }
}
