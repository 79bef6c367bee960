"""The report of an audit round as a page, a Word document (DOCX), a PDF and plain text.

As for meeting minutes (lantern/meetings/documents.py, whose Word styles and table writer are
reused), everything is drawn from one layout (`layout`): a list of blocks holding every word and
figure the reader sees, in order. The page, the DOCX, the PDF and `manage.py audit_report
--format text` only decide how the blocks look, so they always say the same thing, and none can
show more than the `Report` they are given: children only as Child A, B ..., narrative only by
agency type.

Each chart is a block with its data table: the page and the PDF draw the SVG chart beside the
table; the DOCX and the text give the table.
"""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from docx import Document
from docx.shared import Pt

from lantern.core.dates import long_date
from lantern.meetings.documents import MARKING, _box, _docx_table, _page_setup, _styles, refusing_url_fetcher

from . import charts
from .report import ALL_AGENCIES, Report

CONFIDENTIALITY = (
    "This report is about children at risk of exploitation. The children are named only as Child A, Child B and so on, "
    "and what agencies said is shown by the type of agency, not by person. Share it only with those who need it."
)


@dataclass(frozen=True)
class Block:
    """One piece of the report. kind: "heading" (`text`, `level`), "lead", "paragraph" (`text`
    after a bold `label`), "notice", "bullets" (`lines`), "table" (`text` the caption, `header`,
    `rows` of cells, each a tuple of lines), "chart" (a table as above, with `chart` drawn beside it)."""

    kind: str
    text: str = ""
    level: int = 0
    label: str = ""
    lines: tuple = ()
    header: tuple = ()
    rows: tuple = ()
    chart: object = None

    @property
    def svg(self) -> str:
        return charts.chart_svg(self.chart) if self.chart is not None else ""


@dataclass(frozen=True)
class Layout:
    title: str
    subject: str
    confidentiality: str
    marking: str = MARKING
    blocks: list = field(default_factory=list)


def _h(text: str, level: int) -> Block:
    return Block("heading", text=text, level=level)


def _p(text: str, label: str = "") -> Block:
    return Block("paragraph", text=text, label=label)


def _cells(*values) -> tuple:
    return tuple(v if isinstance(v, tuple) else (str(v),) for v in values)


def _table(caption: str, header: tuple, rows) -> Block:
    return Block("table", text=caption, header=header, rows=tuple(rows))


def _chart(caption: str, header: tuple, rows, chart) -> Block:
    return Block("chart", text=caption, header=header, rows=tuple(rows), chart=chart)


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def returns_sentence(report: Report) -> str:
    """'120 audit forms were distributed. 57 were nil returns (40 of them because ...). 63 were completed and returned.'"""
    r = report.returns
    reasons = [n for n in r.nil_by_reason if n.count]
    parts = [f"{_plural(r.distributed, 'audit form')} {'was' if r.distributed == 1 else 'were'} distributed."]
    if r.nil_returns:
        detail = ", ".join(f"{n.count} for {'other reasons' if n.reason == 'other' else n.label[:1].lower() + n.label[1:]}" for n in reasons)
        parts.append(f"{r.nil_returns} {'was a nil return' if r.nil_returns == 1 else 'were nil returns'} ({detail}).")
    parts.append(f"{r.completed} {'was' if r.completed == 1 else 'were'} completed and returned.")
    if r.not_returned:
        parts.append(f"{r.not_returned} {'was' if r.not_returned == 1 else 'were'} not returned.")
    return " ".join(parts)


def _returns_blocks(report: Report) -> list:
    blocks = [_h("Forms distributed and returned", 2), _p(returns_sentence(report))]
    rows = [*report.returns_by_agency, report.returns]
    chart = charts.bar_chart(
        title="Forms by agency: completed, nil returns and not returned",
        rows=[(r.agency, (r.completed, r.nil_returns, r.not_returned), f"{r.completed} of {r.distributed} completed") for r in report.returns_by_agency],
        series=("Completed", "Nil return", "Not returned"),
    )
    blocks.append(_chart(
        "Forms by agency", ("Agency", "Forms distributed", "Completed", "Nil returns", "Not returned"),
        [_cells(r.agency, r.distributed, r.completed_share.text(), r.nil_returns, r.not_returned) for r in rows], chart,
    ))
    blocks.append(_table(
        "Nil returns by reason", ("Agency", *(n.label for n in report.returns.nil_by_reason)),
        [_cells(r.agency, *(n.count for n in r.nil_by_reason)) for r in rows],
    ))
    return blocks


