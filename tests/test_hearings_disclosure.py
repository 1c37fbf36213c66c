"""Disclosure to the licence holder, the decision's check on it, and bundles published as fixed
records: both copies made from the same data, the holder's never holding withheld material."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.errors import ConflictError
from licensing.extensions import db
from licensing.hearings import decisions, disclosure, material, publication
from licensing.hearings import operations as ops
from licensing.hearings.errors import HearingError
from licensing.holders.operations.holders import record_intelligence
from licensing.models import AuditEvent, IssuedLetter, OffenceCategory, PublishedBundle, User
from licensing.reviews.operations import cases as review_ops
from licensing.reviews.operations import report as report_ops
from licensing.safeguarding.operations.records import record_non_conviction
from tests.conftest import login
from tests.support.hearings import TODAY, awaiting_case, hearing, staff
from tests.support.pdf import make_pdf, pdf_text
from tests.support.reviews import conviction

DISCLOSED_ON = dt.date(2026, 3, 1)


def _disclose(officer, case, key, **fields):
    values = {"decision": "disclosed", "disclosed_on": DISCLOSED_ON, "method": "post", "extent": "full copy"}
    return disclosure.record_disclosure(officer, case, key, **{**values, **fields}, today=TODAY)


def _listed(officer, ref="DISC1"):
    chair = staff("panel", f"chair-{ref.lower()}@x.gov.uk")
    case = awaiting_case(officer, ref)
    document = review_ops.add_document(officer, case, "Witness statement", "witness.pdf",
                                       make_pdf("WITNESS STATEMENT PAGE ONE", "WITNESS STATEMENT PAGE TWO"),
                                       disclose_to_panel=True)
    listing = ops.list_case(officer, hearing(officer, chair), case, today=TODAY)
    return listing, document


def _decide(officer, listing, **extra):
    return decisions.record_decision(officer, listing, outcome="warning", reasons="Conduct",
                                     decided_by=listing.hearing.chair, **extra)


def test_the_decision_is_refused_while_material_is_undisclosed_unless_a_reason_is_recorded(officer):
    listing, document = _listed(officer)
    with pytest.raises(HearingError) as refused:
        _decide(officer, listing)
    assert refused.value.field == "disclosure_override_reason"
    assert "1 item of panel material has not been disclosed" in refused.value.message
    decision = _decide(officer, listing, disclosure_override_reason="The holder declined to collect the papers")
    assert decision.id
    override = db.session.execute(sa.select(AuditEvent).filter_by(action="hearing.disclosure_override")).scalar_one()
    assert override.reason == "The holder declined to collect the papers"
    assert override.after["undisclosed"] == [f"document:{document.id}"]


def test_the_decision_goes_ahead_once_everything_is_disclosed_or_withheld_with_a_gist(officer):
    listing, document = _listed(officer)
    conviction(listing.case.holder, OffenceCategory.DRINK_DRUG_DRIVING, dt.date(2020, 1, 5), offence="Drink driving")
    db.session.flush()
    _disclose(officer, listing.case, f"document:{document.id}")
    assert disclosure.warning(listing.case) == ("1 item of panel material has not been disclosed to the licence "
                                                "holder, or withheld with a gist.")
    conviction_key = next(i.key for i in material.panel_material(listing.case) if i.kind.value == "conviction")
    _disclose(officer, listing.case, conviction_key, decision="withheld", withheld_reason="Third-party data",
              gist="A drink-driving conviction in 2020")
    assert disclosure.warning(listing.case) is None
    assert _decide(officer, listing).id


def test_a_withholding_needs_its_reason_and_gist_and_a_disclosure_what_exactly(officer):
    listing, document = _listed(officer)
    key = f"document:{document.id}"
    for fields, field in (({"extent": ""}, "extent"),
                          ({"decision": "withheld", "withheld_reason": ""}, "withheld_reason"),
                          ({"decision": "withheld", "withheld_reason": "Police request", "gist": " "}, "gist"),
                          ({"disclosed_on": TODAY + dt.timedelta(days=1)}, "disclosed_on"),
                          ({"method": "pigeon"}, "method")):
        with pytest.raises(HearingError) as refused:
            _disclose(officer, listing.case, key, **fields)
        assert refused.value.field == field, fields
    with pytest.raises(HearingError):
        _disclose(officer, listing.case, "document:999999")


def test_restricted_intelligence_is_seen_and_disclosed_only_with_clearance(officer, users):
    listing, _ = _listed(officer)
    record_intelligence(officer, listing.case.holder, {"source": "police", "grading": "1A1", "summary": "Seen at night",
                                                       "received_on": dt.date(2026, 2, 1), "disclose_to_panel": True})
    db.session.flush()
    uncleared = db.session.execute(sa.select(User).filter_by(email=users["officer_no_clearance"])).scalar_one()
    seen = material.summary_for(listing.case, uncleared)
    assert seen.hidden == 1 and seen.undisclosed == 2
    assert all(item.kind.value != "intelligence" for item in seen.items)
    key = next(i.key for i in material.panel_material(listing.case) if i.kind.value == "intelligence")
    with pytest.raises(PermissionError):
        _disclose(uncleared, listing.case, key)
    _disclose(officer, listing.case, key, decision="withheld", withheld_reason="Police source",
              gist="Police report the holder working unlicensed")
    assert material.summary_for(listing.case, officer).hidden == 0


def test_the_report_is_versioned_and_a_change_after_disclosure_needs_disclosing_again(officer):
    listing, _ = _listed(officer)
    case = listing.case
    draft = report_ops.draft_report(case)
    assert case.summary in draft["background"] and "not been assessed" in draft["assessment"]
    report = report_ops.save_report(officer, case, draft)
    _disclose(officer, case, f"report:{report.id}")
    assert material.find(material.panel_material(case), f"report:{report.id}").state == "disclosed"
    report_ops.save_report(officer, case, {**draft, "options": "Revocation is proposed."}, version=report.version)
    assert report.version == 2
    assert material.find(material.panel_material(case), f"report:{report.id}").state == "undisclosed"
    with pytest.raises(ConflictError):
        report_ops.save_report(officer, case, {**draft, "options": "Stale edit"}, version=1)
    actions = db.session.execute(sa.select(AuditEvent.action).filter_by(entity_type="officer_reports")).scalars().all()
    assert actions == ["case.report_written", "case.report_changed"]


def test_the_published_bundle_holds_the_disclosed_pdf_documents_own_pages(officer):
    listing, document = _listed(officer)
    report_ops.save_report(officer, listing.case, report_ops.draft_report(listing.case))
    for item in material.panel_material(listing.case):
        _disclose(officer, listing.case, item.key)
    issued, unchanged, undisclosed = publication.publish_agenda(officer, listing.hearing, today=TODAY)
    assert (len(issued), unchanged, undisclosed) == (1, 0, 0)
    panel, holder = issued[0]
    assert (panel.version_number, holder.version_number) == (1, 1)
    for copy in (panel, holder):
        text = pdf_text(copy.content)
        assert "WITNESS STATEMENT PAGE ONE" in text and "WITNESS STATEMENT PAGE TWO" in text
        assert "Version 1, issued 2 March 2026" in text
        assert f"Page {copy.page_count} of {copy.page_count}" in text
        assert "Background." in text  # the written report, not the one-line summary
    assert "Disclosed to the licence holder on 1 March 2026 (by post): full copy." in pdf_text(panel.content)
    letter = db.session.get(IssuedLetter, holder.letter_id)
    assert letter.kind == "hearing_bundle" and letter.sha256 == holder.sha256
    assert {i["kind"] for i in holder.items} == {"report", "document"}


def test_the_holders_bundle_never_holds_withheld_or_undisclosed_material(officer):
    listing, document = _listed(officer)
    case = listing.case
    secret = review_ops.add_document(officer, case, "Informant letter", "informant.pdf",
                                     make_pdf("INFORMANT NAME AND ADDRESS"), disclose_to_panel=True)
    record_intelligence(officer, case.holder, {"source": "police", "grading": "1A1", "summary": "SECRET SOURCE DETAIL",
                                               "received_on": dt.date(2026, 2, 1), "disclose_to_panel": True})
    conviction(case.holder, OffenceCategory.DISHONESTY, dt.date(2021, 6, 1), offence="UNDISCLOSED OFFENCE")
    db.session.flush()
    _disclose(officer, case, f"document:{document.id}")
    _disclose(officer, case, f"document:{secret.id}", decision="withheld", withheld_reason="Protects an informant",
              gist="A member of the public reported the holder touting")
    intel = next(i.key for i in material.panel_material(case) if i.kind.value == "intelligence")
    _disclose(officer, case, intel, decision="withheld", withheld_reason="Police source", gist="POLICE GIST ONLY")
    (panel, holder), = publication.publish_agenda(officer, listing.hearing, today=TODAY)[0]
    holder_text, panel_text = pdf_text(holder.content), pdf_text(panel.content)
    for withheld in ("INFORMANT NAME AND ADDRESS", "SECRET SOURCE DETAIL", "UNDISCLOSED OFFENCE",
                     "Protects an informant"):
        assert withheld not in holder_text
        assert withheld in panel_text
    assert "A member of the public reported the holder touting" in holder_text and "POLICE GIST ONLY" in holder_text
    assert "WITNESS STATEMENT PAGE ONE" in holder_text
    assert "NOT DISCLOSED to the licence holder" in panel_text
    assert {(i["kind"], i["state"]) for i in holder.items} == {("document", "disclosed"), ("document", "withheld"),
                                                                ("intelligence", "withheld")}


def test_a_changed_bundle_is_a_new_version_and_the_old_one_stays_downloadable(app, client, users):
    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        listing, document = _listed(officer)
        _disclose(officer, listing.case, f"document:{document.id}")
        (first, _), = publication.publish_agenda(officer, listing.hearing, today=TODAY)[0]
        assert publication.publish_agenda(officer, listing.hearing, today=TODAY)[:2] == ([], 1)  # nothing changed
        added = review_ops.add_document(officer, listing.case, "Photograph", "cab.pdf", make_pdf("SECOND EXHIBIT"),
                                        disclose_to_panel=True)
        (second, second_holder), = publication.publish_agenda(officer, listing.hearing, today=TODAY)[0]
        assert second.version_number == 2 and second.sha256 != first.sha256
        assert "SECOND EXHIBIT" in pdf_text(second.content) and "SECOND EXHIBIT" not in pdf_text(second_holder.content)
        ids = {"listing": listing.id, "first": first.id, "second": second.id, "added": added.id}
        first_bytes = first.content
        db.session.commit()
    login(client, users["officer"])
    old = client.get(f"/hearings/listings/{ids['listing']}/bundles/{ids['first']}.pdf")
    assert old.status_code == 200 and old.data == first_bytes
    assert client.get(f"/hearings/listings/{ids['listing']}/bundle.pdf").data == \
        client.get(f"/hearings/listings/{ids['listing']}/bundles/{ids['second']}.pdf").data
    page = client.get(f"/hearings/listings/{ids['listing']}").get_data(as_text=True)
    assert "Current version: 2" in page and "The licence holder was sent version 2" in page
    assert "1 item of panel material has not been disclosed" in page
    with app.app_context():
        downloads = db.session.execute(sa.select(AuditEvent).filter_by(action="hearing.bundle_downloaded")
                                       .order_by(AuditEvent.id)).scalars().all()
        assert [d.after["version"] for d in downloads] == [1, 2, 2]
        assert db.session.execute(sa.select(sa.func.count()).select_from(PublishedBundle)).scalar() == 4


def test_officers_record_disclosure_on_the_case_page_and_listing_warns_until_then(app, client, users):
    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        chair = staff("panel", "chair-pages@x.gov.uk")
        case = awaiting_case(officer, "DISCPAGE")
        document = review_ops.add_document(officer, case, "Statement", "s.pdf", make_pdf("STATEMENT"),
                                           disclose_to_panel=True)
        sitting = hearing(officer, chair, starts_at=dt.datetime.combine(dt.date.today() + dt.timedelta(days=60),
                                                                       dt.time(10)))
        ids = {"case": case.id, "document": document.id, "hearing": sitting.id}
        db.session.commit()
    login(client, users["officer"])
    listed = client.post(f"/hearings/{ids['hearing']}/list", data={"case_id": ids["case"]}, follow_redirects=True)
    assert "1 item of panel material has not been disclosed" in listed.get_data(as_text=True)
    assert "1 not disclosed to the holder" in listed.get_data(as_text=True)
    page = client.get(f"/hearings/cases/{ids['case']}/disclosure")
    assert page.status_code == 200 and "Not disclosed" in page.get_data(as_text=True)
    today = dt.date.today()
    on = [today.day, today.month, today.year]
    refused = client.post(f"/hearings/cases/{ids['case']}/disclosure", data={
        "item": f"document:{ids['document']}", "decision": "withheld", "disclosed_on": on,
        "method": "email", "withheld_reason": "Names a witness"})
    assert refused.status_code == 200 and "Write the gist disclosed instead" in refused.get_data(as_text=True)
    done = client.post(f"/hearings/cases/{ids['case']}/disclosure", data={
        "item": f"document:{ids['document']}", "decision": "disclosed", "disclosed_on": on,
        "method": "email", "extent": "redacted copy"}, follow_redirects=True)
    assert "Disclosure recorded" in done.get_data(as_text=True)
    agenda = client.get(f"/hearings/{ids['hearing']}").get_data(as_text=True)
    assert "not disclosed to the holder" not in agenda and "Publish the agenda" in agenda
    published = client.post(f"/hearings/{ids['hearing']}/publish", follow_redirects=True).get_data(as_text=True)
    assert "Agenda published: 1 case bundle(s) issued" in published and "Bundle version 1" in published
    member = app.test_client()
    login(member, users["panel"])
    assert member.post(f"/hearings/{ids['hearing']}/publish").status_code == 404


def test_non_conviction_information_reaches_the_panel_through_disclosure_and_protected_items_never(officer):
    """An arrest linked to the case is restricted panel material like intelligence, and reaches the
    holder only as disclosed or as its gist; a protected (filtered) caution is not panel material."""
    listing, document = _listed(officer, "NONCON1")
    case = listing.case
    record_non_conviction(officer, case.holder, {
        "kind": "arrest", "source": "police", "handling_code": "P", "occurred_on": dt.date(2026, 1, 5),
        "received_on": dt.date(2026, 1, 9), "summary": "ARRESTED ON SUSPICION OF ASSAULT", "case_id": case.id},
        today=TODAY)
    conviction(case.holder, OffenceCategory.VIOLENCE, dt.date(2012, 3, 1), disposal="caution",
                         offence="OLD PROTECTED CAUTION")
    db.session.flush()
    items = material.panel_material(case)
    assert "OLD PROTECTED CAUTION" not in " ".join(i.text for i in items)
    arrest = next(i for i in items if i.kind.value == "non_conviction")
    assert arrest.restricted and "ARRESTED ON SUSPICION OF ASSAULT" in arrest.text
    uncleared = staff("officer", "noclear-noncon@x.gov.uk")
    assert material.summary_for(case, uncleared).hidden == 1
    _disclose(officer, case, f"document:{document.id}")
    _disclose(officer, case, arrest.key, decision="withheld", withheld_reason="Police investigation continuing",
              gist="The police have told the council of an arrest in January 2026")
    (panel, holder), = publication.publish_agenda(officer, listing.hearing, today=TODAY)[0]
    holder_text, panel_text = pdf_text(holder.content), pdf_text(panel.content)
    assert "ARRESTED ON SUSPICION OF ASSAULT" in panel_text and "ARRESTED ON SUSPICION" not in holder_text
    assert "The police have told the council of an arrest in January 2026" in holder_text
    assert "OLD PROTECTED CAUTION" not in panel_text
