"""Demo transition plans and placements out of area for the fictional partnership, written
through the services as users would. Called by the demo generator for each child after their
risk levels are decided. Deterministic for a given random generator and date.

Of the young people aged 17, about a quarter have no plan yet; of the others whose plan is due,
about half are agreed and the rest overdue. A few 16-year-olds have a plan started. A few
looked-after children are placed out of area by children's social care: for most of those whose
information from the host authority is due, it has come; for the rest it is overdue.
Every place and council is invented."""

import datetime as dt
import random

from lantern.core.dates import add_working_days, age_on
from lantern.partnership.models import AgencyType, User

from . import services
from .models import PlanStatus, ReceivingService, birthday, default_due_on

HOSTS = [
    ("Westmarsh Borough Council", ["Westmarsh", "Saltby Levels"]),
    ("Northfell County Council", ["Kelbury", "Fellgate"]),
    ("Easterby City Council", ["Easterby", "Dunmere"]),
]
CONTACTS = ["Robin Larchmoor", "Jess Alderwick", "Sam Quillby"]
ASKED_FOR = (
    "What their police and exploitation team know about the area around the placement and the people there; missing "
    "episodes they hold; local youth and sexual health services the young person can use."
)
RECEIVED = [
    "Police intelligence: county lines activity near the town centre station; no known links to the home. Youth service "
    "contact named; sexual health clinic details sent.",
    "Host exploitation lead says the area is quiet; two missing reports held, both before the placement. Full letter on "
    "the social care record.",
]
SUMMARIES = [
    "Stays in her placement until 18, then a supported flat through the leaving care team. Personal adviser named at 17½. "
    "College place for September; bank account and ID in hand.",
    "Moves to semi-independent accommodation at 18. Adult mental health to take over from CAMHS; joint appointment booked. "
    "Youth justice order ends before 18.",
    "Staying put with foster carers after 18 agreed. Leaving care team to support with an apprenticeship application.",
]
WORDS = [
    "I want my own place but not too far from my little brother. I don't want to start again with new workers.",
    "I'm scared about turning 18 and everything stopping. I want to keep seeing Jo.",
    "I want to go to college and get a job. I'll be alright if I've got someone to ring.",
]
END_REASONS = ["Came back to live with her mum, agreed at the looked-after review.", "Moved to a foster placement in the area."]


def _involved(child) -> list:
    return [inv for inv in child.involvements.select_related("agency", "professional").order_by("-is_lead", "started_on", "pk")
            if inv.ended_on is None]


def _person(rng: random.Random, inv, staff_by_agency: dict[str, list[User]]) -> User | None:
    if inv.professional is not None:
        return inv.professional
    staff = staff_by_agency.get(inv.agency.name)
    return rng.choice(staff) if staff else None


def _plan(*, rng: random.Random, child, today: dt.date, involvements: list, staff_by_agency) -> None:
    age = age_on(child.date_of_birth, today)
    if age < 16 or (age == 16 and rng.random() < 0.75) or (age >= 17 and rng.random() < 0.25):
        return  # nobody has recorded a plan: from the due date, the F23 rule asks for one for a young person at risk
    inv = involvements[0]
    owner = _person(rng, inv, staff_by_agency)
    if owner is None:
        return
    due_on = default_due_on(child.date_of_birth)
    if due_on < today:
        status = rng.choices([PlanStatus.AGREED, PlanStatus.IN_PROGRESS, PlanStatus.NOT_STARTED], weights=[50, 30, 20])[0]
    else:
        status = rng.choice([PlanStatus.IN_PROGRESS, PlanStatus.NOT_STARTED])
    agreed = status == PlanStatus.AGREED
    earliest = max(birthday(child.date_of_birth, 16), due_on - dt.timedelta(days=90))
    services.save_transition_plan(
        by=owner, child=child, due_on=due_on, status=status, owner=owner, owner_agency=inv.agency,
        receiving_services=rng.sample([ReceivingService.LEAVING_CARE, ReceivingService.HOUSING, ReceivingService.ADULT_MENTAL_HEALTH,
                                       ReceivingService.ADULT_SOCIAL_CARE], rng.randint(1, 2)) if status != PlanStatus.NOT_STARTED else [],
        summary=rng.choice(SUMMARIES) if status != PlanStatus.NOT_STARTED else "",
        young_persons_words=rng.choice(WORDS) if agreed or rng.random() < 0.4 else "",
        agreed_on=min(today, earliest + dt.timedelta(days=rng.randint(0, 100))) if agreed else None,
    )


def _placement(*, rng: random.Random, child, today: dt.date, involvements: list, staff_by_agency) -> None:
    if child.legal_status != "looked_after" or rng.random() >= 0.12:
        return
    social_care = next((inv for inv in involvements if inv.agency.agency_type == AgencyType.SOCIAL_CARE), None)
    worker = _person(rng, social_care, staff_by_agency) if social_care else None
    if worker is None:
        return
    host, areas = rng.choice(HOSTS)
    started = max(child.date_of_birth, today - dt.timedelta(days=rng.randint(10, 300)))
    told = max(child.date_of_birth, started - dt.timedelta(days=rng.randint(0, 5)))
    due = add_working_days(told, 20)
    placement = services.record_out_of_area_placement(
        by=worker, child=child, placing_agency=social_care.agency, host_authority=host, placement_area=rng.choice(areas),
        started_on=started, notified_host_on=told, information_requested=ASKED_FOR, information_due_on=due,
        host_contact_name=rng.choice(CONTACTS), host_contact_email="exploitation.lead@example.gov.uk",
    )
    if due < today and rng.random() < 0.8:
        services.record_host_information(
            by=worker, placement=placement, received_on=min(today, max(told, due - dt.timedelta(days=rng.randint(-5, 8)))),
            information=rng.choice(RECEIVED),
        )
        if started < today - dt.timedelta(days=120) and rng.random() < 0.4:
            services.end_out_of_area_placement(
                by=worker, placement=placement, ended_on=today - dt.timedelta(days=rng.randint(1, 30)), reason=rng.choice(END_REASONS),
            )


def add_demo_transitions(*, rng: random.Random, child, today: dt.date, staff_by_agency: dict[str, list[User]], hub_user=None) -> None:
    involvements = _involved(child)
    if not involvements:
        return
    _placement(rng=rng, child=child, today=today, involvements=involvements, staff_by_agency=staff_by_agency)
    _plan(rng=rng, child=child, today=today, involvements=involvements, staff_by_agency=staff_by_agency)
