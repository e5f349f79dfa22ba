import { atomicWrite, defaultFileSystem, readFileOrThrow, exists } from '../../io/files.js';
import { DataError, ValueError } from '../../tensor/errors.js';
import { Callback, type Logs } from './callback.js';

export interface CSVLoggerArgs {
  /** The CSV file to write. */
  filename: string;
  /** Field separator (default ','). */
  separator?: string;
  /** Add rows to an existing file instead of replacing it (default false). */
  append?: boolean;
}

/**
 * Writes one CSV row per epoch: the 0-based epoch and every logged value, columns sorted by name
 * (Keras' CSVLogger). The file is rewritten atomically at each epoch end (temporary file, then
 * rename), so a crash never leaves a half-written row.
 */
export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private content = '';
  private existingHeader: string | null = null;

  constructor(args: CSVLoggerArgs) {
    super();
    if (args === null || typeof args !== 'object' || typeof args.filename !== 'string' || args.filename.length === 0) {
      throw new ValueError('csvLogger: filename is required');
    }
    this.filename = args.filename;
    this.separator = args.separator ?? ',';
    if (typeof this.separator !== 'string' || this.separator.length === 0 || /["\r\n]/.test(this.separator)) {
      throw new ValueError(`csvLogger: separator must be a non-empty string without quotes or newlines, got ${JSON.stringify(args.separator)}`);
    }
    this.append = args.append ?? false;
  }

  private field(s: string): string {
    return s.includes(this.separator) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  override async onTrainBegin(): Promise<void> {
    this.keys = null;
    this.content = '';
    this.existingHeader = null;
    if (this.append) {
      const fs = await defaultFileSystem();
      if (await exists(this.filename, fs)) {
        const text = new TextDecoder().decode(await readFileOrThrow(this.filename, 'the CSV log to append to', fs));
        if (text.trim() !== '') {
          this.content = text.endsWith('\n') ? text : `${text}\n`;
          this.existingHeader = text.split(/\r?\n/, 1)[0]!;
        }
      }
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.keys === null) {
      this.keys = Object.keys(logs).sort();
      const header = ['epoch', ...this.keys].map((k) => this.field(k)).join(this.separator);
      if (this.existingHeader === null) this.content += `${header}\n`;
      else if (this.existingHeader !== header) {
        throw new DataError(`${this.filename}: cannot append: its columns are "${this.existingHeader}" but this training logs "${header}"`);
      }
    }
    const row = [String(epoch), ...this.keys.map((k) => (typeof logs[k] === 'number' ? String(logs[k]) : 'NA'))];
    this.content += `${row.join(this.separator)}\n`;
    await atomicWrite(this.filename, this.content);
  }
}
