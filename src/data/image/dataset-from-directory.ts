// imageDatasetFromDirectory: a Dataset of image batches from class folders (Keras'
// image_dataset_from_directory), decoded lazily per batch.
import { ValueError } from '../../tensor/errors.js';
import { fromValues } from '../../tensor/creation.js';
import { Random } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Dataset } from '../dataset.js';
import { BatchIterator, type ImageBatch } from './batch-iterator.js';
import { checkOnError, checkWorkers, collectResults, type OnImageError } from './directory-iterator.js';
import { listClassFiles } from './directory.js';
import { ImageLoader } from './image-loader.js';
import type { ImageTask } from './image-task.js';
import { encodeLabels, type LabelEncoding } from './labels.js';
import { type PrepareSettings, prepareSettings } from './load.js';
import { joinPath as join } from './node.js';
import type { ColorMode } from './pixels.js';
import type { Interpolation } from './resize.js';
import { baseSeed, mixSeed } from './seeds.js';

export type LabelMode = 'int' | 'categorical' | 'binary' | null;

export interface ImageDatasetFromDirectoryOptions {
  /** 'int' (default; int32 [b]), 'categorical' (one-hot float32 [b, classes]), 'binary' (float32 [b, 1]; exactly 2 classes) or null (images only). */
  labelMode?: LabelMode;
  /** Class subfolders in label order (default: all subfolders, sorted). */
  classNames?: readonly string[];
  /** 'rgb' (default), 'grayscale' or 'rgba'. */
  colorMode?: ColorMode;
  /** Images per batch (default 32); null yields single images [h, w, c] (batch them with `.batch()`). */
  batchSize?: number | null;
  /** [height, width] every image is resized to (default [256, 256]). */
  imageSize?: readonly [number, number];
  /** Shuffle the files (before the validation split) and every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffles; required with validationSplit and shuffle, so that the subsets do not overlap. */
  seed?: number;
  /** Fraction of the files (after the seeded shuffle) kept for validation, in [0, 1). */
  validationSplit?: number;
  /** 'training' (the first 1 − validationSplit of the files), 'validation' (the rest) or 'both' ([training, validation]). */
  subset?: 'training' | 'validation' | 'both';
  /** Resampling to imageSize: 'bilinear' (default, as Keras) or 'nearest'. */
  interpolation?: Interpolation;
  /** Crop the centre to the aspect ratio of imageSize before resizing, instead of distorting (default false). */
  cropToAspectRatio?: boolean;
  /** Follow symbolic links to folders inside class folders (default false). */
  followLinks?: boolean;
  /** Unreadable or truncated images: 'skip' with a warning naming the file (default) or 'raise'. */
  onError?: OnImageError;
  /** Worker threads that decode images in parallel (default: CPUs − 1, at most 4; 0: the main thread). */
  workers?: number;
  /** Print the file counts, as Keras does (default true). */
  verbose?: boolean;
}

/** Batches of a fixed list of image files. */
class FileBatches extends BatchIterator {
  readonly skippedFiles = new Set<string>();

  constructor(
    readonly paths: readonly string[],
    readonly labels: Int32Array,
    readonly numClasses: number,
    readonly encoding: LabelEncoding | null,
    readonly settings: PrepareSettings,
    readonly loader: ImageLoader,
    readonly onError: OnImageError,
    options: { batchSize: number; shuffle: boolean; seed: number },
  ) {
    super(paths.length, options, 'imageDatasetFromDirectory');
  }

  protected async loadBatch(indices: Int32Array): Promise<ImageBatch | null> {
    const [h, w] = this.settings.targetSize!;
    const c = this.settings.channels;
    const fill = { fillMode: 'nearest' as const, cval: 0, interpolationOrder: 1 as const };
    const tasks: ImageTask[] = Array.from(indices, (i) => ({ path: this.paths[i]!, name: this.paths[i]!, settings: this.settings, transform: null, fill }));
    const results = await this.loader.load(tasks);
    const { kept, pixels } = collectResults(results, tasks.map((t) => t.name), this.onError, this.skippedFiles, 'imageDatasetFromDirectory');
    if (kept.length === 0) return null;
    const per = h * w * c;
    const out = new Float32Array(kept.length * per);
    pixels.forEach((data, k) => out.set(data, k * per));
    const xs = fromValues(out, [kept.length, h, w, c], 'float32');
    if (this.encoding === null) return { xs };
    return { xs, ys: encodeLabels(kept.map((k) => this.labels[indices[k]!]!), this.numClasses, this.encoding) };
  }
}

/** The Dataset returned by imageDatasetFromDirectory, with Keras' `classNames` and `filePaths`. */
export class ImageFolderDataset extends Dataset<ImageBatch> {
  constructor(
    source: () => AsyncIterator<ImageBatch>,
    size: number,
    /** Class names in label order. */
    readonly classNames: string[],
    /** The files of this dataset, in its unshuffled order. */
    readonly filePaths: string[],
    /** Files skipped so far because they could not be read or decoded. */
    readonly skippedFiles: Set<string>,
  ) {
    super(source, size);
  }
}

