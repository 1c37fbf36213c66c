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


def test_each_row_is_chained_to_the_one_before(ctx):
    first = record(None, "system.one", entity_type="system")
    second = record(None, "system.two", entity_type="system", after={"x": 1})
    db.session.commit()
    assert second.prev_hash == first.row_hash
    from licensing.audit import verify_chain

    assert verify_chain() == (2, [])


def _tamper(statement, engine_name):
    """Alter audit rows as a database superuser would, bypassing the append-only triggers."""
    if engine_name == "postgresql":
        db.session.execute(sa.text("SET session_replication_role = replica"))
        db.session.execute(sa.text(statement))
        db.session.execute(sa.text("SET session_replication_role = origin"))
    else:
        db.session.execute(sa.text("DROP TRIGGER audit_events_no_update"))
        db.session.execute(sa.text("DROP TRIGGER audit_events_no_delete"))
        db.session.execute(sa.text(statement))
    db.session.commit()


@pytest.mark.parametrize("statement,expected", [
    ("UPDATE audit_events SET reason = 'nothing to see' WHERE action = 'system.two'", "content does not match"),
    ("DELETE FROM audit_events WHERE action = 'system.two'", "does not link"),
    ("DELETE FROM audit_events WHERE action = 'system.three'", "newest audit row"),
])
def test_verify_detects_edits_and_removals(app, engine_name, statement, expected):
    with app.app_context():
        for name in ("one", "two", "three"):
            record(None, f"system.{name}", entity_type="system", reason="original")
        db.session.commit()
        _tamper(statement, engine_name)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert expected in result.output


def test_verify_passes_on_an_intact_trail(app):
    with app.app_context():
        for i in range(30):
            record(None, "system.tick", entity_type="system", after={"i": i, "when": "2026-11-22"})
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "30 rows, chain intact" in result.output


@pytest.mark.clean_database  # writers in threads, each on its own connection
def test_concurrent_writers_keep_one_chain(app):
    import threading

    def writer(n):
        with app.app_context():
            for i in range(10):
                record(None, "system.concurrent", entity_type="system", after={"writer": n, "i": i})
                db.session.commit()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with app.app_context():
        from licensing.audit import verify_chain

        assert verify_chain() == (40, [])


def test_bulk_rows_join_the_same_chain(ctx):
    from licensing.audit import chain_rows, verify_chain

    record(None, "system.before", entity_type="system")
    rows = [{"actor_id": None, "action": "import.row", "entity_type": "licence_holders", "entity_id": i,
             "holder_id": i, "before": None, "after": {"n": i}, "reason": "bulk"} for i in range(50)]
    db.session.execute(sa.insert(AuditEvent), chain_rows(db.session, rows))
    record(None, "system.after", entity_type="system")
    db.session.commit()
    assert verify_chain() == (52, [])
