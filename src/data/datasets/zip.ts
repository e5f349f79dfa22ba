// Reading one member of a zip archive (stored or deflated), enough for the archives data sets are
// published as (e.g. manythings.org's fra-eng.zip). Node-only, with node:zlib loaded lazily.
import { DataError } from '../../tensor/errors.js';
import { nodeModulesSync } from '../../io/node-modules.js';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The names of the members of a zip archive, in central-directory order. */
export function zipMembers(bytes: Uint8Array, file = 'zip archive'): string[] {
  return centralDirectory(bytes, file).map((e) => e.name);
}

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function centralDirectory(bytes: Uint8Array, file: string): Entry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is 22 bytes plus a comment of up to 65,535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new DataError(`${file}: not a zip archive (no end-of-central-directory record)`);
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const decoder = new TextDecoder();
  const out: Entry[] = [];
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) throw new DataError(`${file}: corrupt zip central directory at byte offset ${p}`);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    out.push({
      name: decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength)),
      method: view.getUint16(p + 10, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

/** The uncompressed bytes of the member `name`; a DataError when absent, unsupported or corrupt. */
export function extractZipMember(bytes: Uint8Array, name: string, file = 'zip archive'): Uint8Array {
  const entries = centralDirectory(bytes, file);
  const entry = entries.find((e) => e.name === name);
  if (entry === undefined) throw new DataError(`${file}: no member '${name}'; members: ${entries.map((e) => e.name).join(', ')}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = entry.localOffset;
  if (p + 30 > bytes.length || view.getUint32(p, true) !== LOCAL) throw new DataError(`${file}: corrupt local header of '${name}' at byte offset ${p}`);
  const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw new DataError(`${file}: '${name}' is truncated`);
  let out: Uint8Array;
  if (entry.method === 0) out = data;
  else if (entry.method === 8) {
    try {
      out = nodeModulesSync().zlib.inflateRawSync(data);
    } catch (e) {
      throw new DataError(`${file}: '${name}' does not inflate (${(e as Error).message})`);
    }
  } else throw new DataError(`${file}: '${name}' uses compression method ${entry.method}; only stored (0) and deflate (8) are supported`);
  if (out.length !== entry.size) throw new DataError(`${file}: '${name}' inflates to ${out.length} bytes, the directory says ${entry.size}`);
  return out;
}
