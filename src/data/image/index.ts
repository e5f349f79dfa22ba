// Images: codecs, transforms, augmentation and folder loaders. `nb.image.*` holds the image
// functions; `imageDataGenerator` and `imageDatasetFromDirectory` also join `nb.data`.
import { applyAffineTransform } from './affine.js';
import { applyBrightnessShift, applyChannelShift } from './color.js';
import { decodeImage, encodeJpeg, encodePng } from './codec.js';
import { centerCrop, crop } from './crop.js';
import { imageDatasetFromDirectory } from './dataset-from-directory.js';
import { flipLeftRight, flipUpDown } from './flip.js';
import { imageDataGenerator } from './generator.js';
import { loadImage, loadImageSync } from './load.js';
import { resize } from './resize.js';

export { decodeImage, encodePng, encodeJpeg, type DecodeImageOptions, type EncodeJpegOptions } from './codec.js';
export { loadImage, loadImageSync, type LoadImageOptions } from './load.js';
export { resize, type ResizeOptions, type Interpolation } from './resize.js';
export { crop, centerCrop } from './crop.js';
export { flipLeftRight, flipUpDown } from './flip.js';
export { applyAffineTransform, type AffineParams, type AffineFillOptions, type FillMode } from './affine.js';
export { applyChannelShift, applyBrightnessShift } from './color.js';
export { type ColorMode } from './pixels.js';
export { type AugmentationOptions, type TransformParams } from './random-transform.js';
export { ImageDataGenerator, imageDataGenerator, type ImageDataGeneratorOptions } from './generator.js';
export { DirectoryIterator, type FlowFromDirectoryOptions, type ClassMode, type OnImageError } from './directory-iterator.js';
export { ArrayIterator, type FlowOptions } from './array-iterator.js';
export { BatchIterator, type ImageBatch } from './batch-iterator.js';
export { imageDatasetFromDirectory, ImageFolderDataset, type ImageDatasetFromDirectoryOptions, type LabelMode } from './dataset-from-directory.js';
export { IMAGE_EXTENSIONS } from './directory.js';

/** `nb.image`: image codecs and transforms (tf.image / Keras image utilities). */
export const image = {
  decodeImage,
  encodePng,
  encodeJpeg,
  loadImage,
  loadImageSync,
  resize,
  crop,
  centerCrop,
  flipLeftRight,
  flipUpDown,
  applyAffineTransform,
  applyChannelShift,
  applyBrightnessShift,
  imageDataGenerator,
  imageDatasetFromDirectory,
};
