// Random augmentation: drawing the parameters of one transform from the ranges of an
// ImageDataGenerator, and applying them in Keras' order.
import { ValueError } from '../../tensor/errors.js';
import type { Random } from '../../tensor/random.js';
import { affinePixels, checkFillMode, type FillMode } from './affine.js';
import { brightnessPixels, channelShiftPixels } from './color.js';
import { flipLeftRightPixels, flipUpDownPixels } from './flip.js';
import type { Pixels } from './pixels.js';

/** The augmentation ranges of an ImageDataGenerator (Keras' names, camelCase). */
export interface AugmentationOptions {
  /** Degrees: the rotation is drawn uniformly from [−rotationRange, rotationRange]. */
  rotationRange?: number;
  /**
   * A float < 1: fraction of the width, drawn from [−r, r]; a float ≥ 1: pixels from [−r, r]; an
   * integer ≥ 1: whole pixels from (−r, r); an array: one of its values with a random sign.
   */
  widthShiftRange?: number | readonly number[];
  /** As widthShiftRange, for the height. */
  heightShiftRange?: number | readonly number[];
  /** Shear angle in degrees, drawn from [−shearRange, shearRange]. */
  shearRange?: number;
  /** A float z: zoom drawn from [1 − z, 1 + z] per axis; or [lower, upper]. Values > 1 shrink the content (as Keras). */
  zoomRange?: number | readonly [number, number];
  /** Every channel is shifted by one value drawn from [−r, r], clipped to the image's range. */
  channelShiftRange?: number;
  /** [lower, upper]: brightness factor drawn from this range (1 keeps it). */
  brightnessRange?: readonly [number, number] | null;
  horizontalFlip?: boolean;
  verticalFlip?: boolean;
  /** How points outside the image are filled after rotation, shift, shear or zoom (default 'nearest'). */
  fillMode?: FillMode;
  /** The fill value for fillMode 'constant' (default 0). */
  cval?: number;
  /** 1 bilinear (default) or 0 nearest neighbour, for the affine resampling. */
  interpolationOrder?: 0 | 1;
}

/** The parameters of one random transform. */
export interface TransformParams {
  /** Rotation in degrees (counter-clockwise). */
  theta: number;
  /** Horizontal shift in pixels (the content moves left by tx). */
  tx: number;
  /** Vertical shift in pixels (the content moves up by ty). */
  ty: number;
  shear: number;
  zx: number;
  zy: number;
  flipHorizontal: boolean;
  flipVertical: boolean;
  channelShiftIntensity: number | null;
  brightness: number | null;
}

/** Validated augmentation settings. */
export interface Augmentation {
  rotationRange: number;
  widthShiftRange: number | readonly number[];
  heightShiftRange: number | readonly number[];
  shearRange: number;
  zoomRange: [number, number];
  channelShiftRange: number;
  brightnessRange: [number, number] | null;
  horizontalFlip: boolean;
  verticalFlip: boolean;
  fillMode: FillMode;
  cval: number;
  interpolationOrder: 0 | 1;
}

function nonNegative(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValueError(`imageDataGenerator: ${name} must be a non-negative number, got ${String(v)}`);
  return v;
}

function shiftRange(v: unknown, name: string): number | readonly number[] {
  if (Array.isArray(v)) {
    if (v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new ValueError(`imageDataGenerator: ${name} must be a number or a non-empty array of numbers, got ${JSON.stringify(v)}`);
    }
    return [...(v as number[])];
  }
  return nonNegative(v, name);
}

export function checkAugmentation(o: AugmentationOptions): Augmentation {
  let zoomRange: [number, number];
  const z = o.zoomRange ?? 0;
  if (typeof z === 'number') {
    nonNegative(z, 'zoomRange');
    zoomRange = [1 - z, 1 + z];
  } else if (Array.isArray(z) && z.length === 2 && z.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    zoomRange = [z[0]!, z[1]!];
  } else {
    throw new ValueError(`imageDataGenerator: zoomRange must be a number or [lower, upper], got ${JSON.stringify(z)}`);
  }
  if (zoomRange[0] <= 0 || zoomRange[1] < zoomRange[0]) {
    throw new ValueError(`imageDataGenerator: zoomRange must give 0 < lower ≤ upper, got [${zoomRange.join(', ')}]`);
  }
  let brightnessRange: [number, number] | null = null;
  const b = o.brightnessRange ?? null;
  if (b !== null) {
    if (!Array.isArray(b) || b.length !== 2 || !b.every((x) => typeof x === 'number' && x >= 0) || b[1]! < b[0]!) {
      throw new ValueError(`imageDataGenerator: brightnessRange must be [lower, upper] with 0 ≤ lower ≤ upper, got ${JSON.stringify(b)}`);
    }
    brightnessRange = [b[0]!, b[1]!];
  }
  const order = o.interpolationOrder ?? 1;
  if (order !== 0 && order !== 1) throw new ValueError(`imageDataGenerator: interpolationOrder must be 0 or 1, got ${String(order)}`);
  const cval = o.cval ?? 0;
  if (typeof cval !== 'number' || !Number.isFinite(cval)) throw new ValueError(`imageDataGenerator: cval must be a finite number, got ${String(cval)}`);
  return {
    rotationRange: nonNegative(o.rotationRange ?? 0, 'rotationRange'),
    widthShiftRange: shiftRange(o.widthShiftRange ?? 0, 'widthShiftRange'),
    heightShiftRange: shiftRange(o.heightShiftRange ?? 0, 'heightShiftRange'),
    shearRange: nonNegative(o.shearRange ?? 0, 'shearRange'),
    zoomRange,
    channelShiftRange: nonNegative(o.channelShiftRange ?? 0, 'channelShiftRange'),
    brightnessRange,
    horizontalFlip: Boolean(o.horizontalFlip ?? false),
    verticalFlip: Boolean(o.verticalFlip ?? false),
    fillMode: checkFillMode(o.fillMode ?? 'nearest', 'imageDataGenerator'),
    cval,
    interpolationOrder: order,
  };
}

