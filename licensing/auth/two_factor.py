"""The second factor: TOTP codes from an authenticator app, and one-time recovery codes."""

import hashlib
import secrets

import pyotp
import segno
import sqlalchemy as sa

from licensing.audit import record
from licensing.errors import DomainError
from licensing.extensions import db
from licensing.models import RecoveryCode
from licensing.models.base import utcnow
from licensing.models.users import new_session_token

RECOVERY_CODE_COUNT = 10
ISSUER = "Taxi licensing"


class SecondFactorError(DomainError):
    """A code that does not prove the second factor."""


def new_secret():
    return pyotp.random_base32()


def qr_code_data_uri(user, secret, issuer=ISSUER):
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)
    return segno.make(uri, error="m").svg_data_uri(scale=5, dark="#0b0c0c", light="#ffffff")


def _matching_step(secret, code, now):
    """The time step a 6-digit code belongs to (now, or one step either side), or None."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _hash_recovery(code):
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def confirm_enrolment(user, secret, code, now=None):
    """Save the secret once the user proves their app shows the right code; return recovery codes."""
    now = now or utcnow()
    step = _matching_step(secret, (code or "").strip(), now)
    if step is None:
        raise SecondFactorError("The code is not correct. Enter the 6-digit code your app shows now")
    user.totp_secret = secret
    user.totp_confirmed_at = now
    user.totp_last_step = step
    codes = replace_recovery_codes(user)
    record(user, "auth.two_factor_enrolled", user)
    return codes


def replace_recovery_codes(user):
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_recovery(c)) for c in codes)
    return codes


def verify_second_factor(user, code, now=None):
    """Accept a TOTP code (each time step once only) or an unused recovery code."""
    now = now or utcnow()
    code = (code or "").strip().replace(" ", "")
    if not user.has_second_factor:
        raise SecondFactorError("Set up your authenticator app first")
    if code.isdigit() and len(code) == 6:
        step = _matching_step(user.totp_secret, code, now)
        if step is None or step <= user.totp_last_step:
            raise SecondFactorError("The code is not correct or has already been used. Wait for a new code")
        user.totp_last_step = step
        return "totp"
    recovery = db.session.execute(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery(code),
            RecoveryCode.used_at.is_(None),
        )
    ).scalar_one_or_none()
    if recovery is None:
        raise SecondFactorError("The code is not correct or has already been used. Wait for a new code")
    recovery.used_at = now
    record(user, "auth.recovery_code_used", user)
    return "recovery"


def reset_second_factor(actor, user, reason):
    """An administrator clears a lost authenticator; the user enrols again at next sign-in."""
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = 0
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.session_token = new_session_token()
    record(actor, "user.two_factor_reset", user, reason=reason)
