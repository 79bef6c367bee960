from django.conf import settings
from django.db import models
from django.utils import timezone

from lantern.core.models import NeverDeleted


class CatalogueVersion(NeverDeleted):
    """One published version of the indicator catalogue, kept whole as the JSON document.

    Version 1 is the file shipped with Lantern (lantern/risk/catalogue/catalogue-v1.json);
    the partnership's administrator publishes later versions by adding indicators. A version is
    never changed once published, so a screening made with it can always be read as it was made.
    """

    number = models.PositiveIntegerField(unique=True)
    document = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    change_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Indicator catalogue version {self.number}"
