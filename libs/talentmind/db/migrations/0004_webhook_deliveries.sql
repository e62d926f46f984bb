-- Webhook delivery: secret rotation and endpoint health on subscriptions, one row per message to deliver
-- (durable retries: the schedule lives here, not in memory), and the log of every attempt.
-- depends: 0003_reports

ALTER TABLE webhooks ADD COLUMN previous_secret text;
ALTER TABLE webhooks ADD COLUMN previous_secret_expires_at timestamptz;
ALTER TABLE webhooks ADD COLUMN failing_since timestamptz;
ALTER TABLE webhooks ADD COLUMN disabled_at timestamptz;
ALTER TABLE webhooks ADD COLUMN disabled_reason text;

-- A message for one subscription. Its id is the webhook-id header: stable across retries and redeliveries of
-- the same message. status: pending (waiting for next_attempt_at), delivering (claimed by a dispatcher until
-- locked_until), succeeded, failed (schedule exhausted or endpoint disabled).
CREATE TABLE webhook_deliveries (
    id               text PRIMARY KEY,
    webhook_id       text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    org_id           text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    event_type       text NOT NULL,
    event_id         uuid,
    payload          jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'delivering', 'succeeded', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    locked_until     timestamptz,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_stuck ON webhook_deliveries (locked_until) WHERE status = 'delivering';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at DESC, id DESC);

CREATE TABLE webhook_attempts (
    id            bigserial PRIMARY KEY,
    delivery_id   text NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempt       integer NOT NULL,
    attempted_at  timestamptz NOT NULL DEFAULT now(),
    status_code   integer,
    latency_ms    integer,
    error         text
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt);
