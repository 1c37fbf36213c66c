"""Names in any script print as written: Chinese from a CJK fallback font, Arabic joined and right
to left (HarfBuzz shaping), Latin with its accents from DejaVu Sans, all embedded."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from licensing.letters.fonts import ARABIC, CJK, FONT, markup, paragraph, stylesheet
from tests.support.pdf import pdf_reader, pdf_text

CHINESE = "王小明"
ARABIC_NAME = "رشيد الحسن"


def _pdf(*texts):
    buffer = io.BytesIO()
    body = stylesheet()["BodyText"]
    SimpleDocTemplate(buffer, pagesize=A4).build([paragraph(text, body) for text in texts])
    return buffer.getvalue()


def _fonts(pdf):
    return {str(font.get_object()["/BaseFont"]) for page in pdf_reader(pdf).pages
            for font in page["/Resources"]["/Font"].values()}


def test_markup_switches_font_only_for_the_runs_dejavu_cannot_set():
    assert markup("Łukasz Żółć & <b>") == "Łukasz Żółć &amp; &lt;b&gt;"
    assert markup(f"Wei {CHINESE}") == f'Wei <font name="{CJK}">{CHINESE}</font>'
    assert markup(f"Rashid {ARABIC_NAME} Khan") == f'Rashid <font name="{ARABIC}">{ARABIC_NAME}</font> Khan'
    assert markup("line one\nline two") == "line one<br/>line two"


def test_chinese_arabic_and_latin_names_print_and_read_back():
    pdf = _pdf(f"Holder: Wei {CHINESE}", f"Holder: Rashid {ARABIC_NAME} Khan", "Holder: Siobhán Ní Bhriain")
    text = pdf_text(pdf)
    assert f"Wei {CHINESE}" in text
    # Shaped and right to left: each word reads back in logical order (the words in display order).
    assert "Rashid الحسن رشيد Khan" in text or f"Rashid {ARABIC_NAME} Khan" in text
    assert "Siobhán Ní Bhriain" in text
    fonts = _fonts(pdf)
    assert any(FONT in f for f in fonts) and any(CJK in f for f in fonts) and any(ARABIC in f for f in fonts)


def test_arabic_is_shaped_into_joined_forms():
    raw = " ".join(page.extract_text() for page in pdf_reader(_pdf(ARABIC_NAME)).pages)
    # Joined letters are drawn with their presentation forms (U+FE70..U+FEFF), not the isolated letters.
    assert any("\ufe70" <= ch <= "\ufeff" for ch in raw), raw
