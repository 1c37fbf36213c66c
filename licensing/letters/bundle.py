"""A hearing bundle for one listed case as one PDF: a contents page giving each section's and
each document's first page, the sections, then the documents themselves (a PDF's own pages merged
in, an image drawn on its page, any other file listed with a note). Every page, merged ones too,
carries the marking, the bundle's version and issue date, and its page number across the whole
bundle. Pure: plain data in, bytes out; user text escaped."""

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate

from licensing.letters.fonts import BOLD, FONT, paragraph, register_fonts, stylesheet

MARKING = "OFFICIAL-SENSITIVE: confidential to the hearing panel. Do not copy or share."
IMAGE_TYPES = ("image/png", "image/jpeg")
FRAME = (A4[0] - 40 * mm, A4[1] - 70 * mm)  # room an image may take below its heading


@dataclass(frozen=True)
class BundleSection:
    title: str
    lines: tuple  # plain text paragraphs


@dataclass(frozen=True)
class BundleDocument:
    title: str
    filename: str
    content_type: str
    content: bytes
    note: str = ""  # printed on its first page, e.g. whether the holder has it


def _p(text, style):
    return paragraph(text, style)


def _pdf_pages(document):
    """The pages of a PDF document, or None when it is not a PDF or cannot be read."""
    if document.content_type != "application/pdf":
        return None
    try:
        pages = list(PdfReader(io.BytesIO(document.content)).pages)
    except Exception:  # noqa: BLE001 - a damaged upload of any kind is listed, not merged
        return None
    return pages or None


def _image(document):
    if document.content_type not in IMAGE_TYPES:
        return None
    try:
        width, height = ImageReader(io.BytesIO(document.content)).getSize()
    except Exception:  # noqa: BLE001 - an unreadable image is listed, not drawn
        return None
    scale = min(FRAME[0] / width, FRAME[1] / height, 1.0)
    return Image(io.BytesIO(document.content), width=width * scale, height=height * scale)


def document_heading(number, document):
    return f"Document {number}: {document.title}"


def _document_story(number, document, pages, styles):
    story = [PageBreak(), _p(document_heading(number, document), styles["Heading1"]),
             _p(f"File: {document.filename}", styles["BodyText"])]
    if document.note:
        story.append(_p(document.note, styles["BodyText"]))
    image = _image(document)
    if pages:
        story.append(_p(f"The document's {len(pages)} page(s) follow.", styles["BodyText"]))
    elif image is not None:
        story.append(image)
    else:
        story.append(_p("This file cannot be reproduced in the bundle; the licensing team will provide a copy "
                        "on request.", styles["BodyText"]))
    return story


def _sections_story(sections, styles):
    story = []
    for section in sections:
        story.append(PageBreak())
        story.append(_p(section.title, styles["Heading1"]))
        story += [_p(line, styles["BodyText"]) for line in section.lines] or [_p("None.", styles["BodyText"])]
    return story


class _Layout:
    """Where things fall: each heading's page in the ReportLab part, and the merged pages inserted
    after each document's first page, so every page knows its number in the whole bundle."""

    def __init__(self):
        self.starts, self.last_page, self.inserted = {}, 0, {}

    def number(self, page):
        return page + sum(count for after, count in self.inserted.items() if after < page)

    def total(self):
        return self.last_page + sum(self.inserted.values())


def _draw_marks(canvas, width, height, marking, version_line, page_line):
    canvas.saveState()
    canvas.setFont(BOLD, 8)
    canvas.drawString(20 * mm, height - 12 * mm, marking)
    canvas.setFont(FONT, 8)
    if version_line:
        canvas.drawRightString(width - 20 * mm, height - 16 * mm, version_line)
    canvas.drawString(20 * mm, 10 * mm, marking)
    canvas.drawRightString(width - 20 * mm, 10 * mm, page_line)
    canvas.restoreState()


def _overlay(page, marking, version_line, page_line):
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    _draw_marks(canvas, width, height, marking, version_line, page_line)
    canvas.showPage()
    canvas.save()
    return PdfReader(io.BytesIO(buffer.getvalue())).pages[0]


def build_bundle(title, sections, documents=(), *, marking=MARKING, version_line=""):
    """Two ReportLab passes (the first finds where each section and document starts), then the
    PDF documents' own pages are merged in after their first page and stamped like the rest."""
    register_fonts()
    styles = stylesheet()
    documents = list(documents)
    pages = [_pdf_pages(d) for d in documents]
    layout, seen = _Layout(), _Layout()

    class Tracking(SimpleDocTemplate):
        def afterFlowable(self, flowable):
            if isinstance(flowable, Paragraph) and flowable.style.name == "Heading1":
                seen.starts.setdefault(flowable.getPlainText(), self.page)

    def decorate(canvas, doc):
        seen.last_page = max(seen.last_page, doc.page)
        total = layout.total() or "?"
        _draw_marks(canvas, A4[0], A4[1], marking, version_line, f"Page {layout.number(doc.page)} of {total}")

    def render():
        buffer = io.BytesIO()
        doc = Tracking(buffer, pagesize=A4, initialFontName=FONT, leftMargin=20 * mm, rightMargin=20 * mm,
                       topMargin=22 * mm, bottomMargin=20 * mm, title=title)
        contents = [_p(title, styles["Title"]), _p(marking, styles["BodyText"])]
        if version_line:
            contents.append(_p(version_line, styles["BodyText"]))
        contents.append(_p("Contents", styles["Heading2"]))
        headings = [s.title for s in sections] + [document_heading(n, d) for n, d in enumerate(documents, 1)]
        for heading in headings:
            page = layout.number(layout.starts[heading]) if heading in layout.starts else ""
            contents.append(_p(f"{heading} .......... page {page}", styles["BodyText"]))
        story = contents + _sections_story(sections, styles)
        for number, (document, doc_pages) in enumerate(zip(documents, pages, strict=True), 1):
            story += _document_story(number, document, doc_pages, styles)
        doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
        return buffer.getvalue()

    render()
    layout.starts, layout.last_page = dict(seen.starts), seen.last_page
    layout.inserted = {layout.starts[document_heading(n, d)]: len(p)
                       for n, (d, p) in enumerate(zip(documents, pages, strict=True), 1) if p}
    seen.starts.clear()
    rendered = render()
    return _merge(rendered, layout, documents, pages, marking, version_line)


def _merge(rendered, layout, documents, pages, marking, version_line):
    if not any(pages):
        return rendered
    after = {layout.starts[document_heading(n, d)]: p
             for n, (d, p) in enumerate(zip(documents, pages, strict=True), 1) if p}
    writer, total, number = PdfWriter(), layout.total(), 0
    for page_index, page in enumerate(PdfReader(io.BytesIO(rendered)).pages, 1):
        writer.add_page(page)
        number += 1
        for inserted in after.get(page_index, ()):
            number += 1
            added = writer.add_page(inserted)
            added.merge_page(_overlay(added, marking, version_line, f"Page {number} of {total}"))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
