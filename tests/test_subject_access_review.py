"""Subject access as a reviewed disclosure (legal review G1): the request produces a draft; a
disclosure officer decides every item, naming the exemption for what is withheld; withheld
third-party data shows in the draft marked as withheld and is not in the release."""

import datetime as dt
import hashlib
import json

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.holders.operations.holders import record_intelligence
from licensing.models import AuditEvent, ItemDecision, RequestStatus, SubjectAccessItem, SubjectAccessRequest
from licensing.reviews.operations import registers as register_operations
from licensing.safeguarding.errors import SafeguardingError
from licensing.safeguarding.operations import disclosure
from tests.conftest import login
from tests.support import reviews
from tests.support.register import date_parts, user

TODAY = dt.date.today()


def _seed(officer):
    holder = reviews.holder("SARREV", last_name="Subjectson")
    register_operations.record_complaint(officer, received_on=TODAY, channel="email", category="other",
                                         details="Driver was rude", holder_id=holder.id,
                                         complainant_name="Jane Witness", complainant_contact="jane@example.com")
    record_intelligence(officer, holder, {"source": "police", "grading": "B2 P", "summary": "Police intel 5512",
                                          "received_on": TODAY})
    other = reviews.holder("SAROTHER", last_name="Otherperson")
    db.session.flush()
    return holder, other


def _decide_all(officer, request):
    for item in request.items:
        if item.source_table == "complaints":
            disclosure.review_item(officer, item, decision="redact", exemption="third_party",
                                   withheld_fields="complainant_name, complainant_contact",
                                   note="The complainant has not consented")
        elif item.source_table == "intelligence":
            disclosure.review_item(officer, item, decision="withhold", exemption="crime_and_taxation")
        else:
            disclosure.review_item(officer, item, decision="disclose")


def test_the_draft_marks_third_party_and_restricted_items(officer):
    holder, other = _seed(officer)
    request = disclosure.draft_subject_access(officer, holder, received_on=TODAY)
    tables = {item.source_table for item in request.items}
    assert {"licence_holders", "licences", "complaints", "intelligence"} <= tables
    complaint = next(item for item in request.items if item.source_table == "complaints")
    assert complaint.third_party_fields == "complainant_name,complainant_contact"
    assert next(item for item in request.items if item.source_table == "intelligence").restricted
    assert all(item.decision == ItemDecision.PENDING for item in request.items)
    assert "Otherperson" not in " ".join(item.content_json for item in request.items)


def test_release_waits_for_every_decision_and_leaves_out_what_is_withheld(officer):
    holder, _ = _seed(officer)
    request = disclosure.draft_subject_access(officer, holder, received_on=TODAY)
    with pytest.raises(SafeguardingError, match="Decide every item before release"):
        disclosure.release(officer, request, released_on=TODAY)
    complaint = next(item for item in request.items if item.source_table == "complaints")
    with pytest.raises(SafeguardingError) as no_exemption:
        disclosure.review_item(officer, complaint, decision="redact", withheld_fields="complainant_name")
    assert no_exemption.value.field == "exemption"
    with pytest.raises(SafeguardingError) as bad_field:
        disclosure.review_item(officer, complaint, decision="redact", exemption="third_party",
                               withheld_fields="shoe_size")
    assert bad_field.value.field == "withheld_fields"
    _decide_all(officer, request)
    disclosure.release(officer, request, released_on=TODAY)
    assert request.status == RequestStatus.RELEASED
    released = json.loads(request.release_json)
    assert request.release_sha256 == hashlib.sha256(request.release_json.encode()).hexdigest()
    assert "intelligence" not in released
    assert "Police intel 5512" not in request.release_json
    assert "Jane Witness" not in request.release_json and "jane@example.com" not in request.release_json
    assert released["complaints"][0]["details"] == "Driver was rude"
    assert released["complaints"][0]["complainant_name"].startswith("[Withheld: third_party")
    assert released["licence_holders"][0]["last_name"] == "Subjectson"
    with pytest.raises(SafeguardingError, match="released"):
        disclosure.review_item(officer, complaint, decision="disclose")
    events = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_type == "subject_access_requests")
                                .order_by(AuditEvent.id)).all()
    assert events[0] == "subject_access.draft" and events[-1] == "subject_access.released"
    assert events.count("subject_access.item_decided") == len(request.items)


def test_the_pages_show_withheld_data_marked_in_the_draft_and_not_in_the_release(app, client, users):
    with app.app_context():
        holder, _ = _seed(user(users["officer"]))
        db.session.commit()
    login(client, users["officer"])
    response = client.post("/safeguarding/subject-access", data={"holder_ref": "sarrev",
                                                                 "received_on": date_parts(TODAY)})
    assert response.status_code == 302
    draft_url = response.location
    with app.app_context():
        request = db.session.execute(sa.select(SubjectAccessRequest)).scalar_one()
        items = {item.source_table: item.id for item in request.items}
        every = [item.id for item in request.items]
        request_id = request.id
    for item_id in every:
        if item_id == items["complaints"]:
            data = {"decision": "redact", "exemption": "third_party", "withheld_fields": "complainant_name"}
        elif item_id == items["intelligence"]:
            data = {"decision": "withhold", "exemption": "crime_and_taxation"}
        else:
            data = {"decision": "disclose", "exemption": ""}
        posted = client.post(f"/safeguarding/subject-access/items/{item_id}",
                             data={f"item{item_id}-{key}": value for key, value in data.items()})
        assert posted.status_code == 302, posted.get_data(as_text=True)[:2000]
    draft = client.get(draft_url).get_data(as_text=True)
    assert "DRAFT: not released" in draft
    # The withheld name is still visible to the reviewer, marked as withheld.
    assert "WITHHELD</strong> <del>Jane Witness</del>" in draft
    assert "Police intel 5512" in draft
    released = client.post(f"/safeguarding/subject-access/{request_id}/release",
                           data={"released_on": date_parts(TODAY)})
    assert released.status_code == 302
    download = client.get(f"/safeguarding/subject-access/{request_id}/release.json")
    assert download.status_code == 200
    body = download.get_data(as_text=True)
    assert "Jane Witness" not in body and "Police intel 5512" not in body
    assert "jane@example.com" in body  # only the named field was withheld
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "subject_access.release_downloaded")) == 1
        assert db.session.get(SubjectAccessItem, items["complaints"]).exemption == "third_party"


def test_only_a_cleared_officer_reviews_subject_access(app, client, users):
    for role in ("officer_no_clearance", "manager", "admin"):
        other = app.test_client()
        login(other, users[role])
        assert other.get("/safeguarding/subject-access").status_code == 403, role
