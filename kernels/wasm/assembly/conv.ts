import { gemm, gemmWorkspaceBytes } from './gemm';
import { fillF32 } from './simd';

/*
 * 2-D convolutions in NHWC layout with HWIO filters ([kH, kW, inC, outC]), as im2col + GEMM over
 * chunks of output pixels ("rows"), so the column buffer stays cache-sized and threads can take
 * disjoint row ranges. `info` points at 16 i32 fields, in this order:
 */
const BATCH = 0, IN_H = 4, IN_W = 8, IN_C = 12, OUT_H = 16, OUT_W = 20, OUT_C = 24, K_H = 28, K_W = 32;
const STRIDE_H = 36, STRIDE_W = 40, DIL_H = 44, DIL_W = 48, PAD_TOP = 52, PAD_LEFT = 56, MULT = 60;

/** About 512 KiB of column buffer per chunk, and at least 64 rows. */
const CHUNK_FLOATS: i32 = 131072;

// @ts-ignore: decorator
@inline function field(info: usize, off: i32): i32 {
  return load<i32>(info + <usize>off);
}

/** Columns of the im2col matrix: one per filter tap and input channel. */
// @ts-ignore: decorator
@inline function patchSize(info: usize): i32 {
  return field(info, K_H) * field(info, K_W) * field(info, IN_C);
}

/** A 1×1, stride-1, unpadded convolution is a plain product of [pixels, inC] and [inC, outC]. */
function isPointwise(info: usize): bool {
  return field(info, K_H) == 1 && field(info, K_W) == 1 && field(info, STRIDE_H) == 1 && field(info, STRIDE_W) == 1 &&
    field(info, PAD_TOP) == 0 && field(info, PAD_LEFT) == 0 && field(info, OUT_H) == field(info, IN_H) &&
    field(info, OUT_W) == field(info, IN_W);
}

function chunkRows(info: usize): i32 {
  return max(64, CHUNK_FLOATS / max(1, patchSize(info)));
}

/** Scratch bytes one thread needs to run a conv kernel over `rows` output pixels. */
export function convWorkspaceBytes(info: usize, rows: i32): i32 {
  const K = patchSize(info);
  const outC = field(info, OUT_C);
  const inC = field(info, IN_C);
  if (isPointwise(info)) {
    return max(gemmWorkspaceBytes(rows, outC, inC), max(gemmWorkspaceBytes(rows, inC, outC), gemmWorkspaceBytes(inC, outC, rows)));
  }
  const ch = min(rows, chunkRows(info));
  // Column buffer plus the largest of the three products: forward [ch, K]·[K, outC], input
  // [ch, outC]·[outC, K], filter [K, ch]·[ch, outC].
  const g = max(gemmWorkspaceBytes(ch, outC, K), max(gemmWorkspaceBytes(ch, K, outC), gemmWorkspaceBytes(K, outC, ch)));
  return ch * K * 4 + 64 + g;
}

/** Copies n floats (short runs: no call, no loop setup beyond the vector body). */
// @ts-ignore: decorator
@inline function copyRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** Adds n floats of src into dst. */
// @ts-ignore: decorator
@inline function addRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/**
 * Visits rows [r0, r0+rows) of the im2col matrix (row stride K = kH·kW·inC): for each filter row
 * ky, either the whole run of kW·inC columns lies inside the image and is contiguous in x (no
 * dilation), or each tap is handled alone. `scatter` = false copies x into col (zeros for padding);
 * true adds col into x (col2im, the input gradient).
 */
