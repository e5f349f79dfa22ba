// MNIST (and any data set in its four-file IDX layout, such as Fashion-MNIST). Node-only.
import { fromValues } from '../../tensor/creation.js';
import { DataError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type IdxArray, readIdxFile } from './idx.js';
import { type DatasetOptions, resolveDataset } from './locate.js';

export interface ImageSetOptions extends DatasetOptions {
  /** Scale pixels from 0-255 to [0, 1] (default true); false keeps 0-255 (still float32). */
  normalize?: boolean;
}

/** One split: images x float32 [n, 28, 28, 1] (NHWC) and labels y int32 [n]. */
export interface ImageSplit {
  x: Tensor;
  y: Tensor;
}

export interface ImageSet {
  train: ImageSplit;
  test: ImageSplit;
  /** Label names by class id. */
  classNames: string[];
}

/** The four files of the MNIST layout; each may also be present uncompressed (without .gz). */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

function alternatives(file: string): [string, string] {
  return [file, file.replace(/\.gz$/, '')];
}

function checkImages(a: IdxArray, path: string): { n: number; rows: number; cols: number } {
  if (a.dtype !== 'uint8' || a.shape.length !== 3) {
    throw new DataError(`${path}: expected an image file (IDX magic 0x00000803: uint8, 3 dimensions) at byte offset 0, found ${a.dtype} with ${a.shape.length} dimensions`);
  }
  const [n, rows, cols] = a.shape as [number, number, number];
  if (rows !== 28 || cols !== 28) throw new DataError(`${path}: expected 28x28 images (byte offsets 8-15), found ${rows}x${cols}`);
  return { n, rows, cols };
}

function checkLabels(a: IdxArray, path: string, images: number, classes: number): Int32Array {
  if (a.dtype !== 'uint8' || a.shape.length !== 1) {
    throw new DataError(`${path}: expected a label file (IDX magic 0x00000801: uint8, 1 dimension) at byte offset 0, found ${a.dtype} with ${a.shape.length} dimensions`);
  }
  if (a.shape[0] !== images) throw new DataError(`${path}: ${a.shape[0]} labels (byte offset 4) but the image file has ${images} images`);
  const out = new Int32Array(images);
  for (let i = 0; i < images; i++) {
    const v = a.data[i]!;
    if (v >= classes) throw new DataError(`${path}: label ${v} at byte offset ${8 + i} is not a class id 0-${classes - 1}`);
    out[i] = v;
  }
  return out;
}

function loadSplit(imagesPath: string, labelsPath: string, normalize: boolean, classes: number): ImageSplit {
  const images = readIdxFile(imagesPath);
  const { n, rows, cols } = checkImages(images, imagesPath);
  const labels = checkLabels(readIdxFile(labelsPath), labelsPath, n, classes);
  const pixels = images.data as Uint8Array;
  const x = new Float32Array(pixels.length);
  const scale = normalize ? 1 / 255 : 1;
  for (let i = 0; i < pixels.length; i++) x[i] = pixels[i]! * scale;
  return { x: fromValues(x, [n, rows, cols, 1], 'float32'), y: fromValues(labels, [n], 'int32') };
}

/**
 * Loads a data set stored as MNIST's four IDX files (gzip or not) from its folder `name`
 * (see locate.ts for where it is looked for, and downloaded to).
 */
export async function loadIdxImageSet(name: string, classNames: readonly string[], options: ImageSetOptions = {}): Promise<ImageSet> {
  const { files } = await resolveDataset(
    name,
    [MNIST_FILES.trainImages, MNIST_FILES.trainLabels, MNIST_FILES.testImages, MNIST_FILES.testLabels].map(alternatives),
    options,
  );
  const [trainImages, trainLabels, testImages, testLabels] = files as [string, string, string, string];
  const normalize = options.normalize ?? true;
  return {
    train: loadSplit(trainImages, trainLabels, normalize, classNames.length),
    test: loadSplit(testImages, testLabels, normalize, classNames.length),
    classNames: [...classNames],
  };
}

/**
 * MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28 grayscale, labels 0-9.
 * `await mnist.load()` reads the four original gzip IDX files from `dir`, else `$NABLA_DATA/mnist`
 * (else `../shared/data/mnist`), else the cache, else downloads them (see locate.ts); x is float32 [n, 28, 28, 1] in [0, 1] (or 0-255 with normalize: false),
 * y is int32 [n].
 */
export const mnist = {
  name: 'mnist',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as readonly string[],
  load(options: ImageSetOptions = {}): Promise<ImageSet> {
    return loadIdxImageSet('mnist', mnist.classNames, options);
  },
};
