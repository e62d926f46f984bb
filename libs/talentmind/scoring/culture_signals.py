"""What a candidate's words say about the culture they value: per-item signals for the inferred culture profile.

Each sentence the candidate said (``behaviour.split_sentences``, with protected attributes taken out) is compared,
in the multilingual sentence-embedding space, with the cues of each of the 54 culture items (``culture.catalogue``:
what someone who values the item says, in Russian and English). An item's similarity to a sentence is the best of
its cues. Two things are taken out, since they say nothing about values:

* a sentence that resembles every item (long, generic work talk) is measured against its own mean over the items;
* an item whose cues resemble everything (generic wording) is measured against its baseline, the mean similarity
  of its cues to the other items' cues, treated the same way.

An item's signal is then the mean of its ``TOP_SENTENCES`` best sentences: a value is shown by what someone says
most clearly, not by how often. Length does not raise a signal (a mean, not a sum, over sentences each counted
once); self-descriptions by trait words ("I am innovative") are not read at all; the number of sentences only
raises the confidence of the inferred profile (``culture.inference``). Quotes per dimension are the sentences
that resemble one of its items most, above ``QUOTE_MIN``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from talentmind.culture.catalogue import DIMENSIONS, ITEMS
from talentmind.culture.inference import QUOTES_PER_DIMENSION, CultureQuote, CultureSignals
from talentmind.scoring.behaviour import Sentence, is_self_claim, split_sentences
from talentmind.scoring.embeddings import SentenceEncoder
from talentmind.scoring.language_features import tokens
from talentmind.scoring.neutral import neutralise
from talentmind.scoring.transcript import Answer

TOP_SENTENCES = 3
# A sentence is quoted for a dimension when it stands this far above its own average (cosine units).
QUOTE_MIN = 0.12


class CultureReader:
    """Encodes the items' cues once per process; :meth:`signals` reads one interview's answers."""

    def __init__(self, encoder: SentenceEncoder) -> None:
        self.encoder = encoder
        self._lock = threading.Lock()
        self._cues: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def _cue_matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(cue vectors, the item index of each cue, each item's baseline)."""
        with self._lock:
            if self._cues is None:
                texts = [cue for item in ITEMS for cue in item.cues]
                owner = np.array([k for k, item in enumerate(ITEMS) for _ in item.cues])
                vectors = self.encoder.encode([neutralise(t) for t in texts])
                per_item = _item_similarity(vectors @ vectors.T, owner)  # (cues, items)
                centred = per_item - per_item.mean(axis=1, keepdims=True)
                baseline = np.array([centred[owner != k, k].mean() for k in range(len(ITEMS))])
                self._cues = (vectors, owner, baseline)
            return self._cues

    def signals(self, answers: Sequence[Answer]) -> CultureSignals:
        sentences = heard_sentences(answers)
        if not sentences:
            return CultureSignals(0, {item.id: 0.0 for item in ITEMS}, {})
        cues, owner, baseline = self._cue_matrix()
        vectors = self.encoder.encode([neutralise(s.text) for s in sentences])
        per_item = _item_similarity(vectors @ cues.T, owner)  # (sentences, items)
        relative = per_item - per_item.mean(axis=1, keepdims=True) - baseline[None, :]
        top = min(TOP_SENTENCES, len(sentences))
        best = -np.sort(-relative, axis=0)[:top]
        items = {item.id: float(best[:, k].mean()) for k, item in enumerate(ITEMS)}
        quotes: dict[str, list[CultureQuote]] = {}
        for dimension in DIMENSIONS:
            columns = [k for k, item in enumerate(ITEMS) if item.dimension == dimension]
            strength = relative[:, columns].max(axis=1)
            which = relative[:, columns].argmax(axis=1)
            chosen = [int(s) for s in np.argsort(-strength) if strength[s] >= QUOTE_MIN][:QUOTES_PER_DIMENSION]
            quotes[dimension] = [
                CultureQuote(
                    sentences[s].text,
                    ITEMS[columns[int(which[s])]].id,
                    round(float(strength[s]), 3),
                    sentences[s].answer_index,
                )
                for s in chosen
            ]
        return CultureSignals(len(sentences), items, quotes)


def heard_sentences(answers: Sequence[Answer]) -> list[Sentence]:
    """The candidate's sentences that can show a value: each said once (saying it again does not make it more
    true), and no self-descriptions by trait words ("I am innovative and agile"), which show nothing."""
    seen: set[str] = set()
    kept = []
    for sentence in split_sentences(answers):
        key = " ".join(tokens(sentence.text))
        if key in seen or is_self_claim(sentence.text):
            continue
        seen.add(key)
        kept.append(sentence)
    return kept


def _item_similarity(similarity: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Per row, the best similarity among each item's cues: (rows, cues) → (rows, items)."""
    return np.stack([similarity[:, owner == k].max(axis=1) for k in range(len(ITEMS))], axis=1)
