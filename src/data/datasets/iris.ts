// Fisher's Iris (scikit-learn's iris.csv). Node-only.
import { fromValues } from '../../tensor/creation.js';
import { DataError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { CsvTable, readCsv } from './csv.js';
import { type DatasetLocation, locateDataset } from './locate.js';

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

const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

/**
 * Iris: 150 flowers, 4 measurements in cm, 3 species (50 each, sorted by class in the file, so
 * shuffle before splitting). `iris.load()` reads `iris.csv` from `dir`, else `$NABLA_DATA/iris`,
 * else `../shared/data/iris`. The file's first line is scikit-learn's own header
 * (`150,4,setosa,versicolor,virginica`: sample count, feature count, class names); both counts are
 * checked against the rows.
 */
export const iris = {
  name: 'iris',
  load(options: DatasetLocation = {}): IrisData {
    const { files } = locateDataset('iris', ['iris.csv'], options);
    const path = files[0]!;
    const raw = readCsv(path, { header: false });
    const [meta, ...rows] = raw.rows;
    const samples = Number(meta![0]);
    const features = Number(meta![1]);
    const classNames = meta!.slice(2).map((s) => s.trim());
    if (!Number.isInteger(samples) || features !== FEATURES.length || classNames.length !== 3) {
      throw new DataError(`${path}: line 1 should be scikit-learn's header '150,4,setosa,versicolor,virginica', found '${meta!.join(',')}'`);
    }
    if (rows.length !== samples) throw new DataError(`${path}: the header announces ${samples} samples, the file has ${rows.length} data lines`);
    // The data lines, with their real column names for error messages.
    const table = new CsvTable(path, [...FEATURES, 'class_id'], rows, raw.lines.slice(1));
    const columns = FEATURES.map((_, j) => table.numbers(j));
    const labels = table.numbers(4);
    const x = new Float32Array(samples * features);
    const y = new Int32Array(samples);
    for (let i = 0; i < samples; i++) {
      for (let j = 0; j < features; j++) x[i * features + j] = columns[j]![i]!;
      const c = labels[i]!;
      if (!Number.isInteger(c) || c < 0 || c >= classNames.length) {
        throw new DataError(`${path}: class id ${c} at ${table.where(i, 4)} is not one of 0-${classNames.length - 1}`);
      }
      y[i] = c;
    }
    return { x: fromValues(x, [samples, features], 'float32'), y: fromValues(y, [samples], 'int32'), featureNames: [...FEATURES], classNames };
  },
};
