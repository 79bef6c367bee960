"""Render Django form fields as GOV.UK Design System components: `{% govuk_field form.name %}`."""

from django import forms, template
from django.template.loader import render_to_string

register = template.Library()


def _kind(field) -> str:
    from lantern.core.forms import GovukDateWidget

    widget = field.field.widget
    if isinstance(widget, GovukDateWidget):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect, so it is tested first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.simple_tag
def govuk_field(field, label_class: str = "govuk-label", width: str = "", legend_class: str = "govuk-fieldset__legend--s", autocomplete: str = ""):
    kind = _kind(field)
    return render_to_string(
        f"govuk/fields/{kind}.html",
        {
            "field": field,
            "label_class": label_class,
            "width": width,
            "legend_class": legend_class,
            "autocomplete": autocomplete,
            "input_type": getattr(field.field.widget, "input_type", "text"),
            "error_id": f"{field.auto_id}-error",
            "hint_id": f"{field.auto_id}-hint",
        },
    )


@register.filter
def first_widget_id(field) -> str:
    if _kind(field) == "date":
        return f"{field.auto_id}_0"
    if _kind(field) in {"radios", "checkboxes"}:
        return f"{field.auto_id}_0"
    return field.auto_id


@register.simple_tag
def govuk_error_summary(form):
    return render_to_string("govuk/error_summary.html", {"form": form})


@register.filter
def govuk_tag_colour(value: str) -> str:
    return {
        "high": "govuk-tag--red",
        "urgent": "govuk-tag--red",
        "medium": "govuk-tag--orange",
        "warning": "govuk-tag--yellow",
        "low": "govuk-tag--blue",
        "info": "govuk-tag--grey",
    }.get(str(value), "govuk-tag--grey")
