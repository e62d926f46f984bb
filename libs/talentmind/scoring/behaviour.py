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
from dataclasses import dataclass, field

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
TYPICAL_LEVEL = 0.2
"""The level of an answer that talks about what the speaker does in general, with no action told (the generic level of
a BARS scale): answers above it raise the competencies they are about, answers below it (vague, passive, claims
without behaviour) lower them."""
PRIOR_ANSWERS = 3.0
"""The evidence score is shrunk toward the typical level as if three typical answers of average relevance were added:
a typical interview (ten answers or more) keeps most of its mean, a single answer about half of it."""
"""An answer to a question that asks for the competency weighs up to ``1 + QUESTION_WEIGHT`` times."""

_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\s*[\n;]\s*")

# A past action of the speaker: a first-person subject ("I", "we", "я", "мы") followed within four words by a
# past-tense verb: English regular (-ed) and common irregular pasts, Russian past tense (-л, -ла, -ли, -лся, …) less
# the common words that only look like one ("если", "или", "сначала"). Being somewhere ("I was", "я был") is not an
# action.
_EN_IRREGULAR_PAST = frozenset((
    "led", "built", "made", "took", "ran", "wrote", "set", "chose", "gave", "got", "went", "came", "found", "told",
    "said", "spoke", "met", "sent", "kept", "left", "put", "brought", "bought", "caught", "taught", "thought",
    "began", "drew", "drove", "fell", "felt", "flew", "forgot", "grew", "heard", "held", "hid", "knew", "laid",
    "lost", "meant", "paid", "rode", "rose", "saw", "sold", "shot", "showed", "shut", "sat", "slept", "spent",
    "stood", "stuck", "struck", "swore", "threw", "understood", "woke", "won", "withdrew", "broke", "cut", "hit",
    "let", "quit", "split", "spread", "oversaw", "rewrote", "undertook", "sought", "fought", "dealt",
))  # fmt: skip
_EN_NOT_PAST = frozenset((
    "need", "needed", "indeed", "speed", "seed", "red", "bed", "shed", "feed", "used", "interested", "excited",
    "tired", "based",
))  # fmt: skip
_RU_PAST_ENDINGS = ("л", "ла", "ли", "ло", "лся", "лась", "лись", "лось")
_RU_NOT_PAST = frozenset((
    "если", "или", "сначала", "дела", "тела", "мысли", "цели", "модели", "более", "сила", "села", "пола", "числа",
    "стола", "стали", "мало", "могли", "было", "были", "был", "была", "бывал", "бывала", "бывали", "слишком",
    "вполне", "очень", "сколько", "весело", "зло", "мило", "тепло", "светло",
))  # fmt: skip
_SUBJECTS = frozenset(("i", "we", "i've", "we've", "я", "мы"))
PAST_WINDOW = 4


def _is_past_verb(token: str) -> bool:
    if token in _EN_NOT_PAST or token in _RU_NOT_PAST:
        return False
    if token in _EN_IRREGULAR_PAST or (token.isascii() and len(token) > 3 and token.endswith("ed")):
        return True
    return not token.isascii() and len(token) > 3 and token.endswith(_RU_PAST_ENDINGS)


_NEGATIONS = frozenset(["not", "didn't", "didnt", "never", "wasn't", "hadn't", "couldn't", "не", "ни", "никогда", "бы"])
# A state, not an action: "I am organised", "I was involved".
_COPULAS = frozenset(["am", "is", "are", "was", "were", "be", "been", "being", "'m"])


def past_action(words: Sequence[str]) -> bool:
    """Whether a first-person subject is followed within ``PAST_WINDOW`` words by a past-tense verb, with no negation
    ("I didn't really get involved", "я особо не вмешивался") in between."""
    for i, word in enumerate(words):
        if word not in _SUBJECTS:
            continue
        for following in words[i + 1 : i + 1 + PAST_WINDOW]:
            if following in _NEGATIONS or following in _COPULAS:
                break
            if _is_past_verb(following):
                return True
    return False


