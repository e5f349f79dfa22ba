// GEMM micro-kernels: AVX-512 (MR×32 with 16-wide zmm accumulators), AVX2+FMA (6×16) and a
// portable C++ kernel that the compiler vectorises for the baseline ISA (SSE2, NEON, …). The
// x86 kernels carry target attributes, so the whole addon is built for baseline x86-64 and the
// dispatcher picks the best kernel the CPU supports at run time.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "gemm.h"

namespace nb {

#if NB_HAVE_AVX

#define NB_PRAGMA(x) _Pragma(#x)
#define NB_UNROLL(n) NB_PRAGMA(GCC unroll n)

template <int MR, int NV>
NB_TARGET_AVX512 static void ukr_avx512(idx kc, const float* NB_RESTRICT a, const float* NB_RESTRICT b, float* c,
                                        idx ldc, int accumulate) {
  __m512 acc[MR][NV];
  NB_UNROLL(32)
  for (int i = 0; i < MR; i++) {
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + 16 * NV - 1), _MM_HINT_T0);
    NB_UNROLL(8)
    for (int j = 0; j < NV; j++) acc[i][j] = _mm512_setzero_ps();
  }
  for (idx p = 0; p < kc; p++) {
    __m512 bv[NV];
    NB_UNROLL(8)
    for (int j = 0; j < NV; j++) bv[j] = _mm512_load_ps(b + 16 * j);
    NB_UNROLL(32)
    for (int i = 0; i < MR; i++) {
      __m512 av = _mm512_set1_ps(a[i]);
      NB_UNROLL(8)
      for (int j = 0; j < NV; j++) acc[i][j] = _mm512_fmadd_ps(av, bv[j], acc[i][j]);
    }
    a += MR;
    b += 16 * NV;
  }
  if (accumulate) {
    NB_UNROLL(32)
    for (int i = 0; i < MR; i++) {
      NB_UNROLL(8)
      for (int j = 0; j < NV; j++) {
        float* cp = c + i * ldc + 16 * j;
        _mm512_storeu_ps(cp, _mm512_add_ps(_mm512_loadu_ps(cp), acc[i][j]));
      }
    }
  } else {
    NB_UNROLL(32)
    for (int i = 0; i < MR; i++) {
      NB_UNROLL(8)
      for (int j = 0; j < NV; j++) _mm512_storeu_ps(c + i * ldc + 16 * j, acc[i][j]);
    }
  }
}

template <int MR, int NV>
NB_TARGET_AVX2 static void ukr_avx2(idx kc, const float* NB_RESTRICT a, const float* NB_RESTRICT b, float* c,
                                    idx ldc, int accumulate) {
  __m256 acc[MR][NV];
  NB_UNROLL(32)
  for (int i = 0; i < MR; i++) {
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
    NB_UNROLL(8)
    for (int j = 0; j < NV; j++) acc[i][j] = _mm256_setzero_ps();
  }
  for (idx p = 0; p < kc; p++) {
    __m256 bv[NV];
    NB_UNROLL(8)
    for (int j = 0; j < NV; j++) bv[j] = _mm256_load_ps(b + 8 * j);
    NB_UNROLL(32)
    for (int i = 0; i < MR; i++) {
      __m256 av = _mm256_broadcast_ss(a + i);
      NB_UNROLL(8)
      for (int j = 0; j < NV; j++) acc[i][j] = _mm256_fmadd_ps(av, bv[j], acc[i][j]);
    }
    a += MR;
    b += 8 * NV;
  }
  NB_UNROLL(32)
  for (int i = 0; i < MR; i++) {
    NB_UNROLL(8)
    for (int j = 0; j < NV; j++) {
      float* cp = c + i * ldc + 8 * j;
      __m256 v = acc[i][j];
      if (accumulate) v = _mm256_add_ps(_mm256_loadu_ps(cp), v);
      _mm256_storeu_ps(cp, v);
    }
  }
}

NB_TARGET_AVX2 static void pack_rows_avx2(const float* const* rows, int n, idx len, int R, float* dst) {
  for (int g = 0; g < n; g += 8) {
    const int gn = n - g < 8 ? n - g : 8;
    const float* p[8];
    for (int i = 0; i < 8; i++) p[i] = rows[g + (i < gn ? i : 0)];
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(gn), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    float* d = dst + g;
    idx c = 0;
    for (; c + 8 <= len; c += 8) {
      __m256 r0 = _mm256_loadu_ps(p[0] + c), r1 = _mm256_loadu_ps(p[1] + c), r2 = _mm256_loadu_ps(p[2] + c),
             r3 = _mm256_loadu_ps(p[3] + c), r4 = _mm256_loadu_ps(p[4] + c), r5 = _mm256_loadu_ps(p[5] + c),
             r6 = _mm256_loadu_ps(p[6] + c), r7 = _mm256_loadu_ps(p[7] + c);
      __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3),
             t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5),
             t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
      __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE), s2 = _mm256_shuffle_ps(t1, t3, 0x44),
             s3 = _mm256_shuffle_ps(t1, t3, 0xEE), s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE),
             s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
      __m256 col[8] = {_mm256_permute2f128_ps(s0, s4, 0x20), _mm256_permute2f128_ps(s1, s5, 0x20),
                       _mm256_permute2f128_ps(s2, s6, 0x20), _mm256_permute2f128_ps(s3, s7, 0x20),
                       _mm256_permute2f128_ps(s0, s4, 0x31), _mm256_permute2f128_ps(s1, s5, 0x31),
                       _mm256_permute2f128_ps(s2, s6, 0x31), _mm256_permute2f128_ps(s3, s7, 0x31)};
      if (gn == 8) {
        for (int j = 0; j < 8; j++) _mm256_storeu_ps(d + (c + j) * R, col[j]);
      } else {
        for (int j = 0; j < 8; j++) _mm256_maskstore_ps(d + (c + j) * R, mask, col[j]);
      }
    }
    for (; c < len; c++)
      for (int i = 0; i < gn; i++) d[c * R + i] = p[i][c];
  }
}

