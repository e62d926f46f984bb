"""Red flags a candidate states in an interview, found in the candidate's own answers (Russian and English).

Three kinds, each backed by the candidate's sentence as evidence (``RedFlag.quote``):

* ``salary_above_range``: the candidate names an expected salary (``extract_salary_expectations``) and it is far
  above the vacancy's range (``salary_above_range``).
* ``long_notice_period``: the candidate cannot start for longer than ``LONG_NOTICE_WEEKS`` (``extract_notice_periods``).
* ``negative_about_former_employer``: the candidate speaks in strongly negative words about a former (or their
  current) employer, manager, team or colleagues (``find_negative_talk``).

Input is the candidate's turns as texts, optionally with an aligned sequence of the questions they answer (an empty
string where a turn answers no question). A question supplies context the answer leaves out: "What are your salary
expectations?" / "Around 250k a month." has its salary cue in the question only.

Method (deterministic phrase patterns; no model)
-----------------------------------------------
Text is split into sentences at ``. ! ? …`` followed by a capital letter, digit or quote (so "250 тыс. руб." is one
sentence) and at line breaks; everything is matched case-insensitively within one sentence.

Salary. Amounts are digits ("250000", "250 000", "250,000", "1,5"), optionally with a multiplier (k, к, тыс, тысяч,
thousand, млн, миллион, million, m; "т.р." is thousand roubles) and a currency (₽ руб рублей RUB, $ долларов USD,
€ евро EUR, £ GBP), or number words with a multiplier ("двести пятьдесят тысяч", "полтора миллиона", "a hundred and
fifty thousand"). A plain number without multiplier or currency counts only from 1000 up and not when it looks like a
year (1900-2100); percentages and hourly rates ("$60 per hour") are not expectations. Ranges ("200-250k", "от 200 до
250 тысяч", "between 4000 and 5000 dollars") give ``amount`` (the low end) and ``amount_max``.
Which amount is the expectation:

* with a salary word (salary, compensation, pay, earn, income, зарплата, оклад, доход, получать, на руки, ...) in the
  sentence, in the question it answers or in the sentence before it in the same answer: the first amount after an
  expectation cue (expect, looking for, at least, рассчитываю, претендую, ожидания, не ниже, ...), else the first
  amount not introduced by a current-pay cue ("currently I earn 150k", "сейчас получаю", "my salary is");
* with only an expectation cue ("I expect around 250k rubles a month"): an amount at most ``EXPECT_NEAR_WORDS`` words
  after the cue that has a currency or multiplier (after "рассчитываю на" / "претендую на" a plain number will do).
  The past tense ("we expected 10,000 users") is not a cue.

The period is the month or year cue nearest the amount in the sentence ("в месяц", "per month", "monthly", "в год",
"a year", "annual", ...), else None. The candidate's expectation (``salary_expectation``) is the last one stated.

``salary_above_range`` compares the expectation's low end with the vacancy's maximum, both per month (a yearly figure
is divided by 12). "Far above" means more than ``SALARY_TOLERANCE`` (20 %) above the maximum. An expectation without a
period is read as monthly unless it exceeds ``ANNUAL_GUESS_FACTOR`` times the monthly maximum, when it can only be a
yearly figure. An expectation without a currency is taken to be in the vacancy's currency; two different known
currencies cannot be compared (no conversion rates here) and give False, as does a vacancy without a maximum.

Notice period. A sentence counts when it has a notice/start cue (notice, can start/join, available from, start date,
отработать, уведомить/предупредить за, смогу выйти/приступить, выйти на работу, ...) or answers a question about it
("When can you start?", "Когда сможете выйти?"). Each cue takes the nearest duration after it ("notice period of two
months") or, failing that, one at most ``NOTICE_BEFORE_CUE_WORDS`` words before it ("3 months' notice"); durations are
digits or number words with day/week/month units, "полтора месяца", "пару недель", "a couple of weeks", "полгода",
"2-3 months" → 3; "... ago"/"назад" is not a notice. With only the question as cue, every duration in the sentence
counts. Weeks: a month is 52/12 weeks, a day 1/7, a working day 1/5.
The longest stated period is the candidate's notice period. It is long when, rounded half up to whole weeks, it is more
than ``max_notice_weeks`` (default ``LONG_NOTICE_WEEKS`` = 4): "a month" (4.33 weeks) and "30 days" are not long;
"five weeks", "six weeks" and "two months" are.

Negative talk. A sentence counts when a strongly negative word (terrible, awful, incompetent, toxic, idiots, hated,
ужасный, некомпетентный, токсичный, ненавидел, ...) is close to an employer word (boss, manager, management, company,
team, colleagues, job, руководитель, руководство, начальник, компания, команда, коллеги, работа, ...): at most
``NEGATIVE_BEFORE_ENTITY_WORDS`` words before it ("toxic team", "hated my last job") or at most
``NEGATIVE_AFTER_ENTITY_WORDS`` words after it ("my previous boss was terrible") with no "I"/"я" in between (which
would make the candidate the subject: "at my last job I was terrible at ..."); no preposition puts the negative word
in a phrase about something else ("terrible at time management", "справилась с ужасным дедлайном", "did a terrible
job"); the negative word is not negated
("wasn't terrible", "не был ужасным"); and the sentence or its question refers to the candidate's own workplace
(previous/last/former/old/there/my/our, прошлый/предыдущий/бывший/там/мой/наш, or the past tense was/were/был/была).
General statements ("a toxic team can ruin a project") do not count. Mild criticism ("the processes were slow")
does not count either: only strong words are listed.

These are patterns, not understanding: they are tuned to be precise rather than exhaustive, and every flag carries
its sentence so a person can judge it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

RedFlagKind = Literal["salary_above_range", "long_notice_period", "negative_about_former_employer"]
SalaryPeriod = Literal["month", "year"]

# In the order they are reported.
RED_FLAG_KINDS: tuple[RedFlagKind, ...] = ("salary_above_range", "long_notice_period", "negative_about_former_employer")

# An expectation more than 20 % above the vacancy's maximum (per month) is far above the range.
SALARY_TOLERANCE = 0.20
# A figure with no period above this many times the monthly maximum is read as a yearly figure.
ANNUAL_GUESS_FACTOR = 6.0
# A notice period is long when it is more than this many whole weeks.
LONG_NOTICE_WEEKS = 4.0
WEEKS_PER_MONTH = 52 / 12
# A duration before a notice cue counts for it only with at most this many words between ("3 months of notice").
NOTICE_BEFORE_CUE_WORDS = 2
# Negative talk: word distances between the negative word and the employer word.
NEGATIVE_BEFORE_ENTITY_WORDS = 2
NEGATIVE_VERB_BEFORE_ENTITY_WORDS = 4
NEGATIVE_AFTER_ENTITY_WORDS = 5


@dataclass(frozen=True)
class SalaryExpectation:
    """An expected salary the candidate stated. ``amount`` is the low end of a range (``amount_max`` its high end)."""

    amount: float
    currency: str | None
    period: SalaryPeriod | None
    quote: str
    amount_max: float | None = None


@dataclass(frozen=True)
class NoticePeriod:
    """How long before the candidate can start, in weeks, with the phrase that said it."""

    weeks: float
    duration: str
    quote: str


@dataclass(frozen=True)
class NegativeTalk:
    """A sentence in which the candidate speaks strongly negatively about an employer, manager or colleagues."""

    target: str
    word: str
    quote: str


@dataclass(frozen=True)
class RedFlag:
    """A red flag with its evidence: ``quote`` is the candidate's sentence, ``detail`` what was read from it."""

    kind: RedFlagKind
    quote: str
    detail: dict[str, str | float]


