// GEMM driver: BLIS-style blocking and packing around the micro-kernels of gemm_kernels.cc, the
// work split over the thread pool, a direct path for tiny or vector-shaped products, and the
// batched matmul of the Backend interface.
//
// Roles, in row-major terms: a block of op(A) (MC×KC) is packed into MR-row panels and a block of
// op(B) (KC×NC, sized for L2) into NR-column panels; each A micro-panel (MR×KC, in L1) is swept
// across all B panels of the block, which stream from L2 (BLIS's loop nest with A and B swapped,
// since C is row-major and the vector lanes run along n).
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "gemm.h"

namespace nb {

static inline idx cdiv(idx a, idx b) { return (a + b - 1) / b; }
static inline idx rup(idx a, idx b) { return cdiv(a, b) * b; }

/** A full panel whose R rows are contiguous in memory (a transposed operand): fixed-size copies the compiler vectorises. */
template <int R>
static void pack_contiguous_panel(const float* NB_RESTRICT base, idx cs, idx cols, float* NB_RESTRICT dst) {
  for (idx c = 0; c < cols; c++) {
    const float* src = base + c * cs;
    float* d = dst + c * R;
    for (int r = 0; r < R; r++) d[r] = src[r];
  }
}

void pack_strided(const Mat& s, idx r0, idx rows, idx c0, idx cols, int R, float* dst) {
  for (idx q = 0; q < rows; q += R) {
    const idx rr = std::min<idx>(R, rows - q);
    const float* base = s.p + (r0 + q) * s.rs + c0 * s.cs;
    if (s.rs == 1 && rr == R && (R == 8 || R == 16 || R == 32 || R == 6)) {
      if (R == 8) pack_contiguous_panel<8>(base, s.cs, cols, dst);
      else if (R == 16) pack_contiguous_panel<16>(base, s.cs, cols, dst);
      else if (R == 32) pack_contiguous_panel<32>(base, s.cs, cols, dst);
      else pack_contiguous_panel<6>(base, s.cs, cols, dst);
    } else if (s.rs == 1) {
      for (idx c = 0; c < cols; c++) {
        const float* src = base + c * s.cs;
        float* d = dst + c * R;
        for (idx r = 0; r < rr; r++) d[r] = src[r];
        for (idx r = rr; r < R; r++) d[r] = 0.f;
      }
    } else if (s.cs == 1) {
      const float* rows[64];
      for (idx r = 0; r < rr; r++) rows[r] = base + r * s.rs;
      pack_rows(rows, int(rr), cols, R, dst);
      if (rr < R)
        for (idx c = 0; c < cols; c++)
          for (idx r = rr; r < R; r++) dst[c * R + r] = 0.f;
    } else {
      for (idx c = 0; c < cols; c++)
        for (idx r = 0; r < R; r++) dst[c * R + r] = r < rr ? base[r * s.rs + c * s.cs] : 0.f;
    }
    dst += R * cols;
  }
}

static inline void pack(const Operand& o, idx r0, idx rows, idx c0, idx cols, int R, float* dst) {
  if (o.fn != nullptr) o.fn(o.ctx, r0, rows, c0, cols, R, dst);
  else pack_strided(o.mat, r0, rows, c0, cols, R, dst);
}

/** Splits `total` into the fewest blocks of at most `block`, of equal size rounded up to `align`. */
static inline idx balanced_block(idx total, idx block, idx align) {
  idx nb = cdiv(total, block);
  return std::min(rup(cdiv(total, nb), align), rup(block, align));
}

/** C block [i0,i1)×[j0,j1) (c points at its first element) over the reduction range [k0,k1). */
static void gemm_block(const GemmProblem& g, const KernelInfo& K, idx i0, idx i1, idx j0, idx j1, idx k0, idx k1,
                       float* c, idx ldc, bool accumulate, const Epilogue* epi = nullptr) {
  const int MR = K.MR, NR = K.NR;
  const idx m = i1 - i0, n = j1 - j0, k = k1 - k0;
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (idx i = 0; i < m; i++) std::memset(c + i * ldc, 0, sizeof(float) * std::size_t(n));
    if (epi != nullptr) apply_epilogue(*epi, c, ldc, m, n, j0);
    return;
  }
  const idx KC = balanced_block(k, K.KC, 4);
  const idx MC = balanced_block(m, K.MC, MR);
  const idx NC = balanced_block(n, K.NC, NR);
  float* ap = scratch(0, std::size_t(std::min(MC, rup(m, MR)) * KC));
  float* bp = scratch(1, std::size_t(std::min(NC, rup(n, NR)) * KC));
  alignas(64) float tile[32 * 64];
  for (idx ic = 0; ic < m; ic += MC) {
    const idx mc = std::min(MC, m - ic);
    for (idx pc = 0; pc < k; pc += KC) {
      const idx kc = std::min(KC, k - pc);
      const int acc = (accumulate || pc > 0) ? 1 : 0;
      const bool last = pc + kc >= k;
      pack(g.a, i0 + ic, mc, k0 + pc, kc, MR, ap);
      for (idx jc = 0; jc < n; jc += NC) {
        const idx nc = std::min(NC, n - jc);
        pack(g.bt, j0 + jc, nc, k0 + pc, kc, NR, bp);
        for (idx ir = 0; ir < mc; ir += MR) {
          const idx mr = std::min<idx>(MR, mc - ir);
          const float* a = ap + ir * kc;
          float* crow = c + (ic + ir) * ldc + jc;
          for (idx jr = 0; jr < nc; jr += NR) {
            const idx nr = std::min<idx>(NR, nc - jr);
            const float* b = bp + jr * kc;
            if (mr == MR && nr == NR) {
              K.ukr(kc, a, b, crow + jr, ldc, acc);
              if (last && epi != nullptr) apply_epilogue(*epi, crow + jr, ldc, MR, NR, j0 + jc + jr);
            } else {
              K.ukr(kc, a, b, tile, NR, 0);
              for (idx i = 0; i < mr; i++) {
                float* cc = crow + i * ldc + jr;
                const float* t = tile + i * NR;
                if (acc)
                  for (idx j = 0; j < nr; j++) cc[j] += t[j];
                else
                  for (idx j = 0; j < nr; j++) cc[j] = t[j];
              }
              if (last && epi != nullptr) apply_epilogue(*epi, crow + jr, ldc, mr, nr, j0 + jc + jr);
            }
          }
        }
      }
    }
  }
}

