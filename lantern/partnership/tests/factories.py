"""Test data for the partnership, made through the services."""

import itertools
from dataclasses import dataclass

import factory

from lantern.partnership import services
from lantern.partnership.models import Agency, AgencyType, Role, User

_counter = itertools.count(1)

TEST_PASSWORD = "correct-horse-battery-staple-9"


class AgencyFactory(factory.Factory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    agency_type = AgencyType.OTHER

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_agency(by=None, name=kwargs["name"], agency_type=kwargs["agency_type"])


def make_user(agency: Agency, role: str = Role.PRACTITIONER, *, name: str | None = None, email: str | None = None) -> User:
    n = next(_counter)
    user = services.create_user(
        by=None,
        email=email or f"user{n}@lantern.test",
        full_name=name or f"Test Person {n}",
        password=TEST_PASSWORD,
    )
    services.add_membership(by=None, user=user, agency=agency, role=role)
    return user


@dataclass
class Partnership:
    social_care: Agency
    police: Agency
    school: Agency
    health: Agency
    social_worker: User
    social_care_manager: User
    hub: User
    chair: User
    police_officer: User
    school_lead: User
    nurse: User
    auditor: User
    board_member: User
    administrator: User


def build_partnership() -> Partnership:
    social_care = AgencyFactory(name="Testshire Children's Social Care", agency_type=AgencyType.SOCIAL_CARE)
    police = AgencyFactory(name="Testshire Police", agency_type=AgencyType.POLICE)
    school = AgencyFactory(name="Testford Academy", agency_type=AgencyType.EDUCATION)
    health = AgencyFactory(name="Testshire Health", agency_type=AgencyType.HEALTH)
    return Partnership(
        social_care=social_care,
        police=police,
        school=school,
        health=health,
        social_worker=make_user(social_care, Role.PRACTITIONER, name="Sally Worker", email="sally@lantern.test"),
        social_care_manager=make_user(social_care, Role.MANAGER, name="Mo Manager", email="mo@lantern.test"),
        hub=make_user(social_care, Role.HUB, name="Harriet Hub", email="hub@lantern.test"),
        chair=make_user(social_care, Role.MEETING_CHAIR, name="Chris Chair", email="chair@lantern.test"),
        police_officer=make_user(police, Role.PRACTITIONER, name="Paul Officer", email="paul@lantern.test"),
        school_lead=make_user(school, Role.PRACTITIONER, name="Sam Lead", email="sam@lantern.test"),
        nurse=make_user(health, Role.PRACTITIONER, name="Nina Nurse", email="nina@lantern.test"),
        auditor=make_user(social_care, Role.AUDITOR, name="Audrey Auditor", email="audrey@lantern.test"),
        board_member=make_user(police, Role.BOARD_MEMBER, name="Bo Board", email="bo@lantern.test"),
        administrator=make_user(social_care, Role.ADMINISTRATOR, name="Ada Admin", email="ada@lantern.test"),
    )
