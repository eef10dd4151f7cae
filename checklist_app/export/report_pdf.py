"""The dashboard printed for the ward meeting: "Why cases are not ready" as a PDF (reportlab), with its charts.

Every word comes from the caller (the UI translates them); this module only lays them out in the record PDF's
fonts and colours (pdf_style). It holds no patient data: the figures are counts.
"""

from __future__ import annotations

import io

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from .pdf_style import FONT, MUTED, NAVY, PALE_RED, RED, S, esc, grid, p, register_fonts
from .report_document import DashboardReport, ReportTable, ReportTrend

WIDTH = A4[0] - 36 * mm
_HEAD_RIGHT = ParagraphStyle("head_right", parent=S["head"], alignment=TA_RIGHT)  # over right-aligned counts


def render_report(report: DashboardReport) -> bytes:
    register_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=report.title,
        author=report.extra.get("author", ""),
        subject=report.extra.get("subject", ""),
    )
    story: list[Flowable] = [
        Paragraph(esc(report.title), S["title"]),
        Paragraph(esc(report.subtitle), S["small"]),
        Spacer(1, 4 * mm),
    ]
    story += [Paragraph(esc(line), S["body"]) for line in report.facts]
    for table in report.tables:
        story.append(_table(table))
    if report.trend is not None:
        story.append(KeepTogether([Paragraph(esc(report.trend.heading), S["h2"]), _trend(report.trend)]))
    if report.footer:
        story += [Spacer(1, 6 * mm), Paragraph(esc(report.footer), S["small"])]
    doc.build(story)
    return out.getvalue()


def _table(table: ReportTable) -> Flowable:
    heading = Paragraph(esc(table.heading), S["h2_keep"])
    if not table.rows:
        return KeepTogether([heading, Paragraph(esc(table.empty), S["body"])])
    bar_width = 45 * mm if table.bars else 0
    first = WIDTH - bar_width - 28 * mm * (len(table.columns) - 1)
    widths = [first, *([28 * mm] * (len(table.columns) - 1))] + ([bar_width] if table.bars else [])
    header = [p(table.columns[0], "head"), *(Paragraph(esc(c), _HEAD_RIGHT) for c in table.columns[1:])]
    header += [""] if table.bars else []
    rows: list[list[object]] = [header]
    for n, row in enumerate(table.rows):
        rows.append([p(row[0]), *row[1:]] + ([_bar(table.bars[n], bar_width)] if table.bars else []))
    align = [("ALIGN", (1, 0), (len(table.columns) - 1, -1), "RIGHT"), ("FONTSIZE", (1, 1), (-1, -1), 8.3)]
    return KeepTogether([heading, grid(rows, widths, align)]) if len(rows) < 25 else grid(rows, widths, align)


def _bar(share: float, width: float) -> Drawing:
    drawing = Drawing(width - 10, 8)
    drawing.add(Rect(0, 1, width - 10, 6, fillColor=PALE_RED, strokeColor=None))
    drawing.add(Rect(0, 1, (width - 10) * min(max(share, 0.0), 1.0), 6, fillColor=RED, strokeColor=None))
    return drawing


def _trend(trend: ReportTrend) -> Drawing:
    height = 62 * mm
    drawing = Drawing(WIDTH, height)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 12 * mm, 12 * mm, WIDTH - 18 * mm, height - 24 * mm
    count = len(trend.labels)
    plot.data = [[(n, v) for n, v in enumerate(values)] for _, values in trend.series]
    top = max((v for _, values in trend.series for v in values), default=0)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = -0.3, max(count - 1, 1) + 0.3
    plot.xValueAxis.valueSteps = list(range(count))
    every = max(1, -(-count // 13))
    plot.xValueAxis.labelTextFormat = lambda v: trend.labels[int(v)] if int(v) % every == 0 else ""
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = 0, max(top, 1)
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = FONT, 7
    for n, colour in enumerate((NAVY, RED)[: len(trend.series)]):
        plot.lines[n].strokeColor, plot.lines[n].strokeWidth = colour, 1.6
    drawing.add(plot)
    x = 12 * mm
    for (legend, _), colour in zip(trend.series, (NAVY, RED), strict=False):
        drawing.add(Line(x, height - 5 * mm, x + 6 * mm, height - 5 * mm, strokeColor=colour, strokeWidth=2))
        drawing.add(String(x + 8 * mm, height - 6 * mm, legend, fontName=FONT, fontSize=8, fillColor=MUTED))
        x += 10 * mm + len(legend) * 1.7 * mm
    return drawing
