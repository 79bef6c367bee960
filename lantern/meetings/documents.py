"""The minutes of a meeting as a Word document (DOCX) and a PDF.

Both documents are drawn from one layout (`layout`): a list of blocks (headings, paragraphs,
lists, tables) that holds every word the reader sees, in order. The DOCX writer and the PDF
template only decide how the blocks look, so the two documents always say the same thing, and
neither can show more than the `Minutes` they are given (F25, need to know).

Nothing is fetched while rendering: the PDF is rendered with a URL fetcher that refuses every
URL, and all user text is escaped, so a link or an image tag typed into the minutes stays text.
"""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.text import slugify
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# when: "Tuesday 3 November 2026 at 10:00" and long_date: "3 November 2026", both in London time.
from lantern.core.dates import LONDON, long_date, when

from .minutes import Minutes, MinutesAction, MinutesItem

MARKING = "OFFICIAL-SENSITIVE"
FULL_MINUTES = "Full minutes"
FONT = "Arial"
TEXT_COLOUR = RGBColor(0x0B, 0x0C, 0x0C)

__all__ = [
    "docx_filename", "layout", "minutes_docx", "minutes_html", "minutes_pdf", "pdf_filename", "refusing_url_fetcher",
    "withheld_sentence",
]


# --- Layout: every word of the document, in order -------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One piece of the document.

    kind is one of:
    - "heading": `text` at `level` 1, 2 or 3;
    - "lead": the line under the title;
    - "paragraph": `text`, after a bold "`label`:" when there is a label;
    - "notice": the confidentiality statement, boxed, after the bold `label` (the marking);
    - "bullets": `lines`, one bullet each;
    - "table": `header` and `rows`, each cell a tuple of lines; `text` is its caption.
    """

    kind: str
    text: str = ""
    level: int = 0
    label: str = ""
    lines: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[tuple[str, ...], ...], ...] = ()


@dataclass(frozen=True)
class Layout:
    title: str  # the document's title property
    subject: str  # the document's subject property
    confidentiality: str
    marking: str = MARKING
    blocks: list[Block] = field(default_factory=list)


def _heading(text: str, level: int) -> Block:
    return Block("heading", text=text, level=level)


def _paragraph(text: str, label: str = "") -> Block:
    return Block("paragraph", text=text, label=label)


def _table(caption: str, header: tuple[str, ...], rows: list[tuple[tuple[str, ...], ...]]) -> Block:
    return Block("table", text=caption, header=header, rows=tuple(rows))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def withheld_sentence(count: int, *, others: bool = True) -> str:
    """'3 other children were discussed. Their items are not included because …'"""
    if count <= 0:
        return ""
    other = " other" if others else ""
    if count == 1:
        return f"1{other} child was discussed. Their item is not included because your agency is not involved with them."
    return f"{count}{other} children were discussed. Their items are not included because your agency is not involved with them."


def _status(action: MinutesAction) -> tuple[str, ...]:
    return (action.status, action.status_note) if action.status_note else (action.status,)


def _item_blocks(item: MinutesItem, *, full: bool) -> list[Block]:
    blocks = [
        _heading(f"{item.number}. {item.heading}", 2),
        _paragraph(item.reason or "Not recorded", label="Reason for discussion"),
    ]
    if full:
        blocks.append(_heading("Summary", 3))
        summary = tuple(line for line in item.summary if line.strip())
        blocks.append(Block("bullets", lines=summary) if summary else _paragraph("No summary was prepared."))
        blocks.append(_heading("Discussion", 3))
        discussion = _lines(item.discussion)
        blocks.extend(_paragraph(line) for line in discussion)
        if not discussion:
            blocks.append(_paragraph("No discussion was recorded."))

    blocks.append(_heading("Decisions", 3))
    decisions = tuple(line for line in item.decisions if line.strip())
    blocks.append(Block("bullets", lines=decisions) if decisions else _paragraph("No decisions were recorded."))
    blocks.append(_paragraph(item.pathway or "None recorded", label="Pathway"))

    blocks.append(_heading("Actions", 3))
    if item.actions:
        blocks.append(
            _table(
                f"Actions for item {item.number}",
                ("Action", "Who", "Agency", "By when", "Outcome it should achieve", "Status"),
                [
                    ((a.description,), (a.owner,), (a.agency,), (long_date(a.due_on),), (a.outcome,), _status(a))
                    for a in item.actions
                ],
            )
        )
    elif item.no_actions_reason:
        blocks.append(_paragraph(f"No actions: {item.no_actions_reason}"))
    else:
        blocks.append(_paragraph("No actions were agreed."))

    if item.reviewed_actions:
        blocks.append(_heading("Earlier actions reviewed", 3))
        blocks.append(
            _table(
                f"Earlier actions reviewed for item {item.number}",
                ("Action", "Who", "By when", "Status", "Note"),
                [
                    ((a.description,), (a.owner,), (long_date(a.due_on),), (a.status,), (a.status_note or "None",))
                    for a in item.reviewed_actions
                ],
            )
        )
    return blocks


def layout(minutes: Minutes) -> Layout:
    """Every word both documents show, in order."""
    full = minutes.version == FULL_MINUTES
    blocks = [
        _heading(minutes.title, 1),
        Block("lead", text=f"{minutes.kind}: {_lower_first(minutes.version)}"),
        _paragraph(when(minutes.held_at), label="Date and time"),
        _paragraph(minutes.venue or "Not recorded", label="Venue"),
        _paragraph(minutes.chair or "Not recorded", label="Chair"),
        _paragraph(minutes.reader, label="Prepared for"),
        _paragraph(when(minutes.prepared_at), label="Minutes prepared"),
        Block("notice", label=MARKING, text=minutes.confidentiality),
        _heading("Attendance", 2),
    ]
    if minutes.attendance:
        blocks.append(
            _table(
                "Attendance",
                ("Agency", "Status", "Who attended", "Information sent in"),
                [
                    ((a.agency,), (a.status,), _lines(a.attendees) or ("None",), _lines(a.information_sent) or ("None",))
                    for a in minutes.attendance
                ],
            )
        )
    else:
        blocks.append(_paragraph("No attendance was recorded."))

    for item in minutes.items:
        blocks.extend(_item_blocks(item, full=full))

    if minutes.items_withheld > 0:
        blocks.append(_heading("Items not included", 2))
        blocks.append(_paragraph(withheld_sentence(minutes.items_withheld, others=bool(minutes.items))))
    elif not minutes.items:
        blocks.append(_heading("Items", 2))
        blocks.append(_paragraph("No children or topics were discussed at this meeting."))

    return Layout(
        title=f"{minutes.title}: {_lower_first(minutes.version)}",
        subject=f"{minutes.kind}, {when(minutes.held_at)}",
        confidentiality=minutes.confidentiality,
        blocks=blocks,
    )


# --- File names -----------------------------------------------------------------------------------


def _file_stem(minutes: Minutes) -> str:
    """'minutes-2026-11-03-exploitation-meeting-decisions-and-actions': the date, the kind of
    meeting and the version only, never the title or an item, so no child's name can get in."""
    day = minutes.held_at.astimezone(LONDON).date()
    return f"minutes-{day:%Y-%m-%d}-{slugify(minutes.kind)}-{slugify(minutes.version)}"


