"""The bench's results as markdown: printed, and written into docs/performance.md."""

import datetime as dt
import os
import platform
import re
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import django

from .measure import Timing

DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
START, END = "<!-- bench-results:start -->", "<!-- bench-results:end -->"
POSTGRES_MARKERS = ("<!-- bench-postgres-results:start -->", "<!-- bench-postgres-results:end -->")


@dataclass
class Row:
    measure: str
    timing: Timing
    baseline: Timing | None
    target: str
    limit_ms: float | None = None  # an absolute target on the median
    limit_ratio: float | None = None  # a target on median / baseline median

    @property
    def ratio(self) -> float | None:
        return None if self.baseline is None else self.timing.median / self.baseline.median

    @property
    def met(self) -> str:
        if self.limit_ms is not None:
            return "yes" if self.timing.median < self.limit_ms else "**no**"
        if self.limit_ratio is not None and self.ratio is not None:
            return "yes" if self.ratio <= self.limit_ratio else "**no**"
        return "–"


def results_table(rows: list[Row]) -> str:
    lines = [
        "| Measure | Median ms | p95 ms | SQL baseline median ms | Ratio to baseline | Target | Met? |",
        "|---|--:|--:|--:|--:|---|---|",
    ]
    for row in rows:
        baseline = f"{row.baseline.median:.1f}" if row.baseline else "–"
        ratio = f"{row.ratio:.1f}×" if row.ratio is not None else "–"
        lines.append(
            f"| {row.measure} | {row.timing.median:.1f} | {row.timing.p95:.1f} | {baseline} | {ratio} | {row.target} | {row.met} |"
        )
    return "\n".join(lines)


def queries_table(counts: list[tuple[str, int | None, int, int]]) -> str:
    lines = [
        "| Page | Queries per request (whole page) | Queries in the data layer (or service) | Statements in the SQL baseline |",
        "|---|--:|--:|--:|",
    ]
    for page, full, data, baseline in counts:
        lines.append(f"| {page} | {'–' if full is None else full} | {data} | {baseline} |")
    return "\n".join(lines)


@dataclass
class RecordRow:
    """One measure of the child page for the quiet child and the busy child, side by side."""

    measure: str
    quiet: Timing | None
    busy: Timing | None
    quiet_queries: int
    busy_queries: int
    limit_ms: float | None = None  # an absolute target on both medians

    @property
    def target(self) -> str:
        return "same queries" + (f"; medians < {self.limit_ms:.0f} ms" if self.limit_ms is not None else "")

    @property
    def met(self) -> str:
        ok = self.busy_queries <= self.quiet_queries
        if self.limit_ms is not None and self.quiet is not None and self.busy is not None:
            ok = ok and self.quiet.median < self.limit_ms and self.busy.median < self.limit_ms
        return "yes" if ok else "**no**"


def _median_p95(timing: Timing | None) -> str:
    return "not timed" if timing is None else f"{timing.median:.1f} / {timing.p95:.1f}"


def record_table(rows: list[RecordRow], counts: dict) -> str:
    quiet, busy = counts["quiet"], counts["busy"]

    def size(c: dict) -> str:
        return f"{c['screenings']} screening{'s' if c['screenings'] != 1 else ''}, {c['decisions']} decision{'s' if c['decisions'] != 1 else ''}, {c['referrals']} referral{'s' if c['referrals'] != 1 else ''}"

    lines = [
        f"| Measure | Quiet child ({size(quiet)}): median / p95 ms | Busy child ({size(busy)}): median / p95 ms"
        " | Busy ÷ quiet (median) | Queries, quiet | Queries, busy | Target | Met? |",
        "|---|--:|--:|--:|--:|--:|---|---|",
    ]
    for row in rows:
        ratio = f"{row.busy.median / row.quiet.median:.2f}×" if row.quiet and row.busy else "–"
        lines.append(
            f"| {row.measure} | {_median_p95(row.quiet)} | {_median_p95(row.busy)} | {ratio} | {row.quiet_queries}"
            f" | {row.busy_queries} | {row.target} | {row.met} |"
        )
    return "\n".join(lines)


