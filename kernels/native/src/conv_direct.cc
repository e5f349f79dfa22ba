// Direct AVX-512 convolution kernels for layers with few input channels (a network's first layer:
// 1 or 3 channels). With K = kH·kW·inC of 9–27 there are only two FMAs per im2col element, so any
// packing costs more than the arithmetic; these kernels instead broadcast the input values straight
// from the image (through per-tap offsets), keeping a tile of outputs (forward) or of filter
// gradients (backward) in registers. Padding is handled by a zero-padded copy of the input, so every
// window lies inside the (padded) image.
#include <algorithm>
#include <cstring>
#include <vector>

#include "ops.h"

namespace nb {

#if NB_HAVE_AVX

namespace {

#define NB_PRAGMA(x) _Pragma(#x)
#define NB_UNROLL(n) NB_PRAGMA(GCC unroll n)

/** The input as the kernels read it: zero-padded when the windows reach outside the image. */
struct Source {
  const float* x;
  idx H, W;           // padded image size
  idx top, left;      // where image row/column 0 lies in it
  std::vector<float> padded;

  Source(const float* in, const ConvGeom& g) {
    const idx lo_y = -g.padTop, hi_y = (g.outH - 1) * g.strideH - g.padTop + (g.kH - 1) * g.dilationH;
    const idx lo_x = -g.padLeft, hi_x = (g.outW - 1) * g.strideW - g.padLeft + (g.kW - 1) * g.dilationW;
    top = std::max<idx>(0, -lo_y);
    left = std::max<idx>(0, -lo_x);
    const idx bottom = std::max<idx>(0, hi_y - (g.inH - 1)), right = std::max<idx>(0, hi_x - (g.inW - 1));
    H = g.inH + top + bottom;
    W = g.inW + left + right;
    if (top == 0 && left == 0 && bottom == 0 && right == 0) {
      x = in;
      return;
    }
    padded.assign(std::size_t(g.batch * H * W * g.inC), 0.f);
    for (idx b = 0; b < g.batch; b++)
      for (idx y = 0; y < g.inH; y++)
        std::memcpy(padded.data() + ((b * H + y + top) * W + left) * g.inC, in + (b * g.inH + y) * g.inW * g.inC,
                    sizeof(float) * std::size_t(g.inW * g.inC));
    x = padded.data();
  }

  /** Offsets of the K = (ky, kx, ci) taps from a window's origin. */
  std::vector<idx> offsets(const ConvGeom& g) const {
    std::vector<idx> off;
    for (idx ky = 0; ky < g.kH; ky++)
      for (idx kx = 0; kx < g.kW; kx++)
        for (idx ci = 0; ci < g.inC; ci++) off.push_back((ky * g.dilationH * W + kx * g.dilationW) * g.inC + ci);
    return off;
  }

