"""One recording to one transcript: decode, recognise, tell the speakers apart, name their roles.

Decoding and voice-activity detection stream window by window and keep only speech (``speech.py``) in a spooled
temporary file; recognition reads it back ``window_s`` of speech at a time and the speaker step one turn's middle
at a time, so memory is bounded by ``window_s``, not by the recording's duration nor by how much of it is speech.
The turns are mapped back to the recording's time base. After each job the C heap is trimmed
(``heap.release_memory``), and the transcriber's large buffers are mapped on their own (``heap.limit_heap_growth``).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from talentmind_transcriber.asr import SpeechRecognizer
from talentmind_transcriber.errors import MediaError, TranscriptionCancelled
from talentmind_transcriber.heap import release_memory
from talentmind_transcriber.speakers import VoiceEmbedder, channel_labels, voice_labels
from talentmind_transcriber.speech import extract_speech
from talentmind_transcriber.turns import Turn, assign_roles, build_turns, retime_turns, units_from_regions

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


# Decode window of the streaming decoder when none is configured (``transcriber_decode_window_s``).
DEFAULT_WINDOW_S = 300.0


class TranscriptionPipeline:
    def __init__(
        self,
        recognizer: SpeechRecognizer,
        embedder: VoiceEmbedder,
        *,
        max_duration_s: float,
        window_s: float = DEFAULT_WINDOW_S,
    ) -> None:
        self.recognizer = recognizer
        self.embedder = embedder
        self.max_duration_s = max_duration_s
        self.window_s = window_s

    def run(
        self,
        path: Path,
        *,
        language: str | None = None,
        cancel: threading.Event | None = None,
        work_dir: Path | None = None,
    ) -> TranscriptResult:
        """Blocking (CPU/GPU bound): call it from a worker thread. ``cancel``, set from outside, stops the job
        between decode windows and recognition batches (:class:`TranscriptionCancelled`). The kept speech spills
        to ``work_dir`` (the job's temporary folder; the system's when None) and is deleted when the job ends."""
        try:
            return self._run(path, language, cancel, work_dir)
        finally:
            release_memory()

    def _run(
        self, path: Path, language: str | None, cancel: threading.Event | None, work_dir: Path | None
    ) -> TranscriptResult:
        clock = time.perf_counter()
        with extract_speech(
            path,
            max_duration_s=self.max_duration_s,
            window_s=self.window_s,
            each_window=lambda: _check(cancel),
            work_dir=work_dir,
        ) as speech:
            decoded = time.perf_counter()
            _check(cancel)
            if not speech.regions:
                raise MediaError("no speech was found in the recording", code="no_speech")
            recognition = self.recognizer.recognize(
                speech.audio, language=language, regions=speech.regions, cancel=cancel, chunk_s=self.window_s
            )
            recognised = time.perf_counter()
            units = units_from_regions(speech.regions, recognition.segments)
            if not units:
                raise MediaError("no speech was found in the recording", code="no_speech")
            labels = channel_labels(speech.energy, units, speech.sample_rate)
            speakers_by = "channels"
            if labels is None:
                labels = voice_labels(speech.audio, units, speech.sample_rate, self.embedder)
                speakers_by = "voices"
        turns = retime_turns(build_turns(units, labels, assign_roles(units, labels)), speech.timeline.to_recording)
        done = time.perf_counter()
        return TranscriptResult(
            language=language or _main_language(turns) or recognition.language,
            turns=turns,
            audio_s=speech.duration_s,
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
