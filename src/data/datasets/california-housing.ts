// California housing (Géron's housing.csv, 1990 census block groups). Node-only.
import { fromValues } from '../../tensor/creation.js';
import { DataError } from '../../tensor/errors.js';
import { readCsv } from './csv.js';
import type { TabularData } from './iris.js';
import { type DatasetOptions, resolveDataset } from './locate.js';

export interface CaliforniaHousingOptions extends DatasetOptions {
  /**
   * What to do with empty numeric fields (housing.csv has 207 in total_bedrooms): 'median'
   * (default) replaces them with the median of the column's present values, computed over the
   * whole file; 'error' throws a DataError naming the first one's line and column.
   */
  missing?: 'median' | 'error';
}

export interface CaliforniaHousingData extends TabularData {
  /** Names of the one-hot columns' categories, in column order. */
  categories: string[];
  /** For each column that had missing values: how many, and the value put in their place. */
  imputed: Record<string, { count: number; value: number }>;
}

const NUMERIC = ['longitude', 'latitude', 'housing_median_age', 'total_rooms', 'total_bedrooms', 'population', 'households', 'median_income'];
const TARGET = 'median_house_value';
const CATEGORY = 'ocean_proximity';
/** ocean_proximity's values, sorted (as scikit-learn's OneHotEncoder orders them). */
const CATEGORIES = ['<1H OCEAN', 'INLAND', 'ISLAND', 'NEAR BAY', 'NEAR OCEAN'];

/** Median of the non-NaN values (mean of the two middle ones for an even count). */
export function medianIgnoringNaN(values: Float64Array): number {
  const present = Float64Array.from(values.filter((v) => !Number.isNaN(v))).sort();
  if (present.length === 0) return NaN;
  const mid = present.length >> 1;
  return present.length % 2 === 1 ? present[mid]! : (present[mid - 1]! + present[mid]!) / 2;
}

/**
 * California housing: 20,640 districts, median house value (dollars, capped at 500,001) from 8
 * numeric features plus the categorical ocean_proximity. `await californiaHousing.load()` reads
 * `housing.csv` from `dir`, else `$NABLA_DATA/california-housing` (else
 * `../shared/data/california-housing`), else the cache, else downloads it (see locate.ts).
 *
 * x is float32 [20640, 13]: the 8 numeric columns in file order (unscaled: standardize them before
 * training), then ocean_proximity one-hot over `categories` (`<1H OCEAN`, `INLAND`, `ISLAND`,
 * `NEAR BAY`, `NEAR OCEAN`). y is float32 [20640], the median house value in dollars. Missing
 * total_bedrooms values are imputed with the column's median (see `imputed`); the median is taken
 * over the whole file, as a loader does not know the caller's split (207 of 20,640 values).
 */
export const californiaHousing = {
  name: 'california-housing',
  async load(options: CaliforniaHousingOptions = {}): Promise<CaliforniaHousingData> {
    const { files } = await resolveDataset('california-housing', ['housing.csv'], options);
    const path = files[0]!;
    const table = readCsv(path);
    const missing = options.missing ?? 'median';
    const n = table.numRows;
    const features = NUMERIC.length + CATEGORIES.length;
    const x = new Float32Array(n * features);
    const imputed: Record<string, { count: number; value: number }> = {};
    NUMERIC.forEach((name, j) => {
      const col = table.numbers(name, { missing: missing === 'error' ? 'error' : 'nan' });
      let count = 0;
      for (const v of col) if (Number.isNaN(v)) count++;
      if (count > 0) {
        const value = medianIgnoringNaN(col);
        if (Number.isNaN(value)) throw new DataError(`${path}: column '${name}' has no values to take a median from`);
        imputed[name] = { count, value };
        for (let i = 0; i < n; i++) if (Number.isNaN(col[i]!)) col[i] = value;
      }
      for (let i = 0; i < n; i++) x[i * features + j] = col[i]!;
    });
    const c = table.columnIndex(CATEGORY);
    for (let i = 0; i < n; i++) {
      const value = table.rows[i]![c]!.trim();
      const k = CATEGORIES.indexOf(value);
      if (k < 0) throw new DataError(`${path}: unknown ${CATEGORY} '${value}' at ${table.where(i, c)}; expected one of ${CATEGORIES.join(', ')}`);
      x[i * features + NUMERIC.length + k] = 1;
    }
    const y = Float32Array.from(table.numbers(TARGET));
    return {
      x: fromValues(x, [n, features], 'float32'),
      y: fromValues(y, [n], 'float32'),
      featureNames: [...NUMERIC, ...CATEGORIES.map((k) => `${CATEGORY}=${k}`)],
      categories: [...CATEGORIES],
      imputed,
    };
  },
};
