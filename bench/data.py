"""Fictional data at register scale for the bench.

The bench bypasses `lantern.children.services` for data volume only: going through the services
(one transaction, history rows and timeline events per change) would take hours at 50,000
children. Even `bulk_create` was too slow here (about 150 s for 50,000 children on the 2-core
machine, mostly Django compiling the INSERTs), so the register is written with plain
`INSERT ... VALUES` statements through `executemany` (`RowInserter`), every column not given
taking the model field's own default. Nothing here calls `save()`, sends signals, writes
history rows or checks the services' rules; so `search_name`, which `Child.save()` normally
fills in, is set here with `lantern.children.models.normalise_text`, and
`ChildIdentifier.normalised` with `normalise_identifier`. The few users and agencies go through
the partnership services, as in the demo. Never use this module to put data anywhere but the
bench's own throw-away database.

Every person and place is invented; surnames are plant and bird words ("Brackenwick",
"Heronshaw") so no one can mistake them for real people. The random seed is fixed, so every
run builds the same register.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from stdnum.gb import nhs

from lantern.children.models import (
    Child,
    ChildIdentifier,
    Ethnicity,
    IdentifierKind,
    Involvement,
    LegalStatus,
    Sex,
    TimelineEvent,
    normalise_identifier,
    normalise_text,
)
from lantern.notifications.services import emails_suppressed
from lantern.partnership import services as partnership_services
from lantern.partnership.models import Agency, AgencyType, Role, User

SEED = 20260515
CHUNK = 5_000

# The bench practitioner works here. Its agency is actively involved with about 1 child in 12.
BENCH_AGENCY = "Brackenford Youth Justice Service"
BENCH_AGENCY_SHARE = 1 / 12
HUB_AGENCY = "Brackenford Children's Social Care"

# (name, type, weight when choosing the *other* agencies around a child)
AGENCIES = [
    (HUB_AGENCY, AgencyType.SOCIAL_CARE, 30),
    ("Brackenshire Police", AgencyType.POLICE, 18),
    ("Brackenford Community Health", AgencyType.HEALTH, 20),
    ("Brackenford CAMHS", AgencyType.CAMHS, 8),
    ("Northgate Academy", AgencyType.EDUCATION, 14),
    ("St Aldric's High School", AgencyType.EDUCATION, 14),
    ("Brackenford Pupil Referral Unit", AgencyType.EDUCATION, 6),
    (BENCH_AGENCY, AgencyType.YOUTH_JUSTICE, 0),  # chosen separately, with BENCH_AGENCY_SHARE
    ("Brackenford Youth Service", AgencyType.YOUTH_SERVICE, 10),
    ("Compass Young People's Drug and Alcohol Service", AgencyType.DRUG_ALCOHOL, 5),
    ("Safe Harbour Children's Charity", AgencyType.VOLUNTARY, 10),
    ("Brackenford Housing Options", AgencyType.HOUSING, 3),
]

FIRST_NAMES_F = [
    "Amelia", "Ava", "Chloe", "Ellie", "Grace", "Holly", "Isla", "Jade", "Keira", "Layla", "Maisie", "Nadia",
    "Olivia", "Poppy", "Ruby", "Sana", "Tia", "Zara", "Leah", "Aisha", "Megan", "Kayla", "Freya", "Imogen",
    "Lacey", "Summer", "Skye", "Esme", "Hafsa", "Maryam", "Roxanne", "Shannon", "Evie", "Willow", "Darcy",
]
FIRST_NAMES_M = [
    "Aaron", "Ben", "Callum", "Dylan", "Ethan", "Finn", "Harvey", "Isaac", "Jayden", "Kai", "Liam", "Mason",
    "Noah", "Owen", "Reece", "Ryan", "Tyler", "Zain", "Kyle", "Bilal", "Connor", "Jack", "Leo", "Omar",
    "Brandon", "Corey", "Declan", "Ellis", "Hamza", "Jordan", "Kian", "Louis", "Rhys", "Tomasz", "Yusuf",
]
SURNAME_STARTS = [
    "Bracken", "Thistle", "Wren", "Heron", "Sorrel", "Fern", "Kestrel", "Nettle", "Rowan", "Lark", "Teasel",
    "Yarrow", "Plover", "Sedge", "Vetch", "Linnet", "Tansy", "Ouzel", "Burdock", "Campion", "Alder", "Bittern",
    "Clover", "Dunlin", "Egret", "Furze", "Gorse", "Hazel", "Ivy", "Juniper", "Knapweed", "Lapwing", "Madder",
    "Nightjar", "Oxlip", "Pipit", "Quillwort", "Rush", "Sandpiper", "Tormentil",
]
SURNAME_ENDS = ["wick", "combe", "dale", "more", "by", "thorpe", "field", "well", "ley", "shaw", "hurst", "stead", "holme", "ton", "worth", "ridge"]
STAFF_FIRST = ["Jo", "Lee", "Kit", "Robin", "Ali", "Jamie", "Drew", "Casey", "Rowan", "Toni", "Frankie", "Jesse", "Remi", "Sasha"]
AREAS = ["Brackenford Central", "Northgate", "Millbrook", "Eastholme", "Riverside", "Hollins Park", "Stanmoor", "Westcliffe"]
ROLES = {
    AgencyType.SOCIAL_CARE: "Social worker", AgencyType.POLICE: "Child exploitation officer", AgencyType.HEALTH: "School nurse",
    AgencyType.EDUCATION: "Designated safeguarding lead", AgencyType.YOUTH_JUSTICE: "Youth justice officer",
    AgencyType.YOUTH_SERVICE: "Youth worker", AgencyType.DRUG_ALCOHOL: "Substance misuse worker",
    AgencyType.VOLUNTARY: "Specialist exploitation worker", AgencyType.HOUSING: "Housing officer", AgencyType.CAMHS: "Clinician",
}
EVENT_KINDS = [
    ("involvement_started", "Agency involved: {agency}"),
    ("details_changed", "Details changed: address area"),
    ("identifier_recorded", "Identifier recorded: NHS number"),
    ("lead_changed", "Lead professional changed to {agency}"),
    ("involvement_ended", "Involvement ended: {agency}"),
]
LEGAL_STATUSES = [LegalStatus.LOOKED_AFTER, LegalStatus.CHILD_PROTECTION, LegalStatus.CHILD_IN_NEED, LegalStatus.EARLY_HELP, LegalStatus.NONE]
ETHNICITIES = [Ethnicity.WBRI] * 6 + [Ethnicity.APKN, Ethnicity.MWBC, Ethnicity.WOTH, Ethnicity.BAFR, Ethnicity.NOBT]
# How many agencies (besides the bench agency) work with a child: 1 to 5, about 3 on average.
INVOLVEMENT_COUNTS = [(1, 12), (2, 25), (3, 28), (4, 20), (5, 15)]


@dataclass
class BenchWorld:
    practitioner: User
    hub: User
    bench_agency: Agency
    agencies: list
    children: int
    counts: dict = field(default_factory=dict)


def surname(rng: random.Random) -> str:
    return rng.choice(SURNAME_STARTS) + rng.choice(SURNAME_ENDS)


def nhs_numbers(rng: random.Random, count: int) -> list[str]:
    """`count` different NHS numbers with valid check digits (Modulus 11), all in the 999 range
    the NHS keeps for testing, so none can belong to a real person."""
    numbers = []
    for body in rng.sample(range(999_000_000, 1_000_000_000), k=min(count * 12 // 10 + 100, 1_000_000)):
        digits = str(body)
        check = (11 - sum(int(d) * w for d, w in zip(digits, range(10, 1, -1))) % 11) % 11
        if check != 10:  # no valid number has this body
            number = digits + str(check)
            if not nhs.is_valid(number):
                raise AssertionError(f"{number} fails python-stdnum's NHS number check")
            numbers.append(number)
        if len(numbers) == count:
            return numbers
    raise ValueError(f"Cannot make {count:,} different test-range NHS numbers")


def build(*, children: int, seed: int = SEED, progress=print) -> BenchWorld:
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    with emails_suppressed():
        agencies, staff, practitioner, hub = _partnership(rng)
    bench_agency = next(a for a in agencies if a.name == BENCH_AGENCY)
    others = [a for a in agencies if a.pk != bench_agency.pk]
    weights = [dict((n, w) for n, _, w in AGENCIES)[a.name] for a in others]
    staff_ids = {a.pk: [u.pk for u in staff[a.name]] for a in agencies}
    names = {a.pk: a.name for a in agencies}
    types = {a.pk: a.agency_type for a in agencies}
    creator_id = staff[HUB_AGENCY][0].pk
    counts = {"children": 0, "involvements": 0, "identifiers": 0, "timeline_events": 0}
    la_ids = rng.sample(range(100_000, 1_000_000), k=min(children * 2, 900_000))
    nhs_ids = nhs_numbers(rng, children)
    inserter = {model: RowInserter(model, now) for model in (Child, Involvement, ChildIdentifier, TimelineEvent)}
    next_child_id = (Child.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for start in range(0, children, CHUNK):
        size = min(CHUNK, children - start)
        kids, involvements, identifiers, events = [], [], [], []
        for child_id in range(next_child_id, next_child_id + size):
            kids.append(_child(rng, today, child_id, creator_id))
            chosen = _agencies_for(rng, others, weights, bench_agency)
            child_involvements = []
            for index, agency in enumerate(chosen):
                started = today - dt.timedelta(days=rng.randint(20, 1200))
                ended = None
                # About 1 in 8 involvements has ended (never the lead's, nor the bench agency's, whose share is fixed).
                if index > 0 and agency.pk != bench_agency.pk and rng.random() < 0.12:
                    ended = min(today, started + dt.timedelta(days=rng.randint(30, 400)))
                child_involvements.append({
                    "child_id": child_id, "agency_id": agency.pk, "role": ROLES[agency.agency_type],
                    "professional_id": rng.choice(staff_ids[agency.pk]) if rng.random() < 0.85 else None,
                    "started_on": started, "ended_on": ended, "end_reason": "Work completed and closed" if ended else "",
                    "is_lead": index == 0 and rng.random() < 0.8, "recorded_by_id": creator_id,
                })
            # Some children were known to the bench agency once, but no longer: it cannot see them.
            if rng.random() < 0.02 and all(i["agency_id"] != bench_agency.pk for i in child_involvements):
                started = today - dt.timedelta(days=rng.randint(400, 1200))
                child_involvements.append({
                    "child_id": child_id, "agency_id": bench_agency.pk, "role": ROLES[types[bench_agency.pk]],
                    "professional_id": None, "started_on": started, "ended_on": started + dt.timedelta(days=rng.randint(30, 300)),
                    "end_reason": "Order completed", "is_lead": False, "recorded_by_id": creator_id,
                })
            involvements.extend(child_involvements)
            identifiers.extend(_identifiers(rng, child_id, creator_id, nhs_ids.pop(), la_ids, now))
            events.extend(_events(rng, child_id, child_involvements, names, now))
        with transaction.atomic():
            inserter[Child].insert(kids)
            inserter[Involvement].insert(involvements)
            inserter[ChildIdentifier].insert(identifiers)
            inserter[TimelineEvent].insert(events)
        next_child_id += size
        counts["children"] += len(kids)
        counts["involvements"] += len(involvements)
        counts["identifiers"] += len(identifiers)
        counts["timeline_events"] += len(events)
        progress(f"  {counts['children']:,} children written")
    return BenchWorld(practitioner=practitioner, hub=hub, bench_agency=bench_agency, agencies=agencies, children=children, counts=counts)


class RowInserter:
    """Plain `INSERT ... VALUES` through `executemany`, for data volume: a row is a dict of
    attribute names; every other column gets the field's default, exactly as the model would
    give it, so a new column with a default needs no change here. No save(), no signals, no
    history: see the module docstring."""

    def __init__(self, model, now):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.defaults = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif not f.primary_key:
                self.defaults[f.attname] = f.get_default()
        self.converters = [self._converter(f) for f in self.fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"

    @staticmethod
    def _converter(f):
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            def convert(value):
                return None if value is None else str(timezone.make_naive(value, dt.timezone.utc))
            return convert
        if kind == "DateField":
            return lambda value: None if value is None else value.isoformat()
        return lambda value: value

    def insert(self, rows: list[dict]) -> None:
        if not rows:
            return
        has_pk = "id" in rows[0]
        fields = self.fields if has_pk else [f for f in self.fields if not f.primary_key]
        converters = self.converters if has_pk else [c for f, c in zip(self.fields, self.converters) if not f.primary_key]
        sql = self.sql if has_pk else self._sql_without_pk()
        unknown = set(rows[0]) - {f.attname for f in fields}
        if unknown:
            raise ValueError(f"{self.model.__name__} has no fields {sorted(unknown)}")
        defaults = self.defaults
        values = [
            tuple(conv(row[f.attname] if f.attname in row else defaults[f.attname]) for f, conv in zip(fields, converters))
            for row in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)

    def _sql_without_pk(self) -> str:
        quote = connection.ops.quote_name
        fields = [f for f in self.fields if not f.primary_key]
        columns = ", ".join(quote(f.column) for f in fields)
        return f"INSERT INTO {quote(self.model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"


def _partnership(rng: random.Random):
    password_hash = make_password("bench-not-a-real-password-2026")
    agencies, staff = [], {}
    for name, agency_type, _ in AGENCIES:
        agency = partnership_services.create_agency(by=None, name=name, agency_type=agency_type)
        agencies.append(agency)
        staff[name] = []
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:18]
        for index in range(3):
            user = partnership_services.create_user(
                by=None, email=f"{slug}.{index + 1}@bench.lantern.example", full_name=f"{rng.choice(STAFF_FIRST)} {surname(rng)}",
                job_title=ROLES[agency_type], password_hash=password_hash,
            )
            partnership_services.add_membership(by=None, user=user, agency=agency, role=Role.PRACTITIONER)
            staff[name].append(user)
    by_name = {a.name: a for a in agencies}
    practitioner = partnership_services.create_user(
        by=None, email="practitioner@bench.lantern.example", full_name="Pim Practiceworth", job_title="Youth justice officer",
        password_hash=password_hash,
    )
    partnership_services.add_membership(by=None, user=practitioner, agency=by_name[BENCH_AGENCY], role=Role.PRACTITIONER)
    hub = partnership_services.create_user(
        by=None, email="hub@bench.lantern.example", full_name="Hana Hubworth", job_title="Exploitation hub coordinator",
        password_hash=password_hash,
    )
    partnership_services.add_membership(by=None, user=hub, agency=by_name[HUB_AGENCY], role=Role.HUB)
    return agencies, staff, practitioner, hub


def _child(rng: random.Random, today: dt.date, child_id: int, creator_id: int) -> dict:
    sex = rng.choices([Sex.FEMALE, Sex.MALE, Sex.NOT_KNOWN], weights=[55, 43, 2])[0]
    first = rng.choice(FIRST_NAMES_F if sex == Sex.FEMALE else FIRST_NAMES_M)
    middle = rng.choice(FIRST_NAMES_F + FIRST_NAMES_M) if rng.random() < 0.3 else ""
    last = surname(rng)
    preferred = first[:3] if len(first) > 4 and rng.random() < 0.15 else ""
    return {
        "id": child_id, "legal_first_name": first, "legal_middle_names": middle, "legal_last_name": last,
        "preferred_name": preferred, "date_of_birth": today - dt.timedelta(days=rng.randint(9 * 365, 18 * 365)),
        "sex": sex, "ethnicity": rng.choice(ETHNICITIES), "first_language": "English", "address_area": rng.choice(AREAS),
        "legal_status": rng.choice(LEGAL_STATUSES), "created_by_id": creator_id,
        # Child.save() normally fills this in; the bench does not call save().
        "search_name": normalise_text(" ".join([first, middle, last, preferred])),
    }


def _agencies_for(rng: random.Random, others: list, weights: list, bench_agency: Agency) -> list:
    count = rng.choices([n for n, _ in INVOLVEMENT_COUNTS], weights=[w for _, w in INVOLVEMENT_COUNTS])[0]
    chosen: list = []
    while len(chosen) < count:
        agency = rng.choices(others, weights=weights)[0]
        if agency not in chosen:
            chosen.append(agency)
    if rng.random() < BENCH_AGENCY_SHARE:
        chosen.insert(rng.randint(0, len(chosen)), bench_agency)
    return chosen


def _identifiers(rng: random.Random, child_id: int, creator_id: int, nhs_number: str, la_ids: list, now) -> list:
    rows = [{"child_id": child_id, "kind": IdentifierKind.NHS, "value": nhs_number, "recorded_by_id": creator_id}]
    if rng.random() < 0.6 and la_ids:
        rows.append({"child_id": child_id, "kind": IdentifierKind.LA_CHILD_ID, "value": f"BF{la_ids.pop()}", "recorded_by_id": creator_id})
        if rng.random() < 0.05 and la_ids:  # an earlier number, ended when two records were merged
            rows.append({
                "child_id": child_id, "kind": IdentifierKind.LA_CHILD_ID, "value": f"BF{la_ids.pop()}", "recorded_by_id": creator_id,
                "ended_at": now - dt.timedelta(days=rng.randint(100, 900)), "end_reason": "Records merged",
            })
    for row in rows:
        row["normalised"] = normalise_identifier(row["value"])  # ChildIdentifier.save() normally does this
    return rows


def _events(rng: random.Random, child_id: int, involvements: list, names: dict, now) -> list:
    # Most children have a handful of events; about 1 in 20 has a long history (more than a page).
    count = rng.randint(25, 45) if rng.random() < 0.05 else rng.randint(0, 6)
    rows = []
    for _ in range(count):
        inv = rng.choice(involvements)
        kind, summary = rng.choice(EVENT_KINDS)
        occurred = now - dt.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        rows.append({
            "child_id": child_id, "kind": kind, "occurred_at": occurred, "summary": summary.format(agency=names[inv["agency_id"]]),
            "detail": "Discussed at the weekly exploitation meeting." if rng.random() < 0.2 else "",
            "actor_id": inv["professional_id"], "agency_id": inv["agency_id"], "recorded_at": occurred,
        })
    return rows


def set_fast_writes() -> None:
    """Only while building: the bench file is thrown away, so no need to wait for the disk."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous = OFF")
