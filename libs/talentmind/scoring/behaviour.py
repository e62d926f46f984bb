"""Behavioural evidence per competency: what the candidate says they *did*, and about which competency.

In the spirit of behaviourally anchored rating scales (BARS), a sentence is evidence of a competency when it is

* **concrete**: a past action of the candidate ("I split the release", "я перенёс запуск"), with specifics (numbers,
  dates), a reason or a result; habitual talk ("I usually try to…", "обычно я стараюсь…") counts half, hedges
  ("I guess", "наверное") cut it further, and a *self-claim* ("I am a natural leader", "я прирождённый лидер"), a
  sentence that names a trait without any behaviour, counts nothing;
* **about the competency**: its meaning is closest to that competency's strong anchors among the six (multilingual
  sentence embeddings, so a Russian sentence and its English translation are judged alike) and it uses that
  competency's behaviour words (owning the team's direction and people for leadership; goals, steps, dates, risks
  and follow-up for planning; …).

A competency's evidence score is ``relevance × concreteness`` of its best sentences, averaged over the answers
(answers to a question that asks for the competency weigh double). It is a mean, not a sum, so saying more does not
raise it by itself; repeating buzzwords raises relevance but not concreteness.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from talentmind.competencies import COMPETENCIES
from talentmind.scoring.anchors import ANCHORS
from talentmind.scoring.embeddings import SentenceEncoder
from talentmind.scoring.language_features import (
    CAUSAL,
    HEDGES,
    NUMBER_WORDS,
    RESULTS,
    Lexicon,
    ownership_count,
    tokens,
)
from talentmind.scoring.neutral import neutralise
from talentmind.scoring.transcript import Answer

MIN_SENTENCE_WORDS = 4
TOP_PER_ANSWER = 3
"""An answer's evidence for a competency is the mean of its best three sentences."""
RELEVANCE_TEMPERATURE = 0.04
"""Softmax temperature over the six competencies' anchor similarities: a 0.04 cosine lead is e times the weight."""
QUESTION_WEIGHT = 1.0
"""An answer to a question that asks for the competency weighs up to ``1 + QUESTION_WEIGHT`` times."""

_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\s*[\n;]\s*")

# A first-person subject followed within two words by a past-tense verb: English regular (-ed) and common irregular
# pasts; Russian past tense (-л, -ла, -ли, -лся, -лась). "I usually ..." does not match.
_EN_IRREGULAR_PAST = (
    "led|built|made|took|ran|wrote|set|chose|gave|got|went|came|found|told|said|spoke|met|sent|kept|left|put|"
    "brought|bought|caught|taught|thought|began|drew|drove|fell|felt|flew|forgot|grew|heard|held|hid|knew|laid|lost|"
    "meant|paid|rode|rose|saw|sold|shot|showed|shut|sat|slept|spent|stood|stuck|struck|swore|threw|understood|woke|"
    "won|withdrew|broke|cut|hit|let|quit|split|spread|oversaw|rewrote|undertook|sought|fought|dealt"
)
_PAST_ACTION = re.compile(
    r"(?<![^ ])(?:i|we|i've|we've|я|мы)(?: [^ ]+){0,3} (?:[a-z]+ed|" + _EN_IRREGULAR_PAST + r"|"
    r"[а-я]+(?:ал|ял|ил|ел|ол|ул|ыл|ла|ли|лся|лась|лись)|[а-я]*(?:мог|смог|помог|берег|пришел|нашел|ушел|вышел|перешел))"
    r"(?![^ ])"
)
HABITUAL = Lexicon(
    "usually", "always", "generally", "typically", "normally", "in general", "tend to", "i try to", "i believe",
    "it is important", "it's important", "i think it's", "whenever",
    "обычно", "всегда", "как правило", "в целом", "стараюсь", "стремлюсь", "я считаю", "важно", "каждый раз когда",
)  # fmt: skip
# Words that name a trait rather than show it: a sentence with one of these and no behaviour is a self-claim.
TRAIT_WORDS = Lexicon(
    "leader*", "leadership", "natural", "born", "passion*", "communicat*", "communicator", "empath*", "caring",
    "compassion*", "logical*", "analytic*", "rational*", "planner", "organised", "organized", "calm",
    "stress-resistant",
    "resilient", "strength", "strengths", "skill*", "person", "type",
    "лидер*", "прирожд*", "страст*", "коммуникаб*", "коммуникатор*", "эмпат*", "сопережива*", "логич*", "аналитич*",
    "рациональн*", "планировщик*", "организован*", "спокойн*", "стрессоуст*", "сильн*", "навык*", "качеств*",
    "человек",
)  # fmt: skip
_FIRST_PERSON = re.compile(r"(?<![^ ])(?:i|i'm|i've|i'd|we|we're|we've|я|мы|мне|меня|нам|нас)(?![^ ])")
_SELF_DESCRIPTION = re.compile(r"(?<![^ ])(?:i am|i'm|im|my|я|мой|моя|мое|мои|меня|мне)(?![^ ])")

