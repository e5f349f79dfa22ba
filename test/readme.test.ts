// Every ```ts block in README.md must run as written (with 'nabla' resolved to this checkout).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README examples run as written', () => {
  it('has examples', () => assert.ok(blocks.length > 0));
  blocks.forEach((code, i) => {
    it(`README example ${i + 1}`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'nabla-readme-'));
      try {
        const file = join(dir, `example${i}.mts`); // .mts: ES module, so top-level await works
        writeFileSync(file, code.replaceAll("from 'nabla'", `from '${join(root, 'src', 'index.ts')}'`));
        // execFileSync throws (failing the test) when the example exits non-zero or times out.
        execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8', timeout: 120_000, stdio: 'pipe' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