# --------------------------------------------------------------------------------------------------------------------
# Sentences and words

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[^\w\s]*[A-ZА-ЯЁ0-9])|[\r\n]+")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_FLAGS = re.IGNORECASE


def _sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def _words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def _alt(words: Sequence[str]) -> str:
    """A regex alternation of literal phrases (spaces match any whitespace), longest first."""
    ordered = sorted(set(words), key=lambda word: (-len(word), word))
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


def _turns(answers: Sequence[str], questions: Sequence[str] | None) -> list[tuple[str, str]]:
    if isinstance(answers, str):
        raise TypeError("answers must be a sequence of answer texts, not one string")
    if questions is None:
        return [(answer, "") for answer in answers]
    if isinstance(questions, str):
        raise TypeError("questions must be a sequence of question texts, not one string")
    if len(questions) != len(answers):
        raise ValueError(f"questions ({len(questions)}) and answers ({len(answers)}) must be aligned")
    return [(answer, question or "") for answer, question in zip(answers, questions, strict=True)]


# --------------------------------------------------------------------------------------------------------------------
# Number words

_UNIT_WORDS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "один": 1, "одна": 1, "одну": 1, "одного": 1, "одной": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трёх": 3,
    "трех": 3, "четыре": 4, "четырёх": 4, "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7,
    "семи": 7, "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "одиннадцать": 11,
    "двенадцать": 12, "пятнадцать": 15, "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50,
    "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80, "девяносто": 90, "сто": 100, "двести": 200, "триста": 300,
    "четыреста": 400, "пятьсот": 500, "шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900,
    "полтора": 1.5, "полторы": 1.5,
}  # fmt: skip
# Words that only count durations ("a couple of weeks", "несколько месяцев").
_DURATION_WORDS: dict[str, float] = {
    "a couple of": 2, "couple of": 2, "a couple": 2, "пару": 2, "пара": 2, "a few": 3, "few": 3, "several": 3,
    "несколько": 3, "one and a half": 1.5, "half a": 0.5,
}  # fmt: skip
_NUMBER_WORD = _alt([*_UNIT_WORDS, "hundred"])


