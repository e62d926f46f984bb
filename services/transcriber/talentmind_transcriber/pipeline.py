"""One recording to one transcript: decode, recognise, tell the speakers apart, name their roles."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from talentmind_transcriber.asr import SpeechRecognizer
from talentmind_transcriber.audio import decode_audio
from talentmind_transcriber.errors import MediaError, TranscriptionCancelled
from talentmind_transcriber.speakers import VoiceEmbedder, channel_labels, speech_regions, voice_labels
from talentmind_transcriber.turns import Turn, assign_roles, build_turns, units_from_regions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TranscriptResult:
    language: str | None
    turns: list[Turn]
    audio_s: float
    speakers_by: str  # "channels" | "voices"
    seconds: dict[str, float]  # wall time per stage

    def stored_turns(self) -> list[dict[str, object]]:
        """The turns as the transcript row stores them for the scorer and the API. Word timings travel with the
        turns for the scorer's fluency measures; the API shows turns only."""
        return [
            {
                "speaker": t.speaker,
                "start": round(t.start, 2),
                "end": round(t.end, 2),
                "text": t.text,
                "words": [[round(w.start, 2), round(w.end, 2), w.text.strip()] for w in t.words],
            }
            for t in self.turns
        ]


class TranscriptionPipeline:
    def __init__(self, recognizer: SpeechRecognizer, embedder: VoiceEmbedder, *, max_duration_s: float) -> None:
        self.recognizer = recognizer
        self.embedder = embedder
        self.max_duration_s = max_duration_s

    def run(
        self, path: Path, *, language: str | None = None, cancel: threading.Event | None = None
    ) -> TranscriptResult:
        """Blocking (CPU/GPU bound): call it from a worker thread. ``cancel``, set from outside, stops the job
        between stages and recognition batches (:class:`TranscriptionCancelled`)."""
        clock = time.perf_counter()
        audio = decode_audio(path, max_duration_s=self.max_duration_s)
        decoded = time.perf_counter()
        _check(cancel)
        regions = speech_regions(audio.mono, audio.sample_rate)
        _check(cancel)
        recognition = self.recognizer.recognize(audio.mono, language=language, regions=regions, cancel=cancel)
        recognised = time.perf_counter()
        units = units_from_regions(regions, recognition.segments)
        if not units:
            raise MediaError("no speech was found in the recording", code="no_speech")
        labels = channel_labels(audio.channels, units, audio.sample_rate)
        speakers_by = "channels"
        if labels is None:
            labels = voice_labels(audio.mono, units, audio.sample_rate, self.embedder)
            speakers_by = "voices"
        turns = build_turns(units, labels, assign_roles(units, labels))
        done = time.perf_counter()
        return TranscriptResult(
            language=language or _main_language(turns) or recognition.language,
            turns=turns,
            audio_s=audio.duration_s,
            speakers_by=speakers_by,
            seconds={"decode": decoded - clock, "recognize": recognised - decoded, "speakers": done - recognised},
        )


def _main_language(turns: list[Turn]) -> str | None:
    """The language spoken longest; a mixed interview is labelled by what dominates."""
    spoken: dict[str, float] = {}
    for turn in turns:
        if turn.language:
            spoken[turn.language] = spoken.get(turn.language, 0.0) + turn.end - turn.start
    return max(spoken, key=spoken.__getitem__) if spoken else None


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise TranscriptionCancelled("transcription stopped: the transcriber is shutting down")
