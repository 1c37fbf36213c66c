"""Every refusal is an audit row, including the hearings area's own 404s to a panel member outside
their hearings (the review: 35 of 312 left none), and downloads of case and hearing documents are audited."""

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditEvent
from tests.conftest import login
from tests.test_panel_access import _hearing_urls, _listed_cases


def _count(app, action):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).filter_by(action=action))


def test_each_refusal_inside_hearings_is_audited(app, users):
    ids = _listed_cases(app, users["panel"])
    client = app.test_client()
    login(client, users["panel"])
    other = ids["other"]
    urls = _hearing_urls(other) + [f"/hearings/letters/{other['letter']}", "/hearings/999999",
                                   f"/hearings/listings/{ids['mine']['listing']}/documents/{ids['mine']['hidden']}",
                                   f"/hearings/listings/{ids['mine']['listing']}/documents/{other['disclosed']}"]
    before = _count(app, "access.denied")
    refused = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        refused += 1
    assert _count(app, "access.denied") - before == refused
    with app.app_context():
        reasons = db.session.scalars(sa.select(AuditEvent.reason).filter_by(action="access.denied")).all()
        assert all(any(url in reason for reason in reasons) for url in urls)


def test_document_downloads_are_audited(app, users):
    ids = _listed_cases(app, users["panel"])["mine"]
    panel = app.test_client()
    login(panel, users["panel"])
    officer = app.test_client()
    login(officer, users["officer"])
    before = _count(app, "document.downloaded")
    assert panel.get(f"/hearings/listings/{ids['listing']}/documents/{ids['disclosed']}").status_code == 200
    assert officer.get(f"/reviews/cases/{ids['case']}/documents/{ids['disclosed']}").status_code == 200
    assert _count(app, "document.downloaded") - before == 2


def test_a_document_name_with_cr_lf_is_cleaned_and_still_downloads(app, users):
    from licensing.models import CaseDocument
    from licensing.reviews.operations import cases as review_ops
    from tests.support.hearings import awaiting_case, staff

    with app.app_context():
        officer = staff("officer", "crlf-officer@x.gov.uk")
        case = awaiting_case(officer, "CRLF1")
        document = review_ops.add_document(officer, case, "Statement", "x\r\ny.pdf", b"%PDF-1.4 x")
        stored = CaseDocument(case_id=case.id, title="Old", original_name="old\r\nname.pdf", content=b"%PDF-1.4 o",
                              content_type="application/pdf", size_bytes=10, sha256="0" * 64,
                              uploaded_by_id=officer.id)
        db.session.add(stored)
        db.session.commit()
        ids = case.id, document.id, stored.id
        assert document.original_name == "x  y.pdf"
    client = app.test_client()
    login(client, users["officer"])
    for document_id in ids[1:]:
        response = client.get(f"/reviews/cases/{ids[0]}/documents/{document_id}")
        assert response.status_code == 200
        disposition = response.headers["Content-Disposition"]
        assert "\r" not in disposition and "\n" not in disposition
