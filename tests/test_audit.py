import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from licensing.audit import changes, record, snapshot
from licensing.extensions import db
from licensing.models import AuditEvent, LicenceHolder


def _holder():
    holder = LicenceHolder(holder_ref="H1", first_name="Ann", last_name="Driver")
    db.session.add(holder)
    return holder


def test_record_writes_who_what_before_after_and_reason(ctx):
    holder = _holder()
    event = record(None, "holder.create", holder, after=snapshot(holder), reason="new application")
    db.session.commit()
    stored = db.session.get(AuditEvent, event.id)
    assert stored.entity_type == "licence_holders"
    assert stored.entity_id == holder.id
    assert stored.holder_id == holder.id
    assert stored.after["last_name"] == "Driver"
    assert stored.reason == "new application"
    assert stored.occurred_at is not None


def test_audit_row_rolls_back_with_the_change(ctx):
    holder = _holder()
    record(None, "holder.create", holder)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LicenceHolder)) == 0


def test_changes_keeps_only_differing_fields():
    before, after = changes({"a": 1, "b": 2}, {"a": 1, "b": 3})
    assert before == {"b": 2} and after == {"b": 3}


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET reason = 'tampered'",
    "DELETE FROM audit_events",
])
def test_database_refuses_to_change_audit_rows(ctx, statement):
    record(None, "system.test", entity_type="system", reason="original")
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(sa.text(statement))
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(sa.select(AuditEvent.reason)) == "original"


def test_postgresql_refuses_truncate_of_audit_rows(ctx, engine_name):
    if engine_name != "postgresql":
        return  # SQLite has no TRUNCATE; its DELETE is refused above
    record(None, "system.test", entity_type="system")
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(sa.text("TRUNCATE audit_events"))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 1
