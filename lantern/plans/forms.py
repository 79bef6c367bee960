"""The forms of the plan pages. They check what a form can (something entered, a real date); the
services check the rest and their errors are shown on the form (lantern.core.views.run_service)."""

from django import forms

from lantern.core.forms import GovukDateField, GovukForm
from lantern.partnership.models import AGENCY_CASE_ROLES, PARTNERSHIP_WIDE_ROLES, Agency, User
from lantern.partnership.selectors import people_in_agencies

from .models import ActionStatus, EndingKind, LinkedPlan, LinkedPlanKind, ServiceKind

DATE_HINT = "For example, 27 3 2026"
WORKING_ROLES = AGENCY_CASE_ROLES | PARTNERSHIP_WIDE_ROLES


class ConfirmForm(GovukForm):
    """No fields: carries a service's refusal to the error summary of a page with a button."""


class _People:
    """Agency and person fields limited to the agencies working with the child, with each person
    named with their agencies. One query for the people."""

    agency_fields: tuple[str, ...] = ()
    person_fields: tuple[str, ...] = ()

    def _limit(self, agency_ids) -> None:
        names: dict[int, list[str]] = {}
        for membership in people_in_agencies(agency_ids):
            if membership.role not in WORKING_ROLES:
                continue  # auditors, board members and administrators do not own work for a child
            names.setdefault(membership.user_id, [])
            if membership.agency.name not in names[membership.user_id]:
                names[membership.user_id].append(membership.agency.name)
        for name in self.agency_fields:
            self.fields[name].queryset = Agency.objects.filter(pk__in=sorted(agency_ids), is_active=True).order_by("name")
        for name in self.person_fields:
            self.fields[name].queryset = User.objects.filter(pk__in=sorted(names), is_active=True).order_by("full_name", "pk")
            self.fields[name].label_from_instance = lambda user: f"{user.full_name} ({', '.join(names.get(user.pk, []))})"


class PlanForm(GovukForm):
    required_messages = {
        "worries": "Enter what the agencies are worried about",
        "aims": "Enter what needs to change for the child",
    }
    version = forms.IntegerField(widget=forms.HiddenInput)
    worries = forms.CharField(label="What we are worried about", widget=forms.Textarea, max_length=20000,
                              help_text="What has happened and what the agencies fear could happen, in plain words.")
    aims = forms.CharField(label="What needs to change", widget=forms.Textarea, max_length=20000,
                           help_text="What will be different for the child when the plan has worked.")
    childs_words = forms.CharField(label="The child's own words", widget=forms.Textarea, max_length=20000, required=False,
                                   help_text="What the child said about their situation and what would help. Write their words, not a summary.")
    family_views = forms.CharField(label="The family's views", widget=forms.Textarea, max_length=20000, required=False)


class ActivateForm(GovukForm):
    required_messages = {"next_review_on": "Enter the date of the next review"}
    version = forms.IntegerField(widget=forms.HiddenInput)
    next_review_on = GovukDateField(label="Date of the next review", help_text=DATE_HINT)


