"""Referrals, outcomes and statutory checks, built through the services as users would."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lantern.children.models import Child, TimelineEvent
from lantern.children.services import PossibleDuplicate, add_involvement
from lantern.children.tests.factories import register_child
from lantern.core.dates import LONDON, local_today
from lantern.notifications.models import Notification
from lantern.partnership.models import AgencyType, Role
from lantern.partnership.tests.factories import AgencyFactory, make_user
from lantern.referrals import services
from lantern.referrals.models import CheckType, Outcome, Referral, StatutoryCheck
from lantern.referrals.selectors import referral_list, referral_page
from lantern.referrals.tests.factories import refer


def _inbox(user, category="referral"):
    return list(Notification.objects.filter(recipient=user, category=category))


def _new_child_details(**overrides):
    today = local_today()
    details = dict(
        legal_first_name="Amber", legal_last_name="Quillfeather", sex="F",
        date_of_birth=today.replace(year=today.year - 14) - dt.timedelta(days=20),
    )
    details.update(overrides)
    return details


# --- Referring -----------------------------------------------------------------------------


@pytest.mark.finding("F04")
def test_school_refers_an_existing_child_and_the_hub_is_told(partnership):
    p = partnership
    child = register_child(by=p.school_lead, first_name="Eden")
    referral = refer(by=p.school_lead, child=child, urgency="urgent")
    assert referral.referring_agency == p.school and referral.referrer == p.school_lead
    assert referral.indicator_ids == ["SEX-02", "EXP-01"] and referral.catalogue_version == 1
    assert referral.outcome == ""
    # The hub is told, without the child's name in the subject; the referrer is not told of their own act.
    [note] = _inbox(p.hub)
    assert "Testford Academy" in note.subject and "Eden" not in note.subject
    assert note.url == f"/referrals/{referral.pk}/"
    assert _inbox(p.school_lead) == []
    assert _inbox(p.police_officer) == []
    # It is on the child's timeline.
    event = TimelineEvent.objects.get(child=child, kind="referral_made")
    assert "Sam Lead" in event.summary and event.agency == p.school
    assert referral.history.count() == 1


def test_a_user_without_a_case_role_cannot_refer(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    for user in (p.auditor, p.board_member, p.administrator):
        with pytest.raises(PermissionDenied):
            refer(by=user, child=child)
    assert Referral.objects.count() == 0


def test_a_child_the_user_cannot_see_cannot_be_referred(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    with pytest.raises(PermissionDenied):
        refer(by=p.police_officer, child=child)
    assert Referral.objects.count() == 0


def test_the_hub_may_refer_for_its_agency(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    referral = refer(by=p.hub, child=child)
    assert referral.referring_agency == p.social_care


@pytest.mark.finding("F11")
def test_referring_a_new_child_adds_them_to_the_register_with_the_referrers_agency(partnership):
    p = partnership
    referral = services.refer_new_child(
        by=p.nurse, child_details=_new_child_details(), involvement_role="School nurse",
        concern="Disclosed an older boyfriend who gives her alcohol.", consent_sought=False,
        consent_not_sought_reason="Asking the family would put her at risk.", indicator_ids=["SEX-01"],
    )
    child = referral.child
    assert child.legal_first_name == "Amber" and referral.referring_agency == p.health
    involvement = child.involvements.get()
    assert involvement.agency == p.health and involvement.professional == p.nurse
    assert referral.consent_sought is False and referral.consent_not_sought_reason.startswith("Asking")
    kinds = set(TimelineEvent.objects.filter(child=child).values_list("kind", flat=True))
    assert kinds == {"child_registered", "referral_made"}


@pytest.mark.finding("F11")
def test_a_new_child_matching_a_visible_child_is_a_possible_duplicate_and_nothing_is_saved(partnership):
    p = partnership
    existing = register_child(by=p.school_lead, first_name="Amber", last_name="Quillfeather")
    with pytest.raises(PossibleDuplicate) as caught:
        services.refer_new_child(
            by=p.school_lead, child_details=_new_child_details(date_of_birth=existing.date_of_birth),
            involvement_role="Safeguarding lead", concern="Missing overnight twice.", consent_sought=True,
        )
    assert caught.value.check.visible_matches == [existing]
    assert Child.objects.count() == 1 and Referral.objects.count() == 0
    assert _inbox(p.hub) == []
    # Once the referrer confirms it is a different child, both are saved.
    services.refer_new_child(
        by=p.school_lead, child_details=_new_child_details(date_of_birth=existing.date_of_birth),
        involvement_role="Safeguarding lead", concern="Missing overnight twice.", consent_sought=True,
        confirmed_not_duplicate=True,
    )
    assert Child.objects.count() == 2 and Referral.objects.count() == 1


@pytest.mark.finding("F11")
def test_a_bad_referral_of_a_new_child_saves_no_child(partnership):
    p = partnership
    with pytest.raises(ValidationError) as caught:
        services.refer_new_child(
            by=p.school_lead, child_details=_new_child_details(), involvement_role="Safeguarding lead",
            concern="", consent_sought=True,
        )
    assert "concern" in caught.value.message_dict
    assert Child.objects.count() == 0


def test_an_unknown_indicator_is_refused_with_a_clear_message(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    with pytest.raises(ValidationError) as caught:
        refer(by=p.school_lead, child=child, indicator_ids=["SEX-02", "NOT-AN-INDICATOR"])
    assert caught.value.message_dict["indicator_ids"] == ["There is no indicator 'NOT-AN-INDICATOR' in version 1 of the catalogue"]
    assert Referral.objects.count() == 0


def test_consent_not_sought_needs_a_reason(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    with pytest.raises(ValidationError) as caught:
        refer(by=p.school_lead, child=child, consent_sought=False, consent_not_sought_reason="  ")
    assert caught.value.message_dict == {"consent_not_sought_reason": ["Enter why you did not ask for consent"]}
    with pytest.raises(ValidationError) as caught:
        refer(by=p.school_lead, child=child, consent_sought=None)
    assert "consent_sought" in caught.value.message_dict
    assert Referral.objects.count() == 0
    # A reason given when consent was sought is not kept: it would contradict the answer.
    referral = refer(by=p.school_lead, child=child, consent_sought=True, consent_not_sought_reason="irrelevant")
    assert referral.consent_not_sought_reason == ""


@pytest.mark.finding("F11")
def test_referral_dates_cannot_be_in_the_future_or_before_birth(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    with pytest.raises(ValidationError) as caught:
        refer(by=p.school_lead, child=child, received_at=timezone.now() + dt.timedelta(hours=2))
    assert "received_at" in caught.value.message_dict
    before_birth = dt.datetime.combine(child.date_of_birth - dt.timedelta(days=1), dt.time(12), tzinfo=LONDON)
    with pytest.raises(ValidationError) as caught:
        refer(by=p.school_lead, child=child, received_at=before_birth)
    assert "on or after the child's date of birth" in caught.value.message_dict["received_at"][0]
    assert Referral.objects.count() == 0


def test_a_user_of_several_agencies_says_which_one_refers(partnership):
    p = partnership
    make_user_agency = AgencyFactory(name="Second School", agency_type=AgencyType.EDUCATION)
    from lantern.partnership import services as partnership_services

    partnership_services.add_membership(by=None, user=p.school_lead, agency=make_user_agency, role=Role.PRACTITIONER)
    p.school_lead.__dict__.pop("access", None)
    child = register_child(by=p.school_lead, agency=p.school)
    with pytest.raises(ValidationError) as caught:
        refer(by=p.school_lead, child=child)
    assert "agency" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        refer(by=p.school_lead, child=child, agency=p.police)
    assert refer(by=p.school_lead, child=child, agency=make_user_agency).referring_agency == make_user_agency


# --- Outcomes (F04) ------------------------------------------------------------------------


@pytest.mark.finding("F04")
def test_hub_records_the_outcome_and_the_referring_agency_is_told(partnership):
    p = partnership
    school_manager = make_user(p.school, Role.MANAGER, name="Meg Head")
    school_colleague = make_user(p.school, Role.PRACTITIONER, name="Col League")
    child = register_child(by=p.school_lead, first_name="Eden")
    referral = refer(by=p.school_lead, child=child)
    services.record_outcome(by=p.hub, referral=referral, outcome=Outcome.STRATEGY_DISCUSSION, reason="Disclosure of abuse; s47 threshold met.")
    referral.refresh_from_db()
    assert referral.outcome == Outcome.STRATEGY_DISCUSSION and referral.outcome_decided_by == p.hub
    for user in (p.school_lead, school_manager, school_colleague):
        [note] = _inbox(user)
        assert "Testford Academy" in note.subject and "Eden" not in note.subject
        assert "Strategy discussion" in note.body
    # Nobody outside the referring agency is told, and not the hub itself.
    assert _inbox(p.police_officer) == [] and _inbox(p.social_worker) == []
    assert len(_inbox(p.hub)) == 1  # only the referral itself
    assert TimelineEvent.objects.filter(child=child, kind="referral_outcome").count() == 1
    # The school sees it on its referral list and on the referral page.
    [listed] = referral_list(p.school_lead)
    assert listed.outcome == Outcome.STRATEGY_DISCUSSION
    assert referral_page(p.school_lead, listed).referral.get_outcome_display() == "Strategy discussion (section 47)"


@pytest.mark.finding("F04")
def test_only_the_hub_may_record_an_outcome_and_nothing_changes_otherwise(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    referral = refer(by=p.school_lead, child=child)
    for user in (p.school_lead, p.social_care_manager, p.chair, p.auditor):
        with pytest.raises(PermissionDenied) as caught:
            services.record_outcome(by=user, referral=referral, outcome=Outcome.NO_FURTHER_ACTION, reason="No concerns")
        assert "Only the exploitation hub" in str(caught.value)
    referral.refresh_from_db()
    assert referral.outcome == "" and referral.version == 1 and referral.history.count() == 1
    assert not TimelineEvent.objects.filter(kind="referral_outcome").exists()
    assert _inbox(p.school_lead) == []


@pytest.mark.finding("F04")
def test_an_outcome_cannot_be_recorded_twice(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    referral = refer(by=p.school_lead, child=child)
    services.record_outcome(by=p.hub, referral=referral, outcome=Outcome.SCREENING, reason="Screen with partners")
    stale = Referral.objects.get(pk=referral.pk)
    with pytest.raises(ValidationError) as caught:
        services.record_outcome(by=p.hub, referral=stale, outcome=Outcome.NO_FURTHER_ACTION, reason="Changed mind")
    assert "already recorded" in caught.value.messages[0] and "cannot be recorded twice" in caught.value.messages[0]
    referral.refresh_from_db()
    assert referral.outcome == Outcome.SCREENING
    assert len(_inbox(p.school_lead)) == 1


def test_an_outcome_needs_a_known_outcome_and_a_reason(partnership):
    p = partnership
    referral = refer(by=p.school_lead, child=register_child(by=p.school_lead))
    with pytest.raises(ValidationError) as caught:
        services.record_outcome(by=p.hub, referral=referral, outcome="maybe", reason=" ")
    assert set(caught.value.message_dict) == {"outcome", "reason"}
    with pytest.raises(ValidationError) as caught:
        services.record_outcome(
            by=p.hub, referral=referral, outcome=Outcome.EARLY_HELP, reason="Family support",
            decided_at=referral.received_at - dt.timedelta(minutes=5),
        )
    assert "decided_at" in caught.value.message_dict
    referral.refresh_from_db()
    assert referral.outcome == ""


# --- The outcome clock (F04) ----------------------------------------------------------------


def _london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.mark.finding("F04")
def test_outcome_due_one_working_day_after_receipt_across_a_weekend_and_christmas():
    from lantern.core.dates import is_working_day

    # Friday 24 December 2027: Christmas and Boxing Day fall on the weekend, so Monday 27 and
    # Tuesday 28 are bank holidays; the outcome is due on Wednesday 29 December.
    due = services.outcome_due_on(_london(2027, 12, 24, 16, 0))
    assert due == dt.date(2027, 12, 29)
    assert not any(is_working_day(dt.date(2027, 12, d)) for d in (25, 26, 27, 28)) and is_working_day(due)
    # An ordinary Friday: due the Monday.
    assert services.outcome_due_on(_london(2027, 11, 19, 9, 0)) == dt.date(2027, 11, 22)
    # A Saturday: due the Monday.
    assert services.outcome_due_on(_london(2027, 11, 20, 9, 0)) == dt.date(2027, 11, 22)


@pytest.mark.finding("F04")
def test_outcome_due_date_counts_from_the_london_date_across_the_clock_changes():
    utc = dt.timezone.utc
    # Summer time: 23:30 UTC on Thursday 22 October 2026 is 00:30 on Friday in London: due Monday.
    assert services.outcome_due_on(dt.datetime(2026, 10, 22, 23, 30, tzinfo=utc)) == dt.date(2026, 10, 26)
    # After the clocks go back (25 October 2026), 23:30 UTC is 23:30 in London: Thursday, due Friday.
    assert services.outcome_due_on(dt.datetime(2026, 10, 29, 23, 30, tzinfo=utc)) == dt.date(2026, 10, 30)
    # Before the clocks go forward (Easter Sunday, 28 March 2027), 23:30 UTC on Thursday 25 March
    # is still Thursday in London; Good Friday and Easter Monday are bank holidays: due Tuesday 30.
    assert services.outcome_due_on(dt.datetime(2027, 3, 25, 23, 30, tzinfo=utc)) == dt.date(2027, 3, 30)
    # After they go forward, 23:30 UTC on Thursday 1 April is Friday in London: due Monday 5 April.
    assert services.outcome_due_on(dt.datetime(2027, 4, 1, 23, 30, tzinfo=utc)) == dt.date(2027, 4, 5)
    with pytest.raises(ValueError):
        services.outcome_due_on(dt.datetime(2027, 4, 1, 23, 30))


# --- Statutory checks (F01) -----------------------------------------------------------------


def _missing(user, referral) -> list[str]:
    return [e.check_type for e in referral_page(user, referral).missing]


@pytest.mark.finding("F01")
def test_expected_checks_follow_the_involved_agencies_and_list_what_is_missing(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    referral = refer(by=p.school_lead, child=child)
    # Police and social care always; education because the school is involved.
    assert _missing(p.school_lead, referral) == [CheckType.PNC, CheckType.POLICE_LOCAL, CheckType.SOCIAL_CARE, CheckType.EDUCATION]
    add_involvement(by=p.school_lead, child=child, agency=p.health, role="School nurse")
    add_involvement(by=p.school_lead, child=child, agency=p.police, role="Exploitation officer")
    services.record_check(by=p.school_lead, referral=referral, check_type=CheckType.EDUCATION, result_note="Attendance 61%; 3 exclusions")
    services.record_check(by=p.police_officer, referral=referral, check_type=CheckType.PNC, result_note="Nothing known")
    assert _missing(p.school_lead, referral) == [CheckType.POLICE_LOCAL, CheckType.SOCIAL_CARE, CheckType.HEALTH]
    services.record_check(by=p.police_officer, referral=referral, check_type=CheckType.POLICE_LOCAL, result_note="Two missing reports")
    services.record_check(by=p.hub, referral=referral, check_type=CheckType.SOCIAL_CARE, result_note="Closed CIN case 2023")
    services.record_check(by=p.nurse, referral=referral, check_type=CheckType.HEALTH, result_note="Information shared")
    assert _missing(p.school_lead, referral) == []
    check = StatutoryCheck.objects.get(check_type=CheckType.PNC)
    assert check.agency == p.police and check.checked_by == p.police_officer and check.checked_on == local_today()
    assert TimelineEvent.objects.filter(child=child, kind="statutory_check").count() == 5


@pytest.mark.finding("F01")
def test_a_school_cannot_record_a_police_check(partnership):
    p = partnership
    referral = refer(by=p.school_lead, child=register_child(by=p.school_lead))
    with pytest.raises(PermissionDenied) as caught:
        services.record_check(by=p.school_lead, referral=referral, check_type=CheckType.PNC, result_note="Nothing known")
    assert str(caught.value) == (
        "Only the police can record this check (Police national computer (PNC)). Your agency cannot record it."
    )
    with pytest.raises(PermissionDenied):
        services.record_check(by=p.school_lead, referral=referral, check_type=CheckType.HEALTH, result_note="x")
    assert StatutoryCheck.objects.count() == 0


@pytest.mark.finding("F01")
def test_the_same_check_twice_by_the_same_agency_is_refused(partnership):
    p = partnership
    referral = refer(by=p.school_lead, child=register_child(by=p.school_lead))
    services.record_check(by=p.school_lead, referral=referral, check_type=CheckType.EDUCATION, result_note="Nothing known")
    colleague = make_user(p.school, Role.MANAGER)
    with pytest.raises(ValidationError) as caught:
        services.record_check(by=colleague, referral=referral, check_type=CheckType.EDUCATION, result_note="Again")
    assert caught.value.message_dict["check_type"] == [
        "Testford Academy has already recorded this check (Education records) for this referral"
    ]
    assert StatutoryCheck.objects.count() == 1


@pytest.mark.finding("F01")
def test_checks_need_a_result_a_sensible_date_and_sight_of_the_child(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    referral = refer(by=p.school_lead, child=child)
    with pytest.raises(ValidationError) as caught:
        services.record_check(by=p.school_lead, referral=referral, check_type=CheckType.EDUCATION, result_note=" ",
                              checked_on=local_today() + dt.timedelta(days=1))
    assert set(caught.value.message_dict) == {"result_note", "checked_on"}
    with pytest.raises(PermissionDenied):  # police are not involved, so cannot see the child
        services.record_check(by=p.police_officer, referral=referral, check_type=CheckType.PNC, result_note="Nothing known")
    with pytest.raises(PermissionDenied):
        services.record_check(by=p.auditor, referral=referral, check_type=CheckType.SOCIAL_CARE, result_note="x")
    assert StatutoryCheck.objects.count() == 0


def test_other_checks_may_be_recorded_by_any_agency_and_are_never_expected(partnership):
    p = partnership
    referral = refer(by=p.school_lead, child=register_child(by=p.school_lead))
    services.record_check(by=p.school_lead, referral=referral, check_type=CheckType.OTHER, result_note="Checked CCTV log with site team")
    assert CheckType.OTHER not in _missing(p.school_lead, referral)


def test_outcome_is_not_sent_to_people_who_can_no_longer_see_the_child(partnership):
    from lantern.children import services as child_services
    from lantern.children.tests.factories import register_child
    from lantern.notifications.models import Notification
    from lantern.referrals.tests.factories import refer

    p = partnership
    child = register_child(by=p.school_lead, make_lead=True)
    referral = refer(by=p.school_lead, child=child)
    child_services.add_involvement(by=p.school_lead, child=child, agency=p.social_care, role="Social worker")
    school = child.involvements.get(agency=p.school)
    child_services.end_involvement(by=p.school_lead, involvement=school, reason="Left the school", expected_version=school.version)
    services.record_outcome(by=p.hub, referral=referral, outcome="nfa", reason="Known to social care already")
    assert not Notification.objects.filter(recipient=p.school_lead, category="referral", subject__contains="decided").exists()