def code_version() -> str:
    """The commit measured, and whether the working tree had changes on top of it."""
    root = DOC.parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"commit {commit}" + (" with uncommitted changes" if dirty else "")


def _episodes_text(episodes) -> str:
    interviews = sorted(((k.removeprefix("interview: "), n) for k, n in episodes.items() if k.startswith("interview: ")),
                        key=lambda item: -item[1])
    return (
        f"- Missing episodes: {episodes['episodes']:,} of {episodes['children_with_episodes']:,} children"
        f" ({episodes['open']:,} missing now), {episodes['interviews']:,} return interviews; of the returns, "
        + ", ".join(f"{what} {n:,}" for what, n in interviews)
        + f". {episodes['closed_children']:,} children closed ({episodes['closed_with_episodes']:,} of them with episodes)."
    )


def _scan_text(scan) -> str:
    checked = " and ".join(f"{n:,} at the end of {day:%d %B}" for day, n in scan.checked)
    return (
        f"- Overdue-interview scan: before timing, the rule and the SQL baseline found the same episodes ({checked},"
        f" London time). When timed, {scan.overdue:,} episodes were overdue; the rule leaves out {scan.overdue_closed:,} more,"
        f" of children whose record is closed. The first scan, which opened all {scan.opened_first:,} alerts, took {scan.first_scan.median:.0f} ms"
        f" (one run, not in the table). The scan's measures ran {scan.reps} times each after {scan.warmup} warm-up,"
        f" interleaved with the baseline; the daily scan {max(3, scan.reps // 3)} times."
    )


def _agenda_text(agenda) -> str:
    d, r = agenda.data, agenda.reasons
    return (
        f"- Agenda (`bench/agenda.py`): {d['at_risk']:,} children whose record is open are at medium or high risk of sexual"
        f" or criminal exploitation; {d['settled']:,} more have levels of none or low now, {d['others_only']:,} are at medium"
        f" or high risk to others only and {d['closed_at_risk']:,} closed children were last at medium or high:"
        f" {d['decisions']:,} level decisions in all. {d['referrals']:,} referrals, {d['referrals_new']:,} of them sent to the"
        f" meeting since the last one. {d['past_meetings']} closed meetings 4 weeks apart with {d['past_items']:,} child items"
        f" ({d['removed_items']} removed) and {d['actions']:,} actions ({d['actions_open']:,} open), and a cancelled meeting"
        f" with {d['cancelled_items']} items. The meeting timed starts now, with {d['on_agenda']} children already on its"
        f" agenda. Before timing, `propose_agenda` and the SQL baseline found the same {r['children']:,} children for the same"
        f" reasons: {r['referral']:,} with a new referral, {r['review']:,} due for review, {r['missing']:,} repeatedly"
        f" missing, {r['actions']:,} with actions outstanding (a child may have several reasons). The agenda's measures ran"
        f" {agenda.reps} times each after {agenda.warmup} warm-up, interleaved with the baseline."
    )


def scan_environment(*, children: int, counts: dict, episodes, scan=None, agenda=None, load: tuple, extra=(), parts=()) -> str:
    from django.db import connection

    when = dt.datetime.now().astimezone().strftime("%d %B %Y %H:%M %Z")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
        command = "`BENCH_DATABASE_URL=postgres:///lantern_bench make bench`"
        database = f"{version} on the same machine (its default settings, after `ANALYZE`)"
    else:
        command = f"`BENCH_ONLY={','.join(p for p in ('missing', 'agenda', 'contacts', 'network') if p in parts)} make bench`"
        database = f"SQLite {sqlite3.sqlite_version} (WAL)"
    return "\n".join([
        f"- Run: {when}, {command} (the measures of each group interleaved), code at {code_version()}.",
        f"- Machine: {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {platform.python_version()},"
        f" Django {django.get_version()}, {database}.",
        f"- Load average (1 min) when measuring started and ended: {load[0]:.1f} and {load[1]:.1f}.",
        f"- Data: {counts['children']:,} children, {counts['involvements']:,} involvements, {counts['timeline_events']:,}"
        " timeline events, as on SQLite.",
        _episodes_text(episodes),
        *([_scan_text(scan)] if scan else []),
        *([_agenda_text(agenda)] if agenda else []),
        *extra,
    ])


