-- Resources of the public API beyond interviews: candidates, vacancies, transcripts, webhook subscriptions,
-- the company culture profile, and stored responses for Idempotency-Key replays.
-- depends: 0001_core

CREATE TABLE candidates (
    org_id      text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    id          text NOT NULL,
    name        text,
    position    text,
    language    text CHECK (language IN ('ru', 'en')),
    metadata    jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- The candidate's own OCP preference ratings (54 items, 1..9), when the ATS collected them.
    culture_items jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id)
);

CREATE TABLE vacancies (
    org_id               text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    id                   text NOT NULL,
    title                text,
    language             text CHECK (language IN ('ru', 'en')),
    competency_weights   jsonb,
    salary_min           numeric,
    salary_max           numeric,
    salary_currency      text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id)
);

ALTER TABLE interviews ADD COLUMN media_path text;
ALTER TABLE interviews ADD COLUMN media_content_type text;

CREATE TABLE transcripts (
    interview_id  text PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
    language      text,
    turns         jsonb NOT NULL,
    source        text NOT NULL CHECK (source IN ('client', 'asr')),
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhooks (
    id           text PRIMARY KEY,
    org_id       text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    url          text NOT NULL,
    events       text[] NOT NULL,
    secret       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    deleted_at   timestamptz
);
CREATE INDEX webhooks_org ON webhooks (org_id, created_at) WHERE deleted_at IS NULL;

CREATE TABLE culture_profiles (
    org_id      text PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    items       jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A POST with an Idempotency-Key stores its answer here in the same transaction as its effect; a retry with the
-- same key and body gets the stored answer, another body gets 409.
CREATE TABLE idempotency_keys (
    org_id          text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    key             text NOT NULL,
    method          text NOT NULL,
    path            text NOT NULL,
    request_hash    bytea NOT NULL,
    response_status integer NOT NULL,
    response_body   jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
