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


def environment(
    *, children: int, counts: dict, visible: int, reps: int, warmup: int, synchronous: int, load: tuple, records: dict | None = None,
    submit_children: int = 0,
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
            " the practitioner's agency works with. No other child has screenings, levels or referrals."
        ] if records else []),
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


def write_doc(text: str) -> bool:
    """Put `text` between the markers in docs/performance.md; False if there are no markers."""
    if not DOC.exists():
        return False
    current = DOC.read_text()
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(current):
        return False
    DOC.write_text(pattern.sub(lambda _: f"{START}\n{text}\n{END}", current, count=1))
    return True
