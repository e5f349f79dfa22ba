// 2-D convolutions in NHWC with HWIO filters, as implicit GEMMs: the im2col matrix is never built,
// its blocks are packed straight from the image by the GEMM's packing hook.
//   forward          Y[pix, co]  = Σ_p  im2col(X)[pix, p] · W[p, co]          (p = (ky, kx, ci))
//   backprop filter  dW[p, co]   = Σ_pix im2col(X)[pix, p] · dY[pix, co]
//   backprop input   stride 1: a forward convolution of dY with the flipped, transposed filter;
//                    otherwise dCols = dY · Wᵀ in row chunks, scattered back (col2im).
// Depthwise convolutions are direct loops vectorised over channels.
#include <algorithm>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "ops.h"

namespace nb {

namespace {

/** Implicit im2col rows: row = output pixel, column = (ky, kx, ci). */
void pack_im2col(const void* ctx, idx r0, idx rows, idx c0, idx cols, int R, float* dst) {
  const auto* s = static_cast<const std::pair<const float*, const ConvGeom*>*>(ctx);
  const float* x = s->first;
  const ConvGeom& g = *s->second;
  const idx inC = g.inC, outHW = g.outH * g.outW;
  // Rows that fall in the padding read from a zero run as long as one channel segment.
  float* zeros = scratch(3, std::size_t(inC) + 16);
  std::memset(zeros, 0, sizeof(float) * std::size_t(inC));
  const float* xb[64];
  idx iy0[64], ix0[64];
  const float* ptr[64];
  for (idx q = 0; q < rows; q += R) {
    const idx rr = std::min<idx>(R, rows - q);
    for (idx r = 0; r < rr; r++) {
      const idx pix = r0 + q + r;
      const idx b = pix / outHW, rem = pix - b * outHW;
      const idx oy = rem / g.outW, ox = rem - oy * g.outW;
      xb[r] = x + b * g.inH * g.inW * inC;
      iy0[r] = oy * g.strideH - g.padTop;
      ix0[r] = ox * g.strideW - g.padLeft;
    }
    idx c = c0;
    idx tap = c / inC, ci = c - tap * inC;
    const idx cend = c0 + cols;
    while (c < cend) {
      const idx len = std::min(inC - ci, cend - c);
      const idx ky = tap / g.kW, kx = tap - ky * g.kW;
      const idx dy = ky * g.dilationH, dx = kx * g.dilationW;
      for (idx r = 0; r < rr; r++) {
        const idx iy = iy0[r] + dy, ix = ix0[r] + dx;
        ptr[r] = (iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW) ? xb[r] + (iy * g.inW + ix) * inC + ci : zeros;
      }
      pack_rows(ptr, int(rr), len, R, dst + (c - c0) * R);
      c += len;
      ci = 0;
      tap++;
    }
    if (rr < R)
      for (idx c2 = 0; c2 < cols; c2++)
        for (idx r = rr; r < R; r++) dst[c2 * R + r] = 0.f;
    dst += R * cols;
  }
}

/** Implicit im2colᵀ rows: row = (ky, kx, ci), column = output pixel (for the filter gradient). */
void pack_im2col_t(const void* ctx, idx r0, idx rows, idx c0, idx cols, int R, float* dst) {
  const auto* s = static_cast<const std::pair<const float*, const ConvGeom*>*>(ctx);
  const float* x = s->first;
  const ConvGeom& g = *s->second;
  const idx inC = g.inC, outHW = g.outH * g.outW;
  idx kyd[64], kxd[64], cis[64];
  for (idx q = 0; q < rows; q += R) {
    const idx rr = std::min<idx>(R, rows - q);
    bool one_tap = true;
    for (idx r = 0; r < rr; r++) {
      const idx p = r0 + q + r;
      const idx tap = p / inC;
      cis[r] = p - tap * inC;
      const idx ky = tap / g.kW;
      kyd[r] = ky * g.dilationH;
      kxd[r] = (tap - ky * g.kW) * g.dilationW;
      one_tap = one_tap && kyd[r] == kyd[0] && kxd[r] == kxd[0];
    }
    idx b = c0 / outHW, rem = c0 - b * outHW;
    idx oy = rem / g.outW, ox = rem - oy * g.outW;
    for (idx c = 0; c < cols; c++) {
      float* d = dst + c * R;
      const float* xb = x + b * g.inH * g.inW * inC;
      const idx iy0 = oy * g.strideH - g.padTop, ix0 = ox * g.strideW - g.padLeft;
      if (one_tap) {
        const idx iy = iy0 + kyd[0], ix = ix0 + kxd[0];
        if (iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW) {
          const float* src = xb + (iy * g.inW + ix) * inC + cis[0];
          for (idx r = 0; r < rr; r++) d[r] = src[r];
        } else {
          for (idx r = 0; r < rr; r++) d[r] = 0.f;
        }
      } else {
        for (idx r = 0; r < rr; r++) {
          const idx iy = iy0 + kyd[r], ix = ix0 + kxd[r];
          d[r] = (iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW) ? xb[(iy * g.inW + ix) * inC + cis[r]] : 0.f;
        }
      }
      for (idx r = rr; r < R; r++) d[r] = 0.f;
      if (++ox == g.outW) {
        ox = 0;
        if (++oy == g.outH) {
          oy = 0;
          b++;
        }
      }
    }
    dst += R * cols;
  }
}

bool is_pointwise(const ConvGeom& g) {
  return g.kH == 1 && g.kW == 1 && g.strideH == 1 && g.strideW == 1 && g.padTop == 0 && g.padLeft == 0 && g.outH == g.inH &&
         g.outW == g.inW;
}

}  // namespace

// Below this many input channels a direct kernel beats im2col packing (see conv_direct.cc).
const idx kDirectMaxInC = 8;

void conv2d(const float* x, const float* f, float* y, const ConvGeom& g, const Epilogue* epi) {
  if (g.inC < kDirectMaxInC && conv2d_direct(x, f, y, g, epi)) return;
  GemmProblem p;
  p.m = g.batch * g.outH * g.outW;
  p.n = g.outC;
  p.k = g.kH * g.kW * g.inC;
  std::pair<const float*, const ConvGeom*> ctx(x, &g);
  if (is_pointwise(g)) {
    p.a.mat = Mat{x, g.inC, 1};
  } else if (g.outH == 1 && g.outW == 1 && g.padTop == 0 && g.padLeft == 0 && g.kH == g.inH && g.kW == g.inW &&
             g.dilationH == 1 && g.dilationW == 1) {
    p.a.mat = Mat{x, g.inH * g.inW * g.inC, 1};  // the window is the whole image: a dense layer
  } else {
    p.a.fn = pack_im2col;
    p.a.ctx = &ctx;
  }
  p.bt.mat = Mat{f, 1, g.outC};
  p.c = y;
  p.ldc = g.outC;
  p.epi = epi;
  gemm(p);
}

void conv2d_backprop_filter(const float* x, const float* dy, float* df, const ConvGeom& g) {
  if (g.inC < kDirectMaxInC && conv2d_backprop_filter_direct(x, dy, df, g)) return;
  GemmProblem p;
  p.m = g.kH * g.kW * g.inC;
  p.n = g.outC;
  p.k = g.batch * g.outH * g.outW;
  std::pair<const float*, const ConvGeom*> ctx(x, &g);
  if (is_pointwise(g)) {
    p.a.mat = Mat{x, 1, g.inC};
  } else {
    p.a.fn = pack_im2col_t;
    p.a.ctx = &ctx;
  }
  p.bt.mat = Mat{dy, 1, g.outC};
  p.c = df;
  p.ldc = g.outC;
  gemm(p);
}

void conv2d_backprop_input(const float* dy, const float* f, float* dx, const ConvGeom& g) {
  const idx K = g.kH * g.kW * g.inC;
  if (g.strideH == 1 && g.strideW == 1) {
    // dX = conv(dY, W'), W'[ky', kx', co, ci] = W[kH−1−ky', kW−1−kx', ci, co], padding (k−1)·d − pad.
    std::vector<float> wt(std::size_t(K * g.outC));
    for (idx ky = 0; ky < g.kH; ky++)
      for (idx kx = 0; kx < g.kW; kx++) {
        const float* src = f + ((g.kH - 1 - ky) * g.kW + (g.kW - 1 - kx)) * g.inC * g.outC;
        float* d = wt.data() + (ky * g.kW + kx) * g.outC * g.inC;
        for (idx ci = 0; ci < g.inC; ci++)
          for (idx co = 0; co < g.outC; co++) d[co * g.inC + ci] = src[ci * g.outC + co];
      }
    ConvGeom t = g;
    t.inH = g.outH;
    t.inW = g.outW;
    t.inC = g.outC;
    t.outH = g.inH;
    t.outW = g.inW;
    t.outC = g.inC;
    t.padTop = (g.kH - 1) * g.dilationH - g.padTop;
    t.padLeft = (g.kW - 1) * g.dilationW - g.padLeft;
    conv2d(dy, wt.data(), dx, t);
    return;
  }
  // Strided: dCols = dY · Wᵀ for a chunk of output pixels, then scatter-add into dX.
  std::memset(dx, 0, sizeof(float) * std::size_t(g.batch * g.inH * g.inW * g.inC));
  const idx M = g.batch * g.outH * g.outW;
  const idx chunk = std::max<idx>(64, (idx(1) << 20) / std::max<idx>(K, 1));
  std::vector<float> cols(std::size_t(std::min(chunk, M) * K));
  const idx outHW = g.outH * g.outW;
  for (idx p0 = 0; p0 < M; p0 += chunk) {
    const idx rows = std::min(chunk, M - p0);
    GemmProblem p;
    p.m = rows;
    p.n = K;
    p.k = g.outC;
    p.a.mat = Mat{dy + p0 * g.outC, g.outC, 1};
    p.bt.mat = Mat{f, g.outC, 1};
    p.c = cols.data();
    p.ldc = K;
    gemm(p);
    for (idx r = 0; r < rows; r++) {
      const idx pix = p0 + r;
      const idx b = pix / outHW, rem = pix - b * outHW;
      const idx oy = rem / g.outW, ox = rem - oy * g.outW;
      const float* cr = cols.data() + r * K;
      for (idx ky = 0; ky < g.kH; ky++) {
        const idx iy = oy * g.strideH - g.padTop + ky * g.dilationH;
        if (iy < 0 || iy >= g.inH) continue;
        for (idx kx = 0; kx < g.kW; kx++) {
          const idx ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
          if (ix < 0 || ix >= g.inW) continue;
          float* d = dx + ((b * g.inH + iy) * g.inW + ix) * g.inC;
          const float* s = cr + (ky * g.kW + kx) * g.inC;
          for (idx ci = 0; ci < g.inC; ci++) d[ci] += s[ci];
        }
      }
    }
  }
}

// ---------------------------------------------------------------- depthwise

NB_CLONES static void dw_forward_rows(const float* NB_RESTRICT x, const float* NB_RESTRICT f, float* NB_RESTRICT y, const ConvGeom& g,
                                      idx r0, idx r1, float* NB_RESTRICT acc) {
  const idx C = g.inC, M = g.multiplier, OC = g.outC;
  for (idx row = r0; row < r1; row++) {
    const idx b = row / g.outH, oy = row - b * g.outH;
    for (idx ox = 0; ox < g.outW; ox++) {
      for (idx c = 0; c < OC; c++) acc[c] = 0.f;
      for (idx ky = 0; ky < g.kH; ky++) {
        const idx iy = oy * g.strideH - g.padTop + ky * g.dilationH;
        if (iy < 0 || iy >= g.inH) continue;
        for (idx kx = 0; kx < g.kW; kx++) {
          const idx ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
          if (ix < 0 || ix >= g.inW) continue;
          const float* xp = x + ((b * g.inH + iy) * g.inW + ix) * C;
          const float* w = f + (ky * g.kW + kx) * OC;
          if (M == 1) {
            for (idx c = 0; c < C; c++) acc[c] += xp[c] * w[c];
          } else {
            for (idx ci = 0; ci < C; ci++)
              for (idx q = 0; q < M; q++) acc[ci * M + q] += xp[ci] * w[ci * M + q];
          }
        }
      }
      float* yp = y + ((b * g.outH + oy) * g.outW + ox) * OC;
      for (idx c = 0; c < OC; c++) yp[c] = acc[c];
    }
  }
}

static void depthwise_m1(const float* x, const float* f, float* y, const ConvGeom& g) {
  const idx rows = g.batch * g.outH;
  const idx per_row = g.outW * g.outC * g.kH * g.kW;
  parallel_range(rows, std::max<idx>(1, (idx(1) << 15) / std::max<idx>(per_row, 1)), [&](idx b, idx e) {
    float* acc = scratch(2, std::size_t(g.outC));
    dw_forward_rows(x, f, y, g, b, e, acc);
  });
}

/** Gather form (race-free): dX[iy, ix, ci] = Σ over taps whose output pixel exists. */
NB_CLONES static void dw_input_rows(const float* NB_RESTRICT dy, const float* NB_RESTRICT f, float* NB_RESTRICT dx, const ConvGeom& g,
                                    idx r0, idx r1, float* NB_RESTRICT acc) {
  const idx C = g.inC, M = g.multiplier, OC = g.outC;
  for (idx row = r0; row < r1; row++) {
    const idx b = row / g.inH, iy = row - b * g.inH;
    for (idx ix = 0; ix < g.inW; ix++) {
      for (idx c = 0; c < C; c++) acc[c] = 0.f;
      for (idx ky = 0; ky < g.kH; ky++) {
        const idx ty = iy + g.padTop - ky * g.dilationH;
        if (ty < 0 || ty % g.strideH != 0) continue;
        const idx oy = ty / g.strideH;
        if (oy >= g.outH) continue;
        for (idx kx = 0; kx < g.kW; kx++) {
          const idx tx = ix + g.padLeft - kx * g.dilationW;
          if (tx < 0 || tx % g.strideW != 0) continue;
          const idx ox = tx / g.strideW;
          if (ox >= g.outW) continue;
          const float* d = dy + ((b * g.outH + oy) * g.outW + ox) * OC;
          const float* w = f + (ky * g.kW + kx) * OC;
          if (M == 1) {
            for (idx c = 0; c < C; c++) acc[c] += d[c] * w[c];
          } else {
            for (idx ci = 0; ci < C; ci++) {
              float s = 0.f;
              for (idx q = 0; q < M; q++) s += d[ci * M + q] * w[ci * M + q];
              acc[ci] += s;
            }
          }
        }
      }
      float* o = dx + ((b * g.inH + iy) * g.inW + ix) * C;
      for (idx c = 0; c < C; c++) o[c] = acc[c];
    }
  }
}

static void depthwise_input_m1(const float* dy, const float* f, float* dx, const ConvGeom& g) {
  const idx rows = g.batch * g.inH;
  const idx per_row = g.inW * g.outC * g.kH * g.kW;
  parallel_range(rows, std::max<idx>(1, (idx(1) << 15) / std::max<idx>(per_row, 1)), [&](idx b, idx e) {
    float* acc = scratch(2, std::size_t(g.inC));
    dw_input_rows(dy, f, dx, g, b, e, acc);
  });
}

NB_CLONES static void dw_filter_rows(const float* NB_RESTRICT x, const float* NB_RESTRICT dy, float* NB_RESTRICT df, const ConvGeom& g,
                                     idx r0, idx r1) {
  const idx C = g.inC, M = g.multiplier, OC = g.outC;
  for (idx row = r0; row < r1; row++) {
    const idx b = row / g.outH, oy = row - b * g.outH;
    for (idx ox = 0; ox < g.outW; ox++) {
      const float* d = dy + ((b * g.outH + oy) * g.outW + ox) * OC;
      for (idx ky = 0; ky < g.kH; ky++) {
        const idx iy = oy * g.strideH - g.padTop + ky * g.dilationH;
        if (iy < 0 || iy >= g.inH) continue;
        for (idx kx = 0; kx < g.kW; kx++) {
          const idx ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
          if (ix < 0 || ix >= g.inW) continue;
          const float* xp = x + ((b * g.inH + iy) * g.inW + ix) * C;
          float* w = df + (ky * g.kW + kx) * OC;
          if (M == 1) {
            for (idx c = 0; c < C; c++) w[c] += xp[c] * d[c];
          } else {
            for (idx ci = 0; ci < C; ci++)
              for (idx q = 0; q < M; q++) w[ci * M + q] += xp[ci] * d[ci * M + q];
          }
        }
      }
    }
  }
}

static void depthwise_filter_m1(const float* x, const float* dy, float* df, const ConvGeom& g) {
  const idx rows = g.batch * g.outH;
  const idx fsize = g.kH * g.kW * g.outC;
  const idx per_row = g.outW * g.outC * g.kH * g.kW;
  const idx T = num_threads();
  idx parts = std::min<idx>(T, rows);
  if (rows * per_row < (idx(1) << 16)) parts = 1;
  std::memset(df, 0, sizeof(float) * std::size_t(fsize));
  if (parts <= 1) {
    dw_filter_rows(x, dy, df, g, 0, rows);
    return;
  }
  // Private accumulators per part, summed at the end.
  std::vector<float> partial(std::size_t((parts - 1) * fsize), 0.f);
  const idx per = (rows + parts - 1) / parts;
  parallel_for(int(parts), [&](int t) {
    const idx b = idx(t) * per, e = std::min(rows, b + per);
    if (b < e) dw_filter_rows(x, dy, t == 0 ? df : partial.data() + (t - 1) * fsize, g, b, e);
  });
  for (idx t = 1; t < parts; t++)
    for (idx i = 0; i < fsize; i++) df[i] += partial[std::size_t((t - 1) * fsize + i)];
}

// A channel multiplier M > 1 does not vectorise along channels (each input channel feeds M outputs);
// repeating every input channel M times turns the layer into a multiplier-1 depthwise convolution.
static std::vector<float> expand_channels(const float* x, const ConvGeom& g) {
  const idx pixels = g.batch * g.inH * g.inW, C = g.inC, M = g.multiplier;
  std::vector<float> xe(std::size_t(pixels * C * M));
  parallel_range(pixels, std::max<idx>(1, (idx(1) << 15) / std::max<idx>(C * M, 1)), [&](idx b, idx e) {
    for (idx p = b; p < e; p++)
      for (idx c = 0; c < C; c++)
        for (idx q = 0; q < M; q++) xe[std::size_t((p * C + c) * M + q)] = x[p * C + c];
  });
  return xe;
}

static ConvGeom as_multiplier_one(const ConvGeom& g) {
  ConvGeom e = g;
  e.inC = g.outC;
  e.multiplier = 1;
  return e;
}

void depthwise_conv2d(const float* x, const float* f, float* y, const ConvGeom& g) {
  if (g.multiplier == 1) return depthwise_m1(x, f, y, g);
  const std::vector<float> xe = expand_channels(x, g);
  depthwise_m1(xe.data(), f, y, as_multiplier_one(g));
}

void depthwise_backprop_input(const float* dy, const float* f, float* dx, const ConvGeom& g) {
  if (g.multiplier == 1) return depthwise_input_m1(dy, f, dx, g);
  const idx pixels = g.batch * g.inH * g.inW, C = g.inC, M = g.multiplier;
  std::vector<float> dxe(std::size_t(pixels * C * M));
  depthwise_input_m1(dy, f, dxe.data(), as_multiplier_one(g));
  for (idx p = 0; p < pixels; p++)
    for (idx c = 0; c < C; c++) {
      float s = 0.f;
      for (idx q = 0; q < M; q++) s += dxe[std::size_t((p * C + c) * M + q)];
      dx[p * C + c] = s;
    }
}

void depthwise_backprop_filter(const float* x, const float* dy, float* df, const ConvGeom& g) {
  if (g.multiplier == 1) return depthwise_filter_m1(x, dy, df, g);
  const std::vector<float> xe = expand_channels(x, g);
  depthwise_filter_m1(xe.data(), dy, df, as_multiplier_one(g));
}

}  // namespace nb
