"""Who may use the holder's own service. An online account is never a staff user: its session is
its own key in the signed cookie, so staff routes (Flask-Login) never see it and holder routes
never accept a staff sign-in. Holder routes carry the access rule HOLDER; each record a holder
names by id is checked against the account's own holder (`queries.own_licence`), else 404."""

import functools
import time

from flask import abort, current_app, g, redirect, request, session, url_for

from licensing.audit import record
from licensing.dbsetup import keep_refusal_record
from licensing.permissions import HOLDER
from licensing.portal.operations import account_by_session_token

SESSION_KEY = "online_account"


def start_online_session(account):
    session.pop("online_pending", None)
    session[SESSION_KEY] = {"token": account.session_token, "login_at": time.time(), "seen_at": time.time()}
    session.permanent = True


def end_online_session():
    session.pop(SESSION_KEY, None)
    session.pop("online_pending", None)


def _expired(state):
    config = current_app.config
    now = time.time()
    return (now - state.get("seen_at", 0) > config["SESSION_IDLE_TIMEOUT"].total_seconds()
            or now - state.get("login_at", 0) > config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds())


def signed_in_account():
    """The online account signed in in this browser, or None (also when its session timed out)."""
    if "online_account" in g:
        return g.online_account
    state = session.get(SESSION_KEY) or {}
    account = None if _expired(state) else account_by_session_token(state.get("token"))
    if account is None:
        session.pop(SESSION_KEY, None)
    else:
        state["seen_at"] = time.time()
        session[SESSION_KEY] = state
    g.online_account = account
    return account


def holder_service(view):
    """A page of the holder's own service: signed in with an online account."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        account = signed_in_account()
        if account is None:
            return redirect(url_for("portal.sign_in", next=request.path))
        return view(account, *args, **kwargs)

    wrapper.access_rule = HOLDER
    return wrapper


def linked_holder_id(account):
    """The register record the account acts for; 404 until an officer's code has linked it."""
    if account.holder_id is None:
        refuse_record(account, "the account is not linked to a licence record")
    return account.holder_id


def refuse_record(account, reason):
    """404 for a record that is not the holder's own (never 403: a holder must not learn which
    records exist), with the refusal kept in the audit trail."""
    record(None, "access.denied", account, reason=f"{request.method} {request.path}: {reason}")
    keep_refusal_record()
    abort(404)
