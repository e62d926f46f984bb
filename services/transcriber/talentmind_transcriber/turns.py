"""From recognised words to the interview's turns: who spoke when, and which speaker is the candidate.

Pure functions: speech units from word timings, the role of each speaker from the dialogue, and turns (runs of
one speaker) with their language. Unit tests call them with hand-made segments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from talentmind_transcriber.asr import Segment, Word

# A pause this long between two words starts a new unit: speakers rarely hand over faster than that.
UNIT_GAP_S = 0.6
_QUESTION_START = re.compile(
    r"^(what|why|how|when|where|who|which|could|can|would|do|did|does|are|is|have|tell me|"
    r"что|почему|как|когда|где|кто|какой|какие|какая|расскажите|можете|могли бы|были ли|есть ли)\b",
    re.IGNORECASE,
)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)


@dataclass(frozen=True)
class Unit:
    """A stretch of speech by one voice (as far as timing tells)."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class Turn:
    speaker: str  # "interviewer" | "candidate"
    start: float
    end: float
    text: str
    language: str | None
    words: tuple[Word, ...] = ()


def units_from_regions(regions: Sequence[tuple[float, float]], segments: Sequence[Segment]) -> list[Unit]:
    """Units = voice-activity regions (speech between pauses) with the recognised words that fall in them.

    Speakers hand over at pauses, so a region rarely holds two voices; words belong to the region that contains
    their midpoint (or the nearest one). Regions without words are dropped.
    """
    if not regions:
        return split_units(segments)
    buckets: list[list[Word]] = [[] for _ in regions]
    for segment in segments:
        for word in segment.words:
            mid = (word.start + word.end) / 2
            index = min(range(len(regions)), key=lambda i: _distance(regions[i], mid))
            buckets[index].append(word)
    units: list[Unit] = []
    for words in buckets:
        units.extend(_unit(part) for part in _split_at_sentences(words))
    return [u for u in units if u.text]


# Inside one voice-activity region, a sentence end followed by this much silence may be a hand-over (the pause
# was too short for the VAD, or the recording's noise floor hid it); the voice model decides afterwards.
SENTENCE_GAP_S = 0.3
_SENTENCE_END = (".", "?", "!", "…")


def _split_at_sentences(words: list[Word]) -> list[list[Word]]:
    parts: list[list[Word]] = []
    current: list[Word] = []
    for word in words:
        if current and (
            word.start - current[-1].end >= SENTENCE_GAP_S and current[-1].text.strip().endswith(_SENTENCE_END)
        ):
            parts.append(current)
            current = []
        current.append(word)
    if current:
        parts.append(current)
    return parts


def _distance(region: tuple[float, float], t: float) -> float:
    start, end = region
    return 0.0 if start <= t <= end else min(abs(t - start), abs(t - end))


def split_units(segments: Sequence[Segment], gap_s: float = UNIT_GAP_S) -> list[Unit]:
    """Units from word timing alone (pauses of ``gap_s`` or more), when no voice-activity regions are known."""
    units: list[Unit] = []
    for segment in segments:
        if not segment.words:
            units.append(Unit(segment.start, segment.end, segment.text))
            continue
        current: list[Word] = [segment.words[0]]
        for word in segment.words[1:]:
            if word.start - current[-1].end >= gap_s:
                units.append(_unit(current))
                current = []
            current.append(word)
        units.append(_unit(current))
    return [u for u in units if u.text]


def _unit(words: list[Word]) -> Unit:
    return Unit(words[0].start, words[-1].end, "".join(w.text for w in words).strip(), tuple(words))


def text_language(text: str) -> str | None:
    """``ru`` or ``en`` by script; None for text with no letters."""
    cyrillic, latin = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    if cyrillic == latin == 0:
        return None
    return "ru" if cyrillic >= latin else "en"


def is_question(text: str) -> bool:
    stripped = text.strip()
    return stripped.endswith("?") or bool(_QUESTION_START.match(stripped))


def assign_roles(units: Sequence[Unit], labels: Sequence[int]) -> dict[int, str]:
    """Which speaker label is the interviewer: the one who asks more (a share of their units that are
    questions) and speaks less; the candidate speaks most. A single voice is the candidate."""
    speakers = sorted(set(labels))
    if len(speakers) == 1:
        return {speakers[0]: "candidate"}
    talk = {s: 0.0 for s in speakers}
    questions = {s: 0 for s in speakers}
    count = {s: 0 for s in speakers}
    for unit, label in zip(units, labels, strict=True):
        talk[label] += unit.end - unit.start
        count[label] += 1
        questions[label] += is_question(unit.text)
    total_talk = sum(talk.values()) or 1.0
    first = labels[0]

    def interviewer_score(s: int) -> float:
        question_rate = questions[s] / max(count[s], 1)
        return question_rate + (1.0 - talk[s] / total_talk) + (0.1 if s == first else 0.0)

    interviewer = max(speakers, key=interviewer_score)
    return {s: ("interviewer" if s == interviewer else "candidate") for s in speakers}


def build_turns(units: Sequence[Unit], labels: Sequence[int], roles: dict[int, str]) -> list[Turn]:
    """Merge consecutive units of one speaker into turns."""
    turns: list[Turn] = []
    for unit, label in zip(units, labels, strict=True):
        role = roles[label]
        if turns and turns[-1].speaker == role:
            last = turns[-1]
            text = f"{last.text} {unit.text}".strip()
            turns[-1] = Turn(role, last.start, unit.end, text, text_language(text), last.words + unit.words)
        else:
            turns.append(Turn(role, unit.start, unit.end, unit.text, text_language(unit.text), unit.words))
    return turns


class TimeMap(Protocol):
    def __call__(self, t: float, *, end: bool = False) -> float: ...


def retime_turns(turns: Sequence[Turn], to_time: TimeMap) -> list[Turn]:
    """The turns with every start and end (of turns and of their words) mapped by ``to_time(t, end=...)``: from
    the kept speech's time base to the recording's (``speech.Timeline.to_recording``)."""
    return [
        Turn(
            t.speaker,
            to_time(t.start),
            to_time(t.end, end=True),
            t.text,
            t.language,
            tuple(Word(to_time(w.start), to_time(w.end, end=True), w.text, w.probability) for w in t.words),
        )
        for t in turns
    ]
