"""Panel members reach cases, documents and holders only through the hearings they sit on:
everything else answers 404, whether or not the record is listed before them."""

import datetime as dt
import io

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from licensing.extensions import db
from licensing.hearings import operations as ops
from licensing.holders.operations.holders import add_evidence
from licensing.models import AuditEvent, ComplianceCheck, IssuedLetter, User
from licensing.reviews.operations import cases as review_ops
from tests.conftest import login
from tests.support.hearings import awaiting_case, hearing, staff

LATER = dt.datetime.combine(dt.date.today() + dt.timedelta(days=60), dt.time(10))


def _listed_cases(app, panel_email):
    """Two hearings with one case each; the panel member sits on the first only."""
    with app.app_context():
        officer = staff("officer", "panel-access-officer@x.gov.uk")
        member = db.session.execute(sa.select(User).filter_by(email=panel_email)).scalar_one()
        chair = staff("panel", "panel-access-chair@x.gov.uk")
        ids = {}
        for key, panel in (("mine", [member]), ("other", [])):
            case = awaiting_case(officer, f"PA{key}")
            disclosed = review_ops.add_document(officer, case, "Statement", "s.pdf", b"%PDF-1.4 x",
                                                disclose_to_panel=True)
            hidden = review_ops.add_document(officer, case, "Internal memo", "i.pdf", b"%PDF-1.4 y")
            check = ComplianceCheck(holder_id=case.holder_id, kind="dvla", completed_on=dt.date(2026, 1, 5),
                                    result="clear", reference="DV-1")
            db.session.add(check)
            db.session.flush()
            evidence = add_evidence(officer, check, FileStorage(io.BytesIO(b"%PDF-1.4 e"), filename="e.pdf"),
                                    1024 * 1024)
            sitting = hearing(officer, chair, panel, starts_at=LATER)
            listing = ops.list_case(officer, sitting, case)
            letter = db.session.execute(sa.select(IssuedLetter).filter_by(case_id=case.id)).scalars().first()
            ids[key] = {"hearing": sitting.id, "listing": listing.id, "case": case.id, "holder": case.holder_id,
                        "licence": case.holder.licences[0].id, "disclosed": disclosed.id, "hidden": hidden.id,
                        "evidence": evidence.id, "letter": letter.id,
                        "name": case.holder.display_name}
        db.session.commit()
        return ids


def _register_urls(ids):
    """Staff pages about the case and holder: never a panel member's way in."""
    return [
        f"/holders/{ids['holder']}",
        f"/holders/{ids['holder']}/intelligence",
        f"/holders/licences/{ids['licence']}",
        f"/holders/evidence/{ids['evidence']}",
        f"/training/holders/{ids['holder']}/compliance",
        f"/reviews/cases/{ids['case']}",
        f"/reviews/cases/{ids['case']}/documents/{ids['disclosed']}",
        f"/reviews/cases/{ids['case']}/documents/{ids['hidden']}",
        f"/hearings/letters/{ids['letter']}",
    ]


def _hearing_urls(ids):
    listing = ids["listing"]
    return [f"/hearings/{ids['hearing']}", f"/hearings/{ids['hearing']}/invitation.ics",
            f"/hearings/listings/{listing}", f"/hearings/listings/{listing}/bundle.pdf",
            f"/hearings/listings/{listing}/documents/{ids['disclosed']}"]


def test_panel_member_sees_listed_case_holder_and_documents_only_through_the_hearing(app, client, users):
    ids = _listed_cases(app, users["panel"])
    login(client, users["panel"])
    for url in _hearing_urls(ids["mine"]):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/hearings/listings/{ids['mine']['listing']}").get_data(as_text=True)
    assert ids["mine"]["name"] in page  # the holder, inside the hearing
    assert "Internal memo" not in page
    for url in _hearing_urls(ids["other"]):
        assert client.get(url).status_code == 404, url


def test_panel_member_gets_404_on_every_register_and_case_page_inside_or_outside(app, client, users):
    ids = _listed_cases(app, users["panel"])
    login(client, users["panel"])
    for key in ("mine", "other"):
        for url in _register_urls(ids[key]):
            response = client.get(url)
            assert response.status_code == 404, url
            assert ids[key]["name"] not in response.get_data(as_text=True), url
    for url in ("/holders/", "/reviews/cases", "/reviews/complaints", "/training/", "/admin/audit",
                "/holders/licences/999999", "/reviews/cases/999999"):
        assert client.get(url).status_code == 404, url
    with app.app_context():
        refusals = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                     .where(AuditEvent.action == "access.denied"))
        assert refusals >= 2 * len(_register_urls(ids["mine"]))


def test_a_hidden_or_foreign_document_through_my_own_listing_is_404(app, client, users):
    ids = _listed_cases(app, users["panel"])
    login(client, users["panel"])
    listing = ids["mine"]["listing"]
    for document in (ids["mine"]["hidden"], ids["other"]["disclosed"], 999999):
        assert client.get(f"/hearings/listings/{listing}/documents/{document}").status_code == 404, document


def test_panel_member_loses_access_when_the_case_is_removed(app, client, users):
    ids = _listed_cases(app, users["panel"])
    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email="panel-access-officer@x.gov.uk")).scalar_one()
        from licensing.models import HearingListing

        listing = db.session.get(HearingListing, ids["mine"]["listing"])
        ops.remove_listing(officer, listing, "Case withdrawn", version=listing.version)
        db.session.commit()
    login(client, users["panel"])
    for url in _hearing_urls(ids["mine"])[2:]:
        assert client.get(url).status_code == 404, url


def test_officers_and_managers_still_get_403_not_404(app, client, users):
    ids = _listed_cases(app, users["panel"])
    login(client, users["manager"])
    assert client.get(f"/holders/evidence/{ids['mine']['evidence']}").status_code == 403
    assert client.get(f"/reviews/cases/{ids['mine']['case']}").status_code == 200
