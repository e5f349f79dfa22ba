// The IDX file format (MNIST, Fashion-MNIST), optionally gzip-compressed. Node-only (fs, zlib, loaded lazily).
//
// Layout, all integers big-endian: bytes 0-1 are zero; byte 2 is the element type (0x08 uint8,
// 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64); byte 3 is the number of
// dimensions d; then d uint32 sizes; then the elements, row-major.
import { DataError } from '../../tensor/errors.js';
import { nodeModulesSync } from '../../io/node-modules.js';

export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  dtype: IdxDType;
  shape: number[];
  /** The elements in row-major order, converted to the machine's byte order. */
  data: IdxData;
}

const TYPES: Readonly<Record<number, { dtype: IdxDType; bytes: number }>> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};
const CODES: Readonly<Record<IdxDType, number>> = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e };

/** The largest number of dimensions accepted (real files have 1-4; this bounds a corrupt header). */
const MAX_DIMS = 16;

/** The magic number of an IDX file with elements of `dtype` and `ndims` dimensions (2051 for MNIST images). */
export function idxMagic(dtype: IdxDType, ndims: number): number {
  return (CODES[dtype] << 8) | ndims;
}

function hex(n: number, width = 8): string {
  return `0x${n.toString(16).padStart(width, '0')}`;
}

/**
 * Parses an uncompressed IDX buffer. Every inconsistency (bad magic number, unknown element type,
 * a header or payload shorter or longer than the dimensions say) is a DataError naming `file`
 * and the byte offset.
 */
export function decodeIdx(bytes: Uint8Array, file = 'IDX data'): IdxArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4) {
    throw new DataError(`${file}: truncated IDX header: ${bytes.length} bytes, but the 4-byte magic number ends at byte offset 4`);
  }
  const magic = view.getUint32(0);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError(`${file}: not an IDX file: magic number ${hex(magic)} at byte offset 0 must start with two zero bytes (e.g. 0x00000803)`);
  }
  const type = TYPES[bytes[2]!];
  if (type === undefined) {
    throw new DataError(`${file}: invalid IDX magic number ${hex(magic)}: unknown element type ${hex(bytes[2]!, 2)} at byte offset 2 (valid: 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e)`);
  }
  const ndims = bytes[3]!;
  if (ndims === 0 || ndims > MAX_DIMS) {
    throw new DataError(`${file}: invalid IDX magic number ${hex(magic)}: ${ndims} dimensions at byte offset 3 (expected 1 to ${MAX_DIMS})`);
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new DataError(`${file}: truncated IDX header: ${ndims} dimension sizes end at byte offset ${headerBytes}, but the file has ${bytes.length} bytes`);
  }
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < ndims; i++) {
    const d = view.getUint32(4 + 4 * i);
    shape.push(d);
    count *= d;
  }
  const expected = headerBytes + count * type.bytes;
  if (!Number.isSafeInteger(expected)) {
    throw new DataError(`${file}: IDX dimensions [${shape.join(', ')}] (byte offsets 4-${headerBytes - 1}) describe an impossibly large array`);
  }
  if (bytes.length < expected) {
    const whole = Math.floor((bytes.length - headerBytes) / type.bytes);
    throw new DataError(
      `${file}: truncated IDX data: shape [${shape.join(', ')}] of ${type.dtype} needs ${expected} bytes, but the file ends at byte offset ${bytes.length} ` +
        `(${whole} of ${count} elements present)`,
    );
  }
  if (bytes.length > expected) {
    throw new DataError(`${file}: ${bytes.length - expected} unexpected bytes after the IDX data, from byte offset ${expected} (shape [${shape.join(', ')}] of ${type.dtype} ends there)`);
  }
  return { dtype: type.dtype, shape, data: readElements(view, headerBytes, count, type.dtype) };
}

function readElements(view: DataView, offset: number, count: number, dtype: IdxDType): IdxData {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(view.buffer, view.byteOffset + offset, count).slice();
    case 'int8':
      return new Int8Array(view.buffer, view.byteOffset + offset, count).slice();
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i);
      return out;
    }
  }
}

/** Serializes an array to IDX bytes (uncompressed). The inverse of decodeIdx. */
export function encodeIdx(array: IdxArray): Uint8Array {
  const { dtype, shape, data } = array;
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0 || shape.length > MAX_DIMS) throw new DataError(`encodeIdx: need 1 to ${MAX_DIMS} dimensions, got ${shape.length}`);
  if (data.length !== count) throw new DataError(`encodeIdx: shape [${shape.join(', ')}] has ${count} elements but the data has ${data.length}`);
  const size = TYPES[CODES[dtype]]!.bytes;
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + count * size);
  const view = new DataView(out.buffer);
  view.setUint32(0, idxMagic(dtype, shape.length));
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  for (let i = 0; i < count; i++) {
    const v = data[i]!;
    const at = header + i * size;
    if (dtype === 'uint8') view.setUint8(at, v);
    else if (dtype === 'int8') view.setInt8(at, v);
    else if (dtype === 'int16') view.setInt16(at, v);
    else if (dtype === 'int32') view.setInt32(at, v);
    else if (dtype === 'float32') view.setFloat32(at, v);
    else view.setFloat64(at, v);
  }
  return out;
}

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip bytes; a truncated or corrupt stream is a DataError naming `file`. */
export function gunzip(bytes: Uint8Array, file: string): Uint8Array {
  try {
    return nodeModulesSync().zlib.gunzipSync(bytes);
  } catch (e) {
    const reason = (e as Error).message;
    throw new DataError(`${file}: gzip data is truncated or corrupt (${reason}); the compressed file has ${bytes.length} bytes`);
  }
}

/** Reads an IDX file from disk, gunzipping it first when it is gzip-compressed (by content, not name). */
export function readIdxFile(path: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = nodeModulesSync().fs.readFileSync(path);
  } catch (e) {
    throw new DataError(`${path}: cannot read IDX file (${(e as Error).message})`);
  }
  return isGzip(bytes) ? decodeIdx(gunzip(bytes, path), `${path} (after gunzip)`) : decodeIdx(bytes, path);
}
