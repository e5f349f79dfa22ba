import { noGrad } from '../autograd/tape.js';
import { type CallOptions, Layer, type LayerInput, type LayerOutput } from '../nn/layer.js';
import type { SymbolicShape } from '../nn/symbolic.js';
import { zeros } from '../tensor/creation.js';
import { ShapeError, ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { Model } from './model.js';

export interface SequentialArgs {
  layers?: readonly Layer[];
  name?: string;
}

/**
 * A linear stack of layers. When the first layer declares `inputShape`, every layer is built as it
 * is added (so summary() works before training); otherwise building waits for the first batch.
 */
export class Sequential extends Model {
  static override readonly className: string = 'Sequential';
  private readonly stack: Layer[] = [];
  /** Output shape (batch dimension null) after each layer, once known. */
  private readonly shapes = new Map<Layer, SymbolicShape>();
  private currentShape: SymbolicShape | null = null;

  constructor(args: SequentialArgs | readonly Layer[] = {}) {
    const opts: SequentialArgs = Array.isArray(args) ? { layers: args as readonly Layer[] } : (args as SequentialArgs);
    super(opts.name !== undefined ? { name: opts.name } : {});
    for (const l of opts.layers ?? []) this.add(l);
  }

  override get layers(): Layer[] {
    return [...this.stack];
  }

  /** Appends a layer (building it immediately when the input shape is known). */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new ValueError(`${this.name}.add: expected a Layer, got ${typeof layer}`);
    if (this.stack.includes(layer)) throw new ValueError(`${this.name}.add: layer ${layer.name} is already in the model`);
    if (this.stack.length === 0 && layer.batchInputShape !== null) this.currentShape = layer.batchInputShape;
    else if (this.stack.length > 0 && layer.batchInputShape !== null && this.currentShape !== null) {
      const expected = this.currentShape.slice(1).join(',');
      if (layer.batchInputShape.slice(1).join(',') !== expected) {
        throw new ShapeError(`${this.name}.add: ${layer.name} declares inputShape [${layer.batchInputShape.slice(1).join(', ')}] but the previous layer outputs [${expected}]`);
      }
    }
    this.stack.push(layer);
    if (this.currentShape !== null) this.propagate(layer, this.currentShape);
  }

  /** Removes the last layer. */
  pop(): Layer {
    const l = this.stack.pop();
    if (l === undefined) throw new ValueError(`${this.name}.pop: the model has no layers`);
    this.shapes.delete(l);
    const last = this.stack[this.stack.length - 1];
    this.currentShape = last === undefined ? null : (this.shapes.get(last) ?? null);
    return l;
  }

  private propagate(layer: Layer, inShape: SymbolicShape): void {
    const dummy = zeros(inShape.map((d) => d ?? 1));
    const out = noGrad(() => layer.apply(dummy, { training: false }));
    if (!(out instanceof Tensor)) throw new ValueError(`${this.name}: layer ${layer.name} returns several outputs; use the functional API`);
    const shape = [inShape[0] ?? null, ...out.shape.slice(1)];
    this.shapes.set(layer, shape);
    this.currentShape = shape;
  }

  /** The output shape after `layer`, when the model has been built. */
  outputShapeOf(layer: Layer): SymbolicShape | null {
    return this.shapes.get(layer) ?? null;
  }

  override call(inputs: LayerInput, options: CallOptions): LayerOutput {
    if (this.stack.length === 0) throw new ValueError(`${this.name}: cannot run a Sequential model with no layers`);
    let x: LayerOutput = inputs instanceof Tensor ? inputs : [...inputs];
    for (const layer of this.stack) x = layer.apply(x, options);
    return x;
  }

  /** Records shapes on the first real batch when no inputShape was declared. */
  protected override ensureBuilt(shapes: readonly (readonly number[])[]): void {
    if (this.currentShape === null && this.stack.length > 0 && shapes.length === 1) {
      const inShape: SymbolicShape = [null, ...shapes[0]!.slice(1)];
      let s = inShape;
      for (const l of this.stack) {
        this.propagate(l, s);
        s = this.currentShape!;
      }
    }
    super.ensureBuilt(shapes.map((s) => [...s]));
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, layers: this.stack.map((l) => ({ className: l.className, config: l.getConfig() })) };
  }
}
