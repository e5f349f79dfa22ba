// Printing aligned text tables, and writing results as JSON (atomically: temporary file, then rename).
import fs from 'node:fs';
import path from 'node:path';

const width = (s: string): number => [...s].length;

/** Prints a titled table; `align` gives 'l' or 'r' per column (default: first left, others right). */
export function printTable(headers: readonly string[], rows: readonly (readonly string[])[], align?: string): void {
  const cols = headers.length;
  const w = headers.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c] ?? ''))));
  const al = align ?? 'l' + 'r'.repeat(cols - 1);
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => {
        const pad = ' '.repeat(Math.max(0, w[c]! - width(cell)));
        return al[c] === 'l' ? cell + pad : pad + cell;
      })
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  console.log(w.map((n) => '-'.repeat(n)).join('  ').trimEnd());
  for (const r of rows) console.log(line(headers.map((_, c) => r[c] ?? '')));
}

export function heading(text: string): void {
  console.log(`\n${text}\n${'='.repeat(Math.min(100, width(text)))}`);
}

export function subheading(text: string): void {
  console.log(`\n${text}`);
}

export function note(text: string): void {
  console.log(`  note: ${text}`);
}

/** ISO time without characters that are awkward in file names: 2025-01-31T12-00-00Z. */
export function fileStamp(d = new Date()): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

/** Writes JSON to `dir/name` through a temporary file and a rename, so readers never see half a file. */
export function writeJsonAtomic(dir: string, name: string, data: unknown): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, `${JSON.stringify(data, null, 1)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  return file;
}
