"""Account administration."""

import secrets

from licensing.audit import record
from licensing.auth.operations import create_user


def create_account(actor, email, name, role, clearance, post=None):
    """Create an account with a random one-time password for the administrator to pass on."""
    password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
    user = create_user(actor, email, name, role, password, clearance=clearance, post=post)
    return user, password


def unlock(actor, user, reason):
    before = {"locked_until": user.locked_until.isoformat() if user.locked_until else None}
    user.locked_until = None
    user.failed_logins = 0
    user.first_failed_at = None
    record(actor, "user.unlock", user, before=before, after={"locked_until": None}, reason=reason)
