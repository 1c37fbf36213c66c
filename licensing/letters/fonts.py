"""Unicode fonts for every PDF the service makes.

ReportLab's built-in fonts cover Latin-1 only, so a name such as "Łukasz Żółć" would print as
black boxes. Every document uses DejaVu Sans instead, embedded in the PDF. The TrueType files
come from the pinned npm package `dejavu-fonts-ttf` and are copied here by `make assets`.

Use `stylesheet()` in place of `reportlab.lib.styles.getSampleStyleSheet()`, and `FONT` /
`BOLD` with `canvas.setFont`.
"""

import functools
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).with_name("fonts")
FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
FACES = {FONT: (0, 0), BOLD: (1, 0), ITALIC: (0, 1), BOLD_ITALIC: (1, 1)}


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
    return FONT


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
