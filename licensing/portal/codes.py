"""One-time secrets for online accounts. Only a hash is stored: a link token is looked up by its
SHA-256; a 6-digit sign-in code is hashed with its account id, so equal codes of two accounts differ."""

import hashlib
import secrets


def new_link_token():
    return secrets.token_urlsafe(32)


def new_sign_in_code():
    return f"{secrets.randbelow(1_000_000):06d}"


def new_holder_link_code():
    """Printed on a letter and typed by the holder: 12 characters without look-alikes, in 3 groups."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_holder_link_code(text):
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in_code_hash(account_id, code):
    return hashlib.sha256(f"{account_id}:{code}".encode()).hexdigest()
