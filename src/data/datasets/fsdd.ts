// Free Spoken Digit Dataset (FSDD): 3,000 recordings of the digits 0-9, 6 speakers × 50 each,
// mono 16-bit WAV at 8 kHz. Node-only.
import { decodeWav } from '../audio/wav-decode.js';
import { fromValues } from '../../tensor/creation.js';
import { DataError, ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type DatasetOptions, resolveDataset } from './locate.js';
import { nodeModules } from '../../io/node-modules.js';

export type FsddSplit = 'train' | 'test';

export interface FsddOptions extends DatasetOptions {
  /** 'train' (index 5-49, 2,700 files), 'test' (index 0-4, 300 files, the official split) or 'all' (default). */
  split?: FsddSplit | 'all';
  /** Only these speakers (default all six). */
  speakers?: readonly string[];
  /**
   * true: decode nothing now — each recording's `read()` decodes its file on demand (3,000 WAVs
   * are not all read unless asked). false (default): every waveform is decoded into `waveform`.
   */
  lazy?: boolean;
}

export interface FsddRecording {
  /** Full path of the WAV file. */
  path: string;
  /** File name, `{digit}_{speaker}_{index}.wav`. */
  file: string;
  digit: number;
  speaker: string;
  /** Repetition 0-49. */
  index: number;
  split: FsddSplit;
  /** The samples in [-1, 1] (mono, 8 kHz); absent with `lazy: true` until `read()` is called. */
  waveform?: Float32Array;
  /** Decodes the file (once; later calls return the same array) and returns its samples. */
  read(): Promise<Float32Array>;
}

export interface FsddTensorOptions {
  /** Samples per row: shorter recordings are zero-padded at the end, longer ones truncated (default 8000, one second). */
  length?: number;
}

export interface FsddData {
  recordings: FsddRecording[];
  sampleRate: number;
  /** int32 digit per recording, in `recordings` order. */
  labels: Int32Array;
  /** The distinct speakers present, sorted. */
  speakers: string[];
  /**
   * The waveforms as one float32 tensor [n, length] (zero-padded or truncated) with y int32 [n]
   * digits; reads lazily-loaded files as needed.
   */
  toTensors(options?: FsddTensorOptions): Promise<{ x: Tensor; y: Tensor; lengths: Int32Array }>;
}

const NAME = /^(\d)_([A-Za-z]+)_(\d+)\.wav$/;
const SAMPLE_RATE = 8000;

/**
 * FSDD. `await fsdd.load()` lists `recordings/*.wav` in `dir`, else `$NABLA_DATA/fsdd` (else
 * `../shared/data/fsdd`), else the cache, else downloads the 3,000 files (checked as a whole
 * against the sha256 of their listing, see manifest.ts). Labels come from the file names
 * (`7_jackson_32.wav`: digit 7, speaker jackson, repetition 32); the official split puts
 * repetitions 0-4 in test. Every file must be 8 kHz mono (a DataError names one that is not).
 */
export const fsdd = {
  name: 'fsdd',
  async load(options: FsddOptions = {}): Promise<FsddData> {
    const split = options.split ?? 'all';
    if (split !== 'all' && split !== 'train' && split !== 'test') throw new ValueError(`fsdd.load: split must be 'train', 'test' or 'all', got '${String(split)}'`);
    const { dir } = await resolveDataset('fsdd', ['recordings/'], options);
    const m = await nodeModules();
    const folder = m.path.join(dir, 'recordings');
    const names = (await m.fsp.readdir(folder)).filter((f) => f.endsWith('.wav')).sort();
    if (names.length === 0) throw new DataError(`${folder}: no .wav files`);
    const wanted = options.speakers !== undefined ? new Set(options.speakers) : null;
    const recordings: FsddRecording[] = [];
    for (const file of names) {
      const match = NAME.exec(file);
      if (match === null) throw new DataError(`${m.path.join(folder, file)}: not an FSDD file name ({digit}_{speaker}_{index}.wav)`);
      const index = Number(match[3]);
      const recSplit: FsddSplit = index < 5 ? 'test' : 'train';
      if (split !== 'all' && recSplit !== split) continue;
      if (wanted !== null && !wanted.has(match[2]!)) continue;
      const path = m.path.join(folder, file);
      let cached: Promise<Float32Array> | null = null;
      const rec: FsddRecording = {
        path,
        file,
        digit: Number(match[1]),
        speaker: match[2]!,
        index,
        split: recSplit,
        read() {
          cached ??= m.fsp.readFile(path).then((bytes) => {
            const wav = decodeWav(bytes, path);
            if (wav.sampleRate !== SAMPLE_RATE || wav.channels.length !== 1) {
              throw new DataError(`${path}: expected 8000 Hz mono, found ${wav.sampleRate} Hz with ${wav.channels.length} channels`);
            }
            rec.waveform = wav.channels[0]!;
            return rec.waveform;
          });
          return cached;
        },
      };
      recordings.push(rec);
    }
    if (wanted !== null) {
      const missing = [...wanted].filter((s) => !recordings.some((r) => r.speaker === s));
      if (missing.length > 0) throw new ValueError(`fsdd.load: no recordings of speaker(s) ${missing.join(', ')}`);
    }
    if (options.lazy !== true) {
      // Decode in small batches so that thousands of files are not all open at once.
      for (let i = 0; i < recordings.length; i += 64) await Promise.all(recordings.slice(i, i + 64).map((r) => r.read()));
    }
    return {
      recordings,
      sampleRate: SAMPLE_RATE,
      labels: Int32Array.from(recordings, (r) => r.digit),
      speakers: [...new Set(recordings.map((r) => r.speaker))].sort(),
      async toTensors(tensorOptions: FsddTensorOptions = {}) {
        const length = tensorOptions.length ?? SAMPLE_RATE;
        if (!Number.isInteger(length) || length <= 0) throw new ValueError(`fsdd toTensors: length must be a positive integer, got ${length}`);
        const x = new Float32Array(recordings.length * length);
        const lengths = new Int32Array(recordings.length);
        for (let i = 0; i < recordings.length; i += 64) {
          const batch = await Promise.all(recordings.slice(i, i + 64).map((r) => r.read()));
          batch.forEach((w, k) => {
            lengths[i + k] = w.length;
            x.set(w.subarray(0, length), (i + k) * length);
          });
        }
        return { x: fromValues(x, [recordings.length, length], 'float32'), y: fromValues(Int32Array.from(recordings, (r) => r.digit), [recordings.length], 'int32'), lengths };
      },
    };
  },
};
