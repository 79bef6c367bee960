from django import forms

from lantern.core.dates import long_date
from lantern.core.forms import GovukDateField, GovukForm
from lantern.partnership.models import Agency

from .models import PlanStatus, ReceivingService, default_due_on
from .selectors import placing_agencies_for, possible_owners

AGREED_ONLY = "Needed when the plan is agreed."


def _owner_key(agency_id: int, user_id: int) -> str:
    return f"{agency_id}:{user_id}"


class TransitionPlanForm(GovukForm):
    required_messages = {
        "due_on": "Enter the date the plan must be in place",
        "status": "Select how far the plan has got",
        "owner": "Select who is responsible for the plan",
    }
    due_on = GovukDateField(label="Date the plan must be in place")
    status = forms.ChoiceField(label="How far has the plan got?", choices=PlanStatus.choices, widget=forms.RadioSelect)
    agreed_on = GovukDateField(label="Date the plan was agreed", required=False, help_text="Only if the plan is agreed.")
    owner = forms.ChoiceField(
        label="Who is responsible for the plan?",
        help_text="A practitioner or manager of an agency that works with the young person. They are told.",
    )
    receiving_services = forms.MultipleChoiceField(
        label="Which services will support the young person as an adult?", choices=ReceivingService.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=f"Select all that apply. {AGREED_ONLY}",
    )
    receiving_other = forms.CharField(label="Other service", max_length=200, required=False, help_text="If you selected Other.")
    summary = forms.CharField(
        label="What the plan says", widget=forms.Textarea, required=False,
        help_text=f"Where the young person will live, their education, training or work, money, health, and who will support them. "
        f"{AGREED_ONLY}",
    )
    young_persons_words = forms.CharField(
        label="What the young person says, in their own words", widget=forms.Textarea, required=False,
        help_text=f"What they want for their life after 18 and what they think of the plan. {AGREED_ONLY}",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, child, plan=None, **kwargs):
        if plan is not None:
            kwargs.setdefault("initial", {
                "due_on": plan.due_on, "status": plan.status, "agreed_on": plan.agreed_on,
                "owner": _owner_key(plan.owner_agency_id, plan.owner_id), "receiving_services": plan.receiving_services,
                "receiving_other": plan.receiving_other, "summary": plan.summary, "young_persons_words": plan.young_persons_words,
                "version": plan.version,
            })
        else:
            kwargs.setdefault("initial", {"due_on": default_due_on(child.date_of_birth), "status": PlanStatus.NOT_STARTED})
        super().__init__(*args, **kwargs)
        self.fields["due_on"].help_text = (
            f"Usually 6 months before the young person's 18th birthday: {long_date(default_due_on(child.date_of_birth))}. "
            "No later than their 18th birthday."
        )
        self._owners = {}
        for membership in possible_owners(child):
            self._owners.setdefault(_owner_key(membership.agency_id, membership.user_id), (membership.user, membership.agency))
        self.fields["owner"].choices = [("", "Select a professional")] + [
            (key, f"{user.full_name}, {agency.name}") for key, (user, agency) in self._owners.items()
        ]

    def plan_data(self) -> dict:
        data = self.cleaned_data
        owner, agency = self._owners.get(data["owner"], (None, None))
        return {
            "due_on": data["due_on"], "status": data["status"], "agreed_on": data.get("agreed_on"), "owner": owner,
            "owner_agency": agency, "receiving_services": data.get("receiving_services") or [],
            "receiving_other": data.get("receiving_other", ""), "summary": data.get("summary", ""),
            "young_persons_words": data.get("young_persons_words", ""), "expected_version": data.get("version"),
        }


class PlacementForm(GovukForm):
    required_messages = {
        "placing_agency": "Select the agency that placed the child",
        "host_authority": "Enter the name of the host local authority, for example Westmarsh Borough Council",
        "placement_area": "Enter the town or district the child now lives in",
        "started_on": "Enter the date the placement started",
        "information_requested": "Enter what you asked the host authority for",
        "information_due_on": "Enter the date the information is due",
    }
    placing_agency = forms.ModelChoiceField(label="Agency that placed the child", queryset=Agency.objects.none())
    host_authority = forms.CharField(label="Host local authority", max_length=200,
                                     help_text="The council for the area where the child now lives.")
    placement_area = forms.CharField(label="Town or district where the child lives", max_length=100,
                                     help_text="Not the full address or postcode.")
    started_on = GovukDateField(label="Date the placement started", help_text="For example, 4 9 2025")
    notified_host_on = GovukDateField(label="Date the host authority was told", required=False)
    host_contact_name = forms.CharField(label="Contact at the host authority", max_length=200, required=False)
    host_contact_email = forms.CharField(label="Contact's email address", max_length=254, required=False)
    host_contact_phone = forms.CharField(label="Contact's phone number", max_length=40, required=False)
    information_requested = forms.CharField(
        label="What did you ask the host authority for?", widget=forms.Textarea,
        help_text="For example, what their police and exploitation team know about the area and the people around the placement, "
        "and the local services the child can use.",
    )
    information_due_on = GovukDateField(label="Date the information is due",
                                        help_text="If nothing is recorded by then, everyone who works with the child is alerted.")

    def __init__(self, *args, user, child, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = placing_agencies_for(user, child)
        self.fields["placing_agency"].queryset = agencies
        self.fields["placing_agency"].empty_label = "Select an agency"
        if len(agencies) == 1:
            self.fields["placing_agency"].initial = agencies[0].pk


class HostInformationForm(GovukForm):
    required_messages = {
        "received_on": "Enter the date the information was received",
        "information": "Enter what the host authority sent",
    }
    received_on = GovukDateField(label="Date the information was received")
    information = forms.CharField(label="What the host authority sent", widget=forms.Textarea,
                                  help_text="A summary, and where the full information is kept.")


class EndPlacementForm(GovukForm):
    required_messages = {
        "ended_on": "Enter the date the placement ended",
        "reason": "Enter why the placement ended",
    }
    ended_on = GovukDateField(label="Date the placement ended")
    reason = forms.CharField(label="Why did it end?", widget=forms.Textarea,
                             help_text="For example, the child came back to live with their family.")
