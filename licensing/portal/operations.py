"""Online accounts: sign-up with a confirmed e-mail address, sign-in with a password and an e-mailed
code, password reset, sign-out, and joining an account to the holder's record with an officer's code.

No answer tells a stranger whether an address has an account: sign-up, sign-in and reset say the
same thing either way, and a sign-up for a taken address e-mails its owner instead. Failed passwords
slow further attempts through the staff throttle (per account, per address, held in the database),
keyed apart from staff accounts.
"""

import datetime as dt

import sqlalchemy as sa
from flask import current_app

from licensing.audit import record
from licensing.auth import throttle
from licensing.auth.passwords import dummy_hash, hash_password, needs_rehash, password_problem, verify_password
from licensing.errors import DomainError
from licensing.extensions import db
from licensing.models import CodePurpose, HolderLinkCode, PortalAccount, PortalCode
from licensing.models.base import utcnow
from licensing.models.portal import new_portal_session_token
from licensing.portal import codes
from licensing.portal.mail import queue_account_email

SIGN_IN_REFUSED = "Enter a correct email address and password"
CODE_REFUSED = "The security code is wrong or has expired. Enter the latest code we sent you, or sign in again"


class PortalError(DomainError):
    """A change to an online account that cannot be made, with a message for the person."""


def _setting(name):
    return current_app.config[name]


def _throttle_key(email):
    return f"online:{email}"


def normalise_email(email):
    return (email or "").strip().lower()


def account_by_session_token(token):
    if not token:
        return None
    return db.session.execute(sa.select(PortalAccount).filter_by(session_token=token)).scalar_one_or_none()


def _account_by_email(email):
    return db.session.execute(sa.select(PortalAccount).filter_by(email=email)).scalar_one_or_none()


def _new_code(account, purpose, secret, lifetime, now):
    digest = codes.sign_in_code_hash(account.id, secret) if purpose == CodePurpose.SIGN_IN else codes.token_hash(secret)
    code = PortalCode(account_id=account.id, purpose=purpose, code_hash=digest, expires_at=now + lifetime)
    db.session.add(code)
    db.session.flush()
    return code


def sign_up(email, name, password, link_for, now=None):
    """Create an unconfirmed account and e-mail its confirmation link (`link_for(token)` makes the
    address). For an address already taken, e-mail its owner instead; the caller says the same."""
    now = now or utcnow()
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise PortalError("Enter an email address in the correct format, like name@example.com", field="email")
    problem = password_problem(password, (email, name, current_app.config["COUNCIL_NAME"]))
    if problem:
        raise PortalError(problem, field="password")
    existing = _account_by_email(email)
    if existing is not None:
        queue_account_email(existing, f"online:exists:{existing.id}:{now.isoformat()}",
                            "You already have an account",
                            "Someone tried to create an account with this email address, which already has one.\n"
                            "If it was you, sign in, or reset your password if you have forgotten it.\n"
                            "If it was not you, you need do nothing.")
        record(None, "online_account.sign_up_repeated", existing)
        return None
    account = PortalAccount(email=email, name=name.strip(), password_hash=hash_password(password))
    db.session.add(account)
    db.session.flush()
    token = codes.new_link_token()
    code = _new_code(account, CodePurpose.VERIFY_EMAIL, token, dt.timedelta(hours=24), now)
    queue_account_email(account, f"online:verify:{code.id}", "Confirm your email address",
                        f"Confirm your email address to finish creating your account:\n{link_for(token)}\n"
                        "The link works for 24 hours. If you did not ask for an account, you need do nothing.")
    record(None, "online_account.create", account, after={"email_domain": email.split("@")[1]})
    return account


def _use_link_token(token, purpose, now):
    """The unexpired, unused code for this link token, marked used; None if there is none."""
    code = db.session.execute(
        sa.select(PortalCode).where(PortalCode.code_hash == codes.token_hash(token or ""),
                                    PortalCode.purpose == purpose, PortalCode.used_at.is_(None),
                                    PortalCode.expires_at > now).with_for_update()
    ).scalar_one_or_none()
    if code is not None:
        code.used_at = now
    return code


