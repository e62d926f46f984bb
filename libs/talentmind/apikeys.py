"""API keys: generated once, shown once, stored only as a SHA-256 digest.

A key is ``tm_`` + 43 characters of URL-safe randomness (256 bits). Such a secret cannot be guessed, so a fast hash
is enough to store it; the first characters are kept in clear as a prefix to tell keys apart.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

KEY_PREFIX = "tm_"
_DISPLAY_PREFIX_LEN = 10


@dataclass(frozen=True)
class NewKey:
    secret: str
    prefix: str
    digest: bytes


def generate_key() -> NewKey:
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    return NewKey(secret=secret, prefix=secret[:_DISPLAY_PREFIX_LEN], digest=hash_key(secret))


def hash_key(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None when absent or malformed."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        return None
    return token
