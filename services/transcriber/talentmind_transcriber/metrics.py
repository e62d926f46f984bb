"""The transcriber's Prometheus metrics."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

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
JOBS = Gauge(
    "talentmind_transcriber_jobs",
    "Open transcription jobs by state (queued: waiting for a worker; running: under a live lease), all replicas, "
    "as the last claim saw them.",
    ["state"],
)
QUEUE_WAIT_SECONDS = Histogram(
    "talentmind_transcriber_queue_wait_seconds",
    "Time from a job being queued to a worker taking it (each attempt).",
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
)
JOBS_TAKEN_BACK = Counter(
    "talentmind_transcriber_jobs_handed_back_total",
    "Jobs handed back by a worker before finishing, by reason (shutdown, error, outage, lease_lost).",
    ["reason"],
)
JOBS_CRASHED = Counter(
    "talentmind_transcriber_jobs_crashed_total",
    "Jobs failed because every allowed attempt ended without a result (the process died, or errors).",
)
