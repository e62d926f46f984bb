"""The scorer's view of the shared settings (every setting is listed in ``talentmind.settings``)."""

from __future__ import annotations

from talentmind.settings import Settings


def bind_address(settings: Settings) -> tuple[str, int]:
    return settings.scorer_host, settings.scorer_port
