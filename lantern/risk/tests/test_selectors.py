import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lantern.children import services as child_services
from lantern.children.tests.factories import register_child
from lantern.risk import selectors

from .factories import NOW, PAST, decide, screen


def _child_page_queries(client, user, child) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("children:detail", args=[child.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(p, child, *, screenings: int, decisions: int):
    start = timezone.now() - dt.timedelta(days=300)
    made = []
    for n in range(screenings):
        by = (p.school_lead, p.police_officer)[n % 2]
        made.append(screen(by=by, child=child, screened_at=start + dt.timedelta(days=n),
                           indicators=[("SEX-01", NOW), ("EMO-01", PAST), ("EMO-02", NOW)][: 1 + n % 3]))
    for n in range(decisions):
        decided = start + dt.timedelta(days=screenings + n * 9)
        decide(by=(p.hub, p.chair)[n % 2], child=child, kind=("sexual", "criminal", "risk_to_others")[n % 3],
               level=("low", "medium", "high", "none")[n % 4], screenings=made[-1:], decided_at=decided,
               next_review_on=(decided + dt.timedelta(days=60)).date(), source="hub")


@pytest.mark.finding("F03")
@pytest.mark.finding("F09")
def test_child_page_queries_do_not_grow_with_screenings_or_decisions(client, partnership):
    p = partnership
    small = register_child(by=p.school_lead, first_name="Small")
    big = register_child(by=p.school_lead, first_name="Big")
    for child in (small, big):
        child_services.add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer")
    _grow(p, small, screenings=1, decisions=1)
    _grow(p, big, screenings=20, decisions=30)
    for user in (p.school_lead, p.hub):
        _child_page_queries(client, user, small)  # prime sessions and content types
        assert _child_page_queries(client, user, small) == _child_page_queries(client, user, big)


def test_section_loaders_make_a_fixed_number_of_queries(django_assert_num_queries, partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    child_services.add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer")
    _grow(p, child, screenings=6, decisions=5)
    p.school_lead.access  # noqa: B018  (worked out once per request, before the sections)
    with django_assert_num_queries(2):
        selectors.risk_level_section(p.school_lead, child)
    with django_assert_num_queries(3):
        selectors.screenings_section(p.school_lead, child)


@pytest.mark.finding("F22")
@pytest.mark.finding("F09")
def test_screenings_section_shows_latest_per_agency_emotional_health_and_who_has_not_screened(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    child_services.add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer")
    child_services.add_involvement(by=p.school_lead, child=child, agency=p.health, role="School nurse")
    screen(by=p.school_lead, child=child, indicators=[("EMO-01", NOW)], screened_at=timezone.now() - dt.timedelta(days=200))
    latest_school = screen(by=p.school_lead, child=child, indicators=[("EMO-02", PAST), ("SEX-01", NOW)])
    screen(by=p.police_officer, child=child, indicators=[("CRIM-01", NOW)], screened_at=timezone.now() - dt.timedelta(days=120))
    section = selectors.screenings_section(p.school_lead, child)
    assert [s.agency for s in section["latest"]] == [p.school, p.police]
    assert section["latest"][0] == latest_school
    assert [(s.agency, item.indicator_id) for s, item in section["emotional"]] == [(p.school, "EMO-02")]
    assert [a.name for a in section["not_screened"]] == [p.health.name, p.police.name]


def test_current_levels_take_the_newest_decision_of_each_kind(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    _grow(p, child, screenings=1, decisions=6)  # the school screens; hub and chair decide
    current = selectors.current_levels(child)
    history = selectors.level_history(child)
    for kind in ("sexual", "criminal", "risk_to_others"):
        assert current[kind] == [d for d in history if d.kind == kind][-1]
    assert set(selectors.current_decisions().filter(child=child)) == set(current.values())


def test_people_told_of_a_level_are_the_involved_agencies_staff_and_the_hub(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    inv = child_services.add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer")
    told = set(selectors.people_to_tell(child))
    assert told == {p.school_lead, p.police_officer, p.hub}
    child_services.end_involvement(by=p.hub, involvement=inv, reason="Closed", expected_version=inv.version)
    assert set(selectors.people_to_tell(child)) == {p.school_lead, p.hub}


@pytest.mark.finding("F33")
def test_who_is_at_risk_by_sex_age_ethnicity_and_disability(partnership):
    from lantern.children.tests.factories import register_child
    from lantern.risk.selectors import at_risk_breakdown
    from lantern.risk.tests.factories import decide, screen

    p = partnership
    boy = register_child(by=p.school_lead, age=15, sex="M", ethnicity="APKN")
    girl = register_child(by=p.school_lead, age=12, sex="F", ethnicity="WBRI", learning_disability=True, disability="yes")
    register_child(by=p.school_lead, age=14, sex="F")  # no level decided: not counted
    for child, sexual, criminal in ((boy, "low", "high"), (girl, "medium", "none")):
        screen(by=p.school_lead, child=child, indicators=[("VUL-05", "current")])
        decide(by=p.hub, child=child, kind="sexual", level=sexual)
        decide(by=p.hub, child=child, kind="criminal", level=criminal)
    result = at_risk_breakdown()
    assert result["totals"] == {"low": 0, "medium": 1, "high": 1} and result["total"] == 2
    tables = {name: {group: (counts, total) for group, counts, total in rows} for name, rows in result["tables"].items()}
    assert tables["Sex"] == {"Female": ([0, 1, 0], 1), "Male": ([0, 0, 1], 1)}
    assert tables["Age"] == {"Under 13": ([0, 1, 0], 1), "13 to 15": ([0, 0, 1], 1)}
    assert tables["Ethnic group"] == {"White": ([0, 1, 0], 1), "Asian or Asian British": ([0, 0, 1], 1)}
    assert tables["Disability"]["Learning disability"] == ([0, 1, 0], 1)


@pytest.mark.finding("F33")
def test_the_hub_dashboard_shows_who_is_at_risk(client, partnership):
    client.force_login(partnership.hub)
    body = client.get("/referrals/dashboard/").content.decode()
    assert "Who is at risk" in body and "By ethnic group" in body and "By disability" in body
