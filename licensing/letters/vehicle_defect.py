"""Notices under section 68 of the 1976 Act: the suspension of a vehicle licence for a defect
found at inspection, and the reminder before it is deemed revoked. Pure: data in, PDF bytes out;
the power and the two-month period come from the statutory rule table."""

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
class DefectNotice:
    contact: CouncilContact
    reference: str
    holder_name: str
    holder_address: str
    licence_number: str
    registration: str
    notice_date: dt.date
    service_label: str
    served_on: dt.date
    inspected_on: dt.date
    defects: str
    power: str
    remedy_by: dt.date
    months: int
    decided_by: str
    delegation: str
    reminder: bool = False


def build_defect_notice(notice):
    styles = stylesheet()
    body, heading, h2 = styles["BodyText"], styles["Heading1"], styles["Heading2"]
    buffer = io.BytesIO()
    title = "Reminder: vehicle licence suspended" if notice.reminder else "Notice of suspension of a vehicle licence"
    doc = SimpleDocTemplate(buffer, pagesize=A4, initialFontName=FONT, leftMargin=20 * mm, rightMargin=20 * mm,
                            title=f"{title} {notice.reference}", author=notice.contact.name)
    vehicle = f"vehicle {notice.registration}" if notice.registration else "the vehicle"
    story = [paragraph(notice.contact.name, h2), paragraph(f"Reference: {notice.reference}", body),
             paragraph(f"Date of notice: {govuk_date(notice.notice_date)}", body), Spacer(1, 6 * mm),
             paragraph(notice.holder_name, body), paragraph(notice.holder_address or "", body), Spacer(1, 6 * mm),
             paragraph(title, heading),
             paragraph(f"Licence number: {notice.licence_number}", body)]
    if notice.reminder:
        story.append(paragraph(
            f"The licence for {vehicle} has been suspended under {notice.power} since the notice of "
            f"{govuk_date(notice.served_on)}, because of the defects below. They have not yet been put right.", body))
    else:
        story.append(paragraph(
            f"An authorised officer inspected {vehicle} on {govuk_date(notice.inspected_on)} and is not satisfied "
            f"that it is fit to be used as a licensed vehicle. Under {notice.power} the licence is suspended from "
            f"{govuk_date(notice.served_on)}, when this notice is given, and the vehicle must not be used as a "
            "licensed vehicle until the council is satisfied that the defects have been put right.", body))
    story += [paragraph("Defects found", h2), paragraph(notice.defects, body),
              paragraph("What happens next", h2),
              paragraph("When the defects are put right, bring the vehicle for inspection. The suspension ends on the "
                        "day the council records that it is satisfied.", body),
              paragraph(f"If the defects are not put right by {govuk_date(notice.remedy_by)} ({notice.months} months "
                        f"from the notice), the licence is deemed revoked under section 68 the next day.", body)]
    if not notice.reminder:
        story.append(paragraph(f"This notice is given {notice.service_label.lower()} on "
                               f"{govuk_date(notice.notice_date)}.", body))
    story += [Spacer(1, 6 * mm),
              paragraph(f"Authorised officer: {notice.decided_by}, under {notice.delegation}.", body)]
    story += contact_paragraphs(notice.contact, body, h2)
    doc.build(story)
    return buffer.getvalue()
