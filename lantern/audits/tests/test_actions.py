"""Findings, recommendations and the action plan (F36) and learning events (F37): the services
through the pages, who sees each page, and that the pages make a fixed number of queries."""

import datetime as dt
import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantern.children import services as child_services
from lantern.core.dates import local_today
from lantern.notifications.models import Notification
from lantern.partnership.models import Role
from lantern.partnership.tests.factories import make_user

from .. import services
from ..models import AuditAnswer, AuditForm, AuditKind, LearningInvitation, Rag, Recommendation, RecommendationUpdate
from .factories import answers_for

pytestmark = pytest.mark.django_db
ERROR_SUMMARY = "govuk-error-summary"


def _url(name, *args):
    return reverse(f"audits:{name}", args=args)


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _login(client, user):
    client.force_login(user)
    return client


def _closed_round(w, *, title="Exploitation audit"):
    audit_round = w.new_round(title=title)
    services.open_round(by=w.lead, audit_round=audit_round)
    services.close_round(by=w.lead, audit_round=audit_round)
    return audit_round


def _recommend(w, audit_round, *, text="Every agency screens for exploitation at referral", agency=None, due_on=None, findings=(), owner=None):
    return services.add_recommendation(
        by=w.lead, audit_round=audit_round, text=text, owner_agency=agency or w.p.police,
        due_on=due_on or local_today() + dt.timedelta(days=60), findings=findings, owner=owner,
    )


# F36: recommendations --------------------------------------------------------------------------


@pytest.mark.finding("F36")
def test_a_recommendation_answers_its_findings_and_needs_an_owner_agency_and_a_due_date(audit_world):
    w = audit_world
    audit_round = _closed_round(w)
    first = services.add_finding(by=w.lead, audit_round=audit_round, theme_id="REF", text="Risk was seen late in 7 of 10 cases")
    second = services.add_finding(by=w.lead, audit_round=audit_round, theme_id="INFO", text="Police intelligence rarely reached schools")
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(ValidationError) as exc:
        services.add_recommendation(by=w.lead, audit_round=audit_round, text=" ", owner_agency=None, due_on=None, findings=[first])
    assert exc.value.message_dict == {
        "text": ["Enter the recommendation"],
        "owner_agency": ["Choose the agency that owns the recommendation"],
        "due_on": ["Enter the date the recommendation is due"],
    }
    with pytest.raises(ValidationError) as exc:
        _recommend(w, audit_round, agency=w.p.police, owner=w.p.school_lead)
    assert "owner" in exc.value.message_dict
    assert not Recommendation.objects.exists()
    with pytest.raises(PermissionDenied):
        services.add_recommendation(
            by=w.police_auditor, audit_round=audit_round, text="x", owner_agency=w.p.police, due_on=local_today(),
        )
    rec = _recommend(w, audit_round, findings=[first, second], owner=w.p.police_officer)
    assert rec.number == 1 and set(rec.findings.all()) == {first, second}
    assert rec.rag == Rag.GREEN
    told = set(Notification.objects.filter(subject__startswith="A recommendation").values_list("recipient_id", flat=True))
    assert told == {w.police_auditor.pk, w.p.police_officer.pk}


@pytest.mark.finding("F36")
def test_the_recommendation_page_refuses_missing_answers_with_clear_messages_and_adds_nothing(client, audit_world):
    w = audit_world
    audit_round = _closed_round(w)
    finding = services.add_finding(by=w.lead, audit_round=audit_round, theme_id="REF", text="Risk was seen late")
    _login(client, w.lead)
    page = client.get(_url("recommendation_new", audit_round.pk))
    assert page.status_code == 200 and "Risk was seen late" in _text(page)
    response = client.post(_url("recommendation_new", audit_round.pk), {"text": "", "findings": [str(finding.pk)]})
    body = _text(response)
    assert response.status_code == 200 and ERROR_SUMMARY in body
    for message in ("Enter the recommendation", "Choose the agency that owns the recommendation", "Enter the date the recommendation is due"):
        assert message in body
    assert not Recommendation.objects.exists()
    due = local_today() + dt.timedelta(days=90)
    response = client.post(_url("recommendation_new", audit_round.pk), {
        "text": "Schools receive police exploitation intelligence within a week", "findings": [str(finding.pk)],
        "owner_agency": str(w.p.police.pk), "owner": str(w.p.police_officer.pk),
        "due_on_0": due.day, "due_on_1": due.month, "due_on_2": due.year,
    })
    rec = Recommendation.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("recommendation", rec.pk)
    assert (rec.owner_agency, rec.owner, rec.due_on) == (w.p.police, w.p.police_officer, due)
    assert list(rec.findings.all()) == [finding]


