"""The demo network of the fictional town of Brackenford, built from the demo's own records as the
police would build it: the people and places children named in return interviews, where children
were found when they came back from going missing, and what agencies saw in their screenings.

`add_demo_network` is called once by the demo generator, after every child exists. Everything is
written through the services, by the police officers of the demo's police agency (and by the
workers who held the return interviews, for the places a child named). Every person, place,
vehicle and business is invented; registrations hold a Q, which no current UK plate uses in its
last three letters. Deterministic for a given random generator and date.

Nothing is planted for the analysis: the shared persons, groups and hotspots are whatever the
selectors find in these links. Two children who named someone in their latest return interview
are left unlinked, so the F02 alert shows on the worklists.
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max

from lantern.children.models import Child, TimelineEvent
from lantern.core.dates import LONDON, long_date
from lantern.missing.models import MissingEpisode, ReturnInterview
from lantern.partnership.models import AGENCY_CASE_ROLES, AgencyType, Membership
from lantern.risk.models import ScreeningIndicator

from . import services
from .models import BusinessKind, DisruptionKind, DisruptionResult, HandlingCode, LinkType, LocationKind, Node, SourceRecord
from .rules import can_link_child

# The town centre of Brackenford (fictional), and how far its places spread.
CENTRE = (53.705, -1.755)
UNLINKED_ON_PURPOSE = 2

# The young men the children call "Little T" and his cousin are different people in each part of
# the town: the police identify them by area. (first name, age) pairs; surnames are invented.
LOCAL_FIRST = [("Tariq", 19), ("Troy", 20), ("Theo", 19), ("Tommy", 21), ("Travis", 22), ("Tobias", 20), ("Terrell", 21), ("Tristan", 19)]
COUSIN_FIRST = [("Dean", 23), ("Kieran", 24), ("Marcus", 22), ("Shane", 25), ("Jordan", 23), ("Lewis", 24), ("Brandon", 22), ("Callan", 26)]
SURNAME_STARTS = ["Quillby", "Sloeworth", "Hawkbit", "Dunnock", "Corncrake", "Mugwort", "Chaffinch", "Knapweed"]
SURNAME_ENDS = ["croft", "holme", "gate", "ridge"]


@dataclass
class _Cast:
    police: list
    by_key: dict = field(default_factory=dict)  # "jay", "dev", ... -> PersonOfConcern / Location / Vehicle / Business
    local: dict = field(default_factory=dict)  # (area, "t" or "cousin") -> PersonOfConcern
    surnames: dict = field(default_factory=dict)  # area -> the family name of its Little T and his cousin
    persons_of_child: dict = field(default_factory=lambda: defaultdict(set))  # child pk -> person node ids


def _officer(cast: _Cast, rng: random.Random):
    return rng.choice(cast.police)


def _point(rng: random.Random, spread: float = 0.06) -> tuple[Decimal, Decimal]:
    lat = min(53.795, max(53.605, CENTRE[0] + rng.uniform(-spread, spread)))
    lon = min(-1.605, max(-1.895, CENTRE[1] + rng.uniform(-spread * 1.8, spread * 1.8)))
    return Decimal(f"{lat:.5f}"), Decimal(f"{lon:.5f}")


def _grade(rng: random.Random, source: str) -> dict:
    """A 3x5x2 grading typical of where the information came from."""
    if source == "child":  # what a child said: untested source, known indirectly
        evaluation, assessment = rng.choices([("2", "C"), ("2", "B"), ("1", "B"), ("3", "C"), ("2", "D")], weights=[40, 25, 15, 10, 10])[0]
    elif source == "officer":  # seen by officers, or corroborated police intelligence
        evaluation, assessment = rng.choices([("1", "A"), ("1", "B"), ("2", "B"), ("2", "C")], weights=[40, 35, 15, 10])[0]
    else:  # a worker's screening: what others told them
        evaluation, assessment = rng.choices([("2", "C"), ("2", "D"), ("3", "C"), ("1", "C")], weights=[45, 25, 15, 15])[0]
    handling = HandlingCode.CONDITIONS if rng.random() < 0.15 else HandlingCode.LAWFUL_SHARING
    return dict(source_evaluation=evaluation, intelligence_assessment=assessment, handling_code=handling)


def _recent(rng: random.Random, today: dt.date, *, earliest: int = 540, latest: int = 20) -> dt.date:
    return today - dt.timedelta(days=rng.randint(latest, earliest))


def _link(cast, rng, today, *, a: Node, b: Node, link_type: str, first_seen: dt.date, source: str, by=None, source_record=SourceRecord.INTELLIGENCE,
          source_detail: str = "", notes: str = "", child: Child | None = None):
    first_seen = min(first_seen, today)
    last_seen = min(today, first_seen + dt.timedelta(days=rng.choice([0, 0, 3, 14, 30, 60, 120])))
    by = by or _officer(cast, rng)
    made = services.link(
        by=by, a=a, b=b, link_type=link_type, first_seen=first_seen, last_seen=last_seen, source_record=source_record,
        source_detail=source_detail, notes=notes, **_grade(rng, source),
    )
    if child is not None:
        if b.kind == "person" or a.kind == "person":
            cast.persons_of_child[child.pk].add(b.pk if b.kind == "person" else a.pk)
        # The timeline entry is dated the day after the information came in, as if recorded then.
        recorded = dt.datetime.combine(min(today, first_seen + dt.timedelta(days=1)), dt.time(15, 0), tzinfo=LONDON)
        latest = TimelineEvent.objects.filter(child=child, kind=services.LINKED.code).aggregate(pk=Max("pk"))["pk"]
        TimelineEvent.objects.filter(pk=latest).update(occurred_at=recorded)
    return made


def _cast(rng: random.Random, today: dt.date, police) -> _Cast:
    cast = _Cast(police=police)
    officer = police[0]
    person, location, vehicle, business = services.record_person, services.record_location, services.record_vehicle, services.record_business
    cast.by_key["jay"] = person(
        by=officer, name="Jason Wrenshaw", aliases="Jay, J", estimated_age=27, police_reference="BP/PoC/0412",
        description="White man, slim, short dark hair. Drives a black Audi. Picks children up near the canal and the takeaway.",
        phone_numbers="07700 900412", online_handles="jay.w.bf (Snapchat)",
        guidance="Tell the police at once (101, quoting BP/PoC/0412) if the child is seen with this man or in a black Audi.",
    )
    cast.by_key["dev"] = person(
        by=officer, name="Devan Nettlefield", aliases="Dev", estimated_age=31, police_reference="BP/PoC/0388",
        description="Works at the Golden Fryer takeaway. Gives girls cannabis and alcohol; calls them his girlfriends.",
        guidance="Tell the police if the child mentions Dev or the Golden Fryer. Do not confront him.",
    )
    cast.by_key["ricky"] = person(
        by=officer, name="Richard Tansyfield", aliases="Ricky T", estimated_age=35, police_reference="BP/PoC/0297",
        description="Tenant of the flat on Mill Street where children are taken to parties.", phone_numbers="07700 900297",
        guidance="Tell the police if the child says they have been to Mill Street.",
    )
    cast.by_key["lee"] = person(
        by=officer, name="Lee Sorrelby", estimated_age=44, police_reference="BP/PoC/0455",
        description="Private hire driver for Swift Cars. Gives children free lifts and drops them at the Canal View Guest House.",
        guidance="Tell the police if the child is seen getting into a Swift Cars taxi alone.",
    )
    cast.by_key["rso"] = person(
        by=officer, name="Graham Vetchley", estimated_age=58, date_of_birth=today.replace(year=today.year - 58) - dt.timedelta(days=97),
        police_reference="BP/MOSOVO/0031", registered_sex_offender=True, subject_to_order="Sexual harm prevention order (no unsupervised contact with children under 16)",
        description="Managed by the police's offender management unit. Lives alone at Orchard Court.",
        guidance="Tell the police at once if the child is seen with this man: he must not have contact with children.",
    )
    cast.by_key["kaz"] = person(
        by=officer, name="'Kaz' (name not known)", aliases="Kaz", estimated_age=30, online_handles="kaz_bf_invented (Snapchat), kaz.q.invented (gaming)",
        description="Adult contacting children online, offering money for pictures.",
        guidance="Keep the child's phone as it is and tell the police; do not reply to the account.",
    )
    lat, lon = _point(rng, 0.004)
    cast.by_key["takeaway"] = location(by=officer, name="Golden Fryer takeaway", kind=LocationKind.TAKEAWAY, address="14 Market Street, Brackenford",
                                       latitude=lat, longitude=lon)
    lat, lon = _point(rng, 0.01)
    cast.by_key["hotel"] = location(by=officer, name="Canal View Guest House", kind=LocationKind.HOTEL, address="2 Wharf Road, Brackenford",
                                    latitude=lat, longitude=lon)
    lat, lon = _point(rng, 0.02)
    cast.by_key["flat"] = location(by=officer, name="Flat 3, 41 Mill Street", kind=LocationKind.PRIVATE_ADDRESS, address="Flat 3, 41 Mill Street, Brackenford",
                                   latitude=lat, longitude=lon)
    lat, lon = _point(rng, 0.02)
    cast.by_key["park"] = location(by=officer, name="Canal Side Park", kind=LocationKind.PARK, address="Towpath Lane, Brackenford", latitude=lat, longitude=lon)
    cast.by_key["bus"] = location(by=officer, name="Calderby bus station", kind=LocationKind.TRANSPORT, address="Station Road, Calderby",
                                  latitude=Decimal("53.78410"), longitude=Decimal("-1.62240"))
    lat, lon = _point(rng, 0.05)
    cast.by_key["retail"] = location(by=officer, name="Riverside Retail Park car park", kind=LocationKind.SHOP, address="Riverside Way, Brackenford",
                                     latitude=lat, longitude=lon)
    lat, lon = _point(rng, 0.03)
    cast.by_key["orchard"] = location(by=officer, name="Flat 12, Orchard Court", kind=LocationKind.PRIVATE_ADDRESS, address="Orchard Court, Brackenford",
                                      latitude=lat, longitude=lon)
    cast.by_key["snap"] = location(by=officer, name="Snapchat group 'BF late nights'", kind=LocationKind.ONLINE)
    cast.by_key["taxi"] = business(by=officer, name="Swift Cars", kind=BusinessKind.TAXI,
                                   licensing="Private hire operator licence PHO/0147 (Brackenford Council). 12 licensed vehicles.")
    cast.by_key["audi"] = vehicle(by=officer, registration="BF16 QKA", make="Audi A3", colour="Black")
    cast.by_key["skoda"] = vehicle(by=officer, registration="BF19 QLT", make="Skoda Octavia (private hire)", colour="Silver")
    cast.by_key["van"] = vehicle(by=officer, registration="BF11 QRW", make="Ford Transit", colour="White")

    # How they hang together, as the police know it.
    k = cast.by_key
    for a, b, link_type in [
        ("jay", "audi", LinkType.DRIVES), ("jay", "takeaway", LinkType.FREQUENTS), ("jay", "park", LinkType.FREQUENTS), ("jay", "dev", LinkType.ASSOCIATES),
        ("dev", "takeaway", LinkType.WORKS_AT), ("ricky", "flat", LinkType.LIVES_AT), ("ricky", "van", LinkType.DRIVES), ("ricky", "jay", LinkType.ASSOCIATES),
        ("lee", "skoda", LinkType.DRIVES), ("lee", "taxi", LinkType.WORKS_AT), ("skoda", "taxi", LinkType.REGISTERED_TO), ("lee", "hotel", LinkType.FREQUENTS),
        ("rso", "orchard", LinkType.LIVES_AT), ("rso", "hotel", LinkType.FREQUENTS), ("kaz", "snap", LinkType.CONTACTS_ONLINE),
    ]:
        _link(cast, rng, today, a=k[a].node, b=k[b].node, link_type=link_type, first_seen=_recent(rng, today, earliest=540, latest=120), source="officer")
    return cast


def _local(cast: _Cast, rng: random.Random, area: str, who: str):
    """The area's "Little T" (who="t") or his cousin, recorded the first time a child names them."""
    key = (area, who)
    if key not in cast.local:
        if area not in cast.surnames:
            used = set(cast.surnames.values())
            cast.surnames[area] = rng.choice([f"{start}{end}" for start in SURNAME_STARTS for end in SURNAME_ENDS
                                              if not any(u.startswith(start) for u in used)] or ["Hawkweedfold"])
        surname, slot = cast.surnames[area], list(cast.surnames).index(area)
        first, age = (LOCAL_FIRST if who == "t" else COUSIN_FIRST)[slot % len(LOCAL_FIRST)]
        little_t = who == "t"
        cast.local[key] = services.record_person(
            by=cast.police[0], name=f"{first} {surname}", aliases="Little T" if little_t else "T's cousin", estimated_age=age,
            police_reference=f"BP/PoC/{len(cast.local) + 600:04d}",
            description=f"Known to children in {area}. "
            + ("Deals cannabis; gives children drugs on tick, then says they owe him." if little_t else "Runs errands for Little T; drives the children about."),
            guidance="Tell the police if the child mentions him or is seen with him.",
        )
    return cast.local[key]


