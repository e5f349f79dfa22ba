// Downloading a data set into the cache: streamed with Node's http/https (redirects followed),
// each file hashed (sha256) while it arrives and checked against the manifest, written atomically.
// Node-only; node modules are loaded lazily (see io/node-modules.ts).
//
// Atomicity: the files go into a staging folder inside the data set's cache folder
// (`<cache>/<name>/.download.tmp-<pid>-<time>-<n>/`); only when every file has arrived whole and
// its checksum (and, for data sets checked as a whole, the listing's checksum) is right are they
// renamed into place. On any failure — an HTTP error, a checksum mismatch, a transfer cut short, a
// timeout — the staging folder is deleted (and the data set's cache folder too when it was created
// for this download and is empty), so nothing partial is ever left where a loader would read it.
import { tempPathFor } from '../../io/files.js';
import { DataError } from '../../tensor/errors.js';
import type { DatasetManifest, RemoteFile } from './manifest.js';
import { type NodeModules, nodeModules } from '../../io/node-modules.js';
import { DownloadProgress, type ProgressOutput } from './progress.js';
import { extractZipMember } from './zip.js';

export interface DownloadOptions {
  /** Mirror base URL: files are fetched from `${baseUrl}/${name}/${path}` (the ../shared/data layout). */
  baseUrl?: string | undefined;
  verbose?: number;
  progressOutput?: ProgressOutput | undefined;
  /** Milliseconds without data before a transfer is abandoned (default 60,000). */
  timeoutMs?: number | undefined;
  /** Files fetched at the same time (default 4). */
  concurrency?: number;
}

/** The URL of `path` of data set `name` on a mirror. */
export function mirrorUrl(baseUrl: string, name: string, path: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
  return `${base}/${[name, ...path.split('/')].map(encodeURIComponent).join('/')}`;
}

interface Fetched {
  sha256: string;
  bytes: number;
}

/**
 * Streams `url` into the file `dest`, hashing it on the way. Follows up to 5 redirects. Rejects
 * with a DataError on an HTTP status other than 200, a connection error, a body shorter than its
 * Content-Length or cut off, or `timeoutMs` without data.
 */
export function fetchToFile(m: NodeModules, url: string, dest: string, opts: { signal: AbortSignal; timeoutMs: number; onData: (n: number) => void }, redirects = 5): Promise<Fetched> {
  return new Promise<Fetched>((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new DataError(`cannot download '${url}': not a valid URL`));
      return;
    }
    const mod = parsed.protocol === 'https:' ? m.https : parsed.protocol === 'http:' ? m.http : null;
    if (mod === null) {
      reject(new DataError(`cannot download ${url}: only http and https URLs are supported`));
      return;
    }
    let settled = false;
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      reject(e instanceof DataError ? e : new DataError(`download of ${url} failed: ${(e as Error).message ?? String(e)}`));
    };
    const req = mod.get(parsed, { signal: opts.signal, headers: { 'user-agent': 'nabla-datasets', 'accept-encoding': 'identity' } }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        res.resume();
        if (redirects <= 0) {
          fail(new DataError(`download of ${url} failed: too many redirects`));
          return;
        }
        settled = true;
        fetchToFile(m, new URL(location, parsed).href, dest, opts, redirects - 1).then(resolve, reject);
        return;
      }
      if (status !== 200) {
        res.resume();
        fail(new DataError(`download of ${url} failed: HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`));
        return;
      }
      const header = res.headers['content-length'];
      const expected = header !== undefined ? Number(header) : NaN;
      const hash = m.crypto.createHash('sha256');
      let received = 0;
      const counter = new m.stream.Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          received += chunk.length;
          opts.onData(chunk.length);
          cb(null, chunk);
        },
      });
      m.stream.promises.pipeline(res, counter, m.fs.createWriteStream(dest)).then(
        () => {
          if (!res.complete || (Number.isFinite(expected) && received !== expected)) {
            fail(new DataError(`download of ${url} was interrupted: received ${received}${Number.isFinite(expected) ? ` of ${expected}` : ''} bytes`));
            return;
          }
          if (settled) return;
          settled = true;
          resolve({ sha256: hash.digest('hex'), bytes: received });
        },
        (e: Error) => fail(new DataError(`download of ${url} was interrupted after ${received}${Number.isFinite(expected) ? ` of ${expected}` : ''} bytes (${e.message})`)),
      );
    });
    req.on('error', fail);
    req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`no data for ${opts.timeoutMs} ms`)));
  });
}

