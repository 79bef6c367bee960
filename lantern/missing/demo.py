"""Demo missing episodes for the fictional partnership, written through the services as users
would. Called by the demo generator for each child; deterministic for a given random generator.

Most children have none; some have one or two in the year; a few go missing again and again.
Most return interviews are offered in time; some late, some declined; for some no interview was
ever offered (overdue on the worklists after the scan, F06), and for a few of those the reason it
will not be held is recorded; one or two children are missing now. The "not held" reasons draw
from their own generator, seeded from the shared one's state without advancing it, so the rest
of the demo is unchanged."""

import datetime as dt
import random

from django.utils import timezone

from lantern.partnership.models import AgencyType, User

from . import services
from .models import EpisodeKind, MissingFrom

CIRCUMSTANCES = [
    "Did not return home after school; phone switched off.",
    "Left the children's home at 19:00 saying she was going to the shop; did not come back.",
    "Seen getting into a car with older males near the station.",
    "Climbed out of a bedroom window during the night.",
]
FOUND_WHERE = ["Bus station in the next town", "A flat above a takeaway in the town centre", "A friend's house", "Handed in at the police station",
               "The retail park car park", "Walked back home alone"]
FOUND_WITH = ["Alone", "Two older males, not known", "A group of older young people", "A friend from school", ""]
CONDITION = ["Tired and hungry; no injuries.", "Smelled of cannabis; a new phone.", "Distressed and would not speak.", "Appeared well."]
EXPOSED = ["Cannabis and alcohol; older males.", "Possibly carrying drugs to another town.", "Older adults at a party.", "Not known."]
ACCOUNTS = ["I was at a mate's, I don't want to say who.", "I just needed to get away from home.", "They said they'd pay me to take a bag to London.",
            "I went to a party and lost track of time."]
PUSH = ["Arguments at home", "Placement breaking down", "Being bullied at school", ""]
PULL = ["Older 'friends' who give gifts", "Cannabis", "A boyfriend in his twenties", "Money for running errands", ""]
PEOPLE = ["'Jay', drives a black Audi", "A flat on Mill Street", "'Little T' and his cousin", "The park by the canal", ""]
DECLINED = ["Did not want to talk to anyone.", "Said she had already told the police everything."]
NOT_HELD = [
    "Moved to a placement in another authority the day after she returned; the host authority's missing team has been asked to offer one.",
    "Admitted to hospital on his return; the ward's safeguarding nurse spoke to him instead and shared what he said.",
    "Returned to his family in Scotland; the local authority there was told of the episode.",
]


def _staff(staff_by_agency, involvements, agency_types):
    for inv in involvements:
        if inv.agency.agency_type in agency_types and staff_by_agency.get(inv.agency.name):
            return inv.agency, staff_by_agency[inv.agency.name]
    return None, None


def add_demo_missing(*, rng: random.Random, child, today: dt.date, staff_by_agency: dict[str, list[User]], hub_user) -> None:
    involvements = [inv for inv in child.involvements.select_related("agency").order_by("started_on", "pk") if inv.ended_on is None]
    count = rng.choices([0, 1, 2, 3, 5], weights=[70, 14, 8, 5, 3])[0]
    if not count or not involvements:
        return
    now = timezone.now()
    reporter_agency, reporters = _staff(staff_by_agency, involvements, {AgencyType.POLICE, AgencyType.SOCIAL_CARE, AgencyType.EDUCATION})
    if reporters is None:
        reporter_agency, reporters = None, [hub_user]
    _, interviewers = _staff(staff_by_agency, involvements, {AgencyType.YOUTH_SERVICE, AgencyType.VOLUNTARY, AgencyType.SOCIAL_CARE})
    interviewers = interviewers or [hub_user]
    # Start times through the last year, oldest first, at least four days apart. A child who goes
    # missing again and again does so in the last few months (so the repeat-missing rule sees it),
    # and some of them are missing now.
    window = 80 if count >= 3 else 360
    starts = sorted(now - dt.timedelta(days=rng.uniform(5, window)) for _ in range(count))
    still_missing = count >= 3 and rng.random() < 0.3
    if still_missing:
        starts[-1] = now - dt.timedelta(hours=rng.uniform(2, 40))
    previous_end = None
    for index, started_at in enumerate(starts):
        if previous_end is not None and started_at < previous_end + dt.timedelta(days=4):
            continue
        if started_at.date() < child.date_of_birth:
            continue
        last = index == len(starts) - 1
        reporter = rng.choice(reporters)
        kwargs = dict(
            by=reporter, child=child, agency=reporter_agency if reporter is not hub_user else None,
            kind=rng.choices([EpisodeKind.MISSING, EpisodeKind.AWAY], weights=[85, 15])[0],
            missing_from=rng.choices(MissingFrom.values, weights=[55, 30, 10, 5])[0],
            started_at=started_at.replace(second=0, microsecond=0),
            police_reference=f"MIS/{started_at:%y}/{rng.randint(1000, 9999)}", circumstances=rng.choice(CIRCUMSTANCES),
        )
        if last and still_missing and now - started_at < dt.timedelta(days=3):
            services.record_missing_episode(**kwargs)
            return
        returned_at = min(started_at + dt.timedelta(hours=rng.choice([3, 8, 14, 20, 30, 52, 80])), now - dt.timedelta(minutes=5))
        returned_at = returned_at.replace(second=0, microsecond=0)
        episode = services.record_missing_episode(
            **kwargs, returned_at=returned_at, found_where=rng.choice(FOUND_WHERE), returned_to="Home",
            found_with=rng.choice(FOUND_WITH), condition_on_return=rng.choice(CONDITION), exposed_to=rng.choice(EXPOSED),
        )
        previous_end = returned_at
        _demo_interview(rng, episode=episode, interviewers=interviewers, now=now)


def _demo_interview(rng, *, episode, interviewers, now) -> None:
    roll = rng.random()
    if roll < 0.08:
        aside = random.Random(hash(rng.getstate()[1]))  # does not advance `rng` (see the module's docstring)
        if aside.random() < 0.5:
            services.record_interview_not_held(by=aside.choice(interviewers), episode=episode, reason=aside.choice(NOT_HELD))
        return  # never offered: the F06 alert shows it (unless the reason it will not be held is recorded)
    delay = dt.timedelta(hours=rng.choice([4, 20, 30, 48, 70]) if roll < 0.85 else rng.choice([80, 100, 150]))
    offered_at = episode.returned_at + delay
    if offered_at > now - dt.timedelta(minutes=2):
        return  # not offered yet: due
    by = rng.choice(interviewers)
    services.offer_return_interview(by=by, episode=episode, offered_at=offered_at, independent=True)
    if rng.random() < 0.15:
        services.record_return_interview(by=by, episode=episode, accepted=False, declined_reason=rng.choice(DECLINED))
        return
    held_at = offered_at + dt.timedelta(hours=rng.choice([2, 24, 48]))
    if held_at > now - dt.timedelta(minutes=1):
        return  # offered, not yet held
    services.record_return_interview(
        by=by, episode=episode, accepted=True, held_at=held_at, childs_account=rng.choice(ACCOUNTS),
        push_factors=rng.choice(PUSH), pull_factors=rng.choice(PULL), people_and_places=rng.choice(PEOPLE),
        actions="Share the names with the police and the exploitation hub; review the safety plan.",
    )
