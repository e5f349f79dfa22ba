import { fillF32 } from './simd';

/*
 * 2-D max and average pooling in NHWC layout, vectorised over channels. Padded cells are skipped:
 * max ignores them and averages do not count them. `info` points at 12 i32 fields, in this order:
 */
const BATCH = 0, IN_H = 4, IN_W = 8, CH = 12, OUT_H = 16, OUT_W = 20, K_H = 24, K_W = 28;
const STRIDE_H = 32, STRIDE_W = 36, PAD_TOP = 40, PAD_LEFT = 44;

// @ts-ignore: decorator
@inline function field(info: usize, off: i32): i32 {
  return load<i32>(info + <usize>off);
}

/** Output cells [r0, r1) (flat over batch, outH, outW) of max pooling; NaN wins, as in the reference. */
export function maxPoolRows(x: usize, out: usize, info: usize, r0: i32, r1: i32): void {
  const inH = field(info, IN_H), inW = field(info, IN_W), C = field(info, CH);
  const outH = field(info, OUT_H), outW = field(info, OUT_W), kH = field(info, K_H), kW = field(info, K_W);
  const sH = field(info, STRIDE_H), sW = field(info, STRIDE_W), pT = field(info, PAD_TOP), pL = field(info, PAD_LEFT);
  const plane = outH * outW;
  for (let r = r0; r < r1; r++) {
    const b = r / plane;
    const rem = r - b * plane;
    const oy = rem / outW;
    const ox = rem - oy * outW;
    const o = out + (<usize>(r * C) << 2);
    fillF32(o, -Infinity, C);
    for (let ky = 0; ky < kH; ky++) {
      const iy = oy * sH - pT + ky;
      if (iy < 0 || iy >= inH) continue;
      for (let kx = 0; kx < kW; kx++) {
        const ix = ox * sW - pL + kx;
        if (ix < 0 || ix >= inW) continue;
        const xp = x + (<usize>(((b * inH + iy) * inW + ix) * C) << 2);
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          const off = <usize>c << 2;
          const v = v128.load(xp + off);
          const best = v128.load(o + off);
          const take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
          v128.store(o + off, v128.bitselect(v, best, take));
        }
        for (; c < C; c++) {
          const off = <usize>c << 2;
          const v = load<f32>(xp + off);
          if (v > load<f32>(o + off) || v != v) store<f32>(o + off, v);
        }
      }
    }
  }
}

/**
 * Max-pooling gradient for images [b0, b1): dx[argmax] += dy for each window, where argmax is the
 * first NaN, else the first maximum (the element maxPoolRows returned). dx accumulates.
 */
export function maxPoolBackpropImages(dy: usize, x: usize, dx: usize, info: usize, b0: i32, b1: i32): void {
  const inH = field(info, IN_H), inW = field(info, IN_W), C = field(info, CH);
  const outH = field(info, OUT_H), outW = field(info, OUT_W), kH = field(info, K_H), kW = field(info, K_W);
  const sH = field(info, STRIDE_H), sW = field(info, STRIDE_W), pT = field(info, PAD_TOP), pL = field(info, PAD_LEFT);
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const g = dy + (<usize>(((b * outH + oy) * outW + ox) * C) << 2);
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          const off = <usize>c << 2;
          let best = f32x4.splat(0);
          let at = i32x4.splat(-1);
          let first = true;
          for (let ky = 0; ky < kH; ky++) {
            const iy = oy * sH - pT + ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kW; kx++) {
              const ix = ox * sW - pL + kx;
              if (ix < 0 || ix >= inW) continue;
              const pix = (b * inH + iy) * inW + ix;
              const v = v128.load(x + (<usize>(pix * C) << 2) + off);
              const pv = i32x4.splat(pix);
              if (first) {
                best = v;
                at = pv;
                first = false;
              } else {
                const take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
                best = v128.bitselect(v, best, take);
                at = v128.bitselect(pv, at, take);
              }
            }
          }
          if (first) continue;
          const gv = v128.load(g + off);
          let p = dx + (<usize>(i32x4.extract_lane(at, 0) * C) << 2) + off;
          store<f32>(p, load<f32>(p) + f32x4.extract_lane(gv, 0));
          p = dx + (<usize>(i32x4.extract_lane(at, 1) * C) << 2) + off;
          store<f32>(p, load<f32>(p, 4) + f32x4.extract_lane(gv, 1), 4);
          p = dx + (<usize>(i32x4.extract_lane(at, 2) * C) << 2) + off;
          store<f32>(p, load<f32>(p, 8) + f32x4.extract_lane(gv, 2), 8);
          p = dx + (<usize>(i32x4.extract_lane(at, 3) * C) << 2) + off;
          store<f32>(p, load<f32>(p, 12) + f32x4.extract_lane(gv, 3), 12);
        }
        for (; c < C; c++) {
          let best: f32 = 0;
          let at = -1;
          for (let ky = 0; ky < kH; ky++) {
            const iy = oy * sH - pT + ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kW; kx++) {
              const ix = ox * sW - pL + kx;
              if (ix < 0 || ix >= inW) continue;
              const pix = (b * inH + iy) * inW + ix;
              const v = load<f32>(x + (<usize>(pix * C + c) << 2));
              if (at < 0 || v > best || (v != v && best == best)) {
                best = v;
                at = pix;
              }
            }
          }
          if (at >= 0) {
            const p = dx + (<usize>(at * C + c) << 2);
            store<f32>(p, load<f32>(p) + load<f32>(g + (<usize>c << 2)));
          }
        }
      }
    }
  }
}