def _word_number(text: str) -> float | None:
    """The value of a run of number words: "two hundred fifty" → 250, "двести пятьдесят" → 250, "полтора" → 1.5."""
    phrase = " ".join(text.lower().replace("-", " ").split())
    if phrase in _DURATION_WORDS:
        return _DURATION_WORDS[phrase]
    total = 0.0
    seen = False
    for token in phrase.split():
        if token == "and":
            continue
        if token == "hundred":
            total = (total or 1) * 100
        elif token in _UNIT_WORDS:
            total += _UNIT_WORDS[token]
        else:
            return None
        seen = True
    return total if seen else None


def _digits(text: str) -> float:
    """ "250 000" / "250,000" / "250.000" → 250000; "1,5" / "1.5" → 1.5."""
    text = re.sub(r"[\s\u00a0\u202f]", "", text)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        return float(text.replace(".", "").replace(",", "."))
    return float(text.replace(",", "."))


# --------------------------------------------------------------------------------------------------------------------
# Salary

_CURRENCIES: dict[str, str] = {
    "₽": "RUB", "rub": "RUB", "rur": "RUB", "руб": "RUB", "рубль": "RUB", "рубля": "RUB", "рублей": "RUB",
    "рублях": "RUB", "р": "RUB", "roubles": "RUB", "rubles": "RUB", "ruble": "RUB", "rouble": "RUB",
    "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD", "доллар": "USD", "доллара": "USD",
    "долларов": "USD", "долл": "USD", "бакс": "USD", "бакса": "USD", "баксов": "USD",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "евро": "EUR",
    "£": "GBP", "gbp": "GBP",
}  # fmt: skip

_NUMBER = (
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?![\d])"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])"
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.])"
    r"|\d+(?:[.,]\d+)?"
)
_CUR_PRE = r"(?P<cur_pre>[$€£₽]|\b(?:usd|eur|rub|gbp)\b)"
_CUR_POST = (
    r"(?P<cur_post>[$€£₽]|(?:usd|eur|rub|rur|gbp)\b|руб(?:л(?:ей|я|ь|ях))?\b\.?|р\.|(?<=\d)р\b|rubles?\b|roubles?\b"
    r"|dollars?\b|bucks\b|долл(?:ар(?:ов|а)?)?\b\.?|бакс(?:ов|а)?\b|euros?\b|евро\b)"
)
_MULT_WORD = r"тысяч[аи]?\b|тыс\b\.?|thousands?\b|млн\b\.?|миллион(?:а|ов)?\b|millions?\b|mln\b|mio\b"
_MULT = rf"(?:\s?(?P<mult_tr>т\.\s?р\.|тр\b)|(?P<mult_k>\s?k|к)\b|(?P<mult_m>m)\b|\s?(?P<mult_word>{_MULT_WORD}))"
_MONEY = re.compile(
    rf"(?:{_CUR_PRE}\s?)?(?<![\w.,])(?P<num>{_NUMBER}){_MULT}?(?:\s?{_CUR_POST})?(?P<pct>\s?(?:%|percent|процент))?",
    _FLAGS,
)
_WORD_MONEY = re.compile(
    rf"(?<!\w)(?:(?P<words>(?:{_NUMBER_WORD})(?:[\s-]+(?:and\s+)?(?:{_NUMBER_WORD}))*)\s+)?"
    rf"(?P<mult_word>{_MULT_WORD})(?:\s?{_CUR_POST})?",
    _FLAGS,
)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|до|and|и|or|или)\s*", _FLAGS)

_SALARY_NOUN = (
    r"salar\w*|compensation|\bpay\b|\bpaid\b|wages?\b|income|\bpackage\b|\bearn\w*|\bgross\b|before\s+tax|"
    r"зарплат\w*|з/п|\bзп\b|оклад\w*|доход\w*|вознагражд\w*|получать|на\s+руки|заработ\w*|зарабатыва\w*"
)
_STRONG_EXPECT = r"рассчитыва\w*|претенду\w*"
_EXPECT = (
    r"\bexpect(?:s|ing|ation|ations)?\b|\baccept\b|looking\s+for|asking\s+for|\bask\b|"
    r"would\s+like\s+to\s+(?:earn|get|make|receive)|want\s+to\s+(?:earn|get|make|receive)|hoping\s+for|"
    r"at\s+least|minimum|"
    rf"{_STRONG_EXPECT}|ожидани\w*|ожидаю|ожидаем\w*|желаем\w*|не\s+меньше|не\s+ниже|минимум"
)
_SALARY_NOUN_CUE = re.compile(_SALARY_NOUN, _FLAGS)
_SALARY_QUESTION = re.compile(rf"{_SALARY_NOUN}|how\s+much|сколько", _FLAGS)
_EXPECT_CUE = re.compile(_EXPECT, _FLAGS)
_STRONG_EXPECT_CUE = re.compile(_STRONG_EXPECT, _FLAGS)
_CURRENT_CUE = re.compile(
    r"current\w*|\bnow\b|at\s+the\s+moment|today|right\s+now|\bi\s+(?:get|earn|make)\b|"
    r"\bmy\s+(?:salary|pay|income)\s+is\b|"
    r"сейчас|текущ\w*|на\s+данный\s+момент|в\s+данный\s+момент|получаю|зарабатываю",
    _FLAGS,
)
_HOUR_CUE = re.compile(r"\s*(?:per\s+hour|an\s+hour|/\s?h(?:ou)?r?\b|hourly|в\s+час|/\s?час)", _FLAGS)
# Without a salary word, an amount counts only this close after an expectation cue ("I expect around 250k").
EXPECT_NEAR_WORDS = 3
_MONTH_CUE = re.compile(
    r"в\s+месяц|в\s+мес\b|/\s?мес|ежемесячн\w*|месячн\w*|per\s+month|a\s+month|/\s?mo(?:nth)?\b|monthly|every\s+month",
    _FLAGS,
)
_YEAR_CUE = re.compile(
    r"в\s+год|/\s?год|годов\w*|ежегодн\w*|за\s+год|per\s+(?:year|annum)|a\s+year|/\s?(?:yr|year)\b|annual\w*|yearly|"
    r"\bp\.a\.",
    _FLAGS,
)


