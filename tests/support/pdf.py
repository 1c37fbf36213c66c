"""Reading the PDFs the service makes, as the tests check them."""

import io
import unicodedata

from pypdf import PdfReader


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
