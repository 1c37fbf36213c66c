"""Sign-in throttling: a progressive delay per account and per address, never a lockout.

NCSC's advice is to slow guessing rather than lock accounts, since a lockout lets anyone keep an
officer out with a few wrong guesses. Three counts are kept, in the database so every worker
process sees them (figures in config.LOGIN_THROTTLE):

- pair: one e-mail address from one network address. The guesser's own door: after a few
  failures it waits, doubling each time, up to 15 minutes. Nobody else is slowed by it.
- address: one network address, any e-mail. One machine working through many accounts.
- account: one e-mail, counted in *distinct* network addresses that failed on it, so that 20
  wrong passwords from one place count once. It answers a spread-out attack on one officer, and
  its delay is capped at a minute so it can slow the officer's own sign-in but never stop it.

Keys are keyed hashes (HMAC with the secret key), so the table holds no e-mail or network address.
Unknown e-mail addresses are counted the same way, so the throttle does not tell which exist.
"""

import datetime as dt
import hashlib
import hmac

import sqlalchemy as sa
from flask import current_app

from licensing.extensions import db
from licensing.models import LoginThrottle
from licensing.models.base import utcnow


def _key(kind, value):
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _keys(email, address):
    email = (email or "").strip().lower()
    address = address or "unknown"
    return {"pair": _key("pair", f"{email}|{address}"), "address": _key("address", address),
            "account": _key("account", email)}


def delay_after(kind, failures):
    """Seconds the next attempt waits after `failures` failures counted on a key of this kind."""
    rule = current_app.config["LOGIN_THROTTLE"][kind]
    over = failures - rule["free"]
    if over <= 0:
        return 0
    return min(rule["first"] * 2 ** min(over - 1, 30), rule["cap"])


def wait_seconds(email, address, now=None):
    """How long before this e-mail may be tried from this address (0: now)."""
    now = now or utcnow()
    keys = list(_keys(email, address).values())
    waits = db.session.scalars(sa.select(LoginThrottle.wait_until).where(
        LoginThrottle.key.in_(keys), LoginThrottle.wait_until > now))
    longest = max(waits, default=None)
    return max(1, int((longest - now).total_seconds() + 0.999)) if longest else 0


def hold(email, address, now=None):
    """Take the lock on this e-mail's count from this address before an attempt is checked, held
    to the end of the transaction: parallel guesses are then checked one at a time, each seeing the
    failures before it, so every code or password checked is a failure counted (no race past the
    delay). Its row is created if need be."""
    _locked_row(_keys(email, address)["pair"], "pair", now or utcnow())


def _locked_row(key, kind, now):
    """The key's row, created if need be and locked for this transaction (two workers counting
    the same failure at once both count)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(LoginThrottle).values(key=key, kind=kind, failures=0, last_failed_at=now)
                       .on_conflict_do_nothing(index_elements=["key"]))
    row = db.session.execute(sa.select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()
                             .execution_options(populate_existing=True)).scalar_one()
    if now - row.last_failed_at > current_app.config["LOGIN_THROTTLE_WINDOW"]:
        row.failures, row.wait_until = 0, None
    return row


def _count(row, kind, now):
    row.failures += 1
    row.last_failed_at = now
    delay = delay_after(kind, row.failures)
    row.wait_until = now + dt.timedelta(seconds=delay) if delay else None


def record_failure(email, address, now=None):
    """Count one failed password or second-factor code; returns the pair's failure count."""
    now = now or utcnow()
    keys = _keys(email, address)
    db.session.execute(sa.delete(LoginThrottle).where(
        LoginThrottle.last_failed_at < now - current_app.config["LOGIN_THROTTLE_WINDOW"]))
    pair = _locked_row(keys["pair"], "pair", now)
    first_from_here = pair.failures == 0
    _count(pair, "pair", now)
    _count(_locked_row(keys["address"], "address", now), "address", now)
    account = _locked_row(keys["account"], "account", now)
    if first_from_here:
        _count(account, "account", now)
    return pair.failures


def clear(email, address):
    """A full sign-in: this account's own counts start again (the address's count stays, so one
    good sign-in cannot launder a machine's guesses at other accounts)."""
    keys = _keys(email, address)
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key.in_([keys["pair"], keys["account"]])))


def slowed_accounts(emails, now=None):
    """Which of `emails` are being slowed across addresses (the account's own delay), for the
    administrator's list of accounts."""
    now = now or utcnow()
    keys = {_keys(email, None)["account"]: email for email in emails}
    rows = db.session.scalars(sa.select(LoginThrottle.key).where(
        LoginThrottle.key.in_(keys), LoginThrottle.wait_until > now)) if keys else []
    return {keys[key] for key in rows}


def clear_account(email):
    """An administrator ends the account's own delay (its holder has confirmed who they are); the
    delays of the addresses that guessed stay."""
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == _keys(email, None)["account"]))


def wait_text(seconds):
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = (seconds + 59) // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
