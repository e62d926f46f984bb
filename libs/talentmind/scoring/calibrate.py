"""Calibrate the competency scores on a reference population of interviews (the shared MIT set).

``python -m talentmind.scoring.calibrate [--data DIR]`` writes ``models/competency_calibration.json``: per
competency the median and spread of the raw evidence score, and per language cue its mean and standard
deviation. Deterministic: the same data gives the same file. ``make train-scorer`` runs it after training the
performance model.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from talentmind.scoring.competencies import CALIBRATION_PATH, CompetencyScorer, calibrate
from talentmind.scoring.embeddings import SentenceEncoder
from talentmind.scoring.transcript import mit_transcript

DEFAULT_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "datasets" / "mit-interview"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=CALIBRATION_PATH)
    args = parser.parse_args(argv)
    with open(args.data / "transcripts.csv", newline="") as fh:
        interviews = [mit_transcript(row["transcript"]) for row in csv.DictReader(fh)]
    calibration = calibrate(CompetencyScorer(SentenceEncoder()), interviews)
    calibration.save(args.out)
    print(f"calibrated on {len(interviews)} interviews -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