def render_scan(*, rows, query_counts, env_text, total_seconds: float, phases: dict) -> str:
    phase_text = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in phases.items())
    return "\n\n".join([
        env_text,
        results_table(rows),
        queries_table(query_counts),
        f"Bench run time: {total_seconds:.0f} s ({phase_text}).",
    ])


def environment(
    *, children: int, counts: dict, visible: int, reps: int, warmup: int, synchronous: int, load: tuple, records: dict | None = None,
    submit_children: int = 0, episodes=None, scan=None, agenda=None, extra=(),
) -> str:
    cores = os.cpu_count()
    when = dt.datetime.now().astimezone().strftime("%d %B %Y %H:%M %Z")
    return "\n".join([
        f"- Run: {when}, `make bench` ({reps} timed repetitions of each measure after {warmup} warm-up, interleaved),"
        f" code at {code_version()}.",
        f"- Machine: {cores} cores, {platform.system()} {platform.release()}, Python {platform.python_version()},"
        f" Django {django.get_version()}, SQLite {sqlite3.sqlite_version} (WAL, `synchronous={synchronous}`).",
        f"- Load average (1 min) when measuring started and ended: {load[0]:.1f} and {load[1]:.1f}"
        " (other work was running on the machine if above about 0.5).",
        f"- Data: {counts['children']:,} children, {counts['involvements']:,} involvements over 12 agencies,"
        f" {counts['identifiers']:,} identifiers, {counts['timeline_events']:,} timeline events."
        f" The practitioner's agency is actively involved with {visible:,} children ({visible / children:.1%}).",
        *([
            f"- Written through the services: a busy child with {records['busy']['screenings']} screenings,"
            f" {records['busy']['decisions']} risk level decisions and {records['busy']['referrals']} referrals"
            f" ({records['busy']['checks']} statutory checks), and a quiet child with {records['quiet']['screenings']} screening,"
            f" {records['quiet']['decisions']} decision and {records['quiet']['referrals']} referral"
            f" ({records['quiet']['checks']} check). The timed screening submissions go to {submit_children} other children"
            " the practitioner's agency works with. No other child has screenings. None of the children the page and"
            " submission measures open has levels, referrals or meeting items (those of the agenda, below, are on other"
            " children)."
        ] if records else []),
        *([_episodes_text(episodes)] if episodes else []),
        *([_scan_text(scan)] if scan else []),
        *([_agenda_text(agenda)] if agenda else []),
        *extra,
    ])


def render(
    *, rows, query_counts, env_text, total_seconds: float, phases: dict, connect: Timing, record_rows=(), records=None
) -> str:
    phase_text = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in phases.items())
    record_part = [
        "The child page of the quiet child and of the busy child, side by side (timed for the practitioner; for the hub"
        " the queries are counted only):",
        record_table(list(record_rows), records),
    ] if record_rows else []
    return "\n\n".join([
        env_text,
        results_table(rows),
        *record_part,
        "Queries issued (whole page counts the session, user, access profile, unread messages and session save as well):",
        queries_table(query_counts),
        f"Not in the figures above: opening a database connection takes {connect.median:.1f} ms median"
        f" ({connect.p95:.1f} ms p95). The test client keeps its connection; a server on SQLite"
        " (`CONN_MAX_AGE = 0`) opens one per request.",
        f"Bench run time: {total_seconds:.0f} s ({phase_text}).",
    ])


def write_doc(text: str, *, markers: tuple[str, str] = (START, END)) -> bool:
    """Put `text` between the markers in docs/performance.md; False if there are no markers."""
    if not DOC.exists():
        return False
    start, end = markers
    current = DOC.read_text()
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if not pattern.search(current):
        return False
    DOC.write_text(pattern.sub(lambda _: f"{start}\n{text}\n{end}", current, count=1))
    return True
