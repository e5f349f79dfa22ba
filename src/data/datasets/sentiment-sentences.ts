// UCI "Sentiment Labelled Sentences" (Kotzias et al., KDD 2015): 3 × 1,000 review sentences from
// Amazon, IMDb and Yelp, labelled 0 (negative) / 1 (positive). Node-only.
import { fromValues } from '../../tensor/creation.js';
import { DataError, ValueError } from '../../tensor/errors.js';
import { Random } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type DatasetOptions, resolveDataset } from './locate.js';
import { nodeModules } from '../../io/node-modules.js';

export type SentimentSource = 'amazon' | 'imdb' | 'yelp';

const FILES: Record<SentimentSource, string> = {
  amazon: 'amazon_cells_labelled.txt',
  imdb: 'imdb_labelled.txt',
  yelp: 'yelp_labelled.txt',
};

export interface SentimentSentencesOptions extends DatasetOptions {
  /** Which files to read, in this order (default all three: amazon, imdb, yelp). */
  sources?: readonly SentimentSource[];
  /**
   * With a value in (0, 1): also return a seeded, stratified (per source and label) shuffle split
   * with this fraction in `test`. The source has no official split.
   */
  testSize?: number;
  /** Seed of the split's shuffle (default 0). */
  seed?: number;
}

export interface SentimentSentences {
  /** The sentences, trimmed (imdb lines have trailing spaces before the TAB). */
  texts: string[];
  /** int32 [n]: 0 negative, 1 positive. */
  labels: Tensor;
  /** The file each sentence comes from. */
  source: SentimentSource[];
}

export interface SentimentSentencesData extends SentimentSentences {
  /** Present with `testSize`. */
  train?: SentimentSentences;
  test?: SentimentSentences;
}

/**
 * Parses one file: lines split on '\n' only (imdb has U+0085, which some splitters treat as a line
 * break), each line split at its last TAB into sentence and label 0/1.
 */
export function parseLabelledSentences(text: string, file: string): { texts: string[]; labels: number[] } {
  const texts: string[] = [];
  const labels: number[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    const tab = line.lastIndexOf('\t');
    if (tab < 0) throw new DataError(`${file}: line ${i + 1} has no TAB between the sentence and its label`);
    const label = line.slice(tab + 1).trim();
    if (label !== '0' && label !== '1') throw new DataError(`${file}: line ${i + 1}: label '${label}' is not 0 or 1`);
    texts.push(line.slice(0, tab).trim());
    labels.push(Number(label));
  });
  return { texts, labels };
}

function subset(all: { texts: string[]; labels: number[]; source: SentimentSource[] }, idx: readonly number[]): SentimentSentences {
  return {
    texts: idx.map((i) => all.texts[i]!),
    labels: fromValues(Int32Array.from(idx, (i) => all.labels[i]!), [idx.length], 'int32'),
    source: idx.map((i) => all.source[i]!),
  };
}

/**
 * Sentiment-labelled sentences. `await sentimentSentences.load()` reads the three files from
 * `dir`, else `$NABLA_DATA/sentiment-labelled-sentences` (else
 * `../shared/data/sentiment-labelled-sentences`), else the cache, else downloads them (see
 * locate.ts). 3,000 sentences in file order (amazon, imdb, yelp; 500 negative + 500 positive each).
 */
export const sentimentSentences = {
  name: 'sentiment-labelled-sentences',
  async load(options: SentimentSentencesOptions = {}): Promise<SentimentSentencesData> {
    const sources = options.sources ?? (['amazon', 'imdb', 'yelp'] as const);
    for (const s of sources) if (!(s in FILES)) throw new ValueError(`sentimentSentences.load: unknown source '${s}'; expected amazon, imdb or yelp`);
    const { files } = await resolveDataset('sentiment-labelled-sentences', sources.map((s) => FILES[s]), options);
    const { fsp } = await nodeModules();
    const all = { texts: [] as string[], labels: [] as number[], source: [] as SentimentSource[] };
    for (let k = 0; k < sources.length; k++) {
      const { texts, labels } = parseLabelledSentences(await fsp.readFile(files[k]!, 'utf8'), files[k]!);
      all.texts.push(...texts);
      all.labels.push(...labels);
      for (let i = 0; i < texts.length; i++) all.source.push(sources[k]!);
    }
    const out: SentimentSentencesData = subset(all, all.texts.map((_, i) => i));
    if (options.testSize !== undefined) {
      const testSize = options.testSize;
      if (!(testSize > 0 && testSize < 1)) throw new ValueError(`sentimentSentences.load: testSize must be in (0, 1), got ${testSize}`);
      const random = new Random(options.seed ?? 0);
      const groups = new Map<string, number[]>();
      all.labels.forEach((l, i) => {
        const key = `${all.source[i]}:${l}`;
        const group = groups.get(key);
        if (group === undefined) groups.set(key, [i]);
        else group.push(i);
      });
      const train: number[] = [];
      const test: number[] = [];
      for (const idx of groups.values()) {
        for (let i = idx.length - 1; i > 0; i--) {
          const j = random.nextInt(0, i + 1);
          [idx[i], idx[j]] = [idx[j]!, idx[i]!];
        }
        const t = Math.round(testSize * idx.length);
        test.push(...idx.slice(0, t));
        train.push(...idx.slice(t));
      }
      const shuffle = (a: number[]): number[] => {
        for (let i = a.length - 1; i > 0; i--) {
          const j = random.nextInt(0, i + 1);
          [a[i], a[j]] = [a[j]!, a[i]!];
        }
        return a;
      };
      out.train = subset(all, shuffle(train));
      out.test = subset(all, shuffle(test));
    }
    return out;
  },
};
