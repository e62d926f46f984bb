-- depends: 0007_transcription_jobs
-- Culture as an instrument (issue 12): profiles given as a Q-sort or a rating, employees' survey answers that the
-- company profile aggregates, and the signals the scorer leaves per interview for a candidate's inferred profile.
-- Every profile is stored on the Q-sort's 1..9 scale, whatever mode it came in.

-- The company profile: set outright (source 'direct', one respondent) or the aggregate of culture_surveys
-- (recomputed in the transaction that adds an answer, with the spread per item and the agreement between them).
ALTER TABLE culture_profiles
    ADD COLUMN source text NOT NULL DEFAULT 'direct' CHECK (source IN ('direct', 'surveys')),
    ADD COLUMN mode text CHECK (mode IN ('qsort', 'rating')),  -- direct: the mode given; surveys: NULL
    ADD COLUMN respondents integer NOT NULL DEFAULT 1,
    ADD COLUMN spread jsonb,
    ADD COLUMN agreement jsonb;

CREATE TABLE culture_surveys (
    id          text PRIMARY KEY,
    org_id      text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    -- The client's pseudonymous id for the employee: a second answer under it replaces the first. NULL: anonymous.
    respondent  text,
    mode        text NOT NULL CHECK (mode IN ('qsort', 'rating')),
    items       jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX culture_surveys_respondent ON culture_surveys (org_id, respondent) WHERE respondent IS NOT NULL;
CREATE INDEX culture_surveys_org ON culture_surveys (org_id, created_at);

-- The mode the candidate's own answers (culture_items) came in.
ALTER TABLE candidates ADD COLUMN culture_mode text CHECK (culture_mode IN ('qsort', 'rating'));

-- What the candidate's words in this interview say about the culture they value (scoring/culture_signals.py).
ALTER TABLE interviews ADD COLUMN culture_signals jsonb;
