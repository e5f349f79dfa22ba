// The download path of the built-in data sets, against a local HTTP server on 127.0.0.1 that serves
// ../shared/data (and small fixtures): a download lands in the cache and loads; a second load uses
// the cache without a request; a corrupted file, a transfer cut mid-body and an HTTP 404 are
// DataErrors that leave nothing in the cache (no temporary file either).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import * as nb from '../src/index.js';
import { type DatasetManifest, downloadDataset, extractZipMember, listingText, resolveDataset } from '../src/data/datasets/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', 'shared', 'data');
const tmp = mkdtempSync(join(tmpdir(), 'nabla-download-'));
// An empty NABLA_DATA: the ../shared/data convenience fallback must not satisfy these loads.
const emptyData = join(tmp, 'empty-data');
mkdirSync(emptyData);
process.env['NABLA_DATA'] = emptyData;
process.env['NABLA_CACHE_DIR'] = join(tmp, 'default-cache');
delete process.env['NABLA_DATA_URL'];

const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/** Every file and folder under `dir`, relative ('' when the folder does not exist). */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

type Mode = 'ok' | 'corrupt' | 'cut' | 'error500' | 'redirect';
interface ServerState {
  requests: string[];
  modes: Map<string, Mode>;
  fixtures: Map<string, Uint8Array>;
}
const state: ServerState = { requests: [], modes: new Map(), fixtures: new Map() };
let server: Server;
let base = '';

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  state.requests.push(url);
  const mode = state.modes.get(url) ?? 'ok';
  if (mode === 'error500') {
    res.writeHead(500).end('boom');
    return;
  }
  if (mode === 'redirect') {
    res.writeHead(302, { location: `/redirected${url}` }).end();
    return;
  }
  const path = url.replace(/^\/redirected/, '');
  let body = state.fixtures.get(path);
  if (body === undefined && !path.includes('..') && path.startsWith('/data/')) {
    const file = join(shared, path.slice('/data/'.length));
    if (existsSync(file)) body = readFileSync(file);
  }
  if (body === undefined) {
    res.writeHead(404).end('not found');
    return;
  }
  if (mode === 'corrupt') {
    body = Uint8Array.from(body);
    body[Math.floor(body.length / 2)]! ^= 0x20;
  }
  res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
  if (mode === 'cut') {
    // Half the body, then the connection dies.
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => res.socket?.destroy(), 20));
    return;
  }
  res.end(body);
}

before(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  state.requests = [];
  state.modes.clear();
  state.fixtures.clear();
});

let cacheCount = 0;
const freshCache = (): string => join(tmp, `cache-${cacheCount++}`);
const skipShared = (name: string): string | false => (existsSync(join(shared, name)) ? false : `../shared/data/${name} is not present on this machine`);

async function rejectsWith(p: Promise<unknown>, parts: string[]): Promise<Error> {
  let caught: unknown = null;
  await p.catch((e: unknown) => {
    caught = e;
  });
  assert.ok(caught instanceof nb.DataError, `expected a DataError, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`);
  for (const part of parts) assert.ok((caught as Error).message.includes(part), `message "${(caught as Error).message}" lacks "${part}"`);
  return caught as Error;
}

/** A tiny manifest of fixture files served under /fixtures/<name>/ (a "slice-size" data set). */
function fixtureSet(name: string, files: Record<string, string>): DatasetManifest {
  for (const [path, text] of Object.entries(files)) state.fixtures.set(`/data/${name}/${path}`, new TextEncoder().encode(text));
  return { name, files: Object.entries(files).map(([path, text]) => ({ path, sha256: sha256(text), bytes: Buffer.byteLength(text) })) };
}

