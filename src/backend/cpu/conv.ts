import type { DataArray } from '../../tensor/dtype.js';
import type { ConvInfo, DepthwiseInfo } from '../backend.js';

/**
 * Calls `visit` for every (output position, filter tap) pair whose input position lies inside the
 * image, with the flat offsets of the input pixel, the output pixel and the filter tap (in pixels).
 * All six convolution kernels below are this loop with a different body.
 */
function forEachTap(info: ConvInfo, visit: (xPixel: number, yPixel: number, tap: number) => void): void {
  const { batch, inH, inW, outH, outW, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = info;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const yPixel = (b * outH + oy) * outW + ox;
        for (let ky = 0; ky < kH; ky++) {
          const iy = oy * strideH - padTop + ky * dilationH;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < kW; kx++) {
            const ix = ox * strideW - padLeft + kx * dilationW;
            if (ix < 0 || ix >= inW) continue;
            visit((b * inH + iy) * inW + ix, yPixel, ky * kW + kx);
          }
        }
      }
    }
  }
}

function store(acc: Float64Array, out: DataArray): void {
  for (let i = 0; i < out.length; i++) out[i] = acc[i]!;
}

export function conv2d(x: DataArray, filter: DataArray, out: DataArray, info: ConvInfo): void {
  const { inC, outC } = info;
  const acc = new Float64Array(out.length);
  forEachTap(info, (xp, yp, tap) => {
    const xo = xp * inC;
    const yo = yp * outC;
    const wo = tap * inC * outC;
    for (let ci = 0; ci < inC; ci++) {
      const xv = x[xo + ci]!;
      const wr = wo + ci * outC;
      for (let co = 0; co < outC; co++) acc[yo + co]! += xv * filter[wr + co]!;
    }
  });
  store(acc, out);
}

export function conv2dBackpropInput(dy: DataArray, filter: DataArray, dx: DataArray, info: ConvInfo): void {
  const { inC, outC } = info;
  const acc = new Float64Array(dx.length);
  forEachTap(info, (xp, yp, tap) => {
    const xo = xp * inC;
    const yo = yp * outC;
    const wo = tap * inC * outC;
    for (let ci = 0; ci < inC; ci++) {
      const wr = wo + ci * outC;
      let s = 0;
      for (let co = 0; co < outC; co++) s += dy[yo + co]! * filter[wr + co]!;
      acc[xo + ci]! += s;
    }
  });
  store(acc, dx);
}

export function conv2dBackpropFilter(x: DataArray, dy: DataArray, dFilter: DataArray, info: ConvInfo): void {
  const { inC, outC } = info;
  const acc = new Float64Array(dFilter.length);
  forEachTap(info, (xp, yp, tap) => {
    const xo = xp * inC;
    const yo = yp * outC;
    const wo = tap * inC * outC;
    for (let ci = 0; ci < inC; ci++) {
      const xv = x[xo + ci]!;
      const wr = wo + ci * outC;
      for (let co = 0; co < outC; co++) acc[wr + co]! += xv * dy[yo + co]!;
    }
  });
  store(acc, dFilter);
}

export function depthwiseConv2d(x: DataArray, filter: DataArray, out: DataArray, info: DepthwiseInfo): void {
  const { inC, outC, multiplier } = info;
  const acc = new Float64Array(out.length);
  forEachTap(info, (xp, yp, tap) => {
    const xo = xp * inC;
    const yo = yp * outC;
    const wo = tap * outC;
    for (let ci = 0; ci < inC; ci++) {
      const xv = x[xo + ci]!;
      for (let q = 0; q < multiplier; q++) {
        const c = ci * multiplier + q;
        acc[yo + c]! += xv * filter[wo + c]!;
      }
    }
  });
  store(acc, out);
}

export function depthwiseConv2dBackpropInput(dy: DataArray, filter: DataArray, dx: DataArray, info: DepthwiseInfo): void {
  const { inC, outC, multiplier } = info;
  const acc = new Float64Array(dx.length);
  forEachTap(info, (xp, yp, tap) => {
    const xo = xp * inC;
    const yo = yp * outC;
    const wo = tap * outC;
    for (let ci = 0; ci < inC; ci++) {
      let s = 0;
      for (let q = 0; q < multiplier; q++) {
        const c = ci * multiplier + q;
        s += dy[yo + c]! * filter[wo + c]!;
      }
      acc[xo + ci]! += s;
    }
  });
  store(acc, dx);
}

export function depthwiseConv2dBackpropFilter(x: DataArray, dy: DataArray, dFilter: DataArray, info: DepthwiseInfo): void {
  const { inC, outC, multiplier } = info;
  const acc = new Float64Array(dFilter.length);
  forEachTap(info, (xp, yp, tap) => {
    const xo = xp * inC;
    const yo = yp * outC;
    const wo = tap * outC;
    for (let ci = 0; ci < inC; ci++) {
      const xv = x[xo + ci]!;
      for (let q = 0; q < multiplier; q++) {
        const c = ci * multiplier + q;
        acc[wo + c]! += xv * dy[yo + c]!;
      }
    }
  });
  store(acc, dFilter);
}
