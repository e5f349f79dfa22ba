// WAV (RIFF/WAVE, little-endian) decoding: integer PCM of 8 (unsigned), 16, 24 and 32 bits, IEEE
// float of 32 and 64 bits, plain or WAVE_FORMAT_EXTENSIBLE, any number of channels and any sample
// rate. Samples are scaled to [-1, 1] by the container's full scale (8-bit: (b − 128) / 128, n-bit
// signed: v / 2^(n−1)); float samples are returned as stored. Everything else — compressed codes,
// other containers, truncated files, headers that claim more bytes than the file holds — is a
// DataError that names the file and says what was found.
import { readFileOrThrow } from '../../io/files.js';
import { DataError } from '../../tensor/errors.js';
import type { AudioData } from './signal.js';

export interface DecodedWav extends AudioData {
  /** 'pcm' for integer samples, 'float' for IEEE float samples. */
  sampleFormat: 'pcm' | 'float';
  /** Bits per sample as stored (the container size: 8, 16, 24, 32 or 64). */
  bitsPerSample: number;
  /** Meaningful bits per sample (WAVE_FORMAT_EXTENSIBLE's wValidBitsPerSample, else bitsPerSample). */
  validBitsPerSample: number;
  /** Whether the fmt chunk used WAVE_FORMAT_EXTENSIBLE. */
  extensible: boolean;
  /** WAVE_FORMAT_EXTENSIBLE's speaker-position mask (0 when absent). */
  channelMask: number;
}

const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MPEG Layer 3 (MP3)',
  0x0161: 'Windows Media Audio',
  0x2000: 'AC-3',
  0xf1ac: 'FLAC',
};

/** Bytes 2–15 of the KSDATAFORMAT_SUBTYPE GUIDs (PCM, IEEE_FLOAT, …) after the 16-bit format code. */
const SUBTYPE_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

function fourCC(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

function printable(s: string): string {
  return /^[\x20-\x7e]{4}$/.test(s) ? `'${s}'` : `bytes ${Array.from(s, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join(' ')}`;
}

/** A guess at what a non-WAV file is, from its first bytes, for the error message. */
function sniff(bytes: Uint8Array): string {
  const head = fourCC(bytes, 0);
  if (head === 'fLaC') return ' (looks like FLAC)';
  if (head === 'OggS') return ' (looks like Ogg)';
  if (head.startsWith('ID3') || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0)) return ' (looks like MP3)';
  if (head === 'FORM') return ' (looks like AIFF)';
  if (head === 'RIFX') return ' (big-endian RIFX, not supported)';
  if (head === 'RF64') return ' (RF64, not supported)';
  if (fourCC(bytes, 4) === 'ftyp') return ' (looks like MP4/M4A)';
  return '';
}

interface Fmt {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
  validBits: number;
  extensible: boolean;
  channelMask: number;
}

function parseFmt(bytes: Uint8Array, view: DataView, at: number, size: number, source: string): Fmt {
  if (size < 16) throw new DataError(`${source}: 'fmt ' chunk at byte offset ${at - 8} is ${size} bytes, expected at least 16`);
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bits = view.getUint16(at + 14, true);
  let validBits = bits;
  let channelMask = 0;
  const extensible = tag === 0xfffe;
  if (extensible) {
    if (size < 40) throw new DataError(`${source}: WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is ${size} bytes, expected 40`);
    validBits = view.getUint16(at + 18, true);
    channelMask = view.getUint32(at + 20, true);
    tag = view.getUint16(at + 24, true);
    const tailOk = SUBTYPE_TAIL.every((b, i) => bytes[at + 26 + i] === b);
    if (!tailOk) throw new DataError(`${source}: WAVE_FORMAT_EXTENSIBLE with an unknown SubFormat GUID; only PCM and IEEE float are supported`);
    if (validBits === 0) validBits = bits;
  }
  if (tag !== 1 && tag !== 3) {
    const name = FORMAT_NAMES[tag];
    throw new DataError(
      `${source}: unsupported WAV sample format 0x${tag.toString(16).padStart(4, '0')}${name ? ` (${name})` : ''}; ` +
        'supported: PCM (8, 16, 24, 32 bits) and IEEE float (32, 64 bits)',
    );
  }
  if (channels < 1) throw new DataError(`${source}: 'fmt ' chunk declares ${channels} channels`);
  if (sampleRate < 1) throw new DataError(`${source}: 'fmt ' chunk declares a sample rate of ${sampleRate} Hz`);
  if (blockAlign === 0 || blockAlign % channels !== 0) {
    throw new DataError(`${source}: block align ${blockAlign} is not a positive multiple of the channel count ${channels}`);
  }
  const container = (blockAlign / channels) * 8;
  const okPcm = tag === 1 && [8, 16, 24, 32].includes(container) && bits >= 1 && bits <= container && validBits <= container;
  const okFloat = tag === 3 && (container === 32 || container === 64) && bits === container;
  if (!okPcm && !okFloat) {
    throw new DataError(
      `${source}: unsupported ${tag === 1 ? 'PCM' : 'IEEE float'} layout: ${bits} bits per sample in ${container}-bit containers ` +
        `(block align ${blockAlign}, ${channels} channels); supported: PCM 8/16/24/32, float 32/64`,
    );
  }
  return { tag, channels, sampleRate, blockAlign, bits: container, validBits: Math.min(validBits, container), extensible, channelMask };
}

