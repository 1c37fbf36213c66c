"""Looking at the database directly from a test (inside an app context)."""

import sqlalchemy as sa

from licensing.extensions import db


def count_rows(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))
