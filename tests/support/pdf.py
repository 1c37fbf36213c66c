"""Reading the PDFs the service makes, as the tests check them."""

import io
import unicodedata

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas


def pdf_reader(content):
    return PdfReader(io.BytesIO(content))


def pdf_pages(content):
    """The extracted text of each page, as pypdf lays it out."""
    return [page.extract_text() for page in pdf_reader(content).pages]


def pdf_text(content):
    """All the text of a PDF on one line, every run of whitespace one space, in NFKC form (shaped
    Arabic is drawn with presentation forms, which read back as the letters they join)."""
    text = " ".join(" ".join(page.split()) for page in pdf_pages(content))
    return unicodedata.normalize("NFKC", text)


def make_pdf(*pages):
    """A small PDF whose pages say the given words, as an uploaded document would be."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for words in pages:
        canvas.drawString(72, 720, words)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