class ActionForm(_People, GovukForm):
    agency_fields = ("agency",)
    person_fields = ("owner",)
    required_messages = {"description": "Enter what needs to be done"}
    description = forms.CharField(label="What needs to be done?", widget=forms.Textarea, max_length=5000)
    agency = forms.ModelChoiceField(label="Agency responsible", queryset=Agency.objects.none(), required=False,
                                    empty_label="Select an agency")
    owner = forms.ModelChoiceField(label="Who owns the action?", queryset=User.objects.none(), required=False,
                                   empty_label="Select a person", help_text="Someone who works for the agency responsible.")
    due_on = GovukDateField(label="Due by", required=False, help_text=DATE_HINT)
    outcome = forms.CharField(label="The outcome it should achieve", widget=forms.Textarea, max_length=5000, required=False,
                              help_text="What will be different for the child when it is done.")
    indicator_ids = forms.MultipleChoiceField(
        label="Which of the child's indicators does it address?", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Seen in the latest screening by each agency. Every indicator should have an action against it.",
    )

    def __init__(self, *args, agency_ids, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit(agency_ids)
        self.fields["indicator_ids"].choices = [(i.indicator_id, i.wording) for i in indicators]
        if not indicators:
            del self.fields["indicator_ids"]

    def action_data(self) -> dict:
        data = self.cleaned_data
        return {
            "description": data["description"], "owner": data.get("owner"), "agency": data.get("agency"), "due_on": data.get("due_on"),
            "outcome": data.get("outcome", ""), "indicator_ids": data.get("indicator_ids", []),
        }


class EditActionForm(ActionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


FINISH_CHOICES = [(s.value, s.label) for s in (ActionStatus.DONE, ActionStatus.HANDED_ON, ActionStatus.NOT_NEEDED)]


class FinishActionForm(GovukForm):
    required_messages = {
        "status": "Select done, handed on or no longer needed",
        "evidence": "Enter the evidence that the action is done, who it was handed on to, or why it is no longer needed",
    }
    status = forms.ChoiceField(label="What happened to the action?", choices=FINISH_CHOICES, widget=forms.RadioSelect)
    evidence = forms.CharField(
        label="Evidence", widget=forms.Textarea, max_length=5000,
        help_text="If it is done, the evidence that it is: for example, the date the child started therapy. If it was handed on, "
        "who to and under which plan. If it is no longer needed, why.",
    )


class ContingencyForm(_People, GovukForm):
    agency_fields = ("agency",)
    person_fields = ("owner",)
    required_messages = {
        "trigger": "Enter what would show the risk is rising, for example a new missing episode",
        "response": "Enter what the agency will do",
        "agency": "Select the agency",
        "owner": "Select who owns it",
    }
    trigger = forms.CharField(label="If this happens", max_length=300, help_text="For example, a new missing episode.")
    response = forms.CharField(label="What the agency will do", widget=forms.Textarea, max_length=5000)
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(), empty_label="Select an agency")
    owner = forms.ModelChoiceField(label="Who owns it?", queryset=User.objects.none(), empty_label="Select a person",
                                   help_text="Someone who works for the agency.")

    def __init__(self, *args, agency_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit(agency_ids)


class CoverForm(_People, GovukForm):
    agency_fields = ("agency",)
    person_fields = ("usual_worker", "cover_worker")
    required_messages = {
        "starts_on": "Enter the first day of the absence",
        "ends_on": "Enter the last day of the absence",
        "usual_worker": "Select the worker who will be away",
        "cover_worker": "Select who will see the child",
        "agency": "Select the agency",
    }
    starts_on = GovukDateField(label="First day of the absence", help_text=DATE_HINT)
    ends_on = GovukDateField(label="Last day of the absence", help_text=DATE_HINT)
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(), empty_label="Select an agency")
    usual_worker = forms.ModelChoiceField(label="Who will be away?", queryset=User.objects.none(), empty_label="Select a person")
    cover_worker = forms.ModelChoiceField(label="Who will see the child?", queryset=User.objects.none(), empty_label="Select a person",
                                          help_text="Someone else who works for the agency.")
    arrangements = forms.CharField(label="How the child will be seen", widget=forms.Textarea, max_length=5000, required=False,
                                   help_text="For example, where and how often, and who the child can call.")

    def __init__(self, *args, agency_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit(agency_ids)


class LinkPlanForm(GovukForm):
    required_messages = {
        "kind": "Select the kind of plan",
        "agency": "Select the agency that owns the plan",
        "owner_name": "Enter who owns the plan",
        "next_review_on": "Enter the date of the plan's next review. Ask its owner if you do not know it",
    }
    kind = forms.ChoiceField(label="What kind of plan is it?", choices=LinkedPlanKind.choices, widget=forms.RadioSelect)
    agency = forms.ModelChoiceField(label="Agency that owns it", queryset=Agency.objects.none(), empty_label="Select an agency")
    owner_name = forms.CharField(label="Who owns it?", max_length=200, help_text="The name and role of the person responsible for the plan.")
    reference = forms.CharField(label="Reference", max_length=100, required=False, help_text="The plan's reference in the agency's own system.")
    next_review_on = GovukDateField(label="Date of its next review",
                                    help_text="This plan is reviewed with it where it can be. For example, 27 3 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True).order_by("name")


class ServiceForm(GovukForm):
    required_messages = {
        "kind": "Select the service",
        "provider": "Enter who provides the service",
        "referred_on": "Enter the date of the referral",
        "agency": "Select the agency that referred",
    }
    kind = forms.ChoiceField(label="Which service?", choices=ServiceKind.choices, widget=forms.RadioSelect)
    provider = forms.CharField(label="Who provides it?", max_length=200, help_text="For example, Testshire CAMHS.")
    referred_on = GovukDateField(label="Date of the referral", help_text=DATE_HINT)
    agency = forms.ModelChoiceField(label="Agency that referred", queryset=Agency.objects.none(), empty_label="Select an agency")

    def __init__(self, *args, agency_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=sorted(agency_ids), is_active=True).order_by("name")


class UpdateServiceForm(GovukForm):
    accepted_on = GovukDateField(label="Date the service accepted the referral", required=False, help_text=DATE_HINT)
    started_on = GovukDateField(label="Date the service started", required=False, help_text="The day the child first took part. For example, 27 3 2026")
    ended_on = GovukDateField(label="Date the service ended", required=False,
                              help_text="If it was declined, did not accept the child, or has finished. For example, 27 3 2026")
    end_reason = forms.CharField(label="What happened?", widget=forms.Textarea, max_length=5000, required=False,
                                 help_text="If it has ended: declined, not accepted, or finished, and why.")


class ReviewForm(GovukForm):
    required_messages = {
        "reviewed_on": "Enter the date of the review",
        "progress": "Enter what has changed since the plan was made or last reviewed",
        "childs_words": "Enter the child's own words. If the child would not take part, say so and why",
        "family_views": "Enter the family's views. If they were not sought, say why",
        "next_review_on": "Enter the date of the next review",
    }
    reviewed_on = GovukDateField(label="Date of the review", help_text=DATE_HINT)
    progress = forms.CharField(label="What has changed?", widget=forms.Textarea, max_length=20000,
                               help_text="Since the plan was made or last reviewed: what is better, what is worse, and what is still worrying.")
    childs_words = forms.CharField(label="The child's own words", widget=forms.Textarea, max_length=20000,
                                   help_text="Write their words, not a summary. If the child would not take part, say so and why.")
    family_views = forms.CharField(label="The family's views", widget=forms.Textarea, max_length=20000,
                                   help_text="If they were not sought, say why.")
    next_review_on = GovukDateField(label="Date of the next review", help_text=DATE_HINT)


class EndForm(GovukForm):
    required_messages = {
        "kind": "Select whether the child steps down to another plan or their record closes",
        "reason": "Enter why",
        "childs_views": "Enter the child's views. If the child would not give them, say so and why",
        "family_views": "Enter the family's views. If they were not sought, say why",
        "rereferral_triggers": "Enter what should bring the child back to the partnership's attention",
    }
    kind = forms.ChoiceField(label="What is happening?", choices=EndingKind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="Why?", widget=forms.Textarea, max_length=20000,
                             help_text="For example, what has changed for the child over the last reviews.")
    actions_note = forms.CharField(
        label="How the remaining actions were completed or handed on", widget=forms.Textarea, max_length=20000, required=False,
        help_text="Every action must be done, handed on or no longer needed first.",
    )
    persons_confirmed = forms.BooleanField(label="I have checked the persons of concern linked to the child's record", required=False)
    persons_seen = forms.CharField(widget=forms.HiddenInput, required=False)  # written by the template: the ids shown
    persons_of_concern = forms.CharField(
        label="Notes on the persons of concern (optional)", widget=forms.Textarea, max_length=20000, required=False,
        help_text="For example, what the police know that is not linked yet, or who was told.",
    )
    childs_views = forms.CharField(label="The child's views", widget=forms.Textarea, max_length=20000)
    family_views = forms.CharField(label="The family's views", widget=forms.Textarea, max_length=20000)
    rereferral_triggers = forms.CharField(label="What should bring the child back?", widget=forms.Textarea, max_length=20000,
                                          help_text="For example, any missing episode, or being seen again with the same adults.")
    continuing_plan = forms.ModelChoiceField(
        label="The plan under which the remaining work continues", queryset=LinkedPlan.objects.none(), required=False,
        empty_label="Select a plan", help_text="One of the plans linked to this one. Link it first if it is not listed.",
    )
    no_further_work = forms.BooleanField(label="No agency continues any work", required=False,
                                         help_text="Only when closing the record and no plan continues.")

    def __init__(self, *args, linked, persons, **kwargs):
        super().__init__(*args, **kwargs)
        if not persons:
            self.fields["persons_confirmed"].label = "No persons of concern are known"
            self.fields["persons_confirmed"].help_text = "If the child is known to be in contact with anyone who may harm them, link them to the child first."
        else:
            self.fields["persons_confirmed"].help_text = "They are listed above. If anyone else is known, link them to the child first."
        field = self.fields["continuing_plan"]
        field.queryset = LinkedPlan.objects.filter(pk__in=[lp.pk for lp in linked]).select_related("agency").order_by("kind", "id")
        field.label_from_instance = lambda lp: f"{lp.get_kind_display()}: {lp.agency.name}, {lp.owner_name}"

    def clean_persons_seen(self) -> list[int]:
        value = self.cleaned_data.get("persons_seen") or ""
        try:
            return [int(part) for part in value.split(",") if part.strip()]
        except ValueError:
            return [-1]  # tampered with: the service asks for the persons to be checked again

    def ending_data(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key) for key in (
            "kind", "reason", "actions_note", "persons_of_concern", "childs_views", "family_views", "rereferral_triggers",
            "continuing_plan", "persons_seen",
        )} | {"no_further_work": bool(data.get("no_further_work")), "persons_confirmed": bool(data.get("persons_confirmed"))}
