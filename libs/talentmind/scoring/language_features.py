"""Interpretable language and fluency features of the candidate's answers, in Russian and English.

Pure functions, no models and no downloads: regular-expression word tokens (Latin and Cyrillic), hand-written word
lists with Russian stems (``руковод*`` matches руководил, руководила, руководство), and arithmetic on word timings.

Every feature has a name (``LEXICAL_FEATURES``, ``FLUENCY_FEATURES``) and a one-line description (``FEATURE_DOCS``).
Counts are normalised so that a long and a short interview are comparable: ``*_rate`` features are occurrences per 100
candidate words, ``star_structure`` and ``qa_overlap`` are means over answers, and only ``log_words`` grows with
length. Matching works on lower-cased tokens with "ё" read as "е"; a lexicon entry is a word, a phrase ("kind of",
"потому что"), a stem ending in ``*``, or a token regular expression starting with ``~``.

Fluency features need timings: the speech rates need the answers' start and end (or their word timings);
the pause features need word timings. They are left out of the result when the timings are missing, and a model treats
a missing feature as average. The same definitions serve training data that comes with per-answer durations and
pause totals instead of word timings (``fluency_from_totals``).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from talentmind.scoring.transcript import Answer

_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)
_CURRENCY_OR_PERCENT = re.compile(r"[%$€£₽]")

PAUSE_MIN_S = 0.3
"""A gap between two words of at least this many seconds is a pause."""
LONG_PAUSE_MIN_S = 1.0
"""A gap between two words of at least this many seconds is a long pause."""
TTR_WINDOW = 50
"""Window (words) of the moving-average type-token ratio, so that the ratio does not fall with length."""
STAR_MIN_WORDS = 10
"""Answers shorter than this many words ("Fine, thanks") are not judged for STAR structure."""


def tokens(text: str) -> list[str]:
    """Lower-cased word and number tokens of a text, Latin or Cyrillic; "ё" becomes "е", "’" becomes "'"."""
    return [t.lower().replace("ё", "е").replace("’", "'") for t in _TOKEN.findall(text)]


class Lexicon:
    """A list of words, phrases, stems (``word*``) and token regexes (``~regex``) counted in a token sequence."""

    def __init__(self, *entries: str) -> None:
        self.entries = entries
        alternatives = []
        for entry in entries:
            parts = []
            for piece in entry.lower().replace("ё", "е").split():
                if piece.startswith("~"):
                    parts.append(f"(?:{piece[1:]})")
                elif piece.endswith("*"):
                    parts.append(re.escape(piece[:-1]) + r"[^ ]*")
                else:
                    parts.append(re.escape(piece))
            alternatives.append(" ".join(parts))
        # Longest first, so that "kind of" is preferred to "kind" where both are listed.
        alternatives.sort(key=len, reverse=True)
        self.pattern = re.compile(r"(?<= )(?:" + "|".join(alternatives) + r")(?= )")

    def count(self, joined: str) -> int:
        """Non-overlapping occurrences in ``" " + " ".join(tokens) + " "``."""
        return sum(1 for _ in self.pattern.finditer(joined))


def _join(toks: Sequence[str]) -> str:
    return " " + " ".join(toks) + " "


# --- Lexicons ---------------------------------------------------------------------------------------------------

FIRST_PERSON_SINGULAR = Lexicon(
    "i", "me", "my", "mine", "myself", "i'm", "im", "i've", "ive", "i'd", "i'll",
    "я", "меня", "мне", "мной", "мною", "мой", "моя", "мое", "мои", "моего", "моей", "моему", "моим", "моих", "моими",
    "мою",
)  # fmt: skip

ACTION_VERBS = (
    # English: past and present forms, stems where the inflection is regular.
    "led", "lead*", "decid*", "built", "build*", "creat*", "organi*", "manag*", "start*", "founded", "develop*",
    "design*", "initiat*", "implement*", "launch*", "ran", "run", "running", "drove", "driv*", "coordinat*", "solv*",
    "wrote", "writ*", "took", "made", "mak*", "spearhead*", "establish*", "deliver*", "negotiat*", "convinc*",
    "persuad*", "propos*", "introduc*", "fix*", "analy*", "taught", "teach*", "train*", "mentor*", "hired", "recruit*",
    "rais*", "achiev*", "complet*", "resolv*", "handl*", "direct*", "oversaw", "supervis*", "set", "chose", "choos*",
    "automat*", "optimi*", "restructur*", "reorgani*", "program*", "code*", "coded", "test*", "research*", "lectur*",
    # Russian stems: руководил/руковожу, решил/решила/решаю, организовал, сделал, ...
    "руковод*", "руковож*", "реш*", "организ*", "сдела*", "дела*", "созда*", "постро*", "строил*", "запуст*",
    "запуска*", "внедр*", "разработ*", "разраба*", "возглав*", "управл*", "предлож*", "договор*", "провел*", "провод*",
    "нача*", "начина*", "взял*", "взя*", "добил*", "добива*", "достиг*", "написа*", "пиш*", "придума*", "улучш*",
    "оптимиз*", "настро*", "координ*", "обуч*", "наня*", "нанима*", "набра*", "убеди*", "автоматиз*", "инициир*",
    "продума*", "выстро*", "выстраива*", "собра*", "исправ*", "переписа*", "спроектир*", "проектир*", "выбра*",
    "исследова*", "протестир*", "наладил*", "налажив*", "вел", "вела", "веду", "руковожу",
)  # fmt: skip
_ACTION_ALTERNATIVES = Lexicon(*ACTION_VERBS).pattern.pattern[len("(?<= )(?:") : -len(")(?= )")]
# "I led", "I personally decided", "я сам руководил": a first-person subject, at most two words, an action verb.
_OWNERSHIP = re.compile(r"(?<= )(?:i|i'm|im|i've|ive|i'd|я)(?: [^ |]+){0,2} (?:" + _ACTION_ALTERNATIVES + r")(?= )")
_WE_ACTION = re.compile(r"(?<= )(?:we|мы)(?: [^ |]+){0,2} (?:" + _ACTION_ALTERNATIVES + r")(?= )")

TEAM = Lexicon(
    "we", "us", "our", "ours", "ourselves", "we're", "we've", "we'd", "we'll", "team*", "teammate*", "colleague*",
    "together", "group", "groups",
    "мы", "нас", "нам", "нами", "наш*", "команд*", "коллег*", "вместе", "сообща", "сотруднич*",
)  # fmt: skip

CAUSAL = Lexicon(
    "because", "'cause", "cause", "so", "so that", "therefore", "thus", "hence", "that's why", "thats why",
    "that is why", "which is why", "due to", "in order to", "the reason", "since",
    "потому что", "поэтому", "так как", "следовательно", "из-за", "благодаря", "значит", "так что", "чтобы", "ибо",
    "оттого что", "по причине",
)  # fmt: skip

STRUCTURE = Lexicon(
    "first", "firstly", "first of all", "second", "secondly", "third", "thirdly", "then", "next", "finally", "lastly",
    "after that", "afterwards", "to begin with", "in the end", "eventually",
    "во-первых", "во-вторых", "в-третьих", "в-четвертых", "сначала", "сперва", "затем", "потом", "после этого",
    "наконец", "в итоге", "в конце", "далее", "в конце концов",
)  # fmt: skip

NUMBER_WORDS = Lexicon(
    "~\\d+(?:[.,]\\d+)*", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "~(?:thir|four|fif|six|seven|eigh|nine)teen", "~(?:twen|thir|for|fif|six|seven|eigh|nine)ty", "hundred*",
    "thousand*", "million*", "billion*", "percent", "per cent", "dozen*", "twice", "double", "triple", "half",
    "два", "две", "двух", "двум", "двумя", "три", "трех", "трем", "тремя", "четыре", "четырех", "пять", "пяти",
    "шесть", "шести", "семь", "семи", "восемь", "восьми", "девять", "девяти", "десять", "десяти",
    "~(?:один|две|три|четыр|пят|шест|сем|восем|девят)надцат\\S*", "двадцат*", "тридцат*", "сорок*", "пятьдесят*",
    "шестьдесят*", "семьдесят*", "восемьдесят*", "девяност*", "сто", "ста", "сотн*", "двест*", "трист*", "тысяч*",
    "миллион*", "миллиард*", "процент*", "полтор*", "половин*", "вдвое", "втрое", "дважды", "трижды",
)  # fmt: skip

RESULTS = Lexicon(
    "increas*", "reduc*", "improv*", "sav*", "grew", "grow*", "doubl*", "tripl*", "achiev*", "won", "win", "winning",
    "decreas*", "cut", "boost*", "generat*", "result*", "outcome*", "succe*", "accomplish*", "award*", "exceed*",
    "увелич*", "сократ*", "сокращ*", "улучш*", "сэконом*", "эконом*", "вырос*", "выраст*", "рост*", "удво*", "утро*",
    "достиг*", "достич*", "сниз*", "сниж*", "повыс*", "повыш*", "выигра*", "побед*", "результат*", "успе*", "добил*",
    "наград*", "превзош*", "превыс*",
)  # fmt: skip

PLANS = Lexicon(
    "will", "i'll", "we'll", "plan", "plans", "planning", "planned", "going to", "gonna", "future", "goal*",
    "next year", "next month", "next week", "next quarter", "next step*", "intend*", "aim to", "long-term",
    "long term", "deadline*", "timeline*", "schedul*", "by the end of", "want to", "hope to", "~(?:19|20)\\d\\d",
    "january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december",
    "планир*", "план", "планы", "плана", "планом", "собираюсь", "собираемся", "буду", "будем", "будущ*", "через",
    "в следующем году", "в следующем месяце", "в следующем квартале", "цель", "цели", "целью", "целей", "намерен*",
    "хочу", "хотел бы", "хотела бы", "дедлайн*", "срок*", "к концу", "график*", "январ*", "феврал*", "марта", "апрел*",
    "июн*", "июл*", "август*", "сентябр*", "октябр*", "ноябр*", "декабр*",
)  # fmt: skip

HEDGES = Lexicon(
    "maybe", "perhaps", "probably", "possibly", "i guess", "i suppose", "kind of", "sort of", "kinda", "sorta",
    "somewhat", "somehow", "might", "not sure", "i don't know", "i dont know", "a little bit", "more or less",
    "i believe", "i feel like",
    "наверное", "наверно", "возможно", "как бы", "вроде", "вроде бы", "может быть", "может", "пожалуй", "кажется",
    "не знаю", "не уверен*", "примерно", "в принципе", "более-менее", "более или менее", "отчасти",
    "в какой-то степени", "чуть-чуть", "типа того",
)  # fmt: skip

FILLERS = Lexicon(
    "~u+h+m*", "~u+m+", "~a+h+", "~e+r+m+", "~e+r+", "~h+m+", "~m+h*m+", "~e+h+m*", "you know", "i mean",
    "~э+(?:-э+)*", "~э+м+", "~м+(?:-м+)*", "ну", "как бы", "короче", "типа", "это самое", "так сказать", "в общем",
    "вот", "блин",
)  # fmt: skip
# "like" is a filler unless it is the verb: "I like", "would like", "really like", "to like", "don't like".
_LIKE = re.compile(r"(?<= )like(?= )")
_LIKE_VERB = re.compile(
    r"(?<= )(?:i|we|you|they|would|i'd|we'd|really|to|don't|dont|didn't|didnt|also|just|do|did|people|he|she|"
    r"generally|always|actually) like(?= )"
)

NEGATIONS = Lexicon(
    "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "cannot", "~[a-z]+n't", "dont", "didnt",
    "doesnt", "cant", "wont", "wasnt", "werent", "isnt", "arent", "couldnt", "wouldnt", "shouldnt", "havent",
    "hasnt", "hadnt",
    "не", "нет", "никогда", "ни", "ничего", "никто", "нигде", "никак", "нельзя", "ничем", "никого", "никому",
)  # fmt: skip

POSITIVE = Lexicon(
    "excit*", "love", "loved", "loves", "loving", "passion*", "enjoy*", "interest*", "fascinat*", "amazing",
    "awesome", "great", "fun", "happy", "glad", "thrill*", "eager*", "enthusias*", "inspir*", "favorite",
    "favourite", "curious", "motivat*", "exciting", "wonderful", "excellent", "really like", "fantastic",
    "интерес*", "нрав*", "понрав*", "увлека*", "увлечен*", "люблю", "любил*", "обожа*", "вдохнов*", "рад", "рада",
    "здорово", "отлично", "замечательн*", "классн*", "восторг*", "энтузиазм*", "мотивир*", "удовольстви*",
    "прекрасн*", "любим*", "горю", "зажига*",
)  # fmt: skip

STAR_SITUATION = Lexicon(
    "when i was", "when we were", "at my", "last year", "last summer", "last semester", "last fall", "last spring",
    "in my previous", "at the time", "once", "situation", "project*", "company", "internship", "during", "ago",
    "one time", "there was",
    "когда я", "когда мы", "в прошлом году", "прошлым летом", "однажды", "на прошлой работе", "на предыдущей работе",
    "ситуаци*", "проект*", "компани*", "во время", "назад", "как-то раз", "был случай",
)  # fmt: skip
STAR_TASK = Lexicon(
    "had to", "needed to", "need to", "task*", "goal*", "responsib*", "challeng*", "problem*", "my job was",
    "my role", "supposed to", "deadline*", "asked to", "in charge",
    "нужно было", "надо было", "необходимо было", "должен был", "должна была", "задач*", "цель", "проблем*",
    "отвечал*", "ответствен*", "требовалось", "моя роль", "поручил*", "сложност*",
)  # fmt: skip
STAR_RESULT = Lexicon(
    "as a result", "in the end", "eventually", "result*", "outcome*", "achiev*", "increas*", "reduc*", "succe*",
    "learned", "learnt", "turned out", "ended up", "finally", "led to",
    "в итоге", "в результате", "результат*", "получил*", "удалось", "добил*", "достиг*", "научил*", "понял", "поняла",
    "оказалось", "в конце концов", "увелич*", "сократ*", "успе*",
)  # fmt: skip

# Style of speech (Heylighen & Dewaele's formality, approximated without a part-of-speech tagger): elaborated speech
# packs more prepositions and relative clauses; casual speech more discourse particles. Closed-class words only, so
# the lists are short and the same in spirit in both languages.
HESITATIONS = Lexicon(
    "~u+h+m*", "~u+m+", "~a+h+", "~e+r+m+", "~e+r+", "~h+m+", "~m+h*m+", "~э+(?:-э+)*", "~э+м+", "~м+(?:-м+)*"
)

FORMAL = Lexicon(
    "of", "in", "on", "at", "for", "with", "about", "by", "from", "into", "over", "through", "during", "between",
    "among", "under", "after", "before", "without", "within", "across", "against", "toward", "towards", "upon",
    "which", "whom", "whose",
    "в", "во", "на", "с", "со", "по", "для", "из", "от", "к", "ко", "о", "об", "обо", "при", "через", "между", "без",
    "до", "после", "под", "над", "перед", "среди", "который", "которая", "которое", "которые", "которого", "которой",
    "котором", "которых", "которым", "которыми", "которую",
)  # fmt: skip

INFORMAL = Lexicon(
    "yeah", "yep", "like", "really", "just", "kinda", "stuff", "basically", "pretty", "literally", "totally", "gonna",
    "wanna", "okay", "ok",
    "ну", "типа", "короче", "вообще", "реально", "прикольно", "клево", "ладно", "окей", "чисто", "просто", "прям",
    "нормально", "довольно", "вполне", "правда", "ок", "на самом деле", "особо", "толком", "не очень",
)  # fmt: skip

OTHERS = Lexicon(
    "they", "them", "their", "theirs", "he", "she", "him", "her", "his", "people", "others", "everyone", "someone",
    "colleague*", "client*", "customer*", "student*", "kids", "user*",
    "они", "их", "им", "ими", "них", "ним", "он", "она", "его", "ее", "ему", "ей", "люди", "людей", "людям", "коллег*",
    "клиент*", "студент*", "дети", "детей", "пользовател*", "кто-то", "кого-то", "кому-то", "всех", "всем",
    "каждому", "каждого",
)  # fmt: skip

_SENTENCE_END = re.compile(r"[.!?…]+")

STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at for with about as by from into over that this these those it its is are
    was were be been being do does did have has had you your yours we our they their he she him her his i me my
    what which who whom how why when where there here can could would should will shall may might must so not no
    yes tell please think ok okay well just very really also any some time one can't don't let's like
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня
    еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь
    там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз
    тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы
    нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти
    нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя
    такой им более всегда конечно всю между расскажите расскажи скажите пожалуйста ваш ваша ваши вашей вашего
    вашем вашим ваших вашу вами
    """.split()  # noqa: SIM905 - a word list reads better as text
)
QA_STEM_LENGTH = 5
"""Question-answer overlap compares words by ``qa_stem``: at most five letters, after a crude ending strip."""
_CYRILLIC_ENDING = re.compile(r"[аеиоуыэюяьй]+$")
_LATIN_ENDING = re.compile(r"(?:ing|ed|es|s|e)$")


