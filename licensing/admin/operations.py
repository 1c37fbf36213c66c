"""Account administration."""

import secrets

import sqlalchemy as sa

from licensing.audit import record
from licensing.auth import throttle
from licensing.auth.operations import create_user
from licensing.errors import DomainError, check_version
from licensing.extensions import db
from licensing.models import Role, User
from licensing.models.users import new_session_token


def create_account(actor, email, name, role, clearance, post=None):
    """Create an account with a random one-time password for the administrator to pass on: the
    new user must choose their own at first sign-in (`licensing.auth.sessions.require_new_password`)."""
    password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
    user = create_user(actor, email, name, role, password, clearance=clearance, post=post, must_change=True)
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


class AccountError(DomainError):
    """A change to an account that cannot be made."""


def change_account(actor, user, *, role, clearance, post, reason, version=None):
    """Change an account's role, clearance and post (audited). A change of role or clearance
    ends the account's sessions, so its holder signs in again with what they may now do."""
    check_version(user, version, "account")
    role = Role(role)
    if clearance and role != Role.OFFICER:
        raise AccountError("Only a licensing officer can hold clearance for restricted intelligence",
                           field="clearance")
    if user.id == actor.id and role != Role.ADMIN:
        raise AccountError("You cannot take away your own administrator role: ask another administrator",
                           field="role")
    if user.role == Role.ADMIN and role != Role.ADMIN and _enabled_admins() <= 1:
        raise AccountError("This is the only enabled administrator account: make another one first", field="role")
    before = {"role": user.role.value, "has_clearance": bool(user.has_clearance), "post": user.post}
    after = {"role": role.value, "has_clearance": bool(clearance), "post": (post or "").strip() or None}
    if before == after:
        raise AccountError("Nothing has changed: change the role, the clearance or the post", field="role")
    if (before["role"], before["has_clearance"]) != (after["role"], after["has_clearance"]):
        user.session_token = new_session_token()
    user.role, user.has_clearance, user.post = role, after["has_clearance"], after["post"]
    record(actor, "user.update", user, before=before, after=after, reason=reason)
    return user


def _enabled_admins():
    return db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.role == Role.ADMIN, User.is_enabled.is_(True)))
