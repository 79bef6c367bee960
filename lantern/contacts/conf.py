"""Settings of the contacts app, with their defaults (see lantern/settings/base.py).

- LANTERN_NO_CONTACT_DAYS (14): a child at medium or high risk of sexual or criminal
  exploitation with no successful contact by any agency for this many days raises the
  `F20.no-recent-contact` alert.
"""

from django.conf import settings


def no_contact_days() -> int:
    return int(getattr(settings, "LANTERN_NO_CONTACT_DAYS", 14))

