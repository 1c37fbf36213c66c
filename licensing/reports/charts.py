"""Charts drawn on the server: SVG for the page (no script, no outside assets) and
reportlab.graphics drawings for the PDF, from the same `Chart` data."""

import math

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from licensing.letters.fonts import BOLD, FONT, register_fonts

WIDTH, HEIGHT = 640, 260
LEFT, BOTTOM, TOP = 48, 56, 28
BAR = "#1d70b8"
TARGET = "#d4351c"


def _scale_max(chart):
    values = [float(v or 0) for v in chart.values]
    top = max(values + [float(chart.target or 0), 1.0])
    if chart.target is not None or chart.unit == "%":
        return max(top, 100.0)
    magnitude = 1
    while magnitude * 10 <= top:
        magnitude *= 10
    return float(((int(top) // magnitude) + 1) * magnitude)


# The page's own font stack (assets/council.scss): without it an SVG's text falls back to serif
# wherever it is not inline (opened on its own, or saved), and the label widths below assume it.
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif"
SVG_LABEL = 11  # px, the labels' font size on the page
SVG_LINE = 13  # px between the two lines of a wrapped label
SVG_TURNED_ROOM = 160  # px: a turned label longer than this is cut (it would push the chart down)
LABEL_GAP = 4  # px kept clear between neighbouring labels


def text_width(text, size=SVG_LABEL):
    """The estimated width of `text` on the page, in px: Helvetica's metrics (Arial's are the same)
    and a tenth more for the wider system fonts."""
    return stringWidth(str(text), "Helvetica", size) * 1.1


def _wrapped(text, room):
    """`text` on one line, or two broken between words, each at most `room` wide; None if not."""
    text = str(text)
    if text_width(text) <= room:
        return [text]
    words = text.split()
    for i in range(1, len(words)):
        lines = [" ".join(words[:i]), " ".join(words[i:])]
        if all(text_width(line) <= room for line in lines):
            return lines
    return None


def _cut(text, room):
    text = str(text)
    if text_width(text) <= room:
        return text
    while text and text_width(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


def svg_labels(labels, slot):
    """The category labels as the page draws them, like the PDF's `pdf_labels`: level, on one line
    or wrapped onto two, when every label fits its slot; otherwise all turned 45 degrees, cut only
    past SVG_TURNED_ROOM. Returns (lines of each label, angle, the labels' height below the axis)."""
    room = slot - LABEL_GAP
    wrapped = [_wrapped(label, room) for label in labels]
    if all(lines is not None for lines in wrapped):
        return wrapped, 0, SVG_LABEL + SVG_LINE * (max((len(lines) for lines in wrapped), default=1) - 1)
    lines = [[_cut(label, SVG_TURNED_ROOM)] for label in labels]
    longest = max(text_width(line[0]) for line in lines)
    return lines, ROTATED, longest * math.sin(math.radians(ROTATED)) + SVG_LABEL


def layout(chart):
    """Positions for the SVG bar chart that templates/reports/_chart.html draws (autoescaped)."""
    plot_w, plot_h = WIDTH - LEFT - 16, HEIGHT - BOTTOM - TOP
    top = _scale_max(chart)
    slot = plot_w / max(len(chart.values), 1)
    bar_w = min(slot * 0.6, 60)
    label_lines, angle, label_height = svg_labels(chart.labels, slot)
    label_y = TOP + plot_h + 16
    # The bottom margin grows to hold wrapped or turned labels (a level one-line label needs none).
    height = max(HEIGHT, round(label_y + label_height + 8))
    bars, view_x = [], 0.0
    for i, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        height_of_bar = float(value or 0) / top * plot_h
        x = LEFT + i * slot + (slot - bar_w) / 2
        mid = x + bar_w / 2
        lines = label_lines[i]
        width = max(text_width(line) for line in lines)
        if angle:  # turned about its end, under the bar: it reaches left by its width's cosine
            view_x = min(view_x, mid - width * math.cos(math.radians(angle)) - 4)
        bars.append({"x": f"{x:.1f}", "y": f"{TOP + plot_h - height_of_bar:.1f}", "w": f"{bar_w:.1f}",
                     "h": f"{height_of_bar:.1f}", "mid": f"{mid:.1f}",
                     "value_y": f"{TOP + plot_h - height_of_bar - 4:.1f}", "label": str(label), "lines": lines,
                     "label_width": width, "centre": mid, "value": _number(value) + chart.unit})
    ticks = [{"y": f"{TOP + plot_h - t * plot_h + 4:.1f}", "text": _number(top * t) + chart.unit} for t in (0, 0.5, 1)]
    target = None
    if chart.target is not None:
        target = {"y": f"{TOP + plot_h - float(chart.target) / top * plot_h:.1f}",
                  "text": f"Target {_number(chart.target)}{chart.unit}"}
    view_x = math.floor(view_x)
    return {"width": WIDTH - view_x, "height": height, "view_x": view_x, "left": LEFT, "right": LEFT + plot_w,
            "top": TOP, "base": TOP + plot_h, "label_y": label_y, "label_angle": angle, "line": SVG_LINE,
            "slot": slot, "font_family": FONT_FAMILY, "font_size": SVG_LABEL, "bars": bars, "ticks": ticks,
            "target": target, "title": chart.title, "bar_colour": BAR, "target_colour": TARGET}


LABEL_SIZE = 7
ROTATED = 45


def _fit(text, width, font=FONT, size=LABEL_SIZE):
    """`text` as it fits in `width` points, cut with an ellipsis if it must be."""
    text = str(text)
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def pdf_labels(chart, plot_width):
    """The category labels as drawn: level if every one fits its bar's slot, otherwise turned 45
    degrees; either way each cut to the room it has. Returns (labels, angle, room, bottom)."""
    slot = plot_width / max(len(chart.labels), 1)
    level = all(stringWidth(str(label), FONT, LABEL_SIZE) <= slot - 4 for label in chart.labels)
    if level:
        return [_fit(label, slot - 4) for label in chart.labels], 0, slot - 4, 40
    bottom = 76
    room = (bottom - 12) / math.sin(math.radians(ROTATED))
    return [_fit(label, room) for label in chart.labels], ROTATED, room, bottom


def drawing(chart, width=480, height=200):
    """The same chart as a reportlab.graphics Drawing for the PDF, in the letters' fonts (any script)."""
    register_fonts()
    labels, angle, _room, bottom = pdf_labels(chart, width - 60)
    height += bottom - 40
    d = Drawing(width, height)
    d.add(String(0, height - 12, _fit(chart.title, width, BOLD, 10), fontName=BOLD, fontSize=10))
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 40, bottom, width - 60, height - bottom - 30
    bars.data = [[float(v or 0) for v in chart.values] or [0]]
    bars.categoryAxis.categoryNames = labels or [""]
    bars.categoryAxis.labels.fontName = FONT
    bars.categoryAxis.labels.fontSize = LABEL_SIZE
    bars.categoryAxis.labels.angle = angle
    bars.categoryAxis.labels.boxAnchor = "ne" if angle else "n"
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = _scale_max(chart)
    bars.valueAxis.labels.fontName = FONT
    bars.valueAxis.labels.fontSize = LABEL_SIZE
    bars.bars[0].fillColor = colors.HexColor(BAR)
    bars.barLabelFormat = "%g"
    bars.barLabels.fontName = FONT
    bars.barLabels.fontSize = LABEL_SIZE
    bars.barLabels.nudge = 6
    d.add(bars)
    if chart.target is not None:
        y = bars.y + float(chart.target) / bars.valueAxis.valueMax * bars.height
        d.add(Line(bars.x, y, bars.x + bars.width, y, strokeColor=colors.HexColor(TARGET), strokeDashArray=[4, 3]))
        d.add(String(bars.x + bars.width, y + 3, f"Target {_number(chart.target)}{chart.unit}", fontName=FONT,
                     fontSize=LABEL_SIZE, fillColor=colors.HexColor(TARGET), textAnchor="end"))
    return d


def _number(value):
    value = float(value or 0)
    return f"{value:g}" if value != int(value) else str(int(value))
