import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as nb from '../src/index.js';
import {
  decodeWav, encodeWav, fft, FftPlan, fftFrequencies, frame, hammingWindow, hannWindow, hzToMel, ifft, irfft, logMelSpectrogram, melFilterbank,
  melSpectrogram, melToHz, mfcc, mfccFromLogMel, dct, powerSpectrogram, powerToDb, readWav, resample, resampleAudio, rfft, spectrogram, stft, toMono,
  writeWav,
} from '../src/data/audio/index.js';
import { assertClose, assertThrowsWith } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', 'shared', 'data');
const tmp = mkdtempSync(join(tmpdir(), 'nabla-audio-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function rejectsWith(p: Promise<unknown>, type: new (...args: never[]) => Error, parts: string[]): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof type, `expected ${type.name}, got ${String(err)}`);
    for (const part of parts) assert.ok((err as Error).message.includes(part), `message "${(err as Error).message}" lacks "${part}"`);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// A WAV writer independent of encodeWav, for every layout the reader must handle.

interface WavSpec {
  tag: number; // 1 PCM, 3 float, 0xfffe extensible, others for error cases
  channels: number;
  sampleRate: number;
  bits: number; // container bits
  data: Uint8Array; // interleaved sample bytes
  sub?: { tag: number; validBits: number; mask: number };
  before?: { id: string; body: Uint8Array }[]; // chunks between fmt and data
  dataSize?: number; // declared data size (default the real one)
  riffSize?: number; // declared RIFF size (default the real one)
  dropPad?: boolean; // leave out the pad byte after an odd-sized final data chunk
}

function chunk(id: string, body: Uint8Array, declared = body.length, pad = true): Uint8Array {
  const out = new Uint8Array(8 + body.length + (pad && body.length % 2 === 1 ? 1 : 0));
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, declared, true);
  out.set(body, 8);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function buildWav(spec: WavSpec): Uint8Array {
  const fmt = new Uint8Array(spec.sub ? 40 : 16);
  const v = new DataView(fmt.buffer);
  const blockAlign = (spec.channels * spec.bits) / 8;
  v.setUint16(0, spec.tag, true);
  v.setUint16(2, spec.channels, true);
  v.setUint32(4, spec.sampleRate, true);
  v.setUint32(8, spec.sampleRate * blockAlign, true);
  v.setUint16(12, blockAlign, true);
  v.setUint16(14, spec.bits, true);
  if (spec.sub) {
    v.setUint16(16, 22, true);
    v.setUint16(18, spec.sub.validBits, true);
    v.setUint32(20, spec.sub.mask, true);
    v.setUint16(24, spec.sub.tag, true);
    fmt.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 26);
  }
  const body = concat([
    Uint8Array.from('WAVE', (c) => c.charCodeAt(0)),
    chunk('fmt ', fmt),
    ...(spec.before ?? []).map((c) => chunk(c.id, c.body)),
    chunk('data', spec.data, spec.dataSize ?? spec.data.length, !spec.dropPad),
  ]);
  return concat([chunk('RIFF', body, spec.riffSize ?? body.length)]);
}

function samples(kind: 'u8' | 'i16' | 'i24' | 'i32' | 'f32' | 'f64', values: number[]): Uint8Array {
  const size = { u8: 1, i16: 2, i24: 3, i32: 4, f32: 4, f64: 8 }[kind];
  const out = new Uint8Array(values.length * size);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => {
    const p = i * size;
    if (kind === 'u8') v.setUint8(p, x);
    else if (kind === 'i16') v.setInt16(p, x, true);
    else if (kind === 'i24') {
      const u = x < 0 ? x + 0x1000000 : x;
      v.setUint8(p, u & 0xff);
      v.setUint8(p + 1, (u >> 8) & 0xff);
      v.setUint8(p + 2, (u >> 16) & 0xff);
    } else if (kind === 'i32') v.setInt32(p, x, true);
    else if (kind === 'f32') v.setFloat32(p, x, true);
    else v.setFloat64(p, x, true);
  });
  return out;
}