# --- Features ---------------------------------------------------------------------------------------------------

FEATURE_DOCS: dict[str, str] = {
    "log_words": "How much the candidate said: natural log of (1 + candidate words).",
    "log_mean_answer_words": "How fully questions are answered: natural log of (1 + mean words per answer).",
    "first_person_rate": "Self-reference: I/me/my, я/меня/мой per 100 words.",
    "ownership_rate": "Owned actions: a first-person subject with an action verb (I led, я руководил) per 100 words.",
    "team_rate": "Team orientation: we/our/team, мы/наш/команда per 100 words.",
    "causal_rate": "Reasoning: causal connectives (because, so, therefore; потому что, поэтому) per 100 words.",
    "structure_rate": "Ordering: structuring connectives (first, then, finally; во-первых, затем, в итоге) "
    "per 100 words.",
    "number_rate": "Specifics: numbers, number words, %, $ per 100 words.",
    "result_rate": "Results: outcome words (increased, reduced, achieved; увеличил, сократил) per 100 words.",
    "plan_rate": "Plans and dates: will, plan, next year, years and months; планирую, через, в следующем году "
    "per 100 words.",
    "hedge_rate": "Tentativeness: hedges (maybe, I guess, kind of; наверное, как бы, вроде) per 100 words.",
    "filler_rate": "Disfluency: filler words (uh, um, like, you know; э, ну, типа, короче) per 100 words.",
    "negation_rate": "Negations (not, never, n't; не, нет, никогда) per 100 words.",
    "positive_rate": "Enthusiasm words (excited, love, passionate; интересно, нравится, увлекаюсь) per 100 words.",
    "star_structure": "STAR structure: mean share of situation, task, action and result cues present per answer "
    f"(answers of at least {STAR_MIN_WORDS} words).",
    "qa_overlap": "Relevance: mean share of the question's content words (stems) that the answer repeats.",
    "type_token_ratio": f"Vocabulary variety: moving-average type-token ratio over {TTR_WINDOW}-word windows.",
    "hesitation_rate": "Vocal hesitations only (uh, um, ah, er; э, м) per 100 words.",
    "log_words_per_sentence": "Elaboration: natural log of (1 + mean words per sentence; a sentence ends at . ! ? …).",
    "talk_share": "Share of the interview's words that are the candidate's (candidate words / (candidate + question "
    "words)).",
    "formality_rate": "Elaborated style: prepositions and relative pronouns (of, with, which; в, для, который) "
    "per 100 words.",
    "informality_rate": "Casual style: discourse particles (yeah, like, just, stuff; ну, типа, просто) per 100 words.",
    "others_rate": "Attention to other people: they/people/colleagues/clients, они/люди/коллеги/клиенты per 100 words.",
    "speech_rate_wpm": "Speaking rate: candidate words per minute of the candidate's answer time.",
    "speech_rate_spm": "Speaking rate: candidate syllables per minute of answer time (comparable across languages "
    "with different word lengths).",
    "pause_ratio": f"Hesitation: share of answer time spent in pauses of at least {PAUSE_MIN_S} s.",
    "pauses_per_min": f"Pauses of at least {PAUSE_MIN_S} s per minute of answer time.",
    "long_pauses_per_min": f"Long pauses of at least {LONG_PAUSE_MIN_S} s per minute of answer time.",
}