def test_a_lead_auditor_adds_key_findings_under_a_theme(client, audit_world):
    w = audit_world
    audit_round = _closed_round(w)
    _login(client, w.lead)
    response = client.post(_url("finding_new", audit_round.pk), {"theme_id": "NOPE", "text": ""})
    assert ERROR_SUMMARY in _text(response) and "Enter the finding" in _text(response)
    response = client.post(_url("finding_new", audit_round.pk), {"theme_id": "PLAN", "text": "Plans rarely named the child's own goals"})
    assert response.status_code == 302
    finding = audit_round.findings.get()
    assert (finding.number, finding.theme_id) == (1, "PLAN")
    page = _text(client.get(_url("finding_new", audit_round.pk)))
    assert "Plans rarely named the child&#x27;s own goals" in page or "Plans rarely named the child's own goals" in page
    assert "Quality and effectiveness of plans" in page


@pytest.mark.finding("F36")
def test_progress_is_recorded_and_completion_needs_evidence(client, audit_world):
    w = audit_world
    audit_round = _closed_round(w)
    rec = _recommend(w, audit_round)
    manager = make_user(w.p.police, Role.MANAGER, name="Meg Police-Manager")
    with pytest.raises(PermissionDenied):
        services.update_recommendation(by=w.school_auditor, recommendation=rec, note="Not ours", rag=Rag.RED)
    services.update_recommendation(by=manager, recommendation=rec, note="Training booked for March", rag=Rag.AMBER)
    rec.refresh_from_db()
    assert rec.rag == Rag.AMBER
    with pytest.raises(ValidationError) as exc:
        services.update_recommendation(by=manager, recommendation=rec, note="Done", rag=Rag.COMPLETE, evidence=" ")
    assert exc.value.message_dict == {"evidence": ["Enter the evidence that the recommendation is complete"]}
    rec.refresh_from_db()
    assert rec.completed_at is None and rec.updates.count() == 1

    # The same through the page.
    _login(client, manager)
    response = client.post(_url("recommendation", rec.pk), {"note": "All officers trained", "rag": "complete", "evidence": ""})
    assert ERROR_SUMMARY in _text(response) and "Enter the evidence that the recommendation is complete" in _text(response)
    assert rec.updates.count() == 1
    response = client.post(_url("recommendation", rec.pk), {
        "note": "All officers trained", "rag": "complete", "evidence": "Training register: 48 of 50 officers, March",
    })
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.rag == Rag.COMPLETE and rec.completed_at is not None
    body = _text(client.get(_url("recommendation", rec.pk)))
    for expected in ("Training booked for March", "All officers trained", "Training register: 48 of 50 officers", manager.full_name):
        assert expected in body
    assert "Record progress</button>" not in body  # complete: no more updates
    with pytest.raises(ValidationError):
        services.update_recommendation(by=manager, recommendation=rec, note="More", rag=Rag.GREEN)