function checksumError(name: string, file: RemoteFile | { path: string }, url: string, expected: string, got: Fetched): DataError {
  return new DataError(
    `${name}: checksum mismatch for ${file.path} downloaded from ${url}: expected sha256 ${expected}, got ${got.sha256} (${got.bytes} bytes). ` +
      'The file was discarded; the source may have changed or the transfer was corrupted.',
  );
}

/** Fetches one file of the manifest into `staging`, trying its URLs in order; verifies it. */
async function fetchOne(m: NodeModules, manifest: DatasetManifest, file: RemoteFile, urls: readonly string[], staging: string, progress: DownloadProgress, signal: AbortSignal, timeoutMs: number): Promise<Fetched> {
  const dest = m.path.join(staging, ...file.path.split('/'));
  await m.fsp.mkdir(m.path.dirname(dest), { recursive: true });
  const errors: string[] = [];
  for (const url of urls) {
    const part = file.zip !== undefined ? `${dest}.zip` : dest;
    let counted = 0;
    try {
      const got = await fetchToFile(m, url, part, { signal, timeoutMs, onData: (n) => { counted += n; progress.add(n); } });
      if (file.zip !== undefined) {
        if (got.sha256 !== file.zip.sha256) throw checksumError(manifest.name, { path: `${file.path} (zip archive)` }, url, file.zip.sha256, got);
        const member = extractZipMember(await m.fsp.readFile(part), file.zip.member, url);
        await m.fsp.rm(part, { force: true });
        const sha256 = m.crypto.createHash('sha256').update(member).digest('hex');
        const inner = { sha256, bytes: member.length };
        if (file.sha256 !== undefined && sha256 !== file.sha256) throw checksumError(manifest.name, file, `${url} (member ${file.zip.member})`, file.sha256, inner);
        await m.fsp.writeFile(dest, member);
        progress.fileDone();
        return inner;
      }
      if (file.sha256 !== undefined && got.sha256 !== file.sha256) throw checksumError(manifest.name, file, url, file.sha256, got);
      progress.fileDone();
      return got;
    } catch (e) {
      await m.fsp.rm(part, { force: true }).catch(() => undefined);
      progress.add(-counted);
      if (signal.aborted) throw e;
      errors.push((e as Error).message);
    }
  }
  if (errors.length === 1) throw new DataError(errors[0]!);
  throw new DataError(`${manifest.name}: could not download ${file.path}: ${errors.join('; ')}`);
}

/** The listing (MANIFEST.tsv) text: a header, then `path<TAB>bytes<TAB>sha256` per file, sorted by path. */
export function listingText(entries: readonly { path: string; bytes: number; sha256: string }[]): string {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return `path\tbytes\tsha256\n${sorted.map((e) => `${e.path}\t${e.bytes}\t${e.sha256}\n`).join('')}`;
}

/**
 * Downloads the data set described by `manifest` into `target` (its cache folder): from the
 * canonical URLs, or from `baseUrl` when given. Files already in `target` are kept (except for data
 * sets checked as a whole through a listing, which are fetched completely).
 */
