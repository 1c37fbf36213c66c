"""Training bookings and completions, and compliance reasons from the policy data."""

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from licensing.compliance.evaluate import holder_compliance, population_compliance
from licensing.errors import ConflictError
from licensing.extensions import db
from licensing.models import AuditEvent, Booking, BookingStatus, CheckKind, ComplianceCheck
from licensing.policy.requirements import edition_on
from licensing.training.operations import TrainingError, book, cancel_booking, complete_booking
from tests.support.training_data import add_check, make_driver, safeguarding_session, write_policy


def _drivers(n, prefix="H"):
    return [make_driver(f"{prefix}{i}", issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2029, 1, 1))[0]
            for i in range(n)]


def test_a_full_session_refuses_more_bookings_until_a_place_is_freed(officer):
    session = safeguarding_session(officer, dt.date(2026, 3, 1), capacity=2)
    first, second, third = _drivers(3)
    booking = book(officer, session.id, first.id)
    book(officer, session.id, second.id)
    db.session.commit()
    with pytest.raises(TrainingError, match="full"):
        book(officer, session.id, third.id)
    db.session.rollback()
    with pytest.raises(TrainingError, match="already booked"):
        book(officer, session.id, first.id)
    db.session.rollback()
    cancel_booking(officer, db.session.get(Booking, booking.id))
    book(officer, session.id, third.id)
    db.session.commit()
    statuses = db.session.scalars(sa.select(Booking.status).where(Booking.session_id == session.id)).all()
    assert sorted(statuses) == sorted([BookingStatus.CANCELLED, BookingStatus.BOOKED, BookingStatus.BOOKED])


@pytest.mark.clean_database  # writers in threads, each on its own connection
def test_concurrent_bookings_never_exceed_capacity(app, officer):
    session = safeguarding_session(officer, dt.date(2026, 3, 1), capacity=3)
    holder_ids = [h.id for h in _drivers(8)]
    db.session.commit()
    session_id, outcomes, barrier = session.id, [], threading.Barrier(8)

    def attempt(holder_id):
        with app.app_context():
            barrier.wait()
            try:
                book(None, session_id, holder_id)
                db.session.commit()
                outcomes.append("booked")
            except TrainingError:
                db.session.rollback()
                outcomes.append("full")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(h,)) for h in holder_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["booked"] * 3 + ["full"] * 5
    assert db.session.scalar(sa.select(sa.func.count(Booking.id)).where(Booking.session_id == session_id)) == 3


def test_completing_safeguarding_training_writes_the_check_and_satisfies_the_requirement(officer):
    holder, _ = make_driver("S1", issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2029, 1, 1))
    session = safeguarding_session(officer, dt.date(2026, 3, 1))
    booking = book(officer, session.id, holder.id)
    db.session.commit()
    before = holder_compliance(holder.id, dt.date(2026, 3, 2))
    assert "safeguarding_training" in {r.requirement for r in before.reasons}
    with pytest.raises(TrainingError, match="before the session"):
        complete_booking(officer, booking, completed_on=dt.date(2026, 2, 1), certificate_reference="X")
    with pytest.raises(ConflictError, match="was changed by .* while you were editing it"):
        complete_booking(officer, booking, completed_on=dt.date(2026, 3, 1), certificate_reference="X", version=99)
    complete_booking(officer, booking, completed_on=dt.date(2026, 3, 1), certificate_reference="SG/123",
                     today=dt.date(2026, 3, 2))
    db.session.commit()
    check = db.session.scalars(sa.select(ComplianceCheck).where(ComplianceCheck.holder_id == holder.id)).one()
    assert (check.kind, check.reference, check.expires_on) == (
        CheckKind.SAFEGUARDING_TRAINING, "SG/123", dt.date(2029, 3, 1))
    after = holder_compliance(holder.id, dt.date(2026, 3, 2))
    assert "safeguarding_training" not in {r.requirement for r in after.reasons}
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "training.completed"))
    with pytest.raises(TrainingError, match="completed cannot become"):
        complete_booking(officer, booking, completed_on=dt.date(2026, 3, 1), certificate_reference="again")


