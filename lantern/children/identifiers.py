"""Checking the identifiers a child can carry. Each check gives a message a person can act on."""

from django.core.exceptions import ValidationError
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.gb import nhs, upn

from .models import IdentifierKind


def clean_identifier(kind: str, value: str) -> str:
    """The identifier in its stored form, or a ValidationError saying what is wrong."""
    raw = (value or "").strip()
    if not raw:
        raise ValidationError("Enter the identifier", code="required")
    if kind == IdentifierKind.NHS:
        try:
            return nhs.format(nhs.validate(raw))
        except InvalidLength:
            raise ValidationError("An NHS number must be 10 digits, like 943 476 5919", code="invalid") from None
        except InvalidFormat:
            raise ValidationError("An NHS number must contain only digits, like 943 476 5919", code="invalid") from None
        except InvalidChecksum:
            raise ValidationError(
                "This is not a valid NHS number: check each digit against the record it came from", code="checksum"
            ) from None
    if kind == IdentifierKind.UPN:
        try:
            return upn.validate(raw)
        except InvalidLength:
            raise ValidationError("A unique pupil number must be 13 characters, like B801200005001", code="invalid") from None
        except (InvalidFormat, InvalidComponent):
            raise ValidationError(
                "A unique pupil number starts with a letter, then a local authority number and 9 more characters",
                code="invalid",
            ) from None
        except InvalidChecksum:
            raise ValidationError(
                "This is not a valid unique pupil number: the first letter does not match the rest", code="checksum"
            ) from None
    if kind in (IdentifierKind.LA_CHILD_ID, IdentifierKind.POLICE_REF):
        if len(raw) > 40:
            raise ValidationError("An identifier must be 40 characters or fewer", code="invalid")
        if not any(ch.isalnum() for ch in raw):
            raise ValidationError("An identifier must contain letters or numbers", code="invalid")
        return raw.upper()
    raise ValidationError("Choose a kind of identifier from the list", code="invalid_kind")
