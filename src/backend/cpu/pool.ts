import type { DataArray } from '../../tensor/dtype.js';
import type { PoolInfo } from '../backend.js';

/**
 * Calls `visit` once per output cell with the input pixel offsets of its window that lie inside
 * the image (padding is skipped, so max ignores it and averages do not count it, as TensorFlow).
 */
function forEachWindow(info: PoolInfo, visit: (yPixel: number, window: number[]) => void): void {
  const { batch, inH, inW, outH, outW, kH, kW, strideH, strideW, padTop, padLeft } = info;
  const window: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        window.length = 0;
        for (let ky = 0; ky < kH; ky++) {
          const iy = oy * strideH - padTop + ky;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < kW; kx++) {
            const ix = ox * strideW - padLeft + kx;
            if (ix < 0 || ix >= inW) continue;
            window.push((b * inH + iy) * inW + ix);
          }
        }
        visit((b * outH + oy) * outW + ox, window);
      }
    }
  }
}

export function maxPool2d(x: DataArray, out: DataArray, info: PoolInfo): void {
  const C = info.channels;
  forEachWindow(info, (yp, window) => {
    for (let c = 0; c < C; c++) {
      let best = -Infinity;
      for (const p of window) {
        const v = x[p * C + c]!;
        if (v > best || Number.isNaN(v)) best = v;
      }
      out[yp * C + c] = best;
    }
  });
}

export function maxPool2dBackprop(dy: DataArray, x: DataArray, dx: DataArray, info: PoolInfo): void {
  const C = info.channels;
  forEachWindow(info, (yp, window) => {
    for (let c = 0; c < C; c++) {
      let best = -Infinity;
      let at = -1;
      for (const p of window) {
        const v = x[p * C + c]!;
        // The first NaN, else the first maximum: the element maxPool2d returned.
        if (at < 0 || v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
          best = v;
          at = p;
        }
      }
      if (at >= 0) dx[at * C + c]! += dy[yp * C + c]!;
    }
  });
}

export function avgPool2d(x: DataArray, out: DataArray, info: PoolInfo): void {
  const C = info.channels;
  forEachWindow(info, (yp, window) => {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (const p of window) s += x[p * C + c]!;
      out[yp * C + c] = window.length > 0 ? s / window.length : 0;
    }
  });
}

export function avgPool2dBackprop(dy: DataArray, dx: DataArray, info: PoolInfo): void {
  const C = info.channels;
  forEachWindow(info, (yp, window) => {
    if (window.length === 0) return;
    for (let c = 0; c < C; c++) {
      const g = dy[yp * C + c]! / window.length;
      for (const p of window) dx[p * C + c]! += g;
    }
  });
}
