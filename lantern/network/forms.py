"""The forms of the network pages. They check what a form can (something entered, a real date, a
choice offered); the services check the rest and their errors are shown on the form
(lantern.core.views.run_service)."""

from django import forms

from lantern.core.forms import GovukDateField, GovukForm
from lantern.partnership.models import Agency

from .models import (
    BusinessKind, DisruptionKind, DisruptionResult, HandlingCode, IntelligenceAssessment, LinkType, LocationKind, SourceEvaluation, SourceRecord,
)

DATE_HINT = "For example, 27 3 2026"
NEW_PERSON = "new_person"
NEW_PLACE = "new_place"

# The 3x5x2 grading (College of Policing, Intelligence management), in plain English.
SOURCE_EVALUATION_HINTS = {
    "1": "The source has given correct information before, or it comes from a professional or a record that can be trusted.",
    "2": "We do not know yet whether the source can be relied on: for example, the first time a child or a neighbour tells us something.",
    "3": "There are doubts about the source: they have been wrong before, or may have a reason to mislead.",
}
INTELLIGENCE_ASSESSMENT_HINTS = {
    "A": "The source saw or heard it themselves.",
    "B": "The source was told it, and other information backs it up.",
    "C": "The source was told it, and nothing backs it up yet.",
    "D": "We do not know how the source came to know it.",
    "E": "There is reason to think it is wrong, or was said to mislead.",
}
HANDLING_CODE_HINTS = {
    "P": "It can be shared with the agencies working with the child, as the law allows.",
    "C": "It can be shared only with conditions: write the conditions in the notes, for example \"do not tell the family\".",
}


def _numeric(width: str = "govuk-input--width-3") -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric", "class": f"govuk-input {width}"})


def _options(form, name: str, hints: dict) -> list[dict]:
    """The choices of a radio field with a plain-English hint for each (for network/_radios.html)."""
    value = form[name].value()
    value = "" if value is None else str(value)
    return [
        {"value": str(v), "label": label, "hint": hints.get(str(v), ""), "checked": value == str(v)}
        for v, label in form.fields[name].choices if str(v) != ""
    ]


class AgencyMixin:
    """A "which of your agencies" field, only for someone who works for more than one."""

    def _agencies(self, agency_ids) -> None:
        if len(agency_ids) > 1:
            self.fields["source_agency"] = forms.ModelChoiceField(
                label="Which of your agencies does the information come from?",
                queryset=Agency.objects.filter(pk__in=sorted(agency_ids)).order_by("name"), empty_label="Select the agency",
            )
            self.fields["source_agency"].error_messages["required"] = "Select which of your agencies the information comes from"


