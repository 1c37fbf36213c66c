import datetime as dt
import io

import sqlalchemy as sa
from pypdf import PdfReader

from licensing.extensions import db
from licensing.hearings import operations as ops
from licensing.models import AuditEvent, CaseState, Hearing, HearingDecision, IssuedLetter, ReviewCase, User
from licensing.reviews.operations import cases as review_ops
from tests.conftest import login
from tests.support.hearings import awaiting_case, default_body, hearing, staff
from tests.support.pdf import pdf_text

LATER = dt.datetime.combine(dt.date.today() + dt.timedelta(days=60), dt.time(10))


def _two_hearings(app, panel_email):
    with app.app_context():
        officer = staff("officer", "listing-officer@x.gov.uk")
        member = db.session.execute(sa.select(User).filter_by(email=panel_email)).scalar_one()
        other_chair = staff("panel", "other-chair@x.gov.uk")
        ids = {}
        for key, chair, panel in (("mine", other_chair, [member]), ("other", other_chair, [])):
            case = awaiting_case(officer, f"M{key}")
            document = review_ops.add_document(officer, case, "Statement", "s.pdf", b"%PDF-1.4 x",
                                               disclose_to_panel=True)
            hidden = review_ops.add_document(officer, case, "Internal", "i.pdf", b"%PDF-1.4 y")
            sitting = hearing(officer, chair, panel, starts_at=LATER)
            listing = ops.list_case(officer, sitting, case)
            ids[key] = {"hearing": sitting.id, "listing": listing.id, "document": document.id,
                        "hidden": hidden.id, "case": case.id}
        db.session.commit()
        return ids


def _urls(ids, document=None):
    listing = ids["listing"]
    return [f"/hearings/{ids['hearing']}", f"/hearings/{ids['hearing']}/invitation.ics",
            f"/hearings/listings/{listing}", f"/hearings/listings/{listing}/bundle.pdf",
            f"/hearings/listings/{listing}/documents/{document or ids['document']}"]


def test_panel_member_matrix_404_outside_200_inside(app, client, users):
    ids = _two_hearings(app, users["panel"])
    login(client, users["panel"])
    for url in _urls(ids["mine"]):
        assert client.get(url).status_code == 200, url
    for url in _urls(ids["other"]):
        assert client.get(url).status_code == 404, url
    # A document of another case, or one not marked for disclosure, through my own listing.
    for document in (ids["other"]["document"], ids["mine"]["hidden"]):
        url = f"/hearings/listings/{ids['mine']['listing']}/documents/{document}"
        assert client.get(url).status_code == 404, url
    index = client.get("/hearings/").get_data(as_text=True)
    assert f"/hearings/{ids['mine']['hearing']}\"" in index
    assert f"/hearings/{ids['other']['hearing']}\"" not in index
    with app.app_context():
        member = db.session.execute(sa.select(User).filter_by(email=users["panel"])).scalar_one()
        assert db.session.get(ReviewCase, ids["mine"]["case"]).can_view(member)
        assert not db.session.get(ReviewCase, ids["other"]["case"]).can_view(member)
        downloads = db.session.execute(sa.select(AuditEvent).filter_by(action="hearing.bundle_downloaded")).all()
        assert len(downloads) == 1


def test_bundle_pdf_has_contents_page_numbers_and_marking(app, client, users):
    ids = _two_hearings(app, users["panel"])
    login(client, users["panel"])
    response = client.get(f"/hearings/listings/{ids['mine']['listing']}/bundle.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    first = reader.pages[0].extract_text()
    assert "Contents" in first and "Officer's report .......... page 2" in first
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number}" in text and "OFFICIAL-SENSITIVE" in text
    assert "Statement" in " ".join(p.extract_text() for p in reader.pages)
    assert "Internal" not in " ".join(p.extract_text() for p in reader.pages)


