"""Signing in and out, and managing staff accounts."""

from licensing.audit import record, snapshot
from licensing.auth import throttle
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
    """Sign-in refused; `wait_seconds` when the throttle asks this address to wait first."""

    def __init__(self, message, wait_seconds=0):
        super().__init__(message, field="password")
        self.wait_seconds = wait_seconds


def load_user_by_session_token(token):
    user = db.session.execute(db.select(User).filter_by(session_token=token)).scalar_one_or_none()
    if user is None or not user.is_enabled:
        return None
    return user


def authenticate(email, password, address=None, now=None):
    """Return the user for these credentials, or raise LoginRefused.

    Failures slow down further attempts (`licensing.auth.throttle`: per account from an address,
    per address, and per account across addresses), held in the database so the delay holds
    across every worker process. While a delay runs, the password is not even checked.
    """
    now = now or utcnow()
    email = (email or "").strip().lower()
    throttle.hold(email, address, now)
    wait = throttle.wait_seconds(email, address, now)
    if wait:
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
        if user is not None:
            record(user, "auth.login_throttled", user, after={"wait_seconds": wait})
        raise refused_for(wait)
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    if user is None:
        verify_password(dummy_hash(), password)
        throttle.record_failure(email, address, now)
        raise LoginRefused("Enter a correct email address and password")
    if not verify_password(user.password_hash, password) or not user.is_enabled:
        record_failure(user, address, now)
        raise LoginRefused("Enter a correct email address and password")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def refused_for(wait):
    return LoginRefused(f"Too many failed attempts. Wait {throttle.wait_text(wait)} and try again.",
                        wait_seconds=wait)


def record_failure(user, address=None, now=None):
    """Count a failed password or second-factor attempt against the throttle, and audit it."""
    failures = throttle.record_failure(user.email, address, now)
    record(user, "auth.login_failed", user, after={"failures_from_address": failures})


def login_wait(user, address=None, now=None):
    """Seconds before this user may try again from this address (the second-factor step); the
    attempt holds the count's lock from here to its commit, so parallel codes are checked in turn."""
    throttle.hold(user.email, address, now)
    return throttle.wait_seconds(user.email, address, now)


def complete_login(user, address=None, now=None):
    """Both factors passed (or the second is not required): the sign-in counts."""
    throttle.clear(user.email, address)
    user.failed_logins = 0
    user.first_failed_at = None
    user.locked_until = None
    user.last_login_at = now or utcnow()
    record(user, "auth.login", user)


def logout(user):
    """End every session of this user at the server by rotating its session token."""
    user.session_token = new_session_token()
    record(user, "auth.logout", user)


def create_user(actor, email, name, role, password, clearance=False, post=None, must_change=False):
    email = (email or "").strip().lower()
    if "@" not in email:
        raise AccountError("Enter an email address in the correct format, like name@example.gov.uk", field="email")
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(f"Role must be one of: {', '.join(r.value for r in Role)}") from None
    if clearance and role != Role.OFFICER:
        raise AccountError("Only licensing officers can hold intelligence clearance", field="clearance")
    problem = password_problem(password, personal=(name, email))
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
        password_must_change=must_change,
        post=(post or "").strip() or None,
    )
    db.session.add(user)
    db.session.flush()  # the snapshot holds the id and the defaults, not blanks
    record(actor, "user.create", user, after=snapshot(user))
    return user


def change_password(user, current_password, new_password, address=None, now=None, council=""):
    """The current password is checked under the sign-in throttle (someone at an unlocked screen
    cannot guess it at argon2 speed) and each wrong one is audited; the caller keeps the record."""
    now = now or utcnow()
    throttle.hold(user.email, address, now)
    wait = throttle.wait_seconds(user.email, address, now)
    if wait:
        record(user, "auth.password_check_throttled", user, after={"wait_seconds": wait})
        raise AccountError(refused_for(wait).message, field="current_password")
    if not verify_password(user.password_hash, current_password):
        failures = throttle.record_failure(user.email, address, now)
        record(user, "auth.password_check_failed", user, after={"failures_from_address": failures})
        raise AccountError("Your current password is incorrect", field="current_password")
    problem = password_problem(new_password, personal=(user.name, user.email, council))
    if problem:
        raise AccountError(problem)
    if verify_password(user.password_hash, new_password):
        raise AccountError("Choose a new password that is different from your current one", field="new_password")
    user.password_hash = hash_password(new_password)
    user.password_must_change = False
    user.session_token = new_session_token()
    record(user, "user.password_change", user)


def set_enabled(actor, user, enabled, reason):
    before = {"is_enabled": user.is_enabled}
    user.is_enabled = enabled
    if not enabled:
        user.session_token = new_session_token()
    record(actor, "user.enable" if enabled else "user.disable", user, before=before,
           after={"is_enabled": enabled}, reason=reason)
