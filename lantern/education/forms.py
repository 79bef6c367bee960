from django import forms

from lantern.core.forms import GovukDateField, GovukForm
from lantern.partnership.models import Agency, AgencyType

from .models import ExclusionKind, MissingEducationOutcome, ProvisionStatus, Setting

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _count_field(label: str, help_text: str = "", required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, required=required, help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-4"}),
        error_messages={"invalid": f"{label} must be a whole number", "min_value": f"{label} must be 0 or more"},
    )


class ProvisionForm(GovukForm):
    required_messages = {
        "status": "Select where the child is educated, or why they are not on roll",
        "started_on": "Enter the date this started",
    }
    status = forms.ChoiceField(label="Where is the child educated?", choices=ProvisionStatus.choices, widget=forms.RadioSelect)
    school = forms.ModelChoiceField(
        label="School, college or provision in the partnership", queryset=Agency.objects.none(), required=False,
        help_text="Only if the child is on roll. The school is told if the child is at risk, and can then see the child's record.",
    )
    provision_name = forms.CharField(
        label="Or the name of a school or provision outside the partnership", max_length=200, required=False,
        help_text="Only if the child is on roll somewhere not in the list.",
    )
    setting = forms.ChoiceField(
        label="Type of provision", choices=Setting.choices, widget=forms.RadioSelect, required=False, help_text="Only if the child is on roll.",
    )
    started_on = GovukDateField(label="Date this started", help_text="For example, 4 9 2025")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = Agency.objects.filter(agency_type=AgencyType.EDUCATION, is_active=True).order_by("name")
        self.fields["school"].empty_label = "Select a school, college or provision"

    def provision_data(self) -> dict:
        data = self.cleaned_data
        return {
            "status": data["status"], "started_on": data["started_on"], "school": data.get("school"),
            "provision_name": data.get("provision_name", ""), "setting": data.get("setting", ""),
        }


class AttendanceForm(GovukForm):
    required_messages = {
        "period_start": "Enter the start of the period",
        "period_end": "Enter the end of the period",
        "possible_sessions": "Enter the number of possible sessions",
        "attended_sessions": "Enter the number of sessions attended",
        "authorised_absences": "Enter the number of sessions missed with authorisation",
        "unauthorised_absences": "Enter the number of sessions missed without authorisation",
    }
    period_start = GovukDateField(label="Start of the period", help_text="For example, 1 9 2025")
    period_end = GovukDateField(label="End of the period", help_text="For example, 19 12 2025")
    possible_sessions = _count_field("Possible sessions", "A session is a morning or an afternoon: 2 a school day.")
    attended_sessions = _count_field("Sessions attended", "Include approved educational activity away from school.")
    authorised_absences = _count_field("Sessions missed with authorisation")
    unauthorised_absences = _count_field("Sessions missed without authorisation")


class AbsenceForm(GovukForm):
    required_messages = {
        "absent_on": "Enter the date the absence started",
        "sessions": "Enter the number of sessions missed",
        "authorised": "Select whether the absence was authorised",
        "reason": "Enter the reason for the absence, or say that it is not known",
    }
    absent_on = GovukDateField(label="Date the absence started", help_text="For example, 27 3 2026")
    sessions = _count_field("Sessions missed", "A session is a morning or an afternoon: enter 2 for a whole day, 10 for a whole week.")
    authorised = forms.ChoiceField(label="Was the absence authorised by the school?", choices=YES_NO, widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason for the absence", widget=forms.Textarea,
                             help_text="What the school was told, and anything known about where the child was.")

    def absence_data(self) -> dict:
        data = self.cleaned_data
        return {"absent_on": data["absent_on"], "sessions": data["sessions"], "authorised": _yes_no(data["authorised"]),
                "reason": data["reason"]}


class TimetableForm(GovukForm):
    required_messages = {
        "started_on": "Enter the date the timetable started",
        "hours_per_week": "Enter the hours a week the child is taught",
        "reason": "Enter why the child is on a part-time timetable",
        "review_on": "Enter the date the timetable will be reviewed",
    }
    started_on = GovukDateField(label="Date the timetable started")
    hours_per_week = forms.DecimalField(
        label="Hours a week the child is taught", max_digits=4, decimal_places=1, min_value=0,
        help_text="A full-time week is 32.5 hours. For example, 15 or 12.5",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input govuk-input--width-4"}),
        error_messages={"invalid": "Hours a week must be a number, for example 12.5"},
    )
    reason = forms.CharField(label="Why is the child on a part-time timetable?", widget=forms.Textarea)
    review_on = GovukDateField(label="Date of the review", help_text="Within 6 weeks of the start: a part-time timetable must be temporary.")


class ReviewTimetableForm(GovukForm):
    required_messages = {"review_on": "Enter the date of the next review"}
    review_on = GovukDateField(label="Date of the next review", help_text="Within 6 weeks of today.")
    note = forms.CharField(label="What was agreed at the review (optional)", widget=forms.Textarea, required=False)


class EndTimetableForm(GovukForm):
    required_messages = {
        "ended_on": "Enter the date the timetable ended",
        "reason": "Enter why the timetable ended, for example the child is back to full time",
    }
    ended_on = GovukDateField(label="Date the timetable ended")
    reason = forms.CharField(label="Why did it end?", widget=forms.Textarea, help_text="For example, back to full time.")


class ExclusionForm(GovukForm):
    required_messages = {
        "kind": "Select whether this is a suspension or a permanent exclusion",
        "started_on": "Enter the date it started",
        "reason": "Enter the reason the school gave",
    }
    kind = forms.ChoiceField(label="Suspension or permanent exclusion?", choices=ExclusionKind.choices, widget=forms.RadioSelect)
    started_on = GovukDateField(label="Date it started")
    days = _count_field("Number of school days", "For a suspension only.", required=False)
    reason = forms.CharField(label="Reason the school gave", widget=forms.Textarea)


class MissingEducationForm(GovukForm):
    required_messages = {
        "reported_on": "Enter the date it was reported",
        "details": "Enter what is known: when the child was last in education, and what has been done to find them",
    }
    reported_on = GovukDateField(label="Date the child was reported as missing education")
    details = forms.CharField(label="What is known", widget=forms.Textarea,
                              help_text="When the child was last in education, where they might be, and what has been done to find them.")


class ResolveMissingEducationForm(GovukForm):
    required_messages = {"resolved_on": "Enter the date it was resolved", "outcome": "Select the outcome"}
    resolved_on = GovukDateField(label="Date it was resolved")
    outcome = forms.ChoiceField(label="What was the outcome?", choices=MissingEducationOutcome.choices, widget=forms.RadioSelect)
    outcome_detail = forms.CharField(label="More detail", widget=forms.Textarea, required=False,
                                     help_text="Needed if the outcome was something else.")
