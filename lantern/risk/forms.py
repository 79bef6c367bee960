from django import forms
from django.utils.dateformat import format as format_date
from django.utils.timezone import localtime

from lantern.core.dates import local_today
from lantern.core.forms import GovukDateField, GovukForm

from .catalogue import EXPLOITATION_KINDS, Catalogue
from .conf import add_months, review_months
from .models import DecisionSource, Level, RiskKind, Screening, When
from .services import check_indicators

NOT_SEEN = ""
KEEP = "keep"
KIND_CHOICES = [(kind, RiskKind(kind).label) for kind in EXPLOITATION_KINDS]


class ScreeningForm(GovukForm):
    """The screening tool: every indicator of the catalogue, grouped by domain, each with
    "Not seen / Now / In the past 12 months" and the evidence. Works without JavaScript."""

    catalogue_version = forms.IntegerField(widget=forms.HiddenInput)
    agency = forms.ModelChoiceField(label="The agency you are screening for", queryset=None, empty_label="Select an agency")
    strengths = forms.MultipleChoiceField(
        label="Strengths and protective factors", required=False, widget=forms.CheckboxSelectMultiple,
    )
    strengths_note = forms.CharField(label="Other strengths", required=False, widget=forms.Textarea, max_length=5000)
    childs_views = forms.CharField(
        label="The child's views, in their own words", required=False, widget=forms.Textarea, max_length=5000,
        help_text="What the child said about their situation and what would help. Write their words, not a summary.",
    )
    analysis = forms.CharField(
        label="Your analysis", required=False, widget=forms.Textarea, max_length=10000,
        help_text="What the evidence shows, kept apart from your professional judgement, and what you think should happen next.",
    )
    referred_to_social_care = forms.BooleanField(
        label="I have referred this child to children's social care, or confirmed they already know about these concerns",
        required=False,
        help_text="You must refer a child aged 13 or under who shows any sign of sexual exploitation, and a child with "
        "a learning disability about whom there is any concern.",
    )

    def __init__(self, *args, catalogue: Catalogue, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        self.fields["catalogue_version"].initial = catalogue.version
        self.fields["agency"].queryset = agencies
        if len(agencies) <= 1:
            del self.fields["agency"]
        self.fields["strengths"].choices = [(i.id, i.wording) for _, items in catalogue.of_kind("strength") for i in items]
        self.indicator_ids = []
        for _, items in catalogue.of_kind("risk") + catalogue.of_kind("risk_to_others"):
            for indicator in items:
                self.indicator_ids.append(indicator.id)
                self.fields[f"when_{indicator.id}"] = forms.ChoiceField(
                    label=indicator.wording, required=False,
                    choices=[(NOT_SEEN, "Not seen"), (When.CURRENT, "Now"), (When.PAST_12_MONTHS, "In the past 12 months")],
                )
                self.fields[f"evidence_{indicator.id}"] = forms.CharField(
                    label=f"Evidence: {indicator.wording}", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
                )

    def clean(self):
        cleaned = super().clean()
        for ident in self.indicator_ids:
            if cleaned.get(f"evidence_{ident}", "").strip() and not cleaned.get(f"when_{ident}"):
                self.add_error(
                    f"when_{ident}",
                    f"You entered evidence for '{self.catalogue.indicator(ident).wording}': say whether it is seen now or in the past 12 months",
                )
        # The service's own checks (evidence for significant signs …), so every problem shows at once.
        for name, message in check_indicators(self.catalogue, self.indicators())[1].items():
            self.add_error(name if name in self.fields else None, message)
        return cleaned

    def domains(self):
        """For the template: each domain (risk, then harmful sexual behaviour) with its indicators' fields."""
        return [
            (domain, [(indicator, self[f"when_{indicator.id}"], self[f"evidence_{indicator.id}"]) for indicator in items])
            for domain, items in self.catalogue.of_kind("risk") + self.catalogue.of_kind("risk_to_others")
        ]

    def indicators(self) -> list[tuple[str, str, str]]:
        """What the worker saw: (indicator id, when, evidence) for each indicator not left as "Not seen"."""
        return [
            (ident, self.cleaned_data[f"when_{ident}"], self.cleaned_data.get(f"evidence_{ident}", ""))
            for ident in self.indicator_ids
            if self.cleaned_data.get(f"when_{ident}")
        ]


class ConfirmReferralForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


def _screening_label(screening) -> str:
    return (
        f"{screening.agency.name}, {format_date(localtime(screening.screened_at), 'j F Y')} ({screening.screened_by.full_name}): "
        f"suggests {screening.get_suggested_sexual_display().lower()} for sexual exploitation (score {screening.score_sexual}), "
        f"{screening.get_suggested_criminal_display().lower()} for criminal exploitation (score {screening.score_criminal})"
        + ("; harmful sexual behaviour recorded" if screening.risk_to_others else "")
    )


class DecideLevelForm(GovukForm):
    """The hub's or a meeting's decision: a level for each kind of risk it decides now."""

    required_messages = {
        "reason": "Enter the reason for the decision",
        "next_review_on": "Enter the date of the next review",
        "screenings": "Choose the screenings this decision rests on",
    }
    level_sexual = forms.ChoiceField(label="Sexual exploitation", widget=forms.RadioSelect, initial=KEEP)
    departure_reason_sexual = forms.CharField(
        label="If this differs from what the screenings suggest for sexual exploitation, explain why", required=False,
        widget=forms.Textarea, max_length=5000,
    )
    level_criminal = forms.ChoiceField(label="Criminal exploitation", widget=forms.RadioSelect, initial=KEEP)
    departure_reason_criminal = forms.CharField(
        label="If this differs from what the screenings suggest for criminal exploitation, explain why", required=False,
        widget=forms.Textarea, max_length=5000,
    )
    level_risk_to_others = forms.ChoiceField(
        label="Risk the child poses to others (harmful sexual behaviour)", widget=forms.RadioSelect, initial=KEEP,
        help_text="Recorded on its own: it does not change the child's levels of risk of exploitation.",
    )
    screenings = forms.ModelMultipleChoiceField(
        label="The screenings this decision rests on", queryset=None, widget=forms.CheckboxSelectMultiple,
        help_text="The latest screening by each agency is chosen for you.",
    )
    reason = forms.CharField(
        label="Reason for the decision", widget=forms.Textarea, max_length=10000,
        help_text="The evidence and the professional judgement behind the decision. Every agency working with the child will see it.",
    )
    next_review_on = GovukDateField(label="Next review")
    source = forms.ChoiceField(label="Who made this decision", choices=DecisionSource.choices, widget=forms.RadioSelect)
    current_sexual = forms.IntegerField(widget=forms.HiddenInput, required=False)
    current_criminal = forms.IntegerField(widget=forms.HiddenInput, required=False)
    current_risk_to_others = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, screenings, current: dict, user, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in RiskKind.values:
            held = current.get(kind)
            keep = f"Leave as it is ({held.get_level_display().lower()})" if held else "Do not decide now"
            self.fields[f"level_{kind}"].choices = [(KEEP, keep), *Level.choices]
            self.fields[f"current_{kind}"].initial = held.pk if held else None
        self.fields["screenings"].queryset = (
            Screening.objects.filter(pk__in=[s.pk for s in screenings]).select_related("agency", "screened_by").order_by("-screened_at", "-id")
        )
        self.fields["screenings"].label_from_instance = _screening_label
        seen_agencies, latest = set(), []
        for s in screenings:  # newest first: the first of each agency is its latest
            if s.agency_id not in seen_agencies:
                seen_agencies.add(s.agency_id)
                latest.append(s.pk)
        self.fields["screenings"].initial = latest
        latest_review = add_months(local_today(), review_months())
        self.fields["next_review_on"].help_text = (
            f"No later than {format_date(latest_review, 'j F Y')} ({review_months()} months from today). For example, "
            f"{latest_review.day} {latest_review.month} {latest_review.year}"
        )
        self.fields["source"].initial = DecisionSource.HUB if user.access.is_hub else DecisionSource.MEETING

    def clean(self):
        cleaned = super().clean()
        if all(cleaned.get(f"level_{kind}") in (KEEP, None) for kind in RiskKind.values):
            self.add_error("level_sexual", "Choose a level for at least one kind of risk")
        return cleaned

    def decisions(self) -> list[tuple[str, str, str]]:
        """(kind, level, departure reason) for each kind decided now."""
        return [
            (kind, self.cleaned_data[f"level_{kind}"], self.cleaned_data.get(f"departure_reason_{kind}", ""))
            for kind in RiskKind.values
            if self.cleaned_data.get(f"level_{kind}") not in (KEEP, None)
        ]


class CatalogueAdditionForm(GovukForm):
    required_messages = {
        "indicator_id": "Enter an id for the indicator, for example ONL-05",
        "domain": "Select the domain",
        "wording": "Enter the wording of the indicator",
        "weight": "Enter the weight when seen now",
        "weight_past": "Enter the weight when seen in the past 12 months",
        "change_note": "Say why the indicator is being added",
    }
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    indicator_id = forms.CharField(
        label="Id", max_length=10, help_text="2 to 6 capital letters, a dash and 2 or 3 digits, for example ONL-05. It can never be reused.",
    )
    domain = forms.ChoiceField(label="Domain")
    wording = forms.CharField(label="Wording", max_length=300, help_text="Plain words a worker in any agency would understand.")
    weight = forms.IntegerField(label="Weight when seen now", min_value=0, max_value=10, initial=1,
                                help_text="1 for most indicators, 5 for a significant one. Strengths and harmful sexual behaviour carry no weight.")
    weight_past = forms.IntegerField(label="Weight when seen in the past 12 months but not now", min_value=0, max_value=10, initial=1)
    significant = forms.BooleanField(label="Significant indicator: the worker must record the evidence", required=False)
    applies_to = forms.MultipleChoiceField(
        label="A sign of", choices=KIND_CHOICES, widget=forms.CheckboxSelectMultiple, required=False,
    )
    cin_factor = forms.CharField(label="Children in Need census factor code", max_length=8, required=False, help_text="For example 11A.")
    sources = forms.MultipleChoiceField(label="Sources", widget=forms.CheckboxSelectMultiple, required=False)
    new_source = forms.CharField(label="Another source", max_length=300, required=False,
                                 help_text="If the indicator comes from a source not listed, name it.")
    change_note = forms.CharField(label="Why is this indicator being added?", max_length=500, widget=forms.Textarea,
                                  help_text="Kept with the new version of the catalogue.")

    def __init__(self, *args, catalogue: Catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = catalogue.version
        self.fields["domain"].choices = [("", "Select a domain")] + [(d.id, d.label) for d in catalogue.domains]
        self.fields["sources"].choices = sorted(catalogue.sources.items(), key=lambda pair: pair[1])
