"""Failed sign-in counts that slow guessing down (held in the database, so every worker sees them)."""

import sqlalchemy as sa

from licensing.extensions import db


class LoginThrottle(db.Model):
    """One key's recent failures: an account from one address, an address, or an account.

    The key is a keyed hash, so the table holds no e-mail or network address."""

    __tablename__ = "login_throttles"

    key = sa.Column(sa.String(64), primary_key=True)
    kind = sa.Column(sa.String(16), nullable=False)  # pair | address | account
    failures = sa.Column(sa.Integer, nullable=False, default=0)
    last_failed_at = sa.Column(sa.DateTime, nullable=False)
    wait_until = sa.Column(sa.DateTime)

    __table_args__ = (sa.Index("ix_login_throttles_last_failed_at", "last_failed_at"),)