FLUENCY_FEATURES: tuple[str, ...] = (
    "speech_rate_wpm",
    "speech_rate_spm",
    "pause_ratio",
    "pauses_per_min",
    "long_pauses_per_min",
)
"""Features that need timings; absent from ``extract_features`` results when the answers have none."""
LEXICAL_FEATURES: tuple[str, ...] = tuple(name for name in FEATURE_DOCS if name not in FLUENCY_FEATURES)
"""Features computed from the words alone."""
ALL_FEATURES: tuple[str, ...] = LEXICAL_FEATURES + FLUENCY_FEATURES


_CYRILLIC_VOWELS = re.compile(r"[аеиоуыэюя]")
_LATIN_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllable_count(token: str) -> int:
    """Syllables of a token: Russian vowels (exact), English vowel groups less a silent final "e" (an estimate),
    one per digit for numbers; at least 1."""
    if _CYRILLIC_VOWELS.search(token):
        return len(_CYRILLIC_VOWELS.findall(token))
    if token.isdigit():
        return len(token)
    count = len(_LATIN_VOWEL_GROUPS.findall(token))
    if count > 1 and token.endswith("e") and not token.endswith(("le", "ee", "ye")):
        count -= 1
    return max(count, 1)


def _per_100(count: float, words: int) -> float:
    return 100.0 * count / words if words else 0.0


