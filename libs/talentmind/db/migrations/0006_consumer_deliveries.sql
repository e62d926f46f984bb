-- How many times each consumer group has been handed each event without finishing it: counted in the database,
-- so an event that kills its consumer (out of memory, a segfault in a decoder) is dead-lettered after a bounded
-- number of deliveries instead of being redelivered forever. A row lives while its event is being handled.
-- depends: 0005_interview_requeues
CREATE TABLE consumer_deliveries (
    consumer_group text NOT NULL,
    event_id uuid NOT NULL,
    deliveries integer NOT NULL DEFAULT 1,
    first_delivered_at timestamptz NOT NULL DEFAULT now(),
    last_delivered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, event_id)
);
CREATE INDEX consumer_deliveries_last ON consumer_deliveries (last_delivered_at);
