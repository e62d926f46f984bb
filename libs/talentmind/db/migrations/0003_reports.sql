-- The scorer's report per interview: what GET /v1/candidates/{id}/report shows, in the organisation's language.
-- depends: 0002_api_resources

CREATE TABLE reports (
    interview_id    text PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
    org_id          text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    candidate_id    text NOT NULL,
    language        text NOT NULL,
    recommendation  text NOT NULL CHECK (recommendation IN ('recommended', 'consider', 'not_recommended')),
    strengths       jsonb NOT NULL,
    risks           jsonb NOT NULL,
    red_flags       jsonb NOT NULL DEFAULT '[]'::jsonb,
    confidence      jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reports_org_candidate ON reports (org_id, candidate_id, created_at DESC);