def add_demo_network(*, rng: random.Random, today: dt.date, hub_user) -> None:
    police = sorted(
        {m.user for m in Membership.objects.filter(agency__agency_type=AgencyType.POLICE, role__in=sorted(AGENCY_CASE_ROLES), ended_at__isnull=True)
         .select_related("user")},
        key=lambda u: u.pk,
    )
    if not police:
        return
    cast = _cast(rng, today, police)
    k = cast.by_key
    children = {c.pk: c for c in Child.objects.filter(closed_at__isnull=True)}
    if not children:
        return
    node = {pk: services.node_for_child(c) for pk, c in sorted(children.items())}

    # The return interviews that named people, oldest first; the latest two are not linked yet.
    interviews = list(
        ReturnInterview.objects.filter(episode__child_id__in=list(children)).exclude(people_and_places="")
        .select_related("episode", "outcome_recorded_by").order_by("held_at", "pk")
    )
    waiting = []
    for interview in reversed(interviews):
        if len(waiting) == UNLINKED_ON_PURPOSE:
            break
        if interview.episode.child_id not in waiting:
            waiting.append(interview.episode.child_id)
    waiting = set(waiting)

    def person_link(child_id, person, link_type, first_seen, source, **kwargs):
        if child_id in waiting:
            return None
        return _link(cast, rng, today, a=node[child_id], b=person.node, link_type=link_type, first_seen=first_seen, source=source,
                     child=children[child_id], **kwargs)

    def place_link(child_id, place, link_type, first_seen, source, **kwargs):
        return _link(cast, rng, today, a=node[child_id], b=place.node, link_type=link_type, first_seen=first_seen, source=source,
                     child=children[child_id], **kwargs)

    for interview in interviews:
        child_id, text = interview.episode.child_id, interview.people_and_places
        child = children[child_id]
        held = interview.held_at.astimezone(LONDON).date()
        detail = dict(source_record=SourceRecord.RETURN_INTERVIEW, source_detail=f"Return interview of {long_date(held)}")
        area = child.address_area or "Brackenford Central"
        if "Jay" in text:
            person_link(child_id, k["jay"], LinkType.ASSOCIATES, held, "child", **detail)
            if rng.random() < 0.5:
                place_link(child_id, k["audi"], LinkType.SEEN_WITH, held, "child", **detail)
        elif "Little T" in text:
            person_link(child_id, _local(cast, rng, area, "t"), rng.choice([LinkType.ASSOCIATES, LinkType.SUPPLIES, LinkType.EXPLOITS]), held, "child", **detail)
            if rng.random() < 0.5:
                person_link(child_id, _local(cast, rng, area, "cousin"), LinkType.SEEN_WITH, held, "child", **detail)
        elif "Mill Street" in text:
            # The worker who held the interview records the place; the police find who lives there.
            worker = interview.outcome_recorded_by
            one_agency = worker is not None and len(worker.access.case_agency_ids | worker.access.hub_agency_ids) == 1
            by = worker if one_agency and can_link_child(worker, child) else None
            place_link(child_id, k["flat"], LinkType.FREQUENTS, held, "child", by=by, **detail)
            person_link(child_id, k["ricky"], LinkType.ASSOCIATES, held, "officer", source_detail=f"Follow-up to the return interview of {long_date(held)}")
        elif "park" in text:
            place_link(child_id, k["park"], LinkType.FREQUENTS, held, "child", **detail)
            person_link(child_id, _local(cast, rng, area, "t"), LinkType.SEEN_WITH, held, "officer", source_detail="Seen together at Canal Side Park")

    # Where children were found when they came back: the places that keep coming up.
    found = {"takeaway": "takeaway", "Bus station": "bus", "retail park": "retail"}
    for child_id, where, returned_at, reference in (
        MissingEpisode.objects.filter(child_id__in=list(children), returned_at__isnull=False).exclude(found_where="")
        .order_by("returned_at", "pk").values_list("child_id", "found_where", "returned_at", "police_reference")
    ):
        for words, key in found.items():
            if words in where:
                day = returned_at.astimezone(LONDON).date()
                place_link(child_id, k[key], LinkType.FOUND_AT, day, "officer", source_record=SourceRecord.OTHER,
                           source_detail=f"Missing episode {reference}, found {long_date(day)}")

    # What the screenings saw, followed up by the police.
    seen: dict[str, list[tuple[int, dt.date]]] = defaultdict(list)
    for indicator_id, child_id, screened_at in (
        ScreeningIndicator.objects.filter(indicator_id__in=["SEX-01", "SEX-02", "SEX-03", "SEX-08", "SEX-09", "ONL-01", "CRIM-05"], screening__child_id__in=list(children))
        .order_by("screening__screened_at", "pk").values_list("indicator_id", "screening__child_id", "screening__screened_at")
    ):
        if child_id not in {c for c, _ in seen[indicator_id]}:
            seen[indicator_id].append((child_id, screened_at.astimezone(LONDON).date()))
    screening = dict(source_record=SourceRecord.SCREENING)
    for n, (child_id, day) in enumerate(seen["SEX-01"]):  # a much older "boyfriend"
        child = children[child_id]
        if n < 3 and child.sex == "F":
            person_link(child_id, k["dev"], LinkType.SUPPLIES, day, "screening", source_detail=f"Screening of {long_date(day)}: older boyfriend", **screening)
        else:
            person_link(child_id, _local(cast, rng, child.address_area or "Brackenford Central", "t"), LinkType.EXPLOITS, day, "screening",
                        source_detail=f"Screening of {long_date(day)}: older boyfriend", **screening)
    for n, (child_id, day) in enumerate(seen["SEX-02"]):  # gets into cars with adults
        if n % 3 == 0:
            person_link(child_id, k["lee"], LinkType.SEEN_WITH, day, "officer", source_detail="Seen getting into a Swift Cars taxi")
            if n % 2 == 0:
                place_link(child_id, k["skoda"], LinkType.SEEN_WITH, day, "officer", source_detail="Registration noted by a member of the public")
        else:
            person_link(child_id, _local(cast, rng, children[child_id].address_area or "Brackenford Central", "cousin"), LinkType.SEEN_WITH, day, "screening",
                        source_detail=f"Screening of {long_date(day)}: gets into cars", **screening)
    for n, (child_id, day) in enumerate(seen["SEX-08"]):  # adults call for them
        who = k["jay"] if n % 5 == 0 else _local(cast, rng, children[child_id].address_area or "Brackenford Central", "t")
        person_link(child_id, who, LinkType.ASSOCIATES, day, "screening", source_detail=f"Screening of {long_date(day)}: adults collect the child", **screening)
    at_hotel = {}
    for child_id, day in seen["SEX-03"][:8] + seen["SEX-09"][:4]:  # seen where children are exploited; sex for somewhere to stay
        at_hotel.setdefault(child_id, day)
    for child_id, day in at_hotel.items():
        place_link(child_id, k["hotel"], rng.choice([LinkType.FOUND_AT, LinkType.FREQUENTS]), day, "officer", source_detail="Hotel watch visit")
    for child_id, day in seen["ONL-01"][:4]:
        person_link(child_id, k["kaz"], LinkType.CONTACTS_ONLINE, day, "officer", source_detail="Messages seen on the child's phone")
    for child_id, day in seen["CRIM-05"][:10:2]:
        person_link(child_id, _local(cast, rng, children[child_id].address_area or "Brackenford Central", "t"), LinkType.ASSOCIATES, day, "screening",
                    source_detail=f"Screening of {long_date(day)}: associates with a gang", **screening)

    # The registered sex offender: one child found with him.
    # (Preferably a child found with older males and known to no other person of concern.)
    episodes = MissingEpisode.objects.filter(child_id__in=list(children), returned_at__isnull=False).order_by("returned_at", "pk")
    found_with = min(
        ((bool(cast.persons_of_child[c]), with_whom != "Two older males, not known", n, (c, at))
         for n, (c, at, with_whom) in enumerate(episodes.values_list("child_id", "returned_at", "found_with")) if c not in waiting),
        default=(None, None, None, None),
    )[-1]
    if found_with is not None:
        child_id, returned_at = found_with
        person_link(child_id, k["rso"], LinkType.SEEN_WITH, returned_at.astimezone(LONDON).date(), "officer",
                    source_detail="Found with him by officers at Orchard Court", notes="Breach of his order referred to the offender manager.")

    # Friends: children who share a person are often friends.
    by_person: dict[int, list[int]] = defaultdict(list)
    for child_id, persons in sorted(cast.persons_of_child.items()):
        for person in persons:
            by_person[person].append(child_id)
    peers = set()
    for person, members in sorted(by_person.items()):
        for first, second in zip(members, members[1:]):
            pair = tuple(sorted((first, second)))
            if pair not in peers and rng.random() < 0.45 and len(peers) < 16:
                peers.add(pair)
                _link(cast, rng, today, a=node[pair[0]], b=node[pair[1]], link_type=LinkType.PEER, first_seen=_recent(rng, today, earliest=500),
                      source="child", source_record=SourceRecord.CONTACT, source_detail="Named each other as friends")

    _ended(cast, rng, today)
    _disruption(cast, rng, today)


