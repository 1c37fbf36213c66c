"""The notice of a decision on an application: grant (term, expiry, conditions and any right of
appeal against them) or refusal (reasons, the power, the court and the last day to appeal). Pure:
data in, PDF bytes out; every power, court and period comes from the statutory rule table."""

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from licensing.letters.contact import CouncilContact, contact_paragraphs
from licensing.letters.fonts import FONT, paragraph, stylesheet
from licensing.text import govuk_date

NR3S_NAME = "the national register of refusals, revocations and suspensions (NR3S)"


@dataclass(frozen=True)
class ApplicationNotice:
    contact: CouncilContact
    reference: str
    holder_name: str
    holder_address: str
    licence_number: str
    licence_type: str  # its label, e.g. "Private hire driver"
    renewal: bool
    granted: bool
    decided_on: dt.date
    reasons: str
    power: str
    court_name: str | None
    appeal_against: str | None  # "decision" or "conditions"
    service_label: str
    notice_date: dt.date
    served_on: dt.date
    appeal_deadline: dt.date | None
    starts_on: dt.date | None
    expires_on: dt.date | None
    conditions: str
    nr3s_entry: bool
    decided_by: str
    delegation: str


def _appeal(notice, body):
    if not notice.court_name or not notice.appeal_deadline:
        return []
    what = "the conditions attached to the licence" if notice.appeal_against == "conditions" else "this decision"
    return [paragraph(f"You may appeal against {what} to {notice.court_name}. The last day to appeal is "
                      f"{govuk_date(notice.appeal_deadline)}: 21 days from the day this notice is served on you "
                      f"({govuk_date(notice.served_on)}).", body)]


def _grant(notice, body, h2):
    story = [paragraph(f"Your application is granted under {notice.power}.", body),
             paragraph("Your licence", h2),
             paragraph(f"The licence runs from {govuk_date(notice.starts_on)} until {govuk_date(notice.expires_on)}.",
                       body)]
    story.append(paragraph(f"Conditions of the licence: {notice.conditions}" if notice.conditions
                           else "The licence carries the council's standard conditions.", body))
    if notice.appeal_against == "conditions":
        story.append(paragraph("Your right of appeal", h2))
        story += _appeal(notice, body)
    return story


def _refusal(notice, body, h2):
    if notice.renewal:
        effect = ("Your licence is not renewed. Until the time for appealing has ended, and if you appeal in time "
                  "until the appeal is decided, withdrawn or abandoned, you may carry on under your current licence "
                  "while it remains in force (section 77(2) of the Local Government (Miscellaneous Provisions) "
                  "Act 1976).")
    else:
        effect = "No licence is granted. You must not act under a licence of this kind unless one is granted."
    story = [paragraph(f"Your application is refused under {notice.power}.", body),
             paragraph("Reasons", h2), paragraph(notice.reasons, body),
             paragraph("What this means", h2), paragraph(effect, body),
             paragraph("Your right of appeal", h2)]
    story += _appeal(notice, body)
    if notice.nr3s_entry:
        story.append(paragraph(f"This refusal will be recorded on {NR3S_NAME}, which other licensing "
                               "authorities consult.", body))
    return story


def build_application_notice(notice):
    buffer = io.BytesIO()
    styles = stylesheet()
    body, h1, h2 = styles["BodyText"], styles["Heading1"], styles["Heading2"]
    doc = SimpleDocTemplate(buffer, pagesize=A4, initialFontName=FONT, leftMargin=20 * mm, rightMargin=20 * mm,
                            title=f"Decision {notice.reference}", author=notice.contact.name)
    kind = "renewal of your" if notice.renewal else "your application for a"
    story = [
        paragraph(notice.contact.name, h2),
        paragraph(f"Reference: {notice.reference}", body),
        paragraph(f"Date of notice: {govuk_date(notice.notice_date)}", body),
        paragraph(f"This notice is given {notice.service_label.lower()} on {govuk_date(notice.notice_date)}; it is "
                  f"treated as served on {govuk_date(notice.served_on)}.", body),
        Spacer(1, 6 * mm), paragraph(notice.holder_name, body), paragraph(notice.holder_address, body),
        Spacer(1, 6 * mm),
        paragraph(f"Decision on {kind} {notice.licence_type.lower()} licence", h1),
        paragraph(f"Licence number: {notice.licence_number}", body),
        paragraph(f"Decided on: {govuk_date(notice.decided_on)}", body),
    ]
    story += _grant(notice, body, h2) if notice.granted else _refusal(notice, body, h2)
    story += [Spacer(1, 6 * mm), paragraph(f"Decided by: {notice.decided_by}, under {notice.delegation}.", body)]
    story += contact_paragraphs(notice.contact, body, h2)
    doc.build(story)
    return buffer.getvalue()
