"""Exchange with national data: the SSDA903 Missing table, in and out, and Annex A List 8, out.
Decision 0013 (docs/decisions/0013-ssda903-exchange.md) says why it works as it does.

**The SSDA903 Missing table** is a CSV file with the headings CHILD, DOB, MISSING, MIS_START and
MIS_END. CHILD is the local authority's child ID (Lantern's identifier "Local authority child
ID"), dates are dd/mm/yyyy, MISSING is M (missing) or A (away from placement without
authorisation), and MIS_END is blank while the child is still missing. Lantern writes it in one
form only, so that a file it wrote comes back byte for byte: UTF-8 without a byte order mark,
the headings in that order, CRLF line endings, no quotes, dates with two-digit days and months,
rows sorted by CHILD, then MIS_START, then MIS_END (blank last), then MISSING.

**The rules** (`check_rows`) are the Department for Education's validation rules for the Missing
table, numbered as it numbers them, plus what Lantern needs to match a row to a child:

- 1006: MISSING is M or A.
- 564: MIS_START is present.
- 567: MIS_END is not before MIS_START.
- 574: a child's episodes do not overlap, and none starts while another is open. An episode may
  start on the day another ends. This is the same test as Lantern's own (`periods_overlap` in
  `services.py`), applied to dates.
- 586: no episode starts on or before the child's date of birth.
- Lantern: CHILD is 1 to 10 letters or numbers; DOB is present; dates are real, written
  dd/mm/yyyy and not in the future; every row for a CHILD gives the same DOB.

An import (`plan_import`) also checks each row against Lantern: CHILD must be the current local
authority child ID of exactly one child, whose date of birth is DOB, and a new episode must not
clash with the episodes Lantern already has (`services.overlap_error`). A row that is the same as
an episode already in Lantern is "already recorded" and skipped. Every export is checked against
the same rules before it is handed over.

**Dates and times.** Lantern's episodes start and end at moments; the Missing table has dates. An
imported episode starts at 00:00 London time on MIS_START and ends at 00:00 on MIS_END, so one
that starts on the day another ends does not clash with it, exactly as rule 574 allows. An
export writes the London date of each moment.
"""

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lantern.children.models import Child, ChildIdentifier, Disability, Ethnicity, IdentifierKind, LegalStatus, Sex
from lantern.core.dates import LONDON, age_on, local_today

from .models import EpisodeKind, MissingEpisode, ReturnInterview
from .services import overlap_error, periods_overlap

HEADERS = ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END")
MAX_BYTES = 2 * 1024 * 1024
CHILD_ID = re.compile(r"[A-Za-z0-9]{1,10}")
DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
LINE_END = "\r\n"
OPEN = dt.date.max  # sorts an open episode after every closed one

IMPORT_NOTE = (
    "Recorded from the local authority's SSDA903 Missing table. The table gives dates only, so the times shown "
    "(00:00) are not the real times."
)


# --- Rows and problems ------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingRow:
    """One row of the Missing table. `row` is its number in the file, the headings being row 1;
    `unreadable` names the columns whose dates could not be read (and are None here)."""

    row: int
    child: str
    dob: dt.date | None
    kind: str
    start: dt.date | None
    end: dt.date | None
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """Something wrong with a file or an export: the row (None: the whole file), the column, the
    value found and what is wrong, in words a person can act on."""

    row: int | None
    column: str
    value: str
    message: str

    def describe(self) -> str:
        where = f"Row {self.row}" if self.row is not None else "The file"
        column = f", {self.column}" if self.column else ""
        value = f" ({self.value!r})" if self.value else ""
        return f"{where}{column}{value}: {self.message}"


class Rejected(Exception):
    """Nothing was imported (or exported): the problems say why."""

    def __init__(self, problems: list[Problem]):
        order = {name: n for n, name in enumerate(HEADERS)}
        self.problems = sorted(problems, key=lambda p: (p.row or 0, order.get(p.column, len(order))))
        super().__init__(f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}")


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped_rows: tuple[int, ...]

    @property
    def skipped(self) -> int:
        return len(self.skipped_rows)


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    children: list = field(default_factory=list)
    rows: int = 0


