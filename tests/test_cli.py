import datetime as dt

import sqlalchemy as sa

from licensing.demo.council import build_demo_council, ensure_demo_users
from licensing.extensions import db
from licensing.models import Conviction, Licence, LicenceHolder, User


def test_users_create_reads_the_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "cli@example.gov.uk", "--name", "Cli Officer",
                                 "--role", "officer", "--clearance", "--password-stdin"],
                           input="a-very-long-cli-password\n")
    assert result.exit_code == 0, result.output
    assert "Created officer account cli@example.gov.uk" in result.output
    with app.app_context():
        user = db.session.execute(sa.select(User).filter_by(email="cli@example.gov.uk")).scalar_one()
        assert user.has_clearance and user.password_hash.startswith("$argon2id$")


def test_users_create_reports_bad_input(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "x@example.gov.uk", "--name", "X", "--role", "panel",
              "--clearance", "--password-stdin"], input="a-very-long-cli-password\n")
    assert result.exit_code != 0 and "Only licensing officers" in result.output


def test_demo_data_prints_logins_and_is_not_loaded_twice(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo-data", "--holders", "40", "--seed", "3", "--today", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert "officer@example.gov.uk" in result.output and "40 holders" in result.output
    again = runner.invoke(args=["demo-data", "--if-empty"])
    assert "already has data" in again.output
    from licensing.demo.online import STAGES

    sent_online = sum(stage != "draft" for _email, _name, _type, stage, _born, _sections in STAGES)
    with app.app_context():  # the generated 40, and a record for each demo application sent online
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LicenceHolder)) == 40 + sent_online


def _fingerprint():
    return db.session.execute(
        sa.select(LicenceHolder.holder_ref, LicenceHolder.last_name, LicenceHolder.date_of_birth)
        .order_by(LicenceHolder.holder_ref)
    ).all()


def test_demo_data_is_deterministic_and_matches_the_audit_profile(ctx):
    ensure_demo_users()
    counts = build_demo_council(holders=1220, seed=2015, today=dt.date(2026, 11, 22))
    db.session.commit()
    assert counts["holders"] == 1220
    people = db.session.scalar(sa.select(sa.func.count()).select_from(LicenceHolder).filter_by(kind="person"))
    with_offence = db.session.scalar(sa.select(sa.func.count(sa.distinct(Conviction.holder_id))))
    share = with_offence / people
    assert 0.42 <= share <= 0.52, share  # the source council's audit found 47%
    motoring = db.session.scalar(
        sa.select(sa.func.count()).select_from(Conviction).where(
            Conviction.category.in_(["minor_traffic", "major_traffic", "handheld_device",
                                     "drink_drug_driving", "vehicle_use"])))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Conviction))
    assert motoring / total > 0.5  # mostly motoring
    expiries = db.session.scalars(sa.select(Licence.expires_on).where(Licence.expires_on.is_not(None))).all()
    assert min(expiries) < dt.date(2026, 11, 22) < max(expiries)
    first = _fingerprint()
    ensure_demo_users()  # idempotent
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 6
    assert first[:3] == _fingerprint()[:3]


def test_same_seed_gives_the_same_people(app, tmp_path):
    from tests.conftest import build_app

    def people(seed, path):
        other = build_app(f"sqlite:///{path}")
        with other.app_context():
            from flask_migrate import upgrade

            upgrade()
            ensure_demo_users()
            build_demo_council(holders=30, seed=seed, today=dt.date(2026, 1, 1))
            db.session.commit()
            result = _fingerprint()
            db.engine.dispose()
        return result

    assert people(5, tmp_path / "a.db") == people(5, tmp_path / "b.db")
    assert people(5, tmp_path / "c.db") != people(6, tmp_path / "d.db")