@pytest.mark.finding("F36")
def test_owners_are_reminded_14_days_before_and_on_the_due_date_once(audit_world):
    w = audit_world
    today = local_today()
    audit_round = _closed_round(w)
    police_manager = make_user(w.p.police, Role.MANAGER, name="Mal Police-Manager")
    soon = _recommend(w, audit_round, text="Soon", due_on=today + dt.timedelta(days=14), owner=w.p.police_officer)
    _recommend(w, audit_round, text="Later", due_on=today + dt.timedelta(days=30))
    done = _recommend(w, audit_round, text="Done", agency=w.p.school, due_on=today + dt.timedelta(days=14))
    services.update_recommendation(by=w.lead, recommendation=done, note="Done", rag=Rag.COMPLETE, evidence="New policy")

    def reminded():
        return list(
            Notification.objects.filter(subject__startswith="Reminder: recommendation").order_by("pk").values_list("recipient_id", "subject")
        )

    assert services.send_reminders(today=today) == 1
    first = reminded()
    assert {r for r, _ in first} == {w.police_auditor.pk, w.p.police_officer.pk, police_manager.pk}
    assert all(f"recommendation {soon.number} " in s and "is due on" in s for _, s in first)
    assert services.send_reminders(today=today) == 0
    assert services.send_reminders(today=today + dt.timedelta(days=1)) == 0
    assert services.send_reminders(today=soon.due_on) == 1
    on_the_day = reminded()[len(first):]
    assert {r for r, _ in on_the_day} == {w.police_auditor.pk, w.p.police_officer.pk, police_manager.pk}
    assert all(s.endswith("is due today") for _, s in on_the_day)
    assert services.send_reminders(today=soon.due_on) == 0


@pytest.mark.finding("F36")
def test_the_action_plan_shows_each_recommendations_rag_status_and_whether_it_is_overdue(client, audit_world):
    w = audit_world
    today = local_today()
    audit_round = _closed_round(w)
    late = _recommend(w, audit_round, text="Late one", due_on=today - dt.timedelta(days=3))
    services.update_recommendation(by=w.lead, recommendation=late, note="Stalled: no trainer", rag=Rag.RED)
    _recommend(w, audit_round, text="On track one", agency=w.p.school)
    done = _recommend(w, audit_round, text="Done one", agency=w.p.health, due_on=today - dt.timedelta(days=10))
    services.update_recommendation(by=w.lead, recommendation=done, note="Finished", rag=Rag.COMPLETE, evidence="Audit of 20 files")
    _login(client, w.p.board_member)
    body = _text(client.get(_url("action_plan")))
    table = body[body.index('id="action-plan"'):]
    for expected in ("Late one", "On track one", "Done one", "Stalled: no trainer", w.p.police.name, w.p.school.name):
        assert expected in table
    assert table.count(">Overdue</strong>") == 1  # the complete one is not overdue
    assert 'govuk-tag govuk-tag--red">Red' in table and 'govuk-tag--green">Green' in table and 'govuk-tag--blue">Complete' in table
    counts = body[body.index('id="plan-counts"'):body.index('id="action-plan"')]
    assert "Overdue</dt><dd class=\"govuk-summary-list__value\">1<" in counts

    overdue = _text(client.get(_url("action_plan"), {"status": "overdue"}))
    assert "Late one" in overdue and "On track one" not in overdue
    by_agency = _text(client.get(_url("action_plan"), {"agency": w.p.school.pk}))
    assert "On track one" in by_agency and "Late one" not in by_agency
    other = w.new_round(title="Second audit", children=[w.amy])
    services.open_round(by=w.lead, audit_round=other)
    _recommend(w, other, text="From the second")
    by_round = _text(client.get(_url("action_plan"), {"round": other.pk}))
    assert "From the second" in by_round and "Late one" not in by_round
    nonsense = client.get(_url("action_plan"), {"round": "x", "status": "purple"})
    assert nonsense.status_code == 200 and "From the second" in _text(nonsense) and "Late one" in _text(nonsense)


# Who sees what ---------------------------------------------------------------------------------


