"""Review cases: the state machine, permissions, audit, evidence documents, timeline, queues."""

import datetime as dt
import hashlib
import io

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditEvent, CaseDocument, CaseOrigin, CaseState, ReviewCase
from licensing.reviews.errors import ConflictError, ReviewError
from licensing.reviews.operations import cases as ops
from licensing.reviews.queries import case_timeline, cases_for_holder, work_queue
from tests.conftest import login
from tests.support import reviews as build

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def case(officer):
    holder = build.holder("H1")
    opened = ops.open_case(officer, holder, CaseOrigin.POLICE_INFORMATION, "Police disclosure",
                           licences=holder.licences, today=dt.date(2026, 1, 5))
    db.session.commit()
    return opened


def test_opening_a_case_sets_reference_due_date_and_audits(case):
    assert case.reference == f"RC-{case.id:06d}" and case.state == CaseState.OPEN
    assert case.due_on == dt.date(2026, 2, 2)  # normal priority: 28 days
    assert [lic.licence_number for lic in case.licences] == ["L-H1"]
    event = db.session.execute(sa.select(AuditEvent).filter_by(action="case.opened")).scalar_one()
    assert event.entity_id == case.id and event.holder_id == case.holder_id


def test_a_licence_of_another_holder_cannot_be_linked(officer):
    first, second = build.holder("A"), build.holder("B")
    with pytest.raises(ReviewError, match="must belong to the licence holder"):
        ops.open_case(officer, first, "complaint", "x", licences=second.licences)


LEGAL_PATH = [("investigating", None), ("awaiting_decision", None), ("listed_for_hearing", None),
              ("decided", "warned"), ("closed", None)]


def test_the_whole_lifecycle_is_allowed_and_audited(officer, case):
    for state, outcome in LEGAL_PATH:
        ops.transition(officer, case, state, "step", outcome=outcome,
                       by_decision="hearing decision 1" if state == "decided" else None)
    db.session.commit()
    assert case.state == CaseState.CLOSED and case.outcome.value == "warned" and case.closed_at
    rows = db.session.execute(sa.select(AuditEvent).filter_by(action="case.transition")
                              .order_by(AuditEvent.id)).scalars().all()
    assert [r.after["state"] for r in rows] == [s for s, _ in LEGAL_PATH]
    assert rows[3].before == {"state": "listed_for_hearing", "outcome": None}
    assert rows[3].after == {"state": "decided", "outcome": "warned", "decided_by_record": "hearing decision 1"}


def test_a_case_cannot_be_decided_by_hand_through_the_pages(app, client, users, case):
    """An outcome set by hand would count as a revocation while the licence stays active."""
    case_id = case.id
    login(client, users["officer"])
    client.post(f"/reviews/cases/{case_id}/transition",
                data={"new_state": "awaiting_decision", "reason": "", "version": case.version})
    with app.app_context():
        version = db.session.get(ReviewCase, case_id).version
    response = client.post(f"/reviews/cases/{case_id}/transition", data={
        "new_state": "decided", "outcome": "revoked", "reason": "Officer decided to revoke", "version": version})
    assert response.status_code == 400
    assert "A case is decided only by a decision" in response.get_data(as_text=True)
    with app.app_context():
        refused = db.session.get(ReviewCase, case_id)
        assert refused.state == CaseState.AWAITING_DECISION and refused.outcome is None


@pytest.mark.parametrize(("path", "illegal"), [
    ([], "decided"), ([], "closed"), ([], "listed_for_hearing"),
    (["investigating"], "open"), (["investigating"], "decided"),
    (["withdrawn"], "investigating"), (["awaiting_decision", "listed_for_hearing"], "closed"),
])
def test_illegal_moves_are_refused_clearly(officer, case, path, illegal):
    for state in path:
        ops.transition(officer, case, state, "because")
    before = case.state
    with pytest.raises(ReviewError, match="cannot move to") as error:
        ops.transition(officer, case, illegal, "try")
    assert "Allowed next steps" in str(error.value)
    assert case.state == before


