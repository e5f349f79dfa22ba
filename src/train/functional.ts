import { type CallOptions, Layer, type LayerInput, type LayerOutput } from '../nn/layer.js';
import { SymbolicTensor } from '../nn/symbolic.js';
import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { Model } from './model.js';

/** One recorded layer call: the layer, its symbolic inputs, and the symbolic outputs it produced. */
export interface GraphNode {
  layer: Layer;
  inputs: readonly SymbolicTensor[];
  outputs: SymbolicTensor[];
}

export interface FunctionalArgs {
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  outputs: SymbolicTensor | readonly SymbolicTensor[];
  name?: string;
}

/**
 * A model defined by connecting layers on symbolic tensors (Keras' functional API): several inputs
 * and outputs, shared layers, any directed acyclic graph.
 */
export class Functional extends Model {
  static override readonly className: string = 'Functional';
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  /** Layer calls in execution order. */
  readonly nodes: GraphNode[];

  constructor(args: FunctionalArgs) {
    super(args.name !== undefined ? { name: args.name } : {});
    const list = (v: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor[] => (v instanceof SymbolicTensor ? [v] : [...v]);
    this.inputs = list(args.inputs);
    this.outputs = list(args.outputs);
    for (const t of [...this.inputs, ...this.outputs]) {
      if (!(t instanceof SymbolicTensor)) throw new ValueError('model: inputs and outputs must be symbolic tensors (from nb.input() and layer calls on them)');
    }
    for (const t of this.inputs) {
      if (t.inputs.length !== 0) throw new ValueError(`model: input ${t.layer.name} is not a model input created by nb.input()`);
    }
    this.nodes = topologicalNodes(this.outputs, new Set(this.inputs));
  }

  override get layers(): Layer[] {
    const seen = new Set<Layer>();
    for (const t of this.inputs) seen.add(t.layer);
    for (const n of this.nodes) seen.add(n.layer);
    return [...seen];
  }

  override get outputNames(): string[] {
    return this.outputs.map((o) => o.layer.name);
  }

  override call(inputs: LayerInput, options: CallOptions): LayerOutput {
    const given = inputs instanceof Tensor ? [inputs] : [...inputs];
    if (given.length !== this.inputs.length) {
      throw new ValueError(`${this.name}: expected ${this.inputs.length} input tensors, got ${given.length}`);
    }
    const values = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((s, i) => values.set(s, s.layer.apply(given[i]!, options) as Tensor));
    for (const node of this.nodes) {
      const args = node.inputs.map((s) => values.get(s)!);
      const single = node.inputs.length === 1 && !isListCall(node);
      const out = node.layer.apply(single ? args[0]! : args, options);
      const outs = Array.isArray(out) ? out : [out];
      node.outputs.forEach((s) => values.set(s, outs[s.outputIndex]!));
    }
    const outs = this.outputs.map((s) => values.get(s)!);
    return outs.length === 1 ? outs[0]! : outs;
  }

  /** Functional models check every input themselves; the base per-sample check does not apply. */
  protected override checksInputShape(): boolean {
    return false;
  }
}

/** A call recorded with a list (merge layers) keeps passing a list even of length one. */
function isListCall(node: GraphNode): boolean {
  return node.outputs[0]?.listCall ?? false;
}

/** Layer calls reachable backwards from the outputs, ordered so every call follows its inputs. */
function topologicalNodes(outputs: readonly SymbolicTensor[], inputs: ReadonlySet<SymbolicTensor>): GraphNode[] {
  const nodes = new Map<readonly SymbolicTensor[], GraphNode>();
  const order: GraphNode[] = [];
  const visited = new Set<readonly SymbolicTensor[]>();
  // Pushed in reverse so the walk visits the first output and the first input of each call first.
  const stack: { t: SymbolicTensor; expanded: boolean }[] = [...outputs].reverse().map((t) => ({ t, expanded: false }));
  while (stack.length > 0) {
    const top = stack.pop()!;
    const t = top.t;
    if (inputs.has(t)) continue;
    if (t.inputs.length === 0) {
      throw new ValueError(`model: output depends on input ${t.layer.name}, which is not among the model's inputs`);
    }
    const key = t.inputs;
    let node = nodes.get(key);
    if (node === undefined) {
      node = { layer: t.layer, inputs: t.inputs, outputs: [] };
      nodes.set(key, node);
    }
    if (!node.outputs.includes(t)) node.outputs.push(t);
    if (visited.has(key)) continue;
    if (top.expanded) {
      visited.add(key);
      order.push(node);
      continue;
    }
    stack.push({ t, expanded: true });
    for (const i of [...t.inputs].reverse()) stack.push({ t: i, expanded: false });
  }
  return order;
}
