"""Webhook signing secrets and signatures in the Standard Webhooks format.

A secret is ``whsec_`` + base64 of 24 random bytes; the signature of a delivery is
``v1,`` + base64(HMAC-SHA256(secret bytes, "{id}.{timestamp}.{body}")).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def secret_bytes(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    payload = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), payload, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()