def test_deciding_needs_an_outcome_and_withdrawing_a_reason(officer, case):
    ops.transition(officer, case, "awaiting_decision", "")
    with pytest.raises(ReviewError, match="outcome"):
        ops.transition(officer, case, "decided", "panel decided", by_decision="hearing decision 1")
    with pytest.raises(ReviewError, match="reason"):
        ops.transition(officer, case, "withdrawn", " ")
    with pytest.raises(ReviewError, match="only when the case is decided"):
        ops.transition(officer, case, "investigating", "x", outcome="revoked")


def test_a_stale_version_is_refused(officer, case):
    stale = case.version
    ops.assign(officer, case, officer.id)
    db.session.commit()
    with pytest.raises(ConflictError, match="was changed by .* while you were editing it"):
        ops.transition(officer, case, "investigating", "x", version=stale)


def test_only_officers_can_be_assigned(ctx, users, case):
    officer, manager = build.user(users["officer"]), build.user(users["manager"])
    with pytest.raises(ReviewError, match="licensing officer"):
        ops.assign(officer, case, manager.id)


def test_documents_are_checked_by_their_bytes_hashed_and_flagged(app, officer, case):
    with pytest.raises(ReviewError, match="PDF, JPEG or PNG"):
        ops.add_document(officer, case, "Fake", "evil.pdf", b"MZ\x90\x00 not a pdf")
    app.config["MAX_UPLOAD_BYTES"] = 50
    with pytest.raises(ReviewError, match="smaller than"):
        ops.add_document(officer, case, "Big", "big.pdf", PDF + b"x" * 60)
    app.config["MAX_UPLOAD_BYTES"] = 10 * 1024 * 1024
    doc = ops.add_document(officer, case, "Statement", "../../etc/statement.pdf", PDF, disclose_to_panel=True)
    assert doc.original_name == "statement.pdf" and doc.content_type == "application/pdf"
    assert doc.sha256 == hashlib.sha256(PDF).hexdigest() and doc.disclose_to_panel
    ops.set_document_flags(officer, doc, False, dt.date(2026, 1, 9))
    db.session.commit()
    assert doc.disclosed_to_holder and not doc.disclose_to_panel
    flags = db.session.execute(sa.select(AuditEvent).filter_by(action="case.document_flags")).scalar_one()
    assert flags.after == {"document_id": doc.id, "disclose_to_panel": False, "disclosed_to_holder_on": "2026-01-09"}


def test_timeline_merges_audit_rows_and_notes(officer, case):
    ops.add_note(officer, case, "Spoke to the police licensing unit")
    ops.transition(officer, case, "investigating", "started")
    db.session.commit()
    timeline = case_timeline(case)
    assert [e["action"] for e in timeline] == ["case.opened", "case.note_added", "case.transition"]
    assert timeline[1]["note"] == "Spoke to the police licensing unit"
    assert timeline[2]["reason"] == "started"


def test_work_queue_lists_mine_unassigned_and_overdue(ctx, users):
    officer, other = build.user(users["officer"]), build.user(users["officer_no_clearance"])
    holder = build.holder("Q")
    mine = ops.open_case(officer, holder, "audit", "a", assigned_officer_id=officer.id,
                         due_on=dt.date(2026, 3, 1))
    unassigned = ops.open_case(officer, holder, "audit", "b", due_on=dt.date(2026, 1, 1))
    theirs = ops.open_case(officer, holder, "audit", "c", assigned_officer_id=other.id, due_on=dt.date(2026, 1, 2))
    finished = ops.open_case(officer, holder, "audit", "d", assigned_officer_id=officer.id,
                             due_on=dt.date(2025, 1, 1))
    ops.transition(officer, finished, "withdrawn", "duplicate")
    db.session.commit()
    lists = work_queue(officer, dt.date(2026, 2, 1))
    ids = {k: [c.id for c in v[0]] for k, v in lists.items()}
    assert ids == {"mine": [mine.id], "unassigned": [unassigned.id], "overdue": [unassigned.id, theirs.id]}
    assert {k: v[1] for k, v in lists.items()} == {"mine": 1, "unassigned": 1, "overdue": 2}
    assert {k: v[1] for k, v in work_queue(officer, dt.date(2026, 2, 1), per_page=1).items()} == {
        "mine": 1, "unassigned": 1, "overdue": 2}, "counts are of every case, not of the page"
    assert [c.id for c in cases_for_holder(holder.id)] == [finished.id, theirs.id, unassigned.id, mine.id]