let fileCount = 0;
function writeTemp(bytes: Uint8Array, name = `f${fileCount++}.wav`): string {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

describe('WAV reading', () => {
  const mono = async (spec: WavSpec): Promise<number[]> => {
    const wav = await readWav(writeTemp(buildWav(spec)));
    assert.equal(wav.channels.length, spec.channels);
    return Array.from(wav.channels[0]!);
  };

  it('PCM 8-bit (unsigned), 16, 24 and 32-bit, scaled to [-1, 1]', async () => {
    assert.deepEqual(await mono({ tag: 1, channels: 1, sampleRate: 8000, bits: 8, data: samples('u8', [0, 128, 255, 64]) }), [-1, 0, 127 / 128, -0.5]);
    assert.deepEqual(await mono({ tag: 1, channels: 1, sampleRate: 8000, bits: 16, data: samples('i16', [-32768, 0, 32767, 16384]) }), [-1, 0, 32767 / 32768, 0.5]);
    assert.deepEqual(
      await mono({ tag: 1, channels: 1, sampleRate: 96000, bits: 24, data: samples('i24', [-8388608, 0, 8388607, -4194304, 1]) }),
      [-1, 0, Math.fround(8388607 / 8388608), -0.5, Math.fround(1 / 8388608)],
    );
    assert.deepEqual(
      await mono({ tag: 1, channels: 1, sampleRate: 44100, bits: 32, data: samples('i32', [-2147483648, 0, 1073741824, -536870912]) }),
      [-1, 0, 0.5, -0.25],
    );
  });

  it('IEEE float 32 and 64-bit, values kept as stored', async () => {
    assert.deepEqual(await mono({ tag: 3, channels: 1, sampleRate: 22050, bits: 32, data: samples('f32', [-1, 0.25, 0.999, -0.5]) }), [-1, 0.25, Math.fround(0.999), -0.5]);
    assert.deepEqual(await mono({ tag: 3, channels: 1, sampleRate: 48000, bits: 64, data: samples('f64', [0.1, -0.75]) }), [Math.fround(0.1), -0.75]);
  });

  it('stereo and multi-channel files are de-interleaved; sample rate and format are reported', async () => {
    const stereo = await readWav(writeTemp(buildWav({ tag: 1, channels: 2, sampleRate: 44100, bits: 16, data: samples('i16', [100, -100, 200, -200, 16384, -16384]) })));
    assert.equal(stereo.sampleRate, 44100);
    assert.equal(stereo.sampleFormat, 'pcm');
    assert.equal(stereo.bitsPerSample, 16);
    assertClose(stereo.channels[0]!, [100 / 32768, 200 / 32768, 0.5]);
    assertClose(stereo.channels[1]!, [-100 / 32768, -200 / 32768, -0.5]);
    assertClose(toMono(stereo), [0, 0, 0]);
    const five = await readWav(writeTemp(buildWav({ tag: 1, channels: 5, sampleRate: 11025, bits: 8, data: samples('u8', [128, 192, 64, 255, 0, 160, 96, 128, 0, 255]) })));
    assert.equal(five.channels.length, 5);
    assert.deepEqual(five.channels.map((c) => Array.from(c)), [[0, 0.25], [0.5, -0.25], [-0.5, 0], [127 / 128, -1], [-1, 127 / 128]]);
  });

  it('WAVE_FORMAT_EXTENSIBLE: PCM (with fewer valid bits) and float', async () => {
    // 20 valid bits left-justified in 24-bit containers: full scale is still 2^23
    const pcm = await readWav(writeTemp(buildWav({
      tag: 0xfffe, channels: 3, sampleRate: 48000, bits: 24, sub: { tag: 1, validBits: 20, mask: 0x7 },
      data: samples('i24', [4194304, -8388608, 0x10, -4194304, 0, 8388592]),
    })));
    assert.equal(pcm.extensible, true);
    assert.equal(pcm.validBitsPerSample, 20);
    assert.equal(pcm.channelMask, 7);
    assertClose(pcm.channels[0]!, [0.5, -0.5]);
    assertClose(pcm.channels[1]!, [-1, 0]);
    assertClose(pcm.channels[2]!, [16 / 8388608, 8388592 / 8388608]);
    const flt = await readWav(writeTemp(buildWav({ tag: 0xfffe, channels: 2, sampleRate: 16000, bits: 32, sub: { tag: 3, validBits: 32, mask: 3 }, data: samples('f32', [0.5, -0.5]) })));
    assert.equal(flt.sampleFormat, 'float');
    assert.deepEqual(flt.channels.map((c) => c[0]), [0.5, -0.5]);
  });

  it('skips unknown chunks with odd-size padding; a missing final pad byte is tolerated', async () => {
    const before = [{ id: 'LIST', body: Uint8Array.of(1, 2, 3) }, { id: 'fact', body: Uint8Array.of(3, 0, 0, 0) }];
    assert.deepEqual(await mono({ tag: 1, channels: 1, sampleRate: 8000, bits: 8, before, data: samples('u8', [0, 128, 192]) }), [-1, 0, 0.5]);
    assert.deepEqual(await mono({ tag: 1, channels: 1, sampleRate: 8000, bits: 8, data: samples('u8', [0, 128, 192]), dropPad: true }), [-1, 0, 0.5]);
    const afterData = concat([buildWav({ tag: 1, channels: 1, sampleRate: 8000, bits: 16, data: samples('i16', [16384]) })]);
    assert.deepEqual(Array.from(decodeWav(afterData).channels[0]!), [0.5]);
  });

  it('a header that claims more data than the file holds is a DataError naming the file and both sizes', async () => {
    const lying = writeTemp(buildWav({ tag: 1, channels: 1, sampleRate: 8000, bits: 16, data: samples('i16', [1, 2, 3, 4]), dataSize: 100000, riffSize: 100036 }), 'lying.wav');
    await rejectsWith(readWav(lying), nb.DataError, [lying, "'data' chunk", 'declares 100000 bytes', 'only 8 bytes follow']);
    // a truncated file: the RIFF size and data size are right for the full file, half of it is missing
    const full = buildWav({ tag: 1, channels: 1, sampleRate: 8000, bits: 16, data: samples('i16', Array.from({ length: 100 }, (_, i) => i)) });
    const cut = writeTemp(full.subarray(0, 100), 'truncated.wav');
    await rejectsWith(readWav(cut), nb.DataError, [cut, 'declares 200 bytes', 'only 56 bytes follow', 'truncated']);
    const riffLies = writeTemp(buildWav({ tag: 1, channels: 1, sampleRate: 8000, bits: 16, data: samples('i16', [1, 2]), riffSize: 5000 }), 'riff-lies.wav');
    await rejectsWith(readWav(riffLies), nb.DataError, [riffLies, 'RIFF header declares 5008 bytes', 'the file has 48']);
  });

  it('non-WAV files and unsupported encodings are DataErrors naming the file', async () => {
    const text = writeTemp(new TextEncoder().encode('this is not audio at all'), 'notes.wav');
    await rejectsWith(readWav(text), nb.DataError, [text, 'not a RIFF/WAVE file', "'this'"]);
    const flac = writeTemp(concat([new TextEncoder().encode('fLaC'), new Uint8Array(40)]), 'song.wav');
    await rejectsWith(readWav(flac), nb.DataError, [flac, 'FLAC']);
    const tiny = writeTemp(Uint8Array.of(1, 2, 3), 'tiny.wav');
    await rejectsWith(readWav(tiny), nb.DataError, [tiny, '3 bytes']);
    const mp3 = writeTemp(buildWav({ tag: 0x55, channels: 1, sampleRate: 8000, bits: 16, data: new Uint8Array(4) }), 'mp3.wav');
    await rejectsWith(readWav(mp3), nb.DataError, [mp3, '0x0055', 'MP3']);
    const mulaw = writeTemp(buildWav({ tag: 7, channels: 1, sampleRate: 8000, bits: 8, data: new Uint8Array(4) }), 'mulaw.wav');
    await rejectsWith(readWav(mulaw), nb.DataError, [mulaw, 'µ-law']);
    const f16 = writeTemp(buildWav({ tag: 3, channels: 1, sampleRate: 8000, bits: 16, data: new Uint8Array(4) }), 'half.wav');
    await rejectsWith(readWav(f16), nb.DataError, [f16, 'IEEE float', '16']);
    const partial = writeTemp(buildWav({ tag: 1, channels: 2, sampleRate: 8000, bits: 16, data: new Uint8Array(6) }), 'partial.wav');
    await rejectsWith(readWav(partial), nb.DataError, [partial, '6 bytes', '4-byte sample frames']);
    const noData = writeTemp(buildWav({ tag: 1, channels: 1, sampleRate: 8000, bits: 16, data: new Uint8Array(0) }).subarray(0, 36), 'nodata.wav');
    // subarray leaves a RIFF size that claims the removed 8 bytes: reported as such
    await rejectsWith(readWav(noData), nb.DataError, [noData, 'RIFF header declares 44 bytes']);
    await rejectsWith(readWav(join(tmp, 'absent.wav')), nb.DataError, ['absent.wav', 'not found']);
  });
});

describe('WAV writing', () => {
  const audio = { sampleRate: 22050, channels: [Float32Array.of(0, 0.5, -0.5, 1, -1, 0.25), Float32Array.of(0.1, -0.1, 0.2, -0.2, 2, -2)] };

  it('16-bit PCM round trip within one quantization step; out-of-range samples are clipped', async () => {
    const path = join(tmp, 'out16.wav');
    await writeWav(path, audio);
    assert.equal(statSync(path).size, 44 + 6 * 2 * 2);
    const back = await readWav(path);
    assert.equal(back.sampleRate, 22050);
    assert.equal(back.bitsPerSample, 16);
    assertClose(back.channels[0]!, [0, 0.5, -0.5, 32767 / 32768, -1, 0.25]);
    assertClose(back.channels[1]!, [0.1, -0.1, 0.2, -0.2, 32767 / 32768, -1], { atol: 1 / 65536 });
  });

  it('float32 round trip is exact, and writes leave no temporary files', async () => {
    const path = join(tmp, 'outf.wav');
    await writeWav(path, audio, { sampleFormat: 'float32' });
    const back = await readWav(path);
    assert.equal(back.sampleFormat, 'float');
    assert.deepEqual(back.channels, audio.channels);
    assert.deepEqual(readdirSync(tmp).filter((f) => f.includes('.tmp-')), []);
  });

  it('rejects NaN samples and ragged channels', () => {
    assertThrowsWith(() => encodeWav({ sampleRate: 8000, channels: [Float32Array.of(0, Number.NaN)] }), nb.ValueError, ['channel 0, sample 1', 'NaN']);
    assertThrowsWith(() => encodeWav({ sampleRate: 8000, channels: [new Float32Array(2), new Float32Array(3)] }), nb.ShapeError, ['different lengths']);
    assertThrowsWith(() => encodeWav({ sampleRate: 0, channels: [new Float32Array(2)] }), nb.ValueError, ['sampleRate']);
  });
});

// ---------------------------------------------------------------------------------------------

function naiveDft(re: number[], im: number[]): { re: number[]; im: number[] } {
  const n = re.length;
  const outRe: number[] = [];
  const outIm: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((k * j) % n)) / n;
      sr += re[j]! * Math.cos(a) - im[j]! * Math.sin(a);
      si += re[j]! * Math.sin(a) + im[j]! * Math.cos(a);
    }
    outRe.push(sr);
    outIm.push(si);
  }
  return { re: outRe, im: outIm };
}