def docx_filename(minutes: Minutes) -> str:
    return f"{_file_stem(minutes)}.docx"


def pdf_filename(minutes: Minutes) -> str:
    return f"{_file_stem(minutes)}.pdf"


# --- DOCX -----------------------------------------------------------------------------------------


def _use_font(style, *, size: float | None = None) -> None:
    """Arial in the given style, replacing the template's theme fonts and theme colour."""
    style.font.name = FONT
    rfonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    rfonts.set(qn("w:eastAsia"), FONT)
    rfonts.set(qn("w:cs"), FONT)
    style.font.color.rgb = TEXT_COLOUR
    if size is not None:
        style.font.size = Pt(size)


def _set_language(style, language: str = "en-GB") -> None:
    rpr = style.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)


def _box(paragraph) -> None:
    """A border and a light grey background round a paragraph."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "18")
        edge.set(qn("w:space"), "6")
        edge.set(qn("w:color"), "0B0C0C")
        borders.append(edge)
    ppr.append(borders)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), "F3F2F1")
    ppr.append(shading)


def _field(paragraph, instruction: str) -> None:
    """A field Word fills in (PAGE, NUMPAGES)."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _styles(document) -> None:
    styles = document.styles
    _use_font(styles["Normal"], size=11)
    _set_language(styles["Normal"])
    for name, size in (("Heading 1", 22), ("Heading 2", 16), ("Heading 3", 13)):
        _use_font(styles[name], size=size)
        styles[name].font.bold = True
    for name in ("List Bullet", "Header", "Footer"):
        _use_font(styles[name])
    styles["Footer"].font.size = Pt(8)
    styles["Header"].font.size = Pt(9)


