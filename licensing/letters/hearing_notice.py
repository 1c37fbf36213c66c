"""Notice of a hearing, one per listed case. Pure: data in, PDF bytes out; user text escaped."""

import datetime as dt
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from licensing.letters.fonts import FONT, stylesheet
from licensing.text import govuk_date


@dataclass(frozen=True)
class HearingNotice:
    council_name: str
    reference: str
    notice_date: dt.date
    holder_name: str
    holder_address: str
    licence_numbers: str
    starts_at: dt.datetime
    venue: str
    deciding_body: str
    matters: str
    evidence_deadline: dt.date


def _p(text, style):
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def build_hearing_notice(notice):
    buffer = io.BytesIO()
    styles = stylesheet()
    body, h1, h2 = styles["BodyText"], styles["Heading1"], styles["Heading2"]
    doc = SimpleDocTemplate(buffer, pagesize=A4, initialFontName=FONT, leftMargin=20 * mm, rightMargin=20 * mm,
                            title=f"Notice of hearing {notice.reference}", author=notice.council_name)
    when = f"{govuk_date(notice.starts_at.date())} at {notice.starts_at:%H:%M}"
    doc.build([
        _p(notice.council_name, h2),
        _p(f"Reference: {notice.reference}", body),
        _p(f"Date of notice: {govuk_date(notice.notice_date)}", body),
        Spacer(1, 6 * mm), _p(notice.holder_name, body), _p(notice.holder_address, body), Spacer(1, 6 * mm),
        _p("Notice of hearing", h1),
        _p(f"The {notice.deciding_body} will consider your licence ({notice.licence_numbers}) at a "
           f"hearing on {when}.", body),
        _p(f"Venue: {notice.venue}", body),
        _p("Matters to be considered", h2),
        _p(notice.matters, body),
        _p("Your rights", h2),
        _p("You have the right to attend the hearing and to speak. You may be represented by a "
           "solicitor, a trade representative or a friend.", body),
        _p("You may submit written evidence or statements for the panel to consider. Send them to "
           f"the licensing office by {govuk_date(notice.evidence_deadline)}.", body),
        _p("If you do not attend, the hearing may go ahead and a decision may be made in your "
           "absence.", body),
    ])
    return buffer.getvalue()