def format_date(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value is not None else ""


def start_of(day: dt.date) -> dt.datetime:
    """00:00 London time on `day`: the moment an imported episode starts or ends."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=LONDON)


def london_date(value: dt.datetime) -> dt.date:
    return value.astimezone(LONDON).date()


def _parse_date(text: str) -> dt.date | None:
    if not text:
        return None
    match = DATE.fullmatch(text)
    if not match:
        raise ValueError("Write dates as dd/mm/yyyy, for example 04/06/2025")
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text} is not a real date") from None


# --- Reading a file ---------------------------------------------------------------------------


def _file_problem(message: str) -> tuple[list[MissingRow], list[Problem]]:
    return [], [Problem(None, "", "", message)]


def _heading_problems(names: list[str]) -> list[Problem]:
    expected = ", ".join(HEADERS)
    if not any(names):
        return [Problem(1, "", "", f"The first row must be the headings {expected}")]
    problems = []
    for name in dict.fromkeys(names):
        if name not in HEADERS:
            message = (
                "A column has no heading. Remove the column" if not name
                else f"{name} is not a column of the SSDA903 Missing table. Remove the column, or correct its heading"
            )
            problems.append(Problem(1, name, name, message))
        elif names.count(name) > 1:
            problems.append(Problem(1, name, name, f"The column {name} appears {names.count(name)} times. Keep one"))
    for name in HEADERS:
        if name not in names:
            problems.append(Problem(1, name, "", f"The column {name} is missing. The headings must be {expected}"))
    return problems


def read_missing_table(data: bytes) -> tuple[list[MissingRow], list[Problem]]:
    """The rows of a Missing table file, and the problems with reading it: headings, the number
    of values in a row, dates that are not dates. The rules come after, in `check_rows`."""
    if not data or not data.strip():
        return _file_problem("The file is empty")
    if len(data) > MAX_BYTES:
        return _file_problem(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _file_problem(
            f"The file is not UTF-8 text (the first problem is at byte {exc.start + 1}). "
            "Save it as 'CSV UTF-8 (comma delimited)' and try again"
        )
    if "\x00" in text:
        return _file_problem("The file is not a CSV file. Save the table as 'CSV UTF-8 (comma delimited)'")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[MissingRow] = []
    problems: list[Problem] = []
    try:
        names = [name.strip() for name in next(reader)]
        problems = _heading_problems(names)
        if problems:
            return [], problems
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            if len(cells) != len(names):
                problems.append(Problem(
                    number, "", ",".join(cells)[:100],
                    f"This row has {len(cells)} value{'s' if len(cells) != 1 else ''}; it must have {len(names)}, one for each column",
                ))
                continue
            values = {name: cell.strip() for name, cell in zip(names, cells)}
            dates, unreadable = {}, []
            for column in ("DOB", "MIS_START", "MIS_END"):
                try:
                    dates[column] = _parse_date(values[column])
                except ValueError as exc:
                    problems.append(Problem(number, column, values[column], str(exc)))
                    dates[column] = None
                    unreadable.append(column)
            rows.append(MissingRow(
                row=number, child=values["CHILD"], dob=dates["DOB"], kind=values["MISSING"],
                start=dates["MIS_START"], end=dates["MIS_END"], unreadable=tuple(unreadable),
            ))
    except csv.Error as exc:
        problems.append(Problem(reader.line_num or None, "", "", f"The file cannot be read as CSV at line {reader.line_num}: {exc}"))
        return [], problems
    return rows, problems


# --- The rules --------------------------------------------------------------------------------


def check_rows(rows: list[MissingRow], *, today: dt.date) -> list[Problem]:
    """Every problem the rules find in the rows (of a file, or of an export)."""
    problems: list[Problem] = []
    first_dob: dict[str, tuple[int, dt.date]] = {}
    comparable = []
    for r in rows:
        own: list[Problem] = []
        if not r.child:
            own.append(Problem(r.row, "CHILD", "", "Enter the child's local authority child ID"))
        elif not CHILD_ID.fullmatch(r.child):
            own.append(Problem(r.row, "CHILD", r.child, "The child ID must be 1 to 10 letters or numbers, with no spaces"))
        if r.dob is None:
            if "DOB" not in r.unreadable:
                own.append(Problem(r.row, "DOB", "", "Enter the child's date of birth"))
        elif r.dob > today:
            own.append(Problem(r.row, "DOB", format_date(r.dob), "The date of birth is in the future"))
        elif r.child:
            first_row, first = first_dob.setdefault(r.child, (r.row, r.dob))
            if first != r.dob:
                own.append(Problem(r.row, "DOB", format_date(r.dob),
                                   f"Row {first_row} gives child {r.child} a different date of birth ({format_date(first)})"))
        if r.kind not in EpisodeKind.values:
            own.append(Problem(r.row, "MISSING", r.kind,
                               "MISSING must be M (missing) or A (away from placement without authorisation)"))
        dates_ok = "MIS_START" not in r.unreadable and "MIS_END" not in r.unreadable
        if r.start is None:
            if "MIS_START" not in r.unreadable:
                own.append(Problem(r.row, "MIS_START", "", "Enter the date the child went missing or away"))
            dates_ok = False
        else:
            if r.start > today:
                own.append(Problem(r.row, "MIS_START", format_date(r.start), "The date the episode started is in the future"))
            if r.dob is not None and r.start <= r.dob:
                own.append(Problem(r.row, "MIS_START", format_date(r.start),
                                   "The episode starts on or before the child's date of birth"))
        if r.end is not None:
            if r.end > today:
                own.append(Problem(r.row, "MIS_END", format_date(r.end), "The date the episode ended is in the future"))
            if r.start is not None and r.end < r.start:
                own.append(Problem(r.row, "MIS_END", format_date(r.end), "The episode cannot end before it starts (MIS_START)"))
                dates_ok = False
        problems.extend(own)
        if r.child and dates_ok:
            comparable.append(r)
    problems.extend(_overlaps(comparable))
    return problems


def _overlaps(rows: list[MissingRow]) -> list[Problem]:
    """Rule 574, child by child: in start order, each episode is compared with the one before it
    that ends last (any earlier episode it clashes with, that one clashes with too)."""
    by_child: dict[str, list[MissingRow]] = defaultdict(list)
    for r in rows:
        by_child[r.child].append(r)
    problems = []
    for child_rows in by_child.values():
        child_rows.sort(key=lambda r: (r.start, r.end or OPEN, r.row))
        furthest = None
        for r in child_rows:
            if furthest is not None and periods_overlap(r.start, r.end, furthest.start, furthest.end):
                if furthest.end is None:
                    message = (f"This episode starts while the one in row {furthest.row} (from {format_date(furthest.start)}, "
                               "with no end date) is still open. A child can be missing or away only once at a time")
                else:
                    message = (f"This episode overlaps the one in row {furthest.row} ({format_date(furthest.start)} to "
                               f"{format_date(furthest.end)}). A child's episodes must not overlap, though one may start on "
                               "the day another ends")
                problems.append(Problem(r.row, "MIS_START", format_date(r.start), message))
            if furthest is None or (r.end or OPEN) > (furthest.end or OPEN):
                furthest = r
    return problems


# --- Importing --------------------------------------------------------------------------------


@dataclass
class ImportPlan:
    new: list[tuple[MissingRow, Child]]
    skipped: list[MissingRow]
    problems: list[Problem]


def _children_by_la_id(ids: set[str]) -> dict[str, list[Child]]:
    found: dict[str, list[Child]] = defaultdict(list)
    identifiers = ChildIdentifier.objects.filter(
        kind=IdentifierKind.LA_CHILD_ID, ended_at__isnull=True, normalised__in=sorted(ids)
    ).select_related("child").order_by("child_id")
    for identifier in identifiers:
        found[identifier.normalised].append(identifier.child)
    return found


def _match_recorded(rows: list[MissingRow], child_of: dict[int, Child], existing: dict[int, list[MissingEpisode]]):
    """Split the rows into new ones and those already recorded: the same child, kind, start
    date and end date as an episode in Lantern, each episode matching one row at most. A row with
    no MIS_END also matches an episode from the same day that Lantern has since seen end."""
    pool: dict[tuple, list] = defaultdict(list)
    for child_id, episodes in existing.items():
        for e in episodes:
            pool[(child_id, e.kind, london_date(e.started_at))].append(london_date(e.returned_at) if e.returned_at else None)
    new, skipped, pending = [], [], []
    for r in rows:
        ends = pool[(child_of[r.row].pk, r.kind, r.start)]
        if r.end in ends:
            ends.remove(r.end)
            skipped.append(r)
        else:
            pending.append(r)
    for r in pending:
        ends = pool[(child_of[r.row].pk, r.kind, r.start)]
        if r.end is None and ends:
            ends.pop(0)
            skipped.append(r)
        else:
            new.append((r, child_of[r.row]))
    return new, sorted(skipped, key=lambda r: r.row)


def plan_import(data: bytes, *, today: dt.date) -> ImportPlan:
    """Read and check a Missing table against the rules and against Lantern. Reads only: what it
    finds is written by `services.import_ssda903_missing`, and only if there are no problems."""
    rows, problems = read_missing_table(data)
    problems += check_rows(rows, today=today)
    children = _children_by_la_id({r.child.upper() for r in rows if CHILD_ID.fullmatch(r.child)})
    child_of: dict[int, Child] = {}
    for r in rows:
        if not CHILD_ID.fullmatch(r.child):
            continue
        found = children.get(r.child.upper(), [])
        if not found:
            problems.append(Problem(r.row, "CHILD", r.child, f"No child in Lantern has the local authority child ID {r.child}. "
                                    "Check the ID, or record it on the child's page first"))
        elif len(found) > 1:
            problems.append(Problem(r.row, "CHILD", r.child, f"{len(found)} children in Lantern have the local authority child ID "
                                    f"{r.child}. Correct their IDs first"))
        elif r.dob is not None and found[0].date_of_birth != r.dob:
            problems.append(Problem(r.row, "DOB", format_date(r.dob), f"This is not the date of birth Lantern has for the child "
                                    f"with ID {r.child}. Check the ID and the date of birth"))
        else:
            child_of[r.row] = found[0]
    bad_rows = {p.row for p in problems}
    good = [r for r in rows if r.row not in bad_rows and r.row in child_of]
    existing: dict[int, list[MissingEpisode]] = defaultdict(list)
    for episode in MissingEpisode.objects.filter(child__in={child_of[r.row].pk for r in good}).order_by("started_at", "pk"):
        existing[episode.child_id].append(episode)
    new, skipped = _match_recorded(good, child_of, existing)
    for r, child in new:
        clash = overlap_error(child, start=start_of(r.start), end=start_of(r.end) if r.end else None, others=existing[child.pk])
        if clash:
            problems.append(Problem(r.row, "MIS_START", format_date(r.start), f"Lantern already has an episode this clashes with. {clash}"))
    return ImportPlan(new=sorted(new, key=lambda pair: pair[0].row), skipped=skipped, problems=problems)


# --- Exporting --------------------------------------------------------------------------------


def collection_year(year: int) -> tuple[dt.date, dt.date]:
    """The SSDA903 collection year ending in `year`: 2026 is 1 April 2025 to 31 March 2026."""
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


def current_collection_year(today: dt.date | None = None) -> int:
    today = today or local_today()
    return today.year + 1 if today >= dt.date(today.year, 4, 1) else today.year


def write_missing_table(rows: list[MissingRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=LINE_END)
    writer.writerow(HEADERS)
    for r in rows:
        writer.writerow([r.child, format_date(r.dob), r.kind, format_date(r.start), format_date(r.end)])
    return buffer.getvalue().encode("utf-8")


def _sort_key(r: MissingRow):
    return (r.child, r.start, r.end or OPEN, r.kind)


def _la_ids(child_ids) -> dict[int, str]:
    return dict(
        ChildIdentifier.objects.filter(child_id__in=child_ids, kind=IdentifierKind.LA_CHILD_ID, ended_at__isnull=True)
        .values_list("child_id", "value")
    )


def _looked_after_since(children: list[Child], since: dt.datetime) -> set[int]:
    """The children whose record said "looked after" at any time from `since` until now: the
    status in force at `since`, any recorded after it (from the record's history), or now."""
    result = {c.pk for c in children if c.legal_status == LegalStatus.LOOKED_AFTER}
    rows = (
        Child.history.filter(id__in=[c.pk for c in children]).order_by("id", "history_date", "history_id")
        .values_list("id", "history_date", "legal_status")
    )
    in_force: dict[int, str] = {}
    for child_id, when, status in rows:
        if when <= since:
            in_force[child_id] = status
        elif status == LegalStatus.LOOKED_AFTER:
            result.add(child_id)
    result.update(child_id for child_id, status in in_force.items() if status == LegalStatus.LOOKED_AFTER)
    return result


def _require_hub(by) -> None:
    if by is not None and not (by.is_authenticated and by.access.is_hub):
        raise PermissionDenied("Only the exploitation hub can export this.")


def _log_export(by, children, path: str) -> None:
    if by is None:
        return
    from lantern.children.models import AccessPurpose
    from lantern.children.services import log_child_access

    for child in children:
        log_child_access(user=by, child=child, purpose=AccessPurpose.EXPORT, path=path)


def _no_id_problem(child: Child) -> Problem:
    return Problem(None, "CHILD", "", f"{child.display_name}, born {child.date_of_birth:%d/%m/%Y}, has no local authority "
                   "child ID. Record it on the child's page, then export again")


def export_missing_table(*, year: int, by=None, path: str = "", today: dt.date | None = None) -> Export:
    """The Missing table for the collection year ending in `year`: every episode that started in
    the year, of a child whose record said "looked after" at any time since the year began. An
    episode still open, or ending after the year, has a blank MIS_END (the child was still missing
    at the year's end). Raises Rejected, exporting nothing, if a row would break the rules or a
    child has no local authority child ID. `by` (a hub member; None for the command line) is
    written to each child's access log."""
    _require_hub(by)
    today = today or local_today()
    first, last = collection_year(year)
    if first > today:
        raise Rejected([Problem(None, "", str(year), f"The collection year {year - 1} to {year} has not started yet")])
    begins, ends = start_of(first), start_of(last + dt.timedelta(days=1))
    episodes = list(
        MissingEpisode.objects.filter(started_at__gte=begins, started_at__lt=ends).select_related("child").order_by("started_at", "pk")
    )
    children = list({e.child_id: e.child for e in episodes}.values())
    in_care = _looked_after_since(children, begins)
    episodes = [e for e in episodes if e.child_id in in_care]
    children = [c for c in children if c.pk in in_care]
    ids = _la_ids([c.pk for c in children])
    problems = [_no_id_problem(c) for c in sorted(children, key=lambda c: (c.legal_last_name, c.legal_first_name, c.pk)) if c.pk not in ids]
    rows = sorted(
        (
            MissingRow(
                row=0, child=ids[e.child_id], dob=e.child.date_of_birth, kind=e.kind, start=london_date(e.started_at),
                end=london_date(e.returned_at) if e.returned_at is not None and e.returned_at < ends else None,
            )
            for e in episodes if e.child_id in ids
        ),
        key=_sort_key,
    )
    rows = [MissingRow(n, r.child, r.dob, r.kind, r.start, r.end) for n, r in enumerate(rows, start=2)]
    problems += check_rows(rows, today=today)
    if problems:
        raise Rejected(problems)
    _log_export(by, children, path)
    return Export(content=write_missing_table(rows), filename=f"ssda903-missing-{year}.csv", children=children, rows=len(rows))


# --- Annex A List 8 ---------------------------------------------------------------------------

# The columns of Ofsted's Annex A List 8 (children in care) that Lantern holds, with the list's
# own headings, in the list's order. The other columns (placements, reviews, visits, legal status
# and so on) come from the local authority's case management system, joined on Child Unique ID.
CHILD_UNIQUE_ID = "Child Unique ID"
MISSING_COUNT = "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months"
AWAY_COUNT = "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months"
OFFERED = "Was the child offered a Return Interview after their last missing episode (Y/N)?"
ACCEPTED = "Did the child accept a Return Interview after their last missing episode (Y/N)?"
LIST_8_HEADERS = (
    CHILD_UNIQUE_ID, "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)", "Does the Child have a Disability",
    MISSING_COUNT, AWAY_COUNT, OFFERED, ACCEPTED,
)
YES, NO, UNKNOWN = "a) Yes", "b) No", "c) Unknown"
GENDER = {Sex.MALE: "a) Male", Sex.FEMALE: "b) Female", Sex.NOT_KNOWN: "c) Not stated/recorded", Sex.INDETERMINATE: "d) Neither"}
ETHNICITY = {code: f"{letter}) {code}" for letter, code in zip("abcdefghijklmnopqrst", Ethnicity.values, strict=True)}
DISABILITY = {Disability.YES: YES, Disability.NO: NO, Disability.NOT_KNOWN: UNKNOWN}


def twelve_months_to(day: dt.date) -> dt.date:
    """The first day of the 12 months up to and including `day`: 31/03/2026 gives 01/04/2025."""
    try:
        year_before = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        year_before = dt.date(day.year - 1, 2, 28)
    return year_before + dt.timedelta(days=1)


def _interview_answers(episode: MissingEpisode | None, now: dt.datetime) -> tuple[str, str]:
    """Offered? Accepted? for the child's last missing episode, as Lantern records it now."""
    if episode is None:
        return "", ""
    try:
        interview = episode.interview
    except ReturnInterview.DoesNotExist:
        interview = None
    if interview is None or interview.offered_at is None:
        if (interview is not None and interview.not_held_at is not None) or episode.interview_due_at <= now:
            return NO, NO
        return UNKNOWN, UNKNOWN  # the time allowed for the offer has not run out yet
    return YES, {True: YES, False: NO, None: UNKNOWN}[interview.accepted]


def _in_care_at(at: dt.datetime) -> list[int]:
    """The children whose record said "looked after", and was not closed, at `at`: from the
    last change recorded by then or, for a child added to Lantern later, as they were added."""
    candidates = Child.history.filter(legal_status=LegalStatus.LOOKED_AFTER).values("id")
    rows = (
        Child.history.filter(id__in=candidates).order_by("id", "history_date", "history_id")
        .values_list("id", "history_date", "legal_status", "closed_at")
    )
    state: dict[int, tuple] = {}
    for child_id, when, status, closed_at in rows:
        if child_id not in state or when <= at:
            state[child_id] = (status, closed_at)
    return sorted(
        child_id for child_id, (status, closed_at) in state.items()
        if status == LegalStatus.LOOKED_AFTER and (closed_at is None or closed_at > at)
    )


def export_annex_a_list_8(*, on: dt.date, by=None, path: str = "", today: dt.date | None = None) -> Export:
    """Annex A List 8 for the children in care on `on`: those whose record said "looked after"
    and was not closed at the end of that day (`_in_care_at`), with their episodes that started
    in the 12 months up to and including `on`. The last missing episode is the latest episode of
    kind M in those months that had ended by then; whether an interview was offered and accepted
    after it is as Lantern records it now. Raises Rejected if a child has no local authority
    child ID."""
    _require_hub(by)
    today = today or local_today()
    if on > today:
        raise Rejected([Problem(None, "", format_date(on), "The date must be today or in the past")])
    now = timezone.now()
    at = min(start_of(on + dt.timedelta(days=1)), now)
    in_care = _in_care_at(at)
    children = list(Child.objects.filter(pk__in=in_care))
    ids = _la_ids([c.pk for c in children])
    problems = [_no_id_problem(c) for c in children if c.pk not in ids]  # Child's ordering: by name
    if problems:
        raise Rejected(problems)
    episodes: dict[int, list[MissingEpisode]] = defaultdict(list)
    for episode in (
        MissingEpisode.objects.filter(child__in=in_care, started_at__gte=start_of(twelve_months_to(on)), started_at__lt=at)
        .select_related("interview").order_by("started_at", "pk")
    ):
        episodes[episode.child_id].append(episode)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=LINE_END)
    writer.writerow(LIST_8_HEADERS)
    for child in sorted(children, key=lambda c: ids[c.pk]):
        own = episodes[child.pk]
        ended = [e for e in own if e.kind == EpisodeKind.MISSING and e.returned_at is not None and e.returned_at <= at]
        offered, accepted = _interview_answers(ended[-1] if ended else None, now)
        writer.writerow([
            ids[child.pk], GENDER[child.sex], ETHNICITY[child.ethnicity], format_date(child.date_of_birth),
            age_on(child.date_of_birth, on), DISABILITY[child.disability],
            sum(1 for e in own if e.kind == EpisodeKind.MISSING), sum(1 for e in own if e.kind == EpisodeKind.AWAY),
            offered, accepted,
        ])
    _log_export(by, children, path)
    return Export(content=buffer.getvalue().encode("utf-8"), filename=f"annex-a-list-8-{on:%Y-%m-%d}.csv", children=children,
                  rows=len(children))