def confirm_email(token, now=None):
    now = now or utcnow()
    code = _use_link_token(token, CodePurpose.VERIFY_EMAIL, now)
    if code is None:
        raise PortalError("This link has expired or has already been used. Sign in to get a new one.")
    account = code.account
    account.verified_at = account.verified_at or now
    record(None, "online_account.email_confirmed", account)
    return account


def check_password(email, password, address=None, now=None):
    """The account for these credentials, or PortalError; failures are throttled and audited."""
    now = now or utcnow()
    email = normalise_email(email)
    throttle.hold(_throttle_key(email), address, now)  # parallel guesses are checked one at a time
    wait = throttle.wait_seconds(_throttle_key(email), address, now)
    if wait:
        raise PortalError(f"Too many failed attempts. Wait {throttle.wait_text(wait)} and try again.",
                          field="password")
    account = _account_by_email(email)
    if account is None:
        verify_password(dummy_hash(), password)
    if account is None or not verify_password(account.password_hash, password):
        throttle.record_failure(_throttle_key(email), address, now)
        if account is not None:
            record(None, "online_account.login_failed", account)
        raise PortalError(SIGN_IN_REFUSED, field="password")
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    return account


def send_sign_in_code(account, link_for, now=None):
    """E-mail a fresh 6-digit code (earlier ones stop working), or the confirmation link again
    for an account whose address is not yet confirmed."""
    now = now or utcnow()
    if account.verified_at is None:
        token = codes.new_link_token()
        code = _new_code(account, CodePurpose.VERIFY_EMAIL, token, dt.timedelta(hours=24), now)
        queue_account_email(account, f"online:verify:{code.id}", "Confirm your email address",
                            f"Confirm your email address before you sign in:\n{link_for(token)}")
        return None
    db.session.execute(sa.update(PortalCode).where(
        PortalCode.account_id == account.id, PortalCode.purpose == CodePurpose.SIGN_IN,
        PortalCode.used_at.is_(None)).values(used_at=now))
    secret = codes.new_sign_in_code()
    minutes = _setting("PORTAL_CODE_MINUTES")
    code = _new_code(account, CodePurpose.SIGN_IN, secret, dt.timedelta(minutes=minutes), now)
    queue_account_email(account, f"online:code:{code.id}", "Your security code",
                        f"Your security code is {secret}\nIt works for {minutes} minutes. "
                        "Do not share it: the council will never ask you for it.")
    return code


def check_sign_in_code(account, entered, address=None, now=None):
    """Accept the latest code. Each guess is counted with one UPDATE, so concurrent guesses can
    never exceed the limit; after it the code is spent and a new sign-in is needed."""
    now = now or utcnow()
    entered = "".join(ch for ch in (entered or "") if ch.isdigit())
    code = db.session.execute(
        sa.select(PortalCode).where(PortalCode.account_id == account.id, PortalCode.purpose == CodePurpose.SIGN_IN,
                                    PortalCode.used_at.is_(None), PortalCode.expires_at > now)
        .order_by(PortalCode.id.desc()).limit(1)
    ).scalar_one_or_none()
    limit = _setting("PORTAL_CODE_ATTEMPTS")
    counted = code is not None and db.session.execute(
        sa.update(PortalCode).where(PortalCode.id == code.id, PortalCode.attempts < limit)
        .values(attempts=PortalCode.attempts + 1)
    ).rowcount == 1
    if not counted or code.code_hash != codes.sign_in_code_hash(account.id, entered):
        throttle.record_failure(_throttle_key(account.email), address, now)
        record(None, "online_account.code_failed", account)
        raise PortalError(CODE_REFUSED, field="code")
    db.session.execute(sa.update(PortalCode).where(PortalCode.id == code.id).values(used_at=now))
    return account


def complete_sign_in(account, address=None, now=None):
    throttle.clear(_throttle_key(account.email), address)
    account.last_login_at = now or utcnow()
    record(None, "online_account.login", account)


def sign_out(account):
    account.session_token = new_portal_session_token()
    record(None, "online_account.logout", account)