# Behaviour words per competency (besides the anchors' meaning), both languages, stems where Russian inflects.
BEHAVIOUR_WORDS: dict[str, Lexicon] = {
    "leadership": Lexicon(
        "team", "assigned", "delegated", "coached", "mentored", "hired", "owners", "owner", "took responsibility",
        "made the call", "decided", "led", "direction", "motivated", "underperform*", "roles",
        "команд*", "назначил*", "поручил*", "делегир*", "наставни*", "нанял*", "ответствен*", "принял* решение",
        "возглав*", "руковод*", "мотивир*", "роли", "распредел*",
    ),
    "communication": Lexicon(
        "explained", "explain*", "presented", "presentation", "audience", "slides", "simplified", "analogy",
        "questions", "understood", "clear*", "wrote", "summary", "message", "listeners", "non-technical",
        "объясн*", "рассказал*", "презентац*", "аудитор*", "слайд*", "упростил*", "аналоги*", "вопрос*", "понятн*",
        "ясн*", "написал*", "сообщени*", "донес*", "донёс*",
    ),
    "empathy": Lexicon(
        "felt", "feel*", "listened", "listen*", "upset", "worried", "support*", "perspective", "understand*",
        "asked how", "frustrat*", "overwhelmed", "cared", "trust", "personal", "family",
        "чувств*", "выслушал*", "слушал*", "расстро*", "переживал*", "поддерж*", "понял* что", "беспоко*", "доверие",
        "тревож*", "лично", "семь*", "состояни*",
    ),
    "logic": Lexicon(
        "hypothes*", "data", "tested", "test", "ruled out", "cause", "caused", "therefore", "because", "evidence",
        "measured", "compared", "logs", "root", "conclusion", "reason*", "analy*",
        "гипотез*", "данны*", "проверил*", "провер*", "исключил*", "причин*", "поэтому", "потому что", "сравнил*",
        "измерил*", "логи", "вывод*", "анализ*", "следовательно",
    ),
    "planning": Lexicon(
        "plan", "planned", "schedule*", "milestone*", "deadline*", "steps", "phase*", "timeline", "risk*",
        "checkpoint*", "weekly", "by the end", "backlog", "priorit*", "buffer", "estimate*",
        "план*", "график*", "этап*", "срок*", "дедлайн*", "шаг*", "риск*", "контрольн*", "еженедельн*", "к концу",
        "приоритет*", "запас*", "оцен*",
    ),
    "stress_tolerance": Lexicon(
        "pressure", "calm*", "outage", "urgent", "crisis", "panic*", "deadline", "stayed", "breath*", "angry",
        "setback", "prioriti*", "focused", "recovered", "composed",
        "давлени*", "спокой*", "авари*", "срочн*", "кризис*", "паник*", "сохранил*", "зол*", "сорвал*", "неудач*",
        "сосредоточ*", "восстанов*", "стресс*", "нервн*",
    ),
}  # fmt: skip
BEHAVIOUR_SHARE = 0.4
"""Relevance = 0.6 · anchor-meaning share + 0.4 · behaviour-word share among the six competencies."""


@dataclass(frozen=True)
class Sentence:
    answer_index: int
    text: str
    start: float | None
    end: float | None


@dataclass(frozen=True)
class SentenceEvidence:
    """One sentence's evidence: how concrete it is and how much it is about each competency."""

    sentence: Sentence
    concreteness: float
    relevance: dict[str, float]
    self_claim: bool

    def value(self, competency: str) -> float:
        return self.relevance[competency] * self.concreteness


def split_sentences(answers: Sequence[Answer]) -> list[Sentence]:
    """The candidate's sentences of ``MIN_SENTENCE_WORDS`` words or more, with the answer they belong to. Times are
    the answer's (a sentence inside it is not timed separately)."""
    found: list[Sentence] = []
    for index, answer in enumerate(answers):
        for part in _SENTENCE.split(answer.text):
            part = part.strip()
            if len(tokens(part)) >= MIN_SENTENCE_WORDS:
                found.append(Sentence(index, part, answer.start, answer.end))
    return found


def _joined(text: str) -> str:
    return " " + " ".join(tokens(text)) + " "


def is_self_claim(text: str) -> bool:
    """A sentence that describes the speaker with trait words and shows no behaviour (no past action, no number)."""
    joined = _joined(text)
    if _PAST_ACTION.search(joined.replace("ё", "е")) or NUMBER_WORDS.count(joined):
        return False
    return TRAIT_WORDS.count(joined) > 0 and _SELF_DESCRIPTION.search(joined) is not None


