"""Password hashing with argon2id (RFC 9106 low-memory profile: t=3, m=64 MiB, p=4)."""

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

_hasher = PasswordHasher()

# Words anyone attacking this service would try first.
CONTEXT_WORDS = ["taxi", "licensing", "licence", "council", "hackney", "carriage", "private", "hire", "driver"]
MIN_LENGTH = 12


def hash_password(password):
    return _hasher.hash(password)


def verify_password(stored_hash, password):
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash):
    return _hasher.check_needs_rehash(stored_hash)


def password_problem(password):
    """A sentence saying what is wrong with a new password, or None."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > 256:
        return "Password must be 256 characters or fewer"
    # zxcvbn checks offline against 30,000 common passwords, dictionaries and patterns.
    if zxcvbn(password, user_inputs=CONTEXT_WORDS)["score"] < 3:
        return "Choose a password that is harder to guess, such as three or four unrelated words"
    return None



@functools.cache
def dummy_hash():
    """A hash to verify against when the account does not exist, so timing does not tell."""
    return _hasher.hash("no-such-account-placeholder")