function randomValues(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  });
}

describe('FFT', () => {
  const sizes = [1, 2, 3, 4, 5, 7, 8, 12, 16, 97, 100, 128, 255, 256, 1000];

  it('matches a naive DFT for power-of-two and other lengths (radix-2 and Bluestein)', () => {
    for (const n of sizes) {
      const re = randomValues(n, n);
      const im = randomValues(n, n + 1000);
      const got = fft(re, im);
      const want = naiveDft(re, im);
      const tol = { atol: 1e-9 * Math.max(1, n), rtol: 0 };
      assertClose(got.re, want.re, tol);
      assertClose(got.im, want.im, tol);
      const back = ifft(got.re, got.im);
      assertClose(back.re, re, { atol: 1e-12 * Math.max(1, n), rtol: 0 });
      assertClose(back.im, im, { atol: 1e-12 * Math.max(1, n), rtol: 0 });
    }
  });

  it('rfft equals the first n/2 + 1 bins of the complex DFT; irfft inverts it', () => {
    for (const n of sizes) {
      const x = randomValues(n, 7 * n);
      const got = rfft(x);
      const want = naiveDft(x, new Array(n).fill(0));
      const bins = Math.floor(n / 2) + 1;
      assert.equal(got.re.length, bins);
      assertClose(got.re, want.re.slice(0, bins), { atol: 1e-9 * n, rtol: 0 });
      assertClose(got.im, want.im.slice(0, bins), { atol: 1e-9 * n, rtol: 0 });
      assertClose(irfft(got.re, got.im, n), x, { atol: 1e-12 * n, rtol: 0 });
    }
    // zero padding to n
    assertClose(rfft([1, 2, 3], 8).re, naiveDft([1, 2, 3, 0, 0, 0, 0, 0], new Array(8).fill(0)).re.slice(0, 5), { atol: 1e-12 });
  });

  it("Parseval's relation: Σ|x|² = (1/N)·Σ|X|² (rfft bins counted twice except DC and Nyquist)", () => {
    for (const n of [256, 300, 1001]) {
      const x = randomValues(n, 3 * n);
      const energy = x.reduce((s, v) => s + v * v, 0);
      const { re, im } = rfft(x);
      let spec = 0;
      for (let k = 0; k < re.length; k++) {
        const p = re[k]! ** 2 + im[k]! ** 2;
        spec += k === 0 || (n % 2 === 0 && k === n / 2) ? p : 2 * p;
      }
      assertClose(spec / n, energy, { rtol: 1e-12 });
    }
  });

  it('plans validate their length', () => {
    assertThrowsWith(() => new FftPlan(0), nb.ValueError, ['positive integer']);
    assertThrowsWith(() => new FftPlan(8).transform(new Float64Array(4), new Float64Array(4)), nb.ValueError, ['length 8']);
  });
});