def filler_count(joined: str) -> int:
    """Filler words in a joined token string, "like" counted only where it is not the verb."""
    likes = sum(1 for _ in _LIKE.finditer(joined)) - sum(1 for _ in _LIKE_VERB.finditer(joined))
    return FILLERS.count(joined) + max(likes, 0)


def ownership_count(joined: str) -> int:
    """First-person subject + action verb ("I led", "I personally decided", "я сам руководил")."""
    return sum(1 for _ in _OWNERSHIP.finditer(joined))


def star_components(text: str) -> dict[str, bool]:
    """Which STAR components (situation, task, action, result) an answer has cues for."""
    joined = _join(tokens(text))
    return {
        "situation": STAR_SITUATION.count(joined) > 0,
        "task": STAR_TASK.count(joined) > 0,
        "action": ownership_count(joined) > 0 or _WE_ACTION.search(joined) is not None,
        "result": STAR_RESULT.count(joined) > 0 or RESULTS.count(joined) > 0,
    }


def qa_stem(token: str) -> str:
    """A crude stem for both languages: the inflectional ending stripped (опыте → опыт, hired → hir), then at most
    ``QA_STEM_LENGTH`` letters (руководства, руководителя → руков)."""
    stripped = _CYRILLIC_ENDING.sub("", token) if _CYRILLIC_VOWELS.search(token) else _LATIN_ENDING.sub("", token)
    return (stripped if len(stripped) >= 3 else token)[:QA_STEM_LENGTH]


