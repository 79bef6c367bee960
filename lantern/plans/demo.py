"""Demo plans, written through the services as the agencies would: most children at risk have
an active plan with actions owned by the agencies that work with them, a contingency if they are
at medium or high risk, their statutory plans linked, and services they rely on. A few plans are
still drafts, a few have gaps the quality check finds, a couple of children have no plan yet.
About half the active plans have been reviewed, each review with the child's own words and the
family's views (F39); and up to two children at low risk have stepped down to an early help
plan, with the transition checklist (F41). Deterministic for a given generator.

The reviews and step-downs draw from their own generator, seeded from the shared one's state
without advancing it, so adding them changed nothing the rest of the demo makes."""

import datetime as dt
import random

from django.core.exceptions import ValidationError

from lantern.children.models import Involvement, LegalStatus
from lantern.core.dates import local_today
from lantern.partnership.models import AGENCY_CASE_ROLES, Membership
from lantern.risk.models import EXPLOITATION_KINDS, Level
from lantern.risk.selectors import current_levels

from . import services
from .models import ActionStatus, Ending, EndingKind, LinkedPlanKind, PlanStatus, ServiceKind
from .selectors import indicators_seen

WORRIES = [
    "Seen getting into cars with older males after school; new phone and clothes she cannot explain.",
    "Carrying drugs for older boys; found in another town twice; owes money.",
    "Going missing overnight at weekends; friends with a group known to the police.",
]
AIMS = [
    "She is safe at home at night, back in school full time, and knows who she can talk to.",
    "He is out of the group's reach, in education, and the debt is dealt with safely.",
]
ACTIONS = [
    ("Weekly direct work on healthy relationships and online safety", "She can say what a safe relationship looks like"),
    ("Safety plan for the journey home from school", "She is collected or travels with a trusted adult every day"),
    ("Share intelligence about the cars and the addresses with the neighbourhood team", "Officers act on sightings"),
    ("Refer to the specialist exploitation service", "He has a consistent trusted worker"),
    ("Return to a full timetable over six weeks", "Attendance above 90%"),
    ("Sexual health appointment and advice", "She has the health support she needs"),
]
PROGRESS = [
    "No missing episodes since the last review; attendance is up to 85%.",
    "Two missing episodes this month, both overnight; she has been seen again with the same group.",
    "He has stopped seeing the older boys and has started at the boxing club.",
    "The safety plan is working: she is collected from school every day.",
]
REVIEW_WORDS = [
    "I like my new youth worker. I don't want to go back to how it was.",
    "Everyone keeps asking the same questions. I just want to be left alone.",
    "I'm going to college in September. I want to do mechanics.",
    "I know they're not really my friends now.",
    "She would not take part this time; she said she was too tired after school.",
]
REVIEW_FAMILY = [
    "Mum says things are calmer at home and she knows where he is at night.",
    "Dad is worried she is still in contact with the same people online.",
    "Her foster carer feels listened to and wants the plan to carry on as it is.",
    "Mum was not able to come; the social worker spoke to her by phone the day before.",
]
MAX_STEP_DOWNS = 2
LINKED = {
    LegalStatus.LOOKED_AFTER: LinkedPlanKind.LOOKED_AFTER,
    LegalStatus.CHILD_PROTECTION: LinkedPlanKind.CHILD_PROTECTION,
    LegalStatus.CHILD_IN_NEED: LinkedPlanKind.CHILD_IN_NEED,
    LegalStatus.EARLY_HELP: LinkedPlanKind.EARLY_HELP,
}


def _people(child):
    """(agency, [case workers]) for each agency involved with the child."""
    involved = {i.agency_id: i.agency for i in Involvement.objects.filter(child=child, ended_on__isnull=True).select_related("agency")}
    staff: dict[int, list] = {}
    for m in Membership.objects.filter(agency_id__in=list(involved), role__in=sorted(AGENCY_CASE_ROLES), ended_at__isnull=True).select_related("user"):
        staff.setdefault(m.agency_id, []).append(m.user)
    return [(involved[a], users) for a, users in staff.items() if users]


