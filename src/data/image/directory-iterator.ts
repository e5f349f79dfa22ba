// ImageDataGenerator.flowFromDirectory: batches of images read lazily from class folders
// (Keras' DirectoryIterator).
import { DataError, ValueError } from '../../tensor/errors.js';
import { fromValues } from '../../tensor/creation.js';
import { BatchIterator, type BatchIteratorOptions, type ImageBatch } from './batch-iterator.js';
import { listClassFiles, splitRange } from './directory.js';
import type { ImageDataGenerator } from './generator.js';
import { defaultDecodeWorkers, ImageLoader } from './image-loader.js';
import type { ImageTask, ImageTaskResult } from './image-task.js';
import { encodeLabels } from './labels.js';
import { type LoadImageOptions, type PrepareSettings, prepareSettings } from './load.js';
import { joinPath as join } from './node.js';
import type { ColorMode } from './pixels.js';
import type { Interpolation } from './resize.js';

export type ClassMode = 'binary' | 'categorical' | 'sparse' | 'input' | null;

/** What to do with an image file that cannot be read or decoded. */
export type OnImageError = 'skip' | 'raise';

export interface FlowFromDirectoryOptions extends BatchIteratorOptions {
  /** [height, width] every image is resized to (default [256, 256]). */
  targetSize?: readonly [number, number];
  /** 'rgb' (default), 'grayscale' or 'rgba'. */
  colorMode?: ColorMode;
  /** Class subfolders in label order (default: all subfolders, sorted). */
  classes?: readonly string[];
  /**
   * Labels: 'categorical' (default; one-hot float32 [b, classes]), 'binary' (float32 [b] of 0/1;
   * exactly 2 classes), 'sparse' (float32 [b] class indices), 'input' (ys = xs, for autoencoders),
   * null (no labels: batches are {xs} only).
   */
  classMode?: ClassMode;
  /** With the generator's validationSplit: 'validation' takes the first fraction of each class's files (in file order), 'training' the rest. */
  subset?: 'training' | 'validation';
  /** Resampling used by targetSize: 'nearest' (default, as Keras) or 'bilinear'. */
  interpolation?: Interpolation;
  /** Crop the centre to the target aspect ratio before resizing (default false). */
  keepAspectRatio?: boolean;
  /** Follow symbolic links to folders inside class folders (default false). */
  followLinks?: boolean;
  /** Unreadable or truncated images: 'skip' (default; a warning names the file, the batch is one smaller) or 'raise' (DataError). */
  onError?: OnImageError;
  /**
   * Worker threads that decode images in parallel with training (default: CPUs − 1, at most 4);
   * 0 decodes in the main thread. Results are identical either way.
   */
  workers?: number;
  /** Print "Found N images belonging to C classes." (default true, as Keras). */
  verbose?: boolean;
}

export function checkWorkers(workers: unknown, what: string): number {
  const w = workers ?? defaultDecodeWorkers();
  if (typeof w !== 'number' || !Number.isInteger(w) || w < 0) throw new ValueError(`${what}: workers must be a non-negative integer, got ${String(workers)}`);
  return w;
}

export function checkOnError(onError: unknown, what: string): OnImageError {
  const v = onError ?? 'skip';
  if (v !== 'skip' && v !== 'raise') throw new ValueError(`${what}: onError must be 'skip' or 'raise', got '${String(v)}'`);
  return v;
}

/**
 * Collects a batch's results: pixels of the readable images, in order; an unreadable image is
 * skipped with one warning per file (and remembered in `skipped`) or raised as a DataError.
 */
export function collectResults(
  results: readonly ImageTaskResult[],
  names: readonly string[],
  onError: OnImageError,
  skipped: Set<string>,
  what: string,
): { kept: number[]; pixels: Float32Array[] } {
  const kept: number[] = [];
  const pixels: Float32Array[] = [];
  results.forEach((r, k) => {
    if (r.ok) {
      kept.push(k);
      pixels.push(r.pixels.data);
      return;
    }
    if (onError === 'raise') throw new DataError(r.message);
    if (!skipped.has(names[k]!)) {
      skipped.add(names[k]!);
      console.warn(`${what}: skipping unreadable image ${names[k]}: ${r.message}`);
    }
  });
  return { kept, pixels };
}

/**
 * Batches of images read from `directory`/<class>/… as the iterator is consumed: at most two
 * batches of images are in memory at a time (the one being used and the one loading), whatever
 * the number of files. Pass it to `model.fit` directly.
 */
export class DirectoryIterator extends BatchIterator {
  readonly directory: string;
  /** Class name → label index. */
  readonly classIndices: Record<string, number>;
  /** Class names in label order. */
  readonly classNames: string[];
  /** Image paths relative to `directory` ('/'-separated), in label order then file order. */
  readonly filenames: string[];
  /** The label index of each file. */
  readonly classes: Int32Array;
  readonly classMode: ClassMode;
  /** [height, width, channels] of every image. */
  readonly imageShape: [number, number, number];
  readonly onError: OnImageError;
  /** Files skipped so far because they could not be read or decoded. */
  readonly skippedFiles = new Set<string>();
  private readonly settings: PrepareSettings;
  private readonly loader: ImageLoader;

