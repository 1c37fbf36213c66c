"""Unicode fonts for every PDF the service makes.

ReportLab's built-in fonts cover Latin-1 only, so a name such as "Łukasz Żółć" would print as
black boxes. Every document uses DejaVu Sans instead, embedded in the PDF. The TrueType files
come from the pinned npm package `dejavu-fonts-ttf` and are copied here by `make assets`.

DejaVu Sans has no Chinese, Japanese or Korean characters and its Arabic is not shaped, so text in
those scripts is set in Noto fonts (npm packages `@expo-google-fonts/noto-sans-sc` and
`@embedpdf/fonts-arabic`), shaped by HarfBuzz (`uharfbuzz`, which ReportLab uses when a style has
`shaping` on) so Arabic letters join and run right to left.

Use `stylesheet()` in place of `reportlab.lib.styles.getSampleStyleSheet()`, `paragraph(text, style)`
for any text that may hold a person's name (it escapes the text and switches font by script), and
`FONT` / `BOLD` with `canvas.setFont`.
"""

import copy
import functools
import re
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

FONT_DIR = Path(__file__).with_name("fonts")
FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
FACES = {FONT: (0, 0), BOLD: (1, 0), ITALIC: (0, 1), BOLD_ITALIC: (1, 1)}
ARABIC = "NotoNaskhArabic"
CJK = "NotoSansSC"
FALLBACKS = {ARABIC: "NotoNaskhArabic-Regular.ttf", CJK: "NotoSansSC-Regular.ttf"}
# Arabic, Arabic Supplement, Arabic Extended-A and the presentation forms.
ARABIC_RUN = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+")


class FontsMissing(RuntimeError):
    pass


@functools.cache
def register_fonts():
    """Register DejaVu Sans with ReportLab (once per process), so that <b> and <i> in
    paragraph markup pick the bold and oblique faces."""
    for name, (bold, italic) in FACES.items():
        path = FONT_DIR / f"{name}.ttf"
        if not path.is_file():
            raise FontsMissing(f"{path} is missing: run `make assets` to install the letter fonts")
        pdfmetrics.registerFont(TTFont(name, str(path)))
        addMapping(FONT, bold, italic, name)
    for name, filename in FALLBACKS.items():
        path = FONT_DIR / filename
        if not path.is_file():
            raise FontsMissing(f"{path} is missing: run `make assets` to install the letter fonts")
        pdfmetrics.registerFont(TTFont(name, str(path)))
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
    return FONT


@functools.cache
def _has_glyph(font_name):
    register_fonts()
    return pdfmetrics.getFont(font_name).face.charToGlyph.__contains__


def _font_for(char):
    if ARABIC_RUN.fullmatch(char):
        return ARABIC
    if _has_glyph(FONT)(ord(char)) or not _has_glyph(CJK)(ord(char)):
        return None
    return CJK


def markup(text):
    """`text` as paragraph markup: escaped, line breaks kept, and each run of characters in a script
    DejaVu Sans cannot set properly wrapped in the font that can (spaces join a run only inside it)."""
    text = text or ""
    fonts = [None if char.isspace() else _font_for(char) for char in text]
    for match in re.finditer(r"\s+", text):
        start, end = match.span()
        if start > 0 and end < len(text) and fonts[start - 1] == fonts[end]:
            fonts[start:end] = [fonts[end]] * (end - start)
    out, start = [], 0
    for index in range(1, len(text) + 1):
        if index == len(text) or fonts[index] != fonts[start]:
            out.append(_wrapped(text[start:index], fonts[start]))
            start = index
    return "".join(out).replace("\n", "<br/>")


def _wrapped(text, font):
    body = escape(text)
    return f'<font name="{font}">{body}</font>' if font else body


def paragraph(text, style):
    """A paragraph of plain text (a name, an address, reasons) in `style`, in any script. Text with
    Arabic in it is shaped by HarfBuzz (letters joined, runs right to left); other text is set as is,
    which keeps ReportLab's own layout (contents pages, leaders) untouched."""
    if text and ARABIC_RUN.search(text):
        style = _shaped(style)
    return Paragraph(markup(text), style)


def _shaped(style):
    shaped = copy.copy(style)
    shaped.shaping = 1
    return shaped


def _face(builtin):
    """The DejaVu face standing in for a built-in font name (Helvetica-Bold, Times-Italic...)."""
    bold = "Bold" in builtin
    italic = "Oblique" in builtin or "Italic" in builtin
    return {(False, False): FONT, (True, False): BOLD, (False, True): ITALIC, (True, True): BOLD_ITALIC}[
        (bold, italic)]


def stylesheet():
    """ReportLab's sample stylesheet with every style (and bullet) set in DejaVu Sans."""
    register_fonts()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        if hasattr(style, "fontName"):
            style.fontName = _face(style.fontName)
        if hasattr(style, "bulletFontName"):
            style.bulletFontName = _face(style.bulletFontName)
    return styles
