"""Pieces every case-data model shares: nothing is hard-deleted, concurrent edits are caught."""

from django.db import models


class HardDeleteRefused(Exception):
    """Case data is never deleted: end it, close it or correct it instead."""


class NoDeleteQuerySet(models.QuerySet):
    def delete(self):  # noqa: D401 - refuse, whatever the caller wanted
        raise HardDeleteRefused(f"{self.model.__name__} records are never deleted.")


class NeverDeleted(models.Model):
    """Rows of this model are kept for ever: neither a row nor a queryset can be deleted."""

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise HardDeleteRefused(f"{type(self).__name__} records are never deleted.")


class CaseRecord(NeverDeleted):
    """Base of every case-data model.

    `version` goes up by one on every change made through `lantern.core.concurrency.save_versioned`,
    so a form that loaded version 3 cannot overwrite a change that made version 4.
    """

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