def test_invitation_is_valid_icalendar_text(app, client, users):
    ids = _two_hearings(app, users["panel"])
    login(client, users["panel"])
    body = client.get(f"/hearings/{ids['mine']['hearing']}/invitation.ics").data.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert f"DTSTART;TZID=Europe/London:{LATER:%Y%m%dT%H%M%S}" in body
    assert "LOCATION:Committee Room 1" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_officer_schedules_lists_and_decides_through_the_pages(app, client, users):
    with app.app_context():
        chair = db.session.execute(sa.select(User).filter_by(email=users["panel"])).scalar_one()
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        case_id = awaiting_case(officer, "PAGE1").id
        chair_id, body_id = chair.id, default_body(officer).id
        db.session.commit()
    login(client, users["officer"])
    soon = dt.date.today()  # heard today, so it can be decided today
    parts = [str(soon.day), str(soon.month), str(soon.year)]
    response = client.post("/hearings/new", data={
        "date": parts, "time": "00:01",
        "venue": "Room <b>2</b>", "deciding_body_id": body_id, "chair_id": chair_id,
        "legal_adviser": "Lena Lawyer"})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    with app.app_context():
        hearing_id = db.session.execute(sa.select(Hearing.id)).scalar_one()
    refused = client.post(f"/hearings/{hearing_id}/list", data={"case_id": case_id})
    assert refused.status_code == 200 and "notice period" in refused.get_data(as_text=True)
    listed = client.post(f"/hearings/{hearing_id}/list", data={"case_id": case_id, "override_reason": "Urgent"})
    assert listed.status_code == 302
    with app.app_context():
        assert db.session.get(ReviewCase, case_id).state == CaseState.LISTED_FOR_HEARING
        listing_id = db.session.execute(sa.text("SELECT id FROM hearing_listings")).scalar_one()
    missing_reason = client.post(f"/hearings/listings/{listing_id}/decision", data={
        "outcome": "warning", "reasons": "", "decision_date": parts, "notice_date": parts})
    assert missing_reason.status_code == 200 and "Give the reasons" in missing_reason.get_data(as_text=True)
    nobody = client.post(f"/hearings/listings/{listing_id}/decision", data={
        "outcome": "warning", "reasons": "Late for <i>jobs</i>", "decision_date": parts, "notice_date": parts})
    assert nobody.status_code == 200 and "Choose the members present" in nobody.get_data(as_text=True)
    decided = client.post(f"/hearings/listings/{listing_id}/decision", data={
        "outcome": "warning", "reasons": "Late for <i>jobs</i>", "decision_date": parts, "notice_date": parts,
        "present_ids": [str(chair_id)], "exclusion_paragraph": "1"})
    assert decided.status_code == 302
    with app.app_context():
        decision = db.session.execute(sa.select(HearingDecision)).scalar_one()
        letter = db.session.get(IssuedLetter, decision.letter_id)
        assert db.session.get(ReviewCase, case_id).state == CaseState.DECIDED
    download = client.get(f"/hearings/letters/{letter.id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    page = client.get(f"/hearings/listings/{listing_id}").get_data(as_text=True)
    assert "Late for &lt;i&gt;jobs&lt;/i&gt;" in page
    text = pdf_text(download.data)
    assert "Decided by the Licensing sub-committee by a majority of 1 to 0" in text
    assert "Legal adviser: Lena Lawyer." in text and "paragraph 1 of Part 1 of Schedule 12A" in text


def test_holder_page_shows_hearing_decisions_including_warnings(app, client, users):
    from licensing.hearings import decisions

    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        chair = db.session.execute(sa.select(User).filter_by(email=users["panel"])).scalar_one()
        case = awaiting_case(officer, "WARN1")
        listing = ops.list_case(officer, hearing(officer, chair), case, today=dt.date(2026, 3, 2))
        decisions.record_decision(officer, listing, outcome="warning", reasons="Rude to <b>passenger</b>",
                                  decided_by=chair)
        holder_id = case.holder_id
        db.session.commit()
    login(client, users["officer"])
    page = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    assert "Hearing decisions and warnings" in page and "Rude to &lt;b&gt;passenger&lt;/b&gt;" in page
