// Fisher's Iris (scikit-learn's iris.csv). Node-only.
import { fromValues } from '../../tensor/creation.js';
import { DataError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { CsvTable, parseCsv } from './csv.js';
import { type DatasetOptions, resolveDataset } from './locate.js';
import { nodeModulesSync } from '../../io/node-modules.js';

/** Features, targets and their names, for the small tabular data sets. */
export interface TabularData {
  /** float32 [samples, features]. */
  x: Tensor;
  /** int32 [samples] class ids (classification) or float32 [samples] values (regression). */
  y: Tensor;
  featureNames: string[];
}

export interface IrisData extends TabularData {
  /** Species by class id: setosa, versicolor, virginica. */
  classNames: string[];
}

/** A classification table with class names (iris, wine). */
export interface ClassificationData extends TabularData {
  classNames: string[];
}

/**
 * Reads one of scikit-learn's bundled classification CSVs (iris.csv, wine_data.csv): line 1 is
 * `samples,features,class names…`, then rows of `features…,class_id`. Both counts and every class id
 * are checked; errors name the file, line and column.
 */
export function readSklearnCsv(path: string, featureNames: readonly string[], example: string): ClassificationData {
  // The header line has fewer fields than the data lines (wine: 5 and 14), so it is split off
  // before the rest is parsed (line numbers in messages stay those of the file).
  let text: string;
  try {
    text = nodeModulesSync().fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(`${path}: cannot read CSV file (${(e as Error).message})`);
  }
  const newline = text.indexOf('\n');
  const meta = parseCsv(newline < 0 ? text : text.slice(0, newline), { file: path, header: false }).rows[0];
  const rest = newline < 0 ? '' : text.slice(newline + 1);
  if (rest.trim() === '') throw new DataError(`${path}: no data lines after the header`);
  const body = parseCsv(rest, { file: path, header: false });
  const rows = body.rows;
  const raw = { header: body.header, lines: body.lines.map((l) => l + 1) };
  const samples = Number(meta![0]);
  const features = Number(meta![1]);
  const classNames = meta!.slice(2).map((s) => s.trim());
  if (!Number.isInteger(samples) || features !== featureNames.length || classNames.length < 2) {
    throw new DataError(`${path}: line 1 should be scikit-learn's header '${example}', found '${meta!.join(',')}'`);
  }
  if (rows.length !== samples) throw new DataError(`${path}: the header announces ${samples} samples, the file has ${rows.length} data lines`);
  if (raw.header.length !== features + 1) throw new DataError(`${path}: expected ${features + 1} fields per line (${features} features and the class id), found ${raw.header.length}`);
  // The data lines, with their real column names for error messages.
  const table = new CsvTable(path, [...featureNames, 'class_id'], rows, raw.lines);
  const columns = featureNames.map((_, j) => table.numbers(j));
  const labels = table.numbers(features);
  const x = new Float32Array(samples * features);
  const y = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    for (let j = 0; j < features; j++) x[i * features + j] = columns[j]![i]!;
    const c = labels[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= classNames.length) {
      throw new DataError(`${path}: class id ${c} at ${table.where(i, features)} is not one of 0-${classNames.length - 1}`);
    }
    y[i] = c;
  }
  return { x: fromValues(x, [samples, features], 'float32'), y: fromValues(y, [samples], 'int32'), featureNames: [...featureNames], classNames };
}

const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

/**
 * Iris: 150 flowers, 4 measurements in cm, 3 species (50 each, sorted by class in the file, so
 * shuffle before splitting). `await iris.load()` reads `iris.csv` from `dir`, else
 * `$NABLA_DATA/iris` (else `../shared/data/iris`), else the cache, else downloads it (see
 * locate.ts). The file's first line is scikit-learn's own header
 * (`150,4,setosa,versicolor,virginica`: sample count, feature count, class names); both counts are
 * checked against the rows.
 */
export const iris = {
  name: 'iris',
  async load(options: DatasetOptions = {}): Promise<IrisData> {
    const { files } = await resolveDataset('iris', ['iris.csv'], options);
    return readSklearnCsv(files[0]!, FEATURES, '150,4,setosa,versicolor,virginica');
  },
};
