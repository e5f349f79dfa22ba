import { backend } from '../backend/registry.js';
import { allocate } from '../tensor/dtype.js';
import { GradientError, ShapeError } from '../tensor/errors.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { withGradMode } from './tape.js';

/** Tensors reachable from `root` through recorded nodes, in topological order (inputs first). Iterative. */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
  const stack: { t: Tensor; next: number }[] = [{ t: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const inputs = top.t.node?.inputs ?? [];
    if (top.next < inputs.length) {
      const child = inputs[top.next++]!;
      if (child.requiresGradient && !visited.has(child)) {
        visited.add(child);
        stack.push({ t: child, next: 0 });
      }
    } else {
      order.push(top.t);
      stack.pop();
    }
  }
  return order;
}

function add(a: Tensor, b: Tensor): Tensor {
  const out = allocate(a.dtype, a.size);
  backend().binary('add', a.values, a.shape, b.values, b.shape, out, a.shape);
  return new Tensor(out, a.shape, a.dtype);
}

function onesLike(t: Tensor): Tensor {
  return new Tensor(allocate(t.dtype, t.size).fill(1), t.shape, t.dtype);
}

/**
 * Reverse-mode sweep from `root`: returns the gradient of every tensor in `targets` (null when it
 * does not influence root). Walks the tape iteratively, so a chain of any length cannot overflow the stack.
 */
export function computeGradients(
  root: Tensor,
  seed: Tensor | undefined,
  targets: readonly Tensor[] | 'leaves',
): Map<Tensor, Tensor> {
  if (seed === undefined && root.size !== 1) {
    throw new GradientError(
      `backward: the output has shape ${formatShape(root.shape)}; a gradient can be created implicitly only for a scalar (one-element) output — pass a seed gradient of the same shape`,
    );
  }
  if (seed !== undefined && !shapesEqual(seed.shape, root.shape)) {
    throw new ShapeError(`backward: seed gradient has shape ${formatShape(seed.shape)}, expected ${formatShape(root.shape)} (the output's shape)`);
  }
  const grads = new Map<Tensor, Tensor>();
  if (!root.requiresGradient) return grads;
  grads.set(root, seed ?? onesLike(root));
  const order = topoOrder(root);
  const wanted = targets === 'leaves' ? null : new Set(targets);
  const result = new Map<Tensor, Tensor>();
  withGradMode(false, () => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      const g = grads.get(t);
      if (g === undefined) continue;
      grads.delete(t); // each gradient is consumed once; dropping it frees memory as the sweep goes
      if (wanted === null ? t.node === null : wanted.has(t)) result.set(t, g);
      const node = t.node;
      if (node === null) continue;
      const inputGrads = node.backward(g);
      for (let j = 0; j < node.inputs.length; j++) {
        const input = node.inputs[j]!;
        const ig = inputGrads[j];
        if (ig === null || ig === undefined || !input.requiresGradient) continue;
        if (!shapesEqual(ig.shape, input.shape)) {
          throw new GradientError(
            `backward: the gradient rule of '${node.op}' returned shape ${formatShape(ig.shape)} for input ${j} of shape ${formatShape(input.shape)}`,
          );
        }
        const prev = grads.get(input);
        grads.set(input, prev === undefined ? ig : add(prev, ig));
      }
    }
  });
  return result;
}

/** Fills `.grad` on every leaf that requires a gradient, accumulating into existing gradients. */
export function backward(root: Tensor, seed?: Tensor): void {
  const grads = computeGradients(root, seed, 'leaves');
  for (const [leaf, g] of grads) {
    leaf.grad = leaf.grad === null ? g : add(leaf.grad, g);
  }
}
