"""Demo contacts and supervision records for the fictional partnership, written through the
services as users would. Called by the demo generator for each child after their risk levels
are decided. Deterministic for a given random generator, child and date.

The agencies working with a child at high risk see them about weekly, at medium risk about
fortnightly, at low risk about monthly; the lead professional's agency most often. Some visits
are attempts that do not reach the child. For about one child at medium or high risk in eight,
no one has seen the child for two to four weeks, so a few F20 alerts show. Managers record
supervision of some children at medium or high risk.

The contacts draw on a generator of their own, seeded from the demo's generator without
drawing from it, so adding contacts changes nothing else the demo makes."""

import datetime as dt
import random

from lantern.core.dates import LONDON
from lantern.partnership.models import Role, User
from lantern.risk.models import EXPLOITATION_KINDS, Level
from lantern.risk.selectors import current_levels

from . import services
from .models import ContactKind, Place, WithWhom
from .selectors import supervisor_options

INTERVAL_DAYS = {Level.HIGH: (5, 9), Level.MEDIUM: (9, 15), Level.LOW: (21, 35)}
HISTORY_DAYS = 70
MOST_AGENCIES = 3
SUMMARIES = {
    ContactKind.FACE_TO_FACE: [
        "Talked about school and friends. Quiet at first, more open by the end. Agreed to meet again next week.",
        "Went for food and talked about the new people she has been spending time with. Would not say where she stays at weekends.",
        "Reviewed the safety plan together. Said the phone is \"a mate's\". Gave the number for the missing team.",
        "Seemed tired and had a new jacket and trainers. Said a friend bought them. Shared with the police.",
        "Talked about the return home last week. Less guarded today; said she wants to go back to college.",
    ],
    ContactKind.PHONE: [
        "Short call to check in after the weekend. Said she was at her nan's. Mum confirmed.",
        "Called about the appointment tomorrow. Agreed to be picked up from school.",
    ],
    ContactKind.VIDEO: ["Video call with the child and carer to plan the next review. Child joined for ten minutes."],
    ContactKind.MESSAGE: [
        "Messages back and forth in the evening: said she was safe and at home.",
        "Replied to the check-in message the next morning; agreed to meet on Thursday.",
    ],
    ContactKind.ATTEMPTED: [
        "Home visit as agreed; no answer. Card left and mum texted.",
        "Arranged to meet after school; she did not come. School said she left at lunchtime.",
        "Phoned three times; no answer. Left a message and told the lead professional.",
    ],
}
CHILDS_WORDS = [
    "I'm fine. Everyone keeps asking me the same things.",
    "They're my mates, they look after me.",
    "I just want things to be normal again.",
    "I don't want to talk about the weekend.",
    "College is alright. I like the art teacher.",
]
REFLECTIONS = [
    "Missing episodes have reduced since the new placement, but she is still linked to the same older males. The disruption "
    "plan is not yet working; the police intelligence needs to come to the next meeting.",
    "The worker is the only adult she trusts, so consistency matters. Discussed the risk of being drawn into county lines "
    "after the new phone and money were found. The level should be reviewed.",
    "Reflected on the family's disengagement and whether we are treating her as a victim in every conversation. The plan "
    "focuses on education; health and emotional wellbeing need more attention.",
]
ACTIONS = [
    "Ask the hub to review the risk level. Book a strategy discussion if there is another missing episode.",
    "Refer to the return interview service. Share the new names with the police. Review in four weeks.",
    "",
]


def _local_rng(rng: random.Random, child) -> random.Random:
    state = rng.getstate()[1]
    return random.Random(f"contacts:{state[0]}:{state[-1]}:{child.legal_first_name}:{child.legal_last_name}:{child.date_of_birth}")


def _highest(child) -> str:
    levels = [d.level for kind, d in current_levels(child).items() if d is not None and kind in EXPLOITATION_KINDS]
    return max(levels, key=Level.rank, default=Level.NONE)


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(9, 18), rng.choice([0, 15, 30, 45])), tzinfo=LONDON)


def _one_contact(rng: random.Random, *, by: User, child, agency, day: dt.date, attempt: bool, looked_after: bool) -> None:
    if attempt:
        kind = ContactKind.ATTEMPTED
    else:
        kind = rng.choices([ContactKind.FACE_TO_FACE, ContactKind.PHONE, ContactKind.MESSAGE, ContactKind.VIDEO], weights=[60, 20, 14, 6])[0]
    in_person = kind in (ContactKind.FACE_TO_FACE, ContactKind.ATTEMPTED)
    places = [Place.PLACEMENT if looked_after else Place.HOME, Place.SCHOOL, Place.COMMUNITY]
    place = rng.choices(places, weights=[5, 3, 2])[0] if in_person else ""
    services.record_contact(
        by=by, child=child, agency=agency, happened_at=_moment(day, rng), kind=kind, place=place,
        place_detail="Town centre" if place == Place.COMMUNITY else "",
        with_whom="" if attempt else rng.choices(WithWhom.values, weights=[6, 3, 1])[0],
        summary=rng.choice(SUMMARIES[kind]),
        childs_words=rng.choice(CHILDS_WORDS) if kind == ContactKind.FACE_TO_FACE and rng.random() < 0.3 else "",
    )


def add_demo_contacts(*, rng: random.Random, child, today: dt.date, staff_by_agency: dict[str, list[User]]) -> None:
    local = _local_rng(rng, child)
    level = _highest(child)
    if level not in INTERVAL_DAYS:
        return  # no identified risk: contacts of children not at risk are not part of the demo
    serious = level in (Level.MEDIUM, Level.HIGH)
    involvements = sorted(
        (inv for inv in child.involvements.select_related("agency", "professional") if inv.ended_on is None),
        key=lambda inv: (not inv.is_lead, inv.started_on, inv.pk),
    )[:MOST_AGENCIES]
    gap_from = today - dt.timedelta(days=local.randint(15, 30)) if serious and local.random() < 0.12 else None
    looked_after = child.legal_status == "looked_after"
    shortest, longest = INTERVAL_DAYS[level]
    for index, inv in enumerate(involvements):
        staff = staff_by_agency.get(inv.agency.name) or []
        worker = inv.professional if inv.professional in staff else (local.choice(staff) if staff else None)
        if worker is None:
            continue
        stretch = 1 if index == 0 else 2  # the lead professional's agency sees the child most
        day = max(inv.started_on, today - dt.timedelta(days=HISTORY_DAYS)) + dt.timedelta(days=local.randint(0, shortest))
        while day < today:
            attempt = local.random() < (0.15 if serious else 0.08) or (gap_from is not None and day >= gap_from)
            if gap_from is None or day < gap_from or local.random() < 0.5:
                _one_contact(local, by=worker, child=child, agency=inv.agency, day=day, attempt=attempt, looked_after=looked_after)
            day += dt.timedelta(days=local.randint(shortest, longest) * stretch)

    if serious and local.random() < 0.35:
        managers = [m for m in supervisor_options(child) if m.role == Role.MANAGER]
        if managers:
            chosen = local.choice(managers)
            involved = {inv.agency_id: inv.professional for inv in involvements}
            supervisee = involved.get(chosen.agency_id)
            for weeks_ago in sorted(local.sample([1, 3, 5, 8], local.randint(1, 2)), reverse=True):
                services.record_supervision(
                    by=chosen.user, child=child, agency=chosen.agency, held_on=today - dt.timedelta(weeks=weeks_ago),
                    supervisee=supervisee if supervisee is not None and supervisee.pk != chosen.user_id else None,
                    reflection=local.choice(REFLECTIONS), actions_agreed=local.choice(ACTIONS),
                )