class LinkDetailsForm(AgencyMixin, GovukForm):
    """What the link is, when it was seen, where the information comes from and how far it can be
    relied on (3x5x2)."""

    required_messages = {
        "link_type": "Select the kind of link",
        "source_record": "Select where the information comes from",
        "source_evaluation": "Select how reliable the source is: 1, 2 or 3",
        "intelligence_assessment": "Select how the source knows: A to E",
        "handling_code": "Select whether it can be shared: P or C",
    }
    link_type = forms.ChoiceField(label="What is the link?", choices=[("", "Select the kind of link"), *LinkType.choices])
    first_seen = GovukDateField(label="When was this first seen or known?", required=False, help_text=DATE_HINT)
    last_seen = GovukDateField(label="When was it last seen?", required=False,
                               help_text=f"Leave empty if it was seen only once. {DATE_HINT}")
    source_record = forms.ChoiceField(label="Where does the information come from?", choices=SourceRecord.choices, widget=forms.RadioSelect)
    source_detail = forms.CharField(label="Which record?", max_length=300, required=False,
                                    help_text="For example, the return interview of 3 March 2026.")
    source_evaluation = forms.ChoiceField(label="How reliable is the source?", choices=SourceEvaluation.choices, widget=forms.RadioSelect)
    intelligence_assessment = forms.ChoiceField(label="How does the source know?", choices=IntelligenceAssessment.choices,
                                                widget=forms.RadioSelect)
    handling_code = forms.ChoiceField(label="Can it be shared?", choices=HandlingCode.choices, widget=forms.RadioSelect,
                                      initial=HandlingCode.LAWFUL_SHARING)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False, max_length=20000,
                            help_text="Anything else about the link, and any conditions on sharing it.")

    def __init__(self, *args, agency_ids=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self._agencies(agency_ids)

    @property
    def source_evaluation_options(self):
        return _options(self, "source_evaluation", SOURCE_EVALUATION_HINTS)

    @property
    def intelligence_assessment_options(self):
        return _options(self, "intelligence_assessment", INTELLIGENCE_ASSESSMENT_HINTS)

    @property
    def handling_code_options(self):
        return _options(self, "handling_code", HANDLING_CODE_HINTS)

    def link_data(self) -> dict:
        data = self.cleaned_data
        out = {name: data[name] for name in ("link_type", "first_seen", "last_seen", "source_record", "source_detail", "source_evaluation",
                                              "intelligence_assessment", "handling_code", "notes")}
        out["agency"] = data.get("source_agency")
        return out


class ChildLinkForm(LinkDetailsForm):
    """Link a child to a person or place: one found by a search (police and hub), or a new person of
    concern or place recorded here (anyone working with the child)."""

    required_messages = {**LinkDetailsForm.required_messages, "record": "Select who or what the child is linked to"}
    q = forms.CharField(widget=forms.HiddenInput, required=False)
    record = forms.ChoiceField(label="Who or what is the child linked to?", widget=forms.RadioSelect)
    person_name = forms.CharField(label="Name", max_length=200, required=False,
                                  help_text="Or the name or nickname the child uses for them.")
    person_estimated_age = forms.IntegerField(label="Age, or a guess at it", required=False, widget=_numeric(),
                                              help_text="In years, for example 25.")
    person_description = forms.CharField(label="Description", widget=forms.Textarea, required=False, max_length=20000,
                                         help_text="What they look like, where they are seen, what the child says about them.")
    place_name = forms.CharField(label="Name of the place, or its address", max_length=200, required=False)
    place_kind = forms.ChoiceField(label="What kind of place is it?", choices=[("", "Select the kind of place"), *LocationKind.choices],
                                   required=False)
    place_address = forms.CharField(label="Address", max_length=300, required=False)

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [
            *((str(node.pk), f"{node.label} ({node.get_kind_display().lower()})") for node in results),
            (NEW_PERSON, "A person of concern not yet recorded"),
            (NEW_PLACE, "A place not yet recorded"),
        ]
        self.fields["person_estimated_age"].error_messages["invalid"] = "Enter the age as a number, for example 25"
        self.results = list(results)

    def clean(self):
        data = super().clean()
        record = data.get("record")
        if record == NEW_PERSON and not (data.get("person_name") or "").strip():
            self.add_error("person_name", "Enter the person's name, or the name the child uses for them")
        if record == NEW_PLACE:
            if not (data.get("place_name") or "").strip():
                self.add_error("place_name", "Enter the name of the place, or its address")
            if not data.get("place_kind"):
                self.add_error("place_kind", "Select the kind of place")
        return data


class NodeLinkForm(LinkDetailsForm):
    """Link a person, place, vehicle or business to another record found by a search: a child the
    user may see, or another person, place, vehicle or business (police and hub)."""

    required_messages = {**LinkDetailsForm.required_messages, "record": "Select the record to link to"}
    q = forms.CharField(widget=forms.HiddenInput, required=False)
    record = forms.ChoiceField(label="Which record is it linked to?", widget=forms.RadioSelect)

    def __init__(self, *args, nodes=(), children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [
            *((f"child:{child.pk}", f"{child.display_name} (child, born {child.date_of_birth:%d/%m/%Y})") for child in children),
            *((f"node:{node.pk}", f"{node.label} ({node.get_kind_display().lower()})") for node in nodes),
        ]


class SearchForm(forms.Form):
    q = forms.CharField(label="Name, address or registration", required=False, max_length=100)


class PersonForm(GovukForm):
    required_messages = {"name": "Enter the person's name, or the name the child uses for them"}
    name = forms.CharField(label="Name", max_length=200, help_text="Or the name or nickname children use for them.")
    aliases = forms.CharField(label="Other names", max_length=500, required=False, help_text="Nicknames and other names, separated by commas.")
    date_of_birth = GovukDateField(label="Date of birth", required=False, help_text="For example, 27 3 1998")
    estimated_age = forms.IntegerField(label="Age, or a guess at it", required=False, widget=_numeric(),
                                       help_text="In years, if the date of birth is not known.")
    description = forms.CharField(label="Description", widget=forms.Textarea, required=False, max_length=20000,
                                  help_text="What they look like and where they are seen.")
    police_reference = forms.CharField(label="Police reference", max_length=60, required=False)
    phone_numbers = forms.CharField(label="Phone numbers", max_length=300, required=False, help_text="Separated by commas.")
    online_handles = forms.CharField(label="Online names and handles", max_length=300, required=False,
                                     help_text="For example, names used on social media or in games, separated by commas.")
    registered_sex_offender = forms.BooleanField(label="Registered sex offender", required=False)
    subject_to_order = forms.CharField(label="Subject to an order", max_length=200, required=False,
                                       help_text="For example, a sexual risk order or a slavery and trafficking prevention order.")
    guidance = forms.CharField(
        label="What agencies must do", widget=forms.Textarea, required=False, max_length=20000,
        help_text="Shown to every agency working with a linked child, who do not see the intelligence: for example, "
                  "tell the police at once if the child is seen with this person.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estimated_age"].error_messages["invalid"] = "Enter the age as a number, for example 25"


class EditPersonForm(PersonForm):
    """PersonForm with the version of the record the page was loaded from (a second editor is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class LocationForm(GovukForm):
    required_messages = {"name": "Enter the name of the place, or its address", "kind": "Select the kind of place"}
    name = forms.CharField(label="Name of the place, or its address", max_length=200)
    kind = forms.ChoiceField(label="What kind of place is it?", choices=LocationKind.choices, widget=forms.RadioSelect)
    address = forms.CharField(label="Address", max_length=300, required=False)
    latitude = forms.DecimalField(label="Latitude", max_digits=8, decimal_places=5, required=False, widget=_numeric("govuk-input--width-10"),
                                  help_text="For the map: for example 53.71234. Leave empty if not known.")
    longitude = forms.DecimalField(label="Longitude", max_digits=8, decimal_places=5, required=False, widget=_numeric("govuk-input--width-10"),
                                   help_text="For example -1.78456.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"
            self.fields[name].error_messages["invalid"] = f"Enter the {name} as a number with up to 5 decimal places, for example 53.71234"
            self.fields[name].error_messages["max_decimal_places"] = f"Enter the {name} with up to 5 decimal places"
            self.fields[name].error_messages["max_digits"] = f"Enter a {name} from -180 to 180 with up to 5 decimal places"
            self.fields[name].error_messages["max_whole_digits"] = f"Enter a {name} from -180 to 180"


class VehicleForm(GovukForm):
    required_messages = {"registration": "Enter the registration, for example AB12CDE"}
    registration = forms.CharField(label="Registration", max_length=20, help_text="Letters and numbers, for example AB12CDE.")
    make = forms.CharField(label="Make and model", max_length=60, required=False)
    colour = forms.CharField(label="Colour", max_length=40, required=False)


class BusinessForm(GovukForm):
    required_messages = {"name": "Enter the business's name", "kind": "Select the kind of business"}
    name = forms.CharField(label="Name of the business", max_length=200)
    kind = forms.ChoiceField(label="What kind of business is it?", choices=BusinessKind.choices, widget=forms.RadioSelect)
    licensing = forms.CharField(label="Licensing details", widget=forms.Textarea, required=False, max_length=20000,
                                help_text="The licensing authority, licence numbers and any conditions.")


RESULT_CHOICES = [
    (DisruptionResult.ACHIEVED, "Yes: for example the order was granted, the person was charged or convicted, or the licence was reviewed"),
    (DisruptionResult.NOT_ACHIEVED, "No: for example no further action, the order was refused, or the person was acquitted"),
    (DisruptionResult.AWAITED, "Not known yet: the outcome is awaited"),
]


class DisruptionForm(AgencyMixin, GovukForm):
    required_messages = {
        "kind": "Select the kind of disruption", "happened_on": "Enter the date", "description": "Enter what was done",
        "result": "Select whether it achieved what it set out to, or that the outcome is awaited",
    }
    kind = forms.ChoiceField(label="What was done?", choices=DisruptionKind.choices, widget=forms.RadioSelect)
    happened_on = GovukDateField(label="Date", help_text=DATE_HINT)
    description = forms.CharField(label="Description", widget=forms.Textarea, max_length=20000,
                                  help_text="What was done, by whom and where.")
    outcome = forms.CharField(label="Outcome", widget=forms.Textarea, required=False, max_length=20000,
                              help_text="What came of it, if known: for example, the order was granted for two years.")
    result = forms.ChoiceField(
        label="Did it achieve what it set out to?", widget=forms.RadioSelect, choices=RESULT_CHOICES,
        help_text="Counted for the partnership board, without names.",
    )

    def __init__(self, *args, agency_ids=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self._agencies(agency_ids)


class EndLinkForm(GovukForm):
    required_messages = {"reason": "Enter why the link is ended"}
    reason = forms.CharField(label="Why is the link ended?", widget=forms.Textarea, max_length=20000,
                             help_text="For example, it was found to be wrong, or the person has moved away. The link is kept, but no longer drawn.")


GRADE_CHOICES = [(value, label) for value, label in IntelligenceAssessment.choices]


class NetworkFilterForm(GovukForm):
    """The filters of the network view (a GET form: everything optional)."""

    depth = forms.TypedChoiceField(label="How many links away", choices=[(1, "1 link"), (2, "2 links"), (3, "3 links")], coerce=int,
                                   required=False, initial=2)
    link_types = forms.MultipleChoiceField(label="Kinds of link", choices=LinkType.choices, widget=forms.CheckboxSelectMultiple,
                                           required=False, help_text="Leave all unticked to show every kind.")
    since = GovukDateField(label="Seen on or after", required=False, help_text=DATE_HINT)
    until = GovukDateField(label="Seen on or before", required=False, help_text=DATE_HINT)
    grades = forms.MultipleChoiceField(label="How the source knows (grading)", choices=GRADE_CHOICES, widget=forms.CheckboxSelectMultiple,
                                       required=False, help_text="Leave all unticked to show every grade.")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "The date to show up to must be on or after the date to show from")
        return data


class PeriodForm(GovukForm):
    """The period of the hotspot ranking (a GET form)."""

    since = GovukDateField(label="From", required=False, help_text=DATE_HINT)
    until = GovukDateField(label="To", required=False, help_text=DATE_HINT)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "The end of the period must be on or after its start")
        return data
