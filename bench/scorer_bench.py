"""Scorer benchmark: how long a 30-minute interview takes to score, on this CPU.

A 30-minute interview (~4,300 words of the candidate, ~60 answers) is built from the shared MIT transcripts.
* ``assess``: the scoring step alone (features, embeddings, performance, report), median of ``--rounds``;
* with ``--gateway URL --key KEY`` (a stack from ``make up``): the same transcript sent to
  ``POST /v1/interviews`` (transcript variant) and timed until ``GET /v1/interviews/{id}`` says ``completed``,
  i.e. gateway → outbox → Kafka → transcriber (skips ASR) → Kafka → scorer → PostgreSQL.
Run: ``python bench/scorer_bench.py [--gateway http://127.0.0.1:8080 --key tm_…] [--write]`` (start the stack with
``TM_RATE_LIMIT_PER_MINUTE=60000`` so that polling every 50 ms is not rate-limited).
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import time
import urllib.request
from pathlib import Path
from typing import Any

from results import write_section

from talentmind.scoring.interview import InterviewScorer

ROOT = Path(__file__).resolve().parents[1]
MIT = ROOT / ".." / "shared" / "datasets" / "mit-interview" / "transcripts.csv"
WORDS_PER_MINUTE = 145  # conversational English, both speakers


def thirty_minute_transcript() -> list[dict[str, Any]]:
    turns: list[dict[str, Any]] = []
    words = 0
    with open(MIT, newline="") as fh:
        for row in csv.DictReader(fh):
            for segment in row["transcript"].split("|"):
                who, _, text = segment.partition(":")
                if not text.strip():
                    continue
                speaker = "interviewer" if who.strip().lower() == "interviewer" else "candidate"
                turns.append({"speaker": speaker, "text": " ".join(text.split())})
                words += len(text.split())
                if words >= 30 * WORDS_PER_MINUTE:
                    return turns
    return turns


def call(method: str, url: str, key: str, body: Any = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {key}", **({"Content-Type": "application/json"} if data else {})},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def end_to_end(gateway: str, key: str, turns: list[dict[str, Any]]) -> float:
    start = time.perf_counter()
    created = call(
        "POST",
        f"{gateway}/v1/interviews",
        key,
        {"candidate_id": "bench-candidate", "vacancy_id": "bench-vacancy", "transcript": turns},
    )
    while call("GET", f"{gateway}/v1/interviews/{created['id']}", key)["status"] == "processing":
        time.sleep(0.05)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--gateway")
    parser.add_argument("--key")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    turns = thirty_minute_transcript()
    candidate_words = sum(len(t["text"].split()) for t in turns if t["speaker"] == "candidate")
    scorer = InterviewScorer()
    scorer.assess(turns)  # warm-up
    assess = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        scorer.assess(turns)
        assess.append(time.perf_counter() - start)
    result: dict[str, Any] = {
        "turns": len(turns),
        "candidate_words": candidate_words,
        "total_words": sum(len(t["text"].split()) for t in turns),
        "assess_median_s": round(statistics.median(assess), 3),
    }
    if args.gateway and args.key:
        e2e = [end_to_end(args.gateway, args.key, turns) for _ in range(args.rounds)]
        result["end_to_end_median_s"] = round(statistics.median(e2e), 3)
        result["end_to_end_max_s"] = round(max(e2e), 3)
    print(json.dumps(result, indent=2))
    if args.write:
        write_doc(result)


def write_doc(result: dict[str, Any]) -> None:
    e2e = ""
    if "end_to_end_median_s" in result:
        e2e = (
            f"| transcript submitted to `POST /v1/interviews` → `completed` (local stack of `make up`) | "
            f"{result['end_to_end_median_s']} (max {result['end_to_end_max_s']}) |\n"
        )
    section = f"""## Scorer (`bench/scorer_bench.py`)

A 30-minute interview ({result["total_words"]} words, {result["candidate_words"]} of them the candidate's,
{result["turns"]} turns, from the MIT transcripts), 2 CPU cores, median of the rounds (goal: scored within 2 s):

| what | seconds |
| --- | ---: |
| scoring step alone (features, embeddings, performance, red flags, report) | {result["assess_median_s"]} |
{e2e}"""
    write_section("scorer", section)


if __name__ == "__main__":
    main()
