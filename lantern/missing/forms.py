import datetime as dt

from django import forms

from lantern.core.forms import GovukDateField, GovukForm, MomentMixin, time_field
from lantern.partnership.models import Agency

from .models import EpisodeKind, MissingFrom
from .ssda903 import MAX_BYTES, collection_year, current_collection_year

def _agency_field(form, user) -> None:
    ids = sorted(user.access.agency_ids) if user is not None and user.is_authenticated else []
    agencies = Agency.objects.filter(pk__in=ids, is_active=True).order_by("name")
    if len(ids) <= 1:
        del form.fields["agency"]
    else:
        form.fields["agency"].queryset = agencies
        form.fields["agency"].empty_label = "Select an agency"


class ReturnFields(forms.Form):
    found_where = forms.CharField(label="Where was the child found?", max_length=300, required=False)
    returned_to = forms.CharField(label="Where did the child return to?", max_length=300, required=False)
    found_with = forms.CharField(label="Who was the child with?", max_length=300, required=False)
    condition_on_return = forms.CharField(
        label="The child's condition on return", widget=forms.Textarea, required=False,
        help_text="For example injuries, intoxication, new clothes or phones, tiredness, hunger.",
    )
    exposed_to = forms.CharField(
        label="What do you believe the child was exposed to?", widget=forms.Textarea, required=False,
        help_text="For example drugs, alcohol, older adults, sexual exploitation, criminal activity.",
    )

    RETURN_FIELDS = ("found_where", "returned_to", "found_with", "condition_on_return", "exposed_to")

    def return_data(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in self.RETURN_FIELDS}


