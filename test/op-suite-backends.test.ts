// The op suite (forward values, gradients, TensorFlow.js differential tests) runs in this process on
// the default backend; here it runs again, in child processes, on every other available backend.
// Float32 work goes through each backend's kernels; float64 gradchecks use the reference kernels.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as nb from '../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OP_SUITE = [
  'autograd', 'binary', 'reduce', 'movement', 'matmul', 'slicing', 'gather', 'conv', 'pool', 'activation', 'dropout', 'losses',
  'tfjs-unary', 'tfjs-binary', 'tfjs-slicing', 'tfjs-conv', 'tfjs-activation', 'tfjs-layers', 'optimizers', 'training',
].map((n) => join('test', `${n}.test.ts`));

for (const f of OP_SUITE) assert.ok(existsSync(join(root, f)), `op suite file ${f} is missing`);

const available = nb.listBackends();

// The native run also puts every tensor in recycled native storage and fills what ops leave
// uninitialized with NaN (NABLA_NATIVE_POISON), so a kernel that does not write all of its output
// fails here even where native is the default backend the suite already ran on.
const RUNS = [
  { name: 'native', env: { NABLA_BACKEND: 'native', NABLA_NATIVE_POISON: '1' }, label: 'NABLA_BACKEND=native NABLA_NATIVE_POISON=1' },
  { name: 'wasm', env: { NABLA_BACKEND: 'wasm' }, label: 'NABLA_BACKEND=wasm' },
  { name: 'cpu', env: { NABLA_BACKEND: 'cpu' }, label: 'NABLA_BACKEND=cpu' },
] as const;

describe(`op suite on the other backends (default here: ${nb.getBackend()})`, () => {
  for (const run of RUNS) {
    const skip = !available.includes(run.name)
      ? `${run.name} is not available here`
      : run.name === nb.getBackend() && run.name !== 'native' ? `${run.name} is the default, tested in-process` : false;
    it(run.label, { skip }, () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...OP_SUITE], {
        cwd: root,
        // NODE_TEST_CONTEXT would make the child think it is nested in this runner and skip its files.
        env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')), ...run.env },
        encoding: 'utf8',
        timeout: 600_000,
      });
      const tail = `${r.stdout}\n${r.stderr}`.split('\n').slice(-40).join('\n');
      assert.equal(r.status, 0, `op suite failed on ${run.label}:\n${tail}`);
      const passed = /^# pass (\d+)$/m.exec(r.stdout);
      assert.ok(passed !== null && Number(passed[1]) > 300, `expected the op suite to run hundreds of tests on ${run.label}:\n${tail}`);
    });
  }
});
