#!/usr/bin/env node
// Builds the native kernels (kernels/native, a Node-API addon) with node-gyp; run by `npm install`.
// Never downloads anything: Node's headers must be on this machine (npm_config_nodedir, the
// include/ folder next to the node binary, or node-gyp's cache). It never fails the install
// either: when the compiler is missing or the build breaks, it prints one line and exits 0, and
// nabla runs on the wasm or cpu backend. NABLA_NATIVE_SKIP_BUILD=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'kernels', 'native');
const env = process.env;

function done(message, ok) {
  (ok ? console.log : console.warn)(`nabla: ${message}`);
  process.exit(0);
}
const unavailable = (why) => done(`native backend not built (${why}); nabla will use the wasm or cpu backend`, false);

if (env.NABLA_NATIVE_SKIP_BUILD && env.NABLA_NATIVE_SKIP_BUILD !== '0') unavailable('NABLA_NATIVE_SKIP_BUILD is set');
if (!existsSync(join(dir, 'binding.gyp'))) unavailable(`${join(dir, 'binding.gyp')} is missing`);

function findNodeGyp() {
  const candidates = [env.npm_config_node_gyp];
  try {
    candidates.push(createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally
  }
  const bin = dirname(process.execPath);
  candidates.push(join(bin, '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(join(bin, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((c) => c && existsSync(c));
}

const hasHeaders = (d) => d && existsSync(join(d, 'include', 'node', 'node_api.h')) && existsSync(join(d, 'include', 'node', 'common.gypi'));

function findNodeDir() {
  const version = process.versions.node;
  const candidates = [
    env.npm_config_nodedir,
    resolve(dirname(process.execPath), '..'),
    env.npm_config_devdir && join(env.npm_config_devdir, version),
    join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'node-gyp', version),
    join(homedir(), '.node-gyp', version),
    env.LOCALAPPDATA && join(env.LOCALAPPDATA, 'node-gyp', 'Cache', version),
  ];
  return candidates.find(hasHeaders);
}

const nodeGyp = findNodeGyp();
if (!nodeGyp) unavailable('node-gyp not found');
const nodeDir = findNodeDir();
if (!nodeDir) unavailable(`Node.js ${process.versions.node} headers not found locally (set npm_config_nodedir or install the Node development headers)`);

if (process.platform !== 'win32') {
  const cxx = (env.CXX || 'c++').split(' ')[0];
  const probe = spawnSync(cxx, ['--version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) unavailable(`no working C++ compiler (${cxx}); install g++ or clang, or set CXX`);
}

const started = Date.now();
const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`, '--jobs=max'], {
  cwd: dir,
  env: { ...env, npm_config_nodedir: nodeDir },
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
  timeout: 20 * 60 * 1000,
});
const log = `${result.stdout ?? ''}${result.stderr ?? ''}`;
try {
  mkdirSync(join(dir, 'build'), { recursive: true });
  writeFileSync(join(dir, 'build', 'build.log'), log);
} catch {
  // the log is a convenience
}
const addon = join(dir, 'build', 'Release', 'nabla_native.node');
if (result.error || result.status !== 0 || !existsSync(addon)) {
  const lines = log.split('\n').filter((l) => /error/i.test(l) && !/^gyp ERR! (stack|System|command|cwd|node -v|node-gyp -v|not ok)/.test(l));
  const first = lines.find((l) => /error:/.test(l)) ?? lines[0];
  const why = result.error ? result.error.message : (first ?? `node-gyp exited with ${result.status}`).trim().slice(0, 200);
  unavailable(`build failed: ${why}; log: kernels/native/build/build.log`);
}
done(`native backend built in ${((Date.now() - started) / 1000).toFixed(1)} s (${addon})`, true);
