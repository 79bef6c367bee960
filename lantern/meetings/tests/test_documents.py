"""The minutes as DOCX and PDF: what each says, in what order, and what it must never show or fetch.

No database: the minutes are built by hand, as `selectors.minutes_for` would build them."""

import dataclasses
import datetime as dt
import io
import re
import socket

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from pypdf import PdfReader

from lantern.core.dates import LONDON
from lantern.meetings import documents
from lantern.meetings.documents import (
    docx_filename, layout, minutes_docx, minutes_html, minutes_pdf, pdf_filename, withheld_sentence,
)
from lantern.meetings.minutes import Minutes, MinutesAction, MinutesAttendance, MinutesItem

CONFIDENTIALITY = "This document is confidential. Share it only with people who need it to keep a child safe."
TYLER = "Tyler Fictional"
JADE = "Jade Madeup"
IMG = '<img src="http://example.invalid/x.png">'


def _tyler() -> MinutesItem:
    return MinutesItem(
        number=1,
        heading=f"{TYLER}, born 3 March 2012",
        reason="New referral",
        summary=["Missing 3 times since September", "Seen with older males at Brackenford station"],
        discussion=f"School reported a new phone & cash.\nPolice pasted {IMG} from a message.",
        decisions=["Criminal exploitation: high (changed from medium). Reason: new phone and cash"],
        pathway="Section 47 enquiry to start",
        actions=[
            MinutesAction(
                description="Visit Tyler at home with a police officer",
                owner="Sam Social (Brackenford Children's Social Care)",
                agency="Brackenford Children's Social Care",
                due_on=dt.date(2026, 11, 10),
                outcome="Tyler and his mother know who to call if he is approached",
                status="Open",
            ),
            MinutesAction(
                description="Share the station CCTV request",
                owner="Pat Police (Brackenford Police)",
                agency="Brackenford Police",
                due_on=dt.date(2026, 11, 17),
                outcome="The adults around Tyler are identified",
                status="Open",
            ),
        ],
        reviewed_actions=[
            MinutesAction(
                description="Offer a return interview",
                owner="Yara Youth (Brackenford Youth Service)",
                agency="Brackenford Youth Service",
                due_on=dt.date(2026, 10, 20),
                outcome="Tyler says why he goes missing",
                status="Not possible: circumstances changed",
                status_note="Tyler moved to his aunt's",
            )
        ],
    )


def _jade() -> MinutesItem:
    return MinutesItem(
        number=2,
        heading=f"{JADE}, born 9 July 2011",
        reason="Due for review",
        summary=["No missing episodes since the last meeting"],
        discussion="Jade is attending school every day.",
        decisions=["Sexual exploitation: low (unchanged)."],
        pathway="Continue with the child in need plan",
        no_actions_reason="the child in need plan covers everything discussed",
    )


def _minutes(**changes) -> Minutes:
    minutes = Minutes(
        title="Brackenford exploitation meeting",
        kind="Exploitation meeting",
        version="Full minutes",
        held_at=dt.datetime(2026, 11, 3, 10, 0, tzinfo=LONDON),
        venue="Room 2 & 3, Brackenford Civic Centre",
        chair="Chris Chairfield",
        confidentiality=CONFIDENTIALITY,
        reader="All agencies (chair's copy)",
        prepared_at=dt.datetime(2026, 11, 4, 9, 30, tzinfo=LONDON),
        attendance=[
            MinutesAttendance("Brackenford Police", "Attended", attendees="Pat Police"),
            MinutesAttendance("Brackenford Academy", "Sent apologies", information_sent="Attendance record for Tyler"),
        ],
        items=[_tyler(), _jade()],
    )
    return dataclasses.replace(minutes, **changes)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _docx(data: bytes) -> Document:
    return Document(io.BytesIO(data))


def docx_text(data: bytes) -> str:
    """Headers, body (paragraphs and table rows in order) and footers, whitespace collapsed."""
    document = _docx(data)
    parts = []
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            parts += [" | ".join(cell.text for cell in row.cells) for row in block.rows]
        else:
            parts.append(block.text)
    for section in document.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return _flat("\n".join(parts))


