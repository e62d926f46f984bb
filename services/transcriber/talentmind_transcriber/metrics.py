"""The transcriber's Prometheus metrics."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

AUDIO_SECONDS = Counter("talentmind_transcriber_audio_seconds_total", "Seconds of audio transcribed.")
TRANSCRIPTION_SECONDS = Histogram(
    "talentmind_transcriber_job_seconds",
    "Wall time of one transcription job (decode, recognition, speakers).",
    buckets=(1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 3600),
)
REAL_TIME_FACTOR = Histogram(
    "talentmind_transcriber_real_time_factor",
    "Processing time divided by audio duration, per job (below 1 is faster than real time).",
    buckets=(0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 5),
)
FAILURES = Counter("talentmind_transcriber_failures_total", "Failed transcription jobs by error code.", ["code"])
FETCH_RETRIES = Counter(
    "talentmind_transcriber_fetch_retries_total", "Media downloads retried after a transient error."
)
