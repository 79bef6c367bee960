from django import forms

from lantern.core.forms import GovukDateField, GovukForm, MomentMixin, time_field
from lantern.partnership.models import Agency, Membership, Role, User

from .models import ContactKind, Place, WithWhom
from .selectors import contact_professionals, supervisee_options, supervisor_options


class ContactForm(MomentMixin, GovukForm):
    moments = ("happened_at",)
    required_messages = {
        "agency": "Select which of your agencies you are recording for",
        "happened_at_date": "Enter the date of the contact",
        "happened_at_time": "Enter the time of the contact",
        "kind": "Select the kind of contact",
        "summary": "Enter what happened",
    }
    agency = forms.ModelChoiceField(label="The agency you are recording for", queryset=Agency.objects.none())
    happened_at_date = GovukDateField(label="Date of the contact", help_text="For example, 27 3 2026")
    happened_at_time = time_field("Time of the contact")
    kind = forms.ChoiceField(label="What kind of contact was it?", choices=ContactKind.choices, widget=forms.RadioSelect)
    with_whom = forms.ChoiceField(
        label="Who was the child with?", choices=WithWhom.choices, widget=forms.RadioSelect, required=False,
        help_text="Not needed when the contact was only attempted.",
    )
    place = forms.ChoiceField(
        label="Where was the contact, or where was it tried?", choices=Place.choices, widget=forms.RadioSelect, required=False,
        help_text="Needed for a face-to-face or attempted contact. For a call or message, where the child was, if you know.",
    )
    place_detail = forms.CharField(
        label="Where, in more detail", max_length=200, required=False,
        help_text="Needed if you chose somewhere else. For example, the name of a park or a relative's address area.",
    )
    professional = forms.ModelChoiceField(
        label="Who had the contact?", queryset=User.objects.none(), required=False,
        help_text="Leave this as yourself unless you are recording a colleague's contact.",
    )
    summary = forms.CharField(
        label="What happened", widget=forms.Textarea,
        help_text="How the child seemed, what you talked about, anything of concern, what happens next.",
    )
    childs_words = forms.CharField(
        label="The child's own words", widget=forms.Textarea, required=False,
        help_text="What the child said about how things are for them, in their words.",
    )

    def __init__(self, *args, user=None, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(agencies) <= 1:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name")
            self.fields["agency"].empty_label = "Select an agency"
        self.fields["professional"].queryset = contact_professionals([a.pk for a in agencies])
        self.fields["professional"].empty_label = f"Me ({user.full_name})" if user is not None else "Me"

    def contact_data(self) -> dict:
        data = self.cleaned_data
        return {
            "agency": data.get("agency"), "happened_at": data["happened_at"], "kind": data["kind"],
            "with_whom": data.get("with_whom", ""), "place": data.get("place", ""), "place_detail": data.get("place_detail", ""),
            "professional": data.get("professional"), "summary": data["summary"], "childs_words": data.get("childs_words", ""),
        }


class SupervisorChoice(forms.ModelChoiceField):
    def label_from_instance(self, membership: Membership) -> str:
        role = "exploitation hub" if membership.role == Role.HUB else "manager"
        return f"{membership.user.full_name}, {role}, {membership.agency.name}"


class SupervisionForm(GovukForm):
    required_messages = {
        "supervisor": "Select the supervisor",
        "held_on": "Enter the date of the supervision",
        "reflection": "Enter the reflection on the exploitation risk",
    }
    supervisor = SupervisorChoice(label="Supervisor", queryset=Membership.objects.none())
    supervisee = forms.ModelChoiceField(
        label="Practitioner supervised", queryset=User.objects.none(), required=False,
        help_text="Leave this out for a discussion among managers.",
    )
    held_on = GovukDateField(label="Date of the supervision", help_text="For example, 27 3 2026")
    reflection = forms.CharField(
        label="Reflection on the exploitation risk", widget=forms.Textarea,
        help_text="What the discussion concluded about the risk to the child: what has changed, what is not known, whether "
        "the plan is reducing the risk, and how the work with the child and family is going.",
    )
    actions_agreed = forms.CharField(label="Decisions and actions agreed", widget=forms.Textarea, required=False)

    def __init__(self, *args, user=None, child=None, **kwargs):
        super().__init__(*args, **kwargs)
        options = supervisor_options(child, user=None if user.access.is_hub else user)
        if not user.access.is_hub and len(options) <= 1:
            del self.fields["supervisor"]
        else:
            self.fields["supervisor"].queryset = options
            self.fields["supervisor"].empty_label = "Select the supervisor"
            own = next((m for m in options if m.user_id == user.pk), None)
            if own is not None:
                self.fields["supervisor"].initial = own.pk
        self.fields["supervisee"].queryset = supervisee_options(child)
        self.fields["supervisee"].empty_label = "No one in particular"

    def supervision_data(self) -> dict:
        data = self.cleaned_data
        chosen = data.get("supervisor")
        extra = {"supervisor": chosen.user, "agency": chosen.agency} if chosen is not None else {}
        return {
            "held_on": data["held_on"], "reflection": data["reflection"], "actions_agreed": data.get("actions_agreed", ""),
            "supervisee": data.get("supervisee"), **extra,
        }
