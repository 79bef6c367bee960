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
the partnership services, as in the demo; so do the screenings, risk levels and referrals of the
two children the bench opens to see whether the child page grows with a record
(`build_records`). Never use this module to put data anywhere but the bench's own throw-away
database.

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
    staff: dict = field(default_factory=dict)  # agency name -> its three practitioners


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
    return BenchWorld(
        practitioner=practitioner, hub=hub, bench_agency=bench_agency, agencies=agencies, children=children, counts=counts,
        staff=staff,
    )


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
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous = OFF")
        else:  # this connection only, until it is closed after the build
            cursor.execute("SET synchronous_commit = off")


# --- Screenings, risk levels and referrals, through the services ------------------------------
#
# Few enough to write through `lantern.risk.services` and `lantern.referrals.services`, so they
# are exactly what the app would store: timeline events, notifications, history rows and every
# rule the services check. Back-dated as the services allow (never in the future, never before
# the child's birth, a decision never before the one it replaces nor before its screenings).

POLICE_AGENCY = "Brackenshire Police"
BUSY_SCREENINGS, BUSY_ROUNDS = 20, 14  # 14 rounds of a sexual and a criminal decision, and 2 risk to others: 30
SUBMISSION_CHILDREN = 40

# What the timed screening submission records: 8 indicators, 5 seen now and 3 in the past 12
# months, 6 with evidence (the two significant ones must have it), two strengths.
SUBMISSION_INDICATORS = [
    ("VUL-02", "current", "Mum says there are rows at home most nights."),
    ("VUL-07", "past_12_months", ""),
    ("SEX-01", "current", "Talks about a 'boyfriend' aged 24 who buys them things."),
    ("SEX-08", "past_12_months", "An adult nobody knew collected them from school in the spring."),
    ("CRIM-04", "current", "Carries two phones; one rings constantly in lessons."),
    ("CRIM-06", "past_12_months", "Found with £300 in cash in March and could not say where it came from."),
    ("MIS-01", "current", "Reported missing three times this month."),
    ("EMO-03", "current", ""),
]
SUBMISSION_STRENGTHS = ["STR-01", "STR-04"]
SUBMISSION_TEXT = {
    "strengths_note": "Enjoys football and goes to training every week.",
    "childs_views": "\"The lads are my mates, it's nothing.\"",
    "analysis": "Concerns are growing: new associates, unexplained money and going missing. Share with the hub.",
}
RISK_EVIDENCE = {
    "vulnerability": "Moved placement twice this year.",
    "sexual_exploitation": "Seen getting into a silver car outside school with an adult man.",
    "criminal_exploitation": "Found by police in a town 40 miles away with no explanation.",
    "online": "Phone shows contact with unknown adults late at night.",
    "missing": "Stays out overnight and will not say where.",
    "emotional_health": "Told the school nurse they feel very low and are not sleeping.",
}


@dataclass
class RecordChildren:
    busy: int  # 20 screenings, 30 level decisions, 4 referrals
    quiet: int  # 1 screening, 1 decision, 1 referral
    submit: list  # the children the timed screening submissions are about
    counts: dict = field(default_factory=dict)  # {"busy": {...}, "quiet": {...}}