def pdf_text(data: bytes) -> str:
    return _flat("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def both(minutes: Minutes) -> dict[str, str]:
    return {"docx": docx_text(minutes_docx(minutes)), "pdf": pdf_text(minutes_pdf(minutes))}


@pytest.fixture(scope="module")
def full_texts():
    return both(_minutes())


@pytest.fixture(scope="module")
def decisions_texts():
    return both(_minutes(version="Decisions and actions", reader="Brackenford Police"))


def _in_order(text: str, *parts: str) -> None:
    position = -1
    for part in parts:
        found = text.find(part, position + 1)
        assert found > position, f"{part!r} missing or out of order"
        position = found


# --- Content ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_full_minutes_say_everything_in_order(full_texts, kind):
    text = full_texts[kind]
    _in_order(
        text,
        "Brackenford exploitation meeting",
        "Exploitation meeting: full minutes",
        "Date and time: Tuesday 3 November 2026 at 10:00",
        "Venue: Room 2 & 3, Brackenford Civic Centre",
        "Chair: Chris Chairfield",
        "Prepared for: All agencies (chair's copy)",
        "Minutes prepared: Wednesday 4 November 2026 at 09:30",
        CONFIDENTIALITY,
        "Attendance",
        "Agency", "Status", "Who attended", "Information sent in",
        "Brackenford Police", "Attended", "Pat Police",
        "Brackenford Academy", "Sent apologies", "Attendance record for Tyler",
        f"1. {TYLER}, born 3 March 2012",
        "Reason for discussion: New referral",
        "Summary", "Missing 3 times since September", "Seen with older males at Brackenford station",
        "Discussion", "School reported a new phone & cash.", f"Police pasted {IMG} from a message.",
        "Decisions", "Criminal exploitation: high (changed from medium). Reason: new phone and cash",
        "Pathway: Section 47 enquiry to start",
        "Actions",
        "Action", "Who", "Agency", "By when", "Outcome it should achieve", "Status",
        "Visit Tyler at home with a police officer", "Sam Social (Brackenford Children's Social Care)",
        "Brackenford Children's Social Care", "10 November 2026", "Tyler and his mother know who to call", "Open",
        "Share the station CCTV request", "Pat Police (Brackenford Police)", "17 November 2026",
        "Earlier actions reviewed",
        "Offer a return interview", "Yara Youth (Brackenford Youth Service)", "20 October 2026",
        "Not possible: circumstances changed", "Tyler moved to his aunt's",
        f"2. {JADE}, born 9 July 2011",
        "Reason for discussion: Due for review",
        "Jade is attending school every day.",
        "Sexual exploitation: low (unchanged).",
        "Pathway: Continue with the child in need plan",
        "No actions: the child in need plan covers everything discussed",
    )
    # The marking heads the statement at the top, and runs in the header and footer of each page.
    assert f"OFFICIAL-SENSITIVE {CONFIDENTIALITY} Attendance" in text
    assert text.count("OFFICIAL-SENSITIVE") >= 3
    assert f"OFFICIAL-SENSITIVE. {CONFIDENTIALITY}" in text
    assert "Items not included" not in text


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_decisions_and_actions_leave_out_summary_and_discussion_but_keep_attendance(decisions_texts, kind):
    text = decisions_texts[kind]
    _in_order(
        text,
        "Exploitation meeting: decisions and actions",
        "Prepared for: Brackenford Police",
        "Attendance", "Brackenford Academy", "Sent apologies",
        f"1. {TYLER}", "Decisions", "Criminal exploitation: high", "Pathway: Section 47 enquiry to start",
        "Visit Tyler at home", "10 November 2026", "Earlier actions reviewed",
        f"2. {JADE}", "No actions: the child in need plan covers everything discussed",
    )
    for absent in ("Summary", "Discussion", "Missing 3 times since September", "School reported a new phone"):
        assert absent not in text


def test_docx_is_structured_for_screen_readers():
    document = _docx(minutes_docx(_minutes()))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Brackenford exploitation meeting"),
        ("Heading 2", "Attendance"),
        ("Heading 2", f"1. {TYLER}, born 3 March 2012"),
        ("Heading 3", "Summary"),
        ("Heading 3", "Discussion"),
        ("Heading 3", "Decisions"),
        ("Heading 3", "Actions"),
        ("Heading 3", "Earlier actions reviewed"),
        ("Heading 2", f"2. {JADE}, born 9 July 2011"),
        ("Heading 3", "Summary"),
        ("Heading 3", "Discussion"),
        ("Heading 3", "Decisions"),
        ("Heading 3", "Actions"),
    ]
    # Every table has a header row, marked as one (repeated on each page, read as headers).
    assert len(document.tables) == 3
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert [c.text for c in document.tables[0].rows[0].cells] == ["Agency", "Status", "Who attended", "Information sent in"]
    assert document.tables[0].rows[2].cells[3].text == "Attendance record for Tyler"
    assert document.tables[0].rows[1].cells[3].text == "None"

    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
        assert document.styles[name].font.name == "Arial"
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [p.text for p in section.header.paragraphs] == ["OFFICIAL-SENSITIVE"]
    footer = section.footer.paragraphs
    assert footer[0].text == f"OFFICIAL-SENSITIVE. {CONFIDENTIALITY}"
    assert [f.get(qn("w:instr")) for f in footer[1]._p.findall(qn("w:fldSimple"))] == ["PAGE", "NUMPAGES"]

    properties = document.core_properties
    assert properties.title == "Brackenford exploitation meeting: full minutes"
    assert properties.subject == "Exploitation meeting, Tuesday 3 November 2026 at 10:00"
    assert properties.author == "Lantern" and properties.last_modified_by == "Lantern"
    assert properties.comments == ""
    assert properties.keywords == "OFFICIAL-SENSITIVE"


