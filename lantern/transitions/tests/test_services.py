"""Transition plans and placements out of area through the services: validation (every problem
at once, nothing saved), permission, history, concurrent edits, notifications, no deletes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantern.children.models import IdentifierKind, Involvement, TimelineEvent
from lantern.children.services import add_involvement, request_break_glass
from lantern.children.tests.factories import register_child
from lantern.core.concurrency import ConcurrentEditError
from lantern.core.dates import age_on, local_today
from lantern.core.models import HardDeleteRefused
from lantern.notifications.models import Notification
from lantern.partnership.models import AgencyType, Role
from lantern.partnership.tests.factories import AgencyFactory, make_user
from lantern.transitions import services
from lantern.transitions.models import (
    OutOfAreaPlacement,
    PlanStatus,
    TransitionPlan,
    birthday,
    born_on_or_before_for_age,
    born_on_or_before_for_default_due_before,
    default_due_on,
)

from .factories import born_aged, days_ago, placement, plan


@pytest.fixture
def young_person(partnership):
    """A 17-year-old registered by children's social care (Sally the lead), the school involved too."""
    p = partnership
    child = register_child(by=p.social_worker, date_of_birth=born_aged(17), first_name="Gwen", last_name="Reedwater", make_lead=True,
                           identifiers=[(IdentifierKind.NHS, "943 476 5919")])
    add_involvement(by=p.social_worker, child=child, agency=p.school, role="College safeguarding lead", professional=p.school_lead)
    return child


# Dates -------------------------------------------------------------------------------------------


def test_birthdays_and_due_dates():
    assert birthday(dt.date(2008, 2, 29), 18) == dt.date(2026, 3, 1)
    assert birthday(dt.date(2008, 2, 29), 16) == dt.date(2024, 2, 29)
    assert default_due_on(dt.date(2008, 9, 14)) == dt.date(2026, 3, 14)
    assert default_due_on(dt.date(2008, 8, 31)) == dt.date(2026, 2, 28)  # no 31 February: the month's last day


@pytest.mark.parametrize("today", [dt.date(2026, 2, 28), dt.date(2026, 3, 1), dt.date(2028, 2, 29), dt.date(2026, 8, 31),
                                   dt.date(2026, 12, 31), dt.date(2027, 1, 1)])
def test_date_of_birth_bounds_agree_with_age_and_due_date(today):
    latest_17 = born_on_or_before_for_age(today, 17)
    assert age_on(latest_17, today) >= 17 and age_on(latest_17 + dt.timedelta(days=1), today) < 17
    latest_due = born_on_or_before_for_default_due_before(today)
    assert default_due_on(latest_due) < today <= default_due_on(latest_due + dt.timedelta(days=1))
    for offset in range(-400, 400, 7):  # the due date only moves later with the date of birth
        dob = latest_due + dt.timedelta(days=offset)
        assert (default_due_on(dob) < today) == (dob <= latest_due)


# Transition plans ------------------------------------------------------------------------------------


def test_recording_a_plan_tells_the_professional_named_and_keeps_history(partnership, young_person):
    p = partnership
    saved = plan(by=p.social_worker, child=young_person, owner=p.school_lead, agency=p.school)
    assert saved.status == PlanStatus.IN_PROGRESS and saved.due_on == default_due_on(young_person.date_of_birth)
    assert saved.recorded_by == p.social_worker and saved.history.count() == 1
    note = Notification.objects.get(category="transitions", recipient=p.school_lead)
    assert "responsible" in note.subject and note.url == f"/transitions/child/{young_person.pk}/"
    assert TimelineEvent.objects.filter(child=young_person, kind="transition_plan_recorded").count() == 1

    agreed = plan(by=p.school_lead, child=young_person, owner=p.school_lead, agency=p.school, status=PlanStatus.AGREED,
                  expected_version=saved.version)
    assert agreed.pk == saved.pk and agreed.version == 2 and agreed.agreed_on == local_today()
    assert agreed.receiving_labels == ["Leaving care team"] and agreed.history.count() == 2
    assert TimelineEvent.objects.filter(child=young_person, kind="transition_plan_agreed").count() == 1
    # The same owner is not told again, and nobody is told of their own record.
    assert Notification.objects.filter(category="transitions").count() == 1
    assert TransitionPlan.objects.count() == 1


