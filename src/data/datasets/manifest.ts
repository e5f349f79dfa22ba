// What each built-in data set downloads: files, canonical URLs and sha256 checksums, taken from the
// data sets' SOURCE.md files (../shared/data/<name>/SOURCE.md). URLs pinned to a commit serve the
// exact bytes listed; a file with several URLs is tried at each in turn, and every download is
// checked against its sha256 whatever the URL.
//
// `files` is the layout of a data set folder (and of ../shared/data and of a mirror given by
// `baseUrl`: `${baseUrl}/${name}/${path}`). `canonicalFiles`, when present, is what is fetched from
// the canonical source instead (e.g. fra-eng, published as a zip: its fra.txt is extracted and
// stored uncompressed; the loader reads fra.txt.gz or fra.txt).

/** One file of a data set and where it comes from. */
export interface RemoteFile {
  /** Path inside the data set folder, '/'-separated (e.g. `iris.csv`, `recordings/0_george_0.wav`). */
  path: string;
  /** sha256 of the file (lower-case hex); may be omitted only when the manifest has a `listing`. */
  sha256?: string;
  /** Size in bytes (for the progress bar). */
  bytes?: number;
  /** Canonical URLs, tried in order (not used with a mirror). */
  urls?: readonly string[];
  /** The URLs serve a zip archive (checked by its own sha256) whose `member` is this file. */
  zip?: { member: string; sha256: string; bytes?: number };
}

export interface DatasetManifest {
  /** The data set's folder name (in ../shared/data and in the cache). */
  name: string;
  files: readonly RemoteFile[];
  canonicalFiles?: readonly RemoteFile[];
  /**
   * For data sets of many files without a checksum each (FSDD's 3,000 WAVs): the sha256 of the
   * listing `path<TAB>bytes<TAB>sha256` of every file (header line, sorted by path, LF endings),
   * computed from the downloaded bytes and compared; the listing is then saved as `file`.
   */
  listing?: { file: string; sha256: string };
  /** Total size in bytes when the files do not list theirs (progress bar). */
  totalBytes?: number;
}

const gh = (repo: string, commit: string, path: string): string => `https://raw.githubusercontent.com/${repo}/${commit}/${path}`;

const MNIST_PMALLARI = 'cffbed29f2a5bd3b662ffe9cea7c07129fdad5d2';
const mnistFile = (path: string, sha256: string, bytes: number, github: string): RemoteFile => ({
  path,
  sha256,
  bytes,
  urls: [`http://yann.lecun.com/exdb/mnist/${path}`, github],
});

const FASHION = 'b2617bb6d3ffa2e429640350f613e3291e10b141';
const fashionFile = (path: string, sha256: string, bytes: number): RemoteFile => ({
  path,
  sha256,
  bytes,
  urls: [gh('zalandoresearch/fashion-mnist', FASHION, `data/fashion/${path}`), `http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/${path}`],
});

const SENTIMENT = 'Nanofication/TWC-Naive-Bayes';
const SENTIMENT_COMMIT = '5bc4715169b40c627e082a27321215a2719a0347';

const FSDD_COMMIT = '26eb9aaf76e81b692f806f9140c2d2777410d7a1';
/** FSDD's speakers, in the order of the repository's metadata.py. */
export const FSDD_SPEAKERS = ['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler'] as const;

function fsddFiles(): RemoteFile[] {
  const out: RemoteFile[] = [];
  for (let digit = 0; digit < 10; digit++) {
    for (const speaker of FSDD_SPEAKERS) {
      for (let index = 0; index < 50; index++) {
        const file = `${digit}_${speaker}_${index}.wav`;
        out.push({ path: `recordings/${file}`, urls: [gh('Jakobovski/free-spoken-digit-dataset', FSDD_COMMIT, `recordings/${file}`)] });
      }
    }
  }
  return out;
}

const SKLEARN = (file: string): string => gh('scikit-learn/scikit-learn', '1.2.1', `sklearn/datasets/data/${file}`);