def test_pdf_is_a_tagged_a4_document_with_a_title_and_language():
    reader = PdfReader(io.BytesIO(minutes_pdf(_minutes())))
    assert reader.metadata.title == "Brackenford exploitation meeting: full minutes"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    pages = len(reader.pages)
    assert f"Page {pages} of {pages}" in _flat(reader.pages[-1].extract_text())


def test_times_are_shown_in_london_time():
    summer = _minutes(held_at=dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.timezone.utc))
    block = next(b for b in layout(summer).blocks if b.label == "Date and time")
    assert block.text == "Tuesday 2 June 2026 at 10:00"


# --- Items not included and need to know ---------------------------------------------------------


def test_withheld_sentence_singular_and_plural():
    assert withheld_sentence(0) == ""
    assert withheld_sentence(1) == (
        "1 other child was discussed. Their item is not included because your agency is not involved with them."
    )
    assert withheld_sentence(3) == (
        "3 other children were discussed. Their items are not included because your agency is not involved with them."
    )
    assert withheld_sentence(2, others=False).startswith("2 children were discussed.")


def test_an_agency_copy_never_names_a_child_its_agency_is_not_involved_with():
    full = _minutes()
    agency_copy = _minutes(reader="Brackenford Academy", items=[_tyler()], items_withheld=1)

    full_texts = both(full)
    agency_texts = both(agency_copy)
    for kind in ("docx", "pdf"):
        assert JADE in full_texts[kind]
        text = agency_texts[kind]
        assert JADE not in text and "Jade" not in text
        assert TYLER in text
        _in_order(
            text,
            f"1. {TYLER}",
            "Items not included",
            "1 other child was discussed. Their item is not included because your agency is not involved with them.",
        )
    assert JADE not in minutes_html(agency_copy)


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_plural_withheld_items(kind):
    minutes = _minutes(reader="Brackenford Academy", items=[_tyler()], items_withheld=3)
    text = both(minutes)[kind]
    assert "3 other children were discussed. Their items are not included because your agency is not involved with them." in text


@pytest.mark.parametrize(
    "items_withheld, expected",
    [
        (0, "No children or topics were discussed at this meeting."),
        (2, "2 children were discussed. Their items are not included because your agency is not involved with them."),
    ],
)
def test_minutes_with_no_items(items_withheld, expected):
    minutes = _minutes(items=[], items_withheld=items_withheld, attendance=[])
    for text in both(minutes).values():
        assert expected in text
        assert "No attendance was recorded." in text
        assert "Tyler" not in text


# --- User text stays text; nothing is fetched -------------------------------------------------------


def test_user_text_is_escaped_in_the_pdf_source_and_survives_as_text():
    minutes = _minutes()
    html = minutes_html(minutes)
    assert "&lt;img src=&quot;http://example.invalid/x.png&quot;&gt;" in html
    assert "<img" not in html
    assert "Room 2 &amp; 3" in html
    assert f"Police pasted {IMG} from a message." in pdf_text(minutes_pdf(minutes))


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("Rendering tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def fetches(monkeypatch):
    """Every URL WeasyPrint asks the (refusing) fetcher for."""
    asked = []
    make_fetcher = documents.refusing_url_fetcher

    def spying():
        fetcher = make_fetcher()
        refuse = fetcher.fetch

        def fetch(url, headers=None):
            asked.append(url)
            return refuse(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(documents, "refusing_url_fetcher", spying)
    return asked


def test_rendering_the_pdf_asks_for_nothing(no_network, fetches):
    text = pdf_text(minutes_pdf(_minutes()))
    assert IMG in text
    assert fetches == []


def test_the_url_fetcher_refuses_everything(no_network, fetches):
    from weasyprint import HTML

    with pytest.raises(ValueError, match="fetch nothing"):
        documents.refusing_url_fetcher().fetch("http://example.invalid/x.png")
    fetches.clear()
    html = HTML(
        string='<link rel="stylesheet" href="file:///etc/hostname"><p>Text</p><img src="http://example.invalid/x.png">',
        url_fetcher=documents.refusing_url_fetcher(),
    )
    assert html.write_pdf().startswith(b"%PDF")
    assert fetches == ["file:///etc/hostname", "http://example.invalid/x.png"]


# --- File names --------------------------------------------------------------------------------------


def test_file_names_are_safe_and_name_no_child():
    decisions = _minutes(version="Decisions and actions")
    assert docx_filename(decisions) == "minutes-2026-11-03-exploitation-meeting-decisions-and-actions.docx"
    assert pdf_filename(_minutes()) == "minutes-2026-11-03-exploitation-meeting-full-minutes.pdf"
    strategy = _minutes(kind="Strategy discussion (section 47)", held_at=dt.datetime(2026, 6, 2, 23, 30, tzinfo=dt.timezone.utc))
    assert pdf_filename(strategy) == "minutes-2026-06-03-strategy-discussion-section-47-full-minutes.pdf"
    for name in (docx_filename(decisions), pdf_filename(_minutes()), pdf_filename(strategy)):
        assert re.fullmatch(r"[a-z0-9-]+\.(docx|pdf)", name)
        assert "tyler" not in name and "jade" not in name
