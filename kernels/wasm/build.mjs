// Compiles the AssemblyScript kernels (assembly/) into four WebAssembly modules under build/:
// {simd, relaxed} × {mt: imports a shared memory, for the worker pool; st: a plain memory}.
// The relaxed builds use relaxed-SIMD FMA; the loader picks them when WebAssembly.validate accepts
// relaxed-SIMD. Run by `npm run build:wasm` (and so by `npm ci` through the prepare script).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, 'build');
mkdirSync(outDir, { recursive: true });

// Pages of 64 KiB: 2 GiB at most. The loader creates its memory with the same limits.
const INITIAL_PAGES = 32;
const MAXIMUM_PAGES = 32768;

const variants = [
  { name: 'simd-mt', features: ['simd', 'threads'], shared: true },
  { name: 'relaxed-mt', features: ['simd', 'relaxed-simd', 'threads'], shared: true },
  { name: 'simd-st', features: ['simd'], shared: false },
  { name: 'relaxed-st', features: ['simd', 'relaxed-simd'], shared: false },
];

for (const v of variants) {
  const args = [
    join(here, 'assembly', 'index.ts'),
    '--outFile', join(outDir, `${v.name}.wasm`),
    '-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort=',
    '--importMemory', '--initialMemory', String(INITIAL_PAGES), '--maximumMemory', String(MAXIMUM_PAGES),
    ...(v.shared ? ['--sharedMemory'] : []),
    ...v.features.flatMap((f) => ['--enable', f]),
  ];
  if (process.argv.includes('--wat')) args.push('--textFile', join(outDir, `${v.name}.wat`));
  const { error, stderr } = await asc.main(args);
  if (error) {
    console.error(stderr.toString());
    console.error(`build:wasm: ${v.name} failed: ${error.message}`);
    process.exit(1);
  }
}
console.log(`build:wasm: wrote ${variants.map((v) => `${v.name}.wasm`).join(', ')} to ${outDir}`);
