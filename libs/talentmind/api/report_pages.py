"""What the report pages show, assembled from the API's own builders (``payloads``) so that a page's numbers are
the API's numbers: the interview page's match, scores, confidence and evidence are ``interview_detail``'s, the
candidate page's are ``candidate_score``'s and ``candidate_report``'s, the comparison page's ranking is
``ranking``'s. This module adds only what a page needs beside them (names, the transcript, which turn each quote
came from) and computes no score of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from talentmind import culture
from talentmind.api.models import CandidateReport, CandidateScore, InterviewDetail, RankedCandidate
from talentmind.api.payloads import (
    candidate_aggregates,
    candidate_report,
    candidate_score,
    interview_detail,
    ranking,
)
from talentmind.company_culture import CultureUnavailable, culture_fit
from talentmind.competencies import COMPETENCIES
from talentmind.db.candidates import get_candidate, get_vacancy
from talentmind.db.interviews import get_interview
from talentmind.db.pool import Executor
from talentmind.db.reports import report_of
from talentmind.db.transcripts import get_transcript
from talentmind.report_links import ReportLinks
from talentmind.scoring.transcript import answers_with_turns


@dataclass(frozen=True)
class QuoteView:
    text: str
    start: float | None
    end: float | None
    turn: int | None  # index of the transcript turn it was said in (the page links there)


@dataclass(frozen=True)
class CompetencyView:
    id: str
    score: float
    confidence: float | None
    quotes: list[QuoteView]


@dataclass(frozen=True)
class TurnView:
    index: int
    speaker: str
    text: str
    start: float | None
    end: float | None


@dataclass(frozen=True)
class DimensionView:
    id: str
    company: float
    candidate: float


@dataclass(frozen=True)
class CultureView:
    fit: culture.FitResult
    dimensions: list[DimensionView]
    source: str = "qsort"  # where the candidate's side came from: "qsort" | "rating" | "interviews"
    confidence: float = 1.0


@dataclass(frozen=True)
class RedFlagView:
    kind: str
    quote: str


@dataclass(frozen=True)
class InterviewPage:
    detail: InterviewDetail
    candidate_name: str | None
    position: str | None
    vacancy_title: str | None
    recommendation: str | None
    strengths: list[str]
    risks: list[str]
    red_flags: list[RedFlagView]
    competencies: list[CompetencyView]
    culture: CultureView | None
    transcript: list[TurnView]


@dataclass(frozen=True)
class CandidatePage:
    candidate_id: str
    score: CandidateScore
    report: CandidateReport
    interviews: list[InterviewDetail]
    culture: CultureView | None


@dataclass(frozen=True)
class ComparisonRow:
    ranked: RankedCandidate
    name: str | None
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ComparisonPage:
    criteria: str
    rows: list[ComparisonRow]


async def culture_view(conn: Executor, org_id: str, candidate_id: str) -> CultureView | None:
    """The fit by dimension, when the company has a profile and the candidate one of their own or interviews to
    infer it from."""
    try:
        outcome = await culture_fit(conn, org_id, candidate_id)
    except CultureUnavailable:
        return None
    fit = outcome.fit
    return CultureView(
        fit=fit,
        dimensions=[DimensionView(d, fit.company[d], fit.person[d]) for d in culture.DIMENSIONS],
        source=outcome.candidate.source,
        confidence=outcome.candidate.confidence,
    )


def _competencies(detail: InterviewDetail, turns: list[dict[str, Any]]) -> list[CompetencyView]:
    """The API's scores and evidence, each quote placed in the turn it came from."""
    answer_turns = [indices for _, indices in answers_with_turns(turns)] if turns else []
    evidence: dict[str, Any] = detail.evidence or {}
    views = []
    for competency in COMPETENCIES:
        if detail.scores is None or competency not in detail.scores:
            continue
        found = evidence.get(competency) or {}
        quotes = [
            QuoteView(q["text"], q.get("start"), q.get("end"), _turn_of(q, answer_turns, turns))
            for q in found.get("quotes", [])
        ]
        views.append(CompetencyView(competency, detail.scores[competency], found.get("confidence"), quotes))
    return views


def _turn_of(quote: dict[str, Any], answer_turns: list[tuple[int, ...]], turns: list[dict[str, Any]]) -> int | None:
    answer = quote.get("answer")
    if not isinstance(answer, int) or not 0 <= answer < len(answer_turns):
        return None
    indices = answer_turns[answer]
    squeezed = " ".join(str(quote["text"]).split())
    within = [i for i in indices if squeezed in " ".join(str(turns[i].get("text", "")).split())]
    return within[0] if within else indices[0]


async def interview_page(conn: Executor, links: ReportLinks, org_id: str, interview_id: str) -> InterviewPage | None:
    interview = await get_interview(conn, org_id, interview_id)
    if interview is None:
        return None
    detail = interview_detail(interview, links)
    candidate = await get_candidate(conn, org_id, interview.candidate_id)
    vacancy = await get_vacancy(conn, org_id, interview.vacancy_id)
    report = await report_of(conn, org_id, interview_id)
    stored = await get_transcript(conn, org_id, interview_id)
    turns: list[dict[str, Any]] = list(stored["turns"]) if stored else []
    return InterviewPage(
        detail=detail,
        candidate_name=candidate["name"] if candidate else None,
        position=candidate["position"] if candidate else None,
        vacancy_title=vacancy["title"] if vacancy else None,
        recommendation=report["recommendation"] if report else None,
        strengths=list(report["strengths"]) if report else [],
        risks=list(report["risks"]) if report else [],
        red_flags=[RedFlagView(f["kind"], f["quote"]) for f in report["red_flags"]] if report else [],
        competencies=_competencies(detail, turns) if interview.status == "completed" else [],
        culture=await culture_view(conn, org_id, interview.candidate_id),
        transcript=[
            TurnView(i, t["speaker"], t.get("text", ""), t.get("start"), t.get("end")) for i, t in enumerate(turns)
        ],
    )


async def candidate_page(conn: Executor, links: ReportLinks, org_id: str, candidate_id: str) -> CandidatePage | None:
    report = await candidate_report(conn, org_id, candidate_id)
    if report is None:
        return None
    rows = await conn.fetch(
        "SELECT id FROM interviews WHERE org_id = $1 AND candidate_id = $2 ORDER BY created_at DESC, id DESC",
        org_id,
        candidate_id,
    )
    interviews = []
    for row in rows:
        interview = await get_interview(conn, org_id, row["id"])
        if interview is not None:
            interviews.append(interview_detail(interview, links))
    return CandidatePage(
        candidate_id=candidate_id,
        score=await candidate_score(conn, org_id, candidate_id),
        report=report,
        interviews=interviews,
        culture=await culture_view(conn, org_id, candidate_id),
    )


async def comparison_page(
    conn: Executor, org_id: str, candidate_ids: list[str], criteria: str
) -> ComparisonPage | None:
    """The ranking ``POST /v1/candidates/compare`` answers, with names; None when a candidate is unknown or has
    no score any more (erased, or its interviews gone)."""
    aggregates = await candidate_aggregates(conn, org_id, candidate_ids)
    if any(aggregates[cid].criterion(criteria) is None for cid in candidate_ids):
        return None
    rows = []
    for ranked in ranking(aggregates, candidate_ids, criteria):
        candidate = await get_candidate(conn, org_id, ranked.candidate_id)
        if candidate is None:
            return None
        rows.append(ComparisonRow(ranked, candidate["name"], dict(aggregates[ranked.candidate_id].scores or {})))
    return ComparisonPage(criteria, rows)
