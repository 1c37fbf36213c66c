"""The bulk demo generator at small sizes, on both engines: counts, references, determinism, audit chain."""

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import aliased

from licensing.audit import verify_chain
from licensing.demo.council import SCALES, build_demo_council, ensure_demo_users
from licensing.extensions import db
from licensing.models import (
    AuditEvent,
    Complaint,
    ComplianceCheck,
    EnforcementAction,
    Hearing,
    HearingDecision,
    HearingListing,
    Licence,
    LicenceApplication,
    LicenceHolder,
    ReviewCase,
    Role,
    User,
    Vehicle,
)
from licensing.reports.measure import measures
from tests.support.database import count_rows as _count

TODAY = dt.date(2026, 11, 22)


def _orphans(child, column, parent):
    """Rows of `child` whose `column` names no row of `parent`."""
    other = aliased(parent)
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(child)
        .outerjoin(other, column == other.id).where(column.is_not(None), other.id.is_(None))
    )


def test_bulk_demo_counts_references_and_audit(ctx):
    ensure_demo_users()
    counts = build_demo_council(people=600, operators=12, vehicle_share=0.8, seed=11, today=TODAY)
    db.session.commit()
    assert counts["holders"] == _count(LicenceHolder) == 612
    assert counts["vehicles"] == _count(Vehicle) and 420 < counts["vehicles"] < 540  # about 80% of drivers
    assert counts["checks"] == _count(ComplianceCheck) and counts["checks"] > 600 * 10  # dated checks with history
    assert counts["cases"] == _count(ReviewCase) and 80 < counts["cases"] < 160  # about 1 in 5 drivers
    assert _count(Hearing) == counts["hearings"] > 5
    assert _count(HearingDecision) == counts["decisions"] > 5
    assert counts["complaints"] > 30 and counts["actions"] > 5 and counts["applications"] > 612
    for child, column, parent in [
        (Licence, Licence.holder_id, LicenceHolder), (Licence, Licence.vehicle_id, Vehicle),
        (Licence, Licence.operator_licence_id, Licence), (Vehicle, Vehicle.proprietor_id, LicenceHolder),
        (ComplianceCheck, ComplianceCheck.licence_id, Licence), (ReviewCase, ReviewCase.holder_id, LicenceHolder),
        (HearingListing, HearingListing.case_id, ReviewCase), (HearingDecision, HearingDecision.action_id,
                                                                EnforcementAction),
        (Complaint, Complaint.case_id, ReviewCase), (LicenceApplication, LicenceApplication.licence_id, Licence),
    ]:
        assert _orphans(child, column, parent) == 0, (child, column)
    # Every held hearing's listings have a decision; decided cases agree with the licence's status.
    held = db.session.scalar(
        sa.select(sa.func.count()).select_from(HearingListing).join(Hearing)
        .outerjoin(HearingDecision, HearingDecision.listing_id == HearingListing.id)
        .where(Hearing.status == "held", HearingDecision.id.is_(None)))
    assert held == 0
    revoked = db.session.execute(
        sa.select(Licence.status).join(EnforcementAction, EnforcementAction.licence_id == Licence.id)
        .where(EnforcementAction.kind == "revocation", EnforcementAction.status == "effective")).scalars().all()
    assert revoked and all(status in ("revoked", "expired") for status in revoked)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Licence).where(Licence.status == "applied")) > 0
    # The load joined the tamper-evident chain: one row per holder and one for the load.
    # Six demo accounts; the two deciding bodies, their four powers and the sub-committee's two
    # members; the holders; the load.
    assert _count(AuditEvent) == 6 + 8 + 612 + 1
    checked, problems = verify_chain()
    assert problems == [] and checked == _count(AuditEvent)
    # Ids continue after the bulk load: the next ordinary insert works.
    holder = LicenceHolder(holder_ref="AFTER1", kind="person", last_name="After")
    db.session.add(holder)
    db.session.commit()
    assert holder.id == 613


def _fingerprint():
    return [
        db.session.execute(sa.select(LicenceHolder.holder_ref, LicenceHolder.last_name, LicenceHolder.date_of_birth)
                           .order_by(LicenceHolder.id)).all(),
        db.session.execute(sa.select(ComplianceCheck.kind, ComplianceCheck.completed_on, ComplianceCheck.expires_on)
                           .order_by(ComplianceCheck.id)).all(),
        db.session.execute(sa.select(ReviewCase.state, ReviewCase.outcome, ReviewCase.holder_id)
                           .order_by(ReviewCase.id)).all(),
        db.session.execute(sa.select(Hearing.starts_at).order_by(Hearing.id)).all(),
    ]


def test_the_same_seed_gives_the_same_council_on_either_engine(ctx, tmp_path):
    from flask_migrate import upgrade

    from tests.conftest import build_app

    ensure_demo_users()
    build_demo_council(holders=300, seed=4, today=TODAY)
    db.session.commit()
    here = _fingerprint()
    other = build_app(f"sqlite:///{tmp_path / 'other.db'}")
    with other.app_context():
        upgrade()
        ensure_demo_users()
        build_demo_council(holders=300, seed=4, today=TODAY)
        db.session.commit()
        there = _fingerprint()
        db.session.remove()
        db.engine.dispose()
    assert here == there


def test_demo_data_command_takes_a_named_scale(app):
    assert SCALES["london"] == {"people": 150_000, "operators": 3_000, "vehicle_share": 0.8}
    result = app.test_cli_runner().invoke(args=["demo-data", "--holders", "120", "--seed", "2",
                                                "--today", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert "120 holders" in result.output and "cases" in result.output and "hearings" in result.output
    bad = app.test_cli_runner().invoke(args=["demo-data", "--scale", "paris"])
    assert bad.exit_code != 0


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # the full-size council: one engine
def test_the_demo_councils_adherence_rises_and_panel_members_propose(ctx):
    """The demo as `make run` loads it: measure 3.A4 climbs quarter by quarter towards the target
    (fewer late renewals each quarter), and hearing proposals are made by panel members."""
    ensure_demo_users()
    build_demo_council(holders=1220, seed=2015, today=dt.date(2026, 12, 4))
    db.session.commit()
    ends = [dt.date(2025, 12, 31), dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30)]
    found = measures(ends)
    percentages = [found[day].percentage for day in ends]
    assert all(85 <= p <= 99 for p in percentages), percentages
    assert all(a < b for a, b in zip(percentages, percentages[1:], strict=False)), percentages
    proposers = db.session.execute(
        sa.select(User.role).join(HearingListing, HearingListing.proposed_by_id == User.id)).scalars().all()
    assert proposers and set(proposers) == {Role.PANEL}, set(proposers)
