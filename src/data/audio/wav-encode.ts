// WAV encoding: canonical 44-byte-header RIFF/WAVE files of 16-bit PCM or 32-bit IEEE float
// samples, any number of channels (interleaved). Writing to disk is atomic.
import { atomicWrite } from '../../io/files.js';
import { ShapeError, ValueError } from '../../tensor/errors.js';
import type { AudioData } from './signal.js';

export interface EncodeWavOptions {
  /** 'int16' (default): 16-bit PCM, samples clipped to [-1, 1] and rounded to v·32768 (max 32767); 'float32': IEEE float, stored as is. */
  sampleFormat?: 'int16' | 'float32';
}

/** Encodes audio as a WAV file's bytes. NaN or infinite samples are a ValueError (they have no PCM value). */
export function encodeWav(audio: AudioData, options: EncodeWavOptions = {}): Uint8Array {
  const what = 'encodeWav';
  const format = options.sampleFormat ?? 'int16';
  if (format !== 'int16' && format !== 'float32') throw new ValueError(`${what}: sampleFormat must be 'int16' or 'float32', got ${String(format)}`);
  const { sampleRate, channels } = audio;
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 0xffffffff) {
    throw new ValueError(`${what}: sampleRate must be a positive integer, got ${String(sampleRate)}`);
  }
  if (!Array.isArray(channels) || channels.length === 0 || channels.length > 0xffff) {
    throw new ValueError(`${what}: channels must be a non-empty array of sample arrays`);
  }
  const frames = channels[0]!.length;
  if (channels.some((c) => c.length !== frames)) throw new ShapeError(`${what}: channels have different lengths (${channels.map((c) => c.length).join(', ')})`);
  const nc = channels.length;
  const bytesPer = format === 'int16' ? 2 : 4;
  const blockAlign = nc * bytesPer;
  const dataSize = frames * blockAlign;
  if (dataSize + 36 > 0xffffffff) throw new ValueError(`${what}: ${dataSize} bytes of samples exceed the 4 GiB WAV limit`);
  const bytes = new Uint8Array(44 + dataSize);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) bytes[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataSize, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, format === 'int16' ? 1 : 3, true);
  view.setUint16(22, nc, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bytesPer * 8, true);
  ascii(36, 'data');
  view.setUint32(40, dataSize, true);
  for (let c = 0; c < nc; c++) {
    const ch = channels[c]!;
    let p = 44 + c * bytesPer;
    for (let i = 0; i < frames; i++, p += blockAlign) {
      const v = ch[i]!;
      if (!Number.isFinite(v)) throw new ValueError(`${what}: channel ${c}, sample ${i} is ${v}, expected a finite number`);
      if (format === 'float32') view.setFloat32(p, v, true);
      else view.setInt16(p, Math.max(-32768, Math.min(32767, Math.round(v * 32768))), true);
    }
  }
  return bytes;
}

/** Encodes audio as WAV and writes it to `path` atomically (temporary file, then rename). */
export async function writeWav(path: string, audio: AudioData, options: EncodeWavOptions = {}): Promise<void> {
  await atomicWrite(path, encodeWav(audio, options));
}