def concreteness(text: str) -> float:
    """How behavioural a sentence is, in [0, 1]. The speaker talking about what they do 0.2; a past action of theirs
    +0.4 (an action in another tense, "I give everyone a role", +0.15, halved when habitual: "I usually…");
    specifics (numbers, dates) +0.2, a reason +0.1, a result +0.15; each hedge keeps two thirds; a self-claim is 0."""
    if is_self_claim(text):
        return 0.0
    joined = _joined(text)
    value = 0.2 if _FIRST_PERSON.search(joined) else 0.0
    habitual = HABITUAL.count(joined) > 0
    if _PAST_ACTION.search(joined):
        value += 0.4 * (0.5 if habitual else 1.0)
    elif ownership_count(joined):
        value += 0.15 * (0.5 if habitual else 1.0)
    if NUMBER_WORDS.count(joined):
        value += 0.2
    if CAUSAL.count(joined):
        value += 0.1
    if RESULTS.count(joined):
        value += 0.15
    value *= (2 / 3) ** min(HEDGES.count(joined), 3)
    return min(value, 1.0)


def _softmax(values: NDArray[np.float64], temperature: float) -> NDArray[np.float64]:
    shifted = np.exp((values - values.max(axis=-1, keepdims=True)) / temperature)
    result: NDArray[np.float64] = shifted / shifted.sum(axis=-1, keepdims=True)
    return result


class BehaviourScorer:
    """Evidence of each competency in the candidate's sentences (see the module docstring)."""

    def __init__(self, encoder: SentenceEncoder) -> None:
        self.encoder = encoder
        self._strong = [self._encode(ANCHORS[c].strong) for c in COMPETENCIES]
        self._questions = [self._encode(ANCHORS[c].questions) for c in COMPETENCIES]

    def _encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        # Names and grammatical gender are taken out before meaning is compared (see neutral.py).
        return self.encoder.encode([neutralise(t) for t in texts])

    def sentence_evidence(self, answers: Sequence[Answer]) -> list[SentenceEvidence]:
        said = split_sentences(answers)
        if not said:
            return []
        vectors = self._encode([s.text for s in said]).astype(np.float64)
        meaning = np.stack([(vectors @ anchors.T).max(axis=1) for anchors in self._strong], axis=1)
        meaning_share = _softmax(meaning, RELEVANCE_TEMPERATURE)
        found = []
        for row, sentence in enumerate(said):
            joined = _joined(sentence.text)
            hits = np.array([BEHAVIOUR_WORDS[c].count(joined) for c in COMPETENCIES], dtype=np.float64)
            word_share = hits / hits.sum() if hits.sum() else np.full(len(COMPETENCIES), 1 / len(COMPETENCIES))
            relevance = (1 - BEHAVIOUR_SHARE) * meaning_share[row] + BEHAVIOUR_SHARE * word_share
            found.append(
                SentenceEvidence(
                    sentence,
                    concreteness(sentence.text),
                    {c: float(relevance[i]) for i, c in enumerate(COMPETENCIES)},
                    is_self_claim(sentence.text),
                )
            )
        return found

    def question_focus(self, answers: Sequence[Answer]) -> NDArray[np.float64]:
        """Per answer and competency, in [0, 1]: how much the question asks for that competency."""
        if not answers:
            return np.zeros((0, len(COMPETENCIES)))
        questions = self._encode([a.question or "-" for a in answers]).astype(np.float64)
        similarity = np.stack([(questions @ q.T).max(axis=1) for q in self._questions], axis=1)
        focus: NDArray[np.float64] = np.clip(similarity - 0.3, 0.0, 0.4) / 0.4
        return focus

    def per_answer(
        self, answers: Sequence[Answer], evidence: Sequence[SentenceEvidence]
    ) -> tuple[list[dict[str, float]], NDArray[np.float64]]:
        """Per answer and competency: the mean of its best ``TOP_PER_ANSWER`` sentences' ``relevance ×
        concreteness`` (fewer sentences count as zeros); and each answer's weight per competency (its question's
        focus)."""
        focus = self.question_focus(answers)
        values: list[dict[str, list[float]]] = [{c: [] for c in COMPETENCIES} for _ in answers]
        for item in evidence:
            for c in COMPETENCIES:
                values[item.sentence.answer_index][c].append(item.value(c))
        per_answer = [
            {c: sum(sorted(v[c], reverse=True)[:TOP_PER_ANSWER]) / TOP_PER_ANSWER for c in COMPETENCIES} for v in values
        ]
        return per_answer, 1.0 + QUESTION_WEIGHT * focus

    def scores(self, answers: Sequence[Answer], evidence: Sequence[SentenceEvidence] | None = None) -> dict[str, float]:
        """Per competency: the weighted mean over answers of ``per_answer`` (answers to questions asking for the
        competency weigh more; answers without a sentence of four words are left out); 0 when nothing was said."""
        evidence = self.sentence_evidence(answers) if evidence is None else evidence
        per_answer, weights = self.per_answer(answers, evidence)
        judged = sorted({item.sentence.answer_index for item in evidence})
        result: dict[str, float] = {}
        for i, c in enumerate(COMPETENCIES):
            total = sum(weights[a, i] * per_answer[a][c] for a in judged)
            weight = sum(weights[a, i] for a in judged)
            result[c] = float(total / weight) if weight else 0.0
        return result
