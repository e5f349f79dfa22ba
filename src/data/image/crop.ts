// Cropping images to a box, and to a centred box.
import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { allocateLike, mapImages, type Pixels } from './pixels.js';

/** The rows [top, top + height) and columns [left, left + width) of an image. */
export function cropPixels(p: Pixels, top: number, left: number, height: number, width: number): Pixels {
  const what = 'crop';
  for (const [name, v] of [['top', top], ['left', left]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new ValueError(`${what}: ${name} must be a non-negative integer, got ${v}`);
  }
  for (const [name, v] of [['height', height], ['width', width]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new ValueError(`${what}: ${name} must be a positive integer, got ${v}`);
  }
  if (top + height > p.height || left + width > p.width) {
    throw new ValueError(
      `${what}: the box (top ${top}, left ${left}, height ${height}, width ${width}) does not fit in a ${p.height}×${p.width} image`,
    );
  }
  const c = p.channels;
  const out = allocateLike(p.data, height * width * c);
  const rowLength = width * c;
  for (let y = 0; y < height; y++) {
    const s = ((top + y) * p.width + left) * c;
    out.set(p.data.subarray(s, s + rowLength), y * rowLength);
  }
  return { data: out, height, width, channels: c };
}

/**
 * Crops an image [h, w, c] or a batch [n, h, w, c] to the box whose top-left corner is (top, left)
 * (tf.image.cropToBoundingBox). Keeps the dtype.
 */
export function crop(images: Tensor, top: number, left: number, height: number, width: number): Tensor {
  return mapImages(images, 'crop', (p) => cropPixels(p, top, left, height, width));
}

/**
 * Crops the centred [height, width] box (torchvision's CenterCrop; when the difference is odd the
 * extra row or column is dropped from the bottom or right).
 */
export function centerCrop(images: Tensor, size: readonly [number, number]): Tensor {
  const [height, width] = size;
  return mapImages(images, 'centerCrop', (p) => cropPixels(p, Math.floor((p.height - height) / 2), Math.floor((p.width - width) / 2), height, width));
}