def test_the_action_plan_is_seen_by_auditors_and_the_board_and_by_owning_agencies_only_for_their_own(client, audit_world):
    w = audit_world
    audit_round = _closed_round(w)
    police_rec = _recommend(w, audit_round, text="For the police")
    school_rec = _recommend(w, audit_round, text="For the school", agency=w.p.school)
    for user in (w.lead, w.health_auditor, w.p.board_member):
        body = _text(_login(client, user).get(_url("action_plan")))
        assert "For the police" in body and "For the school" in body, user
    police_manager = make_user(w.p.police, Role.MANAGER)
    body = _text(_login(client, police_manager).get(_url("action_plan")))
    assert "For the police" in body and "For the school" not in body
    assert _login(client, police_manager).get(_url("recommendation", school_rec.pk)).status_code == 404
    assert client.get(_url("recommendation", police_rec.pk)).status_code == 200
    for user in (w.p.social_worker, w.p.hub, w.p.chair, w.p.administrator, w.p.police_officer):
        _login(client, user)
        assert client.get(_url("action_plan")).status_code == 404, user
        assert client.get(_url("recommendation", police_rec.pk)).status_code == 404, user
    assert client.get(_url("recommendation", 999999)).status_code == 404


def test_a_named_owner_sees_their_recommendation_and_the_board_only_reads(client, audit_world):
    w = audit_world
    audit_round = _closed_round(w)
    rec = _recommend(w, audit_round, owner=w.p.police_officer)
    _login(client, w.p.police_officer)
    assert client.get(_url("action_plan")).status_code == 200
    assert "Record progress</button>" in _text(client.get(_url("recommendation", rec.pk)))
    _login(client, w.p.board_member)
    body = _text(client.get(_url("recommendation", rec.pk)))
    assert "Record progress</button>" not in body and rec.text in body
    assert client.post(_url("recommendation", rec.pk), {"note": "x", "rag": "red"}).status_code == 403
    assert not RecommendationUpdate.objects.exists()


def test_round_pages_are_for_its_lead_auditors_only(client, audit_world):
    w = audit_world
    audit_round = _closed_round(w)
    learning = w.new_round(key="learning-event", title="Learning event")
    for user in (w.police_auditor, w.p.board_member, w.p.hub, w.p.social_worker):
        _login(client, user)
        for name, pk in (("finding_new", audit_round.pk), ("recommendation_new", audit_round.pk), ("sessions", learning.pk),
                         ("round_invitations", learning.pk)):
            assert client.get(_url(name, pk)).status_code == 404, (user, name)
            assert client.post(_url(name, pk), {"text": "x"}).status_code == 404, (user, name)
    _login(client, w.lead)
    assert client.get(_url("sessions", audit_round.pk)).status_code == 404  # not a learning event
    assert client.get(_url("round_invitations", audit_round.pk)).status_code == 404
    assert client.get(_url("sessions", learning.pk)).status_code == 200
    assert client.get(_url("finding_new", 999999)).status_code == 404
    assert client.get(_url("action_plan")).status_code == 200


# F37: learning events --------------------------------------------------------------------------


def _monday(on: dt.date) -> dt.date:
    return on + dt.timedelta(days=(7 - on.weekday()) % 7 or 7)


