"""Screening and deciding the level, as users cause them, through the services the pages use."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from lantern.children import services as child_services
from lantern.children.models import TimelineEvent
from lantern.children.tests.factories import register_child
from lantern.core.concurrency import ConcurrentEditError
from lantern.core.dates import local_today
from lantern.notifications.models import Notification
from lantern.partnership.models import Role
from lantern.partnership.tests.factories import make_user
from lantern.risk import selectors, services
from lantern.risk.conf import add_months
from lantern.risk.models import RiskDecision, Screening, ScreeningIndicator

from .factories import NOW, PAST, decide, screen


@pytest.fixture
def child(partnership):
    """A 15-year-old the school registered, the police also working with her."""
    p = partnership
    registered = register_child(by=p.school_lead, age=15, first_name="Amber", last_name="Reedwater")
    child_services.add_involvement(by=p.school_lead, child=registered, agency=p.police, role="Child exploitation officer", professional=p.police_officer)
    return registered


def _nothing_saved():
    assert not Screening.objects.exists()
    assert not ScreeningIndicator.objects.exists()
    assert not RiskDecision.objects.exists()


# Screening -------------------------------------------------------------------------------------

@pytest.mark.finding("F09")
def test_an_involved_agency_screens_and_the_hub_is_told(partnership, child):
    p = partnership
    screening = screen(
        by=p.school_lead, child=child, indicators=[("SEX-01", NOW, "Older boyfriend collects her from school"), ("MIS-02", PAST), ("VUL-05", NOW)],
        strengths=["STR-01"], strengths_note="Loves art club", childs_views="He looks after me", analysis="Grooming pattern",
    )
    assert screening.agency == p.school and screening.screened_by == p.school_lead
    assert screening.catalogue_version == 1
    assert (screening.score_sexual, screening.score_criminal) == (5 + 1 + 1, 1 + 1)
    assert (screening.suggested_sexual, screening.suggested_criminal) == ("low", "none")
    assert screening.strengths == [{"id": "STR-01", "wording": "Has a trusted adult they talk to"}]
    row = screening.indicators.get(indicator_id="SEX-01")
    assert (row.wording, row.domain, row.weight, row.when) == ("Relationship with a controlling or much older partner", "sexual_exploitation", 5, NOW)
    assert row.evidence == "Older boyfriend collects her from school"
    assert screening.indicators.get(indicator_id="MIS-02").weight == 1
    event = TimelineEvent.objects.get(child=child, kind="screening_completed")
    assert "Testford Academy" in event.summary and event.agency == p.school
    note = Notification.objects.get(recipient=p.hub, category="screening")
    assert child.legal_first_name not in note.subject and child.legal_last_name not in note.subject
    assert not Notification.objects.filter(recipient=p.school_lead, category="screening").exists()


def test_a_screening_with_nothing_seen_counts_as_a_contribution(partnership, child):
    screening = screen(by=partnership.police_officer, child=child)
    assert (screening.score_sexual, screening.suggested_sexual) == (0, "none")
    assert screening.agency == partnership.police


def test_unknown_indicator_is_refused_and_nothing_is_saved(partnership, child):
    with pytest.raises(ValidationError) as exc:
        screen(by=partnership.school_lead, child=child, indicators=[("SEX-01", NOW), ("XYZ-99", NOW)])
    assert "There is no indicator 'XYZ-99'" in str(exc.value)
    _nothing_saved()


def test_bad_when_and_missing_evidence_are_refused_clearly(partnership, child):
    with pytest.raises(ValidationError) as exc:
        services.submit_screening(
            by=partnership.school_lead, child=child,
            indicators=[("SEX-01", NOW, "  "), ("VUL-01", "last_year", ""), ("VUL-02", NOW, "")],
        )
    errors = exc.value.message_dict
    assert "significant indicator" in errors["evidence_SEX-01"][0]
    assert "now or in the past 12 months" in errors["when_VUL-01"][0]
    assert "VUL-02" not in str(errors)  # evidence is optional for a sign that is not significant
    _nothing_saved()


def test_strengths_must_be_strengths(partnership, child):
    with pytest.raises(ValidationError) as exc:
        screen(by=partnership.school_lead, child=child, strengths=["SEX-01"])
    assert "not strengths" in str(exc.value)
    with pytest.raises(ValidationError):
        screen(by=partnership.school_lead, child=child, indicators=[("STR-01", NOW)])
    _nothing_saved()


def test_screening_a_child_the_user_may_not_see_is_not_found(partnership, child):
    with pytest.raises(Http404):
        screen(by=partnership.nurse, child=child, indicators=[("SEX-01", NOW)])
    _nothing_saved()


def test_emergency_access_does_not_let_a_user_screen(partnership, child):
    p = partnership
    child_services.record_identifier(by=p.school_lead, child=child, kind="nhs", value="943 476 5919")
    child_services.request_break_glass(
        by=p.nurse, identifier_kind="nhs", identifier_value="9434765919", date_of_birth=child.date_of_birth,
        reason="Attended A&E at 3am with an older man, need her history",
    )
    with pytest.raises(PermissionDenied):
        screen(by=p.nurse, child=child, indicators=[("SEX-01", NOW)])
    _nothing_saved()


def test_the_agency_must_be_one_of_the_users_agencies_working_with_the_child(partnership, child):
    p = partnership
    with pytest.raises(ValidationError) as exc:
        screen(by=p.school_lead, child=child, agency=p.police)
    assert "only while it works with the child" in str(exc.value)
    # The hub screens for its own agency, involved or not.
    assert screen(by=p.hub, child=child).agency == p.social_care


def test_a_user_in_two_involved_agencies_must_say_which_one(partnership, child):
    p = partnership
    from lantern.partnership import services as partnership_services

    partnership_services.add_membership(by=None, user=p.school_lead, agency=p.police, role=Role.PRACTITIONER)
    p.school_lead.__dict__.pop("access", None)
    with pytest.raises(ValidationError) as exc:
        screen(by=p.school_lead, child=child)
    assert "Choose which of your agencies" in str(exc.value)
    assert screen(by=p.school_lead, child=child, agency=p.police).agency == p.police


@pytest.mark.finding("F08")
def test_a_child_of_12_with_a_sexual_indicator_must_be_referred_to_social_care(partnership):
    p = partnership
    young = register_child(by=p.school_lead, age=12)
    screening = screen(by=p.school_lead, child=young, indicators=[("SEX-08", PAST)])
    assert screening.must_refer_to_social_care and not screening.referred_to_social_care
    assert "13 or under" in screening.social_care_referral_reason
    assert screening.referral_outstanding
    assert "NOT yet confirmed" in TimelineEvent.objects.get(child=young, kind="screening_completed").detail
    # The worker confirms the referral; it is recorded with who and when.
    services.confirm_social_care_referral(by=p.school_lead, screening=screening, expected_version=screening.version)
    screening.refresh_from_db()
    assert screening.referred_to_social_care and screening.referral_confirmed_by == p.school_lead
    with pytest.raises(ValidationError):
        services.confirm_social_care_referral(by=p.school_lead, screening=screening, expected_version=screening.version)


def test_a_referral_already_made_is_recorded_with_the_screening(partnership):
    p = partnership
    young = register_child(by=p.school_lead, age=11)
    screening = screen(by=p.school_lead, child=young, indicators=[("SEX-05", NOW)], referred_to_social_care=True)
    assert screening.must_refer_to_social_care and not screening.referral_outstanding
    assert screening.referral_confirmed_by == p.school_lead


def test_only_the_author_or_the_hub_confirms_a_referral(partnership, child):
    p = partnership
    young = register_child(by=p.school_lead, age=12)
    child_services.add_involvement(by=p.school_lead, child=young, agency=p.police, role="Officer")
    screening = screen(by=p.school_lead, child=young, indicators=[("SEX-08", NOW)])
    with pytest.raises(PermissionDenied):
        services.confirm_social_care_referral(by=p.police_officer, screening=screening, expected_version=screening.version)
    services.confirm_social_care_referral(by=p.hub, screening=screening, expected_version=screening.version)


@pytest.mark.finding("F33")
def test_a_child_with_a_learning_disability_and_any_concern_must_be_referred(partnership):
    p = partnership
    ld = register_child(by=p.school_lead, age=16, learning_disability=True, disability="yes")
    screening = screen(by=p.school_lead, child=ld, indicators=[("ONL-01", NOW)])
    assert screening.must_refer_to_social_care and "learning disability" in screening.social_care_referral_reason
    assert screening.disability_added and screening.score_sexual == 2


@pytest.mark.finding("F33")
def test_the_catalogue_covers_online_harm_boys_lgbt_and_disability(partnership):
    from lantern.risk.catalogue import current_catalogue

    catalogue = current_catalogue()
    domains = {d.id for d in catalogue.domains}
    assert {"online", "hbv", "trafficking", "harmful_sexual_behaviour", "emotional_health", "criminal_exploitation"} <= domains
    assert "sexual orientation" in catalogue.indicator("VUL-12").wording


def test_disclosure_suggests_high(partnership, child):
    screening = screen(by=partnership.school_lead, child=child, indicators=[("CRIM-10", NOW)])
    assert screening.score_criminal == 5 and screening.suggested_criminal == "high"
    assert screening.suggested_sexual == "none" and screening.disclosure


def test_a_screening_made_on_an_old_catalogue_page_is_refused(partnership, child):
    p = partnership
    services.publish_catalogue_addition(
        by=p.administrator, indicator_id="ONL-05", domain="online", wording="Meets people they met online",
        weight=1, weight_past=1, applies_to=["sexual", "criminal"], change_note="Local learning review",
    )
    with pytest.raises(services.CatalogueChanged) as exc:
        screen(by=p.school_lead, child=child, indicators=[("ONL-01", NOW)], expected_catalogue_version=1)
    assert "version 2" in exc.value.messages[0]
    _nothing_saved()
    assert screen(by=p.school_lead, child=child, indicators=[("ONL-05", NOW)], expected_catalogue_version=2).score_sexual == 1


def test_a_screening_cannot_be_dated_in_the_future(partnership, child):
    with pytest.raises(ValidationError):
        screen(by=partnership.school_lead, child=child, screened_at=timezone.now() + dt.timedelta(days=1))


# The risk level --------------------------------------------------------------------------------

@pytest.mark.finding("F03")
def test_school_screens_hub_decides_high_and_every_involved_agency_is_told(partnership, child):
    p = partnership
    police_manager = make_user(p.police, Role.MANAGER)
    health_worker_elsewhere = p.nurse
    screening = screen(by=p.school_lead, child=child, indicators=[("SEX-01", NOW), ("SEX-02", NOW), ("VUL-01", NOW)])
    assert screening.suggested_sexual == "medium"
    decision = decide(
        by=p.hub, child=child, kind="sexual", level="high", screenings=[screening],
        reason="Seen getting into cars with adults twice this week", departure_reason="Escalating quickly; police intelligence",
    )
    assert decision.suggested_level == "medium" and decision.departs_from_suggestion
    assert list(decision.screenings.all()) == [screening]
    told = set(Notification.objects.filter(category="risk_level").values_list("recipient_id", flat=True))
    assert {p.school_lead.pk, p.police_officer.pk, police_manager.pk} <= told
    assert p.hub.pk not in told  # the hub made the decision: it is not told of its own action
    assert health_worker_elsewhere.pk not in told and p.social_worker.pk not in told
    for note in Notification.objects.filter(category="risk_level"):
        assert child.legal_first_name not in note.subject and child.legal_last_name not in note.subject
        assert "changed from" not in note.body and "risk set at high" in note.body
    event = TimelineEvent.objects.get(child=child, kind="risk_level_decided")
    assert "Sexual exploitation risk set at high by Harriet Hub" in event.summary
    assert "police intelligence" in event.detail
    # Every agency's view shows the partnership's level.
    for user in (p.school_lead, p.police_officer):
        section = selectors.risk_level_section(user, child)
        assert dict(section["levels"])["Sexual exploitation"].level == "high"


@pytest.mark.finding("F03")
def test_a_later_decision_is_the_current_level_and_the_hub_is_told_when_a_chair_decides(partnership, child):
    p = partnership
    screen(by=p.school_lead, child=child, indicators=[("SEX-12", NOW)])
    decide(by=p.hub, child=child, kind="sexual", level="high")
    decide(by=p.chair, child=child, kind="sexual", level="medium", source="meeting")
    current = selectors.current_levels(child)
    assert current["sexual"].level == "medium" and current["sexual"].source == "meeting"
    assert current["criminal"] is None
    assert [d.level for d in selectors.level_history(child)] == ["high", "medium"]
    note = Notification.objects.filter(recipient=p.hub, category="risk_level").get()
    assert "changed from high to medium" in note.body


@pytest.mark.finding("F03")
def test_a_practitioner_cannot_decide_and_nothing_changes(partnership, child):
    p = partnership
    screening = screen(by=p.school_lead, child=child, indicators=[("SEX-01", NOW)])
    before = (TimelineEvent.objects.count(), Notification.objects.count())
    for user in (p.school_lead, p.social_care_manager, p.administrator):
        with pytest.raises(PermissionDenied) as exc:
            decide(by=user, child=child, level="high", screenings=[screening])
        assert "Only the exploitation hub or a meeting chair" in str(exc.value)
    assert not RiskDecision.objects.exists()
    assert (TimelineEvent.objects.count(), Notification.objects.count()) == before


@pytest.mark.finding("F03")
def test_departing_from_the_suggestion_needs_a_reason(partnership, child):
    p = partnership
    screening = screen(by=p.school_lead, child=child, indicators=[("SEX-01", NOW)])  # suggests none (5)
    with pytest.raises(ValidationError) as exc:
        decide(by=p.hub, child=child, level="high", screenings=[screening], departure_reason="   ")
    assert "The screenings suggest no identified risk" in exc.value.message_dict["departure_reason"][0]
    assert not RiskDecision.objects.exists()
    agreed = decide(by=p.hub, child=child, level="none", screenings=[screening], departure_reason="ignored")
    assert agreed.departure_reason == ""  # no departure, nothing kept


def test_the_suggestion_is_the_highest_of_the_screenings_it_rests_on(partnership, child):
    p = partnership
    low = screen(by=p.school_lead, child=child, indicators=[("SEX-01", NOW), ("VUL-01", NOW)])
    high = screen(by=p.police_officer, child=child, indicators=[("SEX-12", NOW)])
    decision = decide(by=p.hub, child=child, level="high", screenings=[low, high], departure_reason="")
    assert decision.suggested_level == "high" and not decision.departs_from_suggestion


@pytest.mark.finding("F03")
def test_the_next_review_is_required_not_past_and_within_three_months(partnership, child, settings):
    p = partnership
    screen(by=p.school_lead, child=child, indicators=[("SEX-12", NOW)])
    today = local_today()
    for review, message in [
        (None, "Enter the date of the next review"),
        (today - dt.timedelta(days=1), "today or later"),
        (add_months(today, 3) + dt.timedelta(days=1), "within 3 months"),
    ]:
        with pytest.raises(ValidationError) as exc:
            decide(by=p.hub, child=child, next_review_on=review)
        assert message in exc.value.message_dict["next_review_on"][0]
    assert not RiskDecision.objects.exists()
    assert decide(by=p.hub, child=child, next_review_on=add_months(today, 3)).next_review_on == add_months(today, 3)
    settings.LANTERN_LEVEL_REVIEW_MONTHS = 1
    with pytest.raises(ValidationError):
        decide(by=p.hub, child=child, next_review_on=add_months(today, 2))


def test_a_decision_needs_a_reason_and_screenings_of_this_child(partnership, child):
    p = partnership
    other = register_child(by=p.school_lead)
    theirs = screen(by=p.school_lead, child=other, indicators=[("SEX-12", NOW)])
    with pytest.raises(ValidationError) as exc:
        decide(by=p.hub, child=child, screenings=[theirs], reason="")
    assert set(exc.value.message_dict) >= {"reason", "screenings"}
    with pytest.raises(ValidationError) as exc:
        decide(by=p.hub, child=child, screenings=[])
    assert "Choose the screenings" in exc.value.message_dict["screenings"][0]
    with pytest.raises(ValidationError):
        decide(by=p.hub, child=child, screenings=[theirs], kind="sexual", level="severe")
    assert not RiskDecision.objects.exists()


def test_a_decision_made_on_a_stale_page_is_refused(partnership, child):
    p = partnership
    screen(by=p.school_lead, child=child, indicators=[("SEX-12", NOW)])
    first = decide(by=p.hub, child=child, expected_current=None)
    with pytest.raises(ConcurrentEditError):
        decide(by=p.chair, child=child, level="medium", expected_current=None, source="meeting")
    decide(by=p.chair, child=child, level="medium", expected_current=first.pk, source="meeting")
    assert RiskDecision.objects.count() == 2


@pytest.mark.finding("F08")
def test_harmful_sexual_behaviour_is_a_risk_to_others_without_changing_the_level(partnership, child):
    p = partnership
    first = screen(by=p.school_lead, child=child, indicators=[("SEX-01", NOW), ("SEX-02", NOW), ("SEX-03", NOW)])
    decide(by=p.hub, child=child, kind="sexual", level="medium", screenings=[first])
    with_hsb = screen(by=p.police_officer, child=child, indicators=[("SEX-01", NOW), ("SEX-02", NOW), ("SEX-03", NOW), ("HSB-02", NOW)])
    assert with_hsb.risk_to_others
    assert (with_hsb.score_sexual, with_hsb.suggested_sexual) == (first.score_sexual, first.suggested_sexual)
    decision = decide(by=p.hub, child=child, kind="risk_to_others", level="medium", screenings=[with_hsb], departure_reason="")
    assert decision.suggested_level == ""  # the tool does not score harm to others
    current = selectors.current_levels(child)
    assert current["sexual"].level == "medium" and current["risk_to_others"].level == "medium"
    assert current["criminal"] is None


def test_a_decision_can_be_recorded_for_an_earlier_date(partnership, child):
    p = partnership
    earlier = timezone.now() - dt.timedelta(days=40)
    screening = screen(by=p.school_lead, child=child, indicators=[("SEX-12", NOW)], screened_at=earlier - dt.timedelta(days=1))
    decision = decide(by=p.hub, child=child, decided_at=earlier, next_review_on=(earlier + dt.timedelta(days=60)).date(), screenings=[screening])
    assert decision.decided_at == earlier
    with pytest.raises(ValidationError) as exc:
        decide(by=p.hub, child=child, decided_at=earlier - dt.timedelta(days=1), next_review_on=(earlier + dt.timedelta(days=30)).date(),
               screenings=[screening])
    assert "before" in str(exc.value)