# The speaker's own part played down ("I just did what was asked", "этим занимался кто-то другой"): the sentence
# tells of the others' work, so a past verb in it is not the speaker's action.
MINIMISING = Lexicon(
    "i just", "we just", "mostly just", "just helped", "just did", "only did", "did what", "what was asked",
    "was told to", "when people asked", "came to me", "someone else", "somebody else", "others handled",
    "manager handled", "handled most", "took care of it", "не вмешивал*", "не участвовал*",
    "я просто", "мы просто", "просто делал*", "просто помогал*", "что мне говорили", "что говорили", "меня просили",
    "мне давали", "кто-то другой", "кто-то другая", "занимался наш", "занималась наша", "в основном просто",
)  # fmt: skip
# Vagueness besides the hedges: an event nobody can place, a part nobody owns ("somehow", "someone", "не помню").
VAGUE = Lexicon(
    "somehow", "at some point", "someone", "somebody", "something", "things", "stuff", "not really sure",
    "don't remember", "don't really remember", "can't remember", "don't recall", "to be honest", "hard to say",
    "can't say", "here and there", "or something", "whatever", "some kind", "a few", "don't quite remember",
    "as far as i", "i suppose", "not really", "didn't really", "don't really", "wasn't really", "can't really",
    "couldn't say", "comes to mind", "nothing particular", "nothing specific", "anything special", "might have",
    "i don't think", "or not", "whether", "mostly", "just", "sometimes", "worked out", "turned out fine", "went fine",
    "went okay", "in their own way",
    "как-то", "когда-то", "какой-то", "какие-то", "какая-то", "каким-то", "кто-то", "что-то", "не помню",
    "не очень помню", "толком", "особо", "если честно", "честно говоря", "по-моему", "скорее всего", "сложно сказать",
    "трудно сказать", "само собой", "не могу сказать", "то там", "несколько", "не очень", "насколько я",
    "трудно вспомнить", "не могу вспомнить", "ничего конкретного", "ничего особенного", "или нет", "в основном",
    "просто", "иногда", "обошлось", "более-менее", "как обычно", "по-своему",
)  # fmt: skip
MAX_DISCOUNTS = 4
VAGUE_SHARE = 0.5
HABITUAL = Lexicon(
    "usually", "always", "generally", "typically", "normally", "in general", "tend to", "i try to", "i believe",
    "it is important", "it's important", "i think it's", "whenever", "used to", "would always", "i would", "we would",
    "обычно", "всегда", "как правило", "в целом", "стараюсь", "стремлюсь", "я считаю", "важно", "каждый раз когда",
)  # fmt: skip
# Words that name a quality rather than show it (the buzzwords of every competency): a sentence that uses them without
# a past action or a specific is a claim, not evidence.
TRAIT_WORDS = Lexicon(
    "leader*", "leadership", "natural", "naturally", "born", "passion*", "communicator", "empath*", "caring",
    "compassion*", "logical*", "analytic*", "rational*", "planner", "organised", "organized", "calm", "cool",
    "collected", "stress-resistant", "resilien*", "strength", "strengths", "skill*", "people person", "empower*",
    "inspir*", "visionary", "decisive", "strategic", "proactive", "accountab*", "results-driven", "result-oriented",
    "mindset", "values", "dna", "player", "builder", "excellent", "outstanding", "reliable", "responsible",
    "detail-oriented", "people-oriented", "forward-thinking", "structured", "systematic*", "rigorous", "methodical",
    "composed", "unflappable", "cool-headed", "emotional intelligence", "listener", "thinker", "problem solver",
    "problem-solver", "critically", "mastermind", "master", "expert", "articulate", "engaging", "persuasive",
    "diplomatic", "concise*", "effective*", "data-driven", "evidence-based", "perfectly", "best", "thrive",
    "supportive", "understanding", "patient", "warm", "kind", "emotionally", "competenc*", "calling", "professional",
    "who i am",
    "лидер*", "прирожд*", "страст*", "коммуникаб*", "коммуникатор*", "эмпат*", "сопережива*", "логич*", "аналитич*",
    "высокоаналитичн*", "рациональн*", "планировщик*", "организован*", "спокоен", "спокойна", "спокойный",
    "спокойная", "стрессоуст*", "сильн*", "навык*", "качеств*", "вдохновля*", "визионер*", "решительн*",
    "стратегич*", "проактив*", "ответственн*", "надежн*", "мышлени*", "ценност*", "отличн*", "ориентирован*",
    "хладнокров*", "уравновеш*", "структурированн*", "системно", "методичн*", "эмоциональн*", "слушател*",
    "мыслител*", "крови", "днк", "игрок*", "мастер*", "эксперт*", "красноречив*", "убедительн*", "дипломатичн*",
    "эффективн*", "идеально", "лучше всего", "заботлив*", "поддерживающ*", "понимающ*", "терпелив*", "теплая",
    "теплый", "добрая", "добрый", "сострадательн*", "призвани*", "специалист", "вынослив*", "стабилен", "стабильна",
    "часть меня", "кто я",
    # Preferences and abilities stated about oneself ("I love schedules", "I excel at…", "я умею слушать").
    "love", "excel*", "passionate", "good at", "great at", "i can", "able to", "known as", "what i do best",
    "люблю", "обожаю", "увлечен*", "умею", "способн*", "хорошо умею", "отлично умею", "у меня в крови",
)  # fmt: skip
# "I am a…", "I'm very…", "я очень…", "я + full adjective": the speaker describing what they are.
_AM_WHAT = re.compile(
    r"(?<![^ ])(?:i am|i'm|im)(?: (?:a|an|the|very|extremely|highly|really|truly|deeply|naturally|so))"
    r"|(?<![^ ])я(?: (?:очень|крайне|предельно|глубоко|по-настоящему|самый|самая))?"
    r" [а-я]+(?:ый|ий|ой|ая|яя)(?![^ ])"
)
ABSOLUTES = Lexicon(
    "always", "never", "any", "every", "everyone", "everything", "no matter", "all the time",
    "всегда", "никогда", "любой", "любая", "любое", "любых", "любым", "любую", "любому", "всех", "каждый",
    "во всем", "всего",
)  # fmt: skip
"""Absolutes ("always", "never", "any audience"): with a trait word and no behaviour, a sentence is a claim."""
_FIRST_PERSON = re.compile(r"(?<![^ ])(?:i|i'm|i've|i'd|we|we're|we've|я|мы|мне|меня|нам|нас)(?![^ ])")
_SELF_DESCRIPTION = re.compile(
    r"(?<![^ ])(?:i am|i'm|im|my|i have|i've|i bring|i consider myself|i would say|я|мой|моя|мое|мои|меня|мне|"
    r"у меня|я бы сказал|я бы сказала)(?: [^ ]+){0,2} "
)
SELF_CLAIM_TRAITS = 2
"""A sentence without a past action or a specific is a claim when it says what the speaker is ("I am a…", "I'm very…",
"я + adjective"), describes the speaker with a trait word (within three words of "I am", "my", "я", …), uses a trait
word with an absolute ("I always communicate effectively"), or uses two trait words about anyone ("Leadership,
ownership and vision are my core values")."""

