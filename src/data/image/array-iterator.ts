// ImageDataGenerator.flow: augmented batches from images already in memory (Keras' NumpyArrayIterator).
import { gather } from '../../ops/gather.js';
import { fromValues } from '../../tensor/creation.js';
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { BatchIterator, type BatchIteratorOptions, type ImageBatch } from './batch-iterator.js';
import type { ImageDataGenerator } from './generator.js';
import type { PixelArray } from './pixels.js';

export interface FlowOptions extends BatchIteratorOptions {
  /** Per-sample loss weights, shape [n]. */
  sampleWeight?: Tensor | null;
  /** With the generator's validationSplit: 'validation' is the first fraction of the rows, 'training' the rest. */
  subset?: 'training' | 'validation';
}

function rows(t: Tensor, start: number, end: number): Tensor {
  const per = t.size / Math.max(t.shape[0]!, 1);
  return fromValues(t.values.slice(start * per, end * per), [end - start, ...t.shape.slice(1)], t.dtype);
}

/** Batches of augmented, standardized images x [n, h, w, c] with targets y and sample weights gathered alongside. */
export class ArrayIterator extends BatchIterator {
  readonly x: Tensor;
  readonly y: Tensor | null;
  readonly sampleWeight: Tensor | null;

  constructor(
    readonly generator: ImageDataGenerator,
    x: Tensor,
    y: Tensor | null,
    options: FlowOptions,
  ) {
    const what = 'flow';
    if (!(x instanceof Tensor) || x.rank !== 4) throw new ShapeError(`${what}: x must be images of shape [n, height, width, channels], got ${x instanceof Tensor ? formatShape(x.shape) : typeof x}`);
    if (x.dtype === 'bool') throw new ValueError(`${what}: x must be numeric, got dtype bool`);
    const n = x.shape[0]!;
    if (y !== null && y !== undefined && (!(y instanceof Tensor) || y.rank === 0 || y.shape[0] !== n)) {
      throw new ShapeError(`${what}: y must have ${n} rows like x ${formatShape(x.shape)}, got ${y instanceof Tensor ? formatShape(y.shape) : typeof y}`);
    }
    const sw = options.sampleWeight ?? null;
    if (sw !== null && (!(sw instanceof Tensor) || sw.rank !== 1 || sw.shape[0] !== n)) {
      throw new ShapeError(`${what}: sampleWeight must have shape [${n}], got ${sw instanceof Tensor ? formatShape(sw.shape) : typeof sw}`);
    }
    let start = 0;
    let end = n;
    if (options.subset !== undefined) {
      if (options.subset !== 'training' && options.subset !== 'validation') throw new ValueError(`${what}: subset must be 'training' or 'validation', got '${String(options.subset)}'`);
      if (generator.validationSplit === 0) throw new ValueError(`${what}: subset '${options.subset}' needs the generator's validationSplit to be set`);
      const cut = Math.trunc(n * generator.validationSplit);
      [start, end] = options.subset === 'validation' ? [0, cut] : [cut, n];
    }
    super(end - start, options, what);
    const whole = start === 0 && end === n;
    this.x = whole ? x : rows(x, start, end);
    this.y = y === null || y === undefined ? null : whole ? y : rows(y, start, end);
    this.sampleWeight = sw === null ? null : whole ? sw : rows(sw, start, end);
  }

  protected async loadBatch(indices: Int32Array, epoch: number): Promise<ImageBatch> {
    const [, h, w, c] = this.x.shape as [number, number, number, number];
    const per = h * w * c;
    const out = new Float32Array(indices.length * per);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!;
      const view = { data: this.x.values.subarray(i * per, (i + 1) * per) as PixelArray, height: h, width: w, channels: c };
      const p = this.generator.standardizeInPlace(this.generator.transformPixels(view, this.seed, epoch, i));
      out.set(p.data, k * per);
    }
    const batch: ImageBatch = { xs: fromValues(out, [indices.length, h, w, c], 'float32') };
    const idx = fromValues(Int32Array.from(indices), [indices.length], 'int32');
    if (this.y !== null) batch.ys = gather(this.y, idx);
    if (this.sampleWeight !== null) batch.sampleWeight = gather(this.sampleWeight, idx);
    return batch;
  }
}
