import type { Tensor } from '../tensor/tensor.js';

let gradEnabled = true;

/** Whether ops currently record onto the tape. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording any op (like `torch.no_grad()`): inference and optimizer updates
 * then build no graph. `fn` must be synchronous; the previous mode is restored even if it throws.
 */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Runs `fn` with recording switched on or off. */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

export type BackwardRule = (gradOutput: Tensor) => readonly (Tensor | null)[];

/**
 * Attaches a tape node to `out` when recording is on and some input needs a gradient; returns
 * `out`. `backward` receives the output's gradient and returns one gradient (or null) per input.
 */
export function record(op: string, out: Tensor, inputs: readonly Tensor[], backward: BackwardRule): Tensor {
  if (!gradEnabled) return out;
  let needed = false;
  for (const t of inputs) {
    if (t.requiresGradient) {
      needed = true;
      break;
    }
  }
  if (needed) out.node = { op, inputs, backward };
  return out;
}
