// BLIS-style single-precision GEMM: C (row-major, m×n, row stride ldc) = or += op(A)·op(B).
#pragma once

#include "common.h"

namespace nb {

/** A strided matrix view: logical element (r, c) is p[r*rs + c*cs]. */
struct Mat {
  const float* p;
  idx rs, cs;
};

/**
 * Packs rows [r0, r0+rows) × columns [c0, c0+cols) of a logical matrix into panels of R rows:
 * panel q holds, for every column c, the R values of rows r0+q·R … r0+q·R+R−1 contiguously
 * (rows past the end are zero). Convolutions plug their implicit im2col in here.
 */
typedef void (*PackFn)(const void* ctx, idx r0, idx rows, idx c0, idx cols, int R, float* dst);

/** Operand source: a strided matrix, or a custom packer when fn is set. */
struct Operand {
  Mat mat;
  PackFn fn = nullptr;
  const void* ctx = nullptr;
};

/**
 * One product C = op(A)·op(B) with op(A) m×k given by `a` and op(B) k×n given through its
 * transpose `bt` (n×k); when `accumulate` is set, C += instead.
 */
struct GemmProblem {
  idx m = 0, n = 0, k = 0;
  Operand a, bt;
  float* c = nullptr;
  idx ldc = 0;
  bool accumulate = false;
  /** Applied to every finished tile; the bias is indexed by the problem's own column. */
  const Epilogue* epi = nullptr;
};

/** Threaded GEMM; splits the output (or the reduction, for small outputs) over the pool. */
void gemm(const GemmProblem& g);
/** Single-threaded GEMM (for callers that parallelise at a coarser level). */
void gemm_serial(const GemmProblem& g);

/** Row-major batched matmul with the Backend interface's semantics (out = op(A[b])·op(B[b])). */
void matmul_batched(const float* a, const float* b, float* out, idx batch, idx m, idx n, idx k, bool transA,
                    bool transB, idx aStride, idx bStride, const Epilogue* epi = nullptr);

/** Generic strided panel packer (Operand without fn). */
void pack_strided(const Mat& s, idx r0, idx rows, idx c0, idx cols, int R, float* dst);

// ---- micro-kernels (gemm_kernels.cc) ----

/** c[MR×NR] (row stride ldc) = or += Σ_p a[p·MR + i]·b[p·NR + j] over p < kc. */
typedef void (*MicroKernel)(idx kc, const float* a, const float* b, float* c, idx ldc, int accumulate);

struct KernelInfo {
  const char* name;
  int MR, NR;
  idx MC, KC, NC;
  MicroKernel ukr;
};

const KernelInfo& gemm_kernel();

/**
 * Packs n ≤ R rows, given by pointers to their first element, over columns [0, len) into
 * dst[c·R + r] (rows n…R−1 are left untouched). SIMD 8×8 transposes where the CPU has AVX2.
 */
void pack_rows(const float* const* rows, int n, idx len, int R, float* dst);
void gemm_tune(const char* env);

}  // namespace nb