// Reductions this short go to the direct loops: packing would touch every element of A for a
// handful of multiply-adds (43264×9×32, a first conv layer's im2col, ran at 0.3× numpy packed).
static const idx kSmallK = 16;

/** Unpacked loops for tiny products, short reductions and matrix-vector shapes, where packing would cost more than it saves. */
#if NB_HAVE_AVX
/**
 * C rows [i0, i1) = (or +=) A·B for a short reduction with B contiguous along n: 4 rows × 16
 * columns of C stay in registers across all of k, so four multiply-add chains run side by side.
 */
NB_TARGET_AVX512 static void gemm_smallk_avx512(const GemmProblem& g, idx i0, idx i1) {
  const Mat& A = g.a.mat;
  const Mat& Bt = g.bt.mat;
  const idx n = g.n, k = g.k;
  for (idx i = i0; i < i1; i += 4) {
    const int rows = int(std::min<idx>(4, i1 - i));
    float av[4][kSmallK];
    for (int r = 0; r < 4; r++)
      for (idx p = 0; p < k; p++) av[r][p] = A.p[(i + (r < rows ? r : 0)) * A.rs + p * A.cs];
    for (idx j = 0; j < n; j += 16) {
      const int w = int(std::min<idx>(16, n - j));
      const __mmask16 mask = __mmask16((1u << w) - 1u);
      __m512 c0 = _mm512_setzero_ps(), c1 = c0, c2 = c0, c3 = c0;
      for (idx p = 0; p < k; p++) {
        const __m512 b = _mm512_maskz_loadu_ps(mask, Bt.p + p * Bt.cs + j);
        c0 = _mm512_fmadd_ps(_mm512_set1_ps(av[0][p]), b, c0);
        c1 = _mm512_fmadd_ps(_mm512_set1_ps(av[1][p]), b, c1);
        c2 = _mm512_fmadd_ps(_mm512_set1_ps(av[2][p]), b, c2);
        c3 = _mm512_fmadd_ps(_mm512_set1_ps(av[3][p]), b, c3);
      }
      const __m512 acc[4] = {c0, c1, c2, c3};
      for (int r = 0; r < rows; r++) {
        float* c = g.c + (i + r) * g.ldc + j;
        const __m512 v = g.accumulate ? _mm512_add_ps(acc[r], _mm512_maskz_loadu_ps(mask, c)) : acc[r];
        _mm512_mask_storeu_ps(c, mask, v);
      }
    }
  }
}
#endif

/** Whether the short-reduction kernel applies (it needs AVX-512 and B contiguous along n). */
static bool smallk_applies(const GemmProblem& g) {
#if NB_HAVE_AVX
  return g.k <= kSmallK && g.bt.mat.rs == 1 && g.n >= 16 && active_isa() == Isa::Avx512;
#else
  (void)g;
  return false;
#endif
}

