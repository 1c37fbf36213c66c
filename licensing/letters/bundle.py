"""The panel bundle for one listed case as one PDF: contents page, numbered pages and a
confidentiality marking on every page. Pure: plain data in, bytes out; user text escaped."""

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from licensing.letters.fonts import BOLD, FONT, paragraph, stylesheet

MARKING = "OFFICIAL-SENSITIVE: confidential to the hearing panel. Do not copy or share."


@dataclass(frozen=True)
class BundleSection:
    title: str
    lines: tuple  # plain text paragraphs


def _p(text, style):
    return paragraph(text, style)


def _decorate(canvas, doc):
    canvas.saveState()
    canvas.setFont(BOLD, 8)
    canvas.drawString(20 * mm, A4[1] - 12 * mm, MARKING)
    canvas.setFont(FONT, 8)
    canvas.drawString(20 * mm, 10 * mm, MARKING)
    canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Page {doc.page}")
    canvas.restoreState()


def _sections_story(sections, styles):
    story = []
    for section in sections:
        story.append(PageBreak())
        story.append(_p(section.title, styles["Heading1"]))
        story += [_p(line, styles["BodyText"]) for line in section.lines] or [_p("None.", styles["BodyText"])]
    return story


def build_bundle(title, sections):
    """Two passes: the first finds each section's first page for the contents page."""
    styles = stylesheet()
    starts = {}

    class Tracking(SimpleDocTemplate):
        def afterFlowable(self, flowable):
            if isinstance(flowable, Paragraph) and flowable.style.name == "Heading1":
                starts.setdefault(flowable.getPlainText(), self.page)

    def render(page_numbers):
        buffer = io.BytesIO()
        doc = Tracking(buffer, pagesize=A4, initialFontName=FONT, leftMargin=20 * mm, rightMargin=20 * mm,
                       topMargin=20 * mm, bottomMargin=20 * mm, title=title)
        contents = [_p(title, styles["Title"]), _p(MARKING, styles["BodyText"]), _p("Contents", styles["Heading2"])]
        for section in sections:
            page = page_numbers.get(section.title, "")
            contents.append(_p(f"{section.title} .......... page {page}", styles["BodyText"]))
        doc.build(contents + _sections_story(sections, styles), onFirstPage=_decorate, onLaterPages=_decorate)
        return buffer.getvalue()

    render({})
    first_pass = dict(starts)
    starts.clear()
    return render(first_pass)
