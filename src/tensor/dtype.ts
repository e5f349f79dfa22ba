import { DTypeError } from './errors.js';

/** Element types a tensor can hold. `float32` is the default; `float64` serves references and gradient checks. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

export type FloatDType = 'float32' | 'float64';

/** The typed array that backs each dtype. */
export interface StorageMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

export type DataArray = Float32Array | Float64Array | Int32Array | Uint8Array;
export type FloatArray = Float32Array | Float64Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/** Promotion order: bool < int32 < float32 < float64 (as in NumPy/PyTorch for these four types). */
const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === 'float32' || dtype === 'float64';
}

/**
 * The dtype of a binary operation's result: the higher of the two in bool < int32 < float32 < float64.
 * float32 combined with int32 stays float32 (like PyTorch, unlike NumPy which would widen to float64).
 */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The float dtype an op that needs floats computes in: float64 stays float64, everything else becomes float32. */
export function floatTypeOf(dtype: DType): FloatDType {
  return dtype === 'float64' ? 'float64' : 'float32';
}

export function allocate<D extends DType>(dtype: D, size: number): StorageMap[D];
export function allocate(dtype: DType, size: number): DataArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** A typed array of `dtype` over `length` elements of `buffer` from `byteOffset` (no copy). */
export function viewOf<D extends DType>(dtype: D, buffer: ArrayBufferLike, byteOffset: number, length: number): StorageMap[D];
export function viewOf(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, length: number): DataArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, byteOffset, length);
    case 'float64':
      return new Float64Array(buffer, byteOffset, length);
    case 'int32':
      return new Int32Array(buffer, byteOffset, length);
    case 'bool':
      return new Uint8Array(buffer, byteOffset, length);
  }
}

/** Bytes per element of each dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { float32: 4, float64: 8, int32: 4, bool: 1 };

export function dtypeOfArray(values: DataArray): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array) return 'int32';
  return 'bool';
}

/** Throws a DTypeError unless `dtype` is a float type; `what` names the op for the message. */
export function assertFloat(dtype: DType, what: string): void {
  if (!isFloat(dtype)) {
    throw new DTypeError(`${what}: expected a float32 or float64 tensor, got ${dtype}`);
  }
}