# Behaviour words per competency (besides the anchors' meaning), both languages, stems where Russian inflects.
BEHAVIOUR_WORDS: dict[str, Lexicon] = {
    "leadership": Lexicon(
        "my team", "led the team", "assigned", "delegated", "coached", "mentored", "hired", "owners", "owner",
        "took responsibility",
        "made the call", "decided", "led", "direction", "motivated", "underperform*", "roles",
        "моей команд*", "мою команду", "моя команда", "руководил командой", "назначил*", "поручил*", "делегир*",
        "наставни*", "нанял*", "ответствен*", "принял* решение",
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
"""What a sentence is about = 0.6 · anchor-meaning share + 0.4 · behaviour-word share among the six competencies."""

# Words of interview questions that ask for one competency ("Tell me about a time you led…", "…under pressure").
QUESTION_WORDS: dict[str, Lexicon] = {
    "leadership": Lexicon(
        "lead", "led", "leader*", "leadership", "in charge", "take charge", "took charge", "manage a team",
        "managed a team", "responsibility for", "initiative",
        "руковод*", "лидер*", "возглав*", "ответственность за", "инициатив*",
    ),
    "communication": Lexicon(
        "explain*", "present*", "communicat*", "convinc*", "persuad*", "audience", "non-technical", "message",
        "get across", "get your point", "understood", "misunderstood", "instructions",
        "объяснить", "объясняли", "объяснять", "презент*", "донес*", "донести", "убед*", "аудитор*", "коммуникац*",
        "общени*", "инструкци*", "поняли неправильно", "сообщени*",
    ),
    "empathy": Lexicon(
        "feel*", "felt", "emotion*", "support*", "point of view", "perspective", "upset", "struggl*", "relate to",
        "other people", "someone's", "personal", "behaviour", "behavior", "find out why",
        "чувств*", "эмоци*", "поддерж*", "точку зрения", "расстро*", "пережива*", "отношение к людям", "трудно",
        "лично*", "поведени*",
    ),
    "logic": Lexicon(
        "evidence", "data", "numbers", "cause", "figure out", "analy*", "test", "explanation", "reasoning",
        "did not add up", "root", "logic*",
        "данны*", "цифр*", "причин*", "факт*", "анализ*", "проверить", "объяснение", "не сходил*", "логик*",
    ),
    "planning": Lexicon(
        "plan", "plans", "planned", "planning", "schedule*", "timeline", "milestone*", "organis*", "organiz*",
        "prioriti*", "ahead",
        "план*", "спланир*", "планир*", "график*", "этап*", "организ*", "заранее", "приоритет*",
    ),
    "stress_tolerance": Lexicon(
        "pressure", "stress*", "setback*", "crisis", "urgent", "went wrong", "fail*", "tight", "difficult situation",
        "calm", "angry", "last minute", "fell apart", "recover*",
        "давлени*", "стресс*", "неудач*", "кризис*", "срочн*", "пошло не так", "провал*", "сжат*", "спокойстви*",
        "рассерж*", "в последний момент", "сорвал*",
    ),
}  # fmt: skip
QUESTION_WORD_SHARE = 0.7
"""A question's own words ("…explain…", "…under pressure…") say more about what it asks than its meaning beside six
typical questions: where it uses them they make 70% of its distribution over the competencies."""
QUESTION_SHARE = 0.5
"""How much of a sentence's relevance comes from the question it answers (as far as that question asks for one
competency): in a structured interview each question is written for a competency, and the answer is rated on it."""


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
    vague: bool = False
    focus: dict[str, float] = field(default_factory=dict)
    """How much the question of the sentence's answer asks for each competency (``question_focus``)."""

    def value(self, competency: str) -> float:
        return self.relevance[competency] * self.concreteness


@dataclass(frozen=True)
class AnswerLevel:
    """One answer's behavioural level and its weight for each competency (relevance times question focus)."""

    level: float
    weight: dict[str, float]


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
    return _is_claim(_joined(text))


def _is_claim(joined: str) -> bool:
    if past_action(joined.split()) or NUMBER_WORDS.count(joined):
        return False
    traits = TRAIT_WORDS.count(joined)
    if traits >= SELF_CLAIM_TRAITS or (traits and ABSOLUTES.count(joined)) or _AM_WHAT.search(joined):
        return True
    return any(_trait_near(joined[m.end() :]) for m in _SELF_DESCRIPTION.finditer(joined))


def _trait_near(rest: str) -> bool:
    """Whether a trait word starts within the first two words of ``rest``."""
    head = " " + " ".join(rest.split()[:2]) + " "
    return TRAIT_WORDS.count(head) > 0


def is_vague(text: str) -> bool:
    """A sentence with a hedge or a vague phrase ("I guess", "somehow", "не помню")."""
    return _vagueness(_joined(text)) > 0


def _vagueness(joined: str) -> int:
    return HEDGES.count(joined) + VAGUE.count(joined)


def answer_level(items: Sequence[SentenceEvidence]) -> float:
    """An answer's behavioural level: the mean concreteness of its best ``TOP_PER_ANSWER`` sentences (fewer count as
    zeros), lowered by the share of its sentences that are claims (all claims: 0) and by half the share that are vague
    (an answer vague throughout keeps half): one concrete sentence among buzzwords or shrugs is not a concrete
    answer."""
    if not items:
        return 0.0
    best = sorted((item.concreteness for item in items), reverse=True)[:TOP_PER_ANSWER]
    claims = sum(item.self_claim for item in items) / len(items)
    vague = sum(item.vague for item in items) / len(items)
    return sum(best) / TOP_PER_ANSWER * (1.0 - claims) * (1.0 - VAGUE_SHARE * vague)


def concreteness(text: str) -> float:
    """How behavioural a sentence is, in [0, 1]. The speaker talking about what they do 0.2; a past action of theirs
    +0.4 (an action in another tense, "I give everyone a role", +0.15; either halved when habitual: "I usually…");
    specifics (numbers, dates) +0.2, a reason +0.1, a result +0.15, half of that when the sentence tells no action of
    the speaker; each hedge or vague phrase ("somehow", "не помню") keeps two thirds. A self-claim is 0, and so is a
    sentence where the speaker plays their part down ("I just did what was asked": the action is someone else's)."""
    return _concreteness(_joined(text))


def _concreteness(joined: str) -> float:
    if _is_claim(joined) or MINIMISING.count(joined):
        return 0.0
    value = 0.2 if _FIRST_PERSON.search(joined) else 0.0
    habitual = 0.5 if HABITUAL.count(joined) else 1.0
    acted = True
    if past_action(joined.split()):
        value += 0.4 * habitual
    elif ownership_count(joined):
        value += 0.15 * habitual
    else:
        acted = False
    specifics = 0.2 * bool(NUMBER_WORDS.count(joined)) + 0.1 * bool(CAUSAL.count(joined))
    specifics += 0.15 * bool(RESULTS.count(joined))
    value += specifics if acted else specifics / 2
    value *= (2 / 3) ** min(_vagueness(joined), MAX_DISCOUNTS)
    return min(value, 1.0)


def question_focus(share: NDArray[np.float64], clarity: NDArray[np.float64]) -> NDArray[np.float64]:
    """Per answer and competency, in [0, 1]: how much the question asks for that competency (its clarity for the
    competency it asks for most, proportionally less for the others), from ``BehaviourScorer.question_share``."""
    if not len(share):
        return share
    focus: NDArray[np.float64] = clarity[:, None] * share / share.max(axis=1, keepdims=True)
    return focus


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

    def question_share(self, answers: Sequence[Answer]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Per answer: which competency its question asks for (a distribution over the six: the question's meaning
        beside the competencies' typical questions, mixed with ``QUESTION_WORDS`` where the question uses them) and
        how clearly it asks for one, in [0, 1] (1 when it uses a competency's question words)."""
        if not answers:
            return np.zeros((0, len(COMPETENCIES))), np.zeros(0)
        texts = [a.question or "" for a in answers]
        vectors = self._encode([t or "-" for t in texts]).astype(np.float64)
        similarity = np.stack([(vectors @ q.T).max(axis=1) for q in self._questions], axis=1)
        share = _softmax(similarity, RELEVANCE_TEMPERATURE)
        clarity = np.clip(similarity.max(axis=1) - 0.3, 0.0, 0.4) / 0.4
        for row, text in enumerate(texts):
            joined = _joined(text)
            hits = np.array([QUESTION_WORDS[c].count(joined) for c in COMPETENCIES], dtype=np.float64)
            if text and hits.sum():
                share[row] = (1 - QUESTION_WORD_SHARE) * share[row] + QUESTION_WORD_SHARE * hits / hits.sum()
                clarity[row] = 1.0
            if not text:
                clarity[row] = 0.0
        return share, clarity

    def sentence_evidence(self, answers: Sequence[Answer]) -> list[SentenceEvidence]:
        said = split_sentences(answers)
        if not said:
            return []
        question_share, clarity = self.question_share(answers)
        focus = question_focus(question_share, clarity)
        vectors = self._encode([s.text for s in said]).astype(np.float64)
        meaning = np.stack([(vectors @ anchors.T).max(axis=1) for anchors in self._strong], axis=1)
        meaning_share = _softmax(meaning, RELEVANCE_TEMPERATURE)
        found = []
        for row, sentence in enumerate(said):
            joined = _joined(sentence.text)
            hits = np.array([BEHAVIOUR_WORDS[c].count(joined) for c in COMPETENCIES], dtype=np.float64)
            word_share = hits / hits.sum() if hits.sum() else np.full(len(COMPETENCIES), 1 / len(COMPETENCIES))
            content = (1 - BEHAVIOUR_SHARE) * meaning_share[row] + BEHAVIOUR_SHARE * word_share
            asked = QUESTION_SHARE * clarity[sentence.answer_index]
            relevance = asked * question_share[sentence.answer_index] + (1 - asked) * content
            found.append(
                SentenceEvidence(
                    sentence,
                    _concreteness(joined),
                    {c: float(relevance[i]) for i, c in enumerate(COMPETENCIES)},
                    _is_claim(joined),
                    _vagueness(joined) > 0,
                    {c: float(focus[sentence.answer_index, i]) for i, c in enumerate(COMPETENCIES)},
                )
            )
        return found

    def answer_levels(self, evidence: Sequence[SentenceEvidence]) -> dict[int, AnswerLevel]:
        """Each answer with a sentence of ``MIN_SENTENCE_WORDS`` words or more: its behavioural level (the mean
        concreteness of its best ``TOP_PER_ANSWER`` sentences, fewer counting as zeros) and how much it is about each
        competency (its sentences' mean relevance) times its question's weight for it."""
        grouped: dict[int, list[SentenceEvidence]] = {}
        for item in evidence:
            grouped.setdefault(item.sentence.answer_index, []).append(item)
        levels = {}
        for index, items in sorted(grouped.items()):
            weight = {
                c: (1.0 + QUESTION_WEIGHT * items[0].focus.get(c, 0.0))
                * sum(item.relevance[c] for item in items)
                / len(items)
                for c in COMPETENCIES
            }
            levels[index] = AnswerLevel(answer_level(items), weight)
        return levels

    def scores(self, answers: Sequence[Answer], evidence: Sequence[SentenceEvidence] | None = None) -> dict[str, float]:
        """Per competency: the answers' levels above or below ``TYPICAL_LEVEL``, averaged with each answer's weight
        for the competency, and ``PRIOR_ANSWERS`` typical answers of average relevance added, so that one answer is not
        taken for a whole interview; 0 (typical) when nothing was said."""
        return self.scores_and_weights(answers, evidence)[0]

    def scores_and_weights(
        self, answers: Sequence[Answer], evidence: Sequence[SentenceEvidence] | None = None
    ) -> tuple[dict[str, float], dict[str, float]]:
        """``scores`` and, per competency, the total weight of the answers behind it (in answers fully about it)."""
        evidence = self.sentence_evidence(answers) if evidence is None else evidence
        levels = self.answer_levels(evidence).values()
        prior = PRIOR_ANSWERS / len(COMPETENCIES)
        scores: dict[str, float] = {}
        weights: dict[str, float] = {}
        for c in COMPETENCIES:
            total = sum(level.weight[c] * (level.level - TYPICAL_LEVEL) for level in levels)
            weights[c] = float(sum(level.weight[c] for level in levels))
            scores[c] = float(total / (weights[c] + prior))
        return scores, weights