@pytest.mark.finding("F37")
def test_a_learning_event_from_sessions_to_recommendations(client, audit_world):
    w = audit_world
    p = w.p
    # The professionals named on each case: the school's lead for Amy, the police officer for Ben.
    child_services.add_involvement(by=p.social_worker, child=w.amy, agency=p.school, role="Teacher", professional=p.school_lead)
    child_services.add_involvement(by=p.social_worker, child=w.ben, agency=p.police, role="Missing officer", professional=p.police_officer)
    event = w.new_round(key="learning-event", title="Practice learning event: older boys and county lines")
    assert event.kind == AuditKind.LEARNING_EVENT
    services.set_deep_dive(by=w.lead, case=event.cases.get(label="B"), deep_dive=True)

    # Weekly sessions that skip half term, arranged through the page.
    first = _monday(local_today())
    half_term = (first + dt.timedelta(days=7), first + dt.timedelta(days=11))
    _login(client, w.lead)
    response = client.post(_url("sessions", event.pk), {
        "first_on_0": first.day, "first_on_1": first.month, "first_on_2": first.year, "count": "3",
        "break_1_start_0": half_term[0].day, "break_1_start_1": half_term[0].month, "break_1_start_2": half_term[0].year,
        "break_1_end_0": half_term[1].day, "break_1_end_1": half_term[1].month, "break_1_end_2": half_term[1].year,
        "venue": "Training room 1, Testshire House",
    })
    assert response.status_code == 302
    sessions = list(event.sessions.order_by("number"))
    assert [s.held_on for s in sessions] == [first, first + dt.timedelta(weeks=2), first + dt.timedelta(weeks=3)]
    assert [s.case.label for s in sessions] == ["A", "B", "C"]
    page = _text(client.get(_url("sessions", event.pk)))
    assert "Child B (deep dive)" in page and "Amy" not in page

    # The professionals involved in each case are invited, through the page; attendance recorded.
    assert client.post(_url("round_invitations", event.pk), {"action": "invite"}).status_code == 302
    invited = {(i.case.label, i.professional_id) for i in LearningInvitation.objects.filter(round=event).select_related("case")}
    assert invited == {
        ("A", p.social_worker.pk), ("B", p.social_worker.pk), ("C", p.social_worker.pk),
        ("A", p.school_lead.pk), ("B", p.police_officer.pk),
    }
    told = Notification.objects.filter(subject__startswith="You are invited to a practice learning event")
    assert set(told.values_list("recipient_id", flat=True)) == {p.social_worker.pk, p.school_lead.pk, p.police_officer.pk}
    assert not any("Amy" in n.subject + n.body or "Ben" in n.subject + n.body for n in told)
    assert client.post(_url("round_invitations", event.pk), {"action": "invite"}).status_code == 302  # again: nobody new
    assert LearningInvitation.objects.filter(round=event).count() == 5
    officer_invite = LearningInvitation.objects.get(round=event, professional=p.police_officer)
    response = client.post(_url("round_invitations", event.pk), {"action": "attendance", "invitation": officer_invite.pk, "attended": "yes"})
    assert response.status_code == 302
    officer_invite.refresh_from_db()
    assert officer_invite.attended is True
    page = _text(client.get(_url("round_invitations", event.pk)))
    assert p.police_officer.full_name in page and p.police.name in page and "Ben" not in page

    # The professional sees their invitation by the case's letter, with its session.
    _login(client, p.police_officer)
    mine = _text(client.get(_url("invitations")))
    assert "Child B" in mine and event.title in mine and sessions[1].held_on.strftime("%-d %B %Y") in mine
    assert "Ben" not in mine and "Fictional" not in mine

    # In the sessions the lead auditor records the answers, per key line of enquiry, for each agency.
    services.open_round(by=w.lead, audit_round=event)
    police_form = AuditForm.objects.get(round=event, agency=p.police)
    answers = answers_for(police_form)
    answers.update({
        "RISK-01": "The risk of criminal exploitation was seen at the second missing episode.",
        "MULTI-01": "Police and social care met weekly; the school was not invited.",
    })
    services.save_answers(by=w.lead, form=police_form, answers={"RISK-01": answers["RISK-01"]}, expected_version=police_form.version)
    police_form.refresh_from_db()
    services.submit_form(by=w.lead, form=police_form, expected_version=police_form.version, answers=answers)
    police_form.refresh_from_db()
    assert police_form.status == "submitted" and police_form.submitted_by == w.lead
    recorded = dict(AuditAnswer.objects.filter(form=police_form, cleared_at__isnull=True, text__gt="").values_list("question_id", "text"))
    assert recorded["RISK-01"].startswith("The risk of criminal exploitation") and recorded["MULTI-01"].startswith("Police and social care")
    with pytest.raises(PermissionDenied):  # an agency's own auditor, yes; another agency's, no
        school_form = AuditForm.objects.get(round=event, agency=p.school)
        services.save_answers(by=w.police_auditor, form=school_form, answers={"RISK-01": "x"}, expected_version=school_form.version)

    # The learning is collated into findings and recommendations on the action plan.
    finding = services.add_finding(by=w.lead, audit_round=event, theme_id="MULTI", text="Schools were left out of strategy meetings")
    rec = _recommend(w, event, text="Invite the school to every strategy meeting about a child of school age",
                     agency=p.social_care, findings=[finding])
    _login(client, p.board_member)
    plan = _text(client.get(_url("action_plan"), {"round": event.pk}))
    assert rec.text in plan and event.title in plan


