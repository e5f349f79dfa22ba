// Tensor storage owned by the native backend. A fresh multi-megabyte typed array costs far more
// than the kernel that fills it: its pages are mapped on first touch (~3 µs a page on this VM,
// 90 MB of pooling gradient took 73 ms of faults for a 15 ms kernel). Blocks here are recycled:
// when V8 frees an ArrayBuffer made over one, the backing-store deleter (run by the GC, on any
// thread, without waiting for the event loop) returns the block to a size-keyed cache, and the
// next request of that size takes it back already mapped. Fresh large blocks ask for huge pages.
//
// Node-API has no way to make an ArrayBuffer whose deleter runs at GC time (its external buffers
// defer the callback to the event loop, so a synchronous training loop would never get a block
// back), so this one function uses V8's API; the addon is compiled against the running Node's
// headers, so the two always match.
#include "storage.h"

#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <unordered_map>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include <v8.h>

namespace nb {

namespace {

const std::size_t kGranule = std::size_t(1) << 16;
const std::size_t kHugeFrom = std::size_t(2) << 20;

struct Cache {
  std::mutex mu;
  std::unordered_map<std::size_t, std::vector<void*>> free_blocks;
  std::size_t cached = 0;
  std::size_t limit = std::size_t(1) << 30;
};

Cache& cache() {
  static Cache* c = new Cache();  // never destroyed: deleters may run during shutdown
  return *c;
}

bool g_poison = false;

std::size_t round_up(std::size_t bytes) { return (bytes + kGranule - 1) / kGranule * kGranule; }

void* fresh_block(std::size_t size) {
#if defined(__linux__)
  if (size >= kHugeFrom) {
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return nullptr;
#if defined(MADV_HUGEPAGE)
    madvise(p, size, MADV_HUGEPAGE);
#endif
    return p;
  }
#endif
  void* p = nullptr;
  if (posix_memalign(&p, 64, size) != 0) return nullptr;
  std::memset(p, 0, size);
  return p;
}

void release_block(void* p, std::size_t size) {
#if defined(__linux__)
  if (size >= kHugeFrom) {
    munmap(p, size);
    return;
  }
#endif
  std::free(p);
}

void return_block(void* data, std::size_t, void* hint) {
  const std::size_t size = reinterpret_cast<std::size_t>(hint);
  Cache& c = cache();
  {
    std::lock_guard<std::mutex> lock(c.mu);
    if (c.cached + size <= c.limit) {
      c.free_blocks[size].push_back(data);
      c.cached += size;
      return;
    }
  }
  release_block(data, size);
}

}  // namespace

void* storage_take(std::size_t bytes, bool zeroed, std::size_t* size_out) {
  const std::size_t size = round_up(bytes == 0 ? 1 : bytes);
  *size_out = size;
  Cache& c = cache();
  void* p = nullptr;
  {
    std::lock_guard<std::mutex> lock(c.mu);
    auto it = c.free_blocks.find(size);
    if (it != c.free_blocks.end() && !it->second.empty()) {
      p = it->second.back();
      it->second.pop_back();
      c.cached -= size;
    }
  }
  const bool reused = p != nullptr;
  if (p == nullptr) p = fresh_block(size);
  if (p == nullptr) return nullptr;
  if (!zeroed && g_poison) {
    float* f = static_cast<float*>(p);
    for (std::size_t i = 0; i < bytes / sizeof(float); i++) f[i] = std::numeric_limits<float>::quiet_NaN();
  } else if (zeroed && reused) {
    std::memset(p, 0, bytes);
  }
  return p;
}

void storage_set_poison(bool on) { g_poison = on; }

void storage_set_cache_limit(std::size_t bytes) {
  Cache& c = cache();
  std::vector<std::pair<void*, std::size_t>> drop;
  {
    std::lock_guard<std::mutex> lock(c.mu);
    c.limit = bytes;
    for (auto& [size, blocks] : c.free_blocks) {
      while (c.cached > c.limit && !blocks.empty()) {
        drop.emplace_back(blocks.back(), size);
        blocks.pop_back();
        c.cached -= size;
      }
    }
  }
  for (auto& [p, size] : drop) release_block(p, size);
}

std::size_t storage_cached_bytes() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mu);
  return c.cached;
}

bool storage_array_buffer(std::size_t bytes, bool zeroed, void* out_local) {
  std::size_t size = 0;
  void* p = storage_take(bytes, zeroed, &size);
  if (p == nullptr) return false;
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  std::unique_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(p, bytes, return_block, reinterpret_cast<void*>(size));
  v8::Local<v8::ArrayBuffer> ab = v8::ArrayBuffer::New(isolate, std::move(store));
  std::memcpy(out_local, &ab, sizeof ab);
  return true;
}

}  // namespace nb