def qa_overlap(question: str, answer: str) -> float | None:
    """Share of the question's content-word stems that occur in the answer; None if the question has none."""
    asked = {qa_stem(t) for t in tokens(question) if t not in STOPWORDS and len(t) >= 3 and not t.isdigit()}
    if not asked:
        return None
    said = {qa_stem(t) for t in tokens(answer)}
    return len(asked & said) / len(asked)


def moving_type_token_ratio(toks: Sequence[str], window: int = TTR_WINDOW) -> float:
    """Mean type-token ratio over all windows of ``window`` tokens (the plain ratio for shorter texts)."""
    if not toks:
        return 0.0
    if len(toks) <= window:
        return len(set(toks)) / len(toks)
    counts: dict[str, int] = {}
    for t in toks[:window]:
        counts[t] = counts.get(t, 0) + 1
    total = len(counts)
    for i in range(window, len(toks)):
        new, old = toks[i], toks[i - window]
        counts[new] = counts.get(new, 0) + 1
        counts[old] -= 1
        if counts[old] == 0:
            del counts[old]
        total += len(counts)
    return total / (len(toks) - window + 1) / window


RU_WORD_RATIO = 1.2
"""English words per Russian word in a faithful translation: Russian has no articles and fewer auxiliaries, so the
same answer is about a sixth shorter in words. Measured on the scorer's parallel anchor sentences (``anchors.py``: 528
English words, 437 Russian); the length features count a Russian word as 1.2, so that length means the same in both
languages (the models were fitted on English)."""