def test_every_problem_is_reported_at_once_and_nothing_is_saved(partnership, young_person):
    p = partnership
    with pytest.raises(ValidationError) as exc:
        services.save_transition_plan(
            by=p.social_worker, child=young_person, due_on=birthday(young_person.date_of_birth, 18) + dt.timedelta(days=1),
            status=PlanStatus.AGREED, owner=p.police_officer, owner_agency=p.police, receiving_services=["other", "made_up"],
            agreed_on=local_today() + dt.timedelta(days=1),
        )
    errors = exc.value.message_dict
    assert set(errors) == {"due_on", "owner", "receiving_services", "receiving_other", "agreed_on", "summary", "young_persons_words"}
    assert "18th birthday" in errors["due_on"][0] and "agency that works with the young person" in errors["owner"][0]
    with pytest.raises(ValidationError) as exc:
        services.save_transition_plan(by=p.social_worker, child=young_person, due_on=None, status="nonsense", owner=None,
                                      owner_agency=None)
    assert set(exc.value.message_dict) == {"due_on", "status", "owner"}
    assert not TransitionPlan.objects.exists() and not Notification.objects.filter(category="transitions").exists()


def test_other_service_text_and_a_plan_not_agreed(partnership, young_person):
    p = partnership
    saved = plan(by=p.social_worker, child=young_person, receiving_other="Supported lodgings scheme", agreed_on=days_ago(1))
    assert saved.receiving_services == ["other"] and saved.receiving_labels == ["Supported lodgings scheme"]
    assert saved.agreed_on is None  # only an agreed plan has a date agreed


def test_a_plan_starts_at_16(partnership):
    p = partnership
    child = register_child(by=p.social_worker, date_of_birth=born_aged(15))
    with pytest.raises(ValidationError, match="16th birthday"):
        plan(by=p.social_worker, child=child)
    sixteen = register_child(by=p.social_worker, date_of_birth=born_aged(16))
    assert plan(by=p.social_worker, child=sixteen).pk


def test_a_change_made_meanwhile_is_never_overwritten(partnership, young_person):
    p = partnership
    first = plan(by=p.social_worker, child=young_person)
    plan(by=p.school_lead, child=young_person, owner=p.social_worker, agency=p.social_care, expected_version=first.version)
    with pytest.raises(ConcurrentEditError):
        plan(by=p.social_worker, child=young_person, status=PlanStatus.NOT_STARTED, expected_version=first.version)
    with pytest.raises(ConcurrentEditError):  # a second "first" plan, recorded while someone else recorded one
        plan(by=p.social_worker, child=young_person)
    stored = TransitionPlan.objects.get()
    assert stored.version == 2 and stored.status == PlanStatus.IN_PROGRESS and stored.updated_by == p.school_lead


def test_who_may_record_a_plan(partnership, young_person):
    p = partnership
    with pytest.raises(PermissionDenied):
        plan(by=p.police_officer, child=young_person, owner=p.social_worker, agency=p.social_care)
    request_break_glass(by=p.police_officer, identifier_kind=IdentifierKind.NHS, identifier_value="9434765919",
                        date_of_birth=young_person.date_of_birth, reason="Found with older males at 2am, need to know who to call")
    with pytest.raises(PermissionDenied):  # emergency access reads, never records
        plan(by=p.police_officer, child=young_person, owner=p.social_worker, agency=p.social_care)
    assert plan(by=p.hub, child=young_person, owner=p.school_lead, agency=p.school).pk
    # The hub may be named responsible when its agency works with the child; an auditor may not.
    assert plan(by=p.hub, child=young_person, owner=p.hub, agency=p.social_care, expected_version=1).owner == p.hub
    with pytest.raises(ValidationError, match="cannot be responsible"):
        plan(by=p.hub, child=young_person, owner=p.auditor, agency=p.social_care, expected_version=2)


# Placements out of area ----------------------------------------------------------------------------