@dataclass(frozen=True)
class _Money:
    start: int
    end: int
    number: float
    multiplier: float | None
    currency: str | None

    @property
    def amount(self) -> float:
        return self.number * (self.multiplier or 1)

    @property
    def explicit(self) -> bool:
        return self.multiplier is not None or self.currency is not None


def normalize_currency(currency: str | None) -> str | None:
    """An ISO 4217 code for a currency written as a code, symbol or word ("руб", "₽", "$", "euro"); None for None.

    Unknown currencies come back upper-cased ("kzt" → "KZT"), so two of them still compare.
    """
    if currency is None:
        return None
    key = currency.strip().lower().rstrip(".")
    if not key:
        return None
    return _CURRENCIES.get(key, key.upper())


def _multiplier(match: re.Match[str]) -> float | None:
    groups = match.groupdict()
    if groups.get("mult_tr"):
        return 1_000.0
    word = (groups.get("mult_word") or groups.get("mult_k") or groups.get("mult_m") or "").strip().lower()
    if not word:
        return None
    if word in ("k", "к") or word.startswith(("тыс", "thousand")):
        return 1_000.0
    return 1_000_000.0


def _money_tokens(sentence: str) -> list[_Money]:
    tokens: list[_Money] = []
    for match in _MONEY.finditer(sentence):
        if match.group("pct"):
            continue
        currency = normalize_currency(match.group("cur_pre") or match.group("cur_post"))
        if match.group("mult_tr"):
            currency = currency or "RUB"
        tokens.append(_Money(match.start(), match.end(), _digits(match.group("num")), _multiplier(match), currency))
    for match in _WORD_MONEY.finditer(sentence):
        if any(match.start() < token.end and token.start < match.end() for token in tokens):
            continue
        words = match.group("words")
        number = _word_number(words) if words else 1.0
        if number is None:
            continue
        multiplier = _multiplier(match)
        currency = normalize_currency(match.group("cur_post"))
        tokens.append(_Money(match.start(), match.end(), number, multiplier, currency))
    return sorted(tokens, key=lambda token: token.start)


def _plausible(token: _Money) -> bool:
    if token.explicit:
        return token.amount > 0
    integer = token.number.is_integer()
    return token.number >= 1000 and not (integer and 1900 <= token.number <= 2100)


