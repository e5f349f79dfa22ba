// Recycled tensor storage (see storage.cc).
#pragma once

#include <cstddef>

namespace nb {

/**
 * A block of at least `bytes`, from the cache or fresh (its real size goes to *size_out); zero-filled
 * when `zeroed`, else holding stale values (or NaN in poison mode).
 */
void* storage_take(std::size_t bytes, bool zeroed, std::size_t* size_out);
void storage_set_poison(bool on);
/** Caps the bytes kept for reuse (default 1 GiB), releasing the excess now. */
void storage_set_cache_limit(std::size_t bytes);
std::size_t storage_cached_bytes();
/**
 * Makes an ArrayBuffer of `bytes` over a recycled block (see storage_take) and writes its v8::Local
 * handle to *out_local (the representation a napi_value has); false when memory is exhausted.
 */
bool storage_array_buffer(std::size_t bytes, bool zeroed, void* out_local);

}  // namespace nb
