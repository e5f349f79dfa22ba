// `npm run bench`: runs the benchmark tables in sequence, each in its own child process (one process
// per table, competitors interleaved round by round inside it), prints the tables, and writes each
// table's results as JSON to bench/results/<table>-<timestamp>.json. See bench/README.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childArgs, type Options, parseArgs, USAGE } from './lib/cli.js';
import type { TableContext, TableRunner } from './lib/context.js';
import { describeLoad, estimateClockGHz, fp32Peak, machineFacts, sampleLoad } from './lib/machine.js';
import { fileStamp, heading, writeJsonAtomic } from './lib/report.js';
import { relaxedSimdSupported } from './lib/wasm-features.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';

/** The tables a child process can run; gemm-relaxed is gemm's relaxed-SIMD companion run. */
async function loadTable(name: string): Promise<TableRunner> {
  switch (name) {
    case 'gemm':
      return (await import('./tables/gemm.js')).gemmTable;
    case 'gemm-relaxed':
      return (await import('./tables/gemm.js')).gemmRelaxedTable;
    case 'ops':
      return (await import('./tables/ops.js')).opsTable;
    case 'train':
      return (await import('./tables/train.js')).trainTable;
    case 'infer':
      return (await import('./tables/infer.js')).inferTable;
    default:
      throw new Error(`unknown table ${name}`);
  }
}

function measuredClock(): number {
  const fromParent = Number(process.env['NABLA_BENCH_MEASURED_GHZ']);
  return Number.isFinite(fromParent) && fromParent > 0 ? fromParent : estimateClockGHz();
}

/** Child mode: runs one table in this process and writes its JSON. */
async function runTable(opts: Options, name: string): Promise<void> {
  const machine = machineFacts();
  const peak = fp32Peak(machine.cpu, measuredClock());
  const cores = machine.cpu.cores;
  const ctx: TableContext = {
    opts,
    quick: opts.quick,
    rounds: opts.rounds ?? (opts.quick ? 3 : 5),
    machine,
    peak,
    threadCounts: cores > 1 ? [1, cores] : [1],
  };
  const runner = await loadTable(name);
  const loadBefore = await sampleLoad();
  const started = new Date();
  const out = await runner(ctx);
  const finished = new Date();
  const loadAfter = await sampleLoad();
  console.log(`\n  load before: ${describeLoad(loadBefore)}; after: ${describeLoad(loadAfter)}; ${((finished.getTime() - started.getTime()) / 1000).toFixed(0)} s`);
  for (const s of out.summary) console.log(`  summary: ${s}`);
  const stamp = process.env['NABLA_BENCH_STAMP'] ?? fileStamp(started);
  const file = writeJsonAtomic(path.resolve(ROOT, opts.jsonDir), `${name}-${stamp}.json`, {
    table: name,
    title: out.title,
    quick: opts.quick,
    rounds: ctx.rounds,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    command: process.env['NABLA_BENCH_COMMAND'] ?? `node --import tsx bench/run.ts ${process.argv.slice(2).join(' ')}`,
    execArgv: process.execArgv,
    machine,
    peak,
    load: { before: loadBefore, after: loadAfter },
    competitors: out.competitors,
    summary: out.summary,
    notes: out.notes,
    rows: out.rows,
  });
  console.log(`  results: ${path.relative(ROOT, file)}`);
}

/** Parent mode: prints the machine, then runs each selected table in a child process. */
function orchestrate(opts: Options): number {
  const machine = machineFacts();
  const ghz = estimateClockGHz();
  const peak = fp32Peak(machine.cpu, ghz);
  const stamp = fileStamp();
  const c = machine.cpu;
  const flags = Object.entries(c.flags).filter(([, v]) => v).map(([k]) => k).join(' ');
  heading(`nabla benchmark ${opts.quick ? '(--quick) ' : ''}— ${new Date().toISOString()}`);
  console.log(`CPU: ${c.model} (${c.vendor} family ${c.family} model ${c.modelNumber}), ${c.cores} cores / ${c.logicalCpus} logical CPUs${c.hypervisor ? ', virtualised' : ''}`);
  console.log(`flags: ${flags}`);
  console.log(`Node ${machine.node} (V8 ${machine.v8}), ${machine.platform}-${machine.arch}, ${machine.totalMemGiB} GiB`);
  console.log(`fp32 peak: ${peak.allCoresGFlops.toFixed(0)} GFLOP/s = ${peak.assumption}`);
  const tables: string[] = [];
  for (const t of opts.only) {
    tables.push(t);
    if (t === 'gemm') tables.push('gemm-relaxed');
  }
  const relaxedByDefault = relaxedSimdSupported();
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const env = { ...process.env, NABLA_BENCH_STAMP: stamp, NABLA_BENCH_MEASURED_GHZ: String(ghz), NABLA_BENCH_COMMAND: command };
  let failures = 0;
  const started = Date.now();
  for (const t of tables) {
    const nodeArgs = ['--import', 'tsx', '--expose-gc'];
    if (t === 'gemm-relaxed') {
      if (relaxedByDefault) {
        console.log('\n(gemm-relaxed: this Node runs relaxed SIMD by default, so the gemm table above already used it)');
        continue;
      }
      nodeArgs.push(RELAXED_FLAG);
    }
    const r = spawnSync(process.execPath, [...nodeArgs, path.join(ROOT, 'bench', 'run.ts'), '--table', t, ...childArgs(opts)], { cwd: ROOT, env, stdio: 'inherit' });
    if (r.status !== 0) {
      failures++;
      console.log(`\n!! table ${t} failed (exit ${r.status ?? r.signal})`);
    }
  }
  // One block with every table's summary lines, ready for the README.
  heading('Summary');
  for (const t of tables) {
    const file = path.resolve(ROOT, opts.jsonDir, `${t}-${stamp}.json`);
    if (!fs.existsSync(file)) continue;
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { summary?: string[] };
    for (const s of data.summary ?? []) console.log(`- ${s}`);
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s in all; JSON in ${opts.jsonDir}/*-${stamp}.json)`);
  return failures === 0 ? 0 : 1;
}

async function main(): Promise<void> {
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  if (opts.table !== null) {
    await runTable(opts, opts.table);
    // Worker threads or child processes of a competitor must not keep the table's process alive.
    process.exit(0);
  }
  process.exit(orchestrate(opts));
}

await main();