describe('windows and framing', () => {
  it('Hann and Hamming, periodic (default) and symmetric', () => {
    assertClose(hannWindow(4), [0, 0.5, 1, 0.5], { atol: 1e-15 });
    assertClose(hannWindow(5, { periodic: false }), [0, 0.5, 1, 0.5, 0], { atol: 1e-15 });
    assertClose(hammingWindow(4), [0.08, 0.54, 1, 0.54], { atol: 1e-15 });
    assertClose(hammingWindow(3, { periodic: false }), [0.08, 1, 0.08], { atol: 1e-15 });
    assert.deepEqual(Array.from(hannWindow(1)), [1]);
  });

  it('frame: counts, hop and padEnd', () => {
    const x = [0, 1, 2, 3, 4, 5, 6];
    assert.deepEqual(frame(x, 3, 2).arraySync(), [[0, 1, 2], [2, 3, 4], [4, 5, 6]]);
    assert.deepEqual(frame(x, 4, 3).arraySync(), [[0, 1, 2, 3], [3, 4, 5, 6]]);
    assert.deepEqual(frame(x, 4, 3, { padEnd: true, padValue: -1 }).arraySync(), [[0, 1, 2, 3], [3, 4, 5, 6], [6, -1, -1, -1]]);
    assert.deepEqual(frame([1, 2], 3, 1).shape, [0, 3]);
    assertThrowsWith(() => frame(x, 0, 1), nb.ValueError, ['frameLength']);
    assertThrowsWith(() => frame([1, Number.NaN], 1, 1), nb.ValueError, ['sample 1', 'NaN']);
  });
});

function tone(freq: number, sampleRate: number, n: number, amp = 1): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / sampleRate));
}