def _sample_blocks(report: Report) -> list:
    blocks = [_h("The cases audited", 2), _p(f"{_plural(report.cases, 'case')} {'was' if report.cases == 1 else 'were'} audited.")]
    if report.sample_seed is not None:
        sizes = ", ".join(f"{n} at {level} risk" for level, n in report.sample_sizes.items())
        blocks.append(_p(f"A random sample ({sizes}), drawn with seed {report.sample_seed} so it can be drawn again.", label="Sample"))
    blocks.append(_p(", ".join(report.deep_dives) if report.deep_dives else "None", label="Cases looked at in depth"))
    for table in report.sample:
        blocks.append(_table(f"Cases by {table.title.lower()}", (table.title, "Cases"), [_cells(r.label, r.cases.text()) for r in table.rows]))
    return blocks


def _factor_blocks(report: Report) -> list:
    if not report.factors:
        return []
    chart = charts.bar_chart(
        title="Contributory factors: the percentage of cases in which any agency reported each",
        rows=[(f.text, (f.cases.percent or 0,), f.cases.text()) for f in report.factors], maximum=100, unit="%",
    )
    return [
        _h("Contributory factors", 2),
        _p(f"For each factor, the cases in which any agency's completed form reported it, out of all {_plural(report.cases, 'case')} audited."),
        _chart("Contributory factors", ("Factor", "Cases"), [_cells(f.text, f.display) for f in report.factors], chart),
    ]


def _grades_text(counts, labels) -> tuple:
    return tuple(f"{label}: {n}" for label, n in zip(labels, counts))


def _question_blocks(report: Report) -> list:
    blocks = [_h("Answers by theme", 2), _p(
        "A case met a question when at least one agency's completed form answered yes, out of the cases in which some agency "
        "answered it (not counting 'not applicable'). By agency: that agency's forms answering yes, out of its forms answering."
    )]
    for theme in report.themes:
        blocks.append(_h(theme.title, 3))
        rows = []
        for q in theme.questions:
            if q.type == "yes_no":
                rows.append(_cells(q.text, q.met.text("cases"), tuple(f"{a.agency}: {a.value.text()}" for a in q.by_agency) or ("None answered",)))
            elif q.type == "number":
                summary = f"{_plural(q.numbers.count, 'answer')}, mean {q.numbers.mean}" if q.numbers.count else "Not answered"
                rows.append(_cells(q.text, summary, ("",)))
            elif q.type == "grade":
                rows.append(_cells(q.text, _grades_text(q.grades, report.grade_labels), ("",)))
        blocks.append(_table(theme.title, ("Question", "Overall", "By agency"), rows))
    return blocks


def _grade_blocks(report: Report) -> list:
    if not report.grades_by_theme:
        return []
    labels = report.grade_labels
    header = ("", *labels, "Total")
    chart = charts.bar_chart(
        title="Grades given in each theme", rows=[(g.label, g.counts, f"{g.total}") for g in report.grades_by_theme], series=labels,
    )
    blocks = [
        _h("Grades", 2),
        _chart("Grades by theme", ("Theme", *header[1:]), [_cells(g.label, *g.counts, g.total) for g in report.grades_by_theme], chart),
    ]
    if report.grades_by_agency:
        blocks.append(_table("Grades by agency", ("Agency", *header[1:]), [_cells(g.label, *g.counts, g.total) for g in report.grades_by_agency]))
    return blocks


def _narrative_blocks(report: Report) -> list:
    blocks = [_h("What agencies said", 2)]
    if not report.narrative:
        return [*blocks, _p("No agency wrote about what went well or what should improve.")]
    for theme in report.narrative:
        blocks.append(_h(theme.title, 3))
        question = None
        for quote in theme.quotes:
            if quote.question != question:
                question = quote.question
                blocks.append(Block("lead", text=question))
            blocks.append(_p(quote.text, label=quote.agency_type))
    return blocks


def _findings_blocks(report: Report) -> list:
    blocks = [_h("Findings", 2)]
    if report.findings:
        blocks.append(_table("Findings", ("Number", "Theme", "Finding"), [_cells(f.number, f.theme or "General", f.text) for f in report.findings]))
    else:
        blocks.append(_p("No findings have been written yet."))
    blocks.append(_h("Recommendations", 2))
    if report.recommendations:
        blocks.append(_table(
            "Recommendations", ("Number", "Recommendation", "Findings", "Owner", "Due", "Status"),
            [
                _cells(r.number, r.text, ", ".join(str(n) for n in r.findings) or "None", r.owner_agency, long_date(r.due_on),
                       r.rag + (f", {long_date(r.completed_on)}" if r.completed_on else ""))
                for r in report.recommendations
            ],
        ))
    else:
        blocks.append(_p("No recommendations have been made yet."))
    return blocks


