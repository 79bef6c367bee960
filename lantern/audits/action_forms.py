"""Forms for findings, recommendations, their progress and learning events. Thin: the services
check everything again and say what is wrong in the same words."""

from django import forms

from lantern.core.forms import GovukDateField, GovukForm
from lantern.partnership.models import Agency

from .action_selectors import STATUS_FILTERS
from .models import Rag

TEXTAREA = {"class": "govuk-textarea", "rows": 5}


class FindingForm(GovukForm):
    theme_id = forms.ChoiceField(label="Theme", required=False, help_text="The part of the template the finding is about.")
    text = forms.CharField(label="The finding", widget=forms.Textarea(attrs=TEXTAREA))
    required_messages = {"text": "Enter the finding"}

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme_id"].choices = [("", "Not about one theme"), *((t.id, t.title) for t in themes)]


class RecommendationForm(GovukForm):
    text = forms.CharField(label="The recommendation", widget=forms.Textarea(attrs=TEXTAREA),
                           help_text="What should change, in a sentence or two.")
    findings = forms.MultipleChoiceField(
        label="The findings it answers", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Select every finding this recommendation answers.",
    )
    owner_agency = forms.ModelChoiceField(
        label="Agency that owns it", queryset=Agency.objects.none(), empty_label="Choose an agency",
        help_text="That agency's managers and auditors record its progress.",
    )
    owner = forms.ChoiceField(label="Person who owns it", required=False,
                              help_text="Someone who works in the agency that owns it.")
    due_on = GovukDateField(label="Due date", help_text="For example, 31 3 2027")
    required_messages = {
        "text": "Enter the recommendation",
        "owner_agency": "Choose the agency that owns the recommendation",
        "due_on": "Enter the date the recommendation is due",
    }

    def __init__(self, *args, findings=(), owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].choices = [(str(f.pk), f"{f.number}. {f.text}") for f in findings]
        self.fields["owner_agency"].queryset = Agency.objects.filter(is_active=True).order_by("name")
        self.fields["owner"].choices = [("", "No named person")] + [
            (str(user_id), f"{name} ({agency})") for user_id, name, agency in owners
        ]


class UpdateForm(GovukForm):
    note = forms.CharField(label="What has happened", widget=forms.Textarea(attrs=TEXTAREA))
    rag = forms.ChoiceField(
        label="Status", choices=Rag.choices, widget=forms.RadioSelect,
        help_text="Red: not on track. Amber: some delay. Green: on track. Complete: done, with the evidence.",
    )
    evidence = forms.CharField(
        label="Evidence", required=False, widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
        help_text="Needed when you mark it complete: what shows it is done, such as a new procedure, training records or a re-audit.",
    )
    required_messages = {"note": "Enter what has happened", "rag": "Choose a status"}


class PlanFilterForm(forms.Form):
    """The action plan's filters. Not a question page: bad values are ignored."""

    # Never validated (the view reads the query itself); "required" only keeps "(optional)" off the labels.
    round = forms.TypedChoiceField(label="Audit", coerce=int, empty_value=None)
    agency = forms.TypedChoiceField(label="Agency that owns it", coerce=int, empty_value=None)
    status = forms.ChoiceField(label="Status")

    def __init__(self, *args, rounds=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [("", "All audits"), *rounds]
        self.fields["agency"].choices = [("", "All agencies"), *agencies]
        self.fields["status"].choices = [("", "Any status"), *STATUS_FILTERS]


class ScheduleForm(GovukForm):
    first_on = GovukDateField(label="Date of the first session", help_text="For example, 14 1 2027")
    count = forms.IntegerField(
        label="Number of sessions", min_value=1, max_value=52,
        help_text="One a week. Each case chosen is given a session, in order: Child A first.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-3"}),
    )
    break_1_start = GovukDateField(label="First day of a break", required=False, help_text="Such as half term. No session is held in a break.")
    break_1_end = GovukDateField(label="Last day of the break", required=False)
    break_2_start = GovukDateField(label="First day of another break", required=False)
    break_2_end = GovukDateField(label="Last day of that break", required=False)
    venue = forms.CharField(label="Venue", required=False, max_length=300,
                            widget=forms.TextInput(attrs={"class": "govuk-input"}))
    required_messages = {"first_on": "Enter the date of the first session", "count": "Enter a number of sessions from 1 to 52"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["count"].error_messages.update(
            invalid="Enter a number of sessions from 1 to 52", min_value="Enter a number of sessions from 1 to 52",
            max_value="Enter a number of sessions from 1 to 52",
        )

    def clean(self):
        data = super().clean()
        breaks = []
        for n in (1, 2):
            start, end = data.get(f"break_{n}_start"), data.get(f"break_{n}_end")
            if start is None and end is None:
                continue
            if start is None:
                self.add_error(f"break_{n}_start", "Enter the first day of the break")
            elif end is None:
                self.add_error(f"break_{n}_end", "Enter the last day of the break")
            elif end < start:
                self.add_error(f"break_{n}_end", "The last day of the break must be the same as or after its first day")
            else:
                breaks.append((start, end))
        data["breaks"] = breaks
        return data


class AttendanceForm(forms.Form):
    invitation = forms.IntegerField(widget=forms.HiddenInput)
    attended = forms.ChoiceField(choices=[("yes", "Came"), ("no", "Did not come")])

