"""Withdrawing a compliance check or a conviction as entered in error: it stops counting (compliance
per holder and set-based, the grant gate, assessments and campaigns) but stays on the holder page,
marked withdrawn, with its values in the audit trail."""

import datetime as dt
import html
import re

import pytest
import sqlalchemy as sa

from licensing.compliance.evaluate import holder_compliance
from licensing.errors import ConflictError
from licensing.extensions import db
from licensing.holders.checks import CHECK_KIND_VALUES, missing_for_decision
from licensing.holders.errors import RegisterError
from licensing.holders.operations.withdrawals import withdraw_check, withdraw_conviction
from licensing.models import (
    AuditEvent,
    Booking,
    BookingStatus,
    ComplianceCheck,
    Conviction,
    Course,
    CourseKind,
    Licence,
    LicenceHolder,
    TrainingSession,
)
from licensing.reports import measure
from licensing.reviews.operations import guidance as policy
from tests.conftest import login
from tests.support import register
from tests.support import reviews as build
from tests.support.register import TODAY, field_error

AS_AT = dt.date(2026, 1, 1)


def _text(page):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _completed_course(holder, satisfies):
    course = Course(code=f"C-{holder.id}-{satisfies}"[:40], title=satisfies, kind=CourseKind.REFRESHER,
                    satisfies=satisfies)
    db.session.add(course)
    db.session.flush()
    session = TrainingSession(course_id=course.id, held_on=TODAY - dt.timedelta(days=30), venue="Hall",
                              capacity=10, trainer="T")
    db.session.add(session)
    db.session.flush()
    db.session.add(Booking(session_id=session.id, holder_id=holder.id, status=BookingStatus.COMPLETED,
                           completed_on=session.held_on, certificate_reference="CERT-1"))


def _compliant_driver(officer, ref="WD1"):
    """An active driver with every ongoing requirement met by exactly one check or course each."""
    holder = build.holder(ref)
    for item in holder_compliance(holder.id, TODAY).reasons:
        if item.requirement not in CHECK_KIND_VALUES:
            _completed_course(holder, item.requirement)
            continue
        expires = None if item.requirement in ("nr3s_search", "right_to_work") else TODAY + dt.timedelta(days=365)
        register.add_check(officer, holder, item.requirement, expires_on=expires)
    db.session.flush()
    assert holder_compliance(holder.id, TODAY).compliant
    return holder


def _only_check(holder, kind):
    return db.session.execute(sa.select(ComplianceCheck).filter_by(holder_id=holder.id, kind=kind)).scalar_one()


def _overdue(holder_id):
    return sorted(i.requirement for i in holder_compliance(holder_id, TODAY).reasons)


def test_a_withdrawn_check_no_longer_counts_per_holder_or_set_based(officer):
    holder = _compliant_driver(officer)
    found = measure.measures([TODAY])[TODAY]
    assert (found.holders, found.holders_adhering) == (1, 1)
    assert measure.overdue_items(TODAY) == []

    withdraw_check(officer, _only_check(holder, "dvla"), "Recorded against the wrong driver")
    db.session.flush()

    assert _overdue(holder.id) == ["dvla"]
    found = measure.measures([TODAY])[TODAY]
    assert (found.holders, found.holders_adhering) == (1, 0)
    licence_id = db.session.execute(sa.select(Licence.id).filter_by(holder_id=holder.id)).scalar_one()
    assert measure.overdue_items(TODAY) == [(holder.id, licence_id, "dvla")]


def test_a_withdrawn_check_does_not_satisfy_the_grant_gate(officer):
    holder = register.person(officer)
    licence = register.driver_application(officer, holder)
    register.add_required_checks(officer, licence)
    assert missing_for_decision(licence, TODAY) == []
    withdraw_check(officer, _only_check(holder, "dbs_enhanced"), "Certificate belongs to someone else")
    assert any("Enhanced DBS" in problem for problem in missing_for_decision(licence, TODAY))