def english_words(toks: Sequence[str]) -> float:
    """The length of a token list in English-equivalent words (a Cyrillic token counts ``RU_WORD_RATIO``)."""
    cyrillic = sum(1 for t in toks if not t.isascii())
    return (len(toks) - cyrillic) + RU_WORD_RATIO * cyrillic


def lexical_features(answers: Sequence[Answer]) -> dict[str, float]:
    """The features of ``LEXICAL_FEATURES`` for the candidate's answers (all zero when nothing was said). Length
    features count English-equivalent words (``english_words``); rates are per 100 words of the text itself."""
    per_answer = [tokens(a.text) for a in answers]
    toks = [t for answer_tokens in per_answer for t in answer_tokens]
    n = len(toks)
    length = english_words(toks)
    # Answers are joined with a sentence break that no pattern crosses.
    joined = " " + " | ".join(" ".join(t) for t in per_answer) + " "
    symbols = sum(len(_CURRENCY_OR_PERCENT.findall(a.text)) for a in answers)
    overlaps = [o for a in answers if (o := qa_overlap(a.question, a.text)) is not None]
    question_words = sum(english_words(tokens(a.question)) for a in answers)
    stars = [sum(star_components(a.text).values()) / 4 for a, t in zip(answers, per_answer, strict=True)
             if len(t) >= STAR_MIN_WORDS]  # fmt: skip
    return {
        "log_words": math.log1p(length),
        "log_mean_answer_words": math.log1p(length / len(answers)) if answers else 0.0,
        "first_person_rate": _per_100(FIRST_PERSON_SINGULAR.count(joined), n),
        "ownership_rate": _per_100(ownership_count(joined), n),
        "team_rate": _per_100(TEAM.count(joined), n),
        "causal_rate": _per_100(CAUSAL.count(joined), n),
        "structure_rate": _per_100(STRUCTURE.count(joined), n),
        "number_rate": _per_100(NUMBER_WORDS.count(joined) + symbols, n),
        "result_rate": _per_100(RESULTS.count(joined), n),
        "plan_rate": _per_100(PLANS.count(joined), n),
        "hedge_rate": _per_100(HEDGES.count(joined), n),
        "filler_rate": _per_100(filler_count(joined), n),
        "negation_rate": _per_100(NEGATIONS.count(joined), n),
        "positive_rate": _per_100(POSITIVE.count(joined), n),
        "star_structure": sum(stars) / len(stars) if stars else 0.0,
        "qa_overlap": sum(overlaps) / len(overlaps) if overlaps else 0.0,
        "type_token_ratio": moving_type_token_ratio(toks),
        "hesitation_rate": _per_100(HESITATIONS.count(joined), n),
        "log_words_per_sentence": math.log1p(length / sentence_count(answers)) if n else 0.0,
        "talk_share": length / (length + question_words) if n else 0.0,
        "formality_rate": _per_100(FORMAL.count(joined), n),
        "informality_rate": _per_100(INFORMAL.count(joined), n),
        "others_rate": _per_100(OTHERS.count(joined), n),
    }


