// A small fork-join pool. Idle workers block on a condition variable: on a shared 2-core machine a
// pool that keeps spinning (OpenMP's default) turns a microsecond region into milliseconds. They
// only poll for kSpinMicros after a region ends, because the next region of a training step
// usually follows within microseconds and waking a blocked thread costs tens of them on a VM; the
// calling thread likewise polls briefly for the workers to finish before it blocks. The calling
// thread takes part in every region, tasks are handed out through an atomic counter, and a region
// that starts while another one runs (nested call, or a second JavaScript thread) runs inline.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "common.h"

#if defined(_MSC_VER)
#include <malloc.h>
#endif

#if NB_X86
#include <xmmintrin.h>
#endif

namespace nb {

unsigned fpu_enter_ftz() {
#if NB_X86
  unsigned old = _mm_getcsr();
  _mm_setcsr(old | 0x8040u);  // FTZ (bit 15) | DAZ (bit 6)
  return old;
#elif defined(__aarch64__)
  uint64_t old;
  __asm__ __volatile__("mrs %0, fpcr" : "=r"(old));
  __asm__ __volatile__("msr fpcr, %0" ::"r"(old | (uint64_t(1) << 24)));  // FZ
  return unsigned(old);
#else
  return 0;
#endif
}

void fpu_restore(unsigned state) {
#if NB_X86
  _mm_setcsr(state);
#elif defined(__aarch64__)
  uint64_t v = state;
  __asm__ __volatile__("msr fpcr, %0" ::"r"(v));
#else
  (void)state;
#endif
}

namespace {

const int kSpinMicros = 50;

inline void cpu_relax() {
#if NB_X86
  _mm_pause();
#endif
}

/** Polls `done` for up to kSpinMicros; true when it turned true meanwhile. */
template <class F>
bool spin_until(const F& done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinMicros);
  for (int i = 0;; i++) {
    if (done()) return true;
    cpu_relax();
    if ((i & 63) == 63 && std::chrono::steady_clock::now() > until) return false;
  }
}

class Pool {
 public:
  Pool() {
    int n = 0;
    if (const char* env = std::getenv("NABLA_NUM_THREADS")) n = std::atoi(env);
    if (n <= 0) n = int(std::thread::hardware_concurrency());
    resize(n <= 0 ? 1 : n);
  }

  int size() const { return target_; }

  void resize(int n) {
    if (n < 1) n = 1;
    if (n > 256) n = 256;
    // Wait until no region runs (only another JavaScript thread could hold it).
    bool expected = false;
    while (!busy_.compare_exchange_weak(expected, true)) {
      expected = false;
      std::this_thread::yield();
    }
    int workers = n - 1;
    if (int(threads_.size()) > workers) {
      {
        std::lock_guard<std::mutex> lk(mu_);
        keep_ = workers;
        gen_.fetch_add(1, std::memory_order_release);
      }
      cv_work_.notify_all();
      for (std::size_t i = std::size_t(workers); i < threads_.size(); i++) threads_[i].join();
      threads_.resize(std::size_t(workers));
    }
    {
      std::lock_guard<std::mutex> lk(mu_);
      keep_ = workers;
    }
    while (int(threads_.size()) < workers) {
      int w = int(threads_.size());
      std::uint64_t g;
      {
        std::lock_guard<std::mutex> lk(mu_);
        g = gen_.load(std::memory_order_relaxed);
      }
      threads_.emplace_back([this, w, g] { worker(w, g); });
    }
    target_ = n;
    busy_.store(false);
  }

