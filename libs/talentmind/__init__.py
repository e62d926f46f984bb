"""Shared core of TalentMind: settings, events, Kafka and PostgreSQL helpers, telemetry and the domain."""

__version__ = "0.1.0"
