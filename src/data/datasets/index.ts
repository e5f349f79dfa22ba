// Built-in data sets: `await nb.datasets.mnist.load()` and friends. Node-only at run time (they read
// and download files), but importing this module is browser-safe: no `node:` module is imported at
// the top level (see io/node-modules.ts).
//
// Every `load(options)` is async and looks in `options.dir`, then `$NABLA_DATA/<name>` (when
// NABLA_DATA is unset: `../shared/data/<name>` relative to the working directory, a convenience for
// working in this repository), then the per-user cache (`cacheDir`, $NABLA_CACHE_DIR,
// $XDG_CACHE_HOME/nabla/datasets or ~/.cache/nabla/datasets); when the data set is in none of them
// it is downloaded into the cache from its canonical source (or the mirror `baseUrl` /
// $NABLA_DATA_URL) with sha256 checks and atomic writes. With `download: false` a missing data set
// is a DataError naming every path tried. See locate.ts and download.ts.
import { californiaHousing } from './california-housing.js';
import { fashionMnist } from './fashion-mnist.js';
import { fraEng } from './fra-eng.js';
import { fsdd } from './fsdd.js';
import { iris } from './iris.js';
import { mnist } from './mnist.js';
import { sentimentSentences } from './sentiment-sentences.js';
import { tinyShakespeare } from './tiny-shakespeare.js';
import { wine } from './wine.js';

export { californiaHousing, type CaliforniaHousingData, type CaliforniaHousingOptions } from './california-housing.js';
export { CsvTable, parseCsv, readCsv, type CsvOptions, type NumberOptions } from './csv.js';
export { downloadDataset, fetchToFile, listingText, mirrorUrl, type DownloadOptions } from './download.js';
export { fashionMnist } from './fashion-mnist.js';
export { fraEng, parseSentencePairs, type FraEngData, type FraEngOptions } from './fra-eng.js';
export { fsdd, type FsddData, type FsddOptions, type FsddRecording, type FsddSplit, type FsddTensorOptions } from './fsdd.js';
export { decodeIdx, encodeIdx, readIdxFile, type IdxArray, type IdxDType } from './idx.js';
export { iris, readSklearnCsv, type ClassificationData, type IrisData, type TabularData } from './iris.js';
export {
  cacheRoot, datasetCandidates, locateDataset, resolveDataset, type Candidate, type DatasetLocation, type DatasetOptions, type FileSpec, type Located,
} from './locate.js';
export { MANIFESTS, type DatasetManifest, type RemoteFile } from './manifest.js';
export { mnist, type ImageSet, type ImageSetOptions, type ImageSplit } from './mnist.js';
export { type ProgressOutput } from './progress.js';
export {
  parseLabelledSentences, sentimentSentences, type SentimentSentences, type SentimentSentencesData, type SentimentSentencesOptions, type SentimentSource,
} from './sentiment-sentences.js';
export { tinyShakespeare, type TinyShakespeareData, type TinyShakespeareOptions } from './tiny-shakespeare.js';
export { wine, type WineData } from './wine.js';
export { extractZipMember, zipMembers } from './zip.js';
export { trainTestSplit, type Split, type SplitOptions } from '../split.js';

/** The built-in data sets by their camelCase names. */
export const datasets = { mnist, fashionMnist, tinyShakespeare, sentimentSentences, fsdd, fraEng, iris, wine, californiaHousing };