def sentence_count(answers: Sequence[Answer]) -> int:
    """Sentences in the answers: runs of text between sentence ends (. ! ? …) that hold a word; at least one."""
    return max(1, sum(1 for a in answers for part in _SENTENCE_END.split(a.text) if _TOKEN.search(part)))


@dataclass(frozen=True)
class TimingTotals:
    """What fluency is computed from: words spoken, seconds of answer time, and pauses within the answers."""

    words: int
    seconds: float
    syllables: int | None = None
    pauses: int | None = None
    pause_seconds: float | None = None
    long_pauses: int | None = None


def fluency_from_totals(totals: TimingTotals) -> dict[str, float]:
    """Fluency features from totals; pause features only when pause totals are known. Empty if no answer time."""
    if totals.seconds <= 0:
        return {}
    minutes = totals.seconds / 60
    result = {"speech_rate_wpm": totals.words / minutes}
    if totals.syllables is not None:
        result["speech_rate_spm"] = totals.syllables / minutes
    if totals.pause_seconds is not None:
        result["pause_ratio"] = min(totals.pause_seconds / totals.seconds, 1.0)
    if totals.pauses is not None:
        result["pauses_per_min"] = totals.pauses / minutes
    if totals.long_pauses is not None:
        result["long_pauses_per_min"] = totals.long_pauses / minutes
    return result


