"""The fictional demo partnership of Brackenford. Every person and place is invented; names are
built from plant and bird words so no one can mistake them for real people. Everything is
written through the services, as a user would. Deterministic for a given seed and date."""

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from stdnum.gb import upn as upn_module

from lantern.audits.demo import add_demo_audits
from lantern.children import services as child_services
from lantern.children.models import Ethnicity, IdentifierKind, LegalStatus, Sex
from lantern.core.dates import local_today
from lantern.education.demo import add_demo_education
from lantern.contacts.demo import add_demo_contacts
from lantern.meetings.demo import add_demo_meetings
from lantern.missing.demo import add_demo_missing
from lantern.network.demo import add_demo_network
from lantern.plans.demo import add_demo_plan
from lantern.transitions.demo import add_demo_transitions
from lantern.notifications.services import emails_suppressed, mark_read
from lantern.referrals.demo import add_demo_referrals
from lantern.risk.demo import add_demo_risk
from lantern.partnership import services as partnership_services
from lantern.partnership.models import Agency, AgencyType, Role, User

DEMO_PASSWORD = "lantern-demo-2026"
MARKER_AGENCY = "Brackenford Children's Social Care"

AGENCIES = [
    (MARKER_AGENCY, AgencyType.SOCIAL_CARE, ["Exploitation Hub", "Assessment Team", "Children in Care Team"]),
    ("Brackenshire Police", AgencyType.POLICE, ["Child Exploitation Unit", "Missing Persons Team"]),
    ("Brackenford Community Health", AgencyType.HEALTH, ["School Nursing", "Looked After Children Health"]),
    ("Brackenford CAMHS", AgencyType.CAMHS, ["Adolescent Team"]),
    ("Northgate Academy", AgencyType.EDUCATION, []),
    ("St Aldric's High School", AgencyType.EDUCATION, []),
    ("Brackenford Pupil Referral Unit", AgencyType.EDUCATION, []),
    ("Brackenford Youth Justice Service", AgencyType.YOUTH_JUSTICE, []),
    ("Brackenford Youth Service", AgencyType.YOUTH_SERVICE, ["Detached Youth Work"]),
    ("Compass Young People's Drug and Alcohol Service", AgencyType.DRUG_ALCOHOL, []),
    ("Safe Harbour Children's Charity", AgencyType.VOLUNTARY, ["Return Interviews"]),
    ("Brackenford Housing Options", AgencyType.HOUSING, []),
]

# (email, full name, job title, agency, team, role) – the logins printed by `make demo`.
DEMO_LOGINS = [
    ("hub@lantern.example", "Hana Hubworth", "Exploitation hub coordinator", MARKER_AGENCY, "Exploitation Hub", Role.HUB),
    ("social.worker@lantern.example", "Sam Socialby", "Social worker", MARKER_AGENCY, "Children in Care Team", Role.PRACTITIONER),
    ("manager@lantern.example", "Morgan Managerfield", "Team manager", MARKER_AGENCY, "Children in Care Team", Role.MANAGER),
    ("police@lantern.example", "Pat Constabury", "Detective constable", "Brackenshire Police", "Child Exploitation Unit", Role.PRACTITIONER),
    ("school@lantern.example", "Sky Schoolcroft", "Designated safeguarding lead", "Northgate Academy", None, Role.PRACTITIONER),
    ("nurse@lantern.example", "Nia Nurseley", "School nurse", "Brackenford Community Health", "School Nursing", Role.PRACTITIONER),
    ("youth.worker@lantern.example", "Yusuf Youngwood", "Youth worker", "Brackenford Youth Service", "Detached Youth Work", Role.PRACTITIONER),
    ("chair@lantern.example", "Charlie Chairwell", "Exploitation meeting chair", MARKER_AGENCY, "Exploitation Hub", Role.MEETING_CHAIR),
    ("auditor@lantern.example", "Alex Auditmoor", "Quality assurance officer", MARKER_AGENCY, None, Role.AUDITOR),
    ("police.auditor@lantern.example", "Priya Ploverfield", "Public protection quality lead", "Brackenshire Police", None, Role.AUDITOR),
    ("school.auditor@lantern.example", "Sol Sedgewell", "Deputy headteacher (safeguarding)", "Northgate Academy", None, Role.AUDITOR),
    ("health.auditor@lantern.example", "Hollis Heronby", "Named nurse for safeguarding children", "Brackenford Community Health", None, Role.AUDITOR),
    ("youth.auditor@lantern.example", "Yara Yarrowdale", "Youth service quality lead", "Brackenford Youth Service", None, Role.AUDITOR),
    ("board@lantern.example", "Bobbie Boardman", "Safeguarding partnership board member", "Brackenshire Police", None, Role.BOARD_MEMBER),
    ("admin@lantern.example", "Ash Adminton", "Partnership business manager", MARKER_AGENCY, None, Role.ADMINISTRATOR),
]

