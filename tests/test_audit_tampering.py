"""The audit trail cannot be rewritten by the application, and what a superuser rewrites is found.

The review's routes: as the table owner, disable the trigger and delete the 5 oldest rows; delete
the 3 newest and point the head at the new last row; edit a row and re-chain every later row and
the head with the application's own hash function. Each is detected by `flask audit verify`
against the signed checkpoints written outside the database. On PostgreSQL the application's own
role (tests/support/postgres.py APP_ROLE) cannot take the trigger route at all."""

import json

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.exc import DBAPIError

from licensing.audit import GENESIS, record, row_hash_of
from licensing.extensions import db
from licensing.models import AuditEvent, LicenceHolder
from tests.conftest import build_app
from tests.support.postgres import APP_ROLE

ROWS = 20


def _trail(app, rows=ROWS):
    with app.app_context():
        for i in range(rows):
            record(None, "system.tick", entity_type="system", after={"i": i}, reason="original")
        db.session.commit()


def _as_superuser(app, engine_name, *statements):
    """Rewrite the table with its triggers out of the way (what an owner who disables them can do)."""
    with app.app_context():
        if engine_name == "postgresql":
            db.session.execute(sa.text("SET session_replication_role = replica"))
        else:
            db.session.execute(sa.text("DROP TRIGGER IF EXISTS audit_events_no_update"))
            db.session.execute(sa.text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
        for statement in statements:
            db.session.execute(sa.text(statement))
        if engine_name == "postgresql":
            db.session.execute(sa.text("SET session_replication_role = origin"))
        db.session.commit()


def _rechain_after(app, engine_name, first_id):
    """Recompute every hash from row `first_id` on, and the head, as the tamperer would."""
    with app.app_context():
        rows = db.session.execute(sa.select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
        previous = GENESIS
        updates = []
        for event in rows:
            values = {c: getattr(event, c) for c in ("occurred_at", "actor_id", "action", "entity_type",
                                                      "entity_id", "holder_id", "before", "after", "reason")}
            new = row_hash_of(values, previous) if event.id >= first_id else event.row_hash
            updates.append((event.id, previous if event.id >= first_id else event.prev_hash, new))
            previous = new
        count = len(rows)
    _as_superuser(app, engine_name, *[
        f"UPDATE audit_events SET prev_hash = '{prev}', row_hash = '{new}' WHERE id = {row_id}"
        for row_id, prev, new in updates
    ], f"UPDATE audit_chain_head SET last_hash = '{previous}', length = {count}")


def _verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


@pytest.fixture
def signed(app, tmp_path):
    app.config["AUDIT_CHECKPOINT_FILE"] = str(tmp_path / "checkpoints.jsonl")
    yield app
    app.config["AUDIT_CHECKPOINT_FILE"] = ""


def _checkpoint(app):
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    return result


def test_an_intact_trail_with_checkpoints_verifies(signed):
    _trail(signed)
    assert "20 rows" in _checkpoint(signed).output
    _trail(signed, 5)
    _checkpoint(signed)
    result = _verify(signed)
    assert result.exit_code == 0, result.output
    assert "25 rows, chain intact, 2 signed checkpoint(s) hold" in result.output
    with open(signed.config["AUDIT_CHECKPOINT_FILE"]) as written:
        lines = written.read().splitlines()
    assert [json.loads(line)["rows"] for line in lines] == [20, 25]


def test_deleting_the_oldest_rows_is_detected(signed, engine_name):
    _trail(signed)
    _as_superuser(signed, engine_name, "DELETE FROM audit_events WHERE id <= 5",
                  f"UPDATE audit_chain_head SET length = {ROWS - 5}")
    result = _verify(signed)
    assert result.exit_code == 1 and "oldest row does not start the chain" in result.output


def test_deleting_the_newest_rows_and_moving_the_head_is_detected(signed, engine_name):
    _trail(signed)
    _checkpoint(signed)
    with signed.app_context():
        new_last = db.session.scalar(sa.select(AuditEvent.row_hash).order_by(AuditEvent.id.desc()).offset(3).limit(1))
    _as_superuser(signed, engine_name, f"DELETE FROM audit_events WHERE id > {ROWS - 3}",
                  f"UPDATE audit_chain_head SET last_hash = '{new_last}', length = {ROWS - 3}")
    result = _verify(signed)
    assert result.exit_code == 1 and f"its row {ROWS} is missing" in result.output


def test_an_edit_followed_by_rechaining_is_detected(signed, engine_name):
    _trail(signed)
    _checkpoint(signed)
    _as_superuser(signed, engine_name, "UPDATE audit_events SET reason = 'nothing to see' WHERE id = 12")
    _rechain_after(signed, engine_name, 12)
    result = _verify(signed)
    assert result.exit_code == 1
    assert "is not the row signed then" in result.output and "edited and re-chained" in result.output
    assert "content does not match" not in result.output  # the chain itself is consistent again


def test_a_checkpoint_file_edited_by_hand_is_refused(signed):
    _trail(signed)
    _checkpoint(signed)
    path = signed.config["AUDIT_CHECKPOINT_FILE"]
    with open(path) as written:
        point = json.loads(written.read())
    point["rows"] = 3
    with open(path, "a") as out:
        out.write(json.dumps(point) + "\n")
    result = _verify(signed)
    assert result.exit_code == 1 and "checkpoint line 2: not signed" in result.output


def test_the_head_count_must_match_the_rows(signed, engine_name):
    _trail(signed)
    _as_superuser(signed, engine_name, f"UPDATE audit_chain_head SET length = {ROWS + 4}")
    result = _verify(signed)
    assert result.exit_code == 1 and f"counts {ROWS + 4} rows but {ROWS} are stored" in result.output


@pytest.mark.clean_database  # the job's lock is taken on a connection of its own
def test_the_scheduler_job_writes_a_checkpoint(signed):
    from licensing.jobs.runner import run_job

    _trail(signed, 3)
    with signed.app_context():
        run = run_job("audit_checkpoint")
        assert run.counts == {"written": 1, "rows": 3}
    assert _verify(signed).exit_code == 0


@pytest.fixture
def owned_database(postgres):
    """A database migrated by the owner role; the application's role granted by `flask grant-app-role`."""
    owner_url, app_url = postgres.create_owned_database("licensing_roles")
    owner_app = build_app(owner_url)
    with owner_app.app_context():
        upgrade()
    result = owner_app.test_cli_runner().invoke(args=["grant-app-role", APP_ROLE])
    assert result.exit_code == 0, result.output
    with owner_app.app_context():
        db.engine.dispose()
    yield owner_app, build_app(app_url)
    postgres.psql('DROP DATABASE "licensing_roles" WITH (FORCE)')


ATTEMPTS = [
    "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change",
    "ALTER TABLE audit_events DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_events_no_change ON audit_events",
    "DELETE FROM audit_events WHERE id <= 5",
    "UPDATE audit_events SET reason = 'tampered'",
    "TRUNCATE audit_events",
    "ALTER TABLE audit_events OWNER TO licensing_app",
    "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$ BEGIN RETURN OLD; END $$ "
    "LANGUAGE plpgsql",
    "SET session_replication_role = replica",
    "DELETE FROM issued_letters",
]


def test_the_application_role_cannot_rewrite_the_audit_trail(owned_database):
    owner_app, app = owned_database
    with app.app_context():
        # The application's ordinary work goes on as its own role.
        holder = LicenceHolder(holder_ref="ROLE1", first_name="Ann", last_name="Driver")
        db.session.add(holder)
        record(None, "holder.create", holder, reason="original")
        for i in range(9):
            record(None, "system.tick", entity_type="system", after={"i": i})
        db.session.commit()
        assert db.session.execute(sa.text("SELECT current_user")).scalar() == APP_ROLE
        refused = 0
        for statement in ATTEMPTS:
            try:
                db.session.execute(sa.text(statement))
                db.session.flush()
            except DBAPIError as error:
                assert "permission denied" in str(error) or "must be owner" in str(error) \
                    or "append-only" in str(error), (statement, str(error))
                refused += 1
            db.session.rollback()
        assert refused == len(ATTEMPTS)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 10
        db.session.remove()
        db.engine.dispose()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "10 rows, chain intact" in result.output
    assert "warning" not in result.output
    owner = owner_app.test_cli_runner().invoke(args=["audit", "verify"])
    assert "this database role owns the audit table" in owner.output
    with owner_app.app_context():
        db.engine.dispose()


def test_grant_refuses_the_owner_itself(owned_database):
    owner_app, _ = owned_database
    result = owner_app.test_cli_runner().invoke(args=["grant-app-role", "licensing_owner"])
    assert result.exit_code != 0 and "needs a role of its own" in result.output
    with owner_app.app_context():
        db.engine.dispose()
