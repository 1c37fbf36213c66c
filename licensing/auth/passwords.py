"""Password hashing with argon2id (RFC 9106 low-memory profile: t=3, m=64 MiB, p=4)."""

import functools
import re

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


# Words that make a password guessable however it is dressed up: the service's own, the
# seasons and months people add a year to.
GUESSABLE_WORDS = [*CONTEXT_WORDS, "licensed", "cab", "cabs", "taxis", "drivers", "vehicle", "operator",
                   "password", "welcome", "summer", "winter", "spring", "autumn", "january", "february",
                   "march", "april", "june", "july", "august", "september", "october", "november",
                   "december", "borough", "city", "county", "district", "example"]
MIN_OTHER = 8  # characters a password must have besides those words, the user's name and the council's


def _words_of(personal):
    """The user's name, e-mail address and the council's name as lower-case words of 3+ letters."""
    words = set()
    for text in personal:
        words.update(word for word in re.split(r"[^a-z]+", (text or "").lower()) if len(word) >= 3)
    return words


def _leftover(password, words):
    """The password with every one of `words` (longest first) taken out, case ignored."""
    rest = password.lower()
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(word, "")
    return rest


def password_problem(password, personal=()):
    """A sentence saying what is wrong with a new password, or None. `personal`: the user's name
    and e-mail address and the council's name, refused as the substance of a password."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > 256:
        return "Password must be 256 characters or fewer"
    own = _words_of(personal)
    words = set(GUESSABLE_WORDS) | own
    found = [word for word in words if word in password.lower()]
    if found and len(_leftover(password, words)) < MIN_OTHER:
        what = "your name, your email address or the council's name" if set(found) & own else \
            "words such as taxi, licensing or a season"
        return f"Choose a password that is harder to guess, not mostly {what}: three or four unrelated words"
    # zxcvbn checks offline against 30,000 common passwords, dictionaries and patterns.
    if zxcvbn(password, user_inputs=[*CONTEXT_WORDS, *sorted(own)])["score"] < 3:
        return "Choose a password that is harder to guess, such as three or four unrelated words"
    return None


@functools.cache
def dummy_hash():
    """A hash to verify against when the account does not exist, so timing does not tell."""
    return _hasher.hash("no-such-account-placeholder")