def test_case_pages_by_role(app, client, users, case):
    with app.app_context():
        case_id = db.session.get(ReviewCase, case.id).id
    login(client, users["panel"])
    assert client.get(f"/reviews/cases/{case_id}").status_code == 404
    client.post("/auth/logout")
    login(client, users["manager"])
    page = client.get(f"/reviews/cases/{case_id}")
    assert page.status_code == 200 and "Police disclosure" in page.get_data(as_text=True)
    assert client.post(f"/reviews/cases/{case_id}/notes", data={"body": "x"}).status_code == 403
    assert client.get("/reviews/cases/99999").status_code == 404


def test_panel_members_cannot_view_a_case_yet(ctx, users, case):
    assert case.can_view(build.user(users["officer"])) and case.can_view(build.user(users["manager"]))
    assert not case.can_view(build.user(users["panel"])) and not case.can_view(build.user(users["admin"]))


def test_officer_works_a_case_through_the_pages(app, client, users, case):
    case_id, version = case.id, case.version
    login(client, users["officer"])
    response = client.post(f"/reviews/cases/{case_id}/transition",
                           data={"new_state": "closed", "reason": "", "version": version})
    assert response.status_code == 400 and "cannot move to closed" in response.get_data(as_text=True)
    response = client.post(f"/reviews/cases/{case_id}/transition",
                           data={"new_state": "investigating", "reason": "go", "version": version})
    assert response.status_code == 302
    response = client.post(f"/reviews/cases/{case_id}/transition",
                           data={"new_state": "awaiting_decision", "reason": "", "version": version})
    assert response.status_code == 400 and "was changed by" in response.get_data(as_text=True)
    upload = {"title": "Photo", "upload": (io.BytesIO(PNG), "photo.png"), "disclose_to_panel": "y"}
    assert client.post(f"/reviews/cases/{case_id}/documents", data=upload,
                       content_type="multipart/form-data").status_code == 302
    bad = {"title": "Script", "upload": (io.BytesIO(b"<script>x</script>"), "x.png")}
    response = client.post(f"/reviews/cases/{case_id}/documents", data=bad, content_type="multipart/form-data")
    assert response.status_code == 400 and "must be a PDF, JPEG or PNG" in response.get_data(as_text=True)
    with app.app_context():
        doc_id = db.session.execute(sa.select(CaseDocument.id)).scalar_one()
        assert db.session.execute(sa.select(AuditEvent).filter_by(action="upload_validation")).scalar_one()
    download = client.get(f"/reviews/cases/{case_id}/documents/{doc_id}")
    assert download.status_code == 200 and download.data == PNG
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Content-Security-Policy"].startswith("sandbox")
    with app.app_context():
        other = ops.open_case(build.user(users["officer"]), build.holder("Z"), "audit", "other")
        db.session.commit()
        other_id = other.id
    assert client.get(f"/reviews/cases/{other_id}/documents/{doc_id}").status_code == 404
    page = client.get(f"/reviews/cases/{case_id}").get_data(as_text=True)
    assert "Photo" in page and "Disclose to panel" in page
    assert "Review case moved on" in page and "case.transition" not in page


def test_open_a_case_through_the_form(app, client, users):
    with app.app_context():
        build.holder("NEW1")
        db.session.commit()
    login(client, users["officer"])
    response = client.post("/reviews/cases/new", data={"holder_ref": "nope", "origin": "complaint",
                                                       "summary": "s", "priority": "normal"})
    assert response.status_code == 200 and "No licence holder matches that" in response.get_data(as_text=True)
    past = client.post("/reviews/cases/new", data={"holder_ref": "NEW1", "origin": "complaint", "summary": "s",
                                                   "priority": "normal", "due_on": ["1", "1", "2020"]}
                       ).get_data(as_text=True)
    assert "Due date must be today or in the future" in past and "There is a problem" in past
    response = client.post("/reviews/cases/new", data={"holder_ref": "NEW1", "origin": "self_disclosure",
                                                       "licence_numbers": "L-NEW1", "summary": "Disclosed a caution",
                                                       "priority": "urgent"})
    assert response.status_code == 302
    with app.app_context():
        case = db.session.execute(sa.select(ReviewCase)).scalar_one()
        assert case.origin == CaseOrigin.SELF_DISCLOSURE and case.licences[0].licence_number == "L-NEW1"