def test_withdrawing_a_check_is_audited_with_the_old_values_and_the_reason(officer):
    holder = _compliant_driver(officer, "WD2")
    check = _only_check(holder, "dvla")
    withdraw_check(officer, check, "  Duplicate entry  ", version=check.version)
    assert check.withdrawn_reason == "Duplicate entry" and check.withdrawn_by_id == officer.id
    event = db.session.execute(sa.select(AuditEvent).filter_by(action="check.withdrawn")).scalar_one()
    assert (event.entity_type, event.entity_id, event.holder_id) == ("compliance_checks", check.id, holder.id)
    assert event.reason == "Duplicate entry" and event.actor_id == officer.id
    assert event.before["kind"] == "dvla" and event.before["result"] == "pass" and event.before["withdrawn_at"] is None
    assert event.after["withdrawn_reason"] == "Duplicate entry" and event.after["withdrawn_at"]
    assert db.session.get(ComplianceCheck, check.id) is not None  # kept, not deleted


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_withdrawal_needs_a_reason(officer, reason):
    holder = _compliant_driver(officer, "WD3")
    check = _only_check(holder, "dvla")
    with pytest.raises(RegisterError) as refused:
        withdraw_check(officer, check, reason)
    assert refused.value.field == "reason" and check.withdrawn_at is None


def test_a_record_cannot_be_withdrawn_twice(officer):
    holder = _compliant_driver(officer, "WD4")
    check = _only_check(holder, "dvla")
    withdraw_check(officer, check, "Wrong driver")
    with pytest.raises(RegisterError, match="already withdrawn") as refused:
        withdraw_check(officer, check, "Again")
    assert refused.value.field == "reason" and check.withdrawn_reason == "Wrong driver"
    conviction = build.conviction(holder, "violence", dt.date(2018, 3, 1))
    withdraw_conviction(officer, conviction, "Wrong driver")
    with pytest.raises(RegisterError, match="already withdrawn"):
        withdraw_conviction(officer, conviction, "Again")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action.in_(["check.withdrawn", "conviction.withdrawn"]))) == 2


def test_a_stale_form_is_refused(officer):
    holder = _compliant_driver(officer, "WD5")
    check = _only_check(holder, "dvla")
    with pytest.raises(ConflictError) as refused:
        withdraw_check(officer, check, "Wrong driver", version=check.version + 1)
    assert refused.value.field == "version" and check.withdrawn_at is None


def _form_version(body):
    match = re.search(r'<input[^>]*name="version"[^>]*>', body)
    assert match, "no version field"
    return re.search(r'value="(\d+)"', match.group(0)).group(1)


def test_the_withdraw_pages_from_the_holder_page(app, client, users):
    with app.app_context():
        officer = register.user(users["officer"])
        holder = _compliant_driver(officer, "WD6")
        check_id, holder_id = _only_check(holder, "dvla").id, holder.id
        conviction_id = build.conviction(holder, "violence", dt.date(2018, 3, 1), offence="Assault").id
        db.session.commit()
    login(client, users["officer"])
    page = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    assert f"/holders/checks/{check_id}/withdraw" in page
    assert f"/holders/convictions/{conviction_id}/withdraw" in page

    form = client.get(f"/holders/checks/{check_id}/withdraw")
    body = form.get_data(as_text=True)
    assert form.status_code == 200 and "no longer counts anywhere" in _text(body)
    refused = client.post(f"/holders/checks/{check_id}/withdraw", data={"version": _form_version(body), "reason": ""})
    assert refused.status_code == 200
    assert field_error(refused.get_data(as_text=True), "reason")
    done = client.post(f"/holders/checks/{check_id}/withdraw",
                       data={"version": _form_version(body), "reason": "Wrong driver's licence"})
    assert done.status_code == 302 and done.location.endswith(f"/holders/{holder_id}")
    page = _text(client.get(done.location).get_data(as_text=True))
    assert "Check withdrawn as entered in error" in page
    assert "Withdrawn checks (1)" in page and "Withdrawn: entered in error Wrong driver's licence" in page

    body = client.get(f"/holders/convictions/{conviction_id}/withdraw").get_data(as_text=True)
    done = client.post(f"/holders/convictions/{conviction_id}/withdraw",
                       data={"version": _form_version(body), "reason": "Another person's record"})
    assert done.status_code == 302
    page = client.get(done.location).get_data(as_text=True)
    assert "Conviction withdrawn as entered in error" in _text(page)
    assert "Withdrawn: entered in error Another person's record" in _text(page)
    assert f"/holders/convictions/{conviction_id}/withdraw" not in page  # nothing more to withdraw
    with app.app_context():
        assert db.session.get(Conviction, conviction_id).withdrawn_reason == "Another person's record"
        actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.holder_id == holder_id)))
        assert {"check.withdrawn", "conviction.withdrawn"} <= actions