describe('STFT and spectrograms', () => {
  it("a pure tone peaks at bin f·nFft/sampleRate in every frame", () => {
    const sr = 8000;
    const spec = powerSpectrogram(tone(1000, sr, 4000), { nFft: 512, hopLength: 128 });
    assert.deepEqual(spec.shape, [32, 257]);
    const argmaxRow = (t: nb.Tensor, f: number): number => {
      const bins = t.shape[1]!;
      let best = 0;
      for (let k = 1; k < bins; k++) if (t.values[f * bins + k]! > t.values[f * bins + best]!) best = k;
      return best;
    };
    for (let f = 0; f < 32; f++) assert.equal(argmaxRow(spec, f), 64, `frame ${f}`); // 1000 · 512 / 8000
    const offBin = spectrogram(tone(1010, sr, 4000), { nFft: 512, hopLength: 128, window: 'hamming' });
    for (let f = 2; f < 30; f++) assert.equal(argmaxRow(offBin, f), 65, `frame ${f}`); // 64.64 → nearest bin 65
    // amplitude: |X[k]| of a unit sine under a periodic Hann window is nFft/4 at the peak
    const mag = spectrogram(tone(1000, sr, 4000), { nFft: 512, hopLength: 128 });
    assertClose(mag.values[10 * 257 + 64]!, 128, { rtol: 1e-5 });
  });

  it("Parseval over frames: rectangular window, hop = nFft, no centring", () => {
    const x = randomValues(4096, 11);
    const { real, imag } = stft(x, { nFft: 512, hopLength: 512, window: 'rectangular', center: false, dtype: 'float64' });
    assert.deepEqual(real.shape, [8, 257]);
    let spec = 0;
    for (let f = 0; f < 8; f++) {
      for (let k = 0; k < 257; k++) {
        const p = real.values[f * 257 + k]! ** 2 + imag.values[f * 257 + k]! ** 2;
        spec += k === 0 || k === 256 ? p : 2 * p;
      }
    }
    assertClose(spec / 512, x.reduce((s, v) => s + v * v, 0), { rtol: 1e-12 });
  });

  it('centre padding (constant and reflect), winLength and frame count as librosa', () => {
    const x = randomValues(1000, 5);
    const c = stft(x, { nFft: 256, hopLength: 100 });
    assert.deepEqual(c.real.shape, [11, 129]); // 1 + ⌊(1000 + 256 − 256) / 100⌋
    assert.deepEqual(stft(x, { nFft: 256, hopLength: 100, center: false }).real.shape, [8, 129]);
    // reflect padding: frame 0 is the window times [x[128], …, x[1], x[0], …, x[127]]
    const r = stft(x, { nFft: 256, hopLength: 100, padMode: 'reflect', window: 'rectangular', dtype: 'float64' });
    const seg = [...x.slice(1, 129).reverse(), ...x.slice(0, 128)];
    assertClose(r.real.values.subarray(0, 129), rfft(seg).re, { atol: 1e-10 });
    // a 200-sample Hann window zero-padded to 256 equals an explicit padded window
    const w = Array.from(hannWindow(200));
    const padded = [...new Array(28).fill(0), ...w, ...new Array(28).fill(0)];
    assertClose(spectrogram(x, { nFft: 256, winLength: 200, hopLength: 50, dtype: 'float64' }), spectrogram(x, { nFft: 256, window: padded, hopLength: 50, dtype: 'float64' }), { atol: 1e-12 });
    assertThrowsWith(() => stft([1, 2, 3], { nFft: 16, center: false }), nb.ValueError, ['fewer than nFft']);
    assertThrowsWith(() => stft(randomValues(10, 1), { nFft: 32, padMode: 'reflect' }), nb.ValueError, ["'reflect'"]);
    assertThrowsWith(() => stft(nb.zeros([2, 2]), {}), nb.ShapeError, ['rank-1']);
  });
});

// ---------------------------------------------------------------------------------------------
// Reference values for the mel filterbank, log-mel spectrogram and MFCC of a fixed signal.
// Produced by `python3 scripts/audio-reference.py` (NumPy 2.4, float64), an independent
// implementation of librosa's documented definitions (Slaney and HTK mel scales, slaney-normalised
// triangular filters, centred STFT with a periodic Hann window via numpy.fft.rfft, power_to_db with
// ref 1 / amin 1e-10 / top_db 80, orthonormal DCT-II cross-checked against scipy.fft.dct). The
// output JSON is pasted below unchanged. Signal and parameters: see refSignal() and REFERENCE.params.

function refSignal(): Float64Array {
  return Float64Array.from({ length: 4000 }, (_, n) => {
    const t = n / 8000;
    return (
      0.5 * Math.sin(2 * Math.PI * 440 * t) +
      0.3 * Math.sin(2 * Math.PI * 1250.5 * t + 0.7) +
      0.2 * Math.sin(2 * Math.PI * (100 * t + 1500 * t * t)) +
      0.02 * Math.sin(0.37 * n * n)
    );
  });
}