/** True when the settings can change an image (so the per-image random work can be skipped otherwise). */
export function augments(a: Augmentation): boolean {
  const shifts = (r: number | readonly number[]): boolean => (typeof r === 'number' ? r !== 0 : r.some((v) => v !== 0));
  return (
    a.rotationRange !== 0 || shifts(a.widthShiftRange) || shifts(a.heightShiftRange) || a.shearRange !== 0 || a.zoomRange[0] !== 1 || a.zoomRange[1] !== 1 ||
    a.channelShiftRange !== 0 || a.brightnessRange !== null || a.horizontalFlip || a.verticalFlip
  );
}

function uniform(rng: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.nextFloat();
}

/** A shift in pixels drawn from a Keras shift range, for an axis of `size` pixels. */
function drawShift(range: number | readonly number[], size: number, rng: Random): number {
  if (typeof range === 'number') {
    if (range === 0) return 0;
    if (Number.isInteger(range) && range >= 1) return rng.nextInt(0, range) * (rng.nextFloat() < 0.5 ? -1 : 1);
    const v = uniform(rng, -range, range);
    return range < 1 ? v * size : v;
  }
  const v = range[rng.nextInt(0, range.length)]! * (rng.nextFloat() < 0.5 ? -1 : 1);
  return Math.max(...range) < 1 ? v * size : v;
}

/** Draws the parameters of one transform for an image of height × width (Keras' get_random_transform). */
export function randomTransformParams(a: Augmentation, height: number, width: number, rng: Random): TransformParams {
  const theta = a.rotationRange !== 0 ? uniform(rng, -a.rotationRange, a.rotationRange) : 0;
  const ty = drawShift(a.heightShiftRange, height, rng);
  const tx = drawShift(a.widthShiftRange, width, rng);
  const shear = a.shearRange !== 0 ? uniform(rng, -a.shearRange, a.shearRange) : 0;
  let zx = 1;
  let zy = 1;
  if (a.zoomRange[0] !== 1 || a.zoomRange[1] !== 1) {
    zx = uniform(rng, a.zoomRange[0], a.zoomRange[1]);
    zy = uniform(rng, a.zoomRange[0], a.zoomRange[1]);
  }
  const flipHorizontal = a.horizontalFlip && rng.nextFloat() < 0.5;
  const flipVertical = a.verticalFlip && rng.nextFloat() < 0.5;
  const channelShiftIntensity = a.channelShiftRange !== 0 ? uniform(rng, -a.channelShiftRange, a.channelShiftRange) : null;
  const brightness = a.brightnessRange !== null ? uniform(rng, a.brightnessRange[0], a.brightnessRange[1]) : null;
  return { theta, tx, ty, shear, zx, zy, flipHorizontal, flipVertical, channelShiftIntensity, brightness };
}

/**
 * Applies a transform in Keras' order: affine (rotation, shift, shear, zoom), channel shift,
 * horizontal flip, vertical flip, brightness. Returns float32 pixels (possibly `p` itself when
 * nothing applies and `p` is float32).
 */
export function applyTransformPixels(p: Pixels, t: Partial<TransformParams>, fill: Pick<Augmentation, 'fillMode' | 'cval' | 'interpolationOrder'>): Pixels<Float32Array> {
  let out: Pixels<Float32Array> = affinePixels(p, t, { fillMode: fill.fillMode, cval: fill.cval, order: fill.interpolationOrder });
  if (t.channelShiftIntensity !== undefined && t.channelShiftIntensity !== null) out = channelShiftPixels(out, t.channelShiftIntensity);
  if (t.flipHorizontal === true) out = flipLeftRightPixels(out) as Pixels<Float32Array>;
  if (t.flipVertical === true) out = flipUpDownPixels(out) as Pixels<Float32Array>;
  if (t.brightness !== undefined && t.brightness !== null) out = brightnessPixels(out, t.brightness);
  return out;
}