def test_schedule_form_says_what_is_wrong_and_arranges_nothing(client, audit_world):
    w = audit_world
    event = w.new_round(key="learning-event", title="Learning event")
    _login(client, w.lead)
    first = local_today()
    response = client.post(_url("sessions", event.pk), {
        "count": "60", "break_1_start_0": first.day, "break_1_start_1": first.month, "break_1_start_2": first.year,
    })
    body = _text(response)
    for message in ("Enter the date of the first session", "Enter a number of sessions from 1 to 52", "Enter the last day of the break"):
        assert message in body
    assert not event.sessions.exists()


# Fixed numbers of queries ----------------------------------------------------------------------


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["lead", "board", "manager"])
def test_the_action_plan_makes_the_same_queries_for_two_recommendations_or_twelve(client, audit_world, who):
    w = audit_world
    manager = make_user(w.p.police, Role.MANAGER)
    audit_round = _closed_round(w)
    for n in range(2):
        rec = _recommend(w, audit_round, text=f"Rec {n}", owner=w.p.police_officer)
        services.update_recommendation(by=w.lead, recommendation=rec, note="Under way", rag=Rag.AMBER)
    user = {"lead": w.lead, "board": w.p.board_member, "manager": manager}[who]
    _login(client, user)
    _queries(client, _url("action_plan"))  # prime the session
    few = _queries(client, _url("action_plan"))
    other = _closed_round(w, title="Another audit")
    for n in range(10):
        rec = _recommend(w, other, text=f"More {n}", agency=w.p.police if n % 2 else w.p.school, owner=None)
        for _ in range(2):
            services.update_recommendation(by=w.lead, recommendation=rec, note="Progress", rag=Rag.GREEN)
    assert _queries(client, _url("action_plan")) == few
    assert _queries(client, _url("action_plan"), {"status": "amber", "agency": w.p.police.pk}) == few


def test_the_recommendation_page_makes_the_same_queries_for_one_update_or_six(client, audit_world):
    w = audit_world
    audit_round = _closed_round(w)
    findings = [services.add_finding(by=w.lead, audit_round=audit_round, theme_id="REF", text=f"Finding {n}") for n in range(5)]
    small = _recommend(w, audit_round, findings=findings[:1])
    big = _recommend(w, audit_round, findings=findings)
    services.update_recommendation(by=w.lead, recommendation=small, note="One", rag=Rag.AMBER)
    for n in range(6):
        services.update_recommendation(by=w.police_auditor if n % 2 else w.lead, recommendation=big, note=f"Note {n}", rag=Rag.AMBER)
    _login(client, w.lead)
    _queries(client, _url("recommendation", small.pk))
    assert _queries(client, _url("recommendation", small.pk)) == _queries(client, _url("recommendation", big.pk))


def test_the_learning_event_pages_make_the_same_queries_for_one_case_or_three(client, audit_world):
    w = audit_world
    p = w.p
    child_services.add_involvement(by=p.social_worker, child=w.amy, agency=p.school, role="Teacher", professional=p.school_lead)
    small = w.new_round(key="learning-event", title="Small", children=[w.cal])
    big = w.new_round(key="learning-event", title="Big")
    for event in (small, big):
        services.schedule_sessions(by=w.lead, audit_round=event, first_on=local_today(), count=3)
        services.invite_professionals(by=w.lead, audit_round=event)
    _login(client, w.lead)
    for name in ("sessions", "round_invitations"):
        _queries(client, _url(name, small.pk))
        assert _queries(client, _url(name, small.pk)) == _queries(client, _url(name, big.pk)), name
    _login(client, p.social_worker)
    _queries(client, _url("invitations"))
    many = _queries(client, _url("invitations"))  # invited to four cases across two events
    _login(client, p.school_lead)
    _queries(client, _url("invitations"))
    assert _queries(client, _url("invitations")) == many