// @ts-ignore: decorator
@inline function im2colWalk(x: usize, info: usize, r0: i32, rows: i32, col: usize, scatter: bool): void {
  const inH = field(info, IN_H), inW = field(info, IN_W), inC = field(info, IN_C);
  const outH = field(info, OUT_H), outW = field(info, OUT_W), kH = field(info, K_H), kW = field(info, K_W);
  const sH = field(info, STRIDE_H), sW = field(info, STRIDE_W), dH = field(info, DIL_H), dW = field(info, DIL_W);
  const pT = field(info, PAD_TOP), pL = field(info, PAD_LEFT);
  const plane = outH * outW;
  const run = kW * inC;
  const tapBytes = <usize>inC << 2;
  for (let r = r0; r < r0 + rows; r++) {
    const b = r / plane;
    const rem = r - b * plane;
    const oy = rem / outW;
    const ox = rem - oy * outW;
    const ix0 = ox * sW - pL;
    const wholeRun = ix0 >= 0 && ix0 + (kW - 1) * dW < inW && (dW == 1 || kW == 1);
    let d = col;
    for (let ky = 0; ky < kH; ky++) {
      const iy = oy * sH - pT + ky * dH;
      if (iy < 0 || iy >= inH) {
        if (!scatter) fillF32(d, 0, run);
      } else {
        const rowBase = x + (<usize>(((b * inH + iy) * inW) * inC) << 2);
        if (wholeRun) {
          const src = rowBase + (<usize>(ix0 * inC) << 2);
          if (scatter) addRun(src, d, run);
          else copyRun(d, src, run);
        } else {
          for (let kx = 0; kx < kW; kx++) {
            const ix = ix0 + kx * dW;
            const t = d + <usize>kx * tapBytes;
            if (ix >= 0 && ix < inW) {
              const src = rowBase + (<usize>(ix * inC) << 2);
              if (scatter) addRun(src, t, inC);
              else copyRun(t, src, inC);
            } else if (!scatter) {
              fillF32(t, 0, inC);
            }
          }
        }
      }
      d += <usize>run << 2;
    }
    col += <usize>(kH * run) << 2;
  }
}

/** Writes rows [r0, r0+rows) of the im2col matrix of x to dst (row stride K), zeros for padding. */
function im2col(x: usize, info: usize, r0: i32, rows: i32, dst: usize): void {
  im2colWalk(x, info, r0, rows, dst, false);
}

/** Scatter-adds rows [r0, r0+rows) of a column-gradient matrix (row stride K) into dx. */
function col2im(src: usize, info: usize, r0: i32, rows: i32, dx: usize): void {
  im2colWalk(dx, info, r0, rows, src, true);
}

/** Output pixels [r0, r1) of the forward convolution: out[r, :] = im2col(x)[r, :]·filter. */
export function conv2dRows(x: usize, filter: usize, out: usize, info: usize, r0: i32, r1: i32, work: usize): void {
  const outC = field(info, OUT_C);
  const inC = field(info, IN_C);
  if (isPointwise(info)) {
    gemm(x, inC, 1, filter, outC, 1, out, outC, inC, r0, r1, 0, outC, 0, work);
    return;
  }
  const K = patchSize(info);
  const ch = chunkRows(info);
  const col = work;
  const gw = work + ((<usize>(min(r1 - r0, ch) * K) << 2) + 64);
  for (let r = r0; r < r1; r += ch) {
    const rows = min(ch, r1 - r);
    im2col(x, info, r, rows, col);
    gemm(col, K, 1, filter, outC, 1, out + (<usize>(r * outC) << 2), outC, K, 0, rows, 0, outC, 0, gw);
  }
}

/**
 * Scatter-adds the input gradient of output pixels [r0, r1) into dx (zeroed by the caller):
 * dx += col2im(dy[r, :]·filterᵀ). Threads must take row ranges that cover whole images, since
 * neighbouring pixels of one image share inputs.
 */
export function conv2dBackpropInputRows(dy: usize, filter: usize, dx: usize, info: usize, r0: i32, r1: i32, work: usize): void {
  const outC = field(info, OUT_C);
  const inC = field(info, IN_C);
  if (isPointwise(info)) {
    gemm(dy, outC, 1, filter, 1, outC, dx, inC, outC, r0, r1, 0, inC, 0, work);
    return;
  }
  const K = patchSize(info);
  const ch = chunkRows(info);
  const col = work;
  const gw = work + ((<usize>(min(r1 - r0, ch) * K) << 2) + 64);
  for (let r = r0; r < r1; r += ch) {
    const rows = min(ch, r1 - r);
    // B[p = co, j = tap] = filter[tap, co]: row stride 1, column stride outC.
    gemm(dy + (<usize>(r * outC) << 2), outC, 1, filter, 1, outC, col, K, outC, 0, rows, 0, K, 0, gw);
    col2im(col, info, r, rows, dx);
  }
}

/**
 * Filter gradient over output pixels [r0, r1): dFilter (+)= im2col(x)[r0:r1, :]ᵀ·dy[r0:r1, :].
 * accumulate = 0 overwrites dFilter; threads each fill a private dFilter and the caller sums them.
 */