def test_recording_a_placement_tells_everyone_who_works_with_the_child(partnership, young_person):
    p = partnership
    saved = placement(by=p.social_worker, child=young_person, agency=p.social_care)
    assert saved.is_current and saved.recorded_by == p.social_worker and saved.history.count() == 1
    told = set(Notification.objects.filter(category="transitions", child=young_person).values_list("recipient__email", flat=True))
    assert {"sam@lantern.test", "mo@lantern.test", "hub@lantern.test"} <= told and "sally@lantern.test" not in told
    event = TimelineEvent.objects.get(child=young_person, kind="out_of_area_placement")
    assert "Saltby" in event.summary and "Westmarsh Borough Council" in event.summary

    with pytest.raises(ValidationError) as exc:  # one current placement
        placement(by=p.social_worker, child=young_person, agency=p.social_care, placement_area="Kelbury")
    assert "End that placement first" in exc.value.message_dict["started_on"][0]

    received = services.record_host_information(by=p.social_care_manager, placement=saved, received_on=days_ago(1),
                                                information="Police intelligence sent.")
    assert received.information_received_on == days_ago(1) and saved.information_recorded_by == p.social_care_manager
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_host_information(by=p.social_worker, placement=saved, received_on=days_ago(1), information="Again")

    ended = services.end_out_of_area_placement(by=p.social_worker, placement=saved, ended_on=local_today(), reason="Came home")
    assert ended.ended_on == local_today() and saved.ended_on == local_today() and saved.version == 3
    assert Notification.objects.filter(category="transitions", subject__contains="no longer placed", recipient=p.school_lead).exists()
    with pytest.raises(ValidationError, match="already ended"):
        services.end_out_of_area_placement(by=p.social_worker, placement=saved, ended_on=local_today(), reason="Again")
    assert placement(by=p.social_worker, child=young_person, agency=p.social_care, started_on=local_today()).is_current


def test_placement_problems_are_reported_at_once_and_nothing_is_saved(partnership, young_person):
    p = partnership
    with pytest.raises(ValidationError) as exc:
        placement(by=p.social_worker, child=young_person, agency=p.police, host_authority=" ", placement_area="12 Mill Lane",
                  host_contact_email="not an email", host_contact_phone="call me", started_on=local_today() + dt.timedelta(days=1),
                  notified_host_on=days_ago(5), information_requested="", information_due_on=days_ago(6))
    assert set(exc.value.message_dict) == {
        "placing_agency", "host_authority", "placement_area", "host_contact_email", "host_contact_phone", "started_on",
        "information_requested", "information_due_on",
    }
    with pytest.raises(ValidationError) as exc:
        placement(by=p.social_worker, child=young_person, agency=p.social_care, placement_area="Saltby SL4 7QT",
                  started_on=None, information_due_on=None)
    assert set(exc.value.message_dict) == {"placement_area", "started_on", "information_due_on"}
    assert "not the address or the full postcode" in exc.value.message_dict["placement_area"][0]
    assert not OutOfAreaPlacement.objects.exists() and not Notification.objects.filter(category="transitions").exists()

    saved = placement(by=p.social_worker, child=young_person, agency=p.social_care, host_contact_email="", host_contact_phone="")
    with pytest.raises(ValidationError) as exc:
        services.record_host_information(by=p.social_worker, placement=saved, received_on=days_ago(60), information=" ")
    assert set(exc.value.message_dict) == {"received_on", "information"}
    with pytest.raises(ValidationError) as exc:
        services.end_out_of_area_placement(by=p.social_worker, placement=saved, ended_on=days_ago(31), reason="")
    assert set(exc.value.message_dict) == {"ended_on", "reason"}
    saved.refresh_from_db()
    assert saved.version == 1 and saved.information_received_on is None and saved.ended_on is None


def test_only_social_care_working_with_the_child_and_the_hub_record_placements(partnership, young_person):
    p = partnership
    for outsider in (p.school_lead, p.police_officer, p.chair):
        with pytest.raises(PermissionDenied):
            placement(by=outsider, child=young_person, agency=p.social_care)
    # A social care agency not working with the child cannot place it; the hub can record it for them.
    other_la = AgencyFactory(name="Othershire Children's Services", agency_type=AgencyType.SOCIAL_CARE)
    other_worker = make_user(other_la, Role.PRACTITIONER)
    with pytest.raises(PermissionDenied):
        placement(by=other_worker, child=young_person, agency=other_la)
    saved = placement(by=p.hub, child=young_person, agency=other_la)
    assert saved.placing_agency == other_la
    involvement = Involvement.objects.get(child=young_person, agency=other_la, ended_on__isnull=True)
    assert involvement.role == services.PLACING_ROLE
    with pytest.raises(PermissionDenied):
        services.end_out_of_area_placement(by=p.school_lead, placement=saved, ended_on=local_today(), reason="x")


def test_nothing_is_ever_deleted(partnership, young_person):
    p = partnership
    saved_plan = plan(by=p.social_worker, child=young_person)
    saved_placement = placement(by=p.social_worker, child=young_person, agency=p.social_care)
    for record in (saved_plan, saved_placement):
        with pytest.raises(HardDeleteRefused):
            record.delete()
        with pytest.raises(HardDeleteRefused):
            type(record).objects.all().delete()
    assert TransitionPlan.objects.count() == 1 and OutOfAreaPlacement.objects.count() == 1
