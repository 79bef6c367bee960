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


def queries_table(counts: list[tuple[str, int, int, int]]) -> str:
    lines = [
        "| Page | Queries per request (whole page) | Queries in the data layer | Statements in the SQL baseline |",
        "|---|--:|--:|--:|",
    ]
    for page, full, data, baseline in counts:
        lines.append(f"| {page} | {full} | {data} | {baseline} |")
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


def environment(*, children: int, counts: dict, visible: int, reps: int, warmup: int, synchronous: int, load: tuple) -> str:
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
    ])


def render(*, rows, query_counts, env_text, total_seconds: float, phases: dict, connect: Timing) -> str:
    phase_text = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in phases.items())
    return "\n\n".join([
        env_text,
        results_table(rows),
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
