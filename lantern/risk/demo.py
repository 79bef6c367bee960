"""Demo screenings and risk levels for the fictional partnership, written through the services.

`add_demo_risk` is called by the demo generator for each child. Deterministic for a given
random generator and date. Every word is invented.
"""

import datetime as dt
import random

from django.utils import timezone

from lantern.children.models import Child
from lantern.core.dates import age_on

from . import services
from .catalogue import current_catalogue
from .conf import add_months
from .models import DecisionSource, Level, RiskKind, When
from .scoring import highest

EVIDENCE = {
    "vulnerability": [
        "Known to children's social care since primary school.", "Mum says there are rows at home most nights.",
        "Moved placement twice this year.", "Says they have no one to talk to at home.", "Few friends of their own age in school.",
    ],
    "sexual_exploitation": [
        "Seen by staff getting into a silver car outside school with an adult man.", "Talks about a 'boyfriend' aged 24 who buys them things.",
        "Returned home at 2am smelling of alcohol, would not say where they had been.", "Mentioned parties at a flat above a takeaway.",
        "Seen at the bus station late at night with much older adults.",
    ],
    "criminal_exploitation": [
        "Found by police in a town 40 miles away with no explanation.", "Carrying two phones; one rings constantly in lessons.",
        "Found with £300 in cash and cannot say where it came from.", "Says they owe money to 'some lads' and are scared.",
        "Arrested with older youths for possession with intent to supply.",
    ],
    "online": [
        "Asked by an adult on a gaming site to send pictures.", "Phone shows contact with unknown adults late at night.",
        "A peer says images of them are being shared in a group chat.",
    ],
    "missing": ["Reported missing three times this month.", "Stays out overnight and will not say where.", "Missed the last four appointments."],
    "hbv": ["Cousin says the family are planning a marriage abroad this summer.", "Frightened of what the family will do if they find out about their friends."],
    "trafficking": ["Arrived in the area recently, moved by adults who are not family.", "Says they cannot leave the house where they are staying."],
    "emotional_health": [
        "Fresh cuts seen on their arms during PE.", "Told the school nurse they think about ending their life.", "Very low mood, not sleeping.",
        "Drinking most weekends, sometimes alone.", "Uses cannabis daily.",
    ],
    "harmful_sexual_behaviour": ["A younger child has said they were touched by this child.", "Pressured a peer to send images."],
}
VIEWS = [
    "\"I'm fine, everyone is overreacting.\"", "\"He's my boyfriend, he looks after me.\"", "\"I just want to be left alone.\"",
    "\"I don't want to get anyone in trouble.\"", "\"I like talking to you, you don't judge me.\"", "\"The lads are my mates, it's nothing.\"",
    "\"I want to go back to living with my nan.\"",
]
ANALYSIS = {
    "none": ["Several vulnerabilities but no current signs of exploitation. Keep under review through school.",
             "Protective factors are strong: a trusted adult and regular school attendance."],
    "low": ["Some early signs, mostly in the past. Keep in touch with the family and review in a month.",
            "Vulnerable to exploitation; no evidence it is happening now. Youth work offered."],
    "medium": ["The pattern of going missing and the older associates suggest grooming. A safety plan is needed.",
               "Concerns are growing: new associates and unexplained money. Share with the hub."],
    "high": ["Escalating concerns over the last month; links with adults of concern known to police. Disruption needed now.",
             "Clear signs of exploitation now. Needs a strategy discussion."],
}
STRENGTH_NOTES = ["", "", "Enjoys football and goes to training every week.", "Good relationship with their form tutor."]
REASONS = {
    DecisionSource.HUB: ["Agreed at the hub after reviewing all agency screenings and police intelligence.",
                         "Hub review after recent missing episodes and new intelligence."],
    DecisionSource.MEETING: ["Exploitation meeting agreed the level on the evidence of the screenings and partners' updates.",
                             "Reviewed at the exploitation meeting: concerns persist, plan continues."],
}
DEPARTURES = {
    "up": ["Police intelligence links the child to adults of concern; the screenings do not show this yet.",
           "The disclosure was withdrawn but partners agree the concern remains."],
    "down": ["Risk has reduced since the move to their grandmother's: engaging and no longer going missing.",
             "Several indicators are historical; the current picture is more settled."],
}


