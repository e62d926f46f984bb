"""Moved to :mod:`talentmind.interview_life`; this name stays only while the transcriber's job queue lands."""

from talentmind.interview_life import fail_for_event as fail_interview

__all__ = ["fail_interview"]
