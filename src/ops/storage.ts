import { backend } from '../backend/registry.js';
import { allocate, BYTES_PER_ELEMENT, type DataArray, type DType, type StorageMap, viewOf } from '../tensor/dtype.js';

// A fresh typed array costs ~0.6 µs even for 64 elements (a backing store from the allocator plus
// V8's external-memory bookkeeping), more than a whole small kernel. Small results are therefore
// carved out of shared slabs: a bump pointer into a zero-filled ArrayBuffer that is never reused,
// so every carved view starts zeroed, and a slab is freed by the GC once its last view dies. A
// tensor kept alive keeps its whole slab alive, so slabs stay small (16 KiB, results of ≤ 1 KiB):
// at most 16 KiB is pinned per long-lived small tensor that temporaries surrounded.
const SLAB_BYTES = 1 << 14;
const SMALL_BYTES = 1 << 10;
const ALIGN = 16;

let slab: ArrayBuffer | null = null;
let top = SLAB_BYTES;

function carve(dtype: DType, size: number, bytes: number): DataArray {
  if (slab === null || top + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    top = 0;
  }
  const at = top;
  top += (bytes + ALIGN - 1) & ~(ALIGN - 1);
  return viewOf(dtype, slab, at, size);
}

/**
 * Storage for a new tensor of `size` elements: the active backend's own when it offers it, a slab
 * view for small sizes, else a plain typed array. Zero-filled unless `zeroed` is false (see
 * Backend.allocate). The view may share its ArrayBuffer with other tensors, so code that hands out
 * `values.buffer` must respect byteOffset/byteLength.
 */
export function newStorage<D extends DType>(dtype: D, size: number, zeroed?: boolean): StorageMap[D];
export function newStorage(dtype: DType, size: number, zeroed = true): DataArray {
  const own = backend().allocate?.(dtype, size, zeroed);
  if (own !== undefined) return own;
  const bytes = size * BYTES_PER_ELEMENT[dtype];
  if (bytes > 0 && bytes <= SMALL_BYTES) return carve(dtype, size, bytes);
  return allocate(dtype, size);
}
