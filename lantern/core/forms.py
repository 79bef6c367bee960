"""Form pieces that render and behave as the GOV.UK Design System expects."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError

from lantern.core.dates import LONDON


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes (the GOV.UK date input pattern)."""

    template_name = "govuk/widgets/date.html"

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-4"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    def __init__(self, *args, **kwargs):
        # The parts are checked together in compress(), which says which part is missing.
        fields = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields, *args, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        label = self.label or "Date"
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{label} must include a {' and a '.join(missing)}", code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(f"{label} must be a real date, for example 27 3 2012", code="invalid")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(f"{label} must be a real date, for example 27 3 2012", code="invalid") from exc


class GovukForm(forms.Form):
    """A form whose errors read as GOV.UK error messages."""

    required_messages: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            message = self.required_messages.get(name) or f"Enter {field.label[0].lower() + field.label[1:] if field.label else name}"
            if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)) and name not in self.required_messages:
                message = f"Select {field.label[0].lower() + field.label[1:]}" if field.label else message
            field.error_messages["required"] = message


TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def time_field(label: str, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=5, required=required, help_text="Use the 24-hour clock, for example 21:30",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-5"}),
    )


class MomentMixin:
    """Pairs of `<name>_date` (day, month, year) and `<name>_time` (HH:MM) fields, combined into an
    aware London datetime in cleaned_data[name]."""

    moments: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        for name in self.moments:
            day, time_text = data.get(f"{name}_date"), data.get(f"{name}_time")
            if day is None or not time_text:
                data[name] = None
                if day is not None and f"{name}_time" not in self.errors:
                    self.add_error(f"{name}_time", "Enter the time, for example 21:30")
                continue
            match = TIME.match(time_text)
            if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
                self.add_error(f"{name}_time", "Enter a real time on the 24-hour clock, for example 21:30")
                data[name] = None
                continue
            data[name] = dt.datetime.combine(day, dt.time(int(match.group(1)), int(match.group(2))), tzinfo=LONDON)
        return data
