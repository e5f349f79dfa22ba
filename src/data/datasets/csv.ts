// A small CSV reader (RFC 4180): a header line, quoted fields with "" escapes and embedded
// delimiters or line breaks, LF / CRLF / CR line endings, an optional UTF-8 byte-order mark.
// Errors are DataErrors naming the file, the line and the column.
import { DataError, ValueError } from '../../tensor/errors.js';
import { nodeModulesSync } from '../../io/node-modules.js';

export interface CsvOptions {
  /** Name used in error messages (readCsv passes the path). */
  file?: string;
  /** Field separator, one character (default ','). */
  delimiter?: string;
  /** Whether the first record holds the column names (default true). */
  header?: boolean;
}

export interface NumberOptions {
  /**
   * What an empty field is: 'error' (default) throws a DataError with its line and column; 'nan'
   * returns NaN there so the caller can impute (see californiaHousing).
   */
  missing?: 'error' | 'nan';
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A parsed CSV file: column names and rows of string fields, with the file line of each row. */
export class CsvTable {
  constructor(
    readonly file: string,
    /** Column names (from the header, or `column 1`, `column 2`, … without one). */
    readonly header: readonly string[],
    readonly rows: readonly (readonly string[])[],
    /** 1-based line in the file where each row starts (the header is line 1). */
    readonly lines: readonly number[],
  ) {}

  get numRows(): number {
    return this.rows.length;
  }

  /** The index of a column given by name or index; a ValueError lists the names when unknown. */
  columnIndex(column: string | number): number {
    if (typeof column === 'number') {
      if (!Number.isInteger(column) || column < 0 || column >= this.header.length) {
        throw new ValueError(`${this.file}: column index ${column} out of range; the file has ${this.header.length} columns`);
      }
      return column;
    }
    const i = this.header.indexOf(column);
    if (i < 0) throw new ValueError(`${this.file}: no column '${column}'; columns: ${this.header.join(', ')}`);
    return i;
  }

  /** Where a field is, for messages: "line 12, column 5 'total_bedrooms'". */
  where(row: number, col: number): string {
    return `line ${this.lines[row]} (data row ${row + 1}), column ${col + 1} '${this.header[col]}'`;
  }

  /** A column's fields as strings. */
  strings(column: string | number): string[] {
    const c = this.columnIndex(column);
    return this.rows.map((r) => r[c]!);
  }

  /**
   * A column parsed as decimal numbers. A field that is not a number is a DataError; an empty
   * (or all-blank) field is a DataError too unless `missing: 'nan'`.
   */
  numbers(column: string | number, options: NumberOptions = {}): Float64Array {
    const c = this.columnIndex(column);
    const out = new Float64Array(this.rows.length);
    for (let r = 0; r < this.rows.length; r++) {
      const s = this.rows[r]![c]!.trim();
      if (s === '') {
        if (options.missing === 'nan') {
          out[r] = NaN;
          continue;
        }
        throw new DataError(`${this.file}: missing value at ${this.where(r, c)}`);
      }
      if (!NUMBER.test(s)) throw new DataError(`${this.file}: '${s}' at ${this.where(r, c)} is not a number`);
      out[r] = Number(s);
    }
    return out;
  }
}

/** Splits CSV text into records of fields, each with the line it starts on. */
function records(text: string, delimiter: string, file: string): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let atFieldStart = true;
  const endRecord = (): void => {
    fields.push(field);
    // A record that is a single empty field is a blank line: skipped.
    if (!(fields.length === 1 && fields[0] === '')) out.push({ fields, line: recordLine });
    fields = [];
    field = '';
    atFieldStart = true;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (atFieldStart && ch === '"') {
      const startLine = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new DataError(`${file}: unterminated quoted field starting on line ${startLine}, column ${fields.length + 1}`);
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n' || (q === '\r' && text[i + 1] !== '\n')) line++;
        field += q;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new DataError(`${file}: unexpected character '${next}' after a closing quote on line ${line}, column ${fields.length + 1}`);
      }
      atFieldStart = false;
      continue;
    }
    if (ch === delimiter) {
      fields.push(field);
      field = '';
      atFieldStart = true;
      i++;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += ch;
      atFieldStart = false;
      i++;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return out;
}

/** Parses CSV text. Every row must have as many fields as the header (or the first row). */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  const file = options.file ?? 'CSV data';
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new ValueError(`parseCsv: delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
  }
  const recs = records(text, delimiter, file);
  if (recs.length === 0) throw new DataError(`${file}: the file is empty`);
  const hasHeader = options.header ?? true;
  const width = recs[0]!.fields.length;
  const header = hasHeader ? recs[0]!.fields.map((h) => h.trim()) : Array.from({ length: width }, (_, i) => `column ${i + 1}`);
  const body = hasHeader ? recs.slice(1) : recs;
  for (const r of body) {
    if (r.fields.length !== width) {
      throw new DataError(`${file}: line ${r.line} has ${r.fields.length} fields, expected ${width} (as the ${hasHeader ? 'header' : 'first line'} has)`);
    }
  }
  return new CsvTable(file, header, body.map((r) => r.fields), body.map((r) => r.line));
}

/** Reads and parses a UTF-8 CSV file; errors name its path. */
export function readCsv(path: string, options: Omit<CsvOptions, 'file'> = {}): CsvTable {
  let text: string;
  try {
    text = nodeModulesSync().fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(`${path}: cannot read CSV file (${(e as Error).message})`);
  }
  return parseCsv(text, { ...options, file: path });
}
