"""Every PDF embeds a Unicode font, so names outside Latin-1 print as written."""

import datetime as dt
from dataclasses import replace

from licensing.letters.bundle import BundleSection, build_bundle
from licensing.letters.contact import CouncilContact
from licensing.letters.decision import build_decision_letter
from licensing.letters.hearing_notice import HearingNotice, build_hearing_notice
from licensing.letters.immediate_action import ImmediateActionNotice, build_immediate_action_notice
from licensing.letters.suspension import SuspensionNotice, build_suspension_notice
from tests.support.pdf import pdf_reader as _reader
from tests.support.pdf import pdf_text as _text
from tests.test_hearings_letters import BASE

NAME = "Łukasz Żółć O'Brien"
D = dt.date


def _font_names(pdf):
    names = set()
    for page in _reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            assert "/DescendantFonts" in font or "/FontDescriptor" in font  # embedded, not a base-14 font
    return names


def _assert_unicode_pdf(pdf):
    assert NAME in _text(pdf)
    names = _font_names(pdf)
    assert names and all("DejaVuSans" in n for n in names), names


def test_decision_letter_prints_the_holders_name_exactly():
    pdf = build_decision_letter(replace(BASE, holder_name=NAME, reasons=f"{NAME} did not attend.",
                                        holder_address="Flat 2, Świętokrzyska Road"))
    _assert_unicode_pdf(pdf)
    assert "Świętokrzyska Road" in _text(pdf)
    assert f"{NAME} did not attend." in _text(pdf)


def test_hearing_notice_immediate_action_suspension_and_bundle_use_the_unicode_font():
    notice = build_hearing_notice(HearingNotice(
        council_name="Example Council", reference="HN-1", notice_date=D(2026, 3, 2), holder_name=NAME,
        holder_address="1 High St", licence_numbers="D123", starts_at=dt.datetime(2026, 3, 30, 10),
        venue="Committee Room 1", deciding_body="Licensing sub-committee", matters="Conduct",
        evidence_deadline=D(2026, 3, 23)))
    immediate = build_immediate_action_notice(ImmediateActionNotice(
        council_name="Example Council", holder_name=NAME, holder_address="1 High St", licence_number="D123",
        licence_type="Hackney carriage driver", kind="suspension", notice_date=D(2026, 3, 2),
        effective_date=D(2026, 3, 2), grounds="Arrest", public_safety_reason="Risk to passengers",
        immediate=True, interim_pending_hearing=True, suspension_to=None, authorised_by="Olive Officer",
        reference="IA-1"))
    suspension = build_suspension_notice(SuspensionNotice(
        contact=CouncilContact("Example Council", "Town Hall", "01234 567890", "licensing@example.gov.uk"),
        reference="EA-000001", holder_name=NAME, holder_address="1 High St", licence_number="D123",
        licence_type="Hackney carriage driver", notice_date=D(2026, 3, 2), service_label="By hand",
        served_on=D(2026, 3, 2), power="section 61(1) of the Local Government (Miscellaneous Provisions) Act 1976",
        requirements=(("Group 2 medical", D(2026, 1, 1)),), decision_reason="Overdue", immediate=False,
        public_safety_reason="", effective_on=D(2026, 3, 24), court_name="the magistrates' court",
        appeal_deadline=D(2026, 3, 23), appeal_days=21, return_words="your driver's badge", return_days=7,
        nr3s_entry=False,
        decided_by=f"{NAME}, Licensing Officer", delegation="LIC/04"))
    bundle = build_bundle(f"Hearing bundle: {NAME}", [BundleSection("Officer's report", (f"About {NAME}.",))])
    for pdf in (notice, immediate, suspension, bundle):
        _assert_unicode_pdf(pdf)