def _amounts(sentence: str) -> list[tuple[_Money, float | None]]:
    """Money in a sentence as (token, range high end); a range is one token spanning both ends."""
    tokens = _money_tokens(sentence)
    result: list[tuple[_Money, float | None]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if index + 1 < len(tokens):
            following = tokens[index + 1]
            if _RANGE_JOIN.fullmatch(sentence[token.end : following.start]):
                low = _Money(
                    token.start,
                    following.end,
                    token.number,
                    token.multiplier or following.multiplier,
                    token.currency or following.currency,
                )
                high = _Money(
                    following.start,
                    following.end,
                    following.number,
                    following.multiplier or token.multiplier,
                    following.currency or token.currency,
                )
                if _plausible(low) and _plausible(high) and low.amount <= high.amount:
                    result.append((low, high.amount))
                    index += 2
                    continue
        if _plausible(token):
            result.append((token, None))
        index += 1
    return result


def _nearest_period(sentence: str, start: int, end: int) -> SalaryPeriod | None:
    """The month or year cue nearest the amount (a cue after it wins a tie)."""
    best: SalaryPeriod | None = None
    best_key = (len(sentence) + 1, 2)
    cues: tuple[tuple[SalaryPeriod, re.Pattern[str]], ...] = (("month", _MONTH_CUE), ("year", _YEAR_CUE))
    for period, pattern in cues:
        for match in pattern.finditer(sentence):
            after = match.start() >= end
            key = (match.start() - end, 0) if after else (max(start - match.end(), 0), 1)
            if key < best_key:
                best, best_key = period, key
    return best


def _expectation_in(sentence: str, salary_context: bool) -> SalaryExpectation | None:
    """The expectation in one sentence. With a salary word in the sentence, question or previous sentence, the first
    amount after an expectation cue, else the first that is not the current salary; with only an expectation cue
    ("I expect ..."), an explicit amount (currency or multiplier) at most ``EXPECT_NEAR_WORDS`` words after it."""
    chosen: tuple[_Money, float | None] | None = None
    fallback: tuple[_Money, float | None] | None = None
    previous_end = 0
    for token, high in _amounts(sentence):
        lead_in = sentence[previous_end : token.start]
        previous_end = token.end
        if _HOUR_CUE.match(sentence, token.end):
            continue  # an hourly rate is not comparable with a monthly range
        cues = list(_EXPECT_CUE.finditer(lead_in))
        near = bool(cues) and len(_words(lead_in[cues[-1].end() :])) <= EXPECT_NEAR_WORDS
        if salary_context and cues:
            chosen = (token, high)
            break
        if near and not salary_context and (token.explicit or _STRONG_EXPECT_CUE.search(lead_in)):
            chosen = (token, high)
            break
        if salary_context and fallback is None and not _CURRENT_CUE.search(lead_in):
            fallback = (token, high)
    chosen = chosen or fallback
    if chosen is None:
        return None
    token, high = chosen
    return SalaryExpectation(
        amount=token.amount,
        currency=token.currency,
        period=_nearest_period(sentence, token.start, token.end),
        quote=sentence,
        amount_max=high,
    )


def extract_salary_expectations(
    answers: Sequence[str], questions: Sequence[str] | None = None
) -> list[SalaryExpectation]:
    """Every expected salary the candidate states, in the order stated (at most one per sentence)."""
    found: list[SalaryExpectation] = []
    for answer, question in _turns(answers, questions):
        question_cue = bool(_SALARY_QUESTION.search(question))
        previous_cue = False
        for sentence in _sentences(answer):
            salary_word = bool(_SALARY_NOUN_CUE.search(sentence))
            if salary_word or question_cue or previous_cue or _EXPECT_CUE.search(sentence):
                expectation = _expectation_in(sentence, salary_word or question_cue or previous_cue)
                if expectation is not None:
                    found.append(expectation)
            previous_cue = salary_word
    return found


def salary_expectation(answers: Sequence[str], questions: Sequence[str] | None = None) -> SalaryExpectation | None:
    """The candidate's salary expectation: the last one stated (a later figure revises an earlier one), or None."""
    found = extract_salary_expectations(answers, questions)
    return found[-1] if found else None


def _monthly(amount: float, period: str | None) -> float:
    return amount / 12 if period == "year" else amount


def salary_above_range(
    expectation: SalaryExpectation,
    vacancy_min: float | None,
    vacancy_max: float | None,
    vacancy_currency: str | None,
    *,
    vacancy_period: SalaryPeriod = "month",
    tolerance: float = SALARY_TOLERANCE,
) -> bool:
    """Whether the expectation is far above the vacancy's range: more than ``tolerance`` above its maximum per month.

    ``vacancy_min`` plays no part in "above" (it is accepted so a whole range can be passed); a vacancy without a
    maximum, or a maximum that is not positive, has no range to be above. Different known currencies → False.
    """
    del vacancy_min
    if vacancy_max is None or not math.isfinite(vacancy_max) or vacancy_max <= 0:
        return False
    expected_currency = normalize_currency(expectation.currency)
    vacancy_code = normalize_currency(vacancy_currency)
    if expected_currency is not None and vacancy_code is not None and expected_currency != vacancy_code:
        return False
    monthly_max = _monthly(vacancy_max, vacancy_period)
    period = expectation.period
    if period is None:
        period = "year" if expectation.amount > ANNUAL_GUESS_FACTOR * monthly_max else "month"
    return _monthly(expectation.amount, period) > monthly_max * (1 + tolerance)


# --------------------------------------------------------------------------------------------------------------------
# Notice period

_DURATION_NUMBER = rf"\d+(?:[.,]\d+)?(?:-?х)?|{_alt([*_DURATION_WORDS, *_UNIT_WORDS])}"
_DURATION_UNIT = (
    r"(?P<unit>days?|weeks?|months?|дн(?:я|ей)|день|недел(?:я|и|ю|ь)|месяц(?:а|ев)?|мес\b\.?)"
)  # fmt: skip
_DURATION = re.compile(
    rf"(?<!\w)(?:(?P<low>{_DURATION_NUMBER})\s*(?:-|–|—|to|or|до|или)\s*)?"
    rf"(?:(?P<num>{_DURATION_NUMBER})(?:\s+|\s*-\s*))?"
    r"(?:(?P<kind>working|business|calendar|рабочих|календарных)\s+)?"
    rf"{_DURATION_UNIT}(?!\w)['’]?",
    _FLAGS,
)
_DURATION_SPECIAL: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"(?<!\w)(?:полгода|half\s+a\s+year|six-month)(?!\w)", _FLAGS), 26.0),
    (re.compile(r"(?<!\w)(?:полмесяца|half\s+a\s+month)(?!\w)", _FLAGS), WEEKS_PER_MONTH / 2),
    (re.compile(r"(?<!\w)(?:a|one)\s+month\s+and\s+a\s+half(?!\w)|(?<!\w)месяц\s*[-–]\s*полтора(?!\w)", _FLAGS), 6.5),
    (re.compile(r"(?<!\w)(?:a|one)\s+week\s+and\s+a\s+half(?!\w)", _FLAGS), 1.5),
)
_DURATION_INVERTED = re.compile(
    r"(?<!\w)(?P<unit>месяц(?:а|ев)?|недел(?:и|ь))\s+(?P<num>два|две|три|четыре|пять|шесть|полтора|полторы)(?!\w)",
    _FLAGS,
)
_DURATION_AGO = re.compile(r"\s*(?:ago|назад)\b", _FLAGS)
_START_AFTER = (
    r"(?:\s+(?:working|work|with\s+you|the\s+job|the\s+role|here))?"
    r"\s+(?:only\s+|not\s+before\s+|no\s+earlier\s+than\s+)?(?:in|after|within|from)\b"
)
_NOTICE_CUE = re.compile(
    r"\bnotice\b|"
    rf"\b(?:can|could|will|would|'ll|able\s+to|ready\s+to|plan\s+to)\s+(?:start|join|begin|come\s+on\s+board){_START_AFTER}|"
    r"\bstart(?:ing)?\s+date|\bavailab\w+\s+(?:to\s+start\s+)?(?:from|in|after|within|starting)\b|"
    r"(?<!\w)(?:уведом\w*|предупре(?:дить|ждать|ждение|ждения)|отработ(?:ать|аю|ка|ки|ку|ке|кой)|"
    r"отрабатыва(?:ть|ю|ем)|выйти\s+на\s+работу|выход\w*\s+на\s+работу|приступить\s+к\s+работе|"
    r"освобо(?:жусь|диться|ждаюсь)|срок\w*\s+(?:уведомления|отработки|выхода)|"
    r"(?:смогу|могу|можем|сможем|готов\w*|получится|планирую|буду)\s+(?:выйти|приступить|начать|присоединиться|выходить)"
    r"(?:\s+\w+){0,3}?\s+(?:через|спустя|после|в\s+течение)|"
    r"(?:выйти|приступить|начать)\s+(?:смогу|могу|сможем|можем|готов\w*|получится))(?!\w)",
    _FLAGS,
)
_NOTICE_QUESTION = re.compile(
    r"\bnotice\b|when\s+(?:can|could|would|will)\s+you\s+(?:start|join|begin)|start\s+date|availab\w*|how\s+soon|"
    r"уведом\w*|отработ\w*|когда\s+(?:сможете|готовы|можете|могли\s+бы)\s+(?:выйти|приступить|начать)|"
    r"выйти\s+на\s+работу|выход\w*\s+на\s+работу|срок\w*\s+выхода|приступить",
    _FLAGS,
)


