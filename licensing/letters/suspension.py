"""The notice of a suspension until compliant: a suspension "for any other reasonable cause" under
the section for the licence type (s.60 vehicles, s.61 drivers, s.62 operators), with its grounds,
when it takes effect, how it ends, the right of appeal and the s.77(2) stay. Pure: data in, PDF
bytes out; the power, court, periods and return come from the statutory rule table."""

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, ListItem, SimpleDocTemplate, Spacer

from licensing.letters.application_decision import NR3S_NAME
from licensing.letters.contact import CouncilContact, contact_paragraphs
from licensing.letters.fonts import FONT, paragraph, stylesheet
from licensing.text import govuk_date


@dataclass(frozen=True)
class SuspensionNotice:
    contact: CouncilContact
    reference: str
    holder_name: str
    holder_address: str
    licence_number: str
    licence_type: str  # its label
    notice_date: dt.date
    service_label: str
    served_on: dt.date
    power: str
    requirements: tuple  # (label, due_on) pairs
    decision_reason: str
    immediate: bool
    public_safety_reason: str
    effective_on: dt.date
    court_name: str
    appeal_deadline: dt.date
    appeal_days: int
    return_words: str | None
    return_days: int | None
    nr3s_entry: bool
    decided_by: str
    delegation: str


def build_suspension_notice(notice):
    styles = stylesheet()
    body, heading, h2 = styles["BodyText"], styles["Heading1"], styles["Heading2"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, initialFontName=FONT, leftMargin=20 * mm, rightMargin=20 * mm,
                            title=f"Notice of suspension {notice.reference}", author=notice.contact.name)
    story = [paragraph(notice.contact.name, h2), paragraph(f"Reference: {notice.reference}", body),
             paragraph(f"Date of notice: {govuk_date(notice.notice_date)}", body), Spacer(1, 6 * mm),
             paragraph(notice.holder_name, body), paragraph(notice.holder_address or "", body), Spacer(1, 6 * mm),
             paragraph(f"Notice of suspension of your {notice.licence_type.lower()} licence", heading),
             paragraph(f"Licence number: {notice.licence_number}", body),
             paragraph(f"The council has decided to suspend your licence under {notice.power}, for any other "
                       "reasonable cause: you have not completed these requirements of your licence by the dates "
                       "they were due.", body),
             ListFlowable([ListItem(paragraph(f"{label} (due {govuk_date(due_on)})", body))
                           for label, due_on in notice.requirements], bulletType="bullet", bulletFontName=FONT),
             paragraph(f"Reason for the decision: {notice.decision_reason}", body),
             paragraph("When the suspension takes effect", h2)]
    if notice.immediate:
        story += [paragraph(f"The suspension takes effect immediately, on {govuk_date(notice.effective_on)}, "
                            "because it is necessary in the interests of public safety (section 61(2B) of the "
                            "Local Government (Miscellaneous Provisions) Act 1976). An appeal does not stop it.", body),
                  paragraph(f"Why immediate effect is necessary: {notice.public_safety_reason}", body)]
    else:
        story.append(paragraph(
            f"The suspension takes effect on {govuk_date(notice.effective_on)}, the day after the time to appeal "
            "ends. If you appeal in time, it does not take effect until the appeal is decided or abandoned, and you "
            "may carry on working under your licence until then (section 77(2) of the Local Government "
            "(Miscellaneous Provisions) Act 1976).", body))
    story += [paragraph("How the suspension ends", h2),
              paragraph("The suspension ends on the day the council records that every requirement above is "
                        "complete, and your licence is then in force again. If you complete them before the "
                        "suspension takes effect, it will not take effect.", body),
              paragraph("Your right of appeal", h2),
              paragraph(f"You may appeal against this decision to {notice.court_name}. The last day to appeal is "
                        f"{govuk_date(notice.appeal_deadline)}: {notice.appeal_days} days from the day this notice "
                        f"is served on you ({govuk_date(notice.served_on)}).", body)]
    if notice.return_words:
        story.append(paragraph(f"When the suspension takes effect, return {notice.return_words} to the licensing "
                               f"office within {notice.return_days} days.", body))
    if notice.nr3s_entry:
        story.append(paragraph(f"This decision will be recorded on {NR3S_NAME}, which other licensing authorities "
                               "consult.", body))
    story += [paragraph(f"This notice is given {notice.service_label.lower()} on {govuk_date(notice.notice_date)}.",
                        body),
              Spacer(1, 6 * mm),
              paragraph(f"Decided by: {notice.decided_by}, under {notice.delegation}.", body)]
    story += contact_paragraphs(notice.contact, body, h2)
    doc.build(story)
    return buffer.getvalue()