def layout(report: Report) -> Layout:
    """Every word and figure of the report, in order."""
    blocks = [
        _h(report.title, 1),
        Block("lead", text=f"{report.kind}: report"),
        _p(report.template, label="Template"),
        _p(f"{long_date(report.scope_start)} to {long_date(report.scope_end)}", label="Period audited"),
        _p(long_date(report.deadline), label="Forms due by"),
        _p(report.status + (" (imported from another installation)" if report.imported else ""), label="Status"),
        Block("notice", label=MARKING, text=CONFIDENTIALITY),
        *_returns_blocks(report),
        *_sample_blocks(report),
        *_factor_blocks(report),
        *_question_blocks(report),
        *_grade_blocks(report),
        *_narrative_blocks(report),
        *_findings_blocks(report),
    ]
    return Layout(title=f"{report.title}: report", subject=f"{report.kind} report", confidentiality=CONFIDENTIALITY, blocks=blocks)


# --- File names ---------------------------------------------------------------------------------


def _stem(report: Report) -> str:
    """'audit-report-12-exploitation-audit-2026': the round's number and title only (no child is in a title)."""
    return f"audit-report-{report.round_id}-{slugify(report.title)[:60]}".rstrip("-")


def docx_filename(report: Report) -> str:
    return f"{_stem(report)}.docx"


def pdf_filename(report: Report) -> str:
    return f"{_stem(report)}.pdf"


# --- Text ---------------------------------------------------------------------------------------


def report_text(report: Report) -> str:
    """The report as plain text, for `manage.py audit_report --format text`."""
    lines: list[str] = []
    for block in layout(report).blocks:
        if block.kind == "heading":
            lines += ["", block.text, ("=" if block.level == 1 else "-") * len(block.text)]
        elif block.kind in ("lead", "notice"):
            lines.append(f"{block.label}: {block.text}" if block.label else block.text)
        elif block.kind == "paragraph":
            lines.append(f"{block.label}: {block.text}" if block.label else block.text)
        elif block.kind == "bullets":
            lines += [f"- {line}" for line in block.lines]
        elif block.kind in ("table", "chart"):
            lines.append("")
            lines.append(" | ".join(block.header))
            for row in block.rows:
                lines.append(" | ".join("; ".join(cell) for cell in row))
            lines.append("")
    return "\n".join(lines).strip() + "\n"


# --- DOCX ---------------------------------------------------------------------------------------


def report_docx(report: Report, *, now: dt.datetime | None = None) -> bytes:
    doc = layout(report)
    document = Document()
    _styles(document)
    _page_setup(document, doc)
    properties = document.core_properties
    properties.title = doc.title
    properties.subject = doc.subject
    properties.author = properties.last_modified_by = "Lantern"
    properties.comments = ""
    properties.keywords = properties.category = doc.marking
    properties.language = "en-GB"
    properties.revision = 1
    properties.created = properties.modified = (now or timezone.now()).astimezone(dt.timezone.utc)
    for block in doc.blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=block.level)
        elif block.kind == "lead":
            run = document.add_paragraph().add_run(block.text)
            run.font.size = Pt(13)
            run.bold = True
        elif block.kind == "paragraph":
            paragraph = document.add_paragraph()
            if block.label:
                paragraph.add_run(f"{block.label}: ").bold = True
            paragraph.add_run(block.text)
        elif block.kind == "notice":
            paragraph = document.add_paragraph()
            _box(paragraph)
            marking = paragraph.add_run(block.label)
            marking.bold = True
            marking.add_break()
            paragraph.add_run(block.text)
        elif block.kind == "bullets":
            for line in block.lines:
                document.add_paragraph(line, style="List Bullet")
        elif block.kind in ("table", "chart"):
            if block.kind == "chart":
                document.add_paragraph().add_run(block.chart.title).italic = True
            _docx_table(document, block)
        else:  # pragma: no cover - a new kind of block must be drawn here and in the templates
            raise ValueError(f"Unknown block kind {block.kind!r}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------------


def report_html(report: Report) -> str:
    """The HTML the PDF is printed from (autoescaped; the charts are inline SVG)."""
    return render_to_string("audits/report_print.html", {"doc": layout(report)})


def report_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    html = HTML(string=report_html(report), base_url=None, url_fetcher=refusing_url_fetcher())
    return html.write_pdf(pdf_variant="pdf/ua-1")


__all__ = ["ALL_AGENCIES", "docx_filename", "layout", "pdf_filename", "report_docx", "report_html", "report_pdf", "report_text"]
