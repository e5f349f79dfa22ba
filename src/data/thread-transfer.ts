// Moving values between threads: postMessage's structured clone drops class prototypes, so Tensors
// travel as tagged records and are rebuilt on the other side; typed arrays that own their whole
// ArrayBuffer can be transferred (moved, not copied). Errors travel as {name, message, stack}.
import { DataError, DTypeError, GradientError, NablaError, ShapeError, ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import type { DataArray, DType } from '../tensor/dtype.js';
import { isRecord } from './structure.js';

interface EncodedTensor {
  __nablaTensor: 1;
  dtype: DType;
  shape: number[];
  values: DataArray;
}

function isEncodedTensor(v: unknown): v is EncodedTensor {
  return isRecord(v) && v['__nablaTensor'] === 1;
}

/**
 * Replaces the Tensors in a structure (nested arrays and plain records) with clonable records and,
 * when `transfer` is set, lists the ArrayBuffers that can be moved: those of typed arrays (and
 * Tensors) that span their whole buffer. A moved buffer is unusable in the sending thread afterwards.
 */
export function encodeForThread(value: unknown, transfer: boolean): { value: unknown; transferList: ArrayBuffer[] } {
  const buffers = new Set<ArrayBuffer>();
  const note = (view: ArrayBufferView): void => {
    const b = view.buffer;
    if (transfer && b instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === b.byteLength) buffers.add(b);
  };
  const walk = (v: unknown): unknown => {
    if (v instanceof Tensor) {
      // A small tensor's values are a view into a shared slab; cloning the view would copy the whole slab.
      const values = v.values.byteLength === v.values.buffer.byteLength ? v.values : v.values.slice();
      note(values);
      return { __nablaTensor: 1, dtype: v.dtype, shape: [...v.shape], values } satisfies EncodedTensor;
    }
    if (ArrayBuffer.isView(v)) {
      note(v);
      return v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (isRecord(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  const encoded = walk(value);
  return { value: encoded, transferList: [...buffers] };
}

/** Rebuilds the Tensors that encodeForThread replaced. */
export function decodeFromThread(value: unknown): unknown {
  if (isEncodedTensor(value)) return new Tensor(value.values, value.shape, value.dtype);
  if (Array.isArray(value)) return value.map(decodeFromThread);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) out[k] = decodeFromThread(x);
    return out;
  }
  return value;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) return { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) };
  return { name: 'Error', message: String(e) };
}

const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  NablaError,
  ShapeError,
  DTypeError,
  ValueError,
  DataError,
  GradientError,
  TypeError,
  RangeError,
};

/** An Error of the same class (nabla's typed errors, TypeError, RangeError; Error otherwise), with `context` prefixed to the message. */
export function deserializeError(e: SerializedError, context: string): Error {
  const Cls = ERROR_CLASSES[e.name] ?? Error;
  const err = new Cls(`${context}: ${e.message}`);
  if (!(e.name in ERROR_CLASSES)) err.name = e.name;
  if (e.stack !== undefined) err.stack = `${err.name}: ${err.message}\n    --- in the worker thread ---\n${e.stack}`;
  return err;
}
