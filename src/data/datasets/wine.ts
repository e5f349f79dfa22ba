// Wine recognition (scikit-learn's wine_data.csv, UCI "Wine"). Node-only.
import { type ClassificationData, readSklearnCsv } from './iris.js';
import { type DatasetOptions, resolveDataset } from './locate.js';

export type WineData = ClassificationData;

const FEATURES = [
  'alcohol', 'malic_acid', 'ash', 'alcalinity_of_ash', 'magnesium', 'total_phenols', 'flavanoids', 'nonflavanoid_phenols',
  'proanthocyanins', 'color_intensity', 'hue', 'od280/od315_of_diluted_wines', 'proline',
];

/**
 * Wine: 178 Italian wines, 13 chemical measurements on very different scales (standardize them),
 * 3 cultivars (59 / 71 / 48, sorted by class in the file). `await wine.load()` reads
 * `wine_data.csv` from `dir`, else `$NABLA_DATA/wine` (else `../shared/data/wine`), else the cache,
 * else downloads it (see locate.ts). x is float32 [178, 13], y int32 [178], classNames
 * `class_0`-`class_2` (scikit-learn's names).
 */
export const wine = {
  name: 'wine',
  async load(options: DatasetOptions = {}): Promise<WineData> {
    const { files } = await resolveDataset('wine', ['wine_data.csv'], options);
    return readSklearnCsv(files[0]!, FEATURES, '178,13,class_0,class_1,class_2');
  },
};