# The demo ---------------------------------------------------------------------------------------


def test_the_demo_has_a_closed_audit_with_its_action_plan_an_open_dip_sample_and_a_learning_event(client):
    from lantern.demo.generator import DEMO_LOGINS, generate
    from lantern.partnership.models import User

    from ..models import AuditRound, FormStatus, RoundStatus

    generate(children=40, seed=11)
    today = local_today()
    closed = AuditRound.objects.get(kind=AuditKind.AUDIT)
    assert closed.status == RoundStatus.CLOSED and closed.sample_seed is not None
    assert 150 <= (today - closed.closed_at.date()).days <= 200
    assert closed.cases.count() >= 8
    statuses = set(closed.forms.values_list("status", flat=True))
    assert {FormStatus.SUBMITTED, FormStatus.NIL_RETURN} <= statuses
    assert all(f.nil_reason for f in closed.forms.filter(status=FormStatus.NIL_RETURN))
    recs = list(closed.recommendations.order_by("number"))
    assert len(recs) == 6 and all(r.findings.exists() for r in recs)
    assert sum(r.rag == Rag.COMPLETE for r in recs) == 2
    assert all(r.updates.filter(rag=Rag.COMPLETE).exclude(evidence="").exists() for r in recs if r.rag == Rag.COMPLETE)
    assert [r.rag for r in recs if r.completed_at is None and r.due_on < today] == [Rag.RED]

    dip = AuditRound.objects.get(kind=AuditKind.DIP_SAMPLE)
    assert dip.status == RoundStatus.OPEN and (dip.deadline - today).days == 14
    assert dip.cases.filter(deep_dive=True).count() == 1
    assert {FormStatus.SUBMITTED, FormStatus.IN_PROGRESS, FormStatus.NOT_STARTED} <= set(dip.forms.values_list("status", flat=True))

    event = AuditRound.objects.get(kind=AuditKind.LEARNING_EVENT)
    days = [s.held_on for s in event.sessions.order_by("number")]
    gaps = [(b - a).days for a, b in zip(days, days[1:])]
    assert gaps.count(14) == 1 and set(gaps) == {7, 14}  # weekly, one week skipped for half term
    assert event.learning_invitations.exists() and event.recommendations.exists()
    assert set(event.lead_auditors.values_list("email", flat=True)) == {"auditor@lantern.example", "police.auditor@lantern.example"}

    # The demo's agency auditors are logins; each has forms to see, and the board sees the plan.
    auditors = [email for email, *_rest, role in DEMO_LOGINS if role == Role.AUDITOR]
    assert len(auditors) >= 5
    for email in auditors:
        user = User.objects.get(email=email)
        assert dip.forms.filter(agency__memberships__user=user, agency__memberships__role=Role.AUDITOR).exists() or (
            closed.forms.filter(agency__memberships__user=user).exists()
        ), email
    _login(client, User.objects.get(email="board@lantern.example"))
    body = _text(client.get(_url("action_plan")))
    assert ">Overdue</strong>" in body and "govuk-tag--blue\">Complete" in body


@pytest.mark.finding("F37")
def test_sessions_arranged_later_take_the_cases_still_without_one(audit_world):
    w = audit_world
    event = w.new_round(key="learning-event", title="Learning event")
    first = _monday(local_today())
    services.schedule_sessions(by=w.lead, audit_round=event, first_on=first, count=1)
    later = services.schedule_sessions(by=w.lead, audit_round=event, first_on=first + dt.timedelta(weeks=1), count=3)
    assert [s.number for s in later] == [2, 3, 4]
    assert [s.case.label if s.case else None for s in later] == ["B", "C", None]
