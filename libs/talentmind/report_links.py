"""Signed, expiring links to the report pages (``report_url``).

A browser opening a report from an ATS cannot send the organisation's API key, so the link carries its own proof:
``t = v1.<org id, base64url>.<expiry, unix seconds>.<HMAC-SHA256, base64url>``, the MAC taken with the server's
``report_link_secret`` over the page's kind, the object's id, the organisation and the expiry. A token opens exactly
one object (its kind and id are in the MAC) of one organisation until it expires; pages then read that object
scoped to the token's organisation, so a valid token can never open another organisation's object.

Without a secret (``report_link_secret`` unset) no token is issued and none verifies: ``report_url`` is the bare
page address and the page answers 403 saying that links are not configured. ``talentmind up`` writes a random secret
into the local dir once, so the local stack's links work out of the box; production sets it from a secret store.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

from talentmind.settings import Settings

LinkKind = Literal["interview", "candidate", "comparison"]
_VERSION = "v1"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, kind: str, object_id: str, org_id: str, expires: int) -> bytes:
    # NUL cannot occur in ids (refused at the API), so the fields cannot be shifted into each other.
    message = "\x00".join((_VERSION, kind, object_id, org_id, str(expires))).encode()
    return hmac.new(secret, message, hashlib.sha256).digest()


def sign(secret: bytes, kind: LinkKind, object_id: str, org_id: str, expires: int) -> str:
    """The token for one object of one organisation, valid until ``expires`` (unix seconds)."""
    mac = _mac(secret, kind, object_id, org_id, expires)
    return f"{_VERSION}.{_b64(org_id.encode())}.{expires}.{_b64(mac)}"


def verify(secret: bytes, kind: LinkKind, object_id: str, token: str, now: float) -> str | None:
    """The organisation the token was issued for, or None when it is malformed, forged, for another object or
    kind, or expired."""
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != _VERSION or not parts[2].isdigit():
        return None
    try:
        org_id = _unb64(parts[1]).decode()
        given = _unb64(parts[3])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    expires = int(parts[2])
    if not hmac.compare_digest(given, _mac(secret, kind, object_id, org_id, expires)):
        return None
    return org_id if now < expires else None


def comparison_id(candidate_ids: list[str], criteria: str) -> str:
    """What a comparison link signs: the criterion and the candidates in the order asked."""
    return f"{criteria}:{','.join(candidate_ids)}"


@dataclass(frozen=True)
class ReportLinks:
    """Builds every report URL the platform hands out (API answers, webhooks, ``report.ready``), each with a fresh
    token, and checks the tokens the pages receive."""

    base_url: str
    secret: bytes | None
    ttl_s: int

    @classmethod
    def from_settings(cls, settings: Settings) -> ReportLinks:
        secret = settings.report_link_secret
        return cls(
            base_url=settings.public_base_url.rstrip("/"),
            secret=secret.get_secret_value().encode() if secret is not None else None,
            ttl_s=settings.report_link_ttl_s,
        )

    @property
    def enabled(self) -> bool:
        return bool(self.secret)

    def _url(self, path: str, kind: LinkKind, object_id: str, org_id: str, query: dict[str, str]) -> str:
        params = dict(query)
        if self.secret:
            params["t"] = sign(self.secret, kind, object_id, org_id, int(time.time()) + self.ttl_s)
        return f"{self.base_url}{path}" + (f"?{urlencode(params)}" if params else "")

    def interview(self, org_id: str, interview_id: str) -> str:
        return self._url(f"/r/{interview_id}", "interview", interview_id, org_id, {})

    def candidate(self, org_id: str, candidate_id: str) -> str:
        return self._url(f"/r/c/{candidate_id}", "candidate", candidate_id, org_id, {})

    def comparison(self, org_id: str, candidate_ids: list[str], criteria: str) -> str:
        query = {"ids": ",".join(candidate_ids), "criteria": criteria}
        return self._url("/r/compare", "comparison", comparison_id(candidate_ids, criteria), org_id, query)

    def org_of(self, kind: LinkKind, object_id: str, token: str | None, now: float | None = None) -> str | None:
        """The organisation a page's token opens ``object_id`` for; None for no, a bad or an expired token."""
        if not self.secret or not token:
            return None
        return verify(self.secret, kind, object_id, token, time.time() if now is None else now)
