import { save, saveWeights } from '../../io/save.js';
import { ValueError } from '../../tensor/errors.js';
import { Callback, type Logs } from './callback.js';
import { checkMonitorAvailable, type MonitorMode, monitorValue, resolveMode, say } from './monitor.js';

export interface ModelCheckpointArgs {
  /**
   * Where to save: a directory for the whole model (see save()), or a .safetensors file with
   * saveWeightsOnly. May contain placeholders filled at each save: {epoch} (1-based, as Keras) and
   * any logged value, with an optional Python-style format: {epoch:02d}, {val_loss:.4f}, {loss:.2e}.
   */
  filepath: string;
  /** The logged value that decides "best" (default 'val_loss'). */
  monitor?: string;
  /** Only save when the monitored value improves on the best so far (default false: save every epoch). */
  saveBestOnly?: boolean;
  /** Save only the weights, as one safetensors file (default false: topology, compile settings and weights). */
  saveWeightsOnly?: boolean;
  mode?: MonitorMode;
  /** With saveBestOnly, the value the first save must beat (default: none). */
  initialValueThreshold?: number;
  /** 1 prints a line for each save decision (default 0). */
  verbose?: 0 | 1;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g;

/** Formats a number with a Python format spec: [0][width][.precision][d|f|e|g]. */
export function formatSpec(value: number, spec: string | undefined, key: string): string {
  if (spec === undefined || spec === '') return String(value);
  const m = /^(0)?(\d+)?(?:\.(\d+))?([dfeg])?$/.exec(spec);
  if (m === null) throw new ValueError(`modelCheckpoint: unsupported format '{${key}:${spec}}'; use forms like {epoch:02d}, {val_loss:.4f}, {loss:.2e}`);
  const [, zero, width, precision, type] = m;
  const p = precision === undefined ? undefined : Number(precision);
  let text: string;
  switch (type) {
    case 'd':
      text = String(Math.round(value));
      break;
    case 'f':
      text = value.toFixed(p ?? 6);
      break;
    case 'e':
      text = value.toExponential(p ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      break;
    case 'g':
      text = value.toPrecision(p ?? 6);
      break;
    default:
      text = p === undefined ? String(value) : value.toFixed(p);
  }
  if (width !== undefined && text.length < Number(width)) {
    const neg = text.startsWith('-');
    text = zero ? (neg ? '-' : '') + (neg ? text.slice(1) : text).padStart(Number(width) - (neg ? 1 : 0), '0') : text.padStart(Number(width));
  }
  return text;
}

/**
 * Saves the model (or its weights) at the end of every epoch, or only when the monitored value
 * improves (Keras' ModelCheckpoint). Every write is atomic: a checkpoint on disk is always complete.
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: 'min' | 'max';
  readonly verbose: number;
  private readonly threshold: number | null;
  /** The best monitored value so far (±Infinity before the first save). */
  best: number;
  /** The path of the most recent save, or null. */
  lastSaved: string | null = null;

  constructor(args: ModelCheckpointArgs) {
    super();
    if (args === null || typeof args !== 'object' || typeof args.filepath !== 'string' || args.filepath.length === 0) {
      throw new ValueError('modelCheckpoint: filepath (a directory, or a .safetensors file with saveWeightsOnly) is required');
    }
    this.filepath = args.filepath;
    this.monitor = args.monitor ?? 'val_loss';
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.saveWeightsOnly = args.saveWeightsOnly ?? false;
    this.mode = resolveMode(this.monitor, args.mode, 'modelCheckpoint');
    this.verbose = args.verbose ?? 0;
    this.threshold = args.initialValueThreshold ?? null;
    this.best = this.initialBest();
    for (const m of this.filepath.matchAll(PLACEHOLDER)) if (m[1] !== 'epoch') formatSpec(0, m[2], m[1]!);
  }

  private initialBest(): number {
    return this.threshold ?? (this.mode === 'min' ? Infinity : -Infinity);
  }

  override onTrainBegin(): void {
    if (this.saveBestOnly) checkMonitorAvailable(this.monitor, this.params, 'modelCheckpoint');
    const logged = this.params?.metrics ?? [];
    for (const m of this.filepath.matchAll(PLACEHOLDER)) {
      if (m[1] !== 'epoch' && logged.length > 0 && !logged.includes(m[1]!)) {
        throw new ValueError(`modelCheckpoint: filepath placeholder {${m[1]}} is not logged by this fit(); available: epoch, ${logged.join(', ')}`);
      }
    }
  }

  /** The path for this epoch, placeholders filled in. */
  pathFor(epoch: number, logs: Logs): string {
    return this.filepath.replace(PLACEHOLDER, (_, key: string, spec: string | undefined) => {
      const value = key === 'epoch' ? epoch + 1 : logs[key];
      if (typeof value !== 'number') throw new ValueError(`modelCheckpoint: filepath placeholder {${key}} has no value at epoch ${epoch + 1}; logged: ${Object.keys(logs).join(', ')}`);
      return formatSpec(value, spec, key);
    });
  }

  private improves(current: number): boolean {
    return this.mode === 'min' ? current < this.best : current > this.best;
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const model = this.model;
    if (model === null) return;
    const path = this.pathFor(epoch, logs);
    if (this.saveBestOnly) {
      const current = monitorValue(logs, this.monitor);
      if (current === null) return;
      if (!this.improves(current)) {
        if (this.verbose > 0) say(`Epoch ${epoch + 1}: ${this.monitor} did not improve from ${this.best.toFixed(5)}`);
        return;
      }
      if (this.verbose > 0) say(`Epoch ${epoch + 1}: ${this.monitor} improved from ${this.best.toFixed(5)} to ${current.toFixed(5)}, saving model to ${path}`);
      this.best = current;
    } else if (this.verbose > 0) {
      say(`Epoch ${epoch + 1}: saving model to ${path}`);
    }
    if (this.saveWeightsOnly) await saveWeights(model, path);
    else await save(model, path);
    this.lastSaved = path;
  }
}