FIRST_NAMES_F = ["Amelia", "Ava", "Chloe", "Ellie", "Grace", "Holly", "Isla", "Jade", "Keira", "Layla", "Maisie", "Mia", "Nadia", "Olivia", "Poppy", "Ruby", "Sana", "Tia", "Zara", "Leah", "Aisha", "Megan", "Kayla", "Freya"]
FIRST_NAMES_M = ["Aaron", "Ben", "Callum", "Dylan", "Ethan", "Finn", "Harvey", "Isaac", "Jayden", "Kai", "Liam", "Mason", "Noah", "Owen", "Reece", "Ryan", "Tyler", "Zain", "Kyle", "Bilal", "Connor", "Jack", "Leo", "Omar"]
NICKNAMES = {
    "Amelia": "Millie", "Olivia": "Liv", "Maisie": "Mais", "Megan": "Meg", "Isabella": "Bella", "Ellie": "Ell",
    "Callum": "Cal", "Harvey": "Harv", "Isaac": "Zac", "Jayden": "Jay", "Connor": "Con", "Omar": "Om",
}
SURNAME_STARTS = ["Bracken", "Thistle", "Wren", "Heron", "Sorrel", "Fern", "Kestrel", "Nettle", "Rowan", "Lark", "Teasel", "Yarrow", "Plover", "Sedge", "Vetch", "Linnet", "Tansy", "Ouzel", "Burdock", "Campion"]
SURNAME_ENDS = ["wick", "combe", "dale", "more", "by", "thorpe", "field", "well", "ley", "shaw"]
STAFF_FIRST = ["Jo", "Lee", "Kit", "Robin", "Ali", "Jamie", "Drew", "Casey", "Rowan", "Toni", "Frankie", "Jesse", "Remi", "Sasha"]
AREAS = ["Brackenford Central", "Northgate", "Millbrook", "Eastholme", "Riverside", "Hollins Park", "Stanmoor", "Westcliffe"]
LANGUAGES = ["English"] * 8 + ["Urdu", "Polish", "Punjabi", "Romanian", "Arabic", "Somali"]
RELIGIONS = ["", "", "No religion", "Christian", "Muslim", "Sikh", "Hindu"]
ETHNICITY_WEIGHTS = [
    (Ethnicity.WBRI, 60), (Ethnicity.APKN, 9), (Ethnicity.AIND, 4), (Ethnicity.MWBC, 5), (Ethnicity.MOTH, 3),
    (Ethnicity.BAFR, 3), (Ethnicity.BCRB, 2), (Ethnicity.WOTH, 5), (Ethnicity.WROM, 2), (Ethnicity.ABAN, 2),
    (Ethnicity.OOTH, 2), (Ethnicity.NOBT, 3),
]
LEGAL_STATUS_WEIGHTS = [
    (LegalStatus.LOOKED_AFTER, 25), (LegalStatus.CHILD_PROTECTION, 15), (LegalStatus.CHILD_IN_NEED, 25),
    (LegalStatus.EARLY_HELP, 15), (LegalStatus.SPECIAL_GUARDIANSHIP, 3), (LegalStatus.NONE, 17),
]
AGE_WEIGHTS = [(10, 3), (11, 5), (12, 8), (13, 14), (14, 20), (15, 22), (16, 18), (17, 10)]
SCHOOLS = ["Northgate Academy", "St Aldric's High School", "Brackenford Pupil Referral Unit"]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights, k=1)[0]


def fictional_surname(rng: random.Random) -> str:
    return rng.choice(SURNAME_STARTS) + rng.choice(SURNAME_ENDS)


def nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        if digits[0] == 0:
            continue
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1))) % 11
        if check == 11:
            check = 0
        if check == 10:
            continue
        return "".join(map(str, digits)) + str(check)


def upn(rng: random.Random) -> str:
    body = "384" + "".join(str(rng.randint(0, 9)) for _ in range(9))  # 384: Kirklees-style LA number, fictional school
    return upn_module.calc_check_digit(body) + body


@dataclass
class DemoResult:
    created: bool
    children: int
    logins: list


def demo_present() -> bool:
    return Agency.objects.filter(name=MARKER_AGENCY).exists()


class RealDataPresent(Exception):
    """The database already holds a partnership that is not the demo's."""


