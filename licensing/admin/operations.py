"""Account administration."""

import secrets

from licensing.audit import record
from licensing.auth import throttle
from licensing.auth.operations import create_user


def create_account(actor, email, name, role, clearance, post=None):
    """Create an account with a random one-time password for the administrator to pass on."""
    password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
    user = create_user(actor, email, name, role, password, clearance=clearance, post=post)
    return user, password


def unlock(actor, user, reason):
    """End the account's sign-in delay (the throttle's count across addresses) and any lock left
    from before the throttle."""
    before = {"locked_until": user.locked_until.isoformat() if user.locked_until else None,
              "slowed": bool(throttle.slowed_accounts([user.email]))}
    user.locked_until = None
    user.failed_logins = 0
    user.first_failed_at = None
    throttle.clear_account(user.email)
    record(actor, "user.unlock", user, before=before, after={"locked_until": None, "slowed": False}, reason=reason)
