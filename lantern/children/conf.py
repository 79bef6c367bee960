"""Settings of the children app, with their defaults (see lantern/settings/base.py).

- LANTERN_MAX_PROFESSIONALS (6): a child with more active professionals than this is flagged on
  the involvement list and raises the `F18.too-many-professionals` alert.
"""

from django.conf import settings


def max_professionals() -> int:
    return int(getattr(settings, "LANTERN_MAX_PROFESSIONALS", 6))