export function conv2dBackpropFilterRows(
  x: usize, dy: usize, dFilter: usize, info: usize, r0: i32, r1: i32, accumulate: i32, work: usize,
): void {
  const outC = field(info, OUT_C);
  const inC = field(info, IN_C);
  const K = patchSize(info);
  if (r1 <= r0) {
    if (accumulate == 0) fillF32(dFilter, 0, K * outC);
    return;
  }
  if (isPointwise(info)) {
    // A[i = ci, p = pixel] = x[p, ci]: row stride 1, column stride inC.
    gemm(x + (<usize>(r0 * inC) << 2), 1, inC, dy + (<usize>(r0 * outC) << 2), outC, 1, dFilter, outC, r1 - r0, 0, inC, 0, outC, accumulate, work);
    return;
  }
  const ch = chunkRows(info);
  const col = work;
  const gw = work + ((<usize>(min(r1 - r0, ch) * K) << 2) + 64);
  for (let r = r0; r < r1; r += ch) {
    const rows = min(ch, r1 - r);
    im2col(x, info, r, rows, col);
    const acc = accumulate != 0 || r > r0 ? 1 : 0;
    gemm(col, 1, K, dy + (<usize>(r * outC) << 2), outC, 1, dFilter, outC, rows, 0, K, 0, outC, acc, gw);
  }
}

// ---------------------------------------------------------------------------------------------
// Depthwise convolution: filter [kH, kW, inC, multiplier], output channel c = ci·multiplier + q.

/** Output pixels [r0, r1) of a depthwise convolution (each output row is overwritten). */
export function depthwiseRows(x: usize, filter: usize, out: usize, info: usize, r0: i32, r1: i32): void {
  const inH = field(info, IN_H), inW = field(info, IN_W), inC = field(info, IN_C), outC = field(info, OUT_C);
  const outH = field(info, OUT_H), outW = field(info, OUT_W), kH = field(info, K_H), kW = field(info, K_W);
  const sH = field(info, STRIDE_H), sW = field(info, STRIDE_W), dH = field(info, DIL_H), dW = field(info, DIL_W);
  const pT = field(info, PAD_TOP), pL = field(info, PAD_LEFT), mult = field(info, MULT);
  const plane = outH * outW;
  for (let r = r0; r < r1; r++) {
    const b = r / plane;
    const rem = r - b * plane;
    const oy = rem / outW;
    const ox = rem - oy * outW;
    const o = out + (<usize>(r * outC) << 2);
    fillF32(o, 0, outC);
    for (let ky = 0; ky < kH; ky++) {
      const iy = oy * sH - pT + ky * dH;
      if (iy < 0 || iy >= inH) continue;
      for (let kx = 0; kx < kW; kx++) {
        const ix = ox * sW - pL + kx * dW;
        if (ix < 0 || ix >= inW) continue;
        const xp = x + (<usize>(((b * inH + iy) * inW + ix) * inC) << 2);
        const fp = filter + (<usize>((ky * kW + kx) * outC) << 2);
        if (mult == 1) {
          let c = 0;
          for (; c + 4 <= outC; c += 4) {
            const off = <usize>c << 2;
            v128.store(o + off, f32x4.add(v128.load(o + off), f32x4.mul(v128.load(xp + off), v128.load(fp + off))));
          }
          for (; c < outC; c++) {
            const off = <usize>c << 2;
            store<f32>(o + off, load<f32>(o + off) + load<f32>(xp + off) * load<f32>(fp + off));
          }
        } else {
          for (let ci = 0; ci < inC; ci++) {
            const xv = load<f32>(xp + (<usize>ci << 2));
            for (let q = 0; q < mult; q++) {
              const off = <usize>(ci * mult + q) << 2;
              store<f32>(o + off, load<f32>(o + off) + xv * load<f32>(fp + off));
            }
          }
        }
      }
    }
  }
}

