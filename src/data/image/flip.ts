// Mirroring images left–right and up–down.
import type { Tensor } from '../../tensor/tensor.js';
import { allocateLike, mapImages, type Pixels } from './pixels.js';

/** Mirrors the columns: pixel (y, x) goes to (y, width − 1 − x). */
export function flipLeftRightPixels(p: Pixels): Pixels {
  const { height, width, channels: c } = p;
  const src = p.data;
  const out = allocateLike(src, src.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * c;
    for (let x = 0; x < width; x++) {
      const s = row + x * c;
      const d = row + (width - 1 - x) * c;
      for (let k = 0; k < c; k++) out[d + k] = src[s + k]!;
    }
  }
  return { data: out, height, width, channels: c };
}

/** Mirrors the rows: pixel (y, x) goes to (height − 1 − y, x). */
export function flipUpDownPixels(p: Pixels): Pixels {
  const { height, width, channels: c } = p;
  const rowLength = width * c;
  const out = allocateLike(p.data, p.data.length);
  for (let y = 0; y < height; y++) out.set(p.data.subarray(y * rowLength, (y + 1) * rowLength), (height - 1 - y) * rowLength);
  return { data: out, height, width, channels: c };
}

/** Mirrors an image [h, w, c] or each image of a batch [n, h, w, c] horizontally (tf.image.flipLeftRight). */
export function flipLeftRight(images: Tensor): Tensor {
  return mapImages(images, 'flipLeftRight', flipLeftRightPixels);
}

/** Mirrors an image [h, w, c] or each image of a batch [n, h, w, c] vertically (tf.image.flipUpDown). */
export function flipUpDown(images: Tensor): Tensor {
  return mapImages(images, 'flipUpDown', flipUpDownPixels);
}
