"""Restricted intelligence reaches only those the one rule allows (licensing/permissions.py
`may_see_intelligence`): officers with clearance, and panel members for items marked for the panel
on a listing of a hearing they sit on. Every GET page and file of the application is fetched by an
officer without clearance, a manager, an administrator, a panel member of another hearing and the
panel member sitting on the hearing, with the listed holder's, case's, hearing's, bundle's and
letter's ids, plus searches for the intelligence's own words: no response holds an item they may
not see. Each showing to those allowed is an `intelligence.view` audit row."""

import datetime as dt
import io
import re
import zipfile

import sqlalchemy as sa

from licensing.extensions import db
from licensing.hearings import operations as ops
from licensing.hearings import publication
from licensing.holders.operations.holders import record_intelligence
from licensing.models import AuditEvent, IssuedLetter, User
from licensing.reviews.operations import cases as review_ops
from tests.conftest import login
from tests.support.hearings import awaiting_case, hearing, staff
from tests.support.pdf import pdf_text

DISCLOSED = "SENTINELINTELDISCLOSED7731"
UNDISCLOSED = "SENTINELINTELWITHHELD4410"
LATER = dt.datetime.combine(dt.date.today() + dt.timedelta(days=60), dt.time(10))
SKIP = {"auth.logout", "static"}


def _listed_case_with_intelligence(app, users):
    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        member = db.session.execute(sa.select(User).filter_by(email=users["panel"])).scalar_one()
        chair = staff("panel", "intel-chair@x.gov.uk")
        staff("panel", "intel-other-panel@x.gov.uk")
        case = awaiting_case(officer, "INTEL1")
        for summary, disclose in ((DISCLOSED, True), (UNDISCLOSED, False)):
            record_intelligence(officer, case.holder, {"source": "police", "grading": "B2 P", "summary": summary,
                                                       "received_on": dt.date.today() - dt.timedelta(days=5),
                                                       "disclose_to_panel": disclose})
        document = review_ops.add_document(officer, case, "Statement", "s.pdf", b"%PDF-1.4 x", disclose_to_panel=True)
        sitting = hearing(officer, chair, [member], starts_at=LATER)
        listing = ops.list_case(officer, sitting, case)
        letter = db.session.execute(sa.select(IssuedLetter).filter_by(case_id=case.id)).scalars().first()
        (panel_copy, _), = publication.publish_agenda(officer, sitting)[0]
        db.session.commit()
        return {"holder_id": case.holder_id, "case_id": case.id, "listing_id": listing.id, "hearing_id": sitting.id,
                "bundle_id": panel_copy.id, "letter_id": letter.id, "document_id": document.id,
                "body_id": sitting.deciding_body_id}


def _urls(app, ids):
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP or "GET" not in rule.methods:
            continue
        if any(arg not in ids for arg in rule.arguments):
            continue
        urls.append(re.sub(r"<(?:[^:<>]+:)?(\w+)>", lambda m: str(ids[m.group(1)]), rule.rule))
    urls += [f"/holders/?q={DISCLOSED}", f"/holders/?q={UNDISCLOSED}", "/holders/?q=DriverINTEL1",
             f"/holders/{ids['holder_id']}?page=2", f"/admin/audit?holder={ids['holder_id']}"]
    return sorted(set(urls))


def _text(response):
    body = response.get_data()
    if body.startswith(b"%PDF") and len(body) > 100:  # a generated PDF (uploaded samples are stubs)
        return pdf_text(body).replace(" ", "")
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return body.decode("utf-8", "replace")


def _views(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .filter_by(action="intelligence.view"))


def test_nobody_outside_the_rule_sees_intelligence_anywhere(app, users):
    ids = _listed_case_with_intelligence(app, users)
    urls = _urls(app, ids)
    viewers = {"officer_no_clearance": users["officer_no_clearance"], "manager": users["manager"],
               "admin": users["admin"], "other panel member": "intel-other-panel@x.gov.uk",
               "sitting panel member": users["panel"]}
    attempts, succeeded, statuses = 0, [], {}
    for name, email in viewers.items():
        client = app.test_client()
        login(client, email)
        forbidden = (UNDISCLOSED,) if name == "sitting panel member" else (DISCLOSED, UNDISCLOSED)
        for url in urls:
            response = client.get(url)
            assert response.status_code != 500, (name, url)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            attempts += 1
            text = _text(response)
            words = forbidden
            if "?q=SENTINEL" in url:  # the search box echoes the words: the holder must not be found by them
                words = ("DriverINTEL1",)
            succeeded += [(name, url, word) for word in words if word in text]
    assert attempts >= 105, attempts
    assert succeeded == [], succeeded
    assert statuses.get(200, 0) > 20, statuses  # the pages were really served, not only refused


def test_those_the_rule_allows_see_it_and_each_showing_is_audited(app, users):
    ids = _listed_case_with_intelligence(app, users)
    listing, bundle = f"/hearings/listings/{ids['listing_id']}", f"/hearings/listings/{ids['listing_id']}/bundle.pdf"
    published = f"/hearings/listings/{ids['listing_id']}/bundles/{ids['bundle_id']}.pdf"
    for email in (users["officer"], users["panel"]):
        client = app.test_client()
        login(client, email)
        for url in (listing, bundle, published):
            before = _views(app)
            response = client.get(url)
            assert response.status_code == 200, (email, url)
            text = _text(response)
            assert DISCLOSED in text, (email, url)
            assert UNDISCLOSED not in text  # never marked for the panel: not in any bundle
            assert _views(app) == before + 1, (email, url)
    with app.app_context():
        rows = db.session.execute(sa.select(AuditEvent).filter_by(action="intelligence.view")).scalars().all()
        assert {row.holder_id for row in rows} == {ids["holder_id"]}
        assert {row.reason for row in rows} == {"hearing listing page", "hearing bundle"}
        assert all(DISCLOSED not in str(row.after) and DISCLOSED not in (row.reason or "") for row in rows)


def test_an_uncleared_officer_gets_the_bundle_without_intelligence(app, users):
    ids = _listed_case_with_intelligence(app, users)
    client = app.test_client()
    login(client, users["officer_no_clearance"])
    response = client.get(f"/hearings/listings/{ids['listing_id']}/bundle.pdf")
    assert response.status_code == 200
    text = pdf_text(response.get_data())
    assert "Copy without restricted intelligence" in text and "Statement" in text
    assert DISCLOSED not in text.replace(" ", "")
    assert _views(app) == 0