def choose_record_children(world: BenchWorld, *, exclude: set, avoid: set = frozenset(), seed: int = SEED) -> RecordChildren:
    """Children the bench agency, the police and children's social care all work with now (so the
    referrals' statutory checks can be recorded, and some are expected), aged 12 to 15, none of
    them among the children the child-page measures open (`exclude`). The busy and the quiet
    child are also chosen outside `avoid` (children with missing episodes or a closed record), so
    that their pages differ only in screenings, levels and referrals: both under 16, too, because
    the transition-to-adulthood section makes a query from 16 (`lantern.transitions`)."""
    rng = random.Random(seed + 2)
    active = Involvement.objects.filter(ended_on__isnull=True)

    def working_with(name: str) -> set:
        return set(active.filter(agency__name=name).values_list("child_id", flat=True))

    def preferably_not(ids: set, needed: int, *leave_out: set) -> list:
        # At 50,000 children there are plenty; a small quick-check register may have none left.
        for left_out in leave_out:
            kept = ids - left_out
            if len(kept) >= needed:
                ids = kept
        return sorted(ids)

    bench_children = working_with(BENCH_AGENCY)
    today = timezone.localdate()
    twelve = today - dt.timedelta(days=12 * 366)  # 12 or more
    sixteen = today - dt.timedelta(days=16 * 365)  # born after: under 16
    old_enough = set(
        Child.objects.filter(pk__in=sorted(bench_children), date_of_birth__lte=twelve, date_of_birth__gt=sixteen)
        .values_list("pk", flat=True)
    )
    candidates = old_enough & working_with(POLICE_AGENCY) & working_with(HUB_AGENCY)
    busy, quiet = rng.sample(preferably_not(candidates, 2, set(avoid), set(exclude)), 2)
    pool = preferably_not(bench_children - {busy, quiet}, SUBMISSION_CHILDREN, set(exclude))
    return RecordChildren(busy=busy, quiet=quiet, submit=rng.sample(pool, min(SUBMISSION_CHILDREN, len(pool))))


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _screening_indicators(rng: random.Random, catalogue, stage: int) -> list[tuple[str, str, str]]:
    """Signs a worker might see at `stage` (0 to 3) of a child's exploitation: vulnerabilities,
    then significant signs of sexual and criminal exploitation, now or in the past 12 months."""
    def ids(domain: str, significant: bool | None = None) -> list[str]:
        return [
            i.id for d, items in catalogue.by_domain() if d.id == domain for i in items
            if not i.disclosure and i.id != "SEX-05" and (significant is None or i.significant == significant)
        ]

    chosen = {i: rng.choice(["current", "past_12_months"]) for i in rng.sample(ids("vulnerability"), rng.randint(2, 4))}
    domains = ["sexual_exploitation", "criminal_exploitation", "online"]
    for _ in range(stage):
        pool = [i for i in ids(rng.choice(domains), significant=True) if i not in chosen]
        pool = pool or [i for d in domains for i in ids(d, significant=True) if i not in chosen]
        chosen[rng.choice(pool)] = "current" if rng.random() < 0.7 else "past_12_months"
    if stage >= 2:
        chosen[rng.choice([i for i in ids("missing") if i not in chosen])] = "current"
    if rng.random() < 0.4:
        chosen[rng.choice(ids("emotional_health"))] = "current"
    return [(ident, when, RISK_EVIDENCE.get(catalogue.indicator(ident).domain, "Seen by the worker.")) for ident, when in chosen.items()]


