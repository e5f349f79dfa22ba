// Shared definitions of the nabla native kernels: ISA targeting macros, CPU feature detection,
// flush-to-zero control and the parallel-for entry points of the thread pool.
#pragma once

#include <cstddef>
#include <cstdint>

// NB_FORCE_PORTABLE compiles the non-x86 code path (as on ARM64) on any machine, to check it.
#if (defined(__x86_64__) || defined(_M_X64) || defined(__i386__)) && !defined(NB_FORCE_PORTABLE)
#define NB_X86 1
#else
#define NB_X86 0
#endif

#if NB_X86 && (defined(__GNUC__) || defined(__clang__))
#define NB_HAVE_AVX 1
#include <immintrin.h>
// Functions compiled for one ISA level; the dispatcher only calls them after checking the CPU.
#define NB_TARGET_AVX512 __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma,f16c")))
#define NB_TARGET_AVX2 __attribute__((target("avx2,fma,f16c")))
#else
#define NB_HAVE_AVX 0
#define NB_TARGET_AVX512
#define NB_TARGET_AVX2
#endif

// Function multiversioning for auto-vectorised elementwise loops (GCC/Clang on x86-64 ELF only;
// other platforms, musl included since it lacks ifunc, compile the portable version alone).
#if NB_X86 && defined(__linux__) && defined(__GLIBC__) && (defined(__GNUC__) || defined(__clang__)) && !defined(NB_NO_CLONES)
#define NB_CLONES __attribute__((target_clones("avx512f", "arch=haswell", "default")))
#else
#define NB_CLONES
#endif

#if defined(__GNUC__) || defined(__clang__)
#define NB_RESTRICT __restrict__
#define NB_INLINE inline __attribute__((always_inline))
#define NB_NOINLINE __attribute__((noinline))
#else
#define NB_RESTRICT
#define NB_INLINE inline
#define NB_NOINLINE
#endif

namespace nb {

typedef std::ptrdiff_t idx;

enum class Isa { Portable = 0, Avx2 = 1, Avx512 = 2 };

/** The best ISA this CPU supports (AVX-512 F/BW/DQ/VL → AVX2+FMA → portable), detected once. */
Isa detect_isa();
/** The ISA kernels use now: detect_isa() unless lowered by NABLA_NATIVE_ISA=avx2|portable. */
Isa active_isa();
void set_active_isa(Isa isa);
const char* isa_name(Isa isa);

/** Sets flush-to-zero and denormals-are-zero for the calling thread, returning the previous state. */
unsigned fpu_enter_ftz();
void fpu_restore(unsigned state);

/** RAII guard used by every exported entry point: kernels run with FTZ/DAZ, JavaScript never sees it. */
struct FtzScope {
  unsigned saved;
  FtzScope() : saved(fpu_enter_ftz()) {}
  ~FtzScope() { fpu_restore(saved); }
  FtzScope(const FtzScope&) = delete;
  FtzScope& operator=(const FtzScope&) = delete;
};

// ---- thread pool (threadpool.cc) ----

typedef void (*TaskFn)(void* ctx, int task);

/** Runs fn(ctx, t) for t in [0, ntasks) on the pool (the calling thread takes part) and waits. */
void parallel_run(int ntasks, TaskFn fn, void* ctx);
int num_threads();
void set_num_threads(int n);

/** Calls f(t) for t in [0, ntasks); inline when ntasks ≤ 1. */
template <class F>
void parallel_for(int ntasks, const F& f) {
  if (ntasks <= 1) {
    if (ntasks == 1) f(0);
    return;
  }
  parallel_run(
      ntasks, [](void* ctx, int t) { (*static_cast<const F*>(ctx))(t); }, const_cast<F*>(&f));
}

/**
 * Splits [0, n) into at most num_threads() contiguous chunks of at least `grain` items (and a
 * multiple of `align`) and runs f(begin, end) on each; small work stays on the calling thread.
 */
template <class F>
void parallel_range(idx n, idx grain, const F& f, idx align = 1) {
  if (n <= 0) return;
  idx T = num_threads();
  if (grain < 1) grain = 1;
  idx chunks = n / grain;
  if (chunks > T) chunks = T;
  if (chunks <= 1) {
    f(idx(0), n);
    return;
  }
  idx per = (n + chunks - 1) / chunks;
  per = (per + align - 1) / align * align;
  chunks = (n + per - 1) / per;
  parallel_for(int(chunks), [&](int t) {
    idx b = idx(t) * per;
    idx e = b + per < n ? b + per : n;
    if (b < e) f(b, e);
  });
}

/**
 * Like parallel_range, but cuts [0, n) into up to `per_thread`·num_threads() chunks (of at least
 * `grain`, multiples of `align`) that threads take dynamically: when a worker wakes late (another
 * process holds its core), the calling thread absorbs more chunks instead of waiting for it.
 */
template <class F>
void parallel_chunks(idx n, idx grain, idx per_thread, const F& f, idx align = 1) {
  if (n <= 0) return;
  idx T = num_threads();
  if (grain < 1) grain = 1;
  idx chunks = n / grain;
  if (chunks > T * per_thread) chunks = T * per_thread;
  if (T <= 1 || chunks <= 1) {
    f(idx(0), n);
    return;
  }
  idx per = (n + chunks - 1) / chunks;
  per = (per + align - 1) / align * align;
  chunks = (n + per - 1) / per;
  parallel_for(int(chunks), [&](int t) {
    idx b = idx(t) * per;
    idx e = b + per < n ? b + per : n;
    if (b < e) f(b, e);
  });
}

/**
 * What a GEMM or convolution applies to each output tile once its sum is complete, while the tile
 * is still in cache: out = act(out + bias[col]) (bias may be null; act is an ActId of ops.h).
 */
struct Epilogue {
  const float* bias;
  int act;
};

/** Applies `e` to a rows×cols block of c (row stride ldc) whose first column is column `col0`. */
void apply_epilogue(const Epilogue& e, float* c, idx ldc, idx rows, idx cols, idx col0);

/** 64-byte aligned heap memory (std::aligned_alloc, or _aligned_malloc with MSVC); release with aligned_free. */
void* aligned_malloc(std::size_t bytes);
void aligned_free(void* p);

/** A 64-byte aligned scratch buffer owned by the calling thread, grown on demand (never shrunk). */
float* scratch(int slot, std::size_t floats);

}  // namespace nb
