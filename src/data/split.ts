// Seeded train/test splits of in-memory arrays (scikit-learn's train_test_split).
import { gather } from '../ops/gather.js';
import { fromValues } from '../tensor/creation.js';
import { ShapeError, ValueError } from '../tensor/errors.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';

export interface SplitOptions {
  /** Fraction of the samples in the test split, in (0, 1) (default 0.2). */
  testSize?: number;
  /** Seed of the shuffle (default 0): the same seed gives the same split. */
  seed?: number;
  /**
   * Class ids (int32 [samples]; usually y) to stratify by: each class is split in the same
   * proportion, so both splits keep the class balance.
   */
  stratify?: Tensor;
}

export interface Split {
  xTrain: Tensor;
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
}

function shuffleInPlace(a: number[], random: Random): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = random.nextInt(0, i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}

/**
 * Shuffles the rows of x and y with a seeded generator and splits them into train and test
 * (in shuffled order). With `stratify`, the test split takes round(testSize × count) rows of each class.
 */
export function trainTestSplit(x: Tensor, y: Tensor, options: SplitOptions = {}): Split {
  const n = x.shape[0];
  if (n === undefined || y.shape[0] !== n) {
    throw new ShapeError(`trainTestSplit: x and y need the same number of rows, got shapes [${x.shape.join(', ')}] and [${y.shape.join(', ')}]`);
  }
  const testSize = options.testSize ?? 0.2;
  if (!(testSize > 0 && testSize < 1)) throw new ValueError(`trainTestSplit: testSize must be in (0, 1), got ${testSize}`);
  const random = new Random(options.seed ?? 0);
  const train: number[] = [];
  const test: number[] = [];
  if (options.stratify !== undefined) {
    const s = options.stratify;
    if (s.shape.length !== 1 || s.shape[0] !== n) {
      throw new ShapeError(`trainTestSplit: stratify must have shape [${n}], got [${s.shape.join(', ')}]`);
    }
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const c = Number(s.values[i]);
      let list = byClass.get(c);
      if (list === undefined) byClass.set(c, (list = []));
      list.push(i);
    }
    for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
      const idx = byClass.get(c)!;
      shuffleInPlace(idx, random);
      const k = Math.round(testSize * idx.length);
      test.push(...idx.slice(0, k));
      train.push(...idx.slice(k));
    }
    shuffleInPlace(train, random);
    shuffleInPlace(test, random);
  } else {
    const idx = Array.from({ length: n }, (_, i) => i);
    shuffleInPlace(idx, random);
    const k = Math.round(testSize * n);
    test.push(...idx.slice(0, k));
    train.push(...idx.slice(k));
  }
  if (train.length === 0 || test.length === 0) {
    throw new ValueError(`trainTestSplit: testSize ${testSize} of ${n} samples leaves an empty train or test split`);
  }
  const trainIdx = fromValues(Int32Array.from(train), [train.length], 'int32');
  const testIdx = fromValues(Int32Array.from(test), [test.length], 'int32');
  return { xTrain: gather(x, trainIdx, 0), yTrain: gather(y, trainIdx, 0), xTest: gather(x, testIdx, 0), yTest: gather(y, testIdx, 0) };
}
