// Keras' ImageDataGenerator: random augmentation, normalisation and batch iterators over arrays
// (flow) and class folders (flowFromDirectory).
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { fromValues } from '../../tensor/creation.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { ArrayIterator, type FlowOptions } from './array-iterator.js';
import { DirectoryIterator, type FlowFromDirectoryOptions } from './directory-iterator.js';
import { mapImages, type Pixels } from './pixels.js';
import {
  applyTransformPixels, type Augmentation, type AugmentationOptions, augments, checkAugmentation, randomTransformParams, type TransformParams,
} from './random-transform.js';
import { baseSeed, sampleRandom } from './seeds.js';

export interface ImageDataGeneratorOptions extends AugmentationOptions {
  /** Multiplies every value (after augmentation), e.g. 1/255 to map pixels to [0, 1]. */
  rescale?: number | null;
  /** Subtract the per-channel mean of the data given to fit(). */
  featurewiseCenter?: boolean;
  /** Divide by the per-channel standard deviation of the data given to fit(). */
  featurewiseStdNormalization?: boolean;
  /** Subtract each image's own mean (over all its values). */
  samplewiseCenter?: boolean;
  /** Divide each image by its own standard deviation. */
  samplewiseStdNormalization?: boolean;
  /** Fraction of the images held out as the 'validation' subset (flow / flowFromDirectory `subset`), in [0, 1). */
  validationSplit?: number;
  /**
   * Applied to each image (a float32 [h, w, c] tensor) after resizing and augmentation, before
   * rescale; must return a tensor of the same shape.
   */
  preprocessingFunction?: ((image: Tensor) => Tensor) | null;
}

const EPSILON = 1e-6;

/**
 * Generates batches of images with real-time augmentation, as Keras' ImageDataGenerator:
 * `imageDataGenerator({rescale: 1 / 255, horizontalFlip: true}).flowFromDirectory('data/train', {...})`.
 * Each image is (1) resized, (2) randomly transformed — rotation, shift, shear, zoom, channel shift,
 * flips, brightness — then (3) standardized: preprocessingFunction, rescale, samplewise and
 * featurewise centring and scaling, in Keras' order.
 */
export class ImageDataGenerator {
  readonly augmentation: Augmentation;
  readonly rescale: number | null;
  readonly featurewiseCenter: boolean;
  readonly featurewiseStdNormalization: boolean;
  readonly samplewiseCenter: boolean;
  readonly samplewiseStdNormalization: boolean;
  readonly validationSplit: number;
  readonly preprocessingFunction: ((image: Tensor) => Tensor) | null;
  /** Whether any random transform is configured. */
  readonly augments: boolean;
  private fitMean: Float64Array | null = null;
  private fitStd: Float64Array | null = null;
  private warned = new Set<string>();

  constructor(options: ImageDataGeneratorOptions = {}) {
    if (options === null || typeof options !== 'object') throw new ValueError(`imageDataGenerator: options must be an object, got ${String(options)}`);
    this.augmentation = checkAugmentation(options);
    this.augments = augments(this.augmentation);
    const rescale = options.rescale ?? null;
    if (rescale !== null && (typeof rescale !== 'number' || !Number.isFinite(rescale))) {
      throw new ValueError(`imageDataGenerator: rescale must be a finite number, got ${String(rescale)}`);
    }
    this.rescale = rescale === 0 ? null : rescale; // Keras treats 0 (and None) as no rescaling
    this.featurewiseCenter = Boolean(options.featurewiseCenter ?? false);
    this.featurewiseStdNormalization = Boolean(options.featurewiseStdNormalization ?? false);
    this.samplewiseCenter = Boolean(options.samplewiseCenter ?? false);
    this.samplewiseStdNormalization = Boolean(options.samplewiseStdNormalization ?? false);
    const split = options.validationSplit ?? 0;
    if (typeof split !== 'number' || !(split >= 0 && split < 1)) {
      throw new ValueError(`imageDataGenerator: validationSplit must be in [0, 1), got ${String(split)}`);
    }
    this.validationSplit = split;
    const pf = options.preprocessingFunction ?? null;
    if (pf !== null && typeof pf !== 'function') throw new ValueError('imageDataGenerator: preprocessingFunction must be a function (image: Tensor) => Tensor');
    this.preprocessingFunction = pf;
  }

  /** The per-channel mean from fit(), shape [1, 1, channels], or null before fit(). */
  get mean(): Tensor | null {
    return this.fitMean === null ? null : fromValues(Float32Array.from(this.fitMean), [1, 1, this.fitMean.length], 'float32');
  }

  /** The per-channel standard deviation from fit(), shape [1, 1, channels], or null. */
  get std(): Tensor | null {
    return this.fitStd === null ? null : fromValues(Float32Array.from(this.fitStd), [1, 1, this.fitStd.length], 'float32');
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    console.warn(message);
  }