function single(batches: FileBatches, batchSize: number | null): () => AsyncIterator<ImageBatch> {
  if (batchSize !== null) return () => batches[Symbol.asyncIterator]();
  return () =>
    (async function* () {
      for await (const b of batches) {
        const n = b.xs.shape[0]!;
        const per = b.xs.size / n;
        const ys = b.ys;
        const yPer = ys === undefined ? 0 : ys.size / n;
        for (let i = 0; i < n; i++) {
          const xs = fromValues(b.xs.values.slice(i * per, (i + 1) * per), b.xs.shape.slice(1), 'float32');
          if (ys === undefined) yield { xs };
          else yield { xs, ys: fromValues(ys.values.slice(i * yPer, (i + 1) * yPer), ys.shape.slice(1), ys.dtype) };
        }
      }
    })();
}

/**
 * A Dataset of {xs: float32 [b, h, w, c] (values 0–255), ys: labels} batches from `directory`,
 * one subfolder per class (Keras' image_dataset_from_directory). Files are listed now; images are
 * read and decoded batch by batch as the dataset is iterated (one batch ahead), so memory does not
 * grow with the number of files. With `subset: 'both'` returns [training, validation].
 */
export function imageDatasetFromDirectory(directory: string, options: ImageDatasetFromDirectoryOptions & { subset: 'both' }): [ImageFolderDataset, ImageFolderDataset];
export function imageDatasetFromDirectory(directory: string, options?: ImageDatasetFromDirectoryOptions): ImageFolderDataset;
export function imageDatasetFromDirectory(directory: string, options: ImageDatasetFromDirectoryOptions = {}): ImageFolderDataset | [ImageFolderDataset, ImageFolderDataset] {
  const what = 'imageDatasetFromDirectory';
  const labelMode = options.labelMode === undefined ? 'int' : options.labelMode;
  if (labelMode !== null && labelMode !== 'int' && labelMode !== 'categorical' && labelMode !== 'binary') {
    throw new ValueError(`${what}: labelMode must be 'int', 'categorical', 'binary' or null, got '${String(labelMode)}'`);
  }
  const batchSize = options.batchSize === undefined ? 32 : options.batchSize;
  if (batchSize !== null && (!Number.isInteger(batchSize) || batchSize <= 0)) throw new ValueError(`${what}: batchSize must be a positive integer or null, got ${String(batchSize)}`);
  const shuffle = options.shuffle ?? true;
  const split = options.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new ValueError(`${what}: validationSplit must be in [0, 1), got ${String(split)}`);
  const subset = options.subset;
  if (subset !== undefined && subset !== 'training' && subset !== 'validation' && subset !== 'both') {
    throw new ValueError(`${what}: subset must be 'training', 'validation' or 'both', got '${String(subset)}'`);
  }
  if (subset !== undefined && split === 0) throw new ValueError(`${what}: subset '${subset}' needs validationSplit`);
  if (split > 0 && subset === undefined) throw new ValueError(`${what}: validationSplit is set; choose subset 'training', 'validation' or 'both'`);
  if (split > 0 && shuffle && options.seed === undefined) {
    throw new ValueError(`${what}: with validationSplit and shuffle, give a seed so that the training and validation subsets do not overlap`);
  }
  const seed = baseSeed(options.seed, what);
  const settings = prepareSettings(
    { colorMode: options.colorMode ?? 'rgb', targetSize: options.imageSize ?? [256, 256], interpolation: options.interpolation ?? 'bilinear', keepAspectRatio: options.cropToAspectRatio ?? false },
    what,
  );
  const onError = checkOnError(options.onError, what);
  const workers = checkWorkers(options.workers, what);
  const verbose = options.verbose ?? true;

  const listing = listClassFiles(directory, { classes: options.classNames, followLinks: options.followLinks }, what, (m) => console.warn(m));
  const classNames = listing.map((c) => c.className);
  if (labelMode === 'binary' && classNames.length !== 2) {
    throw new ValueError(`${what}: labelMode 'binary' needs exactly 2 classes, found ${classNames.length} (${classNames.join(', ')}) in '${directory}'`);
  }
  let paths: string[] = [];
  let labels: number[] = [];
  listing.forEach((c, label) => {
    for (const f of c.files) {
      paths.push(join(directory, f));
      labels.push(label);
    }
  });
  if (verbose) console.log(`Found ${paths.length} files belonging to ${classNames.length} classes.`);
  if (shuffle) {
    // One seeded permutation of the whole list before the split (Keras shuffles files, then splits).
    const rng = new Random(mixSeed(seed, 0x6f));
    const order = Array.from(paths, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.nextInt(0, i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    paths = order.map((i) => paths[i]!);
    labels = order.map((i) => labels[i]!);
  }
  const numVal = Math.trunc(split * paths.length);
  const encoding: LabelEncoding | null = labelMode === null ? null : labelMode === 'binary' ? 'binaryColumn' : labelMode;
  const loader = new ImageLoader(workers);
  const make = (start: number, end: number, name: string | null): ImageFolderDataset => {
    if (verbose && name !== null) console.log(`Using ${end - start} files for ${name}.`);
    const batches = new FileBatches(paths.slice(start, end), Int32Array.from(labels.slice(start, end)), classNames.length, encoding, settings, loader, onError, {
      batchSize: batchSize ?? 32,
      shuffle,
      seed: mixSeed(seed, start, end),
    });
    const size = batchSize === null ? batches.samples : batches.numBatches;
    return new ImageFolderDataset(single(batches, batchSize), size, classNames, [...batches.paths], batches.skippedFiles);
  };
  const n = paths.length;
  if (subset === 'both') return [make(0, n - numVal, 'training'), make(n - numVal, n, 'validation')];
  if (subset === 'training') return make(0, n - numVal, 'training');
  if (subset === 'validation') return make(n - numVal, n, 'validation');
  return make(0, n, null);
}