def test_compliance_lists_every_overdue_requirement_with_the_date_it_fell_due(ctx):
    holder, licence = make_driver("C1", issued_on=dt.date(2019, 6, 1), expires_on=dt.date(2022, 6, 1),
                                  dob=dt.date(1980, 6, 1))
    for kind in ("dbs_update_service", "medical_group2", "dvla"):
        add_check(holder, kind, dt.date(2019, 6, 1))
    add_check(holder, "safeguarding_training", dt.date(2019, 5, 1), expires_on=dt.date(2022, 5, 1))
    db.session.commit()
    status = holder_compliance(holder.id, dt.date(2020, 1, 1))
    assert not status.compliant
    assert [(r.requirement, r.due_on) for r in status.reasons] == [
        ("disability_awareness", dt.date(2019, 8, 30)),  # within 90 days of grant
        ("dbs_update_service", dt.date(2019, 12, 1)),  # every 6 months
    ]
    due = {i.requirement: i.due_on for i in status.items}
    assert due["medical_group2"] == dt.date(2025, 6, 1)  # at 45
    assert due["dvla"] == dt.date(2020, 6, 1)
    assert due["btec_qualification"] == dt.date(2022, 6, 1)  # by the next renewal
    assert due["licence_renewal"] == dt.date(2022, 6, 1)
    # The population path gives the same answer as the single holder.
    assert population_compliance(dt.date(2020, 1, 1))[holder.id].reasons == status.reasons


def test_a_failed_or_future_check_does_not_count(ctx):
    holder, _ = make_driver("C2", issued_on=dt.date(2016, 1, 1), expires_on=dt.date(2019, 1, 1))
    from licensing.models import CheckResult

    add_check(holder, "dvla", dt.date(2016, 1, 1), result=CheckResult.FAIL)
    add_check(holder, "dbs_update_service", dt.date(2016, 6, 1))
    db.session.commit()
    reasons = {r.requirement: r.due_on for r in holder_compliance(holder.id, dt.date(2016, 3, 1)).reasons}
    assert reasons["dvla"] == dt.date(2016, 1, 1)
    assert reasons["dbs_update_service"] == dt.date(2016, 1, 1)  # the June check had not happened yet


def test_a_new_policy_edition_changes_requirements_from_its_effective_date(ctx):
    holder, _ = make_driver("P1", issued_on=dt.date(2018, 6, 1), expires_on=dt.date(2021, 6, 1))
    db.session.commit()
    before = {i.requirement for i in holder_compliance(holder.id, dt.date(2019, 3, 31)).items}
    after = {i.requirement for i in holder_compliance(holder.id, dt.date(2019, 4, 1)).items}
    assert after - before == {"btec_qualification", "disability_awareness"}
    assert edition_on(dt.date(2019, 4, 1)).edition == "2019-04"


def test_policy_read_from_another_file_needs_no_code_change(app, ctx, tmp_path):
    rules = {"licence_renewal": {"label": "Licence renewal", "source": "licence"},
             "dvla": {"label": "DVLA", "source": "check", "deadline": {"rule": "fixed_date", "date": "2027-03-01"},
                      "refresh_months": 3}}
    newer = {"edition": "2027-01", "title": "Tighter DVLA checks", "effective_from": "2027-01-01",
             "requirements": {}, "ongoing": {"private_hire_driver": ["licence_renewal", "dvla"]}, "rules": rules}
    app.config["REQUIREMENTS_FILE"] = write_policy(
        tmp_path, {"private_hire_driver": ["licence_renewal"]}, {"licence_renewal": rules["licence_renewal"]},
        extra_editions=[newer])
    holder, _ = make_driver("P2", issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2029, 1, 1))
    add_check(holder, "dvla", dt.date(2026, 12, 1))
    db.session.commit()
    assert holder_compliance(holder.id, dt.date(2026, 12, 31)).compliant
    status = holder_compliance(holder.id, dt.date(2027, 3, 2))
    assert [(r.requirement, r.due_on) for r in status.reasons] == [("dvla", dt.date(2027, 3, 1))]


def test_group2_medical_at_grant_at_45_every_five_years_to_65_then_yearly():
    rule = edition_on(dt.date(2026, 1, 1)).rules["medical_group2"]
    dob = dt.date(1960, 2, 29)
    assert rule.next_due(dt.date(2000, 1, 1), None, dob) == dt.date(2005, 3, 1)  # 45th birthday
    assert rule.next_due(dt.date(2005, 3, 1), None, dob) == dt.date(2010, 3, 1)
    assert rule.next_due(dt.date(2023, 1, 1), None, dob) == dt.date(2025, 3, 1)  # capped at 65
    assert rule.next_due(dt.date(2025, 3, 1), None, dob) == dt.date(2026, 3, 1)
