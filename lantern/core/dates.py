"""Dates as the partnership uses them: stored in UTC, shown in Europe/London, deadlines in
working days that skip weekends and England and Wales bank holidays."""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date `count` working days after `day` (0 gives `day` itself if it is a working day,
    otherwise the next working day)."""
    current = day
    if count == 0:
        while not is_working_day(current):
            current += dt.timedelta(days=1)
        return current
    remaining = count
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def local_today() -> dt.date:
    return timezone.now().astimezone(LONDON).date()


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def when(value: dt.datetime) -> str:
    """'Saturday 24 October 2026 at 10:00', in London time."""
    local = value.astimezone(LONDON)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def long_date(value: dt.datetime | dt.date) -> str:
    """'24 December 2027', in London time for a datetime."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"


def working_days_between(start: dt.date, end: dt.date) -> int:
    """The number of working days after `start` up to and including `end` (0 if `end` is not later)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