@dataclass(frozen=True)
class _Duration:
    start: int
    end: int
    weeks: float
    text: str


def _unit_weeks(unit: str, kind: str | None) -> float:
    unit = unit.lower()
    if unit.startswith(("day", "дн", "ден")):
        return 1 / 5 if kind and kind.lower() in ("working", "business", "рабочих") else 1 / 7
    if unit.startswith(("week", "недел")):
        return 1.0
    return WEEKS_PER_MONTH


def _duration_value(text: str | None) -> float | None:
    if text is None:
        return None
    digits = re.match(r"\d+(?:[.,]\d+)?", text)
    if digits:
        return float(digits.group().replace(",", "."))
    return _word_number(text)


def _durations(sentence: str) -> list[_Duration]:
    found: list[_Duration] = []

    def add(start: int, end: int, weeks: float) -> None:
        if _DURATION_AGO.match(sentence, end):
            return
        if any(start < other.end and other.start < end for other in found):
            return
        found.append(_Duration(start, end, weeks, sentence[start:end].strip()))

    for pattern, weeks in _DURATION_SPECIAL:
        for match in pattern.finditer(sentence):
            add(match.start(), match.end(), weeks)
    for match in _DURATION_INVERTED.finditer(sentence):
        value = _duration_value(match.group("num"))
        if value is not None:
            add(match.start(), match.end(), value * _unit_weeks(match.group("unit"), None))
    for match in _DURATION.finditer(sentence):
        unit = match.group("unit")
        values = [_duration_value(match.group("num")), _duration_value(match.group("low"))]
        numbers = [value for value in values if value is not None]
        if not numbers:
            if match.group("num") is not None or unit.lower().endswith(("s", "ев", "ей", "ь", "и")):
                continue  # "months", "недели" without a number say nothing about how many
            numbers = [1.0]
        add(match.start(), match.end(), max(numbers) * _unit_weeks(unit, match.group("kind")))
    return sorted(found, key=lambda duration: duration.start)