  constructor(
    readonly generator: ImageDataGenerator,
    directory: string,
    options: FlowFromDirectoryOptions = {},
  ) {
    const what = 'flowFromDirectory';
    const classMode = options.classMode === undefined ? 'categorical' : options.classMode;
    if (classMode !== null && !['binary', 'categorical', 'sparse', 'input'].includes(classMode)) {
      throw new ValueError(`${what}: classMode must be 'binary', 'categorical', 'sparse', 'input' or null, got '${String(classMode)}'`);
    }
    const subset = options.subset;
    if (subset !== undefined) {
      if (subset !== 'training' && subset !== 'validation') throw new ValueError(`${what}: subset must be 'training' or 'validation', got '${String(subset)}'`);
      if (generator.validationSplit === 0) throw new ValueError(`${what}: subset '${subset}' needs the generator's validationSplit to be set`);
    }
    const loadOptions: LoadImageOptions = {
      colorMode: options.colorMode ?? 'rgb',
      targetSize: options.targetSize ?? [256, 256],
      interpolation: options.interpolation ?? 'nearest',
      keepAspectRatio: options.keepAspectRatio ?? false,
    };
    const settings = prepareSettings(loadOptions, what);
    const onError = checkOnError(options.onError, what);
    const workers = checkWorkers(options.workers, what);
    const listing = listClassFiles(directory, { classes: options.classes, followLinks: options.followLinks }, what, (m) => console.warn(m));
    const filenames: string[] = [];
    const classes: number[] = [];
    listing.forEach((c, label) => {
      const [start, end] = splitRange(c.files.length, generator.validationSplit, subset);
      for (let i = start; i < end; i++) {
        filenames.push(c.files[i]!);
        classes.push(label);
      }
    });
    if (classMode === 'binary' && listing.length !== 2) {
      throw new ValueError(`${what}: classMode 'binary' needs exactly 2 classes, found ${listing.length} (${listing.map((c) => c.className).join(', ')}) in '${directory}'; use 'categorical' or 'sparse'`);
    }
    super(filenames.length, options, what);
    this.directory = directory;
    this.classNames = listing.map((c) => c.className);
    this.classIndices = Object.fromEntries(this.classNames.map((c, i) => [c, i]));
    this.filenames = filenames;
    this.classes = Int32Array.from(classes);
    this.classMode = classMode;
    this.settings = settings;
    this.imageShape = [settings.targetSize![0], settings.targetSize![1], settings.channels];
    this.onError = onError;
    this.loader = new ImageLoader(workers);
    if (options.verbose ?? true) console.log(`Found ${this.samples} images belonging to ${this.classNames.length} classes.`);
  }

  /** The full path of every image (`directory` joined with `filenames`). */
  get filepaths(): string[] {
    return this.filenames.map((f) => join(this.directory, f));
  }

  /** Keras' alias of `classes`. */
  get labels(): Int32Array {
    return this.classes;
  }

  /** Number of decoding worker threads (0: main thread). */
  get workers(): number {
    return this.loader.workers;
  }

  protected async loadBatch(indices: Int32Array, epoch: number): Promise<ImageBatch | null> {
    const [h, w, c] = this.imageShape;
    const tasks: ImageTask[] = [];
    for (const i of indices) {
      tasks.push({
        path: join(this.directory, this.filenames[i]!),
        name: join(this.directory, this.filenames[i]!),
        settings: this.settings,
        transform: this.generator.paramsFor(h, w, this.seed, epoch, i),
        fill: this.generator.augmentation,
      });
    }
    const results = await this.loader.load(tasks);
    const { kept, pixels } = collectResults(results, tasks.map((t) => t.name), this.onError, this.skippedFiles, 'flowFromDirectory');
    if (kept.length === 0) return null;
    const per = h * w * c;
    const out = new Float32Array(kept.length * per);
    pixels.forEach((data, k) => {
      const p = this.generator.standardizeInPlace({ data, height: h, width: w, channels: c });
      out.set(p.data, k * per);
    });
    const xs = fromValues(out, [kept.length, h, w, c], 'float32');
    if (this.classMode === null) return { xs };
    if (this.classMode === 'input') return { xs, ys: xs };
    const labels = kept.map((k) => this.classes[indices[k]!]!);
    return { xs, ys: encodeLabels(labels, this.classNames.length, this.classMode) };
  }

  /** Ends the decoding worker threads, if any (they never keep the process alive while idle). */
  close(): Promise<void> {
    return this.loader.close();
  }
}