def add_demo_plan(*, rng: random.Random, child, today: dt.date | None = None, hub_user) -> None:
    today = today or local_today()
    levels = current_levels(child)
    ranks = [Level.rank(d.level) for kind, d in levels.items() if d is not None and kind in EXPLOITATION_KINDS]
    if not ranks or max(ranks) == 0 or child.closed_at is not None:
        return
    if rng.random() < 0.06:
        return  # no plan yet: the worklist shows it (F05)
    people = _people(child)
    if not people:
        return
    lead_agency, lead_staff = people[0]
    author = rng.choice(lead_staff)
    plan = services.start_plan(by=author, child=child)
    plan = services.update_plan(by=author, plan=plan, expected_version=plan.version, worries=rng.choice(WORRIES), aims=rng.choice(AIMS),
                                childs_words=rng.choice(["I just want everyone to stop worrying.", "I like seeing my youth worker.", ""]),
                                family_views=rng.choice(["Mum wants help to keep her safe at night.", "Dad thinks the school is not doing enough.", ""]))
    if child.legal_status in LINKED:
        services.link_plan(by=author, plan=plan, kind=LINKED[child.legal_status], agency=lead_agency, owner_name=author.full_name,
                           next_review_on=today + dt.timedelta(days=rng.randint(10, 80)))
    seen = [i.indicator_id for i in indicators_seen(child)]
    for description, outcome in rng.sample(ACTIONS, k=rng.randint(2, 4)):
        agency, staff = rng.choice(people)
        owner = rng.choice(staff)
        vague = rng.random() < 0.08  # the quality check finds a few (F14)
        services.add_action(
            by=author, plan=plan, description=description, owner=None if vague else owner, agency=agency,
            due_on=None if vague else today + dt.timedelta(days=rng.randint(-10, 40)), outcome="" if vague else outcome,
            indicator_ids=rng.sample(seen, k=min(len(seen), rng.randint(0, 2))),
        )
    if max(ranks) >= Level.rank(Level.MEDIUM) and rng.random() < 0.95:
        agency, staff = rng.choice(people)
        services.add_contingency(by=author, plan=plan, trigger="A new missing episode or a sighting with the group",
                                 response="Tell the social worker and the police the same day; call a strategy discussion",
                                 agency=agency, owner=rng.choice(staff))
    if rng.random() < 0.3:
        services.refer_to_service(by=author, plan=plan, kind=rng.choice([ServiceKind.CAMHS, ServiceKind.EXPLOITATION, ServiceKind.SEXUAL_HEALTH]),
                                  provider=rng.choice(["Brackenford CAMHS", "Safe Futures exploitation service", "Brackenford sexual health clinic"]),
                                  referred_on=today - dt.timedelta(weeks=rng.randint(1, 10)), agency=lead_agency)
    if rng.random() < 0.1:
        return  # still a draft
    plan.refresh_from_db()
    try:
        services.activate_plan(by=author, plan=plan, expected_version=plan.version, next_review_on=services.suggested_review_date(plan))
    except ValidationError:  # no contingency yet for a child at medium or high risk (F16): left a draft
        return
    if rng.random() < 0.25 and len(lead_staff) > 1:
        usual, cover = rng.sample(lead_staff, k=2)
        christmas = dt.date(today.year, 12, 22) if today.month < 12 or today.day < 22 else dt.date(today.year + 1, 12, 22)
        services.add_cover(by=author, plan=plan, starts_on=christmas, ends_on=christmas + dt.timedelta(days=12), usual_worker=usual,
                           cover_worker=cover, agency=lead_agency, arrangements="A home visit on 27 December and a call on 2 January")
    for action in plan.actions.filter(due_on__lt=today).order_by("pk"):
        if rng.random() < 0.6:
            services.finish_action(by=author, action=action, status=ActionStatus.DONE, evidence="Done; recorded on our case system.")
    later = random.Random(hash(rng.getstate()[1]))  # does not advance `rng` (the state's integers hash the same in every run)
    if later.random() < 0.5:
        _review(later, plan=plan, by=author, today=today)
    if max(ranks) == Level.rank(Level.LOW) and later.random() < 0.5:
        _step_down(later, plan=plan, by=author, lead_agency=lead_agency, hub_user=hub_user, today=today)


def _review(rng: random.Random, *, plan, by, today: dt.date) -> None:
    """A review a few weeks ago, with the child's own words and the family's views (F39)."""
    plan.refresh_from_db()
    services.review_plan(by=by, plan=plan, reviewed_on=today - dt.timedelta(days=rng.randint(2, 40)), progress=rng.choice(PROGRESS),
                         childs_words=rng.choice(REVIEW_WORDS), family_views=rng.choice(REVIEW_FAMILY),
                         next_review_on=services.suggested_review_date(plan))


def _step_down(rng: random.Random, *, plan, by, lead_agency, hub_user, today: dt.date) -> None:
    """A child at low risk steps down to an early help plan, with the checklist (F41): the open
    actions are handed on first, and the persons of concern linked to the child checked."""
    if Ending.objects.filter(kind=EndingKind.STEP_DOWN).count() >= MAX_STEP_DOWNS:
        return
    plan.refresh_from_db()
    if plan.status != PlanStatus.ACTIVE:
        return
    for action in plan.actions.filter(status=ActionStatus.OPEN).order_by("pk"):
        services.finish_action(by=by, action=action, status=ActionStatus.HANDED_ON, evidence="Handed on to the early help worker, under the early help plan.")
    early_help = services.link_plan(by=by, plan=plan, kind=LinkedPlanKind.EARLY_HELP, agency=lead_agency, owner_name=f"{by.full_name} (early help lead)",
                                    next_review_on=today + dt.timedelta(days=rng.randint(20, 60)))
    persons = services.linked_persons_of_concern(hub_user, plan.child)
    services.end_plan(
        by=hub_user, child=plan.child, kind=EndingKind.STEP_DOWN, continuing_plan=early_help,
        reason="No missing episodes or sightings with the group for three months; the risk is low and the family is engaging with early help.",
        actions_note="The remaining actions were handed on to the early help worker.",
        persons_confirmed=True, persons_seen=[row.node.pk for row in persons],
        childs_views=rng.choice(["I'm glad there will be fewer meetings. I'll still see my youth worker.", "I don't need all these people now."]),
        family_views=rng.choice(["Mum agrees and knows who to call if things change.", "Her carer agrees, and wants the early help worker to stay."]),
        rereferral_triggers="Any missing episode, being seen again with the same adults, or new gifts and a second phone.",
    )
