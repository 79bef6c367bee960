import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.core.dates import add_working_days, age_on, is_working_day


def test_christmas_and_boxing_day_substitutes_are_not_working_days():
    # 2026: Christmas Day is a Friday; Boxing Day (Saturday) is substituted by Monday 28 December.
    assert not is_working_day(dt.date(2026, 12, 25))
    assert not is_working_day(dt.date(2026, 12, 28))
    assert add_working_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 29)


def test_easter_and_the_weekend():
    # Good Friday 3 April 2026, Easter Monday 6 April 2026.
    assert add_working_days(dt.date(2026, 4, 2), 1) == dt.date(2026, 4, 7)
    assert add_working_days(dt.date(2026, 11, 20), 1) == dt.date(2026, 11, 23)


@settings(deadline=None)  # the first call loads a year's bank holidays; a busy machine is slow
@given(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)), st.integers(min_value=1, max_value=40))
def test_adding_n_working_days_passes_exactly_n_working_days(start, n):
    end = add_working_days(start, n)
    assert is_working_day(end)
    passed = sum(is_working_day(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1))
    assert passed == n


def test_age_on_birthdays():
    assert age_on(dt.date(2012, 2, 29), dt.date(2026, 2, 28)) == 13
    assert age_on(dt.date(2012, 2, 29), dt.date(2026, 3, 1)) == 14
    assert age_on(dt.date(2008, 11, 21), dt.date(2026, 11, 21)) == 18