class EpisodeForm(MomentMixin, GovukForm):
    moments = ("started_at",)
    required_messages = {
        "kind": "Select whether the child was missing or away without authorisation",
        "missing_from": "Select where the child went missing from",
        "started_at_date": "Enter the date the child went missing",
        "started_at_time": "Enter the time the child went missing",
    }
    agency = forms.ModelChoiceField(label="The agency you are recording for", queryset=Agency.objects.none())
    kind = forms.ChoiceField(label="Was the child missing or away?", choices=EpisodeKind.choices, widget=forms.RadioSelect)
    missing_from = forms.ChoiceField(label="Where did the child go missing from?", choices=MissingFrom.choices, widget=forms.RadioSelect)
    started_at_date = GovukDateField(label="Date the child went missing", help_text="When they were last seen. For example, 27 3 2026")
    started_at_time = time_field("Time the child went missing")
    police_reference = forms.CharField(label="Police reference (if reported to the police)", max_length=40, required=False)
    circumstances = forms.CharField(label="What happened?", widget=forms.Textarea, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _agency_field(self, user)

    def episode_data(self) -> dict:
        data = self.cleaned_data
        return {
            "agency": data.get("agency"), "kind": data["kind"], "missing_from": data["missing_from"],
            "started_at": data["started_at"], "police_reference": data.get("police_reference", ""),
            "circumstances": data.get("circumstances", ""),
        }


class ReturnForm(MomentMixin, ReturnFields, GovukForm):
    moments = ("returned_at",)
    required_messages = {
        "returned_at_date": "Enter the date the child returned",
        "returned_at_time": "Enter the time the child returned",
    }
    returned_at_date = GovukDateField(label="Date the child returned", help_text="For example, 27 3 2026")
    returned_at_time = time_field("Time the child returned")
    field_order = ["returned_at_date", "returned_at_time", *ReturnFields.RETURN_FIELDS]


class OfferForm(MomentMixin, GovukForm):
    moments = ("offered_at",)
    required_messages = {
        "offered_at_date": "Enter the date the interview was offered",
        "offered_at_time": "Enter the time the interview was offered",
        "independent": "Confirm the interview is offered by someone independent of the child's home or placement",
    }
    agency = forms.ModelChoiceField(label="The agency offering the interview", queryset=Agency.objects.none())
    offered_at_date = GovukDateField(label="Date the interview was offered")
    offered_at_time = time_field("Time the interview was offered")
    independent = forms.BooleanField(
        label="I confirm the interview is offered by someone independent of the child's home or placement",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _agency_field(self, user)


class InterviewForm(MomentMixin, GovukForm):
    moments = ("held_at",)
    required_messages = {"accepted": "Select whether the child accepted the interview"}
    accepted = forms.ChoiceField(
        label="Did the child accept the interview?", choices=[("yes", "Yes"), ("no", "No, they declined")], widget=forms.RadioSelect
    )
    declined_reason = forms.CharField(label="If they declined, why?", widget=forms.Textarea, required=False)
    held_at_date = GovukDateField(label="Date the interview was held", required=False)
    held_at_time = time_field("Time the interview was held", required=False)
    childs_account = forms.CharField(label="The child's account", widget=forms.Textarea, required=False,
                                     help_text="In the child's own words where possible.")
    push_factors = forms.CharField(label="Push factors", widget=forms.Textarea, required=False,
                                   help_text="What made the child want to leave, for example conflict at home.")
    pull_factors = forms.CharField(label="Pull factors", widget=forms.Textarea, required=False,
                                   help_text="What drew the child away, for example people, places, money, gifts.")
    disclosures = forms.CharField(label="Disclosures", widget=forms.Textarea, required=False)
    people_and_places = forms.CharField(label="People and places named", widget=forms.Textarea, required=False,
                                        help_text="Names, nicknames, addresses, venues, vehicles: one per line.")
    shared_with = forms.ModelMultipleChoiceField(
        label="Information shared with", queryset=Agency.objects.filter(is_active=True).order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    actions = forms.CharField(label="Actions arising", widget=forms.Textarea, required=False)

    def interview_data(self) -> dict:
        data = self.cleaned_data
        return {
            "accepted": {"yes": True, "no": False}.get(data.get("accepted")),
            "declined_reason": data.get("declined_reason", ""),
            "held_at": data.get("held_at"),
            "childs_account": data.get("childs_account", ""),
            "push_factors": data.get("push_factors", ""),
            "pull_factors": data.get("pull_factors", ""),
            "disclosures": data.get("disclosures", ""),
            "people_and_places": data.get("people_and_places", ""),
            "shared_with": list(data.get("shared_with") or []),
            "actions": data.get("actions", ""),
        }


class NotHeldForm(GovukForm):
    required_messages = {"reason": "Enter why the return interview will not be held"}
    reason = forms.CharField(label="Why will the return interview not be held?", widget=forms.Textarea, max_length=5000)


# --- Exchange with national data (decision 0013) --------------------------------------------


class ImportForm(GovukForm):
    required_messages = {"file": "Select the SSDA903 Missing table to import"}
    file = forms.FileField(
        label="SSDA903 Missing table (a CSV file)",
        help_text=f"Headings CHILD, DOB, MISSING, MIS_START, MIS_END; dates as dd/mm/yyyy. Up to {MAX_BYTES // (1024 * 1024)} MB.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages.update({
            "empty": "The selected file is empty",
            "invalid": "Select a file",
            "missing": "Select the SSDA903 Missing table to import",
        })

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)} MB")
        return upload

    def data_bytes(self) -> bytes:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        return upload.read()


def collection_year_choices(today: dt.date) -> list[tuple[int, str]]:
    latest = current_collection_year(today)
    choices = []
    for year in range(latest, latest - 6, -1):
        first, last = collection_year(year)
        choices.append((year, f"{year - 1} to {year} (1 April {first.year} to 31 March {last.year})"))
    return choices


class ExportYearForm(GovukForm):
    required_messages = {"year": "Select the collection year"}
    year = forms.TypedChoiceField(
        label="Collection year", coerce=int,
        help_text="Episodes that started in the year, of children in care at any time since the year began.",
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        choices = collection_year_choices(today)
        self.fields["year"].choices = choices
        self.fields["year"].error_messages["invalid_choice"] = "Select one of the collection years listed"
        self.fields["year"].initial = choices[1][0]  # the last year that has ended


class AnnexAForm(GovukForm):
    required_messages = {"on": "Enter the date of the list"}
    on = GovukDateField(
        label="Date of the list",
        help_text="Children in care on this date, with their episodes in the 12 months up to and including it. "
        "For example, 31 3 2026",
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["on"].initial = today

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on is not None and on > self.today:
            raise forms.ValidationError("The date of the list must be today or in the past")
        return on
