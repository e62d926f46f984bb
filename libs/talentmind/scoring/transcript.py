"""The candidate's answers, each paired with the interviewer question it answers.

An interview is scored from what the candidate said, judged against what was asked, so the unit of scoring is an
``Answer``: the question, the candidate's text, its time span and (when audio was transcribed) its word timings.

Two sources build answers:

* ``answers_from_turns``: our API transcript turns ``{speaker: interviewer|candidate, text, start?, end?, words?}``.
* ``mit_transcript``: the MIT Interview dataset's format, ``Interviewer: …|Interviewee: …|…``.

Both follow the same rules. A candidate answer belongs to the last interviewer *question* before it. Short interviewer
turns without a question mark ("mhhmm", "uh huh.", "Oh yes.", at most ``BACKCHANNEL_MAX_WORDS`` words) are
backchannels, not questions: the candidate's speech on either side of them is one answer. Consecutive candidate turns
are one answer too. Candidate speech before any question gets the question ``""``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Word = tuple[float, float, str]
"""A timed word: (start seconds, end seconds, text)."""

BACKCHANNEL_MAX_WORDS = 3
"""An interviewer turn of at most this many words and without "?" is a backchannel, not a new question."""

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+", re.UNICODE)
_ANNOTATION = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_MIT_PREFIX = re.compile(r"^\s*(Interviewer|Interviewee)\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Answer:
    """One answer of the candidate and the question it answers.

    ``start``/``end`` are seconds from the start of the recording (None for a typed transcript); ``words`` are the
    answer's timed words when the transcript came from audio with word timestamps, else None. A sequence given for
    ``words`` is stored as a tuple, so answers are immutable and hashable.
    """

    question: str
    text: str
    start: float | None = None
    end: float | None = None
    words: Sequence[Word] | None = None

    def __post_init__(self) -> None:
        if self.words is not None and not isinstance(self.words, tuple):
            object.__setattr__(self, "words", tuple((float(s), float(e), str(w)) for s, e, w in self.words))


def is_backchannel(text: str) -> bool:
    """Whether an interviewer turn only acknowledges ("mhhmm", "ok", "угу") instead of asking something."""
    return "?" not in text and len(_WORD.findall(text)) <= BACKCHANNEL_MAX_WORDS


@dataclass
class _Draft:
    question: str
    texts: list[str]
    start: float | None
    end: float | None
    words: list[Word] | None
    turns: list[int]


def _build(
    turns: Sequence[tuple[str, str, float | None, float | None, list[Word] | None]],
) -> list[Answer]:
    """Answers from normalised turns ``(role, text, start, end, words)`` with role ``interviewer``/``candidate``."""
    return [answer for answer, _ in _group(turns)]


def _group(
    turns: Sequence[tuple[str, str, float | None, float | None, list[Word] | None]],
) -> list[tuple[Answer, tuple[int, ...]]]:
    """Each answer with the indices of the turns it is made of (what report pages link evidence to)."""
    answers: list[tuple[Answer, tuple[int, ...]]] = []
    question = ""
    draft: _Draft | None = None

    def flush() -> None:
        nonlocal draft
        if draft is not None:
            text = " ".join(t for t in draft.texts if t)
            if text:
                answers.append((Answer(draft.question, text, draft.start, draft.end, draft.words), tuple(draft.turns)))
        draft = None

    for index, (role, text, start, end, words) in enumerate(turns):
        if role == "interviewer":
            if is_backchannel(text):
                continue
            flush()
            question = text
            continue
        if draft is None:
            draft = _Draft(question, [text], start, end, list(words) if words is not None else None, [index])
            continue
        draft.texts.append(text)
        draft.turns.append(index)
        if draft.start is None:
            draft.start = start
        if end is not None:
            draft.end = end
        if draft.words is not None and words is not None:
            draft.words.extend(words)
        else:
            draft.words = None
    flush()
    return answers


def _clean(text: str) -> str:
    """Drop transcriber annotations such as "[Laughs]" or "(both laugh)" and squeeze whitespace."""
    return " ".join(_ANNOTATION.sub(" ", text).split())


def mit_transcript(text: str) -> list[Answer]:
    """Answers from an MIT Interview dataset transcript (turns separated by ``|``, each ``Interviewer: …`` or
    ``Interviewee: …``). A segment without a speaker prefix continues the previous turn; bracketed annotations
    ("[Laughs]") are removed. The dataset has no timings, so ``start``, ``end`` and ``words`` are None."""
    turns: list[tuple[str, str, float | None, float | None, list[Word] | None]] = []
    for segment in text.split("|"):
        match = _MIT_PREFIX.match(segment)
        if match is None:
            if turns:
                role, previous, *_ = turns[-1]
                turns[-1] = (role, f"{previous} {_clean(segment)}".strip(), None, None, None)
            elif _clean(segment):
                turns.append(("candidate", _clean(segment), None, None, None))
            continue
        role = "interviewer" if match.group(1).lower() == "interviewer" else "candidate"
        turns.append((role, _clean(segment[match.end() :]), None, None, None))
    return _build(turns)


def _optional_float(value: object, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"turn {name} must be a number, got {value!r}")
    return float(value)


def _words(value: object) -> list[Word] | None:
    """Timed words given as ``[start, end, word]`` triples or ``{start, end, word}`` objects."""
    if value is None:
        return None
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise ValueError("turn words must be a list")
    words: list[Word] = []
    for item in value:
        if isinstance(item, Mapping):
            start, end, word = item.get("start"), item.get("end"), item.get("word", item.get("text"))
        elif isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 3:
            start, end, word = item
        else:
            raise ValueError(f"a timed word must be [start, end, word] or {{start, end, word}}, got {item!r}")
        s, e = _optional_float(start, "word start"), _optional_float(end, "word end")
        if s is None or e is None or not isinstance(word, str):
            raise ValueError(f"a timed word needs start, end and text, got {item!r}")
        words.append((s, e, word))
    return words


def answers_from_turns(turns: Sequence[Mapping[str, object]]) -> list[Answer]:
    """Answers from API transcript turns (``answers_with_turns`` without the turn indices)."""
    return [answer for answer, _ in answers_with_turns(turns)]


def answers_with_turns(turns: Sequence[Mapping[str, object]]) -> list[tuple[Answer, tuple[int, ...]]]:
    """Answers from API transcript turns ``{speaker: "interviewer"|"candidate", text, start?, end?, words?}``, each
    with the indices of the turns it is made of.

    ``words``, when present, are the turn's timed words (``[start, end, word]`` or ``{start, end, word}``); an answer
    keeps word timings only when every turn it is made of has them. Raises ``ValueError`` for an unknown speaker.
    """
    normalised: list[tuple[str, str, float | None, float | None, list[Word] | None]] = []
    for turn in turns:
        speaker = turn.get("speaker")
        if speaker not in ("interviewer", "candidate"):
            raise ValueError(f"turn speaker must be 'interviewer' or 'candidate', got {speaker!r}")
        text = turn.get("text")
        normalised.append(
            (
                str(speaker),
                " ".join(str(text or "").split()),
                _optional_float(turn.get("start"), "start"),
                _optional_float(turn.get("end"), "end"),
                _words(turn.get("words")),
            )
        )
    return _group(normalised)