def generate(*, children: int = 150, seed: int = 2026, today: dt.date | None = None) -> DemoResult:
    if demo_present():
        return DemoResult(created=False, children=0, logins=DEMO_LOGINS)
    demo_names = {name for name, _type, _teams in AGENCIES}
    if Agency.objects.exclude(name__in=demo_names).exists():
        raise RealDataPresent("This database already holds agencies that are not the demo's: the demo data is not added to it.")
    rng = random.Random(seed)
    today = today or local_today()
    with transaction.atomic(), emails_suppressed():
        agencies, staff = _partnership(rng)
        hub_user = User.objects.get(email="hub@lantern.example")
        chair_user = User.objects.get(email="chair@lantern.example")
        for _ in range(children):
            child = _child(rng, today, agencies, staff)
            # What the agencies did about each child: referrals to the hub, screenings, the levels decided.
            add_demo_referrals(rng=rng, child=child, today=today, staff_by_agency=staff, hub_user=hub_user)
            add_demo_risk(rng=rng, child=child, today=today, staff_by_agency=staff, hub_user=hub_user, chair_user=chair_user)
            # Where each child is educated, after their levels: the school of a child already at risk is told.
            add_demo_education(rng=rng, child=child, today=today, staff_by_agency=staff, hub_user=hub_user)
            add_demo_missing(rng=rng, child=child, today=today, staff_by_agency=staff, hub_user=hub_user)
            add_demo_contacts(rng=rng, child=child, today=today, staff_by_agency=staff)
            add_demo_transitions(rng=rng, child=child, today=today, staff_by_agency=staff, hub_user=hub_user)
            add_demo_plan(rng=rng, child=child, today=today, hub_user=hub_user)
        # The partnership's exploitation meetings: two held, a strategy discussion, today's to prepare.
        add_demo_meetings(rng=rng, today=today, chair_user=chair_user, hub_user=hub_user)
        # The people and places around the children, as the police mapped them.
        add_demo_network(rng=rng, today=today, hub_user=hub_user)
        # Audits: one closed with its action plan, a dip sample open now, a learning event under way.
        add_demo_audits(rng=rng, today=today)
        # The messages those back-dated records sent are history: the demo's inboxes start read.
        for user in User.objects.filter(notifications__read_at__isnull=True).distinct():
            mark_read(user=user)
    return DemoResult(created=True, children=children, logins=DEMO_LOGINS)


def _partnership(rng: random.Random):
    agencies: dict[str, Agency] = {}
    teams = {}
    for name, agency_type, team_names in AGENCIES:
        agency = partnership_services.create_agency(by=None, name=name, agency_type=agency_type)
        agencies[name] = agency
        for team_name in team_names:
            teams[(name, team_name)] = partnership_services.create_team(by=None, agency=agency, name=team_name)
    staff: dict[str, list[User]] = {name: [] for name in agencies}
    password_hash = make_password(DEMO_PASSWORD)
    for email, full_name, title, agency_name, team_name, role in DEMO_LOGINS:
        user = User.objects.filter(email=email).first() or partnership_services.create_user(
            by=None, email=email, full_name=full_name, job_title=title, password_hash=password_hash
        )
        partnership_services.add_membership(
            by=None, user=user, agency=agencies[agency_name], role=role, team=teams.get((agency_name, team_name))
        )
        if role == Role.PRACTITIONER:
            staff[agency_name].append(user)
    job_titles = {
        AgencyType.SOCIAL_CARE: "Social worker", AgencyType.POLICE: "Police officer", AgencyType.HEALTH: "Nurse",
        AgencyType.EDUCATION: "Safeguarding lead", AgencyType.YOUTH_JUSTICE: "Youth justice officer",
        AgencyType.YOUTH_SERVICE: "Youth worker", AgencyType.DRUG_ALCOHOL: "Substance misuse worker",
        AgencyType.VOLUNTARY: "Return interview worker", AgencyType.HOUSING: "Housing officer", AgencyType.CAMHS: "Clinician",
    }
    for name, agency in agencies.items():
        for index in range(4 if agency.agency_type == AgencyType.SOCIAL_CARE else 2):
            slug = "".join(ch for ch in name.lower() if ch.isalnum())[:18]
            full_name = f"{rng.choice(STAFF_FIRST)} {fictional_surname(rng)}"
            user = partnership_services.create_user(
                by=None, email=f"{slug}.{index + 1}@lantern.example", full_name=full_name,
                job_title=job_titles[agency.agency_type], password_hash=password_hash,
            )
            partnership_services.add_membership(by=None, user=user, agency=agency, role=Role.PRACTITIONER)
            staff[name].append(user)
    return agencies, staff