#endif  // NB_HAVE_AVX

static void pack_rows_portable(const float* const* rows, int n, idx len, int R, float* dst) {
  for (int r = 0; r < n; r++) {
    const float* src = rows[r];
    float* d = dst + r;
    for (idx c = 0; c < len; c++) d[c * R] = src[c];
  }
}

void pack_rows(const float* const* rows, int n, idx len, int R, float* dst) {
#if NB_HAVE_AVX
  if (active_isa() != Isa::Portable) {
    pack_rows_avx2(rows, n, len, R, dst);
    return;
  }
#endif
  pack_rows_portable(rows, n, len, R, dst);
}

/** Portable kernel: plain loops over a small accumulator tile that compilers keep in vector registers. */
template <int MR, int NR>
static void ukr_portable(idx kc, const float* NB_RESTRICT a, const float* NB_RESTRICT b, float* c, idx ldc,
                         int accumulate) {
  float acc[MR][NR] = {};
  for (idx p = 0; p < kc; p++) {
    for (int i = 0; i < MR; i++) {
      const float av = a[i];
      for (int j = 0; j < NR; j++) acc[i][j] += av * b[j];
    }
    a += MR;
    b += NR;
  }
  for (int i = 0; i < MR; i++)
    for (int j = 0; j < NR; j++) c[i * ldc + j] = accumulate ? c[i * ldc + j] + acc[i][j] : acc[i][j];
}

static KernelInfo k_portable = {"portable 4x16", 4, 16, 512, 256, 512, ukr_portable<4, 16>};
#if NB_HAVE_AVX
static KernelInfo k_avx2 = {"avx2 6x16", 6, 16, 1200, 256, 512, ukr_avx2<6, 2>};
static KernelInfo k_avx512 = {"avx512 8x32", 8, 32, 2048, 384, 512, ukr_avx512<8, 2>};

static const KernelInfo k_avx512_variants[] = {
    {"avx512 14x32", 14, 32, 2044, 256, 512, ukr_avx512<14, 2>},
    {"avx512 12x32", 12, 32, 2040, 256, 512, ukr_avx512<12, 2>},
    {"avx512 8x32", 8, 32, 2048, 256, 512, ukr_avx512<8, 2>},
    {"avx512 6x64", 6, 64, 2046, 256, 512, ukr_avx512<6, 4>},
    {"avx512 8x48", 8, 48, 2048, 256, 512, ukr_avx512<8, 3>},
    {"avx512 10x32", 10, 32, 2040, 256, 512, ukr_avx512<10, 2>},
    {"avx512 4x64", 4, 64, 2048, 256, 512, ukr_avx512<4, 4>},
};
#endif

const KernelInfo& gemm_kernel() {
  switch (active_isa()) {
#if NB_HAVE_AVX
    case Isa::Avx512:
      return k_avx512;
    case Isa::Avx2:
      return k_avx2;
#endif
    default:
      return k_portable;
  }
}

/** Development hook: NABLA_GEMM_TUNE="variant,MC,KC,NC" overrides the AVX-512 kernel choice and blocking. */
void gemm_tune(const char* env) {
#if NB_HAVE_AVX
  if (env == nullptr || *env == 0) return;
  int v = 0;
  long mc = 0, kc = 0, nc = 0;
  if (std::sscanf(env, "%d,%ld,%ld,%ld", &v, &mc, &kc, &nc) < 1) return;
  if (v >= 0 && v < int(sizeof(k_avx512_variants) / sizeof(k_avx512_variants[0]))) k_avx512 = k_avx512_variants[v];
  if (mc > 0) k_avx512.MC = mc;
  if (kc > 0) k_avx512.KC = kc;
  if (nc > 0) k_avx512.NC = nc;
  if (mc > 0) k_avx2.MC = mc;
  if (kc > 0) k_avx2.KC = kc;
  if (nc > 0) k_avx2.NC = nc;
#else
  (void)env;
#endif
}

}  // namespace nb
