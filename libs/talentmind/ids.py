"""Public identifiers: a short type prefix and random hex (``int_8d24f0a1b2c3``), as the API contract shows."""

from __future__ import annotations

import secrets


def new_id(prefix: str, nbytes: int = 8) -> str:
    return f"{prefix}_{secrets.token_hex(nbytes)}"
