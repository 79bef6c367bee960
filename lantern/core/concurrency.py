"""Optimistic concurrency: the second of two overlapping edits is refused, never lost."""

from django.core.exceptions import ValidationError
from django.db import transaction

CONCURRENT_EDIT_MESSAGE = (
    "Someone else changed this record while you were editing it. "
    "Your changes have not been saved. Reload the page to see their changes, then make yours again."
)


class ConcurrentEditError(ValidationError):
    def __init__(self) -> None:
        super().__init__(CONCURRENT_EDIT_MESSAGE, code="concurrent_edit")


def save_versioned(instance, *, expected_version: int) -> None:
    """Save `instance` only if the stored row is still at `expected_version`.

    The row is locked (PostgreSQL: SELECT ... FOR UPDATE; SQLite: the write transaction is
    taken at BEGIN IMMEDIATE), so two editors cannot both pass the check. The save goes through
    the ordinary `save()`, so django-simple-history records the change.
    """
    model = type(instance)
    with transaction.atomic():
        stored = (
            model._base_manager.select_for_update()
            .filter(pk=instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if stored is None or stored != expected_version:
            raise ConcurrentEditError()
        instance.version = expected_version + 1
        instance.save()
