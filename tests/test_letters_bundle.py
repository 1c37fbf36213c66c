"""The bundle builder: documents' own pages merged and numbered, images drawn, other files listed,
and a contents page that gives where each section and document starts."""

import io
import re

from PIL import Image as PilImage

from licensing.letters.bundle import BundleDocument, BundleSection, build_bundle
from tests.support.pdf import make_pdf, pdf_pages, pdf_reader


def _png():
    buffer = io.BytesIO()
    PilImage.new("RGB", (400, 300), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def test_merged_pages_are_stamped_and_the_contents_give_each_first_page():
    documents = [
        BundleDocument("Witness statement", "w.pdf", "application/pdf", make_pdf("WITNESS ONE", "WITNESS TWO")),
        BundleDocument("Photograph of the cab", "cab.png", "image/png", _png()),
        BundleDocument("Damaged scan", "scan.pdf", "application/pdf", b"%PDF-1.4 not really"),
        BundleDocument("Spreadsheet", "fares.xlsx", "application/octet-stream", b"PK\x03\x04"),
    ]
    content = build_bundle("Hearing bundle: case RC-1", [BundleSection("Officer's report", ("Background.",))],
                           documents, version_line="Version 3, issued 2 March 2026")
    pages = pdf_pages(content)
    assert len(pages) == 8  # contents, report, 1 + 2 merged, image, damaged, spreadsheet
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of 8" in text and "Version 3, issued 2 March 2026" in text, (number, text)
    assert "WITNESS ONE" in pages[3] and "WITNESS TWO" in pages[4]
    contents = " ".join(pages[0].split())
    found = dict(re.findall(r"(Officer's report|Document \d: [\w ]+?) \.+ page (\d+)", contents))
    assert found == {"Officer's report": "2", "Document 1: Witness statement": "3",
                     "Document 2: Photograph of the cab": "6", "Document 3: Damaged scan": "7",
                     "Document 4: Spreadsheet": "8"}
    assert list(pdf_reader(content).pages[5].images), "the photograph is drawn on its page"
    for listed in (pages[6], pages[7]):
        assert "cannot be reproduced in the bundle" in listed
