"""The levelled answer set: hand-written answers at three levels per competency, in English and Russian.

``tests/fixtures/scoring/levelled/<competency>.json`` holds, per competency, scenarios told at three levels (strong
behavioural evidence, generic, weak/vague) of similar length, and buzzword-stuffing answers; each entry exists in
English and in its faithful Russian version. ``run_levelled`` scores every answer as a one-question interview and
checks what the scores must do: order the levels, move the competency asked about most, keep stuffing at or below
the generic level, and give a Russian answer and its English version scores within ``PARITY_TOLERANCE``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from talentmind.competencies import COMPETENCIES
from talentmind.scoring.interview import InterviewScorer

LEVELLED_DIR = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "scoring" / "levelled"
HOLDOUT_DIR = LEVELLED_DIR.parent / "levelled-holdout"
"""Answers in the same form written blind to the scorer (by a writer who saw neither its code nor its word lists) and
never used to tune it: an honest check of how the scorer does on answers it was not shaped around."""
LANGUAGES = ("en", "ru")
LEVELS = ("strong", "generic", "weak")
PARITY_TOLERANCE = 0.1


def interview(question: str, answer: str) -> list[dict[str, object]]:
    return [{"speaker": "interviewer", "text": question}, {"speaker": "candidate", "text": answer}]


def load_levelled(directory: Path = LEVELLED_DIR) -> dict[str, dict[str, Any]]:
    return {c: json.loads((directory / f"{c}.json").read_text(encoding="utf-8")) for c in COMPETENCIES}


@dataclass
class LevelledReport:
    """Counts per language; ``failures`` names each scenario or answer that missed a rule."""

    scenarios: dict[str, int] = field(default_factory=dict)
    ordered: dict[str, int] = field(default_factory=dict)
    asked_moves_most: dict[str, int] = field(default_factory=dict)
    stuffing: dict[str, int] = field(default_factory=dict)
    stuffing_not_above_generic: dict[str, int] = field(default_factory=dict)
    parity_pairs: int = 0
    parity_within: int = 0
    parity_max: float = 0.0
    parity_by_competency: dict[str, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def share(self, counts: Mapping[str, int], language: str, total: Mapping[str, int]) -> float:
        return counts.get(language, 0) / total[language] if total.get(language) else 0.0

    def markdown(self) -> str:
        lines = [
            "| language | scenarios | levels ordered (strong > generic > weak) | competency asked moves most "
            "(strong − weak) | stuffing not above generic |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for lang in LANGUAGES:
            n, s = self.scenarios.get(lang, 0), self.stuffing.get(lang, 0)
            ordered = self.share(self.ordered, lang, self.scenarios)
            moves = self.share(self.asked_moves_most, lang, self.scenarios)
            lines.append(
                f"| {lang} | {n} | {self.ordered.get(lang, 0)} ({ordered:.0%}) "
                f"| {self.asked_moves_most.get(lang, 0)} ({moves:.0%})"
                f" | {self.stuffing_not_above_generic.get(lang, 0)} of {s} |"
            )
        lines += [
            "",
            f"Russian and English versions of the same answer (all six scores of every answer): "
            f"{self.parity_within} of {self.parity_pairs} pairs within {PARITY_TOLERANCE} "
            f"(largest difference {self.parity_max:.3f}).",
        ]
        if self.parity_by_competency:
            lines += ["", "| competency | pairs within 0.1 | mean difference |", "| --- | ---: | ---: |"]
            for c, gaps in self.parity_by_competency.items():
                within = sum(g <= PARITY_TOLERANCE for g in gaps)
                lines.append(f"| {c} | {within} of {len(gaps)} | {sum(gaps) / len(gaps):.3f} |")
        if self.failures:
            lines += ["", "Misses:", "", *[f"- {f}" for f in self.failures]]
        return "\n".join(lines)


def run_levelled(scorer: InterviewScorer | None = None, directory: Path = LEVELLED_DIR) -> LevelledReport:
    scorer = scorer or InterviewScorer()
    report = LevelledReport()
    scores: dict[tuple[str, str, str], dict[str, float]] = {}
    for competency, data in load_levelled(directory).items():
        for scenario in data["scenarios"]:
            for lang in LANGUAGES:
                entry = scenario[lang]
                level_scores = {}
                for level in LEVELS:
                    result = scorer.assess(interview(entry["question"], entry[level]), report_language=lang)
                    level_scores[level] = result.scores
                    scores[(scenario["id"], level, lang)] = result.scores
                _check_scenario(report, scenario["id"], competency, lang, level_scores)
        for stuffing in data["stuffing"]:
            for lang in LANGUAGES:
                entry = stuffing[lang]
                result = scorer.assess(interview(entry["question"], entry["text"]), report_language=lang)
                scores[(stuffing["id"], "stuffing", lang)] = result.scores
                generic = [scores[(s["id"], "generic", lang)][competency] for s in data["scenarios"]]
                mean_generic = sum(generic) / len(generic)
                report.stuffing[lang] = report.stuffing.get(lang, 0) + 1
                if result.scores[competency] <= mean_generic:
                    report.stuffing_not_above_generic[lang] = report.stuffing_not_above_generic.get(lang, 0) + 1
                else:
                    report.failures.append(
                        f"{stuffing['id']} ({lang}): stuffing {result.scores[competency]:.3f} above the generic "
                        f"level {mean_generic:.3f}"
                    )
    for (answer_id, level, lang), values in scores.items():
        if lang != "en":
            continue
        other = scores[(answer_id, level, "ru")]
        for c in COMPETENCIES:
            gap = abs(values[c] - other[c])
            report.parity_by_competency.setdefault(c, []).append(gap)
            report.parity_pairs += 1
            report.parity_within += gap <= PARITY_TOLERANCE
            report.parity_max = max(report.parity_max, gap)
    return report


def _check_scenario(
    report: LevelledReport,
    scenario_id: str,
    competency: str,
    lang: str,
    level_scores: Mapping[str, Mapping[str, float]],
) -> None:
    report.scenarios[lang] = report.scenarios.get(lang, 0) + 1
    strong, generic, weak = (level_scores[level][competency] for level in LEVELS)
    if strong > generic > weak:
        report.ordered[lang] = report.ordered.get(lang, 0) + 1
    else:
        report.failures.append(f"{scenario_id} ({lang}): strong {strong:.3f}, generic {generic:.3f}, weak {weak:.3f}")
    moves = {c: level_scores["strong"][c] - level_scores["weak"][c] for c in COMPETENCIES}
    top = max(moves, key=lambda c: moves[c])
    if top == competency:
        report.asked_moves_most[lang] = report.asked_moves_most.get(lang, 0) + 1
    else:
        report.failures.append(
            f"{scenario_id} ({lang}): {top} moved most ({moves[top]:+.3f}; {competency} {moves[competency]:+.3f})"
        )
