"""Small helpers the browser journeys share."""

import datetime as dt


def success_banner(page):
    """The GOV.UK success banner a page shows after a change."""
    return page.locator(".govuk-notification-banner--success")


def summary_row(scope, key: str):
    """The row of a GOV.UK summary list whose key is exactly `key`, within a page or a locator."""
    return scope.locator(f'.govuk-summary-list__row:has(> dt:text-is("{key}"))')


def fill_date(page, prefix: str, day: dt.date) -> None:
    """Fill a GOV.UK date input (day, month, year) whose field ids start with `prefix`."""
    page.fill(f"#{prefix}_0", str(day.day))
    page.fill(f"#{prefix}_1", str(day.month))
    page.fill(f"#{prefix}_2", str(day.year))