const REFERENCE = {
  params: {sampleRate: 8000, n: 4000, nFft: 512, hop: 128, nMels: 40, nMfcc: 13},
  note: "DCT cross-checked against scipy.fft.dct",
  melHz: {slaney: [333.33333333333337, 1000.0000000000002, 2804.6441307389214], htk: [390.8782111308763, 1949.3096543148406]},
  filterSum: 2.559428221571572,
  slaneyFilters: {
    '0': {start: 1, values: [0.004779468848420898, 0.009558937696841796, 0.014338406545262696, 0.015861318782222602, 0.011081849933801706, 0.006302381085380807, 0.001522912236959908]},
    '1': {start: 4, values: [0.001628278305730495, 0.006407747154151394, 0.011187216002572293, 0.01596668485099319, 0.014233040476492109, 0.00945357162807121, 0.00467410277965031]},
    '20': {start: 75, values: [0.0024128426800538462, 0.0054700744115711245, 0.008527306143088402, 0.011584537874605678, 0.012968101353263818, 0.010085927854117192, 0.007203754354970565, 0.004321580855823937, 0.0014394073566773096]},
    '39': {start: 228, values: [0.00015545297516485426, 0.0004807014866383149, 0.0008059499981117756, 0.0011311985095852361, 0.0014564470210586967, 0.0017816955325321575, 0.002106944044005618, 0.0024321925554790787, 0.0027574410669525392, 0.003082689578426, 0.0034079380898994604, 0.0037331866013729214, 0.0040584351128463815, 0.0043836836243198425, 0.004292745240860885, 0.003986120580799393, 0.003679495920737901, 0.0033728712606764097, 0.0030662466006149175, 0.002759621940553426, 0.002452997280491934, 0.0021463726204304424, 0.0018397479603689505, 0.0015331233003074588, 0.001226498640245967, 0.0009198739801844752, 0.0006132493201229835, 0.00030662466006149176]},
  },
  htkFilters: {
    '0': {start: 1, values: [0.013781554381946283, 0.027563108763892567, 0.017903618378246878, 0.004747508987890851]},
    '20': {start: 69, values: [0.0008154200225261886, 0.002965571775309656, 0.005115723528093123, 0.00726587528087659, 0.009416027033660058, 0.011566178786443525, 0.009567465872823071, 0.007514893943597035, 0.005462322014370999, 0.003409750085144962, 0.001357178155918925]},
    '39': {start: 230, values: [0.0002513267460807539, 0.0006194400185470099, 0.0009875532910132662, 0.0013556665634795223, 0.0017237798359457782, 0.0020918931084120346, 0.0024600063808782905, 0.0028281196533445465, 0.003196232925810803, 0.003564346198277059, 0.003932459470743315, 0.004300572743209571, 0.004668686015675828, 0.004568294584417782, 0.004216887308693336, 0.003865480032968891, 0.0035140727572444456, 0.00316266548152, 0.0028112582057955543, 0.0024598509300711086, 0.0021084436543466634, 0.0017570363786222176, 0.0014056291028977722, 0.0010542218271733265, 0.000702814551448881, 0.00035140727572443534]},
  },
  frames: 32,
  frameIndex: [0, 9, 20, 31],
  melIndex: [0, 3, 12, 25, 39],
  melPower: [
    [2.1822284396385423, 0.19808415185901326, 0.012795021030515165, 0.01864579054767387, 0.0017333796681949694],
    [0.0004453565693693122, 0.005709327133188557, 0.007219228742715814, 0.00739898159622658, 0.0012093732183566235],
    [0.000523034736371962, 0.004293324392284645, 0.0026134098442747696, 0.003564689854824253, 0.0011290135333999216],
    [0.13291107494722462, 0.2348721961366917, 0.054418628718830325, 1.070327618832081, 0.0007654280240675321],
  ],
  logMel: [
    [3.3890021136760273, -7.031502697189315, -18.92958995948802, -17.29419198614605, -27.611063018315328],
    [-33.51292137106443, -22.434150720627983, -21.415091972605747, -21.308280529144547, -29.17439653101269],
    [-32.814694673206695, -23.67206296133482, -25.827924773184133, -24.479782498788122, -29.473008521886896],
    [-8.764388295307725, -6.291683913922425, -12.642524060944547, 0.2951673214582556, -31.160956413079024],
  ],
  logMelMax: 20.0555290874388,
  logMelMin: -41.326382219345525,
  mfcc: [
    [-84.93017613844354, 63.410626668552, -5.453210575955449, 25.14856904145862, 16.190271655931202, -23.18878046187096, -25.374261507418755, 0.45393812314134907, 16.25247430666363, 4.873677276952913, 2.371982070285773, 13.473877794876211, 12.483696821563628],
    [-132.4249971307108, 34.87219682454838, -0.5655865199357896, -10.152432692752516, -18.263045969415973, -46.23260893183589, -42.73891864609093, 4.231788266724809, 25.757611593397282, 9.78279800295225, -4.029737518756667, 14.977763662328567, 17.063356586365636],
    [-124.59850143103475, 23.579272419750353, -30.486542303493152, -13.478065066060973, 20.122478118405308, -7.843749652017017, -48.570409907260014, -30.29591912429606, 13.300770220966202, 15.052659464682348, 1.0243157041806075, 8.055624190932205, 18.221753581820078],
    [-74.24770771703537, 53.35659567071027, -26.17028064274508, 20.39889437393454, 7.093020254178489, -37.49548302659617, -19.60885013686635, 0.49949004800858426, -0.3145947435686287, -0.8572795502472229, 6.598934776699309, 7.342297319368848, 9.91674634479299],
  ],
};

