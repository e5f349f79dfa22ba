// Audio: WAV decoding/encoding, resampling, framing, windows, FFT, STFT, spectrograms, mel
// filterbank, log-mel spectrograms and MFCCs. Spectral features use nabla's time-first layout
// ([frames, bins], as tf.signal); parameters and defaults follow librosa. readWav/writeWav are
// Node-only (node:fs is loaded lazily); everything else runs in browsers too.
export { type AudioData, type Signal, toMono } from './signal.js';
export { decodeWav, type DecodedWav, readWav } from './wav-decode.js';
export { encodeWav, type EncodeWavOptions, writeWav } from './wav-encode.js';
export { resample, resampleAudio, type ResampleOptions } from './resample.js';
export { frame, frameCount, type FrameOptions } from './frame.js';
export { getWindow, hammingWindow, hannWindow, type WindowName, type WindowOptions } from './window.js';
export { type Complex, fft, FftPlan, ifft, irfft, rfft } from './fft.js';
export { magnitudeSpectrogram, powerSpectrogram, spectrogram, type SpectrogramOptions, stft, type StftOptions } from './stft.js';
export { fftFrequencies, hzToMel, melFilterbank, type MelFilterbankOptions, melFrequencies, type MelScaleOptions, melToHz } from './mel.js';
export { logMelSpectrogram, melSpectrogram, type MelSpectrogramOptions, powerToDb, type PowerToDbOptions } from './mel-spectrogram.js';
export { dct, type DctOptions, mfcc, mfccFromLogMel, type MfccOptions } from './mfcc.js';
