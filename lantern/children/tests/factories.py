"""Children for tests, registered through the service as a practitioner would."""

import datetime as dt
import itertools

from lantern.children import services
from lantern.core.dates import local_today

_counter = itertools.count(1)
FIRST = ["Amber", "Bryony", "Cerys", "Dara", "Eden", "Faye", "Gwen", "Hollis"]
LAST = ["Quillfeather", "Mossbank", "Reedwater", "Larkspur", "Thornbury", "Ashgrove"]


def register_child(*, by, age: int = 14, first_name: str | None = None, last_name: str | None = None, **kwargs):
    n = next(_counter)
    today = local_today()
    defaults = dict(
        legal_first_name=first_name or FIRST[n % len(FIRST)],
        legal_last_name=last_name or f"{LAST[n % len(LAST)]}{n}",
        date_of_birth=kwargs.pop("date_of_birth", None) or today.replace(year=today.year - age) - dt.timedelta(days=40),
        sex="F",
        involvement_role="Practitioner",
        confirmed_not_duplicate=True,
    )
    defaults.update(kwargs)
    return services.register_child(by=by, **defaults)
