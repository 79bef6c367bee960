"""Demo referrals for the fictional partnership, written through the services as users would.
Called by the demo generator for each child; deterministic for a given random generator."""

import datetime as dt
import random

from django.utils import timezone

from lantern.core.dates import LONDON, local_today
from lantern.partnership.models import User

from . import services
from .models import CHECK_AGENCY_TYPES, CheckType, Outcome, Urgency
from .selectors import expected_checks

# (theme, indicator domains to draw from, concerns, the child's words)
THEMES = [
    (
        "criminal",
        ["criminal_exploitation", "missing", "vulnerability"],
        [
            "Found in another town twice this month with no explanation. Has a second phone that rings constantly and new trainers and a jacket the family cannot account for.",
            "Stopped by police with a large amount of cash and a small quantity of cannabis. Attendance has dropped sharply and they are seen with older young people after school.",
            "Mum reports unknown cars dropping them home late at night and says the family has been threatened over a debt.",
        ],
        ["I'm just helping a mate out.", "If I stop they'll come for my mum.", "I owe them, it's fine, I'll sort it.", ""],
    ),
    (
        "sexual",
        ["sexual_exploitation", "vulnerability", "missing"],
        [
            "Seen getting into cars with older males outside school on several occasions. Has been given alcohol and a new phone, and is reluctant to say where she goes.",
            "Disclosed a 'boyfriend' in his twenties who collects her from the children's home; she has returned late and distressed twice this week.",
            "Staff overheard talk of parties at a flat in town where older men are present. She has had repeated sexual health appointments.",
        ],
        ["He's my boyfriend, he looks after me.", "They're my friends, they don't make me do anything.", "I don't want to talk about it.", ""],
    ),
    (
        "online",
        ["online", "vulnerability", "emotional_health"],
        [
            "Told a teacher an adult they met online has asked for images and is now threatening to share them.",
            "Parent found messages from an unknown adult offering money for photos. The child has become withdrawn and is self-harming.",
        ],
        ["I only sent one, and now he won't stop.", "Please don't tell my dad.", ""],
    ),
    (
        "missing",
        ["missing", "vulnerability", "sexual_exploitation", "criminal_exploitation"],
        [
            "Reported missing three times in the last month, each time returning the next day with no account of where they were.",
            "Stays out overnight without explanation and was found in the early hours in a known hotspot with older young people.",
        ],
        ["I was at a mate's.", "Nobody cares where I am anyway.", ""],
    ),
]

ACTIONS = [
    "Spoke to the parent and agreed a safety plan with the child.",
    "Discussed with the designated safeguarding lead; called the police non-emergency line.",
    "Shared the concern with the allocated social worker and recorded it on our system.",
    "Completed a missing-from-home return conversation; informed the police.",
    "Made a referral to the children's services front door as well.",
]
NO_CONSENT_REASONS = [
    "Asking the family could put the child at greater risk.",
    "The person of concern may be in the household.",
    "The child is at immediate risk and there was no time to ask.",
]
OUTCOME_WEIGHTS = [
    (Outcome.SCREENING, 34), (Outcome.EXPLOITATION_MEETING, 16), (Outcome.STRATEGY_DISCUSSION, 10),
    (Outcome.EARLY_HELP, 15), (Outcome.NO_FURTHER_ACTION, 20), (Outcome.OTHER, 5),
]
OUTCOME_REASONS = {
    Outcome.SCREENING: ["Indicators of exploitation present; screening to be completed with the involved agencies."],
    Outcome.EXPLOITATION_MEETING: ["Medium risk indicated; to be discussed at the next exploitation risk meeting."],
    Outcome.STRATEGY_DISCUSSION: ["Reasonable cause to suspect significant harm: strategy discussion convened under section 47."],
    Outcome.EARLY_HELP: ["Needs can be met with family support; referred to early help with the school leading."],
    Outcome.NO_FURTHER_ACTION: ["Already known and an exploitation plan is in place; information added to the record.",
                                "No exploitation indicators once checks were made; the referrer's agency continues support."],
    Outcome.OTHER: ["Passed to the youth justice service's prevention team, who already work with the child."],
}
RESULT_NOTES = {
    CheckType.PNC: ["Nothing known", "Two missing reports; one arrest for possession", "Named as associate of a nominal of interest"],
    CheckType.POLICE_LOCAL: ["Nothing known", "Intelligence report links the child to a local drug line", "Information shared with the hub"],
    CheckType.SOCIAL_CARE: ["Open child in need case", "Closed early help case last year", "Nothing known"],
    CheckType.HEALTH: ["Information shared", "Recent sexual health attendance", "Nothing known"],
    CheckType.EDUCATION: ["Attendance 62%; two fixed-term exclusions", "Attendance good; recent change in behaviour", "Information shared"],
    CheckType.YOUTH_JUSTICE: ["Current out-of-court disposal", "Nothing known"],
}