/** Input gradient of a depthwise convolution for images [b0, b1); dx rows are overwritten. */
export function depthwiseBackpropInputImages(dy: usize, filter: usize, dx: usize, info: usize, b0: i32, b1: i32): void {
  const inH = field(info, IN_H), inW = field(info, IN_W), inC = field(info, IN_C), outC = field(info, OUT_C);
  const outH = field(info, OUT_H), outW = field(info, OUT_W), kH = field(info, K_H), kW = field(info, K_W);
  const sH = field(info, STRIDE_H), sW = field(info, STRIDE_W), dH = field(info, DIL_H), dW = field(info, DIL_W);
  const pT = field(info, PAD_TOP), pL = field(info, PAD_LEFT), mult = field(info, MULT);
  fillF32(dx + (<usize>(b0 * inH * inW * inC) << 2), 0, (b1 - b0) * inH * inW * inC);
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const g = dy + (<usize>(((b * outH + oy) * outW + ox) * outC) << 2);
        for (let ky = 0; ky < kH; ky++) {
          const iy = oy * sH - pT + ky * dH;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < kW; kx++) {
            const ix = ox * sW - pL + kx * dW;
            if (ix < 0 || ix >= inW) continue;
            const xp = dx + (<usize>(((b * inH + iy) * inW + ix) * inC) << 2);
            const fp = filter + (<usize>((ky * kW + kx) * outC) << 2);
            if (mult == 1) {
              let c = 0;
              for (; c + 4 <= outC; c += 4) {
                const off = <usize>c << 2;
                v128.store(xp + off, f32x4.add(v128.load(xp + off), f32x4.mul(v128.load(g + off), v128.load(fp + off))));
              }
              for (; c < outC; c++) {
                const off = <usize>c << 2;
                store<f32>(xp + off, load<f32>(xp + off) + load<f32>(g + off) * load<f32>(fp + off));
              }
            } else {
              for (let ci = 0; ci < inC; ci++) {
                let s: f32 = 0;
                for (let q = 0; q < mult; q++) {
                  const off = <usize>(ci * mult + q) << 2;
                  s += load<f32>(g + off) * load<f32>(fp + off);
                }
                const xo = xp + (<usize>ci << 2);
                store<f32>(xo, load<f32>(xo) + s);
              }
            }
          }
        }
      }
    }
  }
}

/** Filter gradient of a depthwise convolution over output pixels [r0, r1), written (not added) to dFilter. */
export function depthwiseBackpropFilterRows(x: usize, dy: usize, dFilter: usize, info: usize, r0: i32, r1: i32): void {
  const inH = field(info, IN_H), inW = field(info, IN_W), inC = field(info, IN_C), outC = field(info, OUT_C);
  const outH = field(info, OUT_H), outW = field(info, OUT_W), kH = field(info, K_H), kW = field(info, K_W);
  const sH = field(info, STRIDE_H), sW = field(info, STRIDE_W), dH = field(info, DIL_H), dW = field(info, DIL_W);
  const pT = field(info, PAD_TOP), pL = field(info, PAD_LEFT), mult = field(info, MULT);
  fillF32(dFilter, 0, kH * kW * outC);
  const plane = outH * outW;
  for (let r = r0; r < r1; r++) {
    const b = r / plane;
    const rem = r - b * plane;
    const oy = rem / outW;
    const ox = rem - oy * outW;
    const g = dy + (<usize>(r * outC) << 2);
    for (let ky = 0; ky < kH; ky++) {
      const iy = oy * sH - pT + ky * dH;
      if (iy < 0 || iy >= inH) continue;
      for (let kx = 0; kx < kW; kx++) {
        const ix = ox * sW - pL + kx * dW;
        if (ix < 0 || ix >= inW) continue;
        const xp = x + (<usize>(((b * inH + iy) * inW + ix) * inC) << 2);
        const fp = dFilter + (<usize>((ky * kW + kx) * outC) << 2);
        if (mult == 1) {
          let c = 0;
          for (; c + 4 <= outC; c += 4) {
            const off = <usize>c << 2;
            v128.store(fp + off, f32x4.add(v128.load(fp + off), f32x4.mul(v128.load(xp + off), v128.load(g + off))));
          }
          for (; c < outC; c++) {
            const off = <usize>c << 2;
            store<f32>(fp + off, load<f32>(fp + off) + load<f32>(xp + off) * load<f32>(g + off));
          }
        } else {
          for (let ci = 0; ci < inC; ci++) {
            const xv = load<f32>(xp + (<usize>ci << 2));
            for (let q = 0; q < mult; q++) {
              const off = <usize>(ci * mult + q) << 2;
              store<f32>(fp + off, load<f32>(fp + off) + xv * load<f32>(g + off));
            }
          }
        }
      }
    }
  }
}