  void run(int ntasks, TaskFn fn, void* ctx) {
    bool expected = false;
    if (threads_.empty() || ntasks <= 1 || !busy_.compare_exchange_strong(expected, true)) {
      for (int t = 0; t < ntasks; t++) fn(ctx, t);
      return;
    }
    bool sleepers;
    {
      std::lock_guard<std::mutex> lk(mu_);
      fn_ = fn;
      ctx_ = ctx;
      ntasks_ = ntasks;
      next_.store(0, std::memory_order_relaxed);
      wanted_ = std::min(ntasks - 1, int(threads_.size()));
      active_.store(0, std::memory_order_relaxed);
      gen_.store(gen_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
      sleepers = sleeping_ > 0;
    }
    if (sleepers) cv_work_.notify_all();
    for (int t; (t = next_.fetch_add(1, std::memory_order_relaxed)) < ntasks;) fn(ctx, t);
    // Wait only for workers that joined this region; a worker that wakes after every task has
    // been taken never touches it, so a small region does not pay for a slow wake-up.
    {
      std::lock_guard<std::mutex> lk(mu_);
      wanted_ = 0;
    }
    if (!spin_until([this] { return active_.load(std::memory_order_acquire) == 0; })) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_done_.wait(lk, [this] { return active_.load(std::memory_order_relaxed) == 0; });
    }
    busy_.store(false);
  }

 private:
  void worker(int w, std::uint64_t seen) {
    fpu_enter_ftz();
    for (;;) {
      spin_until([&] { return gen_.load(std::memory_order_acquire) != seen; });
      std::unique_lock<std::mutex> lk(mu_);
      if (gen_.load(std::memory_order_relaxed) == seen && w < keep_) {
        ++sleeping_;
        cv_work_.wait(lk, [&] { return gen_.load(std::memory_order_relaxed) != seen || w >= keep_; });
        --sleeping_;
      }
      seen = gen_.load(std::memory_order_relaxed);
      if (w >= keep_) return;
      if (w >= wanted_ || next_.load(std::memory_order_relaxed) >= ntasks_) continue;
      TaskFn fn = fn_;
      void* ctx = ctx_;
      int ntasks = ntasks_;
      active_.fetch_add(1, std::memory_order_relaxed);
      lk.unlock();
      for (int t; (t = next_.fetch_add(1, std::memory_order_relaxed)) < ntasks;) fn(ctx, t);
      lk.lock();
      if (active_.fetch_sub(1, std::memory_order_acq_rel) == 1) cv_done_.notify_one();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_work_, cv_done_;
  std::vector<std::thread> threads_;
  std::atomic<bool> busy_{false};
  std::atomic<int> next_{0};
  std::atomic<int> active_{0};
  std::atomic<std::uint64_t> gen_{0};
  TaskFn fn_ = nullptr;
  void* ctx_ = nullptr;
  int ntasks_ = 0, wanted_ = 0, keep_ = 0, target_ = 1, sleeping_ = 0;
};

// Deliberately leaked: worker threads stay blocked until the process exits, and no static
// destructor ever joins (or terminates on) a running std::thread.
Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

struct Scratch {
  float* ptr[8] = {};
  std::size_t cap[8] = {};
  ~Scratch() {
    for (float* p : ptr) aligned_free(p);
  }
};
thread_local Scratch tls_scratch;

}  // namespace

void parallel_run(int ntasks, TaskFn fn, void* ctx) { pool().run(ntasks, fn, ctx); }
int num_threads() { return pool().size(); }
void set_num_threads(int n) { pool().resize(n); }

void* aligned_malloc(std::size_t bytes) {
  bytes = (bytes + 63) / 64 * 64;
  if (bytes == 0) bytes = 64;
#if defined(_MSC_VER)
  return _aligned_malloc(bytes, 64);
#else
  return std::aligned_alloc(64, bytes);
#endif
}

void aligned_free(void* p) {
#if defined(_MSC_VER)
  _aligned_free(p);
#else
  std::free(p);
#endif
}

float* scratch(int slot, std::size_t floats) {
  Scratch& s = tls_scratch;
  if (s.cap[slot] < floats) {
    aligned_free(s.ptr[slot]);
    std::size_t bytes = ((floats * sizeof(float) + 4095) / 4096) * 4096 + 64;
    s.ptr[slot] = static_cast<float*>(aligned_malloc(bytes));
    s.cap[slot] = (bytes - 64) / sizeof(float);
  }
  return s.ptr[slot];
}

}  // namespace nb
