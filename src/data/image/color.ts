// Intensity augmentations: channel shift and brightness, with Keras' semantics.
import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { mapImages, type Pixels } from './pixels.js';

function range(data: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * Adds `intensity` to every value, clipped to the image's own [min, max] (Keras' apply_channel_shift:
 * one shift for all channels). Returns float32 pixels.
 */
export function channelShiftPixels(p: Pixels, intensity: number): Pixels<Float32Array> {
  if (!Number.isFinite(intensity)) throw new ValueError(`applyChannelShift: intensity must be a finite number, got ${intensity}`);
  const src = p.data;
  const out = new Float32Array(src.length);
  const [lo, hi] = range(src);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]! + intensity;
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return { data: out, height: p.height, width: p.width, channels: p.channels };
}

/**
 * Multiplies the values by `brightness` and clips them to [0, 255] (PIL's ImageEnhance.Brightness,
 * as Keras' apply_brightness_shift uses it). An image with values outside [0, 255] is first mapped
 * linearly from its [min, max] onto [0, 255] and back afterwards, as Keras does. Unlike PIL, the
 * result is not rounded to integers. Returns float32 pixels.
 */
export function brightnessPixels(p: Pixels, brightness: number): Pixels<Float32Array> {
  if (!(brightness >= 0) || !Number.isFinite(brightness)) {
    throw new ValueError(`applyBrightnessShift: brightness must be a non-negative finite number, got ${brightness}`);
  }
  const src = p.data;
  const out = new Float32Array(src.length);
  const [lo, hi] = range(src);
  const rescale = lo < 0 || hi > 255;
  const span = hi - lo;
  for (let i = 0; i < src.length; i++) {
    let v = rescale ? (span === 0 ? 0 : ((src[i]! - lo) / span) * 255) : src[i]!;
    v *= brightness;
    v = v < 0 ? 0 : v > 255 ? 255 : v;
    out[i] = rescale ? (v / 255) * span + lo : v;
  }
  return { data: out, height: p.height, width: p.width, channels: p.channels };
}

/** Shifts all channels of an image [h, w, c] (or each image of a batch) by `intensity`, clipped to the image's range. */
export function applyChannelShift(images: Tensor, intensity: number): Tensor {
  return mapImages(images, 'applyChannelShift', (p) => channelShiftPixels(p, intensity));
}

/** Scales the brightness of an image [h, w, c] (or each image of a batch) by `brightness` (1 keeps it), clipped to [0, 255]. */
export function applyBrightnessShift(images: Tensor, brightness: number): Tensor {
  return mapImages(images, 'applyBrightnessShift', (p) => brightnessPixels(p, brightness));
}
