import datetime as dt
from dataclasses import replace

from licensing.letters.decision import DecisionLetter, build_decision_letter
from licensing.revocations.effects import appeal_deadline, effective_date
from tests.support.pdf import pdf_text as _text

D = dt.date


BASE = DecisionLetter(
    council_name="Example Council", reference="HD-1", holder_name="Sam Driver", holder_address="1 High St",
    licence_number="D123", licence_type="Hackney carriage driver", is_driver=True, is_vehicle=False,
    hearing_date=D(2026, 3, 2), deciding_body="Licensing sub-committee", outcome="revoke",
    reasons="Repeated offences.", notice_date=D(2026, 3, 3), appeal_deadline=appeal_deadline(D(2026, 3, 3)),
    effective_date=effective_date(D(2026, 3, 2), D(2026, 3, 3), immediate=False), immediate=False,
    public_safety_reason="", suspension_to=None, safeguarding_or_road_safety=True,
    decided_by="Chris Chair", panel="A Member, B Member")


def test_effective_date_rule():
    assert appeal_deadline(D(2026, 3, 3)) == D(2026, 3, 24)
    assert effective_date(D(2026, 3, 2), D(2026, 3, 3), immediate=False) == D(2026, 3, 25)
    # s.61(2B): an immediate decision takes effect when notice is given, not on the decision date.
    assert effective_date(D(2026, 3, 2), D(2026, 3, 3), immediate=True) == D(2026, 3, 3)


def test_revocation_letter_has_appeal_rights_21_day_date_return_and_nr3s():
    text = _text(build_decision_letter(BASE))
    assert "Sam Driver" in text and "D123" in text
    assert "Licensing sub-committee on 2 March 2026" in text
    assert "section 61(1) of the Local Government (Miscellaneous Provisions) Act 1976" in text
    assert "magistrates' court within 21 days" in text
    assert "by 24 March 2026" in text
    assert "effect on 25 March 2026" in text
    assert "return your driver's badge" in text
    assert "NR3S" in text
    assert "Decided by: Chris Chair" in text


def test_immediate_suspension_wording():
    letter = replace(BASE, outcome="suspend", immediate=True, effective_date=D(2026, 3, 2),
                     public_safety_reason="Risk to passengers.", suspension_to=D(2026, 6, 1))
    text = _text(build_decision_letter(letter))
    assert "takes effect immediately, on 2 March 2026" in text
    assert "section 61(2B)" in text and "Risk to passengers." in text
    assert "until 1 June 2026" in text
    assert "within 21 days" in text
    assert "badge" not in text


def test_vehicle_and_warning_letters():
    vehicle = _text(build_decision_letter(replace(BASE, is_driver=False, is_vehicle=True,
                                                  licence_type="Private hire vehicle")))
    assert "section 60" in vehicle and "licence plates" in vehicle
    warning = _text(build_decision_letter(replace(BASE, outcome="warning", safeguarding_or_road_safety=False)))
    assert "a written warning" in warning and "NR3S" not in warning and "appeal" not in warning


def test_markup_in_reasons_renders_literally():
    payload = '<font color="[[[x]]]">bad</font> & <b>bold</b>'
    text = _text(build_decision_letter(replace(BASE, reasons=payload, holder_name="<i>Sam</i>")))
    assert '<font color="[[[x]]]">bad</font>' in text
    assert "<b>bold</b>" in text and "<i>Sam</i>" in text


def test_hearing_notice_escapes_markup_and_states_rights():
    from licensing.letters.hearing_notice import HearingNotice, build_hearing_notice

    notice = HearingNotice(
        council_name="Example Council", reference="HN-1", notice_date=D(2026, 3, 2), holder_name="Sam",
        holder_address="1 High St", licence_numbers="D123", starts_at=dt.datetime(2026, 3, 16, 14, 30),
        venue="Room 1", deciding_body="Licensing sub-committee",
        matters='<font color="[[[x]]]">Complaint</font>', evidence_deadline=D(2026, 3, 11))
    text = _text(build_hearing_notice(notice))
    assert '<font color="[[[x]]]">Complaint</font>' in text
    assert "16 March 2026 at 14:30" in text and "Room 1" in text
    assert "right to attend" in text and "represented" in text and "by 11 March 2026" in text


def test_ical_folding_and_escaping():
    from types import SimpleNamespace

    from licensing.hearings.ical import escape_text, fold, hearing_invitation
    from licensing.models import HearingStatus

    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    long_line = "LOCATION:" + "é" * 100
    folded = fold(long_line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == long_line
    hearing = SimpleNamespace(id=7, starts_at=dt.datetime(2026, 3, 16, 14, 30), venue="Town Hall, Room 1",
                              deciding_body="Sub-committee", status=HearingStatus.CANCELLED)
    body = hearing_invitation(hearing, "example.gov.uk", now=dt.datetime(2026, 1, 1))
    assert "LOCATION:Town Hall\\, Room 1\r\n" in body and "STATUS:CANCELLED" in body
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/London" in body
    assert "UID:hearing-7@example.gov.uk" in body and "DTEND;TZID=Europe/London:20260316T173000" in body


def test_letter_from_the_rule_table_cites_its_power_and_court_and_warnings_cite_none():
    from licensing.policy.statutory import rule_for

    hcv = rule_for("hackney_carriage_vehicle", "refuse_new")
    refused = _text(build_decision_letter(replace(
        BASE, outcome="refuse", is_driver=False, is_vehicle=True, power=hcv.cited_power(False),
        court_name=hcv.court_name, appeal_days=hcv.appeal_days, from_rule_table=True)))
    assert "section 37 of the Town Police Clauses Act 1847" in refused
    assert "to the Crown Court within 21 days" in refused and "magistrates" not in refused
    driver = rule_for("hackney_carriage_driver", "refuse_new")
    hc_driver = _text(build_decision_letter(replace(BASE, outcome="refuse", power=driver.power,
                                                    court_name=driver.court_name, appeal_days=21,
                                                    from_rule_table=True)))
    assert "section 59 of the Local Government" in hc_driver and "section 51" not in hc_driver
    warning = _text(build_decision_letter(replace(BASE, outcome="warning", power=None, court_name=None,
                                                  from_rule_table=True, safeguarding_or_road_safety=False)))
    assert "section 61" not in warning and "made under" not in warning and "appeal" not in warning