def _notice_in(sentence: str, question_cue: bool, previous_cue: bool) -> _Duration | None:
    durations = _durations(sentence)
    if not durations:
        return None
    cues = list(_NOTICE_CUE.finditer(sentence))
    chosen: list[_Duration] = []
    for cue in cues:
        # The nearest duration after the cue ("notice period of two months"), or one just before it ("3 months'
        # notice", "two-month notice period"): at most NOTICE_BEFORE_CUE_WORDS words before, nearest wins.
        ranked: list[tuple[int, int, _Duration]] = []
        for duration in durations:
            if duration.start >= cue.end():
                ranked.append((len(_words(sentence[cue.end() : duration.start])), 0, duration))
            elif duration.end <= cue.start():
                gap = len(_words(sentence[duration.end : cue.start()]))
                if gap <= NOTICE_BEFORE_CUE_WORDS:
                    ranked.append((gap, 1, duration))
        if ranked:
            chosen.append(min(ranked, key=lambda item: item[:2])[2])
    if not cues and (question_cue or previous_cue):
        chosen = durations
    return max(chosen, key=lambda duration: duration.weeks) if chosen else None


def extract_notice_periods(answers: Sequence[str], questions: Sequence[str] | None = None) -> list[NoticePeriod]:
    """Every notice period / time-to-start the candidate states, in the order stated (at most one per sentence)."""
    found: list[NoticePeriod] = []
    for answer, question in _turns(answers, questions):
        question_cue = bool(_NOTICE_QUESTION.search(question))
        previous_cue = False
        for sentence in _sentences(answer):
            duration = _notice_in(sentence, question_cue, previous_cue)
            if duration is not None:
                found.append(NoticePeriod(round(duration.weeks, 2), duration.text, sentence))
            previous_cue = bool(_NOTICE_CUE.search(sentence)) and duration is None
    return found


def notice_period(answers: Sequence[str], questions: Sequence[str] | None = None) -> NoticePeriod | None:
    """The longest notice period the candidate states, or None."""
    found = extract_notice_periods(answers, questions)
    return max(found, key=lambda notice: notice.weeks) if found else None


def is_long_notice(notice: NoticePeriod, max_weeks: float = LONG_NOTICE_WEEKS) -> bool:
    """Whether the notice period, rounded half up to whole weeks, is more than ``max_weeks``."""
    return math.floor(notice.weeks + 0.5) > max_weeks


# --------------------------------------------------------------------------------------------------------------------
# Negative talk about former employers

_ENTITY = re.compile(
    r"\b(?:boss(?:es)?|manager(?:s)?|management|supervisors?|team\s*leads?|directors?|ceo|cto|founders?|owners?|"
    r"employers?|company|companies|firm|organi[sz]ations?|teams?|colleagues?|co-?workers?|job|workplace|office|"
    r"environment|atmosphere|culture|leadership)\b|"
    r"(?<!\w)(?:руководител\w*|руководств\w*|начальни\w*|начальств\w*|шеф(?:а|у|ом|е|ы)?|босс\w*|директор\w*|"
    r"тимлид\w*|менеджер\w*|менеджмент\w*|работодател\w*|компани\w*|фирм(?:а|ы|е|у|ой)|"
    r"команд(?:а|ы|е|у|ой|ами|ах|ам)?|коллег\w*|коллектив\w*|работ(?:а|е|у|ы|ой)|офис\w*|контор\w*|"
    r"атмосфер\w*|культур\w*|владел\w*|собственник\w*|организаци\w*)(?!\w)",
    _FLAGS,
)
_NEGATIVE_VERB = (
    r"hat(?:e|ed|ing)|despised?|couldn't\s+stand|could\s+not\s+stand|can't\s+stand|"
    r"ненавид\w*|ненавистн\w*|терпеть\s+не\s+мог\w*|не\s+выносил\w*|не\s+переносил\w*"
)
_NEGATIVE = re.compile(
    rf"(?<!\w)(?:(?P<verb>{_NEGATIVE_VERB})|"
    r"terrible|awful|horrible|horrendous|incompetent|toxic|idiots?|idiotic|stupid|dumb|useless|clueless|"
    r"disgusting|pathetic|worst|nightmare|dreadful|abusive|dishonest|liars?|crooks?|morons?|moronic|"
    r"unprofessional|unbearable|sucked|sucks|garbage|clowns|hopeless|"
    r"ужасн(?!о(?!\w))\w*|ужасен|кошмар\w*|отвратител\w*|некомпетент\w*|токсич\w*|идиот\w*|"
    r"туп(?:ой|ая|ое|ые|ого|ых|ым|ыми|ому|ую|ы)|бездар\w*|худш\w*|дурак\w*|бестолков\w*|самодур\w*|"
    r"непрофессионал\w*|невыносим\w*|хамск\w*|хамы|дебил\w*|придурк\w*|лжец\w*|лжив\w*|обманщик\w*|"
    r"жулик\w*|безграмот\w*|невменяем\w*|убог\w*|неадекват\w*|отстой\w*)(?!\w)",
    _FLAGS,
)
_ANCHOR = re.compile(
    r"\b(?:previous|last|former|old|ex|past|prior|there|back\s+then|at\s+the\s+time|used\s+to|left|quit|was|were|"
    r"had|my|our)\b|"
    r"(?<!\w)(?:прошл\w*|предыдущ\w*|бывш\w*|стар(?:ый|ая|ое|ые|ом|ой|ого|ую|ых|ым)|прежн\w*|там|тогда|ушёл|ушел|"
    r"ушла|уволил\w*|был|была|было|были|мо(?:й|я|ё|е|и|его|ей|ему|им|ими|их|ю)|наш\w*)(?!\w)",
    _FLAGS,
)
_NEGATORS = frozenset({"not", "never", "no", "не", "ни", "нисколько", "нельзя"})
_FIRST_PERSON = frozenset({"i", "я"})
# Between the negative word and the employer word these make it about something else ("terrible at time management",
# "the team coped with a terrible deadline").
_PREPOSITIONS = frozenset({"at", "in", "on", "with", "about", "for", "в", "на", "с", "о", "об", "про", "за"})


