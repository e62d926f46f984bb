"""Speech recognition with faster-whisper (CTranslate2), loaded once per process.

Device ``auto`` uses CUDA with float16 when CTranslate2 sees a GPU and the CPU with int8 otherwise. Long
recordings go through the ``BatchedInferencePipeline``: Silero VAD (its ONNX file ships inside faster-whisper)
cuts speech into chunks that are decoded in batches, with word timestamps and beam size 5.

The kept speech is recognised in stretches of at most ``chunk_s`` (:func:`recognition_chunks`, cut in the pauses
between speech regions), each read from the kept audio when its turn comes: faster-whisper copies every chunk of
the audio it is given and computes all their features before decoding the first (about 100 kB per second of
speech on top of the audio), so one call over four hours of speech took gigabytes. The language is chosen once,
from probes spread over the whole recording, and every stretch is decoded with it.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ctranslate2
import numpy as np
from faster_whisper import BatchedInferencePipeline, WhisperModel
from faster_whisper.transcribe import TranscriptionInfo

from talentmind_transcriber.audio import SAMPLE_RATE
from talentmind_transcriber.errors import TranscriptionCancelled
from talentmind_transcriber.samples import Samples

log = logging.getLogger(__name__)

# How many stretches of speech are probed for their language before choosing a decoder.
LANGUAGE_PROBES = 6
# Longest stretch of kept speech recognised in one call when none is configured.
DEFAULT_CHUNK_S = 300.0


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str
    probability: float


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    language: str | None
    words: tuple[Word, ...] = field(default=())


@dataclass(frozen=True)
class Recognition:
    language: str | None
    language_probability: float | None
    segments: tuple[Segment, ...]
    duration_s: float


def pick_device(device: str, compute_type: str) -> tuple[str, str]:
    """The (device, compute type) to load on: ``auto`` prefers a CUDA GPU with float16, else CPU int8."""
    if device == "auto":
        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if compute_type == "auto":
        compute_type = "float16" if device == "cuda" else "int8"
    return device, compute_type


def batch_chunks(regions: Sequence[tuple[float, float]], max_s: float = 30.0) -> list[dict[str, float]]:
    """Consecutive speech regions packed into chunks of at most ``max_s`` seconds (Whisper's window)."""
    chunks: list[dict[str, float]] = []
    for start, end in regions:
        while end - start > max_s:  # a very long region is cut into windows
            chunks.append({"start": start, "end": start + max_s})
            start += max_s
        if chunks and end - chunks[-1]["start"] <= max_s and start >= chunks[-1]["end"]:
            chunks[-1]["end"] = end
        else:
            chunks.append({"start": start, "end": end})
    return chunks


def recognition_chunks(
    regions: Sequence[tuple[float, float]], total_s: float, max_s: float = DEFAULT_CHUNK_S
) -> list[tuple[float, float]]:
    """The kept audio [0, ``total_s``) cut into consecutive stretches holding whole speech regions, each region's
    group spanning at most ``max_s`` (a single longer region stays whole); cuts fall in the middle of the pause
    between two regions, so no word is cut."""
    if not regions:
        return [(0.0, total_s)] if total_s > 0 else []
    chunks: list[tuple[float, float]] = []
    chunk_start, group_start = 0.0, regions[0][0]
    for (_, end), (next_start, next_end) in itertools.pairwise(regions):
        if next_end - group_start > max_s:
            cut = (end + next_start) / 2
            chunks.append((chunk_start, cut))
            chunk_start, group_start = cut, next_start
    chunks.append((chunk_start, max(total_s, regions[-1][1])))
    return chunks


def shifted(segment: Segment, offset: float) -> Segment:
    """A segment recognised in a stretch starting at ``offset`` seconds, in the kept audio's time."""
    words = tuple(Word(w.start + offset, w.end + offset, w.text, w.probability) for w in segment.words)
    return Segment(segment.start + offset, segment.end + offset, segment.text, segment.language, words)


def dominant_language(heard: Sequence[str], share: float = 0.75) -> str | None:
    """The language of at least ``share`` of the probes; None when the recording mixes languages."""
    if not heard:
        return None
    top = max(set(heard), key=heard.count)
    return top if heard.count(top) / len(heard) >= share else None


class SpeechRecognizer:
    def __init__(
        self,
        model_dir: Path,
        *,
        device: str = "auto",
        compute_type: str = "auto",
        cpu_threads: int = 0,
        beam_size: int = 5,
        batch_size: int = 8,
        workers: int = 1,
    ) -> None:
        self.device, self.compute_type = pick_device(device, compute_type)
        self.beam_size = beam_size
        self.batch_size = batch_size
        # Thread safety: the CTranslate2 model may be called from several threads at once, and ``workers``
        # (CTranslate2's inter_threads) lets that many calls run in parallel on one copy of the weights, so one
        # organisation's four-hour recording does not hold the model while another's short one waits. faster-
        # whisper's BatchedInferencePipeline keeps per-call state on itself (last_speech_timestamp), so every
        # call gets its own (a thin wrapper around the shared model).
        self.model = WhisperModel(
            str(model_dir),
            device=self.device,
            compute_type=self.compute_type,
            cpu_threads=cpu_threads,
            num_workers=workers,
            local_files_only=True,
        )
        log.info(
            "speech model loaded",
            extra={"model": str(model_dir), "device": self.device, "compute_type": self.compute_type},
        )

    def spoken_languages(
        self, audio: Samples, regions: Sequence[tuple[float, float]], sample_rate: int = SAMPLE_RATE
    ) -> list[str]:
        """The language of up to ``LANGUAGE_PROBES`` stretches of speech spread over the recording."""
        long_enough = [r for r in regions if r[1] - r[0] >= 1.5] or list(regions)
        if not long_enough:
            return []
        step = max(1, len(long_enough) // LANGUAGE_PROBES)
        found = []
        for start, end in long_enough[::step][:LANGUAGE_PROBES]:
            window = audio.read(int(start * sample_rate), int(min(end, start + 10.0) * sample_rate))
            language, probability, _ = self.model.detect_language(audio=window)
            if probability >= 0.5:
                found.append(language)
        return found

    def recognize(
        self,
        audio: Samples,
        *,
        language: str | None = None,
        regions: Sequence[tuple[float, float]] = (),
        cancel: threading.Event | None = None,
        chunk_s: float = DEFAULT_CHUNK_S,
        sample_rate: int = SAMPLE_RATE,
    ) -> Recognition:
        """Transcribe 16 kHz mono audio (``regions``: its speech, in seconds), ``chunk_s`` at a time.

        With a known language, or one detected everywhere, the batched pipeline decodes VAD chunks together
        (fast on long recordings, several times so on a GPU). When the probes hear more than one language, the
        sequential decoder runs with ``multilingual=True``, detecting the language of every segment: the batched
        pipeline packs 30-second chunks and drops the part of a chunk that switches language.
        """
        if language is None and regions:
            language = dominant_language(self.spoken_languages(audio, regions, sample_rate))
        total_s = len(audio) / sample_rate
        chunks = recognition_chunks(regions, total_s, chunk_s)
        segments: list[Segment] = []
        heard: tuple[str | None, float | None] = (language, None)
        for index, (start, end) in enumerate(chunks):
            piece = audio.read(int(start * sample_rate), int(end * sample_rate))
            found, info = self._recognize_piece(piece, language, cancel)
            del piece
            if index == 0:
                heard = (info.language, info.language_probability)
            segments.extend(shifted(s, start) for s in found)
            if len(chunks) > 1:
                log.info(
                    "recognition progress",
                    extra={"chunk": index + 1, "chunks": len(chunks), "speech_s": round(end, 1), "of_s": total_s},
                )
        return Recognition(heard[0], heard[1], tuple(segments), total_s)

    def _recognize_piece(
        self, audio: np.ndarray, language: str | None, cancel: threading.Event | None
    ) -> tuple[list[Segment], TranscriptionInfo]:
        common = {
            "beam_size": self.beam_size,
            "word_timestamps": True,
            "vad_filter": True,
            "condition_on_previous_text": False,
        }
        if language is not None:
            segments, info = BatchedInferencePipeline(self.model).transcribe(
                audio, language=language, batch_size=self.batch_size, **common
            )
        else:
            segments, info = self.model.transcribe(audio, multilingual=True, **common)
        result: list[Segment] = []
        # faster-whisper decodes lazily, batch by batch, as the segments are read: a shutdown stops between them.
        for s in segments:
            if cancel is not None and cancel.is_set():
                raise TranscriptionCancelled("recognition stopped: the transcriber is shutting down")
            if s.text.strip():
                words = tuple(Word(float(w.start), float(w.end), w.word, float(w.probability)) for w in (s.words or ()))
                result.append(Segment(float(s.start), float(s.end), s.text.strip(), language=language, words=words))
        return result, info