def _received_at(rng: random.Random, day: dt.date, now: dt.datetime) -> dt.datetime:
    at = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.choice([0, 10, 20, 30, 40, 50])), tzinfo=LONDON)
    return min(at, now - dt.timedelta(minutes=30))


def add_demo_referrals(
    *, rng: random.Random, child, today: dt.date, staff_by_agency: dict[str, list[User]], hub_user
) -> None:
    """Give a demo child 0–2 referrals by the agencies involved with them, with statutory checks
    (some missing) and the hub's outcomes (most decided; a few, recent or overlooked, awaiting)."""
    from lantern.risk.catalogue import current_catalogue

    involvements = [
        inv for inv in child.involvements.select_related("agency").order_by("started_on", "pk")
        if inv.ended_on is None and staff_by_agency.get(inv.agency.name)
    ]
    count = rng.choices([0, 1, 2], weights=[40, 45, 15])[0]
    if not involvements or not count:
        return
    now = timezone.now()
    today = min(today, local_today())
    catalogue = current_catalogue()
    kinds = {d.id: d.kind for d in catalogue.domains}
    days = sorted(
        today - dt.timedelta(days=rng.randint(0, max(0, (today - inv.started_on).days)))
        for inv in (rng.choice(involvements) for _ in range(count))
    )
    for day in days:
        inv = rng.choice([i for i in involvements if i.started_on <= day] or involvements)
        referrer = rng.choice(staff_by_agency[inv.agency.name])
        theme, domains, concerns, words = rng.choice(THEMES)
        pool = [i.id for i in catalogue.indicators.values() if i.domain in domains and kinds.get(i.domain) == "risk"]
        consent = rng.random() < 0.8
        referral = services.refer_child(
            by=referrer, child=child, agency=inv.agency,
            received_at=_received_at(rng, max(day, child.date_of_birth), now),
            concern=rng.choice(concerns), indicator_ids=rng.sample(pool, k=min(len(pool), rng.randint(1, 5))),
            childs_words=rng.choice(words), action_taken=rng.choice(ACTIONS), consent_sought=consent,
            consent_not_sought_reason="" if consent else rng.choice(NO_CONSENT_REASONS),
            urgency=rng.choices(["", Urgency.ROUTINE, Urgency.URGENT, Urgency.IMMEDIATE], weights=[10, 55, 30, 5])[0],
        )
        _add_checks(rng, referral=referral, involvements=involvements, staff_by_agency=staff_by_agency, hub_user=hub_user, today=today)
        if referral.outcome_due_on >= today or rng.random() < 0.08:
            continue  # not yet due, or overlooked: awaiting an outcome
        delay = dt.timedelta(hours=rng.choice([1, 2, 3, 4, 6, 20, 24, 26, 30, 50, 75]))
        decided_at = min(referral.received_at + delay, now - dt.timedelta(minutes=1))
        outcome = rng.choices([o for o, _ in OUTCOME_WEIGHTS], weights=[w for _, w in OUTCOME_WEIGHTS])[0]
        services.record_outcome(
            by=hub_user, referral=referral, outcome=outcome, reason=rng.choice(OUTCOME_REASONS[outcome]), decided_at=decided_at
        )


def _add_checks(rng, *, referral, involvements, staff_by_agency, hub_user, today) -> None:
    """Each expected check is made by an involved agency of the right kind, most of the time; the
    social care records check falls to the hub when social care is not involved."""
    received_on = referral.received_at.astimezone(LONDON).date()
    for expected in expected_checks(checks=[], involvements=involvements):
        if rng.random() > 0.7:
            continue  # missing, as F01 found
        makers = [inv.agency for inv in involvements if inv.agency.agency_type in CHECK_AGENCY_TYPES[expected.check_type]]
        if makers:
            agency = rng.choice(makers)
            by = rng.choice(staff_by_agency[agency.name])
        elif expected.check_type == CheckType.SOCIAL_CARE and hub_user is not None:
            agency, by = None, hub_user
        else:
            continue  # the agency that would check is not involved, so cannot see the child
        checked_on = min(received_on + dt.timedelta(days=rng.randint(0, 3)), today)
        services.record_check(
            by=by, referral=referral, check_type=expected.check_type, agency=agency,
            result_note=rng.choice(RESULT_NOTES[expected.check_type]), checked_on=checked_on,
        )

