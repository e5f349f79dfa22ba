/**
 * Typed errors thrown by nabla. Every message names the op, layer or file involved and says what
 * was expected and what was found, so a user can fix the call without reading nabla's source.
 */
export class NablaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor had the wrong shape or rank, or two shapes were incompatible. */
export class ShapeError extends NablaError {}

/** A tensor had a dtype the operation does not accept. */
export class DTypeError extends NablaError {}

/** An argument had an invalid value (out-of-range axis, unknown name, bad option). */
export class ValueError extends NablaError {}

/** Input data (a file, a buffer, an array) was malformed or inconsistent. */
export class DataError extends NablaError {}

/** Automatic differentiation was used incorrectly (e.g. backward() on a non-scalar without a seed). */
export class GradientError extends NablaError {}
