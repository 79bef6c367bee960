"""Missing episodes for tests, made through the services as a practitioner would."""

import datetime as dt

from lantern.core.dates import LONDON
from lantern.missing import services
from lantern.missing.models import EpisodeKind, MissingFrom


def at(*args) -> dt.datetime:
    """A London wall-clock time: at(2026, 10, 24, 10)."""
    return dt.datetime(*args, tzinfo=LONDON)


def record_episode(*, by, child, started_at, returned_at=None, **kwargs):
    defaults = dict(kind=EpisodeKind.MISSING, missing_from=MissingFrom.HOME, police_reference="MIS/26/0001",
                    circumstances="Did not come home after school.")
    defaults.update(kwargs)
    return services.record_missing_episode(by=by, child=child, started_at=started_at, returned_at=returned_at, **defaults)


def hold_interview(*, by, episode, offered_at, held_at, **kwargs):
    services.offer_return_interview(by=by, episode=episode, offered_at=offered_at, independent=True)
    defaults = dict(accepted=True, held_at=held_at, childs_account="I stayed at a friend's flat.",
                    push_factors="Arguments at home", pull_factors="Older friends, cannabis",
                    people_and_places="'Jay', a flat above the takeaway on High Street")
    defaults.update(kwargs)
    return services.record_return_interview(by=by, episode=episode, **defaults)
