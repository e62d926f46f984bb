"""The scorer: evidence-based soft-skill scores, match and reports from the candidate's own words."""