  /** Draws the parameters of one random transform for an image of `shape` [h, w, c] (Keras' get_random_transform). */
  getRandomTransform(shape: readonly number[], seed?: number): TransformParams {
    if (!Array.isArray(shape) || shape.length < 2) throw new ShapeError(`getRandomTransform: shape must be [height, width, channels], got ${JSON.stringify(shape)}`);
    return randomTransformParams(this.augmentation, shape[0]!, shape[1]!, sampleRandom(baseSeed(seed, 'getRandomTransform'), 0, 0));
  }

  /** Applies transform parameters to one image [h, w, c] (Keras' apply_transform); float32 result. */
  applyTransform(image: Tensor, params: Partial<TransformParams>): Tensor {
    return mapImages(image, 'applyTransform', (p) => applyTransformPixels(p, params, this.augmentation));
  }

  /** A random transform of one image [h, w, c] (or each image of a batch), reproducible with `seed`. */
  randomTransform(image: Tensor, seed?: number): Tensor {
    const s = baseSeed(seed, 'randomTransform');
    let i = 0;
    return mapImages(image, 'randomTransform', (p) => this.transformPixels(p, s, 0, i++));
  }

  /** @internal The random transform of sample `index` in `epoch` (float32 pixels; a copy when nothing applies). */
  transformPixels(p: Pixels, seed: number, epoch: number, index: number): Pixels<Float32Array> {
    if (!this.augments) return { ...p, data: Float32Array.from(p.data) };
    const params = randomTransformParams(this.augmentation, p.height, p.width, sampleRandom(seed, epoch, index));
    return applyTransformPixels(p, params, this.augmentation);
  }

  /** @internal Draws sample `index`'s transform parameters for `epoch`, or null when nothing is configured. */
  paramsFor(height: number, width: number, seed: number, epoch: number, index: number): TransformParams | null {
    return this.augments ? randomTransformParams(this.augmentation, height, width, sampleRandom(seed, epoch, index)) : null;
  }

  /** True when standardizeInPlace changes anything. */
  get standardizes(): boolean {
    return this.preprocessingFunction !== null || this.rescale !== null || this.samplewiseCenter || this.samplewiseStdNormalization || this.featurewiseCenter || this.featurewiseStdNormalization;
  }

