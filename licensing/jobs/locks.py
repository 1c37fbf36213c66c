"""One runner per job at a time: a PostgreSQL advisory lock, or a lock row on SQLite.

The lock lives on its own connection so the job itself may commit as often as it needs.
"""

import contextlib
import datetime as dt
import uuid
import zlib

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import JobLock
from licensing.models.base import utcnow

LOCK_TTL = dt.timedelta(hours=1)  # a crashed SQLite runner's lock row lapses after this


def lock_key(name):
    return zlib.crc32(f"licensing.job:{name}".encode())


@contextlib.contextmanager
def job_lock(name):
    """Yield True when this process holds the job's lock, False when another runner does."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            trans = conn.begin()
            try:
                got = conn.scalar(sa.text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": lock_key(name)})
                yield bool(got)
            finally:
                trans.rollback()  # ends the transaction and with it the lock
        return
    token = uuid.uuid4().hex
    with engine.begin() as conn:
        conn.execute(sa.insert(JobLock).prefix_with("OR IGNORE").values(name=name))
        now = utcnow()
        got = conn.execute(
            sa.update(JobLock)
            .where(JobLock.name == name, sa.or_(JobLock.locked_until.is_(None), JobLock.locked_until < now))
            .values(token=token, locked_until=now + LOCK_TTL)
        ).rowcount == 1
    try:
        yield got
    finally:
        if got:
            with engine.begin() as conn:
                conn.execute(
                    sa.update(JobLock).where(JobLock.name == name, JobLock.token == token)
                    .values(token=None, locked_until=None)
                )
