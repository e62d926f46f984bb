"""The gateway: TalentMind's public REST API (v1) for ATS clients."""