def _negated(sentence: str, start: int) -> bool:
    before = _words(sentence[:start])[-2:]
    return any(word in _NEGATORS or word.endswith(("n't", "n’t")) for word in before)


def _negative_in(sentence: str, anchored_by_question: bool) -> NegativeTalk | None:
    if not (anchored_by_question or _ANCHOR.search(sentence)):
        return None
    entities = list(_ENTITY.finditer(sentence))
    if not entities:
        return None
    for negative in _NEGATIVE.finditer(sentence):
        if _negated(sentence, negative.start()):
            continue
        if not negative.group("verb") and _FIRST_PERSON.intersection(_words(sentence[: negative.start()])[-3:]):
            continue  # "I was terrible at ...": about the candidate
        before_limit = NEGATIVE_VERB_BEFORE_ENTITY_WORDS if negative.group("verb") else NEGATIVE_BEFORE_ENTITY_WORDS
        for entity in entities:
            if entity.start() >= negative.end():
                between = _words(sentence[negative.end() : entity.start()])
                # "did a terrible job" is about the work done, not the employer
                idiom = entity.group().lower() == "job" and not negative.group("verb")
                elsewhere = not negative.group("verb") and _PREPOSITIONS.intersection(between)
                close = len(between) <= before_limit and not idiom and not elsewhere
            elif negative.start() >= entity.end():
                between = _words(sentence[entity.end() : negative.start()])
                close = (
                    len(between) <= NEGATIVE_AFTER_ENTITY_WORDS
                    and not _FIRST_PERSON.intersection(between)
                    and not _PREPOSITIONS.intersection(between[-2:])
                )
            else:
                close = False
            if close:
                return NegativeTalk(target=entity.group(), word=negative.group(), quote=sentence)
    return None


def find_negative_talk(answers: Sequence[str], questions: Sequence[str] | None = None) -> list[NegativeTalk]:
    """Sentences in which the candidate speaks strongly negatively about an employer, manager, team or colleagues."""
    found: list[NegativeTalk] = []
    for answer, question in _turns(answers, questions):
        anchored = bool(question and _ANCHOR.search(question) and _ENTITY.search(question))
        for sentence in _sentences(answer):
            talk = _negative_in(sentence, anchored)
            if talk is not None:
                found.append(talk)
    return found


# --------------------------------------------------------------------------------------------------------------------
# All red flags


def detect_red_flags(
    answers: Sequence[str],
    questions: Sequence[str] | None = None,
    *,
    vacancy_min: float | None = None,
    vacancy_max: float | None = None,
    vacancy_currency: str | None = None,
    vacancy_period: SalaryPeriod = "month",
    max_notice_weeks: float = LONG_NOTICE_WEEKS,
) -> list[RedFlag]:
    """The red flags in the candidate's answers, in ``RED_FLAG_KINDS`` order.

    At most one ``salary_above_range`` (the last stated expectation, only when the vacancy has a maximum) and one
    ``long_notice_period`` (the longest stated); one ``negative_about_former_employer`` per sentence that has it.
    """
    flags: list[RedFlag] = []
    expectation = salary_expectation(answers, questions)
    if expectation is not None and salary_above_range(
        expectation, vacancy_min, vacancy_max, vacancy_currency, vacancy_period=vacancy_period
    ):
        assert vacancy_max is not None
        detail: dict[str, str | float] = {"amount": expectation.amount}
        if expectation.amount_max is not None:
            detail["amount_max"] = expectation.amount_max
        currency = normalize_currency(expectation.currency) or normalize_currency(vacancy_currency)
        if currency is not None:
            detail["currency"] = currency
        if expectation.period is not None:
            detail["period"] = expectation.period
        detail["vacancy_max"] = float(vacancy_max)
        detail["vacancy_period"] = vacancy_period
        flags.append(RedFlag("salary_above_range", expectation.quote, detail))
    notice = notice_period(answers, questions)
    if notice is not None and is_long_notice(notice, max_notice_weeks):
        flags.append(
            RedFlag(
                "long_notice_period",
                notice.quote,
                {"weeks": notice.weeks, "duration": notice.duration, "max_weeks": float(max_notice_weeks)},
            )
        )
    for talk in find_negative_talk(answers, questions):
        flags.append(RedFlag("negative_about_former_employer", talk.quote, {"target": talk.target, "word": talk.word}))
    return flags