/** A zip archive (stored, no compression; or deflated) of the given members. */
function makeZip(members: Record<string, Uint8Array>, deflate = true): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(members)) {
    const packed = deflate ? deflateRawSync(data) : Buffer.from(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(deflate ? 8 : 0, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Object.keys(members).length, 8);
  eocd.writeUInt16LE(Object.keys(members).length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

describe('downloading into the cache (local mirror on 127.0.0.1)', () => {
  it('downloads iris from the mirror into the cache, loads it, and then loads from the cache without a request', { skip: skipShared('iris') }, async () => {
    const cacheDir = freshCache();
    const { x, y, classNames } = await nb.datasets.iris.load({ cacheDir, baseUrl: `${base}/data`, verbose: 0 });
    assert.deepEqual([...x.shape], [150, 4]);
    assert.deepEqual([...y.shape], [150]);
    assert.deepEqual(classNames, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(state.requests, ['/data/iris/iris.csv']);
    assert.deepEqual(tree(cacheDir), ['iris', join('iris', 'iris.csv')]);
    assert.equal(sha256(readFileSync(join(cacheDir, 'iris', 'iris.csv'))), sha256(readFileSync(join(shared, 'iris', 'iris.csv'))));
    // Second load: from the cache, no request (the server would now fail it anyway).
    state.modes.set('/data/iris/iris.csv', 'error500');
    const again = await nb.datasets.iris.load({ cacheDir, baseUrl: `${base}/data`, verbose: 0 });
    assert.deepEqual([...again.x.values], [...x.values]);
    assert.equal(state.requests.length, 1);
  });

  it('uses NABLA_CACHE_DIR and NABLA_DATA_URL when no options are given (wine)', { skip: skipShared('wine') }, async () => {
    const cacheDir = freshCache();
    process.env['NABLA_CACHE_DIR'] = cacheDir;
    process.env['NABLA_DATA_URL'] = `${base}/data/`;
    try {
      const out: string[] = [];
      const { x, y, featureNames } = await nb.datasets.wine.load({ progressOutput: { isTTY: false, write: (s) => out.push(s) } });
      assert.deepEqual([...x.shape], [178, 13]);
      assert.equal(featureNames[12], 'proline');
      assert.deepEqual([0, 1, 2].map((c) => y.equal(c).cast('int32').sum().item()), [59, 71, 48]);
      assert.deepEqual(state.requests, ['/data/wine/wine_data.csv']);
      // Not a terminal: exactly one line.
      assert.equal(out.length, 1);
      assert.match(out[0]!, /^Downloading wine \(1 file, 11\.2 kB\) from http:\/\/127\.0\.0\.1:\d+\/data\/wine\/ into .*wine\n$/);
      assert.ok(existsSync(join(cacheDir, 'wine', 'wine_data.csv')));
    } finally {
      process.env['NABLA_CACHE_DIR'] = join(tmp, 'default-cache');
      delete process.env['NABLA_DATA_URL'];
    }
  });

  it('a corrupted file is a checksum DataError and leaves nothing in the cache', { skip: skipShared('wine') }, async () => {
    const cacheDir = freshCache();
    state.modes.set('/data/wine/wine_data.csv', 'corrupt');
    await rejectsWith(nb.datasets.wine.load({ cacheDir, baseUrl: `${base}/data`, verbose: 0 }), [
      'wine: checksum mismatch for wine_data.csv', `${base}/data/wine/wine_data.csv`, 'expected sha256 10e8a802908b34f86e5da8ce962f3c806694bc98450a18f61851af59f324bede', '11157 bytes',
    ]);
    assert.deepEqual(tree(cacheDir), []);
    // The same cache then works once the mirror is healthy.
    state.modes.clear();
    assert.equal((await nb.datasets.wine.load({ cacheDir, baseUrl: `${base}/data`, verbose: 0 })).x.shape[0], 178);
  });

  it('a transfer cut off mid-body is a DataError and leaves nothing in the cache', async () => {
    const cacheDir = freshCache();
    const manifest = fixtureSet('cut', { 'a.txt': 'first file\n', 'big.bin': 'x'.repeat(200_000) });
    state.modes.set('/data/cut/big.bin', 'cut');
    await rejectsWith(resolveDataset('cut', ['a.txt', 'big.bin'], { cacheDir, baseUrl: `${base}/data`, manifest, verbose: 0 }), ['/data/cut/big.bin', 'interrupted']);
    assert.deepEqual(tree(cacheDir), []);
  });

  it('HTTP 404 is a DataError with the URL; nothing left behind', async () => {
    const cacheDir = freshCache();
    const manifest: DatasetManifest = { name: 'gone', files: [{ path: 'missing.csv', sha256: sha256('x') }] };
    await rejectsWith(resolveDataset('gone', ['missing.csv'], { cacheDir, baseUrl: `${base}/data`, manifest, verbose: 0 }), [`${base}/data/gone/missing.csv`, 'HTTP 404']);
    assert.deepEqual(tree(cacheDir), []);
  });

  it('download: false names every path tried and makes no request', async () => {
    const cacheDir = freshCache();
    await rejectsWith(nb.datasets.tinyShakespeare.load({ dir: join(tmp, 'nowhere'), cacheDir, download: false, baseUrl: `${base}/data` }), [
      'tinyshakespeare: data set not found', join(tmp, 'nowhere'), join(tmp, 'nowhere', 'tinyshakespeare'), join(emptyData, 'tinyshakespeare'), join(cacheDir, 'tinyshakespeare'), 'download: false',
    ]);
    assert.equal(state.requests.length, 0);
  });

  it('follows redirects, keeps files already cached, and draws a progress bar on a terminal', async () => {
    const cacheDir = freshCache();
    const manifest = fixtureSet('small', { 'one.txt': 'one\n', 'two.txt': 'two two\n', 'sub/three.txt': 'three\n' });
    state.modes.set('/data/small/two.txt', 'redirect');
    const out: string[] = [];
    const found = await resolveDataset('small', ['one.txt', 'two.txt', 'sub/three.txt'], { cacheDir, baseUrl: `${base}/data`, manifest, progressOutput: { isTTY: true, columns: 200, write: (s) => out.push(s) } });
    assert.equal(found.from, 'cache');
    assert.equal(readFileSync(found.files[1]!, 'utf8'), 'two two\n');
    assert.ok(state.requests.includes('/redirected/data/small/two.txt'));
    const last = out[out.length - 1]!;
    assert.ok(last.startsWith('\rsmall [==============================] 18 B/18 B - 3/3 files'), JSON.stringify(last));
    assert.ok(last.endsWith('\n'));
    // One file deleted: only it is fetched again.
    rmSync(join(cacheDir, 'small', 'two.txt'));
    state.requests = [];
    await downloadDataset(manifest, join(cacheDir, 'small'), { baseUrl: `${base}/data`, verbose: 0 });
    assert.deepEqual(state.requests, ['/data/small/two.txt', '/redirected/data/small/two.txt']);
    assert.deepEqual(tree(join(cacheDir, 'small')), ['one.txt', 'sub', join('sub', 'three.txt'), 'two.txt']);
  });

  it('canonical sources: tries the next URL after a failure, and extracts a file from a zip archive', async () => {
    const cacheDir = freshCache();
    const text = 'Go.\tVa !\nRun!\tCours\u202f!\n';
    const zip = makeZip({ '_about.txt': new TextEncoder().encode('about'), 'fra.txt': new TextEncoder().encode(text) });
    state.fixtures.set('/canonical/fra-eng.zip', zip);
    state.modes.set('/broken/fra-eng.zip', 'error500');
    const manifest: DatasetManifest = {
      name: 'tatoeba-fra-eng',
      files: [],
      canonicalFiles: [{ path: 'fra.txt', sha256: sha256(text), urls: [`${base}/broken/fra-eng.zip`, `${base}/canonical/fra-eng.zip`], zip: { member: 'fra.txt', sha256: sha256(zip), bytes: zip.length } }],
    };
    const data = await nb.datasets.fraEng.load({ cacheDir, manifest, verbose: 0, normalizeSpaces: true });
    assert.deepEqual(data.pairs, [['Go.', 'Va !'], ['Run!', 'Cours !']]);
    assert.deepEqual(tree(join(cacheDir, 'tatoeba-fra-eng')), ['fra.txt']);
    assert.deepEqual(state.requests, ['/broken/fra-eng.zip', '/canonical/fra-eng.zip']);
    // A wrong archive checksum: error, nothing cached.
    const cache2 = freshCache();
    const bad = { ...manifest, canonicalFiles: [{ ...manifest.canonicalFiles![0]!, urls: [`${base}/canonical/fra-eng.zip`], zip: { member: 'fra.txt', sha256: '0'.repeat(64) } }] };
    await rejectsWith(nb.datasets.fraEng.load({ cacheDir: cache2, manifest: bad, verbose: 0 }), ['checksum mismatch', 'fra.txt (zip archive)']);
    assert.deepEqual(tree(cache2), []);
    assert.equal(new TextDecoder().decode(extractZipMember(makeZip({ a: new Uint8Array([104, 105]) }, false), 'a')), 'hi');
  });

  it('data sets checked as a whole (FSDD style): the listing sha256 must match; it is saved as MANIFEST.tsv', { skip: skipShared('fsdd') }, async () => {
    const names = ['recordings/0_george_0.wav', 'recordings/3_theo_7.wav', 'recordings/9_yweweler_49.wav'];
    const bytes = names.map((n) => readFileSync(join(shared, 'fsdd', n)));
    const listing = listingText(names.map((path, i) => ({ path, bytes: bytes[i]!.length, sha256: sha256(bytes[i]!) })));
    const manifest: DatasetManifest = { name: 'fsdd', files: names.map((path) => ({ path })), listing: { file: 'MANIFEST.tsv', sha256: sha256(listing) } };
    const cacheDir = freshCache();
    const data = await nb.datasets.fsdd.load({ cacheDir, baseUrl: `${base}/data`, manifest, verbose: 0 });
    assert.deepEqual(data.recordings.map((r) => [r.digit, r.speaker, r.index, r.split]), [[0, 'george', 0, 'test'], [3, 'theo', 7, 'train'], [9, 'yweweler', 49, 'train']]);
    assert.equal(readFileSync(join(cacheDir, 'fsdd', 'MANIFEST.tsv'), 'utf8'), listing);
    // Every line of the real manifest matches, so the format is the published one.
    const published = readFileSync(join(shared, 'fsdd', 'MANIFEST.tsv'), 'utf8').split('\n');
    for (const line of listing.split('\n').slice(1, -1)) assert.ok(published.includes(line), line);
    // One file altered on the mirror: the listing no longer matches; nothing is left.
    const cache2 = freshCache();
    state.modes.set('/data/fsdd/recordings/3_theo_7.wav', 'corrupt');
    await rejectsWith(nb.datasets.fsdd.load({ cacheDir: cache2, baseUrl: `${base}/data`, manifest, verbose: 0 }), ['fsdd: checksum mismatch for the downloaded files as a whole', 'MANIFEST.tsv']);
    assert.deepEqual(tree(cache2), []);
  });

  it('the built-in manifests match the files in ../shared/data (sha256 and size)', { skip: skipShared('iris') }, async () => {
    const { MANIFESTS } = await import('../src/data/datasets/manifest.js');
    for (const m of Object.values(MANIFESTS)) {
      if (!existsSync(join(shared, m.name))) continue;
      if (m.listing !== undefined) {
        assert.equal(sha256(readFileSync(join(shared, m.name, m.listing.file))), m.listing.sha256, m.name);
        assert.equal(m.files.length, readFileSync(join(shared, m.name, m.listing.file), 'utf8').trim().split('\n').length - 1);
        continue;
      }
      for (const f of m.files) {
        const b = readFileSync(join(shared, m.name, f.path));
        assert.equal(sha256(b), f.sha256, `${m.name}/${f.path}`);
        assert.equal(b.length, f.bytes, `${m.name}/${f.path}`);
      }
    }
  });

  it('src/data/datasets imports no node: module at the top level (browser bundles stay clean)', () => {
    const dir = join(root, 'src', 'data', 'datasets');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const bad = readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => /^\s*(import|export)\b(?!\s+type\b).*['"]node:/.test(l));
      assert.deepEqual(bad, [], `${f} imports a node: module at the top level`);
    }
  });
});
