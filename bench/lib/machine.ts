// Facts about the machine the benchmark runs on: CPU model and flags, cores, clock, fp32 peak, and
// how busy the CPUs are with other processes (the machine may be shared).
import fs from 'node:fs';
import os from 'node:os';

export interface CpuFacts {
  model: string;
  vendor: string;
  family: number | null;
  modelNumber: number | null;
  /** Physical cores (from /proc/cpuinfo "cpu cores" × sockets), falling back to logical CPUs. */
  cores: number;
  logicalCpus: number;
  /** The clock /proc/cpuinfo reports (nominal; under a hypervisor often the base clock). */
  nominalMHz: number | null;
  hypervisor: boolean;
  flags: { avx: boolean; avx2: boolean; fma: boolean; avx512f: boolean; avx512bw: boolean; avx512vl: boolean; avx512_bf16: boolean; avx512_vnni: boolean };
}

export interface MachineFacts {
  cpu: CpuFacts;
  node: string;
  v8: string;
  platform: string;
  arch: string;
  totalMemGiB: number;
  hostname: string;
}

function readCpuinfo(): string {
  try {
    return fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

function field(text: string, name: string): string | null {
  const m = new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(text);
  return m ? m[1]!.trim() : null;
}

export function cpuFacts(): CpuFacts {
  const text = readCpuinfo();
  const flagSet = new Set((field(text, 'flags') ?? '').split(/\s+/));
  const mhz = [...text.matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((m) => Number(m[1]));
  const physicalIds = new Set([...text.matchAll(/^physical id\s*:\s*(\d+)/gm)].map((m) => m[1]));
  const coresPerSocket = Number(field(text, 'cpu cores') ?? NaN);
  const logical = os.cpus().length;
  const cores = Number.isFinite(coresPerSocket) && coresPerSocket > 0 ? Math.min(logical, coresPerSocket * Math.max(1, physicalIds.size)) : logical;
  const family = field(text, 'cpu family');
  const modelNumber = field(text, 'model');
  return {
    model: field(text, 'model name') ?? os.cpus()[0]?.model ?? 'unknown',
    vendor: field(text, 'vendor_id') ?? 'unknown',
    family: family === null ? null : Number(family),
    modelNumber: modelNumber === null ? null : Number(modelNumber),
    cores,
    logicalCpus: logical,
    nominalMHz: mhz.length > 0 ? Math.max(...mhz) : (os.cpus()[0]?.speed ?? null),
    hypervisor: flagSet.has('hypervisor'),
    flags: {
      avx: flagSet.has('avx'),
      avx2: flagSet.has('avx2'),
      fma: flagSet.has('fma'),
      avx512f: flagSet.has('avx512f'),
      avx512bw: flagSet.has('avx512bw'),
      avx512vl: flagSet.has('avx512vl'),
      avx512_bf16: flagSet.has('avx512_bf16'),
      avx512_vnni: flagSet.has('avx512_vnni'),
    },
  };
}

export function machineFacts(): MachineFacts {
  return {
    cpu: cpuFacts(),
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    hostname: os.hostname(),
  };
}

// A chain of dependent single-cycle integer operations: V8 compiles `(x + a) | 0` and `(x ^ a) | 0`
// to one ALU instruction each, so the chain runs at one operation per clock cycle.
function chain(n: number, a: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) {
    x = (x + a) | 0;
    x = (x ^ a) | 0;
    x = (x + a) | 0;
    x = (x ^ a) | 0;
    x = (x + a) | 0;
    x = (x ^ a) | 0;
    x = (x + a) | 0;
    x = (x ^ a) | 0;
  }
  return x;
}

/**
 * Estimates the clock one core actually runs at (turbo included) from a chain of dependent ALU
 * operations; the best of several trials, since time stolen by other processes only lowers it.
 */
export function estimateClockGHz(trials = 12, opsPerTrial = 1.6e8): number {
  let best = 0;
  let sink = 0;
  const n = Math.round(opsPerTrial / 8);
  for (let t = 0; t < trials; t++) {
    const t0 = process.hrtime.bigint();
    sink ^= chain(n, t + 3);
    const ns = Number(process.hrtime.bigint() - t0);
    best = Math.max(best, (8 * n) / ns);
  }
  if (sink === 0x7fffffff) console.log(''); // keeps the chain observable
  return best;
}

export interface Peak {
  flopsPerCycle: number;
  clockGHz: number;
  clockSource: string;
  perCoreGFlops: number;
  allCoresGFlops: number;
  cores: number;
  assumption: string;
}

/**
 * Theoretical fp32 peak: cores × clock × FLOP per cycle per core, where FLOP per cycle follows from
 * the vector ISA and the number of FMA pipes (2 everywhere here). AMD Zen 4 (family 25) executes
 * 512-bit instructions on two 256-bit FMA pipes (32 FLOP/cycle); Zen 5 (family 26) and Intel
 * AVX-512 server cores have two 512-bit FMA pipes (64); AVX2+FMA cores have two 256-bit pipes (32).
 * The clock is the larger of /proc/cpuinfo's MHz and the measured one (turbo), unless
 * NABLA_BENCH_CLOCK_GHZ overrides it; NABLA_BENCH_FLOPS_PER_CYCLE overrides the ISA assumption.
 */
export function fp32Peak(cpu: CpuFacts, measuredGHz: number): Peak {
  let fpc: number;
  let why: string;
  const f = cpu.flags;
  if (f.avx512f && cpu.vendor === 'AuthenticAMD' && (cpu.family ?? 0) <= 25) {
    fpc = 32;
    why = 'AVX-512 on AMD Zen 4 (family 25): 512-bit FMA double-pumped on 2×256-bit pipes = 2×8×2 = 32 FLOP/cycle';
  } else if (f.avx512f) {
    fpc = 64;
    why = 'AVX-512 with two 512-bit FMA pipes = 2×16×2 = 64 FLOP/cycle';
  } else if (f.avx2 && f.fma) {
    fpc = 32;
    why = 'AVX2+FMA with two 256-bit FMA pipes = 2×8×2 = 32 FLOP/cycle';
  } else if (f.avx) {
    fpc = 16;
    why = 'AVX without FMA: 8-wide add + 8-wide mul per cycle = 16 FLOP/cycle';
  } else {
    fpc = 8;
    why = 'SSE (or non-x86) assumed: 8 FLOP/cycle';
  }
  const envFpc = Number(process.env['NABLA_BENCH_FLOPS_PER_CYCLE']);
  if (Number.isFinite(envFpc) && envFpc > 0) {
    fpc = envFpc;
    why = `NABLA_BENCH_FLOPS_PER_CYCLE=${envFpc}`;
  }
  const nominal = (cpu.nominalMHz ?? 0) / 1000;
  let clock = Math.max(nominal, measuredGHz);
  let source = measuredGHz > nominal ? `measured ${measuredGHz.toFixed(2)} GHz (dependent-ALU chain; /proc/cpuinfo says ${nominal.toFixed(2)} GHz)` : `/proc/cpuinfo ${nominal.toFixed(2)} GHz (measured ${measuredGHz.toFixed(2)} GHz)`;
  const envClock = Number(process.env['NABLA_BENCH_CLOCK_GHZ']);
  if (Number.isFinite(envClock) && envClock > 0) {
    clock = envClock;
    source = `NABLA_BENCH_CLOCK_GHZ=${envClock}`;
  }
  const perCore = clock * fpc;
  return {
    flopsPerCycle: fpc,
    clockGHz: clock,
    clockSource: source,
    perCoreGFlops: perCore,
    allCoresGFlops: perCore * cpu.cores,
    cores: cpu.cores,
    assumption: `${cpu.cores} cores × ${clock.toFixed(2)} GHz × ${fpc} FLOP/cycle (${why}; clock: ${source})`,
  };
}

function readCpuTimes(): { idle: number; total: number } | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { idle, total: v.reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

export interface LoadSample {
  /** os.loadavg(): 1, 5 and 15-minute load averages. */
  loadavg: number[];
  /** Fraction of all CPUs busy while this process slept for `windowMs` (other processes' load); null off Linux. */
  othersBusy: number | null;
  windowMs: number;
  at: string;
}

/** Samples the load while this process is idle: loadavg plus the CPU busy fraction over a short window. */
export async function sampleLoad(windowMs = 500): Promise<LoadSample> {
  const a = readCpuTimes();
  await new Promise((r) => setTimeout(r, windowMs));
  const b = readCpuTimes();
  const othersBusy = a && b && b.total > a.total ? 1 - (b.idle - a.idle) / (b.total - a.total) : null;
  return { loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100), othersBusy: othersBusy === null ? null : Math.round(othersBusy * 1000) / 1000, windowMs, at: new Date().toISOString() };
}

export function describeLoad(s: LoadSample): string {
  const busy = s.othersBusy === null ? '' : `, other processes busy ${(s.othersBusy * 100).toFixed(0)}% of the CPUs`;
  return `load average ${s.loadavg.map((x) => x.toFixed(2)).join(' ')}${busy}`;
}