describe('mel filterbank, log-mel spectrogram and MFCC against the NumPy reference', () => {
  const p = REFERENCE.params;
  const opts = { sampleRate: p.sampleRate, nFft: p.nFft, hopLength: p.hop, nMels: p.nMels, dtype: 'float64' as const };

  it('mel scale conversions (Slaney and HTK)', () => {
    assertClose([5, 15, 30].map((m) => melToHz(m)), REFERENCE.melHz.slaney, { rtol: 1e-13 });
    assertClose([500, 1500].map((m) => melToHz(m, { htk: true })), REFERENCE.melHz.htk, { rtol: 1e-13 });
    for (const f of [0, 200, 999, 1000, 2500, 8000]) {
      assertClose(melToHz(hzToMel(f)), f, { atol: 1e-9 });
      assertClose(melToHz(hzToMel(f, { htk: true }), { htk: true }), f, { atol: 1e-9 });
    }
    assertClose(hzToMel(1000), 15, { atol: 1e-12 });
    assertClose(fftFrequencies(8000, 8), [0, 1000, 2000, 3000, 4000]);
  });

  it('filter weights, Slaney (default) and HTK', () => {
    const check = (fb: nb.Tensor, filters: Record<string, { start: number; values: number[] }>): void => {
      const nMels = fb.shape[1]!;
      for (const [m, { start, values }] of Object.entries(filters)) {
        const col = Array.from({ length: fb.shape[0]! }, (_, k) => fb.values[k * nMels + Number(m)]!);
        const expected = col.map((_, k) => (k >= start && k < start + values.length ? values[k - start]! : 0));
        assertClose(col, expected, { atol: 1e-15, rtol: 1e-11 });
      }
    };
    const fb = melFilterbank({ sampleRate: p.sampleRate, nFft: p.nFft, nMels: p.nMels, dtype: 'float64' });
    assert.deepEqual(fb.shape, [257, 40]);
    check(fb, REFERENCE.slaneyFilters);
    assertClose(Array.from(fb.values).reduce((a, b) => a + b, 0), REFERENCE.filterSum, { rtol: 1e-12 });
    check(melFilterbank({ sampleRate: p.sampleRate, nFft: p.nFft, nMels: p.nMels, htk: true, dtype: 'float64' }), REFERENCE.htkFilters);
    const peak = melFilterbank({ sampleRate: 8000, nFft: 512, nMels: 10, norm: null });
    assert.ok(Math.max(...peak.values) <= 1 && Math.max(...peak.values) > 0.9);
  });

  it('mel power, log-mel (dB) and MFCC values', () => {
    const x = refSignal();
    const pick = (t: nb.Tensor, cols: readonly number[]): number[][] => {
      const w = t.shape[1]!;
      return REFERENCE.frameIndex.map((f) => cols.map((c) => t.values[f * w + c]!));
    };
    const mel = melSpectrogram(x, opts);
    assert.deepEqual(mel.shape, [REFERENCE.frames, 40]);
    assertClose(pick(mel, REFERENCE.melIndex), REFERENCE.melPower, { rtol: 1e-9, atol: 0 });
    const logMel = logMelSpectrogram(x, opts);
    assertClose(pick(logMel, REFERENCE.melIndex), REFERENCE.logMel, { atol: 1e-9 });
    assertClose(Math.max(...logMel.values), REFERENCE.logMelMax, { atol: 1e-9 });
    assertClose(Math.min(...logMel.values), REFERENCE.logMelMin, { atol: 1e-9 });
    const coeffs = mfcc(x, { ...opts, nMfcc: p.nMfcc });
    assert.deepEqual(coeffs.shape, [REFERENCE.frames, 13]);
    const all = Array.from({ length: 13 }, (_, k) => k);
    assertClose(pick(coeffs, all), REFERENCE.mfcc, { atol: 1e-8 });
    assertClose(mfccFromLogMel(logMel, { nMfcc: 13 }), coeffs, { atol: 1e-12 });
    // float32 output agrees to float32 precision
    assertClose(mfcc(x, { ...opts, nMfcc: 13, dtype: 'float32' }), coeffs, { atol: 1e-4 });
  });

  it('powerToDb: ref, amin and topDb clipping; DCT-II orthonormality; liftering', () => {
    assertClose(powerToDb(nb.tensor([1, 10, 100, 0], undefined, 'float64'), { topDb: null }), [0, 10, 20, -100], { atol: 1e-12 });
    assertClose(powerToDb(nb.tensor([1, 10, 100, 0], undefined, 'float64')), [0, 10, 20, -60], { atol: 1e-12 });
    assertClose(powerToDb(nb.tensor([1, 10, 100], undefined, 'float64'), { ref: 'max' }), [-20, -10, 0], { atol: 1e-12 });
    assertThrowsWith(() => powerToDb(nb.tensor([1]), { amin: 0 }), nb.ValueError, ['amin']);
    // orthonormal: D·Dᵀ = I, so energy is preserved
    const x = nb.tensor([randomValues(16, 2)], undefined, 'float64');
    const y = dct(x);
    assertClose(Array.from(y.values).reduce((s, v) => s + v * v, 0), Array.from(x.values).reduce((s, v) => s + v * v, 0), { rtol: 1e-12 });
    assertClose(dct(nb.tensor([1, 1, 1, 1], undefined, 'float64')), [2, 0, 0, 0], { atol: 1e-12 });
    assertClose(dct(nb.tensor([1, 1, 1, 1], undefined, 'float64'), { norm: null }), [8, 0, 0, 0], { atol: 1e-12 });
    const plain = mfcc(refSignal(), { ...opts, nMfcc: 5 });
    const lifted = mfcc(refSignal(), { ...opts, nMfcc: 5, lifter: 22 });
    for (let k = 0; k < 5; k++) assertClose(lifted.values[k]!, plain.values[k]! * (1 + 11 * Math.sin((Math.PI * (k + 1)) / 22)), { rtol: 1e-12 });
  });
});