def _ids(catalogue, domain: str) -> list[str]:
    return [i.id for d, items in catalogue.by_domain() if d.id == domain for i in items]


def _moment(rng: random.Random, today: dt.date, days_ago: int) -> dt.datetime:
    """A working-hours time `days_ago` days before `today`, never in the future."""
    day = today - dt.timedelta(days=days_ago)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(9, 17), rng.choice([0, 15, 30, 45]))))
    return min(moment, timezone.now() - dt.timedelta(minutes=30))


def _indicators(rng: random.Random, catalogue, *, level: str, theme: str, age: int) -> list[tuple[str, str, str]]:
    """Signs a worker might see in a child at roughly `level` of risk, mostly of the `theme`."""
    chosen: dict[str, str] = {}

    def allowed(ident: str) -> bool:
        indicator = catalogue.indicator(ident)
        return ident not in chosen and not indicator.disclosure and (ident != "SEX-05" or age < 13)

    def pick(domain: str, count: int, *, significant: bool | None = None, when: str | None = None) -> None:
        pool = [i for i in _ids(catalogue, domain) if allowed(i) and (significant is None or catalogue.indicator(i).significant == significant)]
        for ident in rng.sample(pool, min(count, len(pool))):
            chosen[ident] = when or rng.choice([When.CURRENT.value, When.CURRENT.value, When.PAST_12_MONTHS.value])

    pick("vulnerability", rng.randint(1, 5))
    domains = {"sexual": ["sexual_exploitation", "online"], "criminal": ["criminal_exploitation"]}.get(
        theme, ["sexual_exploitation", "online", "criminal_exploitation"]
    )
    for _ in range(Level.rank(level)):
        pick(rng.choice(domains), 1, significant=True, when=When.PAST_12_MONTHS.value if level == Level.LOW else When.CURRENT.value)
    if Level.rank(level) >= Level.rank(Level.MEDIUM):
        pick(rng.choice(domains), rng.randint(0, 2), significant=False)
        if rng.random() < 0.5:
            pick("missing", rng.randint(1, 2))
    if rng.random() < (0.5 if Level.rank(level) >= Level.rank(Level.MEDIUM) else 0.2):
        pick("emotional_health", rng.randint(1, 2))
    if level == Level.HIGH and rng.random() < 0.12:
        chosen["CRIM-10" if theme == "criminal" else "SEX-12"] = When.CURRENT.value
    if rng.random() < 0.05:
        pick("harmful_sexual_behaviour", 1)
    return [(ident, when, rng.choice(EVIDENCE.get(catalogue.indicator(ident).domain, ["Seen by the worker."]))) for ident, when in chosen.items()]


def add_demo_risk(*, rng: random.Random, child: Child, today: dt.date, staff_by_agency: dict, hub_user, chair_user) -> None:
    """Give a demo child screenings by 1 to 3 of the agencies working with them and, for most,
    a history of risk level decisions over the past year."""
    catalogue = current_catalogue()
    involvements = [inv for inv in child.involvements.select_related("agency") if inv.ended_on is None and staff_by_agency.get(inv.agency.name)]
    if not involvements:
        return
    profile = rng.choices(["none", "low", "medium", "high"], weights=[20, 30, 30, 20])[0]
    theme = rng.choices(["sexual", "criminal", "both"], weights=[50, 30, 20] if child.sex == "F" else [25, 55, 20])[0]
    screeners = rng.sample(involvements, min(len(involvements), rng.randint(1, 3)))
    earliest = max(today - dt.timedelta(days=360), child.date_of_birth + dt.timedelta(days=365 * 9))
    screenings = []
    for involvement in screeners:
        start = max(earliest, involvement.started_on)
        span = (today - start).days
        if span < 1:
            continue
        rounds = 1 if profile in ("none", "low") else rng.randint(1, 3)
        for days_ago in sorted(rng.sample(range(0, span), min(rounds, span)), reverse=True):
            when = _moment(rng, today, days_ago)
            level = profile if rng.random() < 0.7 else rng.choice(["none", "low", "medium", "high"][: Level.rank(profile) + 1])
            worker = involvement.professional if involvement.professional in staff_by_agency[involvement.agency.name] else rng.choice(staff_by_agency[involvement.agency.name])
            indicators = _indicators(rng, catalogue, level=level, theme=theme, age=age_on(child.date_of_birth, when.date()))
            young_referral = child.learning_disability or age_on(child.date_of_birth, when.date()) <= 13
            screenings.append(services.submit_screening(
                by=worker, child=child, agency=involvement.agency, indicators=indicators, screened_at=when,
                strengths=rng.sample(_ids(catalogue, "strengths"), rng.randint(0, 3)), strengths_note=rng.choice(STRENGTH_NOTES),
                childs_views=rng.choice(VIEWS), analysis=rng.choice(ANALYSIS[level]),
                referred_to_social_care=young_referral and rng.random() < 0.7,
            ))
    screenings.sort(key=lambda s: s.screened_at)
    if not screenings or (profile == "none" and rng.random() < 0.6):
        return
    kinds = [RiskKind.CRIMINAL, RiskKind.SEXUAL] if theme == "criminal" else [RiskKind.SEXUAL, RiskKind.CRIMINAL]
    _decide_over_the_year(rng, child=child, today=today, profile=profile, kinds=kinds, screenings=screenings, hub_user=hub_user, chair_user=chair_user)


