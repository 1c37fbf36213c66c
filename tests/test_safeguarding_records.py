"""Non-conviction information and the information-sharing log (issue 19 items 3 and 5): recorded
from the holder page by officers with clearance, every view audited, linked to review cases;
administrators cannot read convictions or intelligence (legal review G2)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.holders.operations.holders import record_conviction
from licensing.models import (
    AuditEvent,
    Finding,
    InformationShare,
    NonConvictionInformation,
    Permission,
    Role,
)
from licensing.models.users import permissions_for
from licensing.reviews.operations import cases as review_ops
from licensing.safeguarding import queries
from licensing.safeguarding.errors import SafeguardingError
from licensing.safeguarding.operations import records
from tests.conftest import login
from tests.support import reviews
from tests.support.register import date_parts, user

TODAY = dt.date.today()


def _arrest(officer, holder, **extra):
    return records.record_non_conviction(officer, holder, {
        "kind": "arrest", "source": "police", "handling_code": "B2 P", "occurred_on": TODAY - dt.timedelta(days=9),
        "received_on": TODAY - dt.timedelta(days=2), "summary": "Arrested on suspicion of assault 7731", **extra})


def test_non_conviction_information_is_recorded_linked_to_a_case_and_found_on(officer):
    holder = reviews.holder("NCI1")
    case = review_ops.open_case(officer, holder, "audit", "Arrest reported by police")
    row = _arrest(officer, holder, case_id=str(case.id))
    assert queries.case_non_conviction_items(case.id) == [row]
    with pytest.raises(SafeguardingError) as reasons:
        records.record_finding(officer, row, {"finding": "more_likely_than_not"})
    assert reasons.value.field == "finding_reasons"
    records.record_finding(officer, row, {"finding": "more_likely_than_not", "holder_response": "Denies it",
                                          "finding_reasons": "Consistent witness accounts and CCTV"})
    assert row.finding == Finding.MORE_LIKELY_THAN_NOT and row.found_by_id == officer.id
    assert row.holder_response == "Denies it"
    audit = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.entity_type == "non_conviction_information")
                               ).all()
    assert [event.action for event in audit] == ["non_conviction.create", "non_conviction.finding"]
    assert all("7731" not in str(event.after) for event in audit)  # the audit names the record, never its content


def test_refusals_show_at_their_fields(officer):
    holder = reviews.holder("NCI2")
    other = reviews.holder("NCI3")
    other_case = review_ops.open_case(officer, other, "audit", "Another holder's case")
    with pytest.raises(SafeguardingError) as wrong_case:
        _arrest(officer, holder, case_id=str(other_case.id))
    assert wrong_case.value.field == "case_id"
    with pytest.raises(SafeguardingError) as order:
        _arrest(officer, holder, occurred_on=TODAY, received_on=TODAY - dt.timedelta(days=1))
    assert order.value.field == "occurred_on"
    with pytest.raises(SafeguardingError) as basis:
        records.record_share(officer, {"direction": "sent", "partner": "police", "partner_name": "PC 1",
                                       "shared_on": TODAY, "summary": "x", "lawful_basis": "because",
                                       "handling_conditions": "OFFICIAL-SENSITIVE"})
    assert basis.value.field == "lawful_basis"


def test_the_holder_page_records_and_lists_it_and_every_view_is_audited(app, client, users):
    with app.app_context():
        holder_id = reviews.holder("NCIPAGE").id
        db.session.commit()
    login(client, users["officer"])
    response = client.post(f"/safeguarding/holders/{holder_id}/non-conviction/new", data={
        "kind": "allegation", "source": "public", "handling_code": "C3", "occurred_on": date_parts(TODAY),
        "received_on": date_parts(TODAY), "summary": "Alleged overcharging 4410", "case_id": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    page = client.get(f"/safeguarding/holders/{holder_id}").get_data(as_text=True)
    assert "Alleged overcharging 4410" in page and "Not yet assessed" in page
    holder_page = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    assert f"/safeguarding/holders/{holder_id}" in holder_page
    with app.app_context():
        assert db.session.scalar(sa.select(NonConvictionInformation.summary)) == "Alleged overcharging 4410"
        views = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "non_conviction_information.view", AuditEvent.holder_id == holder_id))
        assert views == 1
    for role in ("officer_no_clearance", "manager", "admin"):
        other = app.test_client()
        login(other, users[role])
        assert other.get(f"/safeguarding/holders/{holder_id}").status_code == 403, role
        assert "4410" not in other.get(f"/holders/{holder_id}").get_data(as_text=True), role


def test_the_sharing_log_form_and_page(app, client, users):
    with app.app_context():
        reviews.holder("SHARE1")
        db.session.commit()
    login(client, users["officer"])
    response = client.post("/safeguarding/sharing/new", data={
        "direction": "sent", "partner": "marp", "partner_name": "Northshire MARP, 4 June meeting",
        "shared_on": date_parts(TODAY), "holder_ref": "share1", "summary": "Licence status and conditions",
        "lawful_basis": "dpa_sch1_para18", "handling_conditions": "OFFICIAL-SENSITIVE; not for onward sharing"})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    page = client.get("/safeguarding/sharing").get_data(as_text=True)
    assert "Northshire MARP" in page and "DPA 2018 Sch. 1 para 18" in page and "SHARE1" in page
    with app.app_context():
        share = db.session.execute(sa.select(InformationShare)).scalar_one()
        assert share.shared_by.email == users["officer"]
        actions = set(db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.action.in_(["information_share.create", "information_shares.view"]))))
        assert actions == {"information_share.create", "information_shares.view"}
    other = app.test_client()
    login(other, users["officer_no_clearance"])
    assert other.get("/safeguarding/sharing").status_code == 403


def test_administrators_cannot_read_convictions_or_intelligence(app, client, users):
    admin = permissions_for(Role.ADMIN, cleared=True)
    for permission in (Permission.CONVICTIONS_READ, Permission.INTELLIGENCE_READ, Permission.INTELLIGENCE_WRITE,
                       Permission.SUBJECT_ACCESS_REVIEW):
        assert permission not in admin
    with app.app_context():
        officer = user(users["officer"])
        holder = reviews.holder("ADMCONV")
        record_conviction(officer, holder, {"category": "violence", "disposal": "conviction",
                                            "offence": "Assault occasioning ABH 6620", "source": "dbs",
                                            "conviction_date": TODAY - dt.timedelta(days=400)})
        db.session.commit()
        holder_id = holder.id
    login(client, users["admin"])
    page = client.get(f"/holders/{holder_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "6620" not in text and "Convictions and cautions" not in text
    assert client.get(f"/holders/{holder_id}/intelligence").status_code == 403
    officer_client = app.test_client()
    login(officer_client, users["officer"])
    assert "Assault occasioning ABH 6620" in officer_client.get(f"/holders/{holder_id}").get_data(as_text=True)


def test_s5_information_is_recorded_decided_and_the_sender_told_on_the_pages(app, client, users):
    from licensing.models import IncomingConcern

    with app.app_context():
        holder_id = reviews.holder("CONCERN1").id
        db.session.commit()
    login(client, users["officer"])
    response = client.post(f"/safeguarding/holders/{holder_id}/concerns/new", data={
        "sending_authority": "Kirklees Council", "received_on": date_parts(TODAY), "licence_id": "",
        "information": "Drove dangerously in our area on 2 June 8842"})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    concern_url = response.location
    assert "Kirklees Council" in client.get("/safeguarding/concerns").get_data(as_text=True)
    page = client.get(concern_url).get_data(as_text=True)
    assert "Drove dangerously" in page and "Record the decision" in page
    concern_id = int(concern_url.rstrip("/").rsplit("/", 1)[1])
    refused = client.post(f"/safeguarding/concerns/{concern_id}/decision", data={
        "considered_on": date_parts(TODAY), "decision": "suspension", "decision_reasons": "", "case_id": ""})
    assert refused.status_code == 200 and "Enter the reasons" in refused.get_data(as_text=True)
    decided = client.post(f"/safeguarding/concerns/{concern_id}/decision", data={
        "considered_on": date_parts(TODAY), "decision": "suspension", "decision_reasons": "Risk to the public",
        "case_id": ""})
    assert decided.status_code == 302
    told = client.post(f"/safeguarding/concerns/{concern_id}/informed", data={"informed_on": date_parts(TODAY)})
    assert told.status_code == 302
    with app.app_context():
        concern = db.session.get(IncomingConcern, concern_id)
        assert concern.decision == "suspension" and concern.sender_informed_on == TODAY
    assert "Nothing to consider" in client.get("/safeguarding/concerns").get_data(as_text=True)
