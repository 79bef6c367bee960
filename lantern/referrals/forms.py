from django import forms

from lantern.children.forms import RegisterChildForm
from lantern.core.forms import GovukDateField, GovukForm
from lantern.partnership.models import Agency

from .models import Outcome, Urgency
from .rules import acting_agency_ids

INDICATOR_PREFIX = "indicators_"

REFERRAL_REQUIRED_MESSAGES = {
    "concern": "Describe what worries you about the child",
    "consent_sought": "Select whether you asked for consent to this referral",
}


class _ReferralFields(forms.Form):
    """The referral's own questions, shared by the two ways of referring."""

    agency = forms.ModelChoiceField(label="The agency making the referral", queryset=Agency.objects.none(), required=False)
    concern = forms.CharField(
        label="What worries you about the child?", widget=forms.Textarea, max_length=10000,
        help_text="Say what you have seen or been told, when, and by whom.",
    )
    childs_words = forms.CharField(
        label="What has the child said, in their own words?", widget=forms.Textarea, max_length=10000, required=False,
    )
    action_taken = forms.CharField(
        label="What have you already done?", widget=forms.Textarea, max_length=10000, required=False,
        help_text="For example: spoke to the parent, called the police, made a safety plan with the child.",
    )
    consent_sought = forms.ChoiceField(
        label="Did you ask the child or their family for consent to this referral?", choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
    )
    consent_not_sought_reason = forms.CharField(
        label="If you did not ask for consent, why not?", widget=forms.Textarea, max_length=2000, required=False,
        help_text="For example: asking would put the child at greater risk.",
    )
    urgency = forms.ChoiceField(label="How urgent is this?", choices=Urgency.choices, widget=forms.RadioSelect, required=False)

    def _set_up_referral_fields(self, user) -> None:
        from lantern.risk.catalogue import current_catalogue

        ids = acting_agency_ids(user) if user is not None else frozenset()
        if "agency" in self.fields:
            agencies = list(Agency.objects.filter(pk__in=sorted(ids), is_active=True).order_by("name"))
            if len(agencies) <= 1:
                del self.fields["agency"]
            else:
                self.fields["agency"].label = "The agency making the referral"
                self.fields["agency"].queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name")
                self.fields["agency"].empty_label = "Select an agency"
                self.fields["agency"].error_messages["required"] = "Select the agency making the referral"
        catalogue = current_catalogue()
        self.catalogue_version = catalogue.version
        indicator_fields = {}
        for domain, indicators in catalogue.by_domain():
            if not indicators or domain.kind == "strength":  # strengths are not signs of concern
                continue
            indicator_fields[f"{INDICATOR_PREFIX}{domain.id}"] = forms.MultipleChoiceField(
                label=domain.label, required=False, widget=forms.CheckboxSelectMultiple,
                choices=[(i.id, i.wording) for i in indicators],
            )
        # The indicators come straight after the concern, in the form and in its error summary.
        fields = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name == "concern":
                fields.update(indicator_fields)
        self.fields = fields

    @property
    def indicator_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith(INDICATOR_PREFIX)]

    def indicator_ids(self) -> list[str]:
        chosen = []
        for name in self.fields:
            if name.startswith(INDICATOR_PREFIX):
                chosen.extend(self.cleaned_data.get(name) or [])
        return chosen

    def referral_data(self) -> dict:
        data = self.cleaned_data
        return {
            "agency": data.get("agency"),
            "concern": data["concern"],
            "indicator_ids": self.indicator_ids(),
            "childs_words": data.get("childs_words", ""),
            "action_taken": data.get("action_taken", ""),
            "consent_sought": {"yes": True, "no": False}.get(data.get("consent_sought")),
            "consent_not_sought_reason": data.get("consent_not_sought_reason", ""),
            "urgency": data.get("urgency", ""),
        }


class ReferralForm(_ReferralFields, GovukForm):
    """Refer a child already on the register."""

    required_messages = REFERRAL_REQUIRED_MESSAGES

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_referral_fields(user)


class ReferNewChildForm(_ReferralFields, RegisterChildForm):
    """Refer a child who is not yet on the register: the child's details, then the referral."""

    required_messages = {**RegisterChildForm.required_messages, **REFERRAL_REQUIRED_MESSAGES}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields.pop("make_lead", None)
        self._set_up_referral_fields(user)


class OutcomeForm(GovukForm):
    required_messages = {"outcome": "Select the outcome of the referral", "reason": "Enter the reason for the outcome"}
    outcome = forms.ChoiceField(label="Outcome", choices=Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason for the outcome", widget=forms.Textarea, max_length=5000,
        help_text="The referrer and their agency will read this.",
    )


class CheckForm(GovukForm):
    required_messages = {
        "check_type": "Select the check your agency made",
        "result_note": "Enter what the check found, for example 'nothing known' or 'information shared'",
    }
    check_type = forms.ChoiceField(label="Check made", choices=(), widget=forms.RadioSelect)
    result_note = forms.CharField(
        label="What did the check find?", max_length=500,
        help_text="A short note, for example: nothing known; information shared with the hub.",
    )
    checked_on = GovukDateField(label="Date of the check", required=False, help_text="Leave blank for today.")

    def __init__(self, *args, check_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check_type"].choices = list(check_types)