def request_password_reset(email, link_for, now=None):
    """E-mail a reset link if the address has an account; the caller says the same either way."""
    now = now or utcnow()
    account = _account_by_email(normalise_email(email))
    if account is None:
        return None
    token = codes.new_link_token()
    code = _new_code(account, CodePurpose.RESET_PASSWORD, token, dt.timedelta(hours=1), now)
    queue_account_email(account, f"online:reset:{code.id}", "Reset your password",
                        f"Use this link to choose a new password:\n{link_for(token)}\n"
                        "The link works for 1 hour. If you did not ask to reset your password, you need do nothing.")
    record(None, "online_account.reset_requested", account)
    return account


def reset_link_valid(token, now=None):
    now = now or utcnow()
    return db.session.execute(
        sa.select(PortalCode.id).where(PortalCode.code_hash == codes.token_hash(token or ""),
                                       PortalCode.purpose == CodePurpose.RESET_PASSWORD,
                                       PortalCode.used_at.is_(None), PortalCode.expires_at > now)
    ).first() is not None


def reset_password(token, new_password, now=None):
    now = now or utcnow()
    code = _use_link_token(token, CodePurpose.RESET_PASSWORD, now)
    if code is None:
        raise PortalError("This link has expired or has already been used. Ask for a new one.")
    account = code.account
    problem = password_problem(new_password, (account.email, account.name, current_app.config["COUNCIL_NAME"]))
    if problem:
        raise PortalError(problem, field="password")
    account.password_hash = hash_password(new_password)
    account.session_token = new_portal_session_token()
    account.verified_at = account.verified_at or now  # the link proved the address
    throttle.clear(_throttle_key(account.email), None)
    record(None, "online_account.password_reset", account)
    return account


def issue_holder_link_code(actor, holder, now=None):
    """An officer's one-time code joining the holder's online account to this record; returned
    once for the letter or the counter, kept only as a hash. Earlier unused codes stop working."""
    now = now or utcnow()
    db.session.execute(sa.update(HolderLinkCode).where(
        HolderLinkCode.holder_id == holder.id, HolderLinkCode.used_at.is_(None)).values(expires_at=now))
    secret = codes.new_holder_link_code()
    days = _setting("PORTAL_LINK_CODE_DAYS")
    link = HolderLinkCode(holder_id=holder.id, code_hash=codes.token_hash(codes.normalise_holder_link_code(secret)),
                          issued_by_id=actor.id, issued_at=now, expires_at=now + dt.timedelta(days=days))
    db.session.add(link)
    record(actor, "online_account.link_code_issued", link, holder_id=holder.id,
           after={"expires_at": link.expires_at.isoformat()})
    return secret, link


def link_account(account, entered, address=None, now=None):
    """Join the account to the holder whose code this is. Wrong codes count against the throttle."""
    now = now or utcnow()
    if account.holder_id is not None:
        raise PortalError("Your account is already linked to your licence record", field="code")
    wait = throttle.wait_seconds(_throttle_key(account.email), address, now)
    if wait:
        raise PortalError(f"Too many wrong codes. Wait {throttle.wait_text(wait)} and try again.", field="code")
    digest = codes.token_hash(codes.normalise_holder_link_code(entered))
    link = db.session.execute(
        sa.select(HolderLinkCode).where(HolderLinkCode.code_hash == digest, HolderLinkCode.used_at.is_(None),
                                        HolderLinkCode.expires_at > now).with_for_update()
    ).scalar_one_or_none()
    taken = link is not None and db.session.execute(
        sa.select(PortalAccount.id).filter_by(holder_id=link.holder_id)).first()
    if link is None or taken:
        throttle.record_failure(_throttle_key(account.email), address, now)
        record(None, "online_account.link_failed", account)
        raise PortalError("That code is not right or has expired. Check the letter, or ask the licensing team "
                          "for a new code", field="code")
    link.used_at, link.used_by_account_id = now, account.id
    account.holder_id, account.linked_at = link.holder_id, now
    record(None, "online_account.linked", account, holder_id=link.holder_id, after={"holder_id": link.holder_id})
    return account
