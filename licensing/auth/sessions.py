"""Idle and absolute session timeouts, and the first sign-in's change of password, checked on
every request."""

from datetime import UTC, datetime

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user


def _now():
    return datetime.now(UTC).timestamp()


def start_session():
    session.permanent = True
    session["login_at"] = _now()
    session["seen_at"] = _now()


def enforce_session_timeouts():
    if not current_user.is_authenticated:
        return None
    cfg = current_app.config
    now = _now()
    login_at = session.get("login_at", 0)
    seen_at = session.get("seen_at", 0)
    expired = (
        now - seen_at > cfg["SESSION_IDLE_TIMEOUT"].total_seconds()
        or now - login_at > cfg["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
    )
    if expired:
        logout_user()
        session.clear()
        flash("You were signed out because your session timed out.")
        return redirect(url_for("auth.login", next=request.path))
    session["seen_at"] = now
    return None


# What an account that must change its password may still reach (the error pages need nothing).
WHILE_CHANGING_PASSWORD = frozenset({"auth.password", "auth.logout_view", "main.session_status"})


def require_new_password():
    """before_request: an account signed in with an administrator's one-time password goes to
    "Change your password" until it has chosen its own, wherever it asks to go."""
    if not current_user.is_authenticated or not getattr(current_user, "password_must_change", False):
        return None
    if request.endpoint in WHILE_CHANGING_PASSWORD or request.endpoint is None:
        return None
    if request.endpoint == "static" or request.endpoint.endswith(".static"):
        return None
    flash("Choose your own password to continue: the one your administrator gave you is for your first sign-in.")
    return redirect(url_for("auth.password"))


def seconds_left():
    """Seconds until the current session ends: the idle or the absolute limit, whichever is nearer."""
    cfg = current_app.config
    now = _now()
    idle = session.get("seen_at", now) + cfg["SESSION_IDLE_TIMEOUT"].total_seconds() - now
    absolute = session.get("login_at", now) + cfg["SESSION_ABSOLUTE_TIMEOUT"].total_seconds() - now
    return max(0, int(min(idle, absolute)))