def timing_totals(answers: Iterable[Answer]) -> TimingTotals | None:
    """Totals over the answers that have timings: word timings where present (answer time runs from the first word's
    start to the last word's end, pauses are the gaps between consecutive words), else the answer's start and end.
    Pauses are known only when every timed answer has word timings. None when no answer is timed."""
    words = syllables = 0
    seconds = 0.0
    pauses = long_pauses = 0
    pause_seconds = 0.0
    all_have_words = True
    timed = False
    for answer in answers:
        if answer.words:
            timed = True
            ordered = sorted(answer.words)
            answer_tokens = tokens(answer.text)
            words += len(answer_tokens)
            syllables += sum(syllable_count(t) for t in answer_tokens)
            seconds += max(ordered[-1][1] - ordered[0][0], 0.0)
            for (_, previous_end, _), (start, _, _) in itertools.pairwise(ordered):
                gap = start - previous_end
                if gap >= PAUSE_MIN_S:
                    pauses += 1
                    pause_seconds += gap
                if gap >= LONG_PAUSE_MIN_S:
                    long_pauses += 1
        elif answer.start is not None and answer.end is not None and answer.end > answer.start:
            timed = True
            all_have_words = False
            answer_tokens = tokens(answer.text)
            words += len(answer_tokens)
            syllables += sum(syllable_count(t) for t in answer_tokens)
            seconds += answer.end - answer.start
    if not timed:
        return None
    if not all_have_words:
        return TimingTotals(words, seconds, syllables)
    return TimingTotals(words, seconds, syllables, pauses, pause_seconds, long_pauses)


def fluency_features(answers: Sequence[Answer]) -> dict[str, float]:
    """The features of ``FLUENCY_FEATURES`` that the answers' timings allow (empty for a typed transcript)."""
    totals = timing_totals(answers)
    return fluency_from_totals(totals) if totals is not None else {}


def extract_features(answers: Sequence[Answer]) -> dict[str, float]:
    """All features the answers allow: the lexical ones always, the fluency ones when timings exist."""
    return {**lexical_features(answers), **fluency_features(answers)}
