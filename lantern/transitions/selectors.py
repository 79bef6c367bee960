"""Every read of transition plans and placements out of area that leaves the app, scoped by who
is asking. A record is visible to whoever may see its child; everyone else is told it is not found."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from lantern.children.models import AccessPurpose, Child, Involvement
from lantern.children.selectors import access_child, access_child_record, children_visible_to
from lantern.core.dates import age_on, local_today
from lantern.partnership.models import Agency, AgencyType, Membership, Role

from .models import (
    LISTED_FROM_AGE,
    PLANNING_FROM_AGE,
    OutOfAreaPlacement,
    PlanStatus,
    TransitionPlan,
    birthday,
    born_on_or_before_for_age,
    born_on_or_before_for_default_due_before,
    default_due_on,
)
from .rules import can_record_placement, can_record_transition_plan

# Who may be named as responsible for a plan: practitioners, managers and the hub.
OWNER_ROLES = (Role.PRACTITIONER, Role.MANAGER, Role.HUB)


# --- Reading one child's records ---------------------------------------------------------------


def transitions_child_for(user, child_id, *, path: str = "") -> Child:
    return access_child(user, child_id, purpose=AccessPurpose.PAGE, path=path)


def access_placement(user, placement_id, *, path: str = "") -> OutOfAreaPlacement:
    return access_child_record(user, OutOfAreaPlacement.objects.select_related("placing_agency"), placement_id, path=path)


def may_record_plan(user, child: Child) -> bool:
    return child.user_may_edit if hasattr(child, "user_may_edit") else bool(can_record_transition_plan(user, child))


def may_record_placement(user, child: Child) -> bool:
    """At most one query: none for the hub, or for someone who may not edit the child at all."""
    if hasattr(child, "user_may_edit") and not child.user_may_edit:
        return False
    return bool(can_record_placement(user, child))


def placing_agencies_for(user, child: Child) -> QuerySet[Agency]:
    """The agencies `user` may record a placement for: for the hub, every active children's
    social care agency of the partnership; for others, their own social care agencies (as
    practitioner or manager) actively involved with the child."""
    if not user.is_authenticated:
        return Agency.objects.none()
    qs = Agency.objects.filter(is_active=True, agency_type=AgencyType.SOCIAL_CARE).order_by("name")
    if user.access.is_hub:
        return qs
    involved = Exists(Involvement.objects.filter(child=child, agency=OuterRef("pk"), ended_on__isnull=True))
    return qs.filter(involved, pk__in=sorted(user.access.case_agency_ids))


def possible_owners(child: Child) -> QuerySet[Membership]:
    """Who may be named responsible for the child's transition plan: active practitioners,
    managers and hub members of the agencies actively involved with the child (so they can see
    the plan they own), with their agency, by agency then name. One query."""
    involved = Involvement.objects.filter(child=child, ended_on__isnull=True).values("agency_id")
    return (
        Membership.objects.filter(
            agency_id__in=involved, role__in=OWNER_ROLES, ended_at__isnull=True, agency__is_active=True, user__is_active=True,
        )
        .select_related("user", "agency").order_by("agency__name", "user__full_name", "user_id")
    )


def too_young_for_plan(child: Child, today: dt.date | None = None) -> bool:
    return age_on(child.date_of_birth, today or local_today()) < PLANNING_FROM_AGE


def plan_for(child: Child) -> TransitionPlan | None:
    """The young person's transition plan, if one is recorded, with who is responsible for it."""
    return TransitionPlan.objects.filter(child=child).select_related("owner", "owner_agency").first()


def _dates(child: Child, today: dt.date) -> dict:
    dob = child.date_of_birth
    return {
        "age": age_on(dob, today), "turns_16": birthday(dob, PLANNING_FROM_AGE), "eighteenth": birthday(dob, 18),
        "default_due": default_due_on(dob), "today": today,
    }


def transition_section(user, child: Child) -> dict:
    """The child page's "Transition to adulthood" section: for a young person of 16 or over, the
    plan (or that there is none) and whether it is overdue; for a younger child, when planning
    starts. One query from 16, none before."""
    today = local_today()
    context = _dates(child, today)
    context["too_young"] = context["age"] < PLANNING_FROM_AGE
    plan = None if context["too_young"] else plan_for(child)
    context["plan"] = plan
    context["due_on"] = plan.due_on if plan else context["default_due"]
    context["overdue"] = not context["too_young"] and (plan.is_overdue(today) if plan else context["default_due"] < today)
    context["can_record"] = not context["too_young"] and may_record_plan(user, child)
    return context


SECTION_PLACEMENTS = 4


