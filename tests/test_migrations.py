"""The schema comes only from migrations, and the migrations match the models."""

import pathlib

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from licensing.extensions import db

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models and migrations differ: {differences}"


def test_migrations_downgrade_and_upgrade_cleanly(app):
    with app.app_context():
        downgrade(revision="base")
        tables = set(db.inspect(db.engine).get_table_names())
        assert tables <= {"alembic_version"}
        upgrade()
        assert "audit_events" in db.inspect(db.engine).get_table_names()


def test_nothing_outside_tests_calls_create_all():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("licensing", "migrations", "bench")
        if (ROOT / folder).exists()
        for path in (ROOT / folder).rglob("*.py")
        if "create_all(" in path.read_text()
    ]
    assert offenders == []


def test_migration_files_follow_the_naming_rule():
    names = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
    assert names, "no migrations found"
    for index, name in enumerate(names, start=1):
        assert name.startswith(f"{index:04d}_"), name