NB_CLONES static void gemm_direct_rows(const GemmProblem& g, idx i0, idx i1) {
  const Mat& A = g.a.mat;
  const Mat& Bt = g.bt.mat;
  const idx n = g.n, k = g.k;
  for (idx i = i0; i < i1; i++) {
    float* NB_RESTRICT c = g.c + i * g.ldc;
    const float* arow = A.p + i * A.rs;
    if (Bt.rs == 1) {
      // B's rows are contiguous along n: c[i,:] += a[i,p]·B[p,:].
      if (!g.accumulate)
        for (idx j = 0; j < n; j++) c[j] = 0.f;
      for (idx p = 0; p < k; p++) {
        const float av = arow[p * A.cs];
        const float* NB_RESTRICT brow = Bt.p + p * Bt.cs;
        for (idx j = 0; j < n; j++) c[j] += av * brow[j];
      }
    } else if (Bt.cs == 1 && A.cs == 1) {
      // Both operands contiguous along k: dot products.
      for (idx j = 0; j < n; j++) {
        const float* NB_RESTRICT brow = Bt.p + j * Bt.rs;
        float s0 = 0.f;
        for (idx p = 0; p < k; p++) s0 += arow[p] * brow[p];
        c[j] = g.accumulate ? c[j] + s0 : s0;
      }
    } else {
      if (!g.accumulate)
        for (idx j = 0; j < n; j++) c[j] = 0.f;
      for (idx p = 0; p < k; p++) {
        const float av = arow[p * A.cs];
        for (idx j = 0; j < n; j++) c[j] += av * Bt.p[j * Bt.rs + p * Bt.cs];
      }
    }
  }
}

static void gemm_direct(const GemmProblem& g, idx i0, idx i1) {
#if NB_HAVE_AVX
  if (smallk_applies(g)) gemm_smallk_avx512(g, i0, i1);
  else gemm_direct_rows(g, i0, i1);
#else
  gemm_direct_rows(g, i0, i1);
#endif
  if (g.epi != nullptr) apply_epilogue(*g.epi, g.c + i0 * g.ldc, g.ldc, i1 - i0, g.n, 0);
}

static bool use_direct(const GemmProblem& g) {
  if (g.a.fn != nullptr || g.bt.fn != nullptr) return false;
  const idx m = g.m, n = g.n, k = g.k;
  if (m * n * k <= 4096) return true;
  // One or two rows: every element of B is used once or twice, so streaming it beats packing it.
  if (m <= 2) return true;
  if (smallk_applies(g)) return true;
  if (n == 1 && g.a.mat.cs == 1 && g.bt.mat.cs == 1) return true;
  return false;
}

void gemm_serial(const GemmProblem& g) {
  if (g.m <= 0 || g.n <= 0) return;
  if (use_direct(g)) {
    gemm_direct(g, 0, g.m);
    return;
  }
  gemm_block(g, gemm_kernel(), 0, g.m, 0, g.n, 0, g.k, g.c, g.ldc, g.accumulate, g.epi);
}

// Products below this many multiply-adds stay on the calling thread: waking a blocked worker costs
// microseconds, more than the whole product.
static idx g_parallel_min_macs = 1 << 18;