  /** Window origins of output pixels [p0, p0+n). */
  void origins(const ConvGeom& g, idx p0, idx n, const float** out) const {
    const idx outHW = g.outH * g.outW;
    idx b = p0 / outHW, rem = p0 - b * outHW;
    idx oy = rem / g.outW, ox = rem - oy * g.outW;
    for (idx i = 0; i < n; i++) {
      out[i] = x + ((b * H + oy * g.strideH - g.padTop + top) * W + ox * g.strideW - g.padLeft + left) * g.inC;
      if (++ox == g.outW) {
        ox = 0;
        if (++oy == g.outH) {
          oy = 0;
          b++;
        }
      }
    }
  }
};

inline __mmask16 lane_mask(idx n) { return n >= 16 ? __mmask16(0xFFFF) : n <= 0 ? __mmask16(0) : __mmask16((1u << n) - 1u); }

/** y rows r < rows (stride ldy) = Σ_p x(r, p)·w[p, 0…32) for 8 output pixels and one 32-channel block. */
NB_TARGET_AVX512 void fwd_tile(idx K, const float* const* rp, const idx* off, const float* w, float* y, idx ldy, int rows,
                               __mmask16 m0, __mmask16 m1) {
  __m512 acc[8][2];
  const float* r[8];
  NB_UNROLL(8)
  for (int i = 0; i < 8; i++) {
    r[i] = rp[i];
    acc[i][0] = _mm512_setzero_ps();
    acc[i][1] = _mm512_setzero_ps();
  }
  for (idx p = 0; p < K; p++) {
    const idx o = off[p];
    const __m512 w0 = _mm512_load_ps(w), w1 = _mm512_load_ps(w + 16);
    w += 32;
    NB_UNROLL(8)
    for (int i = 0; i < 8; i++) {
      const __m512 a = _mm512_set1_ps(r[i][o]);
      acc[i][0] = _mm512_fmadd_ps(a, w0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(a, w1, acc[i][1]);
    }
  }
  NB_UNROLL(8)
  for (int i = 0; i < 8; i++) {
    if (i >= rows) break;
    _mm512_mask_storeu_ps(y + i * ldy, m0, acc[i][0]);
    _mm512_mask_storeu_ps(y + i * ldy + 16, m1, acc[i][1]);
  }
}

/** acc[p, 0…32) += Σ_i x(i, p)·dy[i, 0…32) over n pixels, for NP taps. */
template <int NP>
NB_TARGET_AVX512 void bwdf_group(idx n, const float* const* pp, const idx* off, const float* dy, idx ldy, __mmask16 m0,
                                 __mmask16 m1, float* out) {
  __m512 acc[NP][2];
  idx o[NP];
  NB_UNROLL(16)
  for (int p = 0; p < NP; p++) {
    acc[p][0] = _mm512_setzero_ps();
    acc[p][1] = _mm512_setzero_ps();
    o[p] = off[p];
  }
  for (idx i = 0; i < n; i++) {
    const float* x = pp[i];
    const __m512 d0 = _mm512_maskz_loadu_ps(m0, dy + i * ldy), d1 = _mm512_maskz_loadu_ps(m1, dy + i * ldy + 16);
    NB_UNROLL(16)
    for (int p = 0; p < NP; p++) {
      const __m512 a = _mm512_set1_ps(x[o[p]]);
      acc[p][0] = _mm512_fmadd_ps(a, d0, acc[p][0]);
      acc[p][1] = _mm512_fmadd_ps(a, d1, acc[p][1]);
    }
  }
  NB_UNROLL(16)
  for (int p = 0; p < NP; p++) {
    _mm512_store_ps(out + p * 32, _mm512_add_ps(_mm512_load_ps(out + p * 32), acc[p][0]));
    _mm512_store_ps(out + p * 32 + 16, _mm512_add_ps(_mm512_load_ps(out + p * 32 + 16), acc[p][1]));
  }
}

typedef void (*BwdfGroup)(idx, const float* const*, const idx*, const float*, idx, __mmask16, __mmask16, float*);
const BwdfGroup kBwdf[15] = {nullptr,         bwdf_group<1>,  bwdf_group<2>,  bwdf_group<3>,  bwdf_group<4>,
                             bwdf_group<5>,   bwdf_group<6>,  bwdf_group<7>,  bwdf_group<8>,  bwdf_group<9>,
                             bwdf_group<10>,  bwdf_group<11>, bwdf_group<12>, bwdf_group<13>, bwdf_group<14>};

}  // namespace

bool conv2d_direct(const float* x, const float* f, float* y, const ConvGeom& g, const Epilogue* epi) {
  if (active_isa() != Isa::Avx512) return false;
  const idx K = g.kH * g.kW * g.inC, M = g.batch * g.outH * g.outW, nblk = (g.outC + 31) / 32;
  if (M == 0 || g.outC == 0) return true;
  if (K == 0) {
    std::memset(y, 0, sizeof(float) * std::size_t(M * g.outC));
    if (epi != nullptr) apply_epilogue(*epi, y, g.outC, M, g.outC, 0);
    return true;
  }
  Source src(x, g);
  const std::vector<idx> off = src.offsets(g);
  // Filter blocks of 32 output channels, zero-padded: [block][K][32].
  float* wp = static_cast<float*>(aligned_malloc(std::size_t(nblk * K * 32) * sizeof(float)));
  for (idx blk = 0; blk < nblk; blk++)
    for (idx p = 0; p < K; p++)
      for (idx j = 0; j < 32; j++) {
        const idx co = blk * 32 + j;
        wp[(blk * K + p) * 32 + j] = co < g.outC ? f[p * g.outC + co] : 0.f;
      }
  const idx work_per_pixel = K * nblk * 32;
  parallel_chunks((M + 7) / 8, std::max<idx>(1, (idx(1) << 16) / std::max<idx>(work_per_pixel * 8, 1)), 4, [&](idx g0, idx g1) {
    const float* rp[8];
    for (idx grp = g0; grp < g1; grp++) {
      const idx p0 = grp * 8;
      const int rows = int(std::min<idx>(8, M - p0));
      src.origins(g, p0, rows, rp);
      for (int i = rows; i < 8; i++) rp[i] = rp[0];
      for (idx blk = 0; blk < nblk; blk++) {
        const idx c0 = blk * 32;
        fwd_tile(K, rp, off.data(), wp + blk * K * 32, y + p0 * g.outC + c0, g.outC, rows, lane_mask(g.outC - c0),
                 lane_mask(g.outC - c0 - 16));
        if (epi != nullptr) apply_epilogue(*epi, y + p0 * g.outC + c0, g.outC, rows, std::min<idx>(32, g.outC - c0), c0);
      }
    }
  });
  aligned_free(wp);
  return true;
}

bool conv2d_backprop_filter_direct(const float* x, const float* dy, float* df, const ConvGeom& g) {
  if (active_isa() != Isa::Avx512) return false;
  const idx K = g.kH * g.kW * g.inC, M = g.batch * g.outH * g.outW, nblk = (g.outC + 31) / 32;
  if (K == 0 || g.outC == 0) return true;
  Source src(x, g);
  const std::vector<idx> off = src.offsets(g);
  const idx T = num_threads();
  const idx parts = std::max<idx>(1, std::min<idx>(T, M * K * g.outC / (idx(1) << 17)));
  const std::size_t acc_size = std::size_t(nblk * K * 32);
  float* acc = static_cast<float*>(aligned_malloc(std::size_t(parts) * acc_size * sizeof(float)));
  std::memset(acc, 0, std::size_t(parts) * acc_size * sizeof(float));
  const idx per = (M + parts - 1) / parts;
  parallel_for(int(parts), [&](int t) {
    const idx b0 = idx(t) * per, b1 = std::min(M, b0 + per);
    float* mine = acc + std::size_t(t) * acc_size;
    const idx chunk = 256;
    const float* pp[256];
    for (idx c = b0; c < b1; c += chunk) {
      const idx n = std::min(chunk, b1 - c);
      src.origins(g, c, n, pp);
      for (idx blk = 0; blk < nblk; blk++) {
        const idx c0 = blk * 32;
        const __mmask16 m0 = lane_mask(g.outC - c0), m1 = lane_mask(g.outC - c0 - 16);
        for (idx p0 = 0; p0 < K; p0 += 14) {
          const idx np = std::min<idx>(14, K - p0);
          kBwdf[np](n, pp, off.data() + p0, dy + c * g.outC + c0, g.outC, m0, m1, mine + (blk * K + p0) * 32);
        }
      }
    }
  });
  for (idx p = 0; p < K; p++)
    for (idx co = 0; co < g.outC; co++) {
      const std::size_t i = std::size_t(((co / 32) * K + p) * 32 + co % 32);
      float s = 0.f;
      for (idx t = 0; t < parts; t++) s += acc[std::size_t(t) * acc_size + i];
      df[p * g.outC + co] = s;
    }
  aligned_free(acc);
  return true;
}

#else

bool conv2d_direct(const float*, const float*, float*, const ConvGeom&, const Epilogue*) { return false; }
bool conv2d_backprop_filter_direct(const float*, const float*, float*, const ConvGeom&) { return false; }

#endif

}  // namespace nb