def test_only_officers_may_withdraw(app, client, users):
    with app.app_context():
        officer = register.user(users["officer"])
        holder = _compliant_driver(officer, "WD7")
        check_id = _only_check(holder, "dvla").id
        conviction_id = build.conviction(holder, "violence", dt.date(2018, 3, 1)).id
        db.session.commit()
    login(client, users["manager"])
    assert client.get(f"/holders/checks/{check_id}/withdraw").status_code == 403
    assert client.post(f"/holders/convictions/{conviction_id}/withdraw",
                       data={"version": "1", "reason": "x"}).status_code == 403
    with app.app_context():
        assert db.session.get(Conviction, conviction_id).withdrawn_at is None


def test_a_withdrawn_conviction_no_longer_counts_in_a_campaign_and_its_history_is_kept(officer):
    policy.ensure_bundled_edition()
    violent = build.holder("CV1")
    wrong = build.conviction(violent, "violence", dt.date(2018, 3, 1), dt.date(2019, 3, 1))  # until 1 March 2029
    db.session.flush()
    first = policy.run_campaign(officer, "Before the correction", AS_AT)
    assert first.holders_checked == 1 and db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "campaign.run")) == 1
    from licensing.reviews.queries import campaign_at_risk

    assert campaign_at_risk(first.id)[1] == 1

    withdraw_conviction(officer, wrong, "Convicted person was a namesake", version=wrong.version)
    db.session.flush()
    second = policy.run_campaign(officer, "After the correction", AS_AT)
    assert second.holders_checked == 1 and campaign_at_risk(second.id)[1] == 0

    event = db.session.execute(sa.select(AuditEvent).filter_by(action="conviction.withdrawn")).scalar_one()
    assert event.before["category"] == "violence" and event.before["conviction_date"] == "2018-03-01"
    assert event.reason == "Convicted person was a namesake" and event.holder_id == violent.id
    assert db.session.get(Conviction, wrong.id).withdrawn_at is not None  # kept, marked withdrawn


def test_a_withdrawn_conviction_never_reaches_the_panel_or_the_officers_report(officer):
    from licensing.hearings import operations as hearing_ops
    from licensing.hearings import queries as hearing_queries
    from licensing.reviews.operations.report import draft_report
    from tests.support.hearings import awaiting_case, hearing, staff

    case = awaiting_case(officer, "WDP")
    wrong = build.conviction(case.holder, "violence", dt.date(2019, 5, 1), offence="Common assault")
    kept = build.conviction(case.holder, "dishonesty", dt.date(2018, 2, 1), offence="Theft from a shop")
    listing = hearing_ops.list_case(officer, hearing(officer, staff("panel", "wdp-chair@x.gov.uk")), case,
                                    today=dt.date(2026, 3, 1))
    assert {c.id for c in hearing_queries.bundle(listing).convictions} == {wrong.id, kept.id}
    withdraw_conviction(officer, wrong, "Another person's record, entered on the wrong holder")
    assert [c.id for c in hearing_queries.bundle(listing).convictions] == [kept.id]
    history = draft_report(case)["history"]
    assert "Theft from a shop" in history and "Common assault" not in history


def test_a_withdrawn_nr3s_search_is_not_counted_in_the_statistics_or_the_register_of_searches(officer):
    from licensing.reports.statistics import _nr3s_searches
    from licensing.revocations.queries import nr3s_searches, nr3s_summary

    holder = build.holder("WDN")
    kept = register.add_check(officer, holder, "nr3s_search")
    wrong = register.add_check(officer, holder, "nr3s_search", result="match_found")
    db.session.flush()
    start, end = TODAY - dt.timedelta(days=30), TODAY
    assert nr3s_summary(start, end, today=TODAY)["searches"] == 2
    withdraw_check(officer, wrong, "Searched the wrong name")
    assert nr3s_summary(start, end, today=TODAY)["searches"] == 1
    assert nr3s_summary(start, end, today=TODAY)["matches"] == 0
    assert [row[0] for row in db.session.execute(_nr3s_searches(start, end)).all()] == [holder.id]
    rows, total = nr3s_searches()
    assert total == 1 and rows[0][0].id == kept.id


def test_a_withdrawn_conviction_puts_no_decision_in_an_offence_group(officer):
    from licensing.reports import foi

    holder = build.holder("WDF")
    wrong = build.conviction(holder, "violence", dt.date(2019, 5, 1))
    violence = foi.GROUPS["violent offences"]

    def in_group():
        records = foi._with_group(lambda start, end, arg=None: sa.select(LicenceHolder.id).where(
            LicenceHolder.id == holder.id), violence, TODAY)
        return db.session.execute(records(TODAY, TODAY)).scalars().all()

    assert in_group() == [holder.id]
    withdraw_conviction(officer, wrong, "Another person's record")
    assert in_group() == []
