"""Client tokens: random, shown once, stored only as their SHA-256 (a 256-bit random token needs
no slow hash: it cannot be guessed from its digest)."""

import hashlib
import hmac
import secrets

TOKEN_PREFIX = "tlk_"  # noqa: S105 - a marker, not a secret
SHOWN_PREFIX_LENGTH = 12


def new_token():
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def shown_prefix(token):
    """The first characters, kept to tell tokens apart on the admin page and in the logs."""
    return token[:SHOWN_PREFIX_LENGTH]


def bearer_token(header):
    """The token in an `Authorization: Bearer ...` header, or None."""
    scheme, _, token = (header or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    return token


def new_webhook_secret():
    return secrets.token_hex(32)


def sign(secret, timestamp, body):
    """The webhook signature: HMAC-SHA256 of "<timestamp>.<body>" with the client's secret."""
    message = str(int(timestamp)).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret, timestamp, body):
    return f"t={int(timestamp)},v1={sign(secret, timestamp, body)}"


def verify_signature(secret, header, body, now, tolerance=300):
    """What a receiver does (and the tests check): the timestamp is recent and the HMAC matches."""
    parts = dict(part.split("=", 1) for part in (header or "").split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), sign(secret, timestamp, body))