  /**
   * Normalizes one float32 image in place (Keras' standardize): preprocessingFunction, rescale,
   * samplewise centre / std, featurewise centre / std. Returns the pixels (new ones when the
   * preprocessingFunction replaced them).
   */
  standardizeInPlace(p: Pixels<Float32Array>): Pixels<Float32Array> {
    if (this.preprocessingFunction !== null) {
      const input = fromValues(p.data, [p.height, p.width, p.channels], 'float32');
      const out = this.preprocessingFunction(input);
      if (!(out instanceof Tensor)) throw new ValueError(`imageDataGenerator: preprocessingFunction must return a Tensor, got ${out === null ? 'null' : typeof out}`);
      if (out.rank !== 3 || out.shape[0] !== p.height || out.shape[1] !== p.width || out.shape[2] !== p.channels) {
        throw new ShapeError(`imageDataGenerator: preprocessingFunction must return an image of shape [${p.height}, ${p.width}, ${p.channels}], got ${formatShape(out.shape)}`);
      }
      p = { ...p, data: out.values instanceof Float32Array && out.values !== p.data ? out.values.slice() : Float32Array.from(out.values) };
    }
    const x = p.data;
    const n = x.length;
    if (this.rescale !== null) for (let i = 0; i < n; i++) x[i]! *= this.rescale;
    if (this.samplewiseCenter || this.samplewiseStdNormalization) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += x[i]!;
      mean /= Math.max(n, 1);
      if (this.samplewiseCenter) {
        for (let i = 0; i < n; i++) x[i]! -= mean;
        mean = 0;
      }
      if (this.samplewiseStdNormalization) {
        let ss = 0;
        for (let i = 0; i < n; i++) ss += (x[i]! - mean) ** 2;
        const scale = 1 / (Math.sqrt(ss / Math.max(n, 1)) + EPSILON);
        for (let i = 0; i < n; i++) x[i]! *= scale;
      }
    }
    const c = p.channels;
    if (this.featurewiseCenter) {
      if (this.fitMean === null) {
        this.warnOnce('center', 'imageDataGenerator: featurewiseCenter is set, but the generator has not been fit on any data; call generator.fit(x) first');
      } else {
        this.checkChannels(this.fitMean, c);
        for (let i = 0; i < n; i++) x[i]! -= this.fitMean[i % c]!;
      }
    }
    if (this.featurewiseStdNormalization) {
      if (this.fitStd === null) {
        this.warnOnce('std', 'imageDataGenerator: featurewiseStdNormalization is set, but the generator has not been fit on any data; call generator.fit(x) first');
      } else {
        this.checkChannels(this.fitStd, c);
        for (let i = 0; i < n; i++) x[i]! /= this.fitStd[i % c]! + EPSILON;
      }
    }
    return p;
  }

  private checkChannels(stats: Float64Array, channels: number): void {
    if (stats.length !== channels) {
      throw new ShapeError(`imageDataGenerator: fit() saw images with ${stats.length} channels but these have ${channels}`);
    }
  }

  /** Keras' standardize on an image [h, w, c] or a batch [n, h, w, c]; returns a new float32 tensor. */
  standardize(images: Tensor): Tensor {
    return mapImages(images, 'standardize', (p) => this.standardizeInPlace({ ...p, data: Float32Array.from(p.data) }));
  }

  /**
   * Computes the per-channel mean and standard deviation used by featurewiseCenter and
   * featurewiseStdNormalization from sample images x [n, h, w, c] (after rescale, as Keras). With
   * `augment`, the statistics are taken over `rounds` randomly augmented copies.
   */
  fit(x: Tensor, options: { augment?: boolean; rounds?: number; seed?: number } = {}): this {
    if (!(x instanceof Tensor) || x.rank !== 4) {
      throw new ShapeError(`imageDataGenerator.fit: expected images of shape [n, height, width, channels], got ${x instanceof Tensor ? formatShape(x.shape) : typeof x}`);
    }
    const [n, h, w, c] = x.shape as [number, number, number, number];
    if (n === 0) throw new ValueError('imageDataGenerator.fit: x holds no images');
    if (![1, 3, 4].includes(c)) console.warn(`imageDataGenerator.fit: expected 1, 3 or 4 channels on the last axis, got shape ${formatShape(x.shape)}`);
    const rounds = options.augment === true ? (options.rounds ?? 1) : 1;
    if (!Number.isInteger(rounds) || rounds < 1) throw new ValueError(`imageDataGenerator.fit: rounds must be a positive integer, got ${rounds}`);
    const seed = baseSeed(options.seed, 'imageDataGenerator.fit');
    const per = h * w * c;
    const sum = new Float64Array(c);
    const sumSq = new Float64Array(c);
    const scale = this.rescale ?? 1;
    // Two passes (mean, then squared deviations) for accuracy; augmentation is redrawn identically by seed.
    const images = function* (self: ImageDataGenerator): Generator<ArrayLike<number>> {
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < n; i++) {
          const view = { data: x.values.subarray(i * per, (i + 1) * per) as Float32Array, height: h, width: w, channels: c };
          if (options.augment === true) {
            const scaled = { ...view, data: Float32Array.from(view.data, (v) => v * scale) };
            yield self.transformPixels(scaled, seed, r, i).data;
          } else {
            yield view.data;
          }
        }
      }
    };
    const unscaled = options.augment !== true;
    const count = n * rounds * h * w;
    for (const data of images(this)) for (let j = 0; j < per; j++) sum[j % c]! += unscaled ? data[j]! * scale : data[j]!;
    const mean = sum.map((s) => s / count);
    for (const data of images(this)) {
      for (let j = 0; j < per; j++) {
        const d = (unscaled ? data[j]! * scale : data[j]!) - mean[j % c]!;
        sumSq[j % c]! += d * d;
      }
    }
    this.fitMean = this.featurewiseCenter ? mean : null;
    // Keras takes the std after centring, which leaves it unchanged.
    this.fitStd = this.featurewiseStdNormalization ? sumSq.map((s) => Math.sqrt(s / count)) : null;
    return this;
  }

  /**
   * Batches from in-memory images x [n, h, w, c] and optional targets y (first axis n): Keras'
   * flow. With validationSplit, `subset: 'validation'` takes the first fraction of the rows and
   * 'training' the rest.
   */
  flow(x: Tensor, y: Tensor | null = null, options: FlowOptions = {}): ArrayIterator {
    return new ArrayIterator(this, x, y, options);
  }

  /**
   * Batches of images read lazily from `directory`, one subfolder per class (classes from the
   * sorted subfolder names): Keras' flow_from_directory.
   */
  flowFromDirectory(directory: string, options: FlowFromDirectoryOptions = {}): DirectoryIterator {
    return new DirectoryIterator(this, directory, options);
  }
}

/** Creates an ImageDataGenerator (Keras' `ImageDataGenerator(...)`, camelCase options). */
export function imageDataGenerator(options: ImageDataGeneratorOptions = {}): ImageDataGenerator {
  return new ImageDataGenerator(options);
}