def _decide_over_the_year(rng, *, child, today, profile, kinds, screenings, hub_user, chair_user) -> None:
    """Decisions after the first screening: the level of the main kind rises to the child's
    profile (and now and then steps down); the other kind mostly follows its screenings."""
    first = screenings[0].screened_at
    end_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time(18)))
    latest_possible = min(timezone.now(), end_of_today) - dt.timedelta(minutes=20)
    span = max((latest_possible - first).days, 1)
    count = 1 if profile in ("none", "low") else rng.randint(2, 6)
    offsets = sorted(rng.sample(range(0, span), min(count, span)))
    recent = span - rng.randint(1, 75)
    if rng.random() < 0.8 and recent > (offsets[-2] if len(offsets) > 1 else -1):
        offsets[-1] = recent  # most children's level was reviewed in the last few months
    path = {"none": ["none"], "low": ["low"], "medium": ["low", "medium"], "high": ["medium", "high"]}[profile]
    for index, offset in enumerate(offsets):
        decided_at = min(first + dt.timedelta(days=offset, minutes=30), latest_possible - dt.timedelta(minutes=10))
        resting_on = {}
        for screening in screenings:
            if screening.screened_at <= decided_at:
                resting_on[screening.agency_id] = screening
        resting_on = list(resting_on.values())
        by, source = (hub_user, DecisionSource.HUB) if rng.random() < 0.6 else (chair_user, DecisionSource.MEETING)
        decided_on = timezone.localtime(decided_at).date()
        review = min(decided_on + dt.timedelta(days=rng.choice([28, 42, 56, 84, 90])), add_months(decided_on, 3))
        step_down = profile == "high" and index == len(offsets) - 1 and rng.random() < 0.2
        target = "medium" if step_down else path[min(index, len(path) - 1)]
        for kind in kinds:
            suggested = highest(s.suggested_for(kind) for s in resting_on)
            level = target if kind == kinds[0] or rng.random() < 0.5 else suggested
            if level != suggested and rng.random() < 0.5 and not step_down:
                level = suggested  # most decisions follow the screenings
            services.decide_risk_level(
                by=by, child=child, kind=kind, level=level, reason=rng.choice(REASONS[source]), screenings=resting_on, next_review_on=review,
                departure_reason=rng.choice(DEPARTURES["up" if Level.rank(level) > Level.rank(suggested) else "down"]) if level != suggested else "",
                source=source, decided_at=decided_at + dt.timedelta(minutes=kinds.index(kind)),
            )
        if index == 0 and any(s.risk_to_others for s in resting_on):
            services.decide_risk_level(
                by=by, child=child, kind=RiskKind.RISK_TO_OTHERS, level=rng.choice(["low", "medium"]),
                reason="Harmful sexual behaviour recorded in a screening; referred for an assessment.", screenings=resting_on,
                next_review_on=review, source=source, decided_at=decided_at + dt.timedelta(minutes=5),
            )