/** The built-in data sets' manifests by folder name. */
export const MANIFESTS: Readonly<Record<string, DatasetManifest>> = {
  mnist: {
    name: 'mnist',
    files: [
      mnistFile('train-images-idx3-ubyte.gz', '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609', 9912422, gh('johnsrgrace/mnist', '077204d99c28237d903d0f3c89549d15da5b953d', 'challenge/train-images-idx3-ubyte.gz')),
      mnistFile('train-labels-idx1-ubyte.gz', '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c', 28881, gh('pmallari/MNIST', MNIST_PMALLARI, 'train-labels-idx1-ubyte.gz')),
      mnistFile('t10k-images-idx3-ubyte.gz', '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6', 1648877, gh('pmallari/MNIST', MNIST_PMALLARI, 't10k-images-idx3-ubyte.gz')),
      mnistFile('t10k-labels-idx1-ubyte.gz', 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6', 4542, gh('pmallari/MNIST', MNIST_PMALLARI, 't10k-labels-idx1-ubyte.gz')),
    ],
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    files: [
      fashionFile('train-images-idx3-ubyte.gz', '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84', 26421880),
      fashionFile('train-labels-idx1-ubyte.gz', 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845', 29515),
      fashionFile('t10k-images-idx3-ubyte.gz', '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073', 4422102),
      fashionFile('t10k-labels-idx1-ubyte.gz', '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5', 5148),
    ],
  },
  tinyshakespeare: {
    name: 'tinyshakespeare',
    files: [
      {
        path: 'input.txt',
        sha256: '86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed',
        bytes: 1115394,
        urls: [gh('karpathy/char-rnn', '6f9487a6fe5b420b7ca9afb0d7c078e37c1d1b4e', 'data/tinyshakespeare/input.txt')],
      },
    ],
  },
  'sentiment-labelled-sentences': {
    name: 'sentiment-labelled-sentences',
    files: [
      { path: 'amazon_cells_labelled.txt', sha256: '47003fc0a0d4840b00e96e715b6189bad09e7443a3da41c4cbe12ffc79f86ae3', bytes: 58226, urls: [gh(SENTIMENT, SENTIMENT_COMMIT, 'amazon_cells_labelled.txt')] },
      { path: 'imdb_labelled.txt', sha256: 'aef2e49e3da25714d61175e3a6e68eeef74a20a2f914318dc3be9947ea86512d', bytes: 85285, urls: [gh(SENTIMENT, SENTIMENT_COMMIT, 'Datasets/imdb_labelled.txt')] },
      { path: 'yelp_labelled.txt', sha256: 'c76468b7b5c6e56a0804d728345c5f84aa2142ddb214420f61cc9cfd4c00d2ea', bytes: 61320, urls: [gh(SENTIMENT, SENTIMENT_COMMIT, 'Datasets/yelp_labelled.txt')] },
      { path: 'readme.txt', sha256: '736c26aa54e3614459e50314ece0698051f0923d108ed53938dcb1aa0483bfd4', bytes: 1070, urls: [gh(SENTIMENT, SENTIMENT_COMMIT, 'Datasets/readme.txt')] },
    ],
  },
  fsdd: {
    name: 'fsdd',
    files: fsddFiles(),
    listing: { file: 'MANIFEST.tsv', sha256: '97ba519b95203499711033452e88eff9190e0b750080670f676fb26d292f17f4' },
    totalBytes: 21128848,
  },
  'tatoeba-fra-eng': {
    name: 'tatoeba-fra-eng',
    files: [
      { path: 'fra.txt.gz', sha256: 'ec59d6aaba2103a1320330f39bec51dbebbb20cb6bbe9976bd16b0622c965a50', bytes: 2941514 },
      { path: '_about.txt', sha256: '359011f5738272138286287b44db215d184823911eb049da2160a6ac6933d6c9', bytes: 1441 },
    ],
    canonicalFiles: [
      {
        path: 'fra.txt',
        sha256: '2546838ae46e0eac4c02ab7032ea0a02a006074a5340077a36a9444f41e02888',
        bytes: 10009515,
        urls: [gh('genimind/seq2seq', '4f3f8eb0adde54fcc8b89394336b002e7961244c', 'fra-eng.zip')],
        zip: { member: 'fra.txt', sha256: '16c4f7d0df9e7c5e6c54cdb0447f3f4a18a55052ff5e2e0b27dd4a06c0e49d04', bytes: 2951390 },
      },
    ],
  },
  iris: {
    name: 'iris',
    files: [{ path: 'iris.csv', sha256: 'f13ffa8fdd56fd8e6c8d16d4081a3fbd3114bcd0aae4256c43205169cd9d1449', bytes: 2734, urls: [SKLEARN('iris.csv')] }],
  },
  wine: {
    name: 'wine',
    files: [{ path: 'wine_data.csv', sha256: '10e8a802908b34f86e5da8ce962f3c806694bc98450a18f61851af59f324bede', bytes: 11157, urls: [SKLEARN('wine_data.csv')] }],
  },
  'california-housing': {
    name: 'california-housing',
    files: [
      {
        path: 'housing.csv',
        sha256: '8a3727f4cf54ac1a327f69b1d5b4db54c5834ea81c6e4efc0d163300022a685e',
        bytes: 1423529,
        urls: [gh('ageron/handson-ml2', '1e2115277b50f6c584cd668fa30e3af309a5b136', 'datasets/housing/housing.csv')],
      },
    ],
  },
};
