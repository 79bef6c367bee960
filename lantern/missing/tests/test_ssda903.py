"""The SSDA903 Missing table and Annex A List 8 (decision 0013): reading, the rules, all-or-nothing
imports through the services, exports, and the round trips."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from lantern.children.models import AccessLogEntry, Child, IdentifierKind, LegalStatus, TimelineEvent
from lantern.children.services import update_child_details
from lantern.children.tests.factories import register_child
from lantern.core.dates import LONDON
from lantern.missing import services, ssda903
from lantern.missing.models import EpisodeKind, MissingEpisode, MissingFrom
from lantern.missing.ssda903 import MissingRow, check_rows, read_missing_table
from lantern.missing.tests.factories import at, hold_interview, record_episode
from lantern.notifications.models import Notification

SAMPLE = Path(__file__).parent / "data" / "ssda903_missing_sample.csv"
HEAD = "CHILD,DOB,MISSING,MIS_START,MIS_END"
TODAY = dt.date(2026, 6, 1)


def table(*lines: str, head: str = HEAD, end: str = "\r\n") -> bytes:
    return "".join(line + end for line in (head, *lines)).encode("utf-8")


def looked_after(p, la_id: str, dob: dt.date, **kwargs) -> Child:
    return register_child(by=p.hub, date_of_birth=dob, legal_status=LegalStatus.LOOKED_AFTER,
                          identifiers=[(IdentifierKind.LA_CHILD_ID, la_id)], **kwargs)


def problems_of(data: bytes, today: dt.date = TODAY) -> list[tuple]:
    rows, problems = read_missing_table(data)
    problems = problems + check_rows(rows, today=today)
    return [(p.row, p.column, p.value, p.message) for p in problems]


def row(child="BF1", dob=dt.date(2012, 1, 1), kind="M", start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 3), n=2):
    return MissingRow(row=n, child=child, dob=dob, kind=kind, start=start, end=end)


# --- Reading a file ---------------------------------------------------------------------------


def test_a_well_formed_file_is_read_into_typed_rows():
    rows, problems = read_missing_table(SAMPLE.read_bytes())
    assert problems == [] and len(rows) == 9
    assert rows[0] == MissingRow(row=2, child="BF204711", dob=dt.date(2011, 2, 14), kind="M",
                                 start=dt.date(2025, 5, 3), end=dt.date(2025, 5, 5))
    assert rows[3].end is None and rows[3].row == 5
    assert check_rows(rows, today=TODAY) == []


def test_the_file_may_have_a_byte_order_mark_lf_line_endings_blank_lines_spaces_and_its_columns_in_any_order():
    data = "\ufeff" + "MISSING,CHILD,DOB,MIS_START,MIS_END\n M , BF1 ,01/01/2012,1/6/2025,03/06/2025\n\nA,BF1,01/01/2012,03/06/2025,\n"
    rows, problems = read_missing_table(data.encode("utf-8"))
    assert problems == []
    assert rows == [row(child="BF1", start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 3), n=2),
                    row(kind="A", start=dt.date(2025, 6, 3), end=None, n=4)]


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty"),
    (b" \r\n\r\n", "The file is empty"),
    (b"x" * (ssda903.MAX_BYTES + 1), "The file is larger than 2 MB"),
    ("CHILD,DOB,MISSING,MIS_START,MIS_END\r\nBF1,01/01/2012,M,01/06/2025,Dé\r\n".encode("latin-1"), "The file is not UTF-8 text"),
    (b"CHILD,DOB\x00,MISSING", "The file is not a CSV file"),
])
def test_a_file_that_is_not_a_readable_csv_file_is_refused_as_a_whole(data, message):
    rows, problems = read_missing_table(data)
    assert rows == [] and len(problems) == 1
    assert problems[0].row is None and problems[0].message.startswith(message)


def test_wrong_missing_duplicated_and_extra_headings_are_each_named():
    assert problems_of(table(head="CHILD,DOB,MISSING,START,MIS_END,NOTES,CHILD,")) == [
        (1, "CHILD", "CHILD", "The column CHILD appears 2 times. Keep one"),
        (1, "START", "START", "START is not a column of the SSDA903 Missing table. Remove the column, or correct its heading"),
        (1, "NOTES", "NOTES", "NOTES is not a column of the SSDA903 Missing table. Remove the column, or correct its heading"),
        (1, "", "", "A column has no heading. Remove the column"),
        (1, "MIS_START", "", "The column MIS_START is missing. The headings must be CHILD, DOB, MISSING, MIS_START, MIS_END"),
    ]
    assert problems_of(b"\r\nBF1,01/01/2012,M,01/06/2025,\r\n")[0][3].startswith("The first row must be the headings")


def test_a_row_with_too_many_or_too_few_values_and_dates_that_are_not_dates_are_reported():
    assert problems_of(table(
        "BF1,01/01/2012,M,01/06/2025,03/06/2025,extra",
        "BF1,01/01/2012,M",
        "BF1,01/01/2012,M,31/02/2026,",
        "BF1,2012-01-01,M,01/06/2025,1/13/2025",
        "BF1,01/01/2012,Q,01/06/2025,31/02/2025",   # the rest of a row with a bad date is still checked
    )) == [
        (2, "", "BF1,01/01/2012,M,01/06/2025,03/06/2025,extra", "This row has 6 values; it must have 5, one for each column"),
        (3, "", "BF1,01/01/2012,M", "This row has 3 values; it must have 5, one for each column"),
        (4, "MIS_START", "31/02/2026", "31/02/2026 is not a real date"),
        (5, "DOB", "2012-01-01", "Write dates as dd/mm/yyyy, for example 04/06/2025"),
        (5, "MIS_END", "1/13/2025", "1/13/2025 is not a real date"),
        (6, "MIS_END", "31/02/2025", "31/02/2025 is not a real date"),
        (6, "MISSING", "Q", "MISSING must be M (missing) or A (away from placement without authorisation)"),
    ]


# --- The rules --------------------------------------------------------------------------------


def test_each_rule_has_its_own_message():
    assert problems_of(table(
        "BF1,01/01/2012,X,01/06/2025,03/06/2025",   # 1006
        "BF2,01/01/2012,M,,03/06/2025",             # 564
        "BF3,01/01/2012,M,05/06/2025,03/06/2025",   # 567
        "BF4,01/06/2025,A,01/06/2025,",             # 586: on the date of birth
        "BF5,01/01/2012,M,02/06/2026,",             # starts in the future
        "BF6,01/01/2012,M,30/05/2026,02/06/2026",   # ends in the future
        ",01/01/2012,M,01/06/2025,",                # no child ID
        "BF 7,01/01/2012,M,01/06/2025,",            # not letters and numbers
        "BF12345678X,01/01/2012,M,01/06/2025,",     # 11 characters
        "BF8,,M,01/06/2025,",                       # no date of birth
        "BF9,01/01/2012,M,01/06/2025,03/06/2025",
        "BF9,02/01/2012,M,05/06/2025,06/06/2025",   # a different date of birth for the same child
    )) == [
        (2, "MISSING", "X", "MISSING must be M (missing) or A (away from placement without authorisation)"),
        (3, "MIS_START", "", "Enter the date the child went missing or away"),
        (4, "MIS_END", "03/06/2025", "The episode cannot end before it starts (MIS_START)"),
        (5, "MIS_START", "01/06/2025", "The episode starts on or before the child's date of birth"),
        (6, "MIS_START", "02/06/2026", "The date the episode started is in the future"),
        (7, "MIS_END", "02/06/2026", "The date the episode ended is in the future"),
        (8, "CHILD", "", "Enter the child's local authority child ID"),
        (9, "CHILD", "BF 7", "The child ID must be 1 to 10 letters or numbers, with no spaces"),
        (10, "CHILD", "BF12345678X", "The child ID must be 1 to 10 letters or numbers, with no spaces"),
        (11, "DOB", "", "Enter the child's date of birth"),
        (13, "DOB", "02/01/2012", "Row 12 gives child BF9 a different date of birth (01/01/2012)"),
    ]


def test_overlapping_episodes_and_one_starting_while_another_is_open_are_refused():
    assert problems_of(table(
        "BF1,01/01/2012,M,01/06/2025,05/06/2025",
        "BF1,01/01/2012,A,04/06/2025,08/06/2025",
        "BF2,01/01/2012,M,01/06/2025,",
        "BF2,01/01/2012,M,09/06/2025,10/06/2025",
        "BF3,01/01/2012,M,01/06/2025,03/06/2025",   # one may start on the day another ends,
        "BF3,01/01/2012,A,03/06/2025,03/06/2025",   # even on the same day, for no time at all
        "BF3,01/01/2012,M,03/06/2025,",
    )) == [
        (3, "MIS_START", "04/06/2025", "This episode overlaps the one in row 2 (01/06/2025 to 05/06/2025). A child's episodes must "
                                       "not overlap, though one may start on the day another ends"),
        (5, "MIS_START", "09/06/2025", "This episode starts while the one in row 4 (from 01/06/2025, with no end date) is still "
                                       "open. A child can be missing or away only once at a time"),
    ]


def test_the_examples_of_the_published_rule_574_are_refused_for_the_same_children():
    # The examples that come with rule 574 in the Department for Education's validator: children
    # 111, 222, 333 and 444 break it; 555 has no start dates, which is rule 564 instead.
    data = table(
        "111,01/01/2010,M,01/06/2020,05/06/2020", "111,01/01/2010,M,04/06/2020,",
        "222,01/01/2010,M,03/06/2020,04/06/2020", "222,01/01/2010,M,04/06/2020,", "222,01/01/2010,M,07/06/2020,09/06/2020",
        "333,01/01/2010,M,02/06/2020,04/06/2020", "333,01/01/2010,M,03/06/2020,09/06/2020",
        "444,01/01/2010,M,06/06/2020,08/06/2020", "444,01/01/2010,M,10/06/2020,10/06/2020", "444,01/01/2010,M,08/06/2020,10/08/2020",
        "555,01/01/2010,M,,05/06/2020", "555,01/01/2010,M,,05/06/2020",
    )
    rows, problems = read_missing_table(data)
    found = check_rows(rows, today=TODAY)
    by_row = {r.row: r.child for r in rows}
    assert {by_row[p.row] for p in found if "overlap" in p.message or "still open" in p.message} == {"111", "222", "333", "444"}
    assert [by_row[p.row] for p in found if p.message == "Enter the date the child went missing or away"] == ["555", "555"]


_day = st.integers(min_value=0, max_value=20)


def _clashes(a: tuple, b: tuple) -> bool:
    """Independent of the validator: do the open intervals (start, end) meet? An open episode runs
    for ever; an episode that starts and ends on the same day is a point, which clashes only with
    an interval it falls strictly inside."""
    (s1, e1), (s2, e2) = ((s, 10**6 if e is None else e) for s, e in (a, b))
    if s1 == e1:
        return s2 < s1 < e2
    if s2 == e2:
        return s1 < s2 < e1
    return max(s1, s2) < min(e1, e2)


@hsettings(max_examples=300, deadline=None)
@given(start1=_day, length1=st.one_of(st.none(), _day), start2=_day, length2=st.one_of(st.none(), _day),
       other_child=st.booleans())
def test_the_rules_refuse_every_overlapping_pair_and_accept_every_other(start1, length1, start2, length2, other_child):
    base = dt.date(2025, 6, 1)

    def period(start, length):
        return start, None if length is None else start + length

    a, b = period(start1, length1), period(start2, length2)
    rows = [
        row(child="BF1", start=base + dt.timedelta(days=a[0]), end=None if a[1] is None else base + dt.timedelta(days=a[1]), n=2),
        row(child="BF2" if other_child else "BF1", kind="A", start=base + dt.timedelta(days=b[0]),
            end=None if b[1] is None else base + dt.timedelta(days=b[1]), n=3),
    ]
    found = check_rows(rows, today=TODAY)
    assert bool(found) == (_clashes(a, b) and not other_child)
    assert bool(check_rows(rows[::-1], today=TODAY)) == bool(found)  # whatever the order of the rows


# --- Importing --------------------------------------------------------------------------------


def test_one_bad_row_imports_nothing_and_the_report_gives_row_column_value_and_what_is_wrong(partnership):
    p = partnership
    looked_after(p, "BF100001", dt.date(2011, 3, 1))
    data = table("BF100001,01/03/2011,M,01/06/2025,03/06/2025", "BF100001,01/03/2011,A,10/06/2025,31/02/2025",
                 "BF100001,01/03/2011,M,12/06/2025,")
    with pytest.raises(ssda903.Rejected) as caught:
        services.import_ssda903_missing(by=p.hub, data=data)
    assert [(x.row, x.column, x.value, x.message) for x in caught.value.problems] == [
        (3, "MIS_END", "31/02/2025", "31/02/2025 is not a real date"),
    ]
    assert caught.value.problems[0].describe() == "Row 3, MIS_END ('31/02/2025'): 31/02/2025 is not a real date"
    assert not MissingEpisode.objects.exists()
    assert not TimelineEvent.objects.filter(kind__startswith="missing").exists()


def test_each_row_must_name_exactly_one_child_in_lantern_with_that_date_of_birth(partnership):
    p = partnership
    looked_after(p, "BF100001", dt.date(2011, 3, 1))
    looked_after(p, "BF200002", dt.date(2012, 4, 2))
    looked_after(p, "BF200002", dt.date(2012, 4, 2), first_name="Twin")
    data = table("BF100001,01/03/2011,M,01/06/2025,03/06/2025", "BF999999,01/03/2011,M,01/06/2025,",
                 "bf100001,02/03/2011,M,05/06/2025,", "BF200002,02/04/2012,M,01/06/2025,")
    with pytest.raises(ssda903.Rejected) as caught:
        services.import_ssda903_missing(by=p.hub, data=data)
    assert [(x.row, x.column, x.message) for x in caught.value.problems] == [
        (3, "CHILD", "No child in Lantern has the local authority child ID BF999999. Check the ID, or record it on the child's page first"),
        (4, "DOB", "This is not the date of birth Lantern has for the child with ID bf100001. Check the ID and the date of birth"),
        (5, "CHILD", "2 children in Lantern have the local authority child ID BF200002. Correct their IDs first"),
    ]
    assert not MissingEpisode.objects.exists()


@pytest.mark.finding("F06")
def test_an_import_records_each_episode_through_the_services_and_tells_people_only_about_one_still_open(partnership):
    p = partnership
    child = looked_after(p, "BF100001", dt.date(2011, 3, 1))
    result = services.import_ssda903_missing(by=p.hub, data=table(
        "BF100001,01/03/2011,M,01/06/2025,03/06/2025", "BF100001,01/03/2011,A,03/06/2025,03/06/2025",
        "bf100001,01/03/2011,M,10/10/2026,",
    ))
    assert result == ssda903.ImportResult(imported=3, skipped_rows=())
    first, same_day, still_open = MissingEpisode.objects.filter(child=child).order_by("started_at", "returned_at")
    assert first.started_at == at(2025, 6, 1, 0) and first.returned_at == at(2025, 6, 3, 0)
    assert first.kind == EpisodeKind.MISSING and first.missing_from == MissingFrom.PLACEMENT
    assert first.reported_by == p.hub and first.reporting_agency == p.social_care and first.circumstances == ssda903.IMPORT_NOTE
    assert same_day.kind == EpisodeKind.AWAY and same_day.started_at == same_day.returned_at == at(2025, 6, 3, 0)
    assert still_open.is_open and first.history.count() == 1
    assert TimelineEvent.objects.filter(child=child, kind="missing_started").count() == 3
    assert TimelineEvent.objects.filter(child=child, kind="missing_returned").count() == 2
    # Only the episode still open tells the people working with the child.
    told = Notification.objects.filter(child=child, category="missing")
    assert {n.subject for n in told} == {"A child you work with is missing"}


def test_rows_already_recorded_are_skipped_so_importing_a_file_again_changes_nothing(partnership):
    p = partnership
    child = looked_after(p, "BF100001", dt.date(2011, 3, 1))
    by_hand = record_episode(by=p.hub, child=child, started_at=at(2025, 5, 2, 21, 30), returned_at=at(2025, 5, 4, 7))
    since_returned = record_episode(by=p.hub, child=child, started_at=at(2025, 7, 1, 18), returned_at=at(2025, 7, 2, 9))
    data = table(
        "BF100001,01/03/2011,M,02/05/2025,04/05/2025",   # recorded by hand, with times
        "BF100001,01/03/2011,M,01/07/2025,",              # open in the file; Lantern has the return since
        "BF100001,01/03/2011,A,01/06/2025,01/06/2025",
        "BF100001,01/03/2011,A,01/06/2025,01/06/2025",   # twice on the same day: two episodes
    )
    first = services.import_ssda903_missing(by=p.hub, data=data)
    assert first == ssda903.ImportResult(imported=2, skipped_rows=(2, 3))
    again = services.import_ssda903_missing(by=p.hub, data=data)
    assert again == ssda903.ImportResult(imported=0, skipped_rows=(2, 3, 4, 5))
    assert MissingEpisode.objects.filter(child=child).count() == 4
    by_hand.refresh_from_db()
    since_returned.refresh_from_db()
    assert by_hand.started_at == at(2025, 5, 2, 21, 30) and since_returned.returned_at == at(2025, 7, 2, 9)


def test_a_row_that_clashes_with_an_episode_lantern_has_imports_nothing(partnership):
    p = partnership
    child = looked_after(p, "BF100001", dt.date(2011, 3, 1))
    record_episode(by=p.hub, child=child, started_at=at(2025, 6, 2, 20), returned_at=at(2025, 6, 4, 9))
    with pytest.raises(ssda903.Rejected) as caught:
        services.import_ssda903_missing(by=p.hub, data=table(
            "BF100001,01/03/2011,M,20/05/2025,22/05/2025", "BF100001,01/03/2011,M,01/06/2025,03/06/2025",
        ))
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "MIS_START", "01/06/2025")
    assert problem.message.startswith("Lantern already has an episode this clashes with. This overlaps the episode from Monday 2 June")
    assert MissingEpisode.objects.filter(child=child).count() == 1


def test_only_the_hub_may_import(partnership):
    p = partnership
    looked_after(p, "BF100001", dt.date(2011, 3, 1))
    for user in (p.social_worker, p.social_care_manager, p.chair, p.administrator):
        with pytest.raises(PermissionDenied):
            services.import_ssda903_missing(by=user, data=table("BF100001,01/03/2011,M,01/06/2025,03/06/2025"))
    assert not MissingEpisode.objects.exists()


def _sample_children(p) -> list[Child]:
    return [looked_after(p, "BF204711", dt.date(2011, 2, 14)), looked_after(p, "BF318052", dt.date(2009, 11, 30)),
            looked_after(p, "BF500123", dt.date(2013, 7, 7))]


def test_a_real_ssda903_missing_table_goes_in_and_comes_out_unchanged(partnership):
    p = partnership
    _sample_children(p)
    original = SAMPLE.read_bytes()
    assert services.import_ssda903_missing(by=p.hub, data=original).imported == 9
    export = ssda903.export_missing_table(year=2026)
    assert export.content == original
    assert services.import_ssda903_missing(by=p.hub, data=export.content) == ssda903.ImportResult(
        imported=0, skipped_rows=tuple(range(2, 11))
    )
    assert ssda903.export_missing_table(year=2026).content == original


# --- Exporting the Missing table ----------------------------------------------------------------


def test_the_export_takes_the_episodes_that_started_in_the_collection_year_of_children_looked_after(partnership):
    p = partnership
    child = looked_after(p, "BF100001", dt.date(2011, 3, 1))
    left_care = looked_after(p, "BF200002", dt.date(2012, 4, 2))
    not_in_care = register_child(by=p.hub, date_of_birth=dt.date(2012, 4, 2), identifiers=[(IdentifierKind.LA_CHILD_ID, "BF300003")])
    record_episode(by=p.hub, child=child, started_at=at(2025, 3, 31, 20), returned_at=at(2025, 3, 31, 23))    # the year before
    record_episode(by=p.hub, child=child, started_at=at(2025, 4, 1, 0, 30), returned_at=at(2025, 4, 1, 2))     # BST: 31 March in UTC
    record_episode(by=p.hub, child=child, started_at=at(2026, 3, 31, 22), returned_at=at(2026, 4, 2, 9))      # ends after the year
    record_episode(by=p.hub, child=child, started_at=at(2026, 4, 2, 10), returned_at=at(2026, 4, 2, 12))      # the next year
    record_episode(by=p.hub, child=left_care, started_at=at(2025, 9, 1, 20), returned_at=at(2025, 9, 2, 9))
    record_episode(by=p.hub, child=not_in_care, started_at=at(2025, 9, 1, 20), returned_at=at(2025, 9, 2, 9))
    update_child_details(by=p.hub, child=left_care, expected_version=left_care.version, legal_status=LegalStatus.NONE)

    export = ssda903.export_missing_table(year=2026, by=p.hub, path="/missing/exchange/ssda903-missing/?year=2026")
    assert export.filename == "ssda903-missing-2026.csv"
    assert export.content.decode().split("\r\n") == [
        HEAD,
        "BF100001,01/03/2011,M,01/04/2025,01/04/2025",
        "BF100001,01/03/2011,M,31/03/2026,",
        "BF200002,02/04/2012,M,01/09/2025,02/09/2025",
        "",
    ]
    rows, problems = read_missing_table(export.content)
    assert problems == [] and check_rows(rows, today=TODAY) == []
    logged = AccessLogEntry.objects.filter(purpose="export", user=p.hub)
    assert {e.child_id for e in logged} == {child.pk, left_care.pk}
    assert ssda903.export_missing_table(year=2027).content.decode().count("\r\n") == 2  # the heading and one episode


def test_the_export_is_refused_with_the_records_to_correct(partnership):
    p = partnership
    nameless = register_child(by=p.hub, first_name="Noid", date_of_birth=dt.date(2011, 3, 1), legal_status=LegalStatus.LOOKED_AFTER)
    newborn = looked_after(p, "BF100001", dt.date(2025, 6, 1))
    record_episode(by=p.hub, child=nameless, started_at=at(2025, 9, 1, 20), returned_at=at(2025, 9, 2, 9))
    record_episode(by=p.hub, child=newborn, started_at=at(2025, 6, 1, 20), returned_at=at(2025, 6, 1, 22))
    with pytest.raises(ssda903.Rejected) as caught:
        ssda903.export_missing_table(year=2026, by=p.hub)
    assert [(x.row, x.column, x.value, x.message) for x in caught.value.problems] == [
        (None, "CHILD", "", f"{nameless.display_name}, born 01/03/2011, has no local authority child ID. Record it on the "
                            "child's page, then export again"),
        (2, "MIS_START", "01/06/2025", "The episode starts on or before the child's date of birth"),
    ]
    assert not AccessLogEntry.objects.filter(purpose="export").exists()
    with pytest.raises(ssda903.Rejected, match="1 problem"):
        ssda903.export_missing_table(year=2028)
    with pytest.raises(PermissionDenied):
        ssda903.export_missing_table(year=2026, by=p.social_worker)


# --- Round trips ------------------------------------------------------------------------------

YEAR_START = dt.date(2025, 4, 1)
_periods = st.lists(
    st.tuples(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=12), st.sampled_from("MA")),
    min_size=0, max_size=4,
)


def _child_periods(periods, open_last: bool):
    """Episodes one after another through the collection year 2025 to 2026: (gap, length, kind)."""
    day, out = YEAR_START, []
    for n, (gap, length, kind) in enumerate(periods):
        start = day + dt.timedelta(days=gap)
        end = start + dt.timedelta(days=length)
        out.append((start, None if open_last and n == len(periods) - 1 else end, kind))
        day = end
    return out


@pytest.fixture
def three_children(partnership):
    return [looked_after(partnership, la_id, dob) for la_id, dob in
            (("C1", dt.date(2011, 1, 5)), ("C22", dt.date(2012, 7, 9)), ("C3", dt.date(2010, 12, 31)))]


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(episodes=st.lists(st.tuples(_periods, st.booleans()), min_size=3, max_size=3))
def test_any_valid_table_imported_then_exported_comes_back_byte_for_byte(partnership, three_children, episodes):
    lines = []
    for child, (periods, open_last) in zip(three_children, episodes):
        la_id = child.identifiers.get().value
        for start, end, kind in _child_periods(periods, open_last):
            lines.append((la_id, start, end or dt.date.max, kind,
                          f"{la_id},{child.date_of_birth:%d/%m/%Y},{kind},{start:%d/%m/%Y},{'' if end is None else f'{end:%d/%m/%Y}'}"))
    data = table(*(line[-1] for line in sorted(lines)))
    with transaction.atomic():
        result = services.import_ssda903_missing(by=partnership.hub, data=data)
        assert result.imported == len(lines)
        exported = ssda903.export_missing_table(year=2026).content
        assert exported == data
        assert services.import_ssda903_missing(by=partnership.hub, data=exported).imported == 0
        assert ssda903.export_missing_table(year=2026).content == data
        transaction.set_rollback(True)


_moments = st.lists(
    st.tuples(st.integers(min_value=0, max_value=24 * 30), st.integers(min_value=0, max_value=24 * 10), st.sampled_from("MA")),
    min_size=1, max_size=5,
)


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spans=_moments, open_last=st.booleans())
def test_any_valid_set_of_episodes_exported_then_imported_comes_back_exactly(partnership, three_children, spans, open_last):
    child = three_children[0]
    moment, recorded = at(2025, 4, 1, 0), []
    for n, (gap, hours, kind) in enumerate(spans):
        start = moment + dt.timedelta(hours=gap, minutes=17)
        end = start + dt.timedelta(hours=hours, minutes=hours % 7 * 5)
        recorded.append((start, None if open_last and n == len(spans) - 1 else end, kind))
        moment = end
    with transaction.atomic():
        for start, end, kind in recorded:
            record_episode(by=partnership.hub, child=child, started_at=start, returned_at=end, kind=kind)
        exported = ssda903.export_missing_table(year=2026).content
        transaction.set_rollback(True)
    rows, problems = read_missing_table(exported)
    assert problems == [] and check_rows(rows, today=TODAY) == []  # the export passes the rules
    assert sorted((r.start, r.end or dt.date.max, r.kind) for r in rows) == sorted(
        (s.astimezone(LONDON).date(), e.astimezone(LONDON).date() if e else dt.date.max, k) for s, e, k in recorded
    )
    with transaction.atomic():  # into a Lantern without the episodes
        assert not MissingEpisode.objects.exists()
        assert services.import_ssda903_missing(by=partnership.hub, data=exported).imported == len(recorded)
        assert ssda903.export_missing_table(year=2026).content == exported
        assert services.import_ssda903_missing(by=partnership.hub, data=exported).imported == 0
        transaction.set_rollback(True)


# --- Annex A List 8 ---------------------------------------------------------------------------


def test_annex_a_list_8_counts_episodes_and_says_whether_an_interview_was_offered_and_accepted(partnership):
    p = partnership
    on = dt.date(2026, 3, 31)
    held = looked_after(p, "BF100001", dt.date(2011, 3, 1), sex="M", ethnicity="MWBC", disability="yes")
    declined = looked_after(p, "BF200002", dt.date(2012, 4, 2), ethnicity="NOBT")
    overdue = looked_after(p, "BF300003", dt.date(2010, 5, 6), sex="U")
    later = looked_after(p, "BF400004", dt.date(2013, 6, 7))
    calm = looked_after(p, "BF500005", dt.date(2014, 7, 8), sex="I", disability="no")
    register_child(by=p.hub, identifiers=[(IdentifierKind.LA_CHILD_ID, "BF600006")])  # not in care
    record_episode(by=p.hub, child=held, started_at=at(2025, 3, 31, 20), returned_at=at(2025, 4, 1, 9))  # before the 12 months
    record_episode(by=p.hub, child=held, started_at=at(2025, 4, 1, 20), returned_at=at(2025, 4, 2, 9), kind="A")
    last = record_episode(by=p.hub, child=held, started_at=at(2025, 10, 1, 20), returned_at=at(2025, 10, 2, 9))
    hold_interview(by=p.hub, episode=last, offered_at=at(2025, 10, 3, 9), held_at=at(2025, 10, 4, 9))
    record_episode(by=p.hub, child=held, started_at=at(2025, 12, 1, 20), returned_at=at(2025, 12, 2, 9), kind="A")
    no = record_episode(by=p.hub, child=declined, started_at=at(2026, 1, 5, 20), returned_at=at(2026, 1, 6, 9))
    services.offer_return_interview(by=p.hub, episode=no, offered_at=at(2026, 1, 6, 12), independent=True)
    services.record_return_interview(by=p.hub, episode=no, accepted=False, declined_reason="Did not want to talk.")
    record_episode(by=p.hub, child=overdue, started_at=at(2026, 2, 1, 20), returned_at=at(2026, 2, 2, 9))
    record_episode(by=p.hub, child=overdue, started_at=at(2026, 2, 10, 20), returned_at=at(2026, 2, 11, 9), kind="A")
    record_episode(by=p.hub, child=later, started_at=at(2026, 3, 31, 20), returned_at=at(2026, 4, 1, 9))  # ended after the date

    export = ssda903.export_annex_a_list_8(on=on, by=p.hub)
    assert export.filename == "annex-a-list-8-2026-03-31.csv"
    lines = export.content.decode().split("\r\n")
    assert lines[0] == (
        "Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Does the Child have a Disability,"
        "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months,"
        "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months,"
        "Was the child offered a Return Interview after their last missing episode (Y/N)?,"
        "Did the child accept a Return Interview after their last missing episode (Y/N)?"
    )
    assert lines[1:] == [
        "BF100001,a) Male,f) MWBC,01/03/2011,15,a) Yes,1,2,a) Yes,a) Yes",
        "BF200002,b) Female,t) NOBT,02/04/2012,13,c) Unknown,1,0,a) Yes,b) No",
        "BF300003,c) Not stated/recorded,t) NOBT,06/05/2010,15,c) Unknown,1,1,b) No,b) No",
        "BF400004,b) Female,t) NOBT,07/06/2013,12,c) Unknown,1,0,,",
        "BF500005,d) Neither,t) NOBT,08/07/2014,11,b) No,0,0,,",
        "",
    ]
    assert AccessLogEntry.objects.filter(purpose="export").count() == 5

    # Today: an episode whose interview is not due yet, and one offered with no outcome yet; a
    # child who has left care is no longer on the list, though they were on the earlier one.
    update_child_details(by=p.hub, child=calm, expected_version=calm.version, legal_status=LegalStatus.NONE)
    now = timezone.now()
    recent = record_episode(by=p.hub, child=later, started_at=now - dt.timedelta(hours=30), returned_at=now - dt.timedelta(hours=2))
    offered = record_episode(by=p.hub, child=overdue, started_at=now - dt.timedelta(days=9), returned_at=now - dt.timedelta(days=8))
    services.offer_return_interview(by=p.hub, episode=offered, offered_at=now - dt.timedelta(days=7), independent=True)
    today = now.astimezone(LONDON).date()
    lines = ssda903.export_annex_a_list_8(on=today).content.decode().split("\r\n")
    assert [line.split(",")[0] for line in lines[1:-1]] == ["BF100001", "BF200002", "BF300003", "BF400004"]
    assert lines[3].endswith(",a) Yes,c) Unknown") and lines[4].endswith(",c) Unknown,c) Unknown")
    assert recent.pk and "BF500005" in ssda903.export_annex_a_list_8(on=on).content.decode()
    with pytest.raises(ssda903.Rejected, match="1 problem"):
        ssda903.export_annex_a_list_8(on=today + dt.timedelta(days=1))