void gemm(const GemmProblem& g) {
  const idx m = g.m, n = g.n, k = g.k;
  if (m <= 0 || n <= 0) return;
  const idx T = num_threads();
  if (T <= 1 || m * n * k < g_parallel_min_macs) {
    gemm_serial(g);
    return;
  }
  if (use_direct(g)) {
    if (m >= 2 * T) {
      parallel_range(m, 1, [&](idx b, idx e) { gemm_direct(g, b, e); });
      return;
    }
    // One or two rows (matrix-vector): split the columns when there are enough of them.
    if (n < 64 * T) {
      gemm_direct(g, 0, m);
      return;
    }
    GemmProblem h = g;
    parallel_range(n, 32, [&](idx b, idx e) {
      GemmProblem s = h;
      s.n = e - b;
      s.bt.mat.p = h.bt.mat.p + b * h.bt.mat.rs;
      s.c = h.c + b;
      Epilogue shifted{};
      if (h.epi != nullptr) {
        shifted = Epilogue{h.epi->bias != nullptr ? h.epi->bias + b : nullptr, h.epi->act};
        s.epi = &shifted;
      }
      gemm_direct(s, 0, s.m);
    }, 16);
    return;
  }
  const KernelInfo& K = gemm_kernel();
  const idx MR = K.MR, NR = K.NR;
  // Per-thread cost model (cycles, roughly): compute on padded tiles plus redundant packing.
  const double fma_rate = 28.0;  // multiply-adds per cycle
  const idx mp = cdiv(m, MR), np = cdiv(n, NR);
  const double cost_m = double(cdiv(mp, T) * MR) * double(np * NR) * double(k) / fma_rate + double(cdiv(mp, T) * MR) * double(k) + double(n) * double(k);
  const double cost_n = double(mp * MR) * double(cdiv(np, T) * NR) * double(k) / fma_rate + double(m) * double(k) + double(cdiv(np, T) * NR) * double(k);
  const double cost_k = double(mp * MR) * double(np * NR) * double(cdiv(k, T)) / fma_rate + double(m + n) * double(cdiv(k, T)) + double(m) * double(n) * double(T + 1);
  if (cost_k < cost_m && cost_k < cost_n && k >= 256 * T) {
    // Split the reduction: each thread accumulates a private partial product, then they are summed.
    const idx kb = rup(cdiv(k, T), 16);
    const int parts = int(cdiv(k, kb));
    float* partial = static_cast<float*>(aligned_malloc(rup(std::size_t(parts - 1) * std::size_t(m * n) * sizeof(float), 64) + 64));
    parallel_for(parts, [&](int t) {
      const idx k0 = idx(t) * kb, k1 = std::min(k, k0 + kb);
      if (t == 0) gemm_block(g, K, 0, m, 0, n, k0, k1, g.c, g.ldc, g.accumulate);
      else gemm_block(g, K, 0, m, 0, n, k0, k1, partial + std::size_t(t - 1) * std::size_t(m * n), n, false);
    });
    parallel_range(m, std::max<idx>(1, 4096 / n), [&](idx b, idx e) {
      for (idx i = b; i < e; i++) {
        float* NB_RESTRICT c = g.c + i * g.ldc;
        for (int t = 1; t < parts; t++) {
          const float* p = partial + std::size_t(t - 1) * std::size_t(m * n) + i * n;
          for (idx j = 0; j < n; j++) c[j] += p[j];
        }
        if (g.epi != nullptr) apply_epilogue(*g.epi, c, g.ldc, 1, n, 0);
      }
    });
    aligned_free(partial);
    return;
  }
  // Each chunk packs its own copy of the other operand, so products of 4M multiply-adds or more
  // use one chunk per thread (256³: 147 → 191 GFLOP/s on two threads against three chunks each);
  // smaller ones use three, so that a worker that wakes late (its core busy) leaves work to the
  // caller instead of making it wait.
  const idx per_thread = m * n * k >= (idx(1) << 22) ? 1 : 3;
  if (cost_m <= cost_n) {
    parallel_chunks(m, 4 * MR, per_thread, [&](idx b, idx e) { gemm_block(g, K, b, e, 0, n, 0, k, g.c + b * g.ldc, g.ldc, g.accumulate, g.epi); }, MR);
  } else {
    parallel_chunks(n, NR, per_thread, [&](idx b, idx e) { gemm_block(g, K, 0, m, b, e, 0, k, g.c + b, g.ldc, g.accumulate, g.epi); }, NR);
  }
}

void matmul_batched(const float* a, const float* b, float* out, idx batch, idx m, idx n, idx k, bool transA,
                    bool transB, idx aStride, idx bStride, const Epilogue* epi) {
  auto problem = [&](idx bi) {
    GemmProblem g;
    g.m = m;
    g.n = n;
    g.k = k;
    const float* ab = a + bi * aStride;
    const float* bb = b + bi * bStride;
    g.a.mat = transA ? Mat{ab, 1, m} : Mat{ab, k, 1};
    // bt is op(B) transposed (n×k): B stored k×n gives (j, p) at p·n + j; stored n×k (transB) at j·k + p.
    g.bt.mat = transB ? Mat{bb, k, 1} : Mat{bb, 1, n};
    g.c = out + bi * m * n;
    g.ldc = n;
    g.epi = epi;
    return g;
  };
  const idx T = num_threads();
  if (batch > 1 && T > 1 && batch * m * n * k >= g_parallel_min_macs && (batch % T == 0 || batch >= 4 * T || m * n * k < g_parallel_min_macs)) {
    parallel_range(batch, 1, [&](idx b0, idx b1) {
      for (idx bi = b0; bi < b1; bi++) gemm_serial(problem(bi));
    });
    return;
  }
  for (idx bi = 0; bi < batch; bi++) gemm(problem(bi));
}

}  // namespace nb