export async function downloadDataset(manifest: DatasetManifest, target: string, options: DownloadOptions = {}): Promise<void> {
  const m = await nodeModules();
  const baseUrl = options.baseUrl !== undefined && options.baseUrl !== '' ? options.baseUrl : undefined;
  const all = baseUrl !== undefined ? manifest.files : (manifest.canonicalFiles ?? manifest.files);
  const isFile = (p: string): boolean => {
    try {
      return m.fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  const wanted = manifest.listing !== undefined ? all : all.filter((f) => !isFile(m.path.join(target, ...f.path.split('/'))));
  if (wanted.length === 0) return;
  const urlsOf = (f: RemoteFile): readonly string[] => {
    if (baseUrl !== undefined) return [mirrorUrl(baseUrl, manifest.name, f.path)];
    if (f.urls === undefined || f.urls.length === 0) throw new DataError(`${manifest.name}: no download URL for ${f.path} (pass baseUrl to use a mirror)`);
    return f.urls;
  };
  for (const f of wanted) urlsOf(f); // fail before touching the disk

  const targetExisted = m.fs.existsSync(target);
  await m.fsp.mkdir(target, { recursive: true });
  const staging = tempPathFor(m.path.join(target, 'download'));
  await m.fsp.mkdir(staging, { recursive: true });
  const known = wanted.every((f) => f.bytes !== undefined || f.zip?.bytes !== undefined);
  const total = known ? wanted.reduce((s, f) => s + (f.zip?.bytes ?? f.bytes ?? 0), 0) : manifest.listing !== undefined ? (manifest.totalBytes ?? null) : null;
  const progress = new DownloadProgress(manifest.name, total, wanted.length, options.verbose ?? 1, options.progressOutput);
  const source = baseUrl !== undefined ? mirrorUrl(baseUrl, manifest.name, '') : new URL(urlsOf(wanted[0]!)[0]!).origin;
  progress.begin(source, target);
  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? 60_000;
  let ok = false;
  try {
    const results: (Fetched | undefined)[] = new Array(wanted.length);
    let next = 0;
    let firstError: unknown = null;
    const worker = async (): Promise<void> => {
      while (firstError === null && next < wanted.length) {
        const i = next++;
        try {
          results[i] = await fetchOne(m, manifest, wanted[i]!, urlsOf(wanted[i]!), staging, progress, controller.signal, timeoutMs);
        } catch (e) {
          if (firstError === null) firstError = e;
          controller.abort();
        }
      }
    };
    const concurrency = Math.max(1, Math.min(options.concurrency ?? (wanted.length > 16 ? 8 : 4), wanted.length));
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (firstError !== null) throw firstError;
    if (manifest.listing !== undefined) {
      const text = listingText(wanted.map((f, i) => ({ path: f.path, bytes: results[i]!.bytes, sha256: results[i]!.sha256 })));
      const sha = m.crypto.createHash('sha256').update(text).digest('hex');
      if (sha !== manifest.listing.sha256) {
        throw new DataError(
          `${manifest.name}: checksum mismatch for the downloaded files as a whole: the sha256 of their listing (${manifest.listing.file}) is ${sha}, expected ${manifest.listing.sha256}. ` +
            'The files were discarded.',
        );
      }
      await m.fsp.writeFile(m.path.join(staging, manifest.listing.file), text);
    }
    // Verified: move each top-level entry into place (each rename is atomic).
    for (const entry of await m.fsp.readdir(staging)) {
      const to = m.path.join(target, entry);
      const from = m.path.join(staging, entry);
      if ((await m.fsp.stat(from)).isDirectory() && m.fs.existsSync(to)) {
        // A folder already there (an earlier partial copy): move the files one by one.
        for (const f of await m.fsp.readdir(from, { recursive: true })) {
          const src = m.path.join(from, f);
          if (!(await m.fsp.stat(src)).isFile()) continue;
          await m.fsp.mkdir(m.path.dirname(m.path.join(to, f)), { recursive: true });
          await m.fsp.rename(src, m.path.join(to, f));
        }
      } else {
        await m.fsp.rename(from, to);
      }
    }
    ok = true;
  } finally {
    progress.end(ok);
    await m.fsp.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if (!ok && !targetExisted) await m.fsp.rmdir(target).catch(() => undefined);
  }
}