def _placements_current_first(child: Child):
    return OutOfAreaPlacement.objects.filter(child=child).order_by(F("ended_on").desc(nulls_first=True), "-started_on", "-id")


def placement_section(user, child: Child) -> dict:
    """The child page's "Placement out of area" section: the current placement (shown first and
    prominently) and the latest earlier ones. Two queries at most, whatever the number."""
    placements = list(_placements_current_first(child).select_related("placing_agency")[:SECTION_PLACEMENTS])
    current = placements[0] if placements and placements[0].ended_on is None else None
    return {
        "current": current,
        "earlier": [p for p in placements if p is not current],
        "can_record": may_record_placement(user, child),
        "today": local_today(),
    }


@dataclass
class TransitionsRecord:
    child: Child
    plan: TransitionPlan | None
    plan_versions: list
    placements: list
    can_record_plan: bool
    can_record_placement: bool
    age: int
    turns_16: dt.date
    eighteenth: dt.date
    default_due: dt.date
    today: dt.date

    @property
    def too_young(self) -> bool:
        return self.age < PLANNING_FROM_AGE

    @property
    def due_on(self) -> dt.date:
        return self.plan.due_on if self.plan else self.default_due

    @property
    def overdue(self) -> bool:
        if self.too_young:
            return False
        return self.plan.is_overdue(self.today) if self.plan else self.default_due < self.today

    @property
    def current_placement(self) -> OutOfAreaPlacement | None:
        return next((p for p in self.placements if p.ended_on is None), None)


def transitions_record(user, child: Child) -> TransitionsRecord:
    """Everything recorded about the child's transition to adulthood and placements out of
    area, with every saved version of the plan. Four queries, whatever the size of the record."""
    plan = TransitionPlan.objects.filter(child=child).select_related("owner", "owner_agency", "recorded_by", "updated_by").first()
    versions = list(
        TransitionPlan.history.filter(child_id=child.pk).select_related("history_user", "owner", "owner_agency")
        .order_by("-history_date", "-history_id")
    )
    placements = list(
        _placements_current_first(child).select_related("placing_agency", "recorded_by", "information_recorded_by", "ended_by")
    )
    return TransitionsRecord(
        child=child, plan=plan, plan_versions=versions, placements=placements,
        can_record_plan=may_record_plan(user, child), can_record_placement=may_record_placement(user, child),
        **_dates(child, local_today()),
    )


# --- Young people turning 18 ----------------------------------------------------------------

FILTERS = {"no-plan": "No plan yet", "overdue": "Overdue"}


def plan_overdue(today: dt.date) -> Q:
    """Children (a Child filter) whose transition plan is not agreed and past its due date; with
    no plan recorded, past the default due date, 6 months before their 18th birthday."""
    return Q(transition_plan__isnull=True, date_of_birth__lte=born_on_or_before_for_default_due_before(today)) | Q(
        transition_plan__status__in=[PlanStatus.NOT_STARTED, PlanStatus.IN_PROGRESS], transition_plan__due_on__lt=today
    )


@dataclass
class YoungPerson:
    child: Child
    age: int
    eighteenth: dt.date
    plan: TransitionPlan | None
    due_on: dt.date
    overdue: bool


def young_people(user, *, show: str = "", page_number: int = 1, today: dt.date | None = None):
    """The young people aged 17 or over whose record is open, among those `user` may see, by
    18th birthday (soonest first), with their plan, its due date and whether it is overdue.
    `show`: "no-plan" (nothing recorded, or not started) or "overdue". Two queries whatever the
    number: a count and one page."""
    today = today or local_today()
    qs = children_visible_to(user).filter(
        closed_at__isnull=True, date_of_birth__lte=born_on_or_before_for_age(today, LISTED_FROM_AGE)
    )
    if show == "no-plan":
        qs = qs.filter(Q(transition_plan__isnull=True) | Q(transition_plan__status=PlanStatus.NOT_STARTED))
    elif show == "overdue":
        qs = qs.filter(plan_overdue(today))
    qs = qs.select_related("transition_plan__owner", "transition_plan__owner_agency").order_by(
        "date_of_birth", "legal_last_name", "legal_first_name", "id"
    )
    page = Paginator(qs, settings.LANTERN_PAGE_SIZE).get_page(page_number)
    rows = []
    for child in page.object_list:
        plan = getattr(child, "transition_plan", None)
        due_on = plan.due_on if plan else default_due_on(child.date_of_birth)
        rows.append(YoungPerson(
            child=child, age=age_on(child.date_of_birth, today), eighteenth=birthday(child.date_of_birth, 18), plan=plan,
            due_on=due_on, overdue=plan.is_overdue(today) if plan else due_on < today,
        ))
    page.object_list = rows
    return page
