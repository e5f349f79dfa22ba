// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of UTF-8
// JSON mapping each tensor name to {dtype, shape, data_offsets: [begin, end]} (offsets relative to
// the byte after the header, tensors packed back to back with no holes) plus an optional
// "__metadata__" object of string values, then the raw little-endian, row-major bytes. This file
// is pure (no file system) so it serves browsers too; every check names `file` in its DataError.
import { BYTES_PER_ELEMENT, type DataArray, type DType } from '../tensor/dtype.js';
import { DataError, ValueError } from '../tensor/errors.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** safetensors dtype codes of the dtypes nabla stores. */
const CODES: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
const DTYPES: Record<string, DType> = { F32: 'float32', F64: 'float64', I32: 'int32', BOOL: 'bool' };

/** The reference implementation refuses headers above 100 MB; so do we. */
export const MAX_HEADER_BYTES = 100_000_000;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export interface SafetensorsContents {
  /** Tensors in header order (which is data order). */
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** The raw little-endian bytes of a tensor's values. */
function tensorBytes(t: Tensor): Uint8Array {
  const v = t.values;
  if (LITTLE_ENDIAN || BYTES_PER_ELEMENT[t.dtype] === 1) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const out = new Uint8Array(v.length * BYTES_PER_ELEMENT[t.dtype]);
  const view = new DataView(out.buffer);
  for (let i = 0; i < v.length; i++) {
    if (t.dtype === 'float32') view.setFloat32(i * 4, v[i]!, true);
    else if (t.dtype === 'float64') view.setFloat64(i * 8, v[i]!, true);
    else view.setInt32(i * 4, v[i]!, true);
  }
  return out;
}

/** Typed values of `dtype` read from little-endian bytes (copied, so the result owns its memory). */
function valuesFrom(bytes: Uint8Array, dtype: DType, count: number): DataArray {
  // A fresh, exactly sized copy (Buffer.slice would alias a shared pool, so copy explicitly).
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  if (LITTLE_ENDIAN || dtype === 'bool') {
    switch (dtype) {
      case 'float32':
        return new Float32Array(copy.buffer, 0, count);
      case 'float64':
        return new Float64Array(copy.buffer, 0, count);
      case 'int32':
        return new Int32Array(copy.buffer, 0, count);
      case 'bool':
        return copy;
    }
  }
  const view = new DataView(copy.buffer);
  if (dtype === 'float32') return Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
  if (dtype === 'float64') return Float64Array.from({ length: count }, (_, i) => view.getFloat64(i * 8, true));
  return Int32Array.from({ length: count }, (_, i) => view.getInt32(i * 4, true));
}

/**
 * Serializes named tensors (in the given order) and string metadata to safetensors bytes. The header
 * is padded with spaces to a multiple of 8 bytes, as the reference writer does, so data is aligned.
 */
export function encodeSafetensors(tensors: Iterable<readonly [string, Tensor]>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new ValueError(`safetensors: metadata value for '${k}' must be a string, got ${typeof v}`);
    }
    header['__metadata__'] = metadata;
  }
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === '__metadata__') throw new ValueError("safetensors: '__metadata__' is reserved and cannot name a tensor");
    if (Object.prototype.hasOwnProperty.call(header, name)) throw new ValueError(`safetensors: duplicate tensor name '${name}'`);
    const bytes = tensorBytes(t);
    header[name] = { dtype: CODES[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The byte offset (in the whole file) at which JSON.parse failed, when its message gives one. */
function jsonErrorOffset(message: string, headerStart: number): string {
  const m = /position (\d+)/.exec(message);
  return m ? `at byte ${headerStart + Number(m[1])}` : 'in the header';
}

function isNonNegativeInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Parses safetensors bytes, checking everything before it is used: the header length against the
 * file size, the JSON, each entry's dtype, shape and offsets, that byte ranges match dtype × shape,
 * lie inside the data and cover it exactly with no overlap. `file` names the source in errors.
 */
export function decodeSafetensors(bytes: Uint8Array, file = 'safetensors data'): SafetensorsContents {
  const fail = (problem: string): never => {
    throw new DataError(`${file}: ${problem}`);
  };
  if (bytes.length < 8) fail(`truncated file: ${bytes.length} bytes, but the 8-byte header length alone needs 8`);
  const n64 = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (n64 > BigInt(bytes.length - 8)) {
    fail(`truncated file or bad header length: the header claims ${n64} bytes but only ${bytes.length - 8} follow the 8-byte length`);
  }
  const n = Number(n64);
  if (n > MAX_HEADER_BYTES) fail(`header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (n < 2) fail(`header length ${n} is too small for a JSON object`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return fail('the header (bytes 8 to ' + (8 + n) + ') is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail(`the header at byte 8 must start with '{', found ${JSON.stringify(text.slice(0, 12))}`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    return fail(`malformed JSON header ${jsonErrorOffset(msg, 8)}: ${msg}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('the header must be a JSON object');
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: DType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__.${k} must be a string, got ${JSON.stringify(v)}`);
        metadata[k] = v as string;
      }
      continue;
    }
    const what = `tensor '${name}'`;
    if (raw === null || typeof raw !== 'object') return fail(`${what}: expected {dtype, shape, data_offsets}, got ${JSON.stringify(raw)}`);
    const e = raw as Record<string, unknown>;
    const dtype = typeof e['dtype'] === 'string' ? DTYPES[e['dtype']] : undefined;
    if (dtype === undefined) fail(`${what}: unsupported dtype ${JSON.stringify(e['dtype'])}; nabla reads ${Object.keys(DTYPES).join(', ')}`);
    const shape = e['shape'];
    if (!Array.isArray(shape) || !shape.every(isNonNegativeInt)) fail(`${what}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
    const offsets = e['data_offsets'];
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInt)) {
      fail(`${what}: data_offsets must be [begin, end] non-negative integers, got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) fail(`${what}: data_offsets [${begin}, ${end}] has begin after end`);
    if (end > dataLength) {
      fail(`truncated file: ${what} has data_offsets [${begin}, ${end}] but the data section holds only ${dataLength} bytes (file bytes ${dataStart} to ${bytes.length})`);
    }
    const expected = sizeOf(shape as number[]) * BYTES_PER_ELEMENT[dtype!];
    if (end - begin !== expected) {
      fail(`${what}: data_offsets [${begin}, ${end}] span ${end - begin} bytes but dtype ${e['dtype'] as string} and shape [${(shape as number[]).join(', ')}] need ${expected}`);
    }
    entries.push({ name, dtype: dtype!, shape: shape as number[], begin, end });
  }
  // The tensors must tile the data section exactly: sorted by offset, each starts where the last ended.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  for (const e of sorted) {
    if (e.begin !== expectedBegin) {
      fail(
        e.begin < expectedBegin
          ? `tensor '${e.name}' overlaps the previous tensor (data_offsets start at ${e.begin}, previous ends at ${expectedBegin})`
          : `the data section has a hole: bytes ${expectedBegin} to ${e.begin} belong to no tensor`,
      );
    }
    expectedBegin = e.end;
  }
  if (expectedBegin !== dataLength) {
    fail(`the data section has ${dataLength - expectedBegin} trailing bytes after the last tensor (ends at ${expectedBegin} of ${dataLength})`);
  }
  const tensors = new Map<string, Tensor>();
  for (const e of entries) {
    const count = sizeOf(e.shape);
    const values = valuesFrom(bytes.subarray(dataStart + e.begin, dataStart + e.end), e.dtype, count);
    tensors.set(e.name, new Tensor(values, e.shape, e.dtype));
  }
  return { tensors, metadata };
}
