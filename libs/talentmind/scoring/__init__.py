"""Scoring: what the candidate said, turned into interpretable features and a validated `performance` estimate.

Among its modules:

* ``transcript``: the candidate's answers (``Answer``), each paired with the interviewer question it answers, from our
  API turns or from the MIT Interview dataset's transcript format.
* ``language_features``: interpretable lexical features (Russian and English) and fluency features from timings.
* ``performance``: the ridge model that predicts the human ``Overall`` interview rating, stored as a small JSON file.
* ``train``: grouped cross-validation and training on the MIT Interview dataset
  (``python -m talentmind.scoring.train``; method and results in ``docs/scoring_validation.md``).
"""
