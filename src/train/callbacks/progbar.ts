import { Callback, type Logs } from './callback.js';

interface Output {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

function stdout(): Output | null {
  const g = globalThis as { process?: { stdout?: Output } };
  return g.process?.stdout ?? null;
}

function formatValue(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(4) : v.toFixed(4);
}

function formatDuration(seconds: number): string {
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  return `${Math.round(seconds)}s`;
}

function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .filter(([k]) => k !== 'batch' && k !== 'size')
    .map(([k, v]) => ` - ${k}: ${formatValue(v)}`)
    .join('');
}

/**
 * Keras' progress display: on a terminal, a bar per epoch updated in place (steps, ETA, loss and
 * metrics); otherwise — or with verbose 2 — one line per epoch with time per step and all logs.
 */
export class ProgbarLogger extends Callback {
  private readonly out: Output | null;
  private epochStart = 0;
  private lastDraw = 0;
  private lastBatchLogs: Logs = {};
  private batches = 0;

  constructor(
    private readonly verbose: number,
    out?: Output,
  ) {
    super();
    this.out = out ?? stdout();
  }

  private get live(): boolean {
    return this.verbose === 1 && this.out?.isTTY === true;
  }

  override onEpochBegin(epoch: number): void {
    this.epochStart = performance.now();
    this.lastDraw = 0;
    this.batches = 0;
    if (this.live) this.out?.write(`Epoch ${epoch + 1}/${this.params?.epochs ?? '?'}\n`);
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    this.batches = batch + 1;
    this.lastBatchLogs = logs;
    if (!this.live) return;
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw(batch + 1, logs, false);
  }

  private draw(done: number, logs: Logs, final: boolean): void {
    const steps = this.params?.steps ?? null;
    const elapsed = (performance.now() - this.epochStart) / 1000;
    const width = 30;
    let bar: string;
    if (steps !== null && steps > 0) {
      const filled = Math.min(width, Math.floor((width * done) / steps));
      const arrow = filled < width ? '>' : '';
      bar = `${String(done).padStart(String(steps).length)}/${steps} [${'='.repeat(Math.max(0, filled - (arrow ? 1 : 0)))}${arrow}${'.'.repeat(width - filled)}]`;
    } else {
      bar = `${done}/Unknown`;
    }
    const perStep = (elapsed * 1000) / Math.max(done, 1);
    const timing = final || steps === null ? ` - ${formatDuration(elapsed)} ${perStep.toFixed(0)}ms/step` : ` - ETA: ${formatDuration(((steps - done) * perStep) / 1000)}`;
    let line = `${bar}${timing}${formatLogs(logs)}`;
    const cols = this.out?.columns ?? 0;
    if (!final && cols > 10 && line.length >= cols) line = line.slice(0, cols - 1);
    this.out?.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (this.live) {
      this.draw(this.batches, logs, true);
      return;
    }
    const elapsed = (performance.now() - this.epochStart) / 1000;
    const perStep = (elapsed * 1000) / Math.max(this.batches, 1);
    this.out?.write(`Epoch ${epoch + 1}/${this.params?.epochs ?? '?'} - ${formatDuration(elapsed)} ${perStep.toFixed(0)}ms/step${formatLogs(logs)}\n`);
  }
}