/** Output cells [r0, r1) of average pooling (mean over the cells inside the image; 0 if none). */
export function avgPoolRows(x: usize, out: usize, info: usize, r0: i32, r1: i32): void {
  const inH = field(info, IN_H), inW = field(info, IN_W), C = field(info, CH);
  const outH = field(info, OUT_H), outW = field(info, OUT_W), kH = field(info, K_H), kW = field(info, K_W);
  const sH = field(info, STRIDE_H), sW = field(info, STRIDE_W), pT = field(info, PAD_TOP), pL = field(info, PAD_LEFT);
  const plane = outH * outW;
  for (let r = r0; r < r1; r++) {
    const b = r / plane;
    const rem = r - b * plane;
    const oy = rem / outW;
    const ox = rem - oy * outW;
    const o = out + (<usize>(r * C) << 2);
    fillF32(o, 0, C);
    let count = 0;
    for (let ky = 0; ky < kH; ky++) {
      const iy = oy * sH - pT + ky;
      if (iy < 0 || iy >= inH) continue;
      for (let kx = 0; kx < kW; kx++) {
        const ix = ox * sW - pL + kx;
        if (ix < 0 || ix >= inW) continue;
        count++;
        const xp = x + (<usize>(((b * inH + iy) * inW + ix) * C) << 2);
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          const off = <usize>c << 2;
          v128.store(o + off, f32x4.add(v128.load(o + off), v128.load(xp + off)));
        }
        for (; c < C; c++) {
          const off = <usize>c << 2;
          store<f32>(o + off, load<f32>(o + off) + load<f32>(xp + off));
        }
      }
    }
    if (count == 0) continue;
    const n = <f32>count;
    const nv = f32x4.splat(n);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const off = <usize>c << 2;
      v128.store(o + off, f32x4.div(v128.load(o + off), nv));
    }
    for (; c < C; c++) {
      const off = <usize>c << 2;
      store<f32>(o + off, load<f32>(o + off) / n);
    }
  }
}

/** Average-pooling gradient for images [b0, b1): each window's cells get dy / count. dx accumulates. */
export function avgPoolBackpropImages(dy: usize, dx: usize, info: usize, b0: i32, b1: i32): void {
  const inH = field(info, IN_H), inW = field(info, IN_W), C = field(info, CH);
  const outH = field(info, OUT_H), outW = field(info, OUT_W), kH = field(info, K_H), kW = field(info, K_W);
  const sH = field(info, STRIDE_H), sW = field(info, STRIDE_W), pT = field(info, PAD_TOP), pL = field(info, PAD_LEFT);
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const y0 = max(0, oy * sH - pT), y1 = min(inH, oy * sH - pT + kH);
        const x0 = max(0, ox * sW - pL), x1 = min(inW, ox * sW - pL + kW);
        if (y1 <= y0 || x1 <= x0) continue;
        const n = <f32>((y1 - y0) * (x1 - x0));
        const g = dy + (<usize>(((b * outH + oy) * outW + ox) * C) << 2);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const xp = dx + (<usize>(((b * inH + iy) * inW + ix) * C) << 2);
            const nv = f32x4.splat(n);
            let c = 0;
            for (; c + 4 <= C; c += 4) {
              const off = <usize>c << 2;
              v128.store(xp + off, f32x4.add(v128.load(xp + off), f32x4.div(v128.load(g + off), nv)));
            }
            for (; c < C; c++) {
              const off = <usize>c << 2;
              store<f32>(xp + off, load<f32>(xp + off) + load<f32>(g + off) / n);
            }
          }
        }
      }
    }
  }
}
