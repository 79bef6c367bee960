"""The child's timeline: the one extension point every part of Lantern adds its events through.

A part registers the kinds of event it records (`register_kind`) and calls `record_event`
inside the service that caused it. The child page reads the timeline in one query, however
many parts contribute to it.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from .models import Child, TimelineEvent


@dataclass(frozen=True)
class EventKind:
    code: str
    label: str


_KINDS: dict[str, EventKind] = {}


def register_kind(code: str, label: str) -> EventKind:
    kind = EventKind(code=code, label=label)
    existing = _KINDS.get(code)
    if existing is not None and existing != kind:
        raise ValueError(f"Timeline event kind {code!r} is already registered as {existing.label!r}")
    _KINDS[code] = kind
    return kind


def kind_label(code: str) -> str:
    kind = _KINDS.get(code)
    return kind.label if kind else code.replace("_", " ").capitalize()


def registered_kinds() -> list[EventKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.label)


def record_event(
    *,
    child: Child,
    kind: str,
    summary: str,
    actor=None,
    agency=None,
    occurred_at: dt.datetime | None = None,
    detail: str = "",
    url: str = "",
) -> TimelineEvent:
    if kind not in _KINDS:
        raise ValueError(f"Unknown timeline event kind {kind!r}: register it with register_kind first")
    return TimelineEvent.objects.create(
        child=child,
        kind=kind,
        summary=summary[:500],
        detail=detail,
        actor=actor,
        agency=agency,
        occurred_at=occurred_at or timezone.now(),
        url=url,
    )


CHILD_REGISTERED = register_kind("child_registered", "Added to the register")
DETAILS_CHANGED = register_kind("details_changed", "Details changed")
IDENTIFIER_RECORDED = register_kind("identifier_recorded", "Identifier recorded")
IDENTIFIER_ENDED = register_kind("identifier_ended", "Identifier ended")
INVOLVEMENT_STARTED = register_kind("involvement_started", "Agency involved")
INVOLVEMENT_ENDED = register_kind("involvement_ended", "Involvement ended")
LEAD_CHANGED = register_kind("lead_changed", "Lead professional changed")
BREAK_GLASS = register_kind("break_glass", "Emergency access")
# A missing episode that began soon after a change of worker (F19): recorded, beside the episode's
# own event, by the service that records the episode. The timeline tags it (see the template).
MISSING_AFTER_CHANGE_OF_WORKER = register_kind("missing_after_change_of_worker", "Missing after a change of worker")