def build_records(world: BenchWorld, children: RecordChildren) -> RecordChildren:
    """The busy child's record and the quiet child's, through the services (emails suppressed,
    as in the demo: notifications still reach inboxes)."""
    from lantern.referrals import services as referral_services
    from lantern.referrals.models import CheckType, Outcome
    from lantern.risk import services as risk_services
    from lantern.risk.catalogue import current_catalogue
    from lantern.risk.models import DecisionSource, Level, RiskKind
    from lantern.risk.scoring import highest

    rng = random.Random(SEED + 3)
    today = timezone.localdate()
    catalogue = current_catalogue()
    police = world.staff[POLICE_AGENCY][0]
    social_care = world.staff[HUB_AGENCY][0]
    hub = world.hub

    def screeners(child: Child) -> list:
        """(agency, worker) for each agency working with the child: the bench practitioner for theirs."""
        pairs = []
        for inv in child.involvements.filter(ended_on__isnull=True).select_related("agency").order_by("agency__name"):
            worker = world.practitioner if inv.agency_id == world.bench_agency.pk else world.staff[inv.agency.name][0]
            pairs.append((inv.agency, worker))
        return pairs

    def refer(child: Child, *, days_ago: int, outcome: bool, checks: list) -> int:
        received = _at(today - dt.timedelta(days=days_ago), 9, 30)
        referral = referral_services.refer_child(
            by=world.practitioner, child=child, concern="Going missing overnight and seen with older adults in cars.",
            consent_sought=True, indicator_ids=["MIS-02", "SEX-02", "CRIM-01"], received_at=received,
        )
        for by, check_type in checks:
            referral_services.record_check(
                by=by, referral=referral, check_type=check_type, result_note="Information shared with the hub.",
                checked_on=received.date() + dt.timedelta(days=1),
            )
        if outcome:
            referral_services.record_outcome(
                by=hub, referral=referral, outcome=Outcome.EXPLOITATION_MEETING,
                reason="Concerns meet the threshold for an exploitation risk meeting.", decided_at=received + dt.timedelta(days=1),
            )
        return len(checks)

    with emails_suppressed():
        # The busy child: 20 screenings over the past year by the agencies in turn, rising concern.
        busy = Child.objects.get(pk=children.busy)
        pairs = screeners(busy)
        screenings = []
        for index in range(BUSY_SCREENINGS):
            agency, worker = pairs[index % len(pairs)]
            stage = min(3, index * 4 // BUSY_SCREENINGS + (1 if index % 5 == 4 else 0))
            screenings.append(risk_services.submit_screening(
                by=worker, child=busy, agency=agency, indicators=_screening_indicators(rng, catalogue, stage),
                strengths=SUBMISSION_STRENGTHS[: index % 3], childs_views=SUBMISSION_TEXT["childs_views"],
                analysis=SUBMISSION_TEXT["analysis"], screened_at=_at(today - dt.timedelta(days=350 - index * 17), 10, index),
            ))
        # 30 decisions: 14 rounds of both kinds of exploitation, each on the latest screening by
        # each agency; every fourth departs from the screenings' suggestion; risk to others twice.
        decisions = 0
        for round_ in range(BUSY_ROUNDS):
            day = today - dt.timedelta(days=340 - round_ * 24)
            resting = {}
            for screening in screenings:
                if screening.screened_at <= _at(day, 14):
                    resting[screening.agency_id] = screening
            resting_on = list(resting.values())
            kinds = [RiskKind.SEXUAL, RiskKind.CRIMINAL] + ([RiskKind.RISK_TO_OTHERS] if round_ in (3, 10) else [])
            for offset, kind in enumerate(kinds):
                suggested = highest(s.suggested_for(kind) for s in resting_on) if kind != RiskKind.RISK_TO_OTHERS else ""
                level = suggested or Level.LOW
                departs = suggested and decisions % 4 == 3
                if departs:
                    level = Level.values[min(Level.rank(suggested) + 1, 3)] if Level.rank(suggested) < 3 else Level.MEDIUM
                risk_services.decide_risk_level(
                    by=hub, child=busy, kind=kind, level=level, screenings=resting_on,
                    reason="Agreed at the hub after reviewing the agencies' screenings and police intelligence.",
                    departure_reason="Police intelligence links the child to adults of concern." if departs and level != suggested else "",
                    source=DecisionSource.MEETING if round_ % 3 == 2 else DecisionSource.HUB,
                    decided_at=_at(day, 14, offset), next_review_on=day + dt.timedelta(days=28),
                )
                decisions += 1
        checks = 0
        for days_ago, outcome, made in (
            (330, True, [(police, CheckType.PNC), (police, CheckType.POLICE_LOCAL), (social_care, CheckType.SOCIAL_CARE)]),
            (210, True, [(police, CheckType.PNC)]),
            (120, True, [(social_care, CheckType.SOCIAL_CARE)]),
            (15, False, []),
        ):
            checks += refer(busy, days_ago=days_ago, outcome=outcome, checks=made)
        children.counts["busy"] = {"screenings": len(screenings), "decisions": decisions, "referrals": 4, "checks": checks}

        # The quiet child: one of each.
        quiet = Child.objects.get(pk=children.quiet)
        agency, worker = next((a, w) for a, w in screeners(quiet) if a.pk == world.bench_agency.pk)
        screening = risk_services.submit_screening(
            by=worker, child=quiet, agency=agency, indicators=_screening_indicators(rng, catalogue, 2),
            childs_views=SUBMISSION_TEXT["childs_views"], analysis=SUBMISSION_TEXT["analysis"],
            screened_at=_at(today - dt.timedelta(days=60), 10),
        )
        day = today - dt.timedelta(days=50)
        risk_services.decide_risk_level(
            by=hub, child=quiet, kind=RiskKind.SEXUAL, level=screening.suggested_sexual, screenings=[screening],
            reason="Agreed at the hub after reviewing the screening.", decided_at=_at(day, 14), next_review_on=day + dt.timedelta(days=28),
        )
        checks = refer(quiet, days_ago=70, outcome=True, checks=[(police, CheckType.PNC)])
        children.counts["quiet"] = {"screenings": 1, "decisions": 1, "referrals": 1, "checks": checks}
    return children