def _child(rng: random.Random, today: dt.date, agencies, staff):
    sex = rng.choices([Sex.FEMALE, Sex.MALE, Sex.NOT_KNOWN], weights=[58, 40, 2])[0]
    first = rng.choice(FIRST_NAMES_F if sex == Sex.FEMALE else FIRST_NAMES_M)
    age = _weighted(rng, AGE_WEIGHTS)
    born = today - dt.timedelta(days=age * 365 + rng.randint(10, 355))
    legal_status = _weighted(rng, LEGAL_STATUS_WEIGHTS)
    school = rng.choice(SCHOOLS)
    social_care = legal_status in {LegalStatus.LOOKED_AFTER, LegalStatus.CHILD_PROTECTION, LegalStatus.CHILD_IN_NEED}
    registrar_agency = MARKER_AGENCY if social_care else school
    registrar = rng.choice(staff[registrar_agency])
    identifiers = [(IdentifierKind.NHS, nhs_number(rng))]
    if rng.random() < 0.8:
        identifiers.append((IdentifierKind.UPN, upn(rng)))
    if social_care:
        identifiers.append((IdentifierKind.LA_CHILD_ID, f"BF{rng.randint(100000, 999999)}"))
    if rng.random() < 0.3:
        identifiers.append((IdentifierKind.POLICE_REF, f"BP/{rng.randint(10, 26)}/{rng.randint(10000, 99999)}"))
    learning_disability = rng.random() < 0.08
    child = child_services.register_child(
        by=registrar,
        legal_first_name=first,
        legal_last_name=fictional_surname(rng),
        preferred_name=NICKNAMES.get(first, "") if rng.random() < 0.3 else "",
        date_of_birth=born,
        sex=sex,
        ethnicity=_weighted(rng, ETHNICITY_WEIGHTS),
        first_language=rng.choice(LANGUAGES),
        religion=rng.choice(RELIGIONS),
        disability="yes" if learning_disability or rng.random() < 0.07 else rng.choice(["no", "no", "not_known"]),
        learning_disability=learning_disability,
        send_status=rng.choice(["none", "none", "sen_support", "ehc_plan", "not_known"]),
        address_area=rng.choice(AREAS),
        legal_status=legal_status,
        identifiers=identifiers,
        involvement_role="Social worker" if social_care else "Designated safeguarding lead",
        make_lead=social_care and rng.random() < 0.9,
        confirmed_not_duplicate=True,
        involvement_started_on=today - dt.timedelta(days=rng.randint(30, 900)),
    )
    # The other agencies around the child.
    started = lambda: max(born + dt.timedelta(days=365 * 9), today - dt.timedelta(days=rng.randint(20, 700)))  # noqa: E731
    if social_care:
        _involve(rng, registrar, child, agencies[school], staff[school], "Designated safeguarding lead", started())
    plan = [
        (0.5, "Brackenford Community Health", "School nurse"),
        (0.45, "Brackenshire Police", "Child exploitation officer"),
        (0.3, "Brackenford Youth Service", "Youth worker"),
        (0.15, "Brackenford Youth Justice Service", "Youth justice officer"),
        (0.2, "Brackenford CAMHS", "Clinician"),
        (0.3, "Safe Harbour Children's Charity", "Specialist exploitation worker"),
        (0.1, "Compass Young People's Drug and Alcohol Service", "Substance misuse worker"),
        (0.05, "Brackenford Housing Options", "Housing officer"),
    ]
    added = []
    for chance, agency_name, role in plan:
        if rng.random() < chance:
            added.append(_involve(rng, registrar, child, agencies[agency_name], staff[agency_name], role, started()))
    if not social_care and rng.random() < 0.75:
        lead_candidates = [inv for inv in added if inv is not None] or list(child.involvements.all())
        child_services.set_lead_professional(by=registrar, involvement=rng.choice(lead_candidates))
    # Some involvements have already ended, with a reason, as they do in life.
    if added and rng.random() < 0.15:
        ending = rng.choice(added)
        if not ending.is_lead:
            child_services.end_involvement(
                by=ending.professional, involvement=ending, expected_version=ending.version,
                reason=rng.choice(["Work completed and closed", "Young person declined further support", "Worker left; case transferred"]),
            )
    return child


def _involve(rng, by, child, agency, people, role, started_on):
    return child_services.add_involvement(
        by=by, child=child, agency=agency, professional=rng.choice(people), role=role, started_on=started_on
    )
