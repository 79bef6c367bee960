"""The rule registry. A rule guards one finding of shared/domain/findings.md: it looks at the
records as they are today and yields an AlertSpec for everything that breaks the standard.

Rules are set-based: one rule makes a fixed number of queries whatever the number of children.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .models import Audience, Severity


@dataclass(frozen=True)
class AlertSpec:
    """One thing a rule found. `due_on` left empty means "due the day it was first found"."""

    key: str
    message: str
    child_id: int | None = None
    due_on: dt.date | None = None
    severity: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    finding: str
    title: str
    severity: str
    evaluate: Callable[[dt.date], Iterable[AlertSpec]]
    audience: str = Audience.INVOLVED


_RULES: dict[str, Rule] = {}


def rule(*, id: str, finding: str, title: str, severity: str = Severity.WARNING, audience: str = Audience.INVOLVED):
    """Register a function `(today) -> Iterable[AlertSpec]` as a rule."""

    if severity not in Severity.values:
        raise ValueError(f"Unknown severity {severity!r}")

    def decorator(func):
        if id in _RULES and _RULES[id].evaluate is not func:
            raise ValueError(f"Rule {id!r} is registered twice")
        _RULES[id] = Rule(id=id, finding=finding, title=title, severity=severity, evaluate=func, audience=audience)
        return func

    return decorator


def all_rules() -> list[Rule]:
    return sorted(_RULES.values(), key=lambda r: (r.finding, r.id))


def get_rule(rule_id: str) -> Rule:
    try:
        return _RULES[rule_id]
    except KeyError:
        raise KeyError(f"No rule {rule_id!r}. Known rules: {', '.join(sorted(_RULES))}") from None


_DAILY_JOBS: list[Callable[..., object]] = []


def daily_job(func: Callable[..., object]) -> Callable[..., object]:
    """Register `func(today=...)` to run once a day after the scan (reminders and the like).
    Each job must be safe to run twice on the same day."""
    if func not in _DAILY_JOBS:
        _DAILY_JOBS.append(func)
    return func


def daily_jobs() -> list[Callable[..., object]]:
    return list(_DAILY_JOBS)