def _page_setup(document, doc: Layout) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20)

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(doc.marking).bold = True

    footer = section.footer.paragraphs[0]
    footer.add_run(doc.marking).bold = True
    if doc.confidentiality:
        footer.add_run(f". {doc.confidentiality}")
    pages = section.footer.add_paragraph(style="Footer")
    pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    pages.add_run("Page ")
    _field(pages, "PAGE")
    pages.add_run(" of ")
    _field(pages, "NUMPAGES")


def _docx_table(document, block: Block) -> None:
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = document.styles["Table Grid"]
    # The caption is the table's alternative text for screen readers.
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), block.text)
    table._tbl.tblPr.append(caption)
    head = table.rows[0]
    repeat = OxmlElement("w:tblHeader")  # a header row, repeated on each page
    repeat.set(qn("w:val"), "true")
    head._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(head.cells, block.header):
        cell.paragraphs[0].add_run(text).bold = True
    for row in block.rows:
        cells = table.add_row().cells
        for cell, lines in zip(cells, row):
            cell.paragraphs[0].add_run(lines[0] if lines else "")
            for line in lines[1:]:
                cell.add_paragraph(line)
    document.add_paragraph()


def minutes_docx(minutes: Minutes) -> bytes:
    doc = layout(minutes)
    document = Document()
    _styles(document)
    _page_setup(document, doc)

    properties = document.core_properties
    properties.title = doc.title
    properties.subject = doc.subject
    properties.author = "Lantern"
    properties.last_modified_by = "Lantern"
    properties.comments = ""
    properties.keywords = doc.marking
    properties.category = doc.marking
    properties.language = "en-GB"
    properties.revision = 1
    prepared = minutes.prepared_at.astimezone(dt.timezone.utc)
    properties.created = properties.modified = prepared

    for block in doc.blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=block.level)
        elif block.kind == "lead":
            document.add_paragraph().add_run(block.text).font.size = Pt(14)
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
            marking.font.size = Pt(13)
            if block.text:
                marking.add_break()
                paragraph.add_run(block.text)
        elif block.kind == "bullets":
            for line in block.lines:
                document.add_paragraph(line, style="List Bullet")
        elif block.kind == "table":
            _docx_table(document, block)
        else:  # pragma: no cover - a new kind of block must be drawn here and in the template
            raise ValueError(f"Unknown block kind {block.kind!r}")

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------------------


def refusing_url_fetcher():
    """A WeasyPrint URL fetcher that refuses every URL, so rendering never downloads anything
    nor reads a local file. A refused image or stylesheet is left out; the rendering goes on."""
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"Lantern documents fetch nothing: {url[:80]} refused")

    return NoFetching(allowed_protocols=())


def minutes_html(minutes: Minutes) -> str:
    """The HTML the PDF is printed from (autoescaped: all user text stays text)."""
    return render_to_string("meetings/minutes_print.html", {"doc": layout(minutes)})


def minutes_pdf(minutes: Minutes) -> bytes:
    """A tagged PDF (PDF/UA-1, which WeasyPrint supports experimentally) on A4."""
    # Imported here: WeasyPrint loads Pango and fonts, which only document rendering needs.
    from weasyprint import HTML

    html = HTML(string=minutes_html(minutes), base_url=None, url_fetcher=refusing_url_fetcher())
    return html.write_pdf(pdf_variant="pdf/ua-1")