/**
 * Decodes a WAV file held in memory. `source` (a path or a name) appears in every error message.
 * Chunks other than 'fmt ' and 'data' are skipped (odd-sized chunks are padded to even length, a
 * missing final pad byte is tolerated); a 'data' chunk, or a RIFF header, that declares more bytes
 * than the file holds is an error naming the declared and the actual size.
 */
export function decodeWav(bytes: Uint8Array, source = '<buffer>'): DecodedWav {
  if (!(bytes instanceof Uint8Array)) throw new DataError(`${source}: expected the WAV file's bytes as a Uint8Array`);
  const length = bytes.length;
  if (length < 12 || fourCC(bytes, 0) !== 'RIFF' || fourCC(bytes, 8) !== 'WAVE') {
    if (length < 12) throw new DataError(`${source}: not a WAV file: ${length} bytes, too short for a RIFF/WAVE header`);
    const what = fourCC(bytes, 0) === 'RIFF' ? `a RIFF file of form type ${printable(fourCC(bytes, 8))}` : `it starts with ${printable(fourCC(bytes, 0))}`;
    throw new DataError(`${source}: not a RIFF/WAVE file: ${what}${sniff(bytes)}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffEnd = view.getUint32(4, true) + 8;
  const end = Math.min(riffEnd, length);
  let fmt: Fmt | null = null;
  let data: { at: number; size: number } | null = null;
  let pos = 12;
  while (pos + 8 <= end) {
    const id = fourCC(bytes, pos);
    const size = view.getUint32(pos + 4, true);
    const start = pos + 8;
    if (start + size > length) {
      throw new DataError(
        `${source}: ${printable(id)} chunk at byte offset ${pos} declares ${size} bytes, but only ${length - start} bytes follow ` +
          `(file size ${length}): the file is truncated or its header lies about the size`,
      );
    }
    if (id === 'fmt ' && fmt === null) fmt = parseFmt(bytes, view, start, size, source);
    else if (id === 'data' && data === null) data = { at: start, size };
    pos = start + size + (size & 1);
  }
  if (riffEnd > length + 1) {
    throw new DataError(`${source}: RIFF header declares ${riffEnd} bytes in all, but the file has ${length}: the file is truncated or its header lies about the size`);
  }
  if (fmt === null) throw new DataError(`${source}: WAV file has no 'fmt ' chunk`);
  if (data === null) throw new DataError(`${source}: WAV file has no 'data' chunk`);
  if (data.size % fmt.blockAlign !== 0) {
    throw new DataError(`${source}: 'data' chunk holds ${data.size} bytes, not a whole number of ${fmt.blockAlign}-byte sample frames`);
  }
  return {
    sampleRate: fmt.sampleRate,
    channels: decodeSamples(view, fmt, data.at, data.size / fmt.blockAlign),
    sampleFormat: fmt.tag === 1 ? 'pcm' : 'float',
    bitsPerSample: fmt.bits,
    validBitsPerSample: fmt.validBits,
    extensible: fmt.extensible,
    channelMask: fmt.channelMask,
  };
}

function decodeSamples(view: DataView, fmt: Fmt, at: number, frames: number): Float32Array[] {
  const nc = fmt.channels;
  const channels = Array.from({ length: nc }, () => new Float32Array(frames));
  const bytesPer = fmt.bits / 8;
  for (let c = 0; c < nc; c++) {
    const out = channels[c]!;
    let p = at + c * bytesPer;
    const step = fmt.blockAlign;
    if (fmt.tag === 3) {
      if (fmt.bits === 32) for (let i = 0; i < frames; i++, p += step) out[i] = view.getFloat32(p, true);
      else for (let i = 0; i < frames; i++, p += step) out[i] = view.getFloat64(p, true);
      continue;
    }
    switch (fmt.bits) {
      case 8:
        for (let i = 0; i < frames; i++, p += step) out[i] = (view.getUint8(p) - 128) / 128;
        break;
      case 16:
        for (let i = 0; i < frames; i++, p += step) out[i] = view.getInt16(p, true) / 32768;
        break;
      case 24:
        for (let i = 0; i < frames; i++, p += step) {
          const v = view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16);
          out[i] = v / 8388608;
        }
        break;
      default:
        for (let i = 0; i < frames; i++, p += step) out[i] = view.getInt32(p, true) / 2147483648;
    }
  }
  return channels;
}

/** Reads and decodes a WAV file (Node); errors name `path`. */
export async function readWav(path: string): Promise<DecodedWav> {
  return decodeWav(await readFileOrThrow(path, 'a WAV file'), path);
}
