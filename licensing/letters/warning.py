"""The notice of an officer's written warning under delegated powers. A warning is not a statutory
decision: the licence stays in force and no appeal lies to a court (the statutory rule table's
"warning" row). Pure: data in, PDF bytes out; all user text escaped."""

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
class WarningNotice:
    contact: CouncilContact
    reference: str
    holder_name: str
    holder_address: str
    licence_number: str
    licence_type: str  # its label
    decided_on: dt.date
    notice_date: dt.date
    service_label: str
    served_on: dt.date
    grounds: str
    decided_by: str
    delegation: str


def build_warning_notice(notice):
    styles = stylesheet()
    body, h1, h2 = styles["BodyText"], styles["Heading1"], styles["Heading2"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, initialFontName=FONT, leftMargin=20 * mm, rightMargin=20 * mm,
                            title=f"Written warning {notice.reference}", author=notice.contact.name)
    story = [
        paragraph(notice.contact.name, h2),
        paragraph(f"Reference: {notice.reference}", body),
        paragraph(f"Date of notice: {govuk_date(notice.notice_date)}", body),
        Spacer(1, 6 * mm), paragraph(notice.holder_name, body), paragraph(notice.holder_address or "", body),
        Spacer(1, 6 * mm),
        paragraph(f"Written warning about your {notice.licence_type.lower()} licence", h1),
        paragraph(f"Licence number: {notice.licence_number}", body),
        paragraph(f"Decided on: {govuk_date(notice.decided_on)}", body),
        paragraph("The council has decided to give you a written warning. Your licence is not suspended or "
                  "revoked and remains in force.", body),
        paragraph("Grounds for the warning", h2),
        paragraph(notice.grounds, body),
        paragraph("What this means", h2),
        paragraph(f"The warning takes effect when this notice is served on you, on {govuk_date(notice.served_on)}. "
                  "It is kept on your licensing record, and the council may take it into account if it has to "
                  "consider your licence again.", body),
        paragraph("There is no right of appeal to a court against a written warning. If you think it is wrong, "
                  "write to the licensing office.", body),
        paragraph(f"This notice is given {notice.service_label.lower()} on {govuk_date(notice.notice_date)}.", body),
        Spacer(1, 6 * mm),
        paragraph(f"Decided by: {notice.decided_by}, under {notice.delegation}.", body),
    ]
    story += contact_paragraphs(notice.contact, body, h2)
    doc.build(story)
    return buffer.getvalue()
