// Deriving independent, reproducible random streams (per epoch, per sample) from one seed.
import { Random, randomFor } from '../../tensor/random.js';
import { ValueError } from '../../tensor/errors.js';

/** A 32-bit hash of a sequence of integers (murmur3's finaliser over a multiply-xor chain). */
export function mixSeed(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ Math.floor(v / 4294967296), 0x5bd1e995) >>> 0;
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The seed to derive streams from: `seed` when given, else one drawn from the global generator (see setSeed). */
export function baseSeed(seed: number | undefined, what: string): number {
  if (seed === undefined) return randomFor(undefined).nextUint32();
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new ValueError(`${what}: seed must be a finite number, got ${String(seed)}`);
  return seed;
}

const ORDER = 1;
const AUGMENT = 2;

/** The order of `n` samples in epoch `epoch`: a seeded Fisher–Yates permutation, or 0..n−1 without shuffle. */
export function epochOrder(n: number, shuffle: boolean, seed: number, epoch: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (!shuffle) return order;
  const rng = new Random(mixSeed(seed, ORDER, epoch));
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(0, i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** The generator of sample `index`'s augmentation in epoch `epoch`: independent of batch order and threads. */
export function sampleRandom(seed: number, epoch: number, index: number): Random {
  return new Random(mixSeed(seed, AUGMENT, epoch, index));
}
