"""The notice of suspension until compliant (ReportLab). Pure: values in, PDF bytes out."""

import datetime as dt
import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

from licensing.letters.fonts import FONT, stylesheet
from licensing.text import govuk_date


def _p(text, style):
    return Paragraph(escape(str(text or "")), style)


def build_suspension_notice(*, council, holder_name, address, licence_number, reasons, decision_reason, issued_on):
    """`reasons` are dicts with `label` and `due_on` (ISO date). All user text is escaped."""
    styles = stylesheet()
    body, heading = styles["BodyText"], styles["Heading1"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, initialFontName=FONT, leftMargin=20 * mm, rightMargin=20 * mm,
                            title="Notice of suspension", author=council)
    story = [_p(council, styles["Heading2"]), _p(govuk_date(issued_on), body), Spacer(1, 6 * mm),
             _p(holder_name, body)]
    story += [_p(line, body) for line in (address or "").splitlines() if line.strip()]
    story += [
        Spacer(1, 6 * mm),
        _p(f"Notice of suspension of licence {licence_number}", heading),
        _p("Your licence is suspended from the date of this notice until you complete the "
           "following requirements, which were due on the dates shown:", body),
        ListFlowable([
            ListItem(_p(f"{r['label']} (due {govuk_date(dt.date.fromisoformat(r['due_on']))})", body))
            for r in reasons
        ], bulletType="bullet", bulletFontName=FONT),
        _p(f"Reason: {decision_reason}", body),
        _p("The suspension ends automatically when the council records that every requirement "
           "above is complete. You must not drive or operate under this licence until then.", body),
    ]
    doc.build(story)
    return buffer.getvalue()
