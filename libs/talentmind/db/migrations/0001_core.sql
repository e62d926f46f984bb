-- Core tables: organisations and their API keys, the interview and what hangs off it, the outbox, and the
-- record of processed events that makes consumers idempotent.

CREATE TABLE organizations (
    id          text PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    language    text NOT NULL DEFAULT 'ru' CHECK (language IN ('ru', 'en')),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Keys are random 32-byte secrets, so a SHA-256 digest is enough (no slow KDF needed); only the prefix is
-- kept in clear to tell keys apart in logs and the CLI.
CREATE TABLE api_keys (
    id          text PRIMARY KEY,
    org_id      text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    prefix      text NOT NULL,
    key_hash    bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_keys_org ON api_keys (org_id);

CREATE TABLE interviews (
    id             text PRIMARY KEY,
    org_id         text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    candidate_id   text NOT NULL,
    vacancy_id     text NOT NULL,
    source         text NOT NULL CHECK (source IN ('url', 'upload', 'transcript')),
    media_url      text,
    status         text NOT NULL DEFAULT 'processing' CHECK (status IN ('processing', 'completed', 'failed')),
    error_code     text,
    error_message  text,
    language       text,
    match          double precision,
    performance    double precision,
    scores         jsonb,
    evidence       jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    completed_at   timestamptz
);
CREATE INDEX interviews_org_created ON interviews (org_id, created_at DESC, id DESC);
CREATE INDEX interviews_org_status_created ON interviews (org_id, status, created_at DESC, id DESC);
CREATE INDEX interviews_org_candidate ON interviews (org_id, candidate_id);

-- The transactional outbox: a state change and the event announcing it commit together; the relay publishes
-- rows in seq order and stamps published_at.
CREATE TABLE outbox (
    seq           bigserial PRIMARY KEY,
    event_id      uuid NOT NULL UNIQUE,
    topic         text NOT NULL,
    key           text NOT NULL,
    payload       jsonb NOT NULL,
    headers       jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;

-- Consumers record the events they have applied, in the same transaction as the work, so a redelivered
-- message is recognised and skipped.
CREATE TABLE processed_events (
    consumer      text NOT NULL,
    event_id      uuid NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
