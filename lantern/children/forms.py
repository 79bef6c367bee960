from django import forms

from lantern.core.forms import GovukDateField, GovukForm
from lantern.partnership.models import Agency, User

from .models import Disability, Ethnicity, GenderIdentity, IdentifierKind, LegalStatus, SendStatus, Sex


class SearchForm(forms.Form):
    q = forms.CharField(label="Name, date of birth or identifier", required=False, max_length=100)


class ChildDetailsForm(GovukForm):
    required_messages = {
        "legal_first_name": "Enter the child's legal first name",
        "legal_last_name": "Enter the child's legal last name",
        "date_of_birth": "Enter the child's date of birth",
        "sex": "Select the child's sex",
    }
    legal_first_name = forms.CharField(label="Legal first name", max_length=100)
    legal_middle_names = forms.CharField(label="Legal middle names", max_length=200, required=False)
    legal_last_name = forms.CharField(label="Legal last name", max_length=100)
    preferred_name = forms.CharField(label="Preferred name", max_length=100, required=False, help_text="The name the child likes to be called, if different.")
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 2012")
    is_transition_case = forms.BooleanField(
        label="Transition case: aged 18 or over but still supported as a child", required=False
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect)
    gender_identity = forms.ChoiceField(label="Gender identity", choices=GenderIdentity.choices, initial=GenderIdentity.NOT_KNOWN)
    gender_identity_description = forms.CharField(label="How the child describes their gender", max_length=100, required=False)
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=Ethnicity.choices, initial=Ethnicity.NOBT)
    first_language = forms.CharField(label="First language", max_length=60, required=False)
    disability = forms.ChoiceField(label="Disability", choices=Disability.choices, initial=Disability.NOT_KNOWN)
    learning_disability = forms.BooleanField(label="The child has a learning disability", required=False)
    send_status = forms.ChoiceField(label="Special educational needs (SEND)", choices=SendStatus.choices, initial=SendStatus.NOT_KNOWN)
    religion = forms.CharField(label="Religion", max_length=60, required=False)
    address_area = forms.CharField(label="Area where the child lives", max_length=100, required=False, help_text="Town, ward or postcode district, not the full address.")
    legal_status = forms.ChoiceField(label="Legal status", choices=LegalStatus.choices, initial=LegalStatus.NONE)

    def details(self) -> dict:
        """The child's details only: not the form's own fields such as version or reason."""
        return {name: self.cleaned_data[name] for name in ChildDetailsForm.base_fields if name in self.cleaned_data}


class RegisterChildForm(ChildDetailsForm):
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=20)
    upn = forms.CharField(label="Unique pupil number (UPN)", required=False, max_length=20)
    la_child_id = forms.CharField(label="Local authority child ID", required=False, max_length=40)
    police_ref = forms.CharField(label="Police reference", required=False, max_length=40)
    involvement_role = forms.CharField(label="Your role with the child", max_length=120, help_text="For example: social worker, school safeguarding lead.")
    agency = forms.ModelChoiceField(label="The agency you are recording this for", queryset=Agency.objects.none(), required=False)
    make_lead = forms.BooleanField(label="I am the lead professional for this child", required=False)
    confirmed_not_duplicate = forms.BooleanField(label="I have checked: this is a different child", required=False)

    required_messages = {**ChildDetailsForm.required_messages, "involvement_role": "Enter your role with the child"}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        acting = (user.access.case_agency_ids | user.access.hub_agency_ids) if user else frozenset()
        agencies = Agency.objects.filter(pk__in=acting).order_by("name")
        self.fields["agency"].queryset = agencies
        self.fields["agency"].empty_label = "Select an agency"
        if len(self.fields["agency"].queryset) <= 1:
            del self.fields["agency"]

    IDENTIFIER_FIELDS = {"nhs_number": IdentifierKind.NHS, "upn": IdentifierKind.UPN, "la_child_id": IdentifierKind.LA_CHILD_ID, "police_ref": IdentifierKind.POLICE_REF}

    def identifiers(self) -> list[tuple[str, str]]:
        return [(kind, self.cleaned_data.get(name, "")) for name, kind in self.IDENTIFIER_FIELDS.items() if self.cleaned_data.get(name)]


class EditChildForm(ChildDetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Why are you changing these details?", required=False, max_length=500, widget=forms.Textarea)


class IdentifierForm(GovukForm):
    required_messages = {"kind": "Select the kind of identifier", "value": "Enter the identifier"}
    kind = forms.ChoiceField(label="Kind of identifier", choices=IdentifierKind.choices, widget=forms.RadioSelect)
    value = forms.CharField(label="Identifier", max_length=40)
    reason = forms.CharField(label="Reason for the change", required=False, max_length=200, help_text="If it replaces one already recorded, say why.")


class EndIdentifierForm(GovukForm):
    required_messages = {"reason": "Enter why this identifier no longer applies"}
    reason = forms.CharField(label="Why does this identifier no longer apply?", max_length=200)


class InvolvementForm(GovukForm):
    required_messages = {"agency": "Select the agency", "role": "Enter the role"}
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.filter(is_active=True).order_by("name"), empty_label="Select an agency")
    professional = forms.ModelChoiceField(label="Named professional", queryset=User.objects.none(), required=False, empty_label="Not yet known")
    role = forms.CharField(label="Role with the child", max_length=120, help_text="For example: social worker, school safeguarding lead, missing team.")
    started_on = GovukDateField(label="Started", required=False, help_text="Leave blank for today.")
    is_lead = forms.BooleanField(label="This professional is the lead professional", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = (
            User.objects.filter(is_active=True, memberships__ended_at__isnull=True, memberships__role__in=["practitioner", "manager"])
            .distinct()
            .order_by("full_name")
        )
        self.fields["professional"].label_from_instance = lambda u: f"{u.full_name}{', ' + u.job_title if u.job_title else ''}"


class EndInvolvementForm(GovukForm):
    required_messages = {"reason": "Enter why the involvement is ending"}
    reason = forms.CharField(label="Why is this involvement ending?", max_length=500, widget=forms.Textarea)
    ended_on = GovukDateField(label="Ended", required=False, help_text="Leave blank for today.")
    version = forms.IntegerField(widget=forms.HiddenInput)


class BreakGlassForm(GovukForm):
    required_messages = {
        "identifier_kind": "Select the kind of identifier you know",
        "identifier_value": "Enter the identifier",
        "date_of_birth": "Enter the child's date of birth",
        "reason": "Explain why you need emergency access",
    }
    identifier_kind = forms.ChoiceField(label="Identifier you know", choices=IdentifierKind.choices, widget=forms.RadioSelect)
    identifier_value = forms.CharField(label="Identifier", max_length=40)
    date_of_birth = GovukDateField(label="Child's date of birth", help_text="For example, 27 3 2012")
    reason = forms.CharField(
        label="Why do you need emergency access?", widget=forms.Textarea, max_length=2000,
        help_text="The exploitation hub will see this. Access lasts a few hours.",
    )


class ReviewBreakGlassForm(GovukForm):
    required_messages = {"note": "Enter what the hub concluded"}
    note = forms.CharField(label="What did the hub conclude?", widget=forms.Textarea, max_length=2000)
