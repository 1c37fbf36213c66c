"""Signing in and out, and managing staff accounts."""

from flask import current_app

from licensing.audit import record, snapshot
from licensing.auth.passwords import (
    dummy_hash,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from licensing.errors import DomainError
from licensing.extensions import db
from licensing.models import Role, User
from licensing.models.base import utcnow
from licensing.models.users import new_session_token


class AccountError(DomainError):
    """A change to an account that cannot be made, with a message for the user."""


class LoginRefused(DomainError):
    """Sign-in refused; `locked` when too many failures have locked the account for a while."""

    def __init__(self, message, locked=False):
        super().__init__(message, field="password")
        self.locked = locked


def load_user_by_session_token(token):
    user = db.session.execute(db.select(User).filter_by(session_token=token)).scalar_one_or_none()
    if user is None or not user.is_enabled:
        return None
    return user


def authenticate(email, password, now=None):
    """Return the user for these credentials, or raise LoginRefused.

    Failures are counted per account in the database, so the limit holds across every
    worker process: after LOGIN_MAX_FAILURES inside LOGIN_LOCK_WINDOW the account is
    locked for that window, and even the right password is refused until it ends.
    """
    now = now or utcnow()
    email = (email or "").strip().lower()
    user = db.session.execute(
        db.select(User).filter_by(email=email).with_for_update()
    ).scalar_one_or_none()
    if user is None:
        verify_password(dummy_hash(), password)
        raise LoginRefused("Enter a correct email address and password")
    if is_locked(user, now):
        record(user, "auth.login_locked_attempt", user)
        raise LoginRefused(
            "Too many failed attempts. Try again in 15 minutes or ask an administrator.", locked=True
        )
    if not verify_password(user.password_hash, password) or not user.is_enabled:
        record_failure(user, now)
        raise LoginRefused("Enter a correct email address and password")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_failure(user, now=None):
    """Count a failed password or second-factor attempt; lock the account at the limit."""
    now = now or utcnow()
    cfg = current_app.config
    if user.first_failed_at is None or now - user.first_failed_at > cfg["LOGIN_LOCK_WINDOW"]:
        user.first_failed_at = now
        user.failed_logins = 0
    user.failed_logins += 1
    action = "auth.login_failed"
    if user.failed_logins >= cfg["LOGIN_MAX_FAILURES"]:
        user.locked_until = now + cfg["LOGIN_LOCK_WINDOW"]
        action = "auth.login_lock"
    record(user, action, user, after={"failed_logins": user.failed_logins})


def is_locked(user, now=None):
    return bool(user.locked_until and user.locked_until > (now or utcnow()))


def complete_login(user, now=None):
    """Both factors passed (or the second is not required): the sign-in counts."""
    user.failed_logins = 0
    user.first_failed_at = None
    user.locked_until = None
    user.last_login_at = now or utcnow()
    record(user, "auth.login", user)


def logout(user):
    """End every session of this user at the server by rotating its session token."""
    user.session_token = new_session_token()
    record(user, "auth.logout", user)


def create_user(actor, email, name, role, password, clearance=False, post=None):
    email = (email or "").strip().lower()
    if "@" not in email:
        raise AccountError("Enter an email address in the correct format, like name@example.gov.uk", field="email")
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(f"Role must be one of: {', '.join(r.value for r in Role)}") from None
    if clearance and role != Role.OFFICER:
        raise AccountError("Only licensing officers can hold intelligence clearance", field="clearance")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if db.session.execute(db.select(User.id).filter_by(email=email)).first():
        raise AccountError(f"An account already exists for {email}", field="email")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        has_clearance=clearance,
        password_hash=hash_password(password),
        post=(post or "").strip() or None,
    )
    db.session.add(user)
    record(actor, "user.create", user, after=snapshot(user))
    return user


def change_password(user, current_password, new_password):
    if not verify_password(user.password_hash, current_password):
        raise AccountError("Your current password is incorrect", field="current_password")
    problem = password_problem(new_password)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()
    record(user, "user.password_change", user)


def set_enabled(actor, user, enabled, reason):
    before = {"is_enabled": user.is_enabled}
    user.is_enabled = enabled
    if not enabled:
        user.session_token = new_session_token()
    record(actor, "user.enable" if enabled else "user.disable", user, before=before,
           after={"is_enabled": enabled}, reason=reason)
