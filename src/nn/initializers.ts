import { full, zeros } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import { ValueError } from '../tensor/errors.js';
import { randomFor } from '../tensor/random.js';
import { randomNormal, randomUniform, truncatedNormal } from '../tensor/random-creation.js';
import type { Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Creates a weight tensor of the given shape. */
export type Initializer = (shape: Shape, dtype: DType) => Tensor;

export const INITIALIZER_NAMES = [
  'zeros', 'ones', 'glorotUniform', 'glorotNormal', 'heUniform', 'heNormal', 'lecunUniform', 'lecunNormal',
  'randomNormal', 'randomUniform', 'truncatedNormal', 'orthogonal',
] as const;
export type InitializerName = (typeof INITIALIZER_NAMES)[number];
export type InitializerLike = InitializerName | Initializer;

/** Keras' fan computation: dense [in, out]; conv [..receptive field.., in, out]. */
export function computeFans(shape: Shape): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2]! * receptive, shape[shape.length - 1]! * receptive];
}

export interface VarianceScalingOptions {
  scale?: number;
  mode?: 'fanIn' | 'fanOut' | 'fanAvg';
  distribution?: 'truncatedNormal' | 'untruncatedNormal' | 'uniform';
  seed?: number;
}

/** The family behind glorot/he/lecun initializers, as defined by Keras. */
export function varianceScaling(options: VarianceScalingOptions = {}): Initializer {
  const scale = options.scale ?? 1;
  const mode = options.mode ?? 'fanIn';
  const distribution = options.distribution ?? 'truncatedNormal';
  return (shape, dtype) => {
    const [fanIn, fanOut] = computeFans(shape);
    const n = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, n);
    const opts = { seed: options.seed, dtype };
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return randomUniform(shape, -limit, limit, opts);
    }
    if (distribution === 'untruncatedNormal') return randomNormal(shape, 0, Math.sqrt(variance), opts);
    // 0.8796… is the stddev of a unit normal truncated to ±2σ; dividing keeps the variance exact.
    return truncatedNormal(shape, 0, Math.sqrt(variance) / 0.87962566103423978, opts);
  };
}

export function constant(value: number): Initializer {
  return (shape, dtype) => full(shape, value, dtype);
}

/** A (semi-)orthogonal matrix from the QR decomposition of a normal matrix (Saxe et al.), as Keras. */
export function orthogonal(options: { gain?: number; seed?: number } = {}): Initializer {
  const gain = options.gain ?? 1;
  return (shape, dtype) => {
    if (shape.length < 2) throw new ValueError(`orthogonal initializer: needs a shape of rank ≥ 2, got [${shape.join(', ')}]`);
    const cols = shape[shape.length - 1]!;
    const rows = shape.reduce((a, b) => a * b, 1) / cols;
    const rng = randomFor(options.seed);
    // Gram–Schmidt on the columns of the taller orientation gives orthonormal vectors.
    const tall = rows >= cols;
    const n = tall ? rows : cols;
    const k = tall ? cols : rows;
    const q: Float64Array[] = [];
    for (let j = 0; j < k; j++) {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = rng.nextNormal();
      for (const u of q) {
        let d = 0;
        for (let i = 0; i < n; i++) d += u[i]! * v[i]!;
        for (let i = 0; i < n; i++) v[i]! -= d * u[i]!;
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += v[i]! * v[i]!;
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) v[i]! /= norm;
      q.push(v);
    }
    const out = zeros(shape, dtype);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out.values[r * cols + c] = gain * (tall ? q[c]![r]! : q[r]![c]!);
    return out;
  };
}

const NAMED: Record<InitializerName, () => Initializer> = {
  zeros: () => (shape, dtype) => zeros(shape, dtype),
  ones: () => constant(1),
  glorotUniform: () => varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'uniform' }),
  glorotNormal: () => varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal' }),
  heUniform: () => varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'uniform' }),
  heNormal: () => varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' }),
  lecunUniform: () => varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'uniform' }),
  lecunNormal: () => varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'truncatedNormal' }),
  randomNormal: () => (shape, dtype) => randomNormal(shape, 0, 0.05, { dtype }),
  randomUniform: () => (shape, dtype) => randomUniform(shape, -0.05, 0.05, { dtype }),
  truncatedNormal: () => (shape, dtype) => truncatedNormal(shape, 0, 0.05, { dtype }),
  orthogonal: () => orthogonal(),
};

/** Resolves a name or function; unknown names list the valid ones. */
export function getInitializer(init: InitializerLike): Initializer {
  if (typeof init === 'function') return init;
  const make = Object.hasOwn(NAMED, init) ? NAMED[init] : undefined;
  if (make === undefined) {
    throw new ValueError(`unknown initializer '${String(init)}'; valid names: ${INITIALIZER_NAMES.join(', ')}`);
  }
  return make();
}

/** Keras-style factories: nb.initializers.glorotUniform({seed}) etc. */
export const initializers = {
  zeros: (): Initializer => NAMED.zeros(),
  ones: (): Initializer => NAMED.ones(),
  constant: (args: { value: number }): Initializer => constant(args.value),
  glorotUniform: (args: { seed?: number } = {}): Initializer => varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'uniform', ...args }),
  glorotNormal: (args: { seed?: number } = {}): Initializer => varianceScaling({ scale: 1, mode: 'fanAvg', ...args }),
  heUniform: (args: { seed?: number } = {}): Initializer => varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'uniform', ...args }),
  heNormal: (args: { seed?: number } = {}): Initializer => varianceScaling({ scale: 2, mode: 'fanIn', ...args }),
  lecunUniform: (args: { seed?: number } = {}): Initializer => varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'uniform', ...args }),
  lecunNormal: (args: { seed?: number } = {}): Initializer => varianceScaling({ scale: 1, mode: 'fanIn', ...args }),
  randomNormal: (args: { mean?: number; stddev?: number; seed?: number } = {}): Initializer => (shape, dtype) =>
    randomNormal(shape, args.mean ?? 0, args.stddev ?? 0.05, { seed: args.seed, dtype }),
  randomUniform: (args: { minval?: number; maxval?: number; seed?: number } = {}): Initializer => (shape, dtype) =>
    randomUniform(shape, args.minval ?? -0.05, args.maxval ?? 0.05, { seed: args.seed, dtype }),
  truncatedNormal: (args: { mean?: number; stddev?: number; seed?: number } = {}): Initializer => (shape, dtype) =>
    truncatedNormal(shape, args.mean ?? 0, args.stddev ?? 0.05, { seed: args.seed, dtype }),
  orthogonal: (args: { gain?: number; seed?: number } = {}): Initializer => orthogonal(args),
  varianceScaling,
};
