// The main entry must bundle for browsers (DESIGN.md: nabla runs in Node.js and browsers). esbuild
// bundles src/index.ts for platform 'browser' with no `external`s and no polyfills: any static or
// literal dynamic import of a Node built-in (`node:fs`, or a package such as pngjs that needs
// `zlib`/`stream`) reachable from the entry fails that build. Node-only code loads its modules at
// run time through io/node-modules.ts (`process.getBuiltinModule`, or an `import()` of a computed
// specifier that bundlers leave alone), and pngjs through `module.createRequire`, so a browser
// bundler needs no configuration. src/data/worker-entry.ts (static `node:worker_threads`) runs only
// inside worker threads and is not part of the bundle.
//
// The bundle is then evaluated in a fresh `vm` context that has a few browser globals and no
// `process`, `Buffer` or `require`: importing it must not touch `process` at all, and the
// environment-independent parts must work there while the Node-only ones fail with a clear message.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

let build: esbuild.BuildResult<{ write: false; metafile: true }> | null = null;
let buildErrors: string[] = [];
let code = '';

const describeMessage = (m: esbuild.Message): string => `${m.text} (${m.location?.file ?? '?'}:${m.location?.line ?? '?'})`;

before(async () => {
  try {
    build = await esbuild.build({
      entryPoints: [join(root, 'src', 'index.ts')],
      absWorkingDir: root,
      platform: 'browser',
      format: 'esm',
      bundle: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    buildErrors = build.errors.map(describeMessage);
    code = build.outputFiles[0]?.text ?? '';
  } catch (e) {
    const errors = (e as { errors?: esbuild.Message[] }).errors;
    if (errors === undefined) throw e;
    buildErrors = errors.map(describeMessage);
  }
});

/** The successful build (a failed one is reported by the first test). */
function built(): esbuild.BuildResult<{ write: false; metafile: true }> {
  assert.ok(build !== null, `the browser build failed: ${buildErrors.join('; ')}`);
  return build;
}

const NODE_BUILTINS = ['assert', 'buffer', 'child_process', 'crypto', 'fs', 'fs/promises', 'http', 'https', 'module', 'os', 'path', 'stream', 'url', 'util', 'worker_threads', 'zlib'];

describe('browser bundle of src/index.ts', () => {
  it('builds for platform browser without errors or warnings', () => {
    assert.deepEqual(buildErrors, []);
    assert.deepEqual(built().warnings.map(describeMessage), []);
    assert.ok(code.length > 0);
  });

  it('imports no Node built-in, statically or by a literal dynamic import', () => {
    const imports = Object.values(built().metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    assert.deepEqual(imports, [], 'the bundle should be self-contained (nothing left external)');
    // esbuild prints real imports with double quotes; worker source code kept in strings uses single ones.
    const nodeImport = /(?:\brequire\(|\bimport\(|\bfrom\s*)"node:[^"]*"/g;
    assert.deepEqual(code.match(nodeImport) ?? [], []);
    const bare = new RegExp(`(?:\\brequire\\(|\\bimport\\(|\\bfrom\\s*)"(?:${NODE_BUILTINS.join('|')})"`, 'g');
    assert.deepEqual(code.match(bare) ?? [], []);
  });

  it('leaves out pngjs and the worker-thread entry', () => {
    const inputs = Object.keys(built().metafile.inputs);
    assert.deepEqual(
      inputs.filter((f) => f.includes('node_modules/pngjs/') || f.endsWith('worker-entry.ts')),
      [],
    );
    assert.ok(inputs.some((f) => f.includes('node_modules/jpeg-js/')), 'jpeg-js (pure JS) is bundled');
  });

  describe('evaluated without process, Buffer or require', () => {
    let nb: Record<string, any>;
    let context: vm.Context;
    const processReads: string[] = [];

    before(async () => {
      built();
      // The ESM bundle, rewrapped as a script so that node:vm can run it without --experimental-vm-modules.
      const script = await esbuild.transform(code, { format: 'iife', globalName: 'nabla', logLevel: 'silent' });
      context = vm.createContext({ console, TextEncoder, TextDecoder, URL, setTimeout, clearTimeout, queueMicrotask, navigator: { hardwareConcurrency: 2 } });
      const global = vm.runInContext('globalThis', context) as object;
      Object.defineProperty(global, 'process', {
        configurable: true,
        get() {
          processReads.push(new Error().stack?.split('\n').slice(2, 4).join(' <- ') ?? '?');
          return undefined;
        },
      });
      assert.equal(vm.runInContext('typeof Buffer + typeof require', context), 'undefinedundefined');
      vm.runInContext(script.code, context);
      nb = vm.runInContext('nabla', context) as Record<string, any>;
    });

    it('does not touch process at import time', () => {
      assert.deepEqual(processReads, []);
      assert.equal(typeof nb.tensor, 'function');
      assert.equal(typeof nb.image, 'object');
      assert.equal(typeof nb.datasets, 'object');
    });

    it('computes with tensors', () => {
      const t = nb.tensor([1, 2, 3]);
      assert.deepEqual(Array.from(t.add(t).values as Float32Array), [2, 4, 6]);
    });

    it('encodes and decodes JPEG (pure JavaScript)', () => {
      const img = nb.tensor(Array.from({ length: 8 * 8 * 3 }, (_, i) => (i * 7) % 256), [8, 8, 3], 'int32');
      const bytes = nb.image.encodeJpeg(img, { quality: 95 }) as Uint8Array;
      assert.equal(bytes[0], 0xff);
      assert.equal(bytes[1], 0xd8);
      assert.equal(vm.runInContext('typeof Buffer', context), 'undefined', 'the stand-in Buffer used by jpeg-js is removed again');
      const back = nb.image.decodeImage(bytes);
      assert.deepEqual([...back.shape], [8, 8, 3]);
    });

    it('says that PNG, image files and the data sets need Node.js', async () => {
      const img = nb.tensor([0, 60, 120, 180], [2, 2, 1], 'int32');
      assert.throws(() => nb.image.encodePng(img), (e: Error) => e.name === 'ValueError' && /encodePng: .*pngjs.*needs Node\.js/.test(e.message));
      // Typed arrays made in the context's realm (decodeImage checks `instanceof Uint8Array`).
      const png = vm.runInContext('Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0)', context) as Uint8Array;
      assert.throws(() => nb.image.decodeImage(png), (e: Error) => e.name === 'ValueError' && /decodeImage: .*needs Node\.js/.test(e.message));
      assert.throws(() => nb.image.loadImageSync('cat.png'), /Reading image files and folders .* need Node\.js; they are not available in a browser/);
      await assert.rejects(nb.image.loadImage('cat.png'), /Reading image files and folders .* need Node\.js/);
      assert.throws(() => nb.image.imageDataGenerator().flowFromDirectory('pets'), /need Node\.js/);
      await assert.rejects(nb.datasets.iris.load(), /data sets .* need Node\.js; they are not available in a browser/);
    });
  });
});
