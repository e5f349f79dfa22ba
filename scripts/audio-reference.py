#!/usr/bin/env python3
"""Independent reference values for nabla's mel filterbank, log-mel spectrogram and MFCC.

librosa is not installed here, so this script implements librosa's documented definitions
directly in NumPy (version-independent formulas, written from the librosa documentation):

- librosa.hz_to_mel / mel_to_hz with htk=False (Slaney): linear below 1 kHz with 200/3 Hz per
  mel, logarithmic above with step ln(6.4)/27; htk=True: 2595*log10(1 + f/700).
- librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm='slaney'): triangles between
  n_mels + 2 mel-spaced edge frequencies, evaluated at the rfft bin frequencies, each scaled by
  2 / (f[i+2] - f[i]).
- librosa.stft(center=True, pad_mode='constant', window='hann' periodic): frames of n_fft samples
  every hop samples after padding n_fft//2 zeros at both ends; numpy.fft.rfft per frame.
- melspectrogram = mel_basis @ |stft|**2; power_to_db(ref=1, amin=1e-10, top_db=80);
  mfcc = DCT-II (orthonormal, as scipy.fftpack.dct(type=2, norm='ortho')) over the mel axis.

The STFT uses numpy.fft.rfft and the DCT an explicit cosine matrix (checked against scipy when
scipy is available), so nothing is shared with nabla's TypeScript FFT and DCT. Run:

    python3 scripts/audio-reference.py

and paste the printed block into test/audio.test.ts (REFERENCE).
"""
import json

import numpy as np

SR = 8000
N = 4000
N_FFT = 512
HOP = 128
N_MELS = 40
N_MFCC = 13


def signal():
    """The fixed test signal (must match refSignal() in test/audio.test.ts)."""
    n = np.arange(N, dtype=np.float64)
    t = n / SR
    return (0.5 * np.sin(2 * np.pi * 440 * t)
            + 0.3 * np.sin(2 * np.pi * 1250.5 * t + 0.7)
            + 0.2 * np.sin(2 * np.pi * (100 * t + 1500 * t * t))
            + 0.02 * np.sin(0.37 * n * n))  # broadband: keeps every band above the top_db floor


def hz_to_mel(f, htk=False):
    f = np.asanyarray(f, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-300) / min_log_hz) / logstep, mels)


def mel_to_hz(m, htk=False):
    m = np.asanyarray(m, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp = 200.0 / 3
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_filters(sr, n_fft, n_mels, fmin=0.0, fmax=None, htk=False, norm='slaney'):
    fmax = sr / 2 if fmax is None else fmax
    fftfreqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels + 2), htk)
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fftfreqs[None, :]
    weights = np.zeros((n_mels, len(fftfreqs)))
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    if norm == 'slaney':
        weights *= (2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels]))[:, None]
    return weights


def stft_power(y, n_fft, hop):
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)  # periodic Hann
    yp = np.pad(y, n_fft // 2, mode='constant')
    frames = 1 + (len(yp) - n_fft) // hop
    spec = np.stack([np.fft.rfft(yp[f * hop:f * hop + n_fft] * window) for f in range(frames)], axis=1)
    return np.abs(spec) ** 2  # [bins, frames], librosa layout


def power_to_db(s, ref=1.0, amin=1e-10, top_db=80.0):
    log_spec = 10.0 * np.log10(np.maximum(amin, s)) - 10.0 * np.log10(max(amin, ref))
    return np.maximum(log_spec, log_spec.max() - top_db)


def dct_ortho(x, n_out):
    """DCT-II along axis 0 with orthonormal scaling."""
    n = x.shape[0]
    k = np.arange(n_out)[:, None]
    i = np.arange(n)[None, :]
    m = np.cos(np.pi * k * (2 * i + 1) / (2 * n)) * np.sqrt(2.0 / n)
    m[0] /= np.sqrt(2.0)
    return m @ x


def main():
    y = signal()
    fb = mel_filters(SR, N_FFT, N_MELS)
    fb_htk = mel_filters(SR, N_FFT, N_MELS, htk=True)
    power = stft_power(y, N_FFT, HOP)
    mel = fb @ power
    logmel = power_to_db(mel)
    mf = dct_ortho(logmel, N_MFCC)
    try:
        from scipy.fft import dct
        assert np.allclose(dct(logmel, type=2, norm='ortho', axis=0)[:N_MFCC], mf, atol=1e-9)
        checked = 'DCT cross-checked against scipy.fft.dct'
    except ImportError:
        checked = 'scipy not available; DCT not cross-checked'

    def nz(row):
        idx = np.nonzero(row)[0]
        return {'start': int(idx[0]), 'values': [float(v) for v in row[idx[0]:idx[-1] + 1]]}

    frames = [0, 9, 20, 31]
    mels = [0, 3, 12, 25, 39]
    out = {
        'params': {'sampleRate': SR, 'n': N, 'nFft': N_FFT, 'hop': HOP, 'nMels': N_MELS, 'nMfcc': N_MFCC},
        'note': checked,
        'melHz': {'slaney': [float(v) for v in mel_to_hz([5.0, 15.0, 30.0])], 'htk': [float(v) for v in mel_to_hz([500.0, 1500.0], htk=True)]},
        'filterSum': float(fb.sum()),
        'slaneyFilters': {str(m): nz(fb[m]) for m in [0, 1, 20, 39]},
        'htkFilters': {str(m): nz(fb_htk[m]) for m in [0, 20, 39]},
        'frames': int(power.shape[1]),
        'frameIndex': frames,
        'melIndex': mels,
        'melPower': [[float(mel[m, f]) for m in mels] for f in frames],
        'logMel': [[float(logmel[m, f]) for m in mels] for f in frames],
        'logMelMax': float(logmel.max()),
        'logMelMin': float(logmel.min()),
        'mfcc': [[float(v) for v in mf[:, f]] for f in frames],
    }
    print(json.dumps(out, indent=1))


if __name__ == '__main__':
    main()
