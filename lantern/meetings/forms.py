from django import forms

from lantern.core.forms import GovukDateField, GovukForm
from lantern.core.forms import MomentMixin, time_field
from lantern.partnership.models import Agency, PARTNERSHIP_WIDE_ROLES, User
from lantern.partnership.selectors import people_in_agencies, people_with_roles
from lantern.risk.forms import DecideLevelForm

from .models import DEFAULT_CONFIDENTIALITY, ActionStatus, Attendance, ItemReason, MeetingKind, Pathway


def _chair_field(form) -> None:
    field = form.fields["chair"]
    field.queryset = people_with_roles(PARTNERSHIP_WIDE_ROLES)
    field.empty_label = "Select who chairs"
    field.label_from_instance = lambda user: user.full_name


class MeetingForm(MomentMixin, GovukForm):
    moments = ("starts_at",)
    required_messages = {
        "kind": "Select the type of meeting",
        "title": "Enter a title for the meeting",
        "chair": "Select who chairs the meeting",
        "starts_at_date": "Enter the date of the meeting",
        "starts_at_time": "Enter the time the meeting starts",
    }
    kind = forms.ChoiceField(label="Type of meeting", choices=MeetingKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label="Title", max_length=200, help_text="For example, Brackenford exploitation meeting")
    chair = forms.ModelChoiceField(label="Chair", queryset=User.objects.none(),
                                   help_text="A meeting chair or a member of the exploitation hub.")
    starts_at_date = GovukDateField(label="Date of the meeting", help_text="For example, 27 3 2026")
    starts_at_time = time_field("Time the meeting starts")
    venue = forms.CharField(label="Venue", max_length=300, required=False, help_text="Where the meeting is held.")
    call_link = forms.URLField(label="Link to the call", max_length=500, required=False, assume_scheme="https",
                               help_text="If people join online. Enter the full link, starting https://")
    confidentiality = forms.CharField(
        label="Confidentiality statement", widget=forms.Textarea, initial=DEFAULT_CONFIDENTIALITY,
        help_text="Read out at the start of the meeting and printed on the minutes.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _chair_field(self)
        self.fields["call_link"].error_messages["invalid"] = "Enter a link in the right format, like https://meet.example.org/abc"

    def meeting_data(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"], "title": data["title"], "chair": data["chair"], "starts_at": data["starts_at"],
            "venue": data.get("venue", ""), "call_link": data.get("call_link", ""), "confidentiality": data.get("confidentiality", ""),
        }


class SeriesForm(MomentMixin, GovukForm):
    moments = ("first_starts_at",)
    required_messages = {
        "kind": "Select the type of meeting",
        "name": "Enter a name for the series",
        "chair": "Select who chairs the meetings",
        "interval_weeks": "Enter how many weeks apart the meetings are",
        "first_starts_at_date": "Enter the date of the first meeting",
        "first_starts_at_time": "Enter the time the meetings start",
    }
    kind = forms.ChoiceField(label="Type of meeting", choices=MeetingKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label="Name of the series", max_length=200, help_text="Each meeting takes this as its title.")
    chair = forms.ModelChoiceField(label="Chair", queryset=User.objects.none(),
                                   help_text="A meeting chair or a member of the exploitation hub.")
    interval_weeks = forms.IntegerField(
        label="How many weeks apart are the meetings?", min_value=1, max_value=26,
        help_text="For example, 4. The next meeting is arranged when each one closes.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    first_starts_at_date = GovukDateField(label="Date of the first meeting", help_text="For example, 27 3 2026")
    first_starts_at_time = time_field("Time the meetings start")
    venue = forms.CharField(label="Venue", max_length=300, required=False, help_text="Where the meetings are held.")
    call_link = forms.URLField(label="Link to the call", max_length=500, required=False, assume_scheme="https",
                               help_text="If people join online. Enter the full link, starting https://")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _chair_field(self)
        self.fields["call_link"].error_messages["invalid"] = "Enter a link in the right format, like https://meet.example.org/abc"
        for key in ("min_value", "max_value", "invalid"):
            self.fields["interval_weeks"].error_messages[key] = "Enter how many weeks apart the meetings are, from 1 to 26"

    def series_data(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"], "name": data["name"], "chair": data["chair"], "interval_weeks": data["interval_weeks"],
            "first_starts_at": data["first_starts_at"], "venue": data.get("venue", ""), "call_link": data.get("call_link", ""),
        }


class CancelForm(GovukForm):
    required_messages = {"reason": "Enter why the meeting is cancelled"}
    reason = forms.CharField(label="Why is the meeting cancelled?", widget=forms.Textarea, max_length=5000,
                             help_text="Every agency told of the meeting will be told it is cancelled, and why.")


class ConfirmForm(GovukForm):
    """No fields: carries a service's refusal to the error summary of a page with a button."""


class AddChildForm(GovukForm):
    detail = forms.CharField(
        label="Why are you adding the child?", max_length=300, required=False,
        help_text="Shown on the agenda beside the child's name.",
    )


class TopicForm(GovukForm):
    required_messages = {
        "reason": "Select whether the item is about a person or a location",
        "topic": "Enter who or what the item is about",
    }
    reason = forms.ChoiceField(
        label="What is the item about?", widget=forms.RadioSelect,
        choices=[(ItemReason.PERSON, "A person of concern"), (ItemReason.LOCATION, "A location")],
    )
    topic = forms.CharField(
        label="Who or what is it about?", max_length=300,
        help_text="For example, a name or nickname, a vehicle, an address or a venue. Everyone invited will see it.",
    )


class RecordItemForm(GovukForm):
    """Choose a person of concern, place, vehicle or business found by name for the agenda."""

    required_messages = {"record": "Select the person or place to discuss"}
    q = forms.CharField(label="Name", required=False, max_length=200, widget=forms.HiddenInput)
    record = forms.ChoiceField(label="Which record?", widget=forms.RadioSelect, choices=())
    detail = forms.CharField(
        label="Why is it on the agenda?", max_length=300, required=False,
        help_text="Shown on the agenda beside the name: for example, linked to two more children since the last meeting.",
    )

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [(str(n.pk), f"{n.label} ({n.get_kind_display().lower()})") for n in results]


class RemoveForm(GovukForm):
    required_messages = {"reason": "Enter why the item is taken off the agenda"}
    reason = forms.CharField(label="Why is the item taken off the agenda?", widget=forms.Textarea, max_length=5000,
                             help_text="The item is kept on the record with this reason.")


class InviteForm(GovukForm):
    required_messages = {"agency": "Select the agency to invite", "reason": "Enter why the agency is invited"}
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(), empty_label="Select an agency")
    reason = forms.CharField(label="Why is the agency invited?", max_length=300,
                             help_text="For example, the licensing team knows the venues discussed.")

    def __init__(self, *args, exclude_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True).exclude(pk__in=sorted(exclude_ids)).order_by("name")


class AttendanceForm(GovukForm):
    required_messages = {"attendance": "Select whether the agency attended, sent apologies or did not attend"}
    attendance = forms.ChoiceField(
        label="Attendance", widget=forms.RadioSelect,
        choices=[(value, label) for value, label in Attendance.choices if value],
    )
    attendees = forms.CharField(label="Who attended?", max_length=500, required=False,
                                help_text="Names and roles, if the agency attended.")


class InformationForm(GovukForm):
    required_messages = {"information": "Enter the information your agency wants the meeting to have"}
    agency = forms.ModelChoiceField(label="The agency you are sending it for", queryset=Agency.objects.none(), empty_label="Select an agency")
    information = forms.CharField(
        label="What should the meeting know?", widget=forms.Textarea, max_length=20000,
        help_text="What your agency knows about the children on the agenda it works with: what has happened since "
        "the last meeting, worries, and what your agency is doing. The chair will read it out.",
    )

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        if len(invitations) <= 1:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = Agency.objects.filter(pk__in=[i.agency_id for i in invitations]).order_by("name")


class DiscussionForm(GovukForm):
    discussion = forms.CharField(
        label="Discussion notes", widget=forms.Textarea, required=False, max_length=50000,
        help_text="What each agency said and what the meeting thought. Goes into the full minutes.",
    )


class PathwayForm(GovukForm):
    required_messages = {"pathway": "Select where the child's case goes from this meeting"}
    pathway = forms.ChoiceField(label="Where does the case go next?", choices=Pathway.choices, widget=forms.RadioSelect)


class MeetingDecisionForm(DecideLevelForm):
    """The risk app's decision form, less "who made this decision": at a meeting, the meeting did."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["source"]


class ActionForm(GovukForm):
    required_messages = {
        "description": "Enter what needs to be done",
        "agency": "Select the agency responsible for the action",
        "owner": "Select who owns the action",
        "due_on": "Enter the date the action is due",
        "outcome": "Enter the outcome the action should achieve for the child",
    }
    description = forms.CharField(label="What needs to be done?", widget=forms.Textarea, max_length=5000)
    agency = forms.ModelChoiceField(label="Agency responsible", queryset=Agency.objects.none(), empty_label="Select an agency")
    owner = forms.ModelChoiceField(label="Who owns the action?", queryset=User.objects.none(), empty_label="Select a person",
                                   help_text="Someone who works for the agency responsible.")
    due_on = GovukDateField(label="Due by", help_text="For example, 27 3 2026")
    outcome = forms.CharField(label="The outcome it should achieve", widget=forms.Textarea, max_length=5000,
                              help_text="What will be different for the child when it is done.")

    def __init__(self, *args, agency_ids, **kwargs):
        super().__init__(*args, **kwargs)
        members = list(people_in_agencies(agency_ids))
        agencies = {}
        names: dict[int, list[str]] = {}
        for membership in members:
            agencies[membership.agency_id] = membership.agency
            names.setdefault(membership.user_id, [])
            if membership.agency.name not in names[membership.user_id]:
                names[membership.user_id].append(membership.agency.name)
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=sorted(agency_ids), is_active=True).order_by("name")
        self.fields["owner"].queryset = User.objects.filter(pk__in=sorted(names), is_active=True).order_by("full_name", "pk")
        self.fields["owner"].label_from_instance = lambda user: f"{user.full_name} ({', '.join(names.get(user.pk, []))})"

    def action_data(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key) for key in ("description", "agency", "owner", "due_on", "outcome")}


class CloseItemForm(GovukForm):
    no_actions_reason = forms.CharField(
        label="Why are there no actions?", widget=forms.Textarea, required=False, max_length=5000,
        help_text="Every item needs at least one action, or a reason for none. For example, the child protection plan covers it.",
    )

    def __init__(self, *args, has_actions: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if has_actions:
            del self.fields["no_actions_reason"]


MARK_CHOICES = [(s.value, s.label) for s in (ActionStatus.DONE, ActionStatus.NOT_POSSIBLE, ActionStatus.NOT_DONE)]


class MarkActionForm(GovukForm):
    required_messages = {"status": "Select done, not possible or not done", "note": "Say what happened"}
    status = forms.ChoiceField(label="What happened to the action?", choices=MARK_CHOICES, widget=forms.RadioSelect)
    note = forms.CharField(label="What was done, or why not", widget=forms.Textarea, max_length=5000,
                           help_text="If it was done, the evidence that it is complete.")
    item = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, owner_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if owner_only:
            # Between meetings the owner marks their action done; anything else goes to the next meeting.
            self.fields["status"].choices = [MARK_CHOICES[0]]
            self.fields["status"].initial = ActionStatus.DONE
            self.fields["status"].widget = forms.HiddenInput()
            self.fields["note"].label = "What was done?"
            self.fields["note"].help_text = "The evidence that the action is complete."
            self.fields["note"].error_messages["required"] = "Say what was done: the evidence that the action is complete"
