"""Text with protected attributes taken out, for the parts of scoring that read meaning.

No protected attribute (name, gender, origin) may move a score. Sentence embeddings notice names and grammatical
gender, so before a sentence is embedded:

* proper names (a capitalised word inside a sentence, English "I" aside) become ``X``;
* gendered English words become neutral ones (she/he → they, wife/husband → spouse, Mr/Ms → nothing);
* Russian gendered pronouns become plural ones, and feminine past-tense and short-adjective endings become
  masculine (я руководила → я руководил, готова → готов), since Russian marks the speaker's gender on verbs.

Evidence quotes keep the candidate's own words; only the comparison uses the neutral form.
"""

from __future__ import annotations

import re

_EN = {
    "he": "they", "she": "they", "him": "them", "her": "them", "his": "their", "hers": "theirs",
    "himself": "themselves", "herself": "themselves", "man": "person", "woman": "person", "men": "people",
    "women": "people", "boy": "child", "girl": "child", "guy": "person", "lady": "person", "husband": "spouse",
    "wife": "spouse", "father": "parent", "mother": "parent", "dad": "parent", "mom": "parent", "mum": "parent",
    "son": "child", "daughter": "child", "brother": "sibling", "sister": "sibling", "boyfriend": "partner",
    "girlfriend": "partner", "mr": "", "mrs": "", "ms": "", "miss": "", "sir": "", "madam": "",
    "businessman": "businessperson", "businesswoman": "businessperson", "chairman": "chair", "chairwoman": "chair",
}  # fmt: skip
_RU = {
    "он": "они", "она": "они", "его": "их", "её": "их", "ее": "их", "ему": "им", "ей": "им", "него": "них",
    "неё": "них", "нее": "них", "нему": "ним", "ней": "ним", "им": "ими", "муж": "супруг", "жена": "супруг",
    "мужа": "супруга", "жены": "супруга", "мама": "родитель", "папа": "родитель", "мать": "родитель",
    "отец": "родитель", "сын": "ребёнок", "дочь": "ребёнок", "мужчина": "человек", "женщина": "человек",
    "сама": "сам", "одна": "один", "должна": "должен", "рада": "рад", "готова": "готов", "согласна": "согласен",
    "уверена": "уверен", "довольна": "доволен", "способна": "способен", "обязана": "обязан",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-zА-Яа-яЁё]+(?:['’-][A-Za-zА-Яа-яЁё]+)*")
# Feminine past tense: руководила → руководил, занималась → занимался, смогла → смог is left as смогл (harmless).
_RU_FEM_PAST = re.compile(r"^([а-яё]+[аеиоуыя])ла(сь)?$")
_SENTENCE_START = re.compile(r"(^|[.!?…]\s+|[\n\"«(]\s*)$")


def neutralise(text: str) -> str:
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        out.append(text[last : match.start()])
        out.append(_neutral_word(word, text[: match.start()]))
        last = match.end()
    out.append(text[last:])
    return re.sub(r"\s{2,}", " ", "".join(out)).strip()


def _neutral_word(word: str, before: str) -> str:
    lower = word.lower()
    if lower in _EN:
        return _match_case(_EN[lower], word)
    if lower in _RU:
        return _match_case(_RU[lower], word)
    if word[0].isupper() and word != "I" and not _SENTENCE_START.search(before):
        return "X"
    fem = _RU_FEM_PAST.match(lower)
    if fem:
        return _match_case(fem.group(1) + "л" + ("ся" if fem.group(2) else ""), word)
    return word


def _match_case(replacement: str, original: str) -> str:
    return replacement.capitalize() if original[:1].isupper() and replacement else replacement
