// Built-in data sets: `datasets.mnist.load()` and friends. Node-only (they read files with fs).
// Each `load(options)` looks in `options.dir`, else `$NABLA_DATA/<name>`, else
// `../shared/data/<name>` relative to the working directory (see locate.ts), and throws a
// DataError naming every path it tried when the data set is not there.
import { californiaHousing } from './california-housing.js';
import { fashionMnist } from './fashion-mnist.js';
import { iris } from './iris.js';
import { mnist } from './mnist.js';

export { californiaHousing, type CaliforniaHousingData, type CaliforniaHousingOptions } from './california-housing.js';
export { CsvTable, parseCsv, readCsv, type CsvOptions, type NumberOptions } from './csv.js';
export { fashionMnist } from './fashion-mnist.js';
export { decodeIdx, encodeIdx, readIdxFile, type IdxArray, type IdxDType } from './idx.js';
export { iris, type IrisData, type TabularData } from './iris.js';
export { datasetCandidates, locateDataset, type DatasetLocation } from './locate.js';
export { mnist, type ImageSet, type ImageSetOptions, type ImageSplit } from './mnist.js';

/** The built-in data sets by their camelCase names. */
export const datasets = { mnist, fashionMnist, iris, californiaHousing };
