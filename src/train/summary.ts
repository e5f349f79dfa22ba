// Keras' model.summary() table. Only types come from the model classes (model.ts imports this file),
// so Sequential and functional models are told apart by their className and members.
import type { Layer } from '../nn/layer.js';
import type { SymbolicShape, SymbolicTensor } from '../nn/symbolic.js';
import { ValueError } from '../tensor/errors.js';
import { sizeOf } from '../tensor/shape.js';
import type { Functional } from './functional.js';
import type { Model } from './model.js';
import type { Sequential } from './sequential.js';

export interface SummaryArgs {
  /** Total width of the table (default 65, or 98 for functional models, as Keras). */
  lineLength?: number;
  /** Right edge of each column, as fractions of lineLength (≤ 1) or as absolute character positions. */
  positions?: readonly number[];
  /** Receives each line (default console.log). */
  printFn?: (line: string) => void;
}

/** A shape as Keras prints it: (None, 26, 26, 32); a rank-1 shape keeps Python's trailing comma. */
export function formatKerasShape(shape: SymbolicShape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/** 1199882 → "1,199,882". */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Splits `text` into pieces of at most `width` characters, preferring to break after a space, comma or underscore. */
function wrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  let rest = text;
  while (rest.length > w) {
    let cut = -1;
    for (let i = w; i > 0; i--) {
      const c = rest[i - 1];
      if (c === ' ' || c === ',' || c === '_') {
        cut = i;
        break;
      }
    }
    if (cut <= 0) cut = w;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

/** One table row: each cell padded to its column (one space kept before the next), overflow wrapped onto extra lines. */
function formatRow(cells: readonly (string | readonly string[])[], ends: readonly number[]): string[] {
  const columns = cells.map((cell, i) => {
    const start = i === 0 ? 0 : ends[i - 1]!;
    const width = ends[i]! - start - (i === cells.length - 1 ? 0 : 1);
    return (typeof cell === 'string' ? [cell] : cell).flatMap((c) => wrap(c, width));
  });
  const height = Math.max(...columns.map((c) => c.length));
  const lines: string[] = [];
  for (let r = 0; r < height; r++) {
    let line = '';
    columns.forEach((col, i) => {
      const start = i === 0 ? 0 : ends[i - 1]!;
      line = line.padEnd(start);
      line += col[r] ?? '';
    });
    lines.push(line.trimEnd());
  }
  return lines;
}

function isSequential(m: Model): m is Sequential {
  return typeof (m as Partial<Sequential>).outputShapeOf === 'function';
}

function isFunctional(m: Model): m is Functional {
  return Array.isArray((m as Partial<Functional>).nodes) && Array.isArray((m as Partial<Functional>).inputs);
}

function columnEnds(args: SummaryArgs, defaults: readonly number[], defaultLength: number): number[] {
  const lineLength = args.lineLength ?? defaultLength;
  const positions = args.positions ?? defaults;
  if (positions.length !== defaults.length) {
    throw new ValueError(`summary: positions needs ${defaults.length} entries (one per column), got ${positions.length}`);
  }
  const ends = positions[positions.length - 1]! <= 1 ? positions.map((p) => Math.floor(lineLength * p)) : [...positions];
  if (!ends.every((e, i) => Number.isFinite(e) && e > (i === 0 ? 1 : ends[i - 1]! + 1))) {
    throw new ValueError(`summary: column positions must increase, got [${ends.join(', ')}] for lineLength ${lineLength}`);
  }
  return ends;
}

interface Row {
  name: string;
  shape: string;
  params: number;
  connected?: string[];
}

function sequentialRows(model: Sequential): Row[] {
  return model.layers.map((l) => {
    const shape = model.outputShapeOf(l);
    if (shape === null) {
      throw new ValueError(
        `summary: ${model.name} is not built yet, so its output shapes are unknown; give the first layer an inputShape (e.g. layers.dense({units: 10, inputShape: [784]})) or call the model on data first`,
      );
    }
    return { name: `${l.name} (${l.className})`, shape: formatKerasShape(shape), params: l.countParams() };
  });
}

function functionalRows(model: Functional): Row[] {
  // Which call of its layer produced each tensor (Keras' node index), for "name[node][output]".
  const callOf = new Map<SymbolicTensor, number>();
  for (const t of model.inputs) callOf.set(t, 0);
  const calls = new Map<Layer, number>();
  const nodesOf = new Map<Layer, Functional['nodes']>();
  for (const node of model.nodes) {
    const n = calls.get(node.layer) ?? 0;
    calls.set(node.layer, n + 1);
    for (const o of node.outputs) callOf.set(o, n);
    nodesOf.set(node.layer, [...(nodesOf.get(node.layer) ?? []), node]);
  }
  const shapeText = (ts: readonly SymbolicTensor[]): string =>
    ts.length === 1 ? formatKerasShape(ts[0]!.shape) : `[${ts.map((t) => formatKerasShape(t.shape)).join(', ')}]`;
  return model.layers.map((l) => {
    const input = model.inputs.find((t) => t.layer === l);
    const nodes = nodesOf.get(l) ?? [];
    let shape: string;
    if (input !== undefined) shape = formatKerasShape(input.shape);
    else {
      const distinct = new Set(nodes.map((n) => shapeText([...n.outputs].sort((a, b) => a.outputIndex - b.outputIndex))));
      shape = distinct.size === 1 ? [...distinct][0]! : 'multiple';
    }
    const connected = nodes.flatMap((n) => n.inputs.map((t) => `${t.layer.name}[${callOf.get(t) ?? 0}][${t.outputIndex}]`));
    return { name: `${l.name} (${l.className})`, shape, params: l.countParams(), connected };
  });
}

/**
 * Prints Keras' summary table: one row per layer with its output shape and parameter count (and,
 * for functional models, the layers it is connected to), then total, trainable and non-trainable
 * parameter counts. Returns the text as well.
 */
export function summary(model: Model, args: SummaryArgs = {}): string {
  const functional = isFunctional(model);
  let rows: Row[];
  let ends: number[];
  if (isSequential(model)) {
    rows = sequentialRows(model);
    ends = columnEnds(args, [0.45, 0.85, 1], 65);
  } else if (functional) {
    rows = functionalRows(model);
    ends = columnEnds(args, [0.33, 0.55, 0.67, 1], 98);
  } else {
    // Subclassed model: the forward pass is code, so output shapes are not known statically.
    rows = model.layers.map((l) => ({ name: `${l.name} (${l.className})`, shape: 'multiple', params: l.countParams() }));
    ends = columnEnds(args, [0.45, 0.85, 1], 65);
  }
  const width = ends[ends.length - 1]!;
  const header = functional ? ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'] : ['Layer (type)', 'Output Shape', 'Param #'];
  const lines: string[] = [`Model: "${model.name}"`, '_'.repeat(width), ...formatRow(header, ends), '='.repeat(width)];
  rows.forEach((r, i) => {
    const cells: (string | string[])[] = [r.name, r.shape, String(r.params)];
    if (functional) cells.push(r.connected ?? []);
    lines.push(...formatRow(cells, ends));
    lines.push(i === rows.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  if (rows.length === 0) lines.push('='.repeat(width));
  const count = (ws: readonly { shape: readonly number[] }[]): number => ws.reduce((s, w) => s + sizeOf(w.shape), 0);
  const trainable = count(model.trainableWeights);
  const nonTrainable = count(model.nonTrainableWeights);
  lines.push(`Total params: ${formatCount(trainable + nonTrainable)}`);
  lines.push(`Trainable params: ${formatCount(trainable)}`);
  lines.push(`Non-trainable params: ${formatCount(nonTrainable)}`);
  lines.push('_'.repeat(width));
  const print = args.printFn ?? ((line: string) => console.log(line));
  for (const line of lines) print(line);
  return lines.join('\n');
}
