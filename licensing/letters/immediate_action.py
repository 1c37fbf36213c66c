"""The notice of an officer's suspension or revocation: with immediate effect (s.61(2B), driver
licences), or with notice under delegated powers (any licence; `immediate` false).

Pure: data in, PDF bytes out. Every piece of user text is escaped before it reaches
ReportLab's paragraph markup.
"""

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from licensing.letters.contact import CouncilContact, contact_paragraphs
from licensing.letters.fonts import FONT, paragraph, stylesheet
from licensing.text import govuk_date


@dataclass(frozen=True)
class ImmediateActionNotice:
    council_name: str
    holder_name: str
    holder_address: str
    licence_number: str
    licence_type: str
    kind: str  # "suspension" or "revocation"
    notice_date: dt.date
    effective_date: dt.date
    grounds: str
    public_safety_reason: str
    immediate: bool
    interim_pending_hearing: bool
    suspension_to: dt.date | None
    authorised_by: str
    reference: str
    power: str = ""  # from the statutory rule table; "" keeps the section 61 wording
    court_name: str = "the magistrates' court"
    appeal_deadline: dt.date | None = None
    return_words: str = "your badge"
    return_days: int = 7
    nr3s_entry: bool | None = None  # None: the revocation wording as before
    delegation: str = "powers delegated by the council"
    service_label: str = ""
    contact: CouncilContact | None = None


def _p(text, style):
    return paragraph(text, style)


def build_immediate_action_notice(notice):
    buffer = io.BytesIO()
    styles = stylesheet()
    body, heading = styles["BodyText"], styles["Heading1"]
    doc = SimpleDocTemplate(buffer, pagesize=A4, initialFontName=FONT, leftMargin=20 * mm, rightMargin=20 * mm,
                            title=f"Notice of {notice.kind} {notice.reference}", author=notice.council_name)
    verb = "suspended" if notice.kind == "suspension" else "revoked"
    decided = "suspend" if notice.kind == "suspension" else "revoke"
    section = "section 61(1) and (2B)" if notice.immediate else "section 61(1)"
    story = [
        _p(notice.council_name, styles["Heading2"]),
        _p(f"Reference: {notice.reference}", body),
        _p(f"Date of notice: {govuk_date(notice.notice_date)}", body),
        Spacer(1, 6 * mm),
        _p(notice.holder_name, body),
        _p(notice.holder_address or "", body),
        Spacer(1, 6 * mm),
        _p(f"Notice of {notice.kind} of your {notice.licence_type.lower()} licence", heading),
        _p(f"Licence number: {notice.licence_number}", body),
        # With notice, nothing has happened yet: the council has decided, and the decision waits.
        _p((f"Your licence is {verb}" if notice.immediate else f"The council has decided to {decided} your licence")
           + (f" under {notice.power}." if notice.power else
              f" under {section} of the Local Government (Miscellaneous Provisions) Act 1976."), body),
    ]
    if notice.interim_pending_hearing:
        story.append(_p("This is an interim suspension pending a hearing before the licensing "
                        "sub-committee, which will decide what further action, if any, to take.", body))
    elif notice.kind == "suspension" and notice.suspension_to:
        story.append(_p(f"The suspension lasts until {govuk_date(notice.suspension_to)}.", body))
    story += [_p("Grounds for the decision", styles["Heading2"]), _p(notice.grounds, body)]
    if notice.immediate:
        story += [
            _p("Immediate effect", styles["Heading2"]),
            _p(f"This decision takes effect immediately, on {govuk_date(notice.effective_date)}, "
               "because it is necessary in the interests of public safety "
               "(section 61(2B) of the 1976 Act). You must not drive a hackney carriage or "
               "private hire vehicle from that date.", body),
            _p(f"Why immediate effect is necessary: {notice.public_safety_reason}", body),
        ]
    else:
        story.append(_p(f"This decision takes effect on {govuk_date(notice.effective_date)}, the day after the "
                        "time to appeal ends.", body))
    # With notice (s.61(2A)) an appeal in time holds the decision (s.77(2)); with immediate effect it does not.
    stay = (" The right of appeal remains even though the decision has immediate effect; an appeal does not "
            "stop an immediate suspension or revocation from taking effect." if notice.immediate else
            " If you appeal in that time, the decision does not take effect until the appeal is decided, withdrawn "
            "or abandoned, and you may carry on under your licence until then (section 77(2) of the Local "
            "Government (Miscellaneous Provisions) Act 1976).")
    story += [
        _p("Your right of appeal", styles["Heading2"]),
        _p(f"You may appeal against this decision to {notice.court_name} within 21 days of the day this notice "
           "is served on you" + (f", that is by {govuk_date(notice.appeal_deadline)}" if notice.appeal_deadline
                                 else "") + "." + stay, body),
    ]
    if notice.return_words:
        story.append(_p(f"Return {notice.return_words} to the licensing office within {notice.return_days} days of "
                        + ("this notice." if notice.immediate else "the day the decision takes effect."), body))
    if notice.nr3s_entry if notice.nr3s_entry is not None else notice.kind == "revocation":
        story.append(_p("This decision will be recorded on the national register of refusals, revocations and "
                        "suspensions (NR3S), which other licensing authorities consult.", body))
    if notice.service_label:
        story.append(_p(f"This notice is given {notice.service_label.lower()} on {govuk_date(notice.notice_date)}.",
                        body))
    story += [
        Spacer(1, 6 * mm),
        _p(f"Authorised by: {notice.authorised_by}, under {notice.delegation}.", body),
    ]
    if notice.contact is not None:
        story += contact_paragraphs(notice.contact, body, styles["Heading2"])
    doc.build(story)
    return buffer.getvalue()
