// The download progress display, in the style of the training progress bar (progbar.ts): on a
// terminal a bar redrawn in place (bytes, rate, ETA, files); otherwise a single line when the
// download starts; nothing with verbose 0.

/** Where progress is written: process.stderr by default; tests pass their own. */
export interface ProgressOutput {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

/** "2.7 kB", "11.6 MB": decimal units. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s >= 60) return `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  return `${Math.round(s)}s`;
}

export class DownloadProgress {
  private received = 0;
  private filesDone = 0;
  private lastDraw = 0;
  private readonly start = performance.now();
  private readonly out: ProgressOutput | null;

  constructor(
    private readonly name: string,
    private readonly totalBytes: number | null,
    private readonly files: number,
    verbose: number,
    out?: ProgressOutput,
  ) {
    const fallback = (globalThis as { process?: { stderr?: ProgressOutput } }).process?.stderr ?? null;
    this.out = verbose === 0 ? null : (out ?? fallback);
  }

  private get live(): boolean {
    return this.out?.isTTY === true;
  }

  /** Announces the download (the only output when not on a terminal). */
  begin(source: string, dir: string): void {
    const size = this.totalBytes !== null ? `, ${formatBytes(this.totalBytes)}` : '';
    this.out?.write(`Downloading ${this.name} (${this.files} file${this.files === 1 ? '' : 's'}${size}) from ${source} into ${dir}\n`);
  }

  add(bytes: number): void {
    this.received += bytes;
    if (!this.live) return;
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw(false);
  }

  fileDone(): void {
    this.filesDone++;
  }

  /** Ends the bar (a terminal only): the final state, then a newline. */
  end(ok: boolean): void {
    if (this.live) this.draw(true, ok);
  }

  private draw(final: boolean, ok = true): void {
    const elapsed = (performance.now() - this.start) / 1000;
    const rate = this.received / Math.max(elapsed, 1e-3);
    const width = 30;
    let bar: string;
    if (this.totalBytes !== null && this.totalBytes > 0) {
      const frac = Math.min(1, this.received / this.totalBytes);
      const filled = Math.floor(width * frac);
      const arrow = filled < width ? '>' : '';
      bar = `[${'='.repeat(Math.max(0, filled - (arrow ? 1 : 0)))}${arrow}${'.'.repeat(width - filled)}] ${formatBytes(this.received)}/${formatBytes(this.totalBytes)}`;
    } else {
      bar = formatBytes(this.received);
    }
    const files = this.files > 1 ? ` - ${this.filesDone}/${this.files} files` : '';
    const timing = final
      ? ` - ${formatSeconds(elapsed)} ${formatBytes(Math.round(rate))}/s${ok ? '' : ' - failed'}`
      : ` - ${formatBytes(Math.round(rate))}/s - ETA: ${this.totalBytes !== null ? formatSeconds((this.totalBytes - this.received) / Math.max(rate, 1)) : '?'}`;
    let line = `${this.name} ${bar}${files}${timing}`;
    const cols = this.out?.columns ?? 0;
    if (cols > 10 && line.length >= cols) line = line.slice(0, cols - 1);
    this.out?.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
  }
}
