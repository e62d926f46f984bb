-- Interviews past their stage's deadline are re-queued a bounded number of times, then failed (the sweeper).
-- depends: 0004_webhook_deliveries
ALTER TABLE interviews ADD COLUMN requeues integer NOT NULL DEFAULT 0;
CREATE INDEX interviews_processing_updated ON interviews (updated_at) WHERE status = 'processing';
