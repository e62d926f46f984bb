-- depends: 0006_consumer_deliveries
-- The transcriber's durable job queue. The Kafka handler of interview.requested only records a row here, so its
-- offset commits at once; the transcriber's workers take rows with FOR UPDATE SKIP LOCKED, choosing fairly across
-- organisations, and hold each under a lease (locked_until, renewed while the job runs). A worker that dies leaves
-- a lease that expires and the job is taken again. attempts counts the leases taken, in the row, so a recording
-- that kills its worker every time (out of memory, a decoder crash) fails after a bounded number of attempts.
CREATE TABLE transcription_jobs (
    interview_id text PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
    org_id text NOT NULL,
    event jsonb NOT NULL,  -- the interview.requested event the job came from (its id is claimed at the end)
    state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    lease uuid,  -- who holds the job now: a worker acts on the row only while its lease token matches
    locked_until timestamptz,  -- running: the lease's end; queued: not before (a retry's backoff), NULL: now
    last_error text,  -- the error of the last attempt that raised; NULL when attempts ended with the process
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- The claim reads only unfinished jobs; finished rows are history.
CREATE INDEX transcription_jobs_open ON transcription_jobs (org_id, created_at) WHERE state IN ('queued', 'running');
