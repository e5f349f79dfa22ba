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

const others = nb.listBackends().filter((b) => b !== nb.getBackend());

describe(`op suite on the other backends (default here: ${nb.getBackend()})`, () => {
  for (const name of ['native', 'wasm', 'cpu'] as const) {
    const available = others.includes(name);
    it(`NABLA_BACKEND=${name}`, { skip: available ? false : `${name} is ${name === nb.getBackend() ? 'the default, tested in-process' : 'not available here'}` }, () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...OP_SUITE], {
        cwd: root,
        // NODE_TEST_CONTEXT would make the child think it is nested in this runner and skip its files.
        env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')), NABLA_BACKEND: name },
        encoding: 'utf8',
        timeout: 600_000,
      });
      const tail = `${r.stdout}\n${r.stderr}`.split('\n').slice(-40).join('\n');
      assert.equal(r.status, 0, `op suite failed on ${name}:\n${tail}`);
      const passed = /^# pass (\d+)$/m.exec(r.stdout);
      assert.ok(passed !== null && Number(passed[1]) > 300, `expected the op suite to run hundreds of tests on ${name}:\n${tail}`);
    });
  }
});