def _ended(cast: _Cast, rng: random.Random, today: dt.date) -> None:
    """Some links turn out wrong, or stop being true."""
    k = cast.by_key
    from .models import Link
    from django.db.models import Q

    def end(a, b, reason):
        found = Link.objects.filter(Q(a=a.node, b=b.node) | Q(a=b.node, b=a.node), ended_at__isnull=True).first()
        if found is not None:
            services.end_link(by=_officer(cast, rng), link=found, reason=reason)

    end(k["lee"], k["taxi"], "Swift Cars dismissed him after the council suspended his private hire licence.")
    end(k["ricky"], k["van"], "The van was sold and is no longer his.")
    park = Link.objects.filter(Q(a=k["park"].node) | Q(b=k["park"].node), ended_at__isnull=True, link_type=LinkType.FREQUENTS).order_by("pk").first()
    if park is not None:
        services.end_link(by=_officer(cast, rng), link=park, reason="The family moved out of the area; the child no longer goes there.")


def _disruption(cast: _Cast, rng: random.Random, today: dt.date) -> None:
    """Disruption activity against the people and places, counted for the board (F31)."""
    k = cast.by_key
    days = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    for key, kind, ago, description, outcome, result in [
        ("jay", DisruptionKind.WARNING_NOTICE, 150, "Child abduction warning notice served for a 15-year-old girl.", "Served in person; explained to him.", DisruptionResult.ACHIEVED),
        ("jay", DisruptionKind.ARREST, 40, "Arrested on suspicion of supplying cannabis to children.", "Released under investigation.", DisruptionResult.AWAITED),
        ("audi", DisruptionKind.SEIZURE, 40, "Vehicle seized at the arrest: no insurance.", "Crushed after 14 days.", DisruptionResult.ACHIEVED),
        ("dev", DisruptionKind.ARREST, 75, "Arrested at the takeaway for possession with intent to supply.", "Charged.", DisruptionResult.ACHIEVED),
        ("dev", DisruptionKind.CHARGE, 74, "Charged with possession of cannabis with intent to supply.", "Awaiting trial at the Crown Court.", DisruptionResult.AWAITED),
        ("takeaway", DisruptionKind.LICENSING, 60, "Premises licence review requested by the police.", "Licence conditions added: CCTV, no under-18s after 22:00.", DisruptionResult.ACHIEVED),
        ("takeaway", DisruptionKind.PREMISES_VISIT, 20, "Joint visit with the licensing officer.", "Staff briefed on the signs of exploitation.", DisruptionResult.ACHIEVED),
        ("taxi", DisruptionKind.LICENSING, 95, "Council suspended a driver's private hire licence.", "Driver dismissed by the operator.", DisruptionResult.ACHIEVED),
        ("hotel", DisruptionKind.PREMISES_VISIT, 30, "Hotel watch visit: guest register checked.", "Manager signed up to the hotel watch scheme.", DisruptionResult.ACHIEVED),
        ("ricky", DisruptionKind.WARNING_NOTICE, 210, "Harbourer warning notice about two children.", "Served.", DisruptionResult.ACHIEVED),
        ("flat", DisruptionKind.SEIZURE, 120, "Drugs warrant: cannabis and cash seized.", "No further action: not enough evidence to charge the tenant.", DisruptionResult.NOT_ACHIEVED),
        ("rso", DisruptionKind.ORDER, 300, "Sexual harm prevention order granted at the magistrates' court.", "Order for five years.", DisruptionResult.ACHIEVED),
    ]:
        services.record_disruption(by=_officer(cast, rng), node=k[key].node, kind=kind, happened_on=days(ago), description=description, outcome=outcome,
                                   result=result)
