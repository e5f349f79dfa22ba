// Max and average pooling (NHWC) and their gradients. Work is split over (image, channel block)
// pairs, so the scatter-adds of the backward passes never race even when windows overlap.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

#include "ops.h"

namespace nb {

namespace {

const idx kBlock = 64;

template <class F>
void for_blocks(const PoolGeom& g, const F& f) {
  const idx nblk = (g.channels + kBlock - 1) / kBlock;
  const idx tasks = g.batch * nblk;
  const idx work = g.batch * g.outH * g.outW * g.channels * g.kH * g.kW;
  const idx T = num_threads();
  auto run = [&](idx t0, idx t1) {
    for (idx t = t0; t < t1; t++) {
      const idx b = t / nblk, c0 = (t - b * nblk) * kBlock;
      f(b, c0, std::min(g.channels, c0 + kBlock));
    }
  };
  if (work < (idx(1) << 16) || T <= 1 || tasks == 1) {
    if (tasks == 1 && work >= (idx(1) << 16) && T > 1 && g.channels > 16) {
      // One image, one block: nothing to split safely but channels; use narrower blocks.
      const idx nb16 = (g.channels + 15) / 16;
      parallel_range(nb16, 1, [&](idx s, idx e) {
        for (idx q = s; q < e; q++) f(0, q * 16, std::min(g.channels, q * 16 + 16));
      });
      return;
    }
    run(0, tasks);
    return;
  }
  parallel_range(tasks, 1, run);
}

NB_CLONES void max_block(const float* NB_RESTRICT x, float* NB_RESTRICT y, const PoolGeom& g, idx b, idx c0, idx c1) {
  const idx C = g.channels, w = c1 - c0;
  float best[kBlock];
  for (idx oy = 0; oy < g.outH; oy++)
    for (idx ox = 0; ox < g.outW; ox++) {
      for (idx c = 0; c < w; c++) best[c] = -std::numeric_limits<float>::infinity();
      for (idx ky = 0; ky < g.kH; ky++) {
        const idx iy = oy * g.strideH - g.padTop + ky;
        if (iy < 0 || iy >= g.inH) continue;
        for (idx kx = 0; kx < g.kW; kx++) {
          const idx ix = ox * g.strideW - g.padLeft + kx;
          if (ix < 0 || ix >= g.inW) continue;
          const float* xp = x + ((b * g.inH + iy) * g.inW + ix) * C + c0;
          for (idx c = 0; c < w; c++) best[c] = (xp[c] > best[c] || xp[c] != xp[c]) ? xp[c] : best[c];
        }
      }
      float* yp = y + ((b * g.outH + oy) * g.outW + ox) * C + c0;
      for (idx c = 0; c < w; c++) yp[c] = best[c];
    }
}

NB_CLONES void max_bwd_block(const float* NB_RESTRICT dy, const float* NB_RESTRICT x, float* NB_RESTRICT dx, const PoolGeom& g, idx b,
                             idx c0, idx c1) {
  const idx C = g.channels, w = c1 - c0;
  float best[kBlock];
  std::int32_t at[kBlock];
  for (idx oy = 0; oy < g.outH; oy++)
    for (idx ox = 0; ox < g.outW; ox++) {
      for (idx c = 0; c < w; c++) {
        best[c] = -std::numeric_limits<float>::infinity();
        at[c] = -1;
      }
      // Pass 1: per channel, the window tap holding the first NaN, else the first maximum (the
      // element the forward pass returned).
      for (idx ky = 0; ky < g.kH; ky++) {
        const idx iy = oy * g.strideH - g.padTop + ky;
        if (iy < 0 || iy >= g.inH) continue;
        for (idx kx = 0; kx < g.kW; kx++) {
          const idx ix = ox * g.strideW - g.padLeft + kx;
          if (ix < 0 || ix >= g.inW) continue;
          const float* xp = x + ((b * g.inH + iy) * g.inW + ix) * C + c0;
          const std::int32_t tap = std::int32_t(ky * g.kW + kx);
          for (idx c = 0; c < w; c++) {
            const float v = xp[c];
            const bool take = at[c] < 0 || v > best[c] || (v != v && best[c] == best[c]);
            best[c] = take ? v : best[c];
            at[c] = take ? tap : at[c];
          }
        }
      }
      // Pass 2: every tap adds dy where it is the chosen one (a select, so no scatter).
      const float* d = dy + ((b * g.outH + oy) * g.outW + ox) * C + c0;
      for (idx ky = 0; ky < g.kH; ky++) {
        const idx iy = oy * g.strideH - g.padTop + ky;
        if (iy < 0 || iy >= g.inH) continue;
        for (idx kx = 0; kx < g.kW; kx++) {
          const idx ix = ox * g.strideW - g.padLeft + kx;
          if (ix < 0 || ix >= g.inW) continue;
          float* o = dx + ((b * g.inH + iy) * g.inW + ix) * C + c0;
          const std::int32_t tap = std::int32_t(ky * g.kW + kx);
          for (idx c = 0; c < w; c++) o[c] += at[c] == tap ? d[c] : 0.f;
        }
      }
    }
}

NB_CLONES void avg_block(const float* NB_RESTRICT x, float* NB_RESTRICT y, const PoolGeom& g, idx b, idx c0, idx c1) {
  const idx C = g.channels, w = c1 - c0;
  float sum[kBlock];
  for (idx oy = 0; oy < g.outH; oy++)
    for (idx ox = 0; ox < g.outW; ox++) {
      for (idx c = 0; c < w; c++) sum[c] = 0.f;
      idx count = 0;
      for (idx ky = 0; ky < g.kH; ky++) {
        const idx iy = oy * g.strideH - g.padTop + ky;
        if (iy < 0 || iy >= g.inH) continue;
        for (idx kx = 0; kx < g.kW; kx++) {
          const idx ix = ox * g.strideW - g.padLeft + kx;
          if (ix < 0 || ix >= g.inW) continue;
          const float* xp = x + ((b * g.inH + iy) * g.inW + ix) * C + c0;
          for (idx c = 0; c < w; c++) sum[c] += xp[c];
          count++;
        }
      }
      float* yp = y + ((b * g.outH + oy) * g.outW + ox) * C + c0;
      for (idx c = 0; c < w; c++) yp[c] = count > 0 ? sum[c] / float(count) : 0.f;
    }
}

NB_CLONES void avg_bwd_block(const float* NB_RESTRICT dy, float* NB_RESTRICT dx, const PoolGeom& g, idx b, idx c0, idx c1) {
  const idx C = g.channels, w = c1 - c0;
  float grad[kBlock];
  for (idx oy = 0; oy < g.outH; oy++)
    for (idx ox = 0; ox < g.outW; ox++) {
      idx count = 0;
      for (idx ky = 0; ky < g.kH; ky++) {
        const idx iy = oy * g.strideH - g.padTop + ky;
        if (iy < 0 || iy >= g.inH) continue;
        for (idx kx = 0; kx < g.kW; kx++) {
          const idx ix = ox * g.strideW - g.padLeft + kx;
          if (ix >= 0 && ix < g.inW) count++;
        }
      }
      if (count == 0) continue;
      const float* d = dy + ((b * g.outH + oy) * g.outW + ox) * C + c0;
      for (idx c = 0; c < w; c++) grad[c] = d[c] / float(count);
      for (idx ky = 0; ky < g.kH; ky++) {
        const idx iy = oy * g.strideH - g.padTop + ky;
        if (iy < 0 || iy >= g.inH) continue;
        for (idx kx = 0; kx < g.kW; kx++) {
          const idx ix = ox * g.strideW - g.padLeft + kx;
          if (ix < 0 || ix >= g.inW) continue;
          float* o = dx + ((b * g.inH + iy) * g.inW + ix) * C + c0;
          for (idx c = 0; c < w; c++) o[c] += grad[c];
        }
      }
    }
}

}  // namespace

void max_pool(const float* x, float* y, const PoolGeom& g) {
  for_blocks(g, [&](idx b, idx c0, idx c1) { max_block(x, y, g, b, c0, c1); });
}
void max_pool_backprop(const float* dy, const float* x, float* dx, const PoolGeom& g) {
  for_blocks(g, [&](idx b, idx c0, idx c1) { max_bwd_block(dy, x, dx, g, b, c0, c1); });
}
void avg_pool(const float* x, float* y, const PoolGeom& g) {
  for_blocks(g, [&](idx b, idx c0, idx c1) { avg_block(x, y, g, b, c0, c1); });
}
void avg_pool_backprop(const float* dy, float* dx, const PoolGeom& g) {
  for_blocks(g, [&](idx b, idx c0, idx c1) { avg_bwd_block(dy, dx, g, b, c0, c1); });
}

}  // namespace nb