describe('resampling', () => {
  it('upsampling a tone matches the tone sampled at the new rate', () => {
    const up = resample(tone(440, 8000, 8000), 8000, 16000);
    assert.equal(up.length, 16000);
    const exact = tone(440, 16000, 16000);
    let err = 0;
    for (let i = 200; i < 15800; i++) err = Math.max(err, Math.abs(up[i]! - exact[i]!));
    assert.ok(err < 1e-5, `max error ${err}`);
  });

  it('downsampling keeps tones below the new Nyquist frequency and removes those above it', () => {
    const kept = resample(tone(3000, 16000, 16000), 16000, 8000);
    const exact = tone(3000, 8000, 8000);
    let err = 0;
    for (let i = 200; i < 7800; i++) err = Math.max(err, Math.abs(kept[i]! - exact[i]!));
    assert.ok(err < 1e-5, `passband error ${err}`);
    for (const quality of ['best', 'fast'] as const) {
      const removed = resample(tone(5000, 16000, 16000), 16000, 8000, { quality });
      let peak = 0;
      for (let i = 200; i < removed.length - 200; i++) peak = Math.max(peak, Math.abs(removed[i]!));
      assert.ok(peak < (quality === 'best' ? 1e-5 : 1e-4), `${quality}: alias peak ${peak}`); // measured ≈ 4e-7 and 2e-5
    }
  });

  it('lengths, identity and non-integer ratios', () => {
    assert.equal(resample(new Float32Array(1001), 44100, 16000).length, Math.ceil((1001 * 16000) / 44100));
    assert.deepEqual(Array.from(resample([0.1, 0.2], 8000, 8000)), [Math.fround(0.1), Math.fround(0.2)]);
    const r = resample(tone(100, 22050, 2205), 22050, 16000);
    const exact = tone(100, 16000, 1600);
    let err = 0;
    for (let i = 200; i < 1400; i++) err = Math.max(err, Math.abs(r[i]! - exact[i]!));
    assert.ok(err < 1e-5, `max error ${err}`);
    const stereo = resampleAudio({ sampleRate: 8000, channels: [new Float32Array(80), new Float32Array(80)] }, 16000);
    assert.equal(stereo.sampleRate, 16000);
    assert.deepEqual(stereo.channels.map((c) => c.length), [160, 160]);
    assertThrowsWith(() => resample([1], 0, 8000), nb.ValueError, ['fromRate']);
  });
});

describe('FSDD recording', () => {
  const file = join(shared, 'fsdd', 'recordings', '0_jackson_0.wav');
  it('reads a real spoken-digit file: 8 kHz mono 16-bit, samples as in the raw bytes', { skip: existsSync(file) ? false : `${file} is not present on this machine` }, async () => {
    const wav = await readWav(file);
    const raw = readFileSync(file);
    assert.equal(wav.sampleRate, 8000);
    assert.equal(wav.channels.length, 1);
    assert.equal(wav.bitsPerSample, 16);
    assert.equal(wav.channels[0]!.length, (raw.length - 44) / 2);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (const i of [0, 1, 100, wav.channels[0]!.length - 1]) assert.equal(wav.channels[0]![i], view.getInt16(44 + 2 * i, true) / 32768);
    const features = mfcc(wav.channels[0]!, { sampleRate: 8000, nFft: 256, hopLength: 80, nMels: 40, nMfcc: 13 });
    assert.deepEqual(features.shape, [1 + Math.floor(wav.channels[0]!.length / 80), 13]);
    assert.ok(Array.from(features.values).every(Number.isFinite));
  });
});
