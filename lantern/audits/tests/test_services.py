"""The audit engine's services: templates, rounds, cases, forms, moderation."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantern.core.concurrency import ConcurrentEditError
from lantern.core.dates import local_today
from lantern.notifications.models import Notification

from .. import services
from ..models import AuditAnswer, AuditForm, AuditTemplateVersion, FormEvent, FormStatus, NilReason, RoundStatus
from ..template_document import parse_template
from .factories import answers_for

pytestmark = pytest.mark.django_db


def test_shipped_templates_are_stored_once(audit_world):
    assert services.ensure_shipped_templates() == []  # the fixture stored them already
    keys = set(AuditTemplateVersion.objects.values_list("template__key", flat=True))
    assert keys == {"multi-agency-exploitation", "dip-sample", "learning-event"}


def test_cases_are_named_by_letter_and_keep_a_snapshot(audit_world):
    w = audit_world
    audit_round = w.new_round()
    cases = list(audit_round.cases.order_by("position"))
    assert [c.name for c in cases] == ["Child A", "Child B", "Child C"]
    assert [c.risk_level for c in cases] == ["high", "medium", "low"]
    assert cases[1].sex == "M" and cases[1].age_band == "15 to 16"
    assert cases[2].age_band == "10 to 12"
    with pytest.raises(ValidationError):
        services.add_case(by=w.lead, audit_round=audit_round, child=w.amy)


def test_only_lead_auditors_choose_cases(audit_world):
    w = audit_world
    audit_round = w.new_round(children=[])
    with pytest.raises(PermissionDenied):
        services.add_case(by=w.police_auditor, audit_round=audit_round, child=w.amy)
    with pytest.raises(PermissionDenied):
        services.create_round(
            by=w.p.social_worker, title="x", template_version=w.template(), scope_start=local_today(), scope_end=local_today(),
            deadline=local_today(),
        )


def test_stratified_sample_is_reproducible_from_its_seed(audit_world):
    w = audit_world
    first = w.new_round(children=[])
    drawn = services.draw_sample(by=w.lead, audit_round=first, sizes={"high": 1, "medium": 1, "low": 0}, seed=42)
    first.refresh_from_db()
    assert first.sample_seed == 42 and first.sample_sizes == {"high": 1, "medium": 1, "low": 0}
    assert {c.child_id for c in drawn} == {w.amy.pk, w.ben.pk}
    second = w.new_round(children=[])
    again = services.draw_sample(by=w.lead, audit_round=second, sizes={"high": 1, "medium": 1, "low": 0}, seed=42)
    assert [c.child_id for c in again] == [c.child_id for c in drawn]


def test_sample_larger_than_the_pool_is_refused_and_changes_nothing(audit_world):
    w = audit_world
    audit_round = w.new_round(children=[])
    with pytest.raises(ValidationError) as exc:
        services.draw_sample(by=w.lead, audit_round=audit_round, sizes={"high": 5}, seed=1)
    assert "only 1 open children at high risk" in str(exc.value)
    assert audit_round.cases.count() == 0
    audit_round.refresh_from_db()
    assert audit_round.sample_seed is None


@pytest.mark.finding("F34")
def test_forms_go_to_every_involved_agency_plus_those_added(audit_world):
    w = audit_world
    audit_round = w.new_round()
    forms = services.open_round(by=w.lead, audit_round=audit_round, extra_agencies=[w.p.health])
    by_case = {}
    for f in forms:
        by_case.setdefault(f.case.label, set()).add(f.agency.name)
    assert by_case == {
        "A": {w.p.social_care.name, w.p.school.name, w.p.health.name},
        "B": {w.p.social_care.name, w.p.police.name, w.p.health.name},
        "C": {w.p.social_care.name, w.p.health.name},
    }
    assert all(f.added_by_lead == (f.agency_id == w.p.health.pk) for f in forms)
    audit_round.refresh_from_db()
    assert audit_round.status == RoundStatus.OPEN
    told = set(Notification.objects.filter(category="audits").values_list("recipient_id", flat=True))
    assert {w.police_auditor.pk, w.school_auditor.pk, w.health_auditor.pk} <= told
    assert not any("Amy" in n.subject + n.body for n in Notification.objects.filter(category="audits"))


def test_an_agency_auditor_completes_only_their_own_forms(audit_world):
    w = audit_world
    audit_round = w.new_round()
    services.open_round(by=w.lead, audit_round=audit_round)
    school_form = AuditForm.objects.get(round=audit_round, agency=w.p.school)
    with pytest.raises(PermissionDenied):
        services.save_answers(by=w.police_auditor, form=school_form, answers={"REF-01": "yes"}, expected_version=school_form.version)
    services.save_answers(by=w.school_auditor, form=school_form, answers={"REF-01": "partly"}, expected_version=school_form.version)
    school_form.refresh_from_db()
    assert school_form.status == FormStatus.IN_PROGRESS
    assert AuditAnswer.objects.get(form=school_form, question_id="REF-01").choice == "partly"


def test_bad_answers_are_refused_with_messages_and_change_nothing(audit_world):
    w = audit_world
    audit_round = w.new_round()
    services.open_round(by=w.lead, audit_round=audit_round)
    form = AuditForm.objects.get(round=audit_round, agency=w.p.school)
    template = services.template_of(audit_round)
    number_q = next(q.id for q in template.questions.values() if q.type == "number")
    grade_q = next(q.id for q in template.questions.values() if q.type == "grade")
    with pytest.raises(ValidationError) as exc:
        services.save_answers(
            by=w.school_auditor, form=form, expected_version=form.version,
            answers={"REF-01": "yes", number_q: "lots", grade_q: "9", "NOPE-01": "yes"},
        )
    messages = exc.value.message_dict
    assert messages[number_q] == ["Enter a number, like 3 or 2.5"]
    assert grade_q in messages and "NOPE-01" in messages
    assert not AuditAnswer.objects.filter(form=form).exists()


def test_submission_needs_every_yes_no_and_grade_question(audit_world):
    w = audit_world
    audit_round = w.new_round()
    services.open_round(by=w.lead, audit_round=audit_round)
    form = AuditForm.objects.get(round=audit_round, agency=w.p.police)
    with pytest.raises(ValidationError):
        services.submit_form(by=w.police_auditor, form=form, expected_version=form.version, answers={"REF-01": "yes"})
    form.refresh_from_db()
    assert form.status == FormStatus.NOT_STARTED
    services.submit_form(by=w.police_auditor, form=form, expected_version=form.version, answers=answers_for(form))
    form.refresh_from_db()
    assert form.status == FormStatus.SUBMITTED and form.submitted_by == w.police_auditor
    with pytest.raises(ValidationError):
        services.save_answers(by=w.police_auditor, form=form, answers={"REF-01": "no"}, expected_version=form.version)


def test_two_auditors_saving_one_form_the_second_is_refused(audit_world):
    w = audit_world
    audit_round = w.new_round()
    services.open_round(by=w.lead, audit_round=audit_round)
    form = AuditForm.objects.get(round=audit_round, agency=w.p.school)
    loaded = form.version
    services.save_answers(by=w.school_auditor, form=form, answers={"REF-01": "yes"}, expected_version=loaded)
    stale = AuditForm.objects.get(pk=form.pk)
    stale.version = loaded
    with pytest.raises(ConcurrentEditError):
        services.save_answers(by=w.school_auditor, form=stale, answers={"REF-01": "no"}, expected_version=loaded)
    assert AuditAnswer.objects.get(form=form, question_id="REF-01").choice == "yes"


@pytest.mark.finding("F34")
def test_a_nil_return_needs_a_reason(audit_world):
    w = audit_world
    audit_round = w.new_round()
    services.open_round(by=w.lead, audit_round=audit_round, extra_agencies=[w.p.health])
    form = AuditForm.objects.get(round=audit_round, agency=w.p.health, case__label="A")
    with pytest.raises(ValidationError) as exc:
        services.nil_return(by=w.health_auditor, form=form, reason="", expected_version=form.version)
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.nil_return(by=w.health_auditor, form=form, reason=NilReason.OTHER, detail=" ", expected_version=form.version)
    assert "detail" in exc.value.message_dict
    services.nil_return(by=w.health_auditor, form=form, reason=NilReason.NO_INVOLVEMENT, expected_version=form.version)
    form.refresh_from_db()
    assert (form.status, form.nil_reason) == (FormStatus.NIL_RETURN, NilReason.NO_INVOLVEMENT)


def test_moderation_returns_a_form_and_agreed_changes_keep_history(audit_world):
    w = audit_world
    audit_round = w.new_round()
    services.open_round(by=w.lead, audit_round=audit_round)
    form = AuditForm.objects.get(round=audit_round, agency=w.p.police)
    services.submit_form(by=w.police_auditor, form=form, expected_version=form.version, answers=answers_for(form, choice="no"))
    form.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.return_form(by=w.police_auditor, form=form, comment="x")
    services.return_form(by=w.lead, form=form, comment="Check the police file for the strategy discussion")
    form.refresh_from_db()
    assert form.status == FormStatus.RETURNED
    assert FormEvent.objects.get(form=form, kind="returned").comment.startswith("Check the police file")
    services.submit_form(by=w.police_auditor, form=form, expected_version=form.version, answers={"REF-01": "yes"})
    services.start_moderation(by=w.lead, audit_round=audit_round)
    session = services.record_review_session(
        by=w.lead, audit_round=audit_round, held_on=local_today(), attendees="Social care, police and school auditors"
    )
    form.refresh_from_db()
    event = services.agree_change(by=w.lead, session=session, form=form, question_id="REF-01", value="partly", reason="The checks were made late")
    assert (event.before, event.after) == ("yes", "partly")
    answer = AuditAnswer.objects.get(form=form, question_id="REF-01")
    assert [h.choice for h in answer.history.order_by("history_date")] == ["no", "yes", "partly"]


def test_closing_waits_for_returned_forms(audit_world):
    w = audit_world
    audit_round = w.new_round()
    services.open_round(by=w.lead, audit_round=audit_round)
    form = AuditForm.objects.get(round=audit_round, agency=w.p.school)
    services.submit_form(by=w.school_auditor, form=form, expected_version=form.version, answers=answers_for(form))
    services.return_form(by=w.lead, form=form, comment="Please add the attendance figures")
    with pytest.raises(ValidationError):
        services.close_round(by=w.lead, audit_round=audit_round)
    form.refresh_from_db()
    services.submit_form(by=w.school_auditor, form=form, expected_version=form.version)
    services.close_round(by=w.lead, audit_round=audit_round)
    audit_round.refresh_from_db()
    assert audit_round.status == RoundStatus.CLOSED


@pytest.mark.finding("F37")
def test_dip_sample_deep_dive_and_learning_event_run_on_one_engine(audit_world):
    w = audit_world
    for key in ("dip-sample", "learning-event", "multi-agency-exploitation"):
        audit_round = w.new_round(key=key, title=key)
        case = audit_round.cases.get(label="B")
        services.set_deep_dive(by=w.lead, case=case, deep_dive=True)
        forms = services.open_round(by=w.lead, audit_round=audit_round)
        assert len(forms) == 5  # A: social care, school; B: social care, police; C: social care
        form = next(f for f in forms if f.agency_id == w.p.police.pk)
        services.submit_form(by=w.police_auditor, form=form, expected_version=form.version, answers=answers_for(form))
        assert audit_round.kind == parse_template(audit_round.template_version.document).kind


@pytest.mark.finding("F37")
def test_editing_a_template_in_use_publishes_a_new_version(audit_world):
    w = audit_world
    version = w.template("dip-sample")
    document = dict(version.document, description="Checked again")
    same = services.publish_template(by=w.lead, template=version.template, document=document, expected_number=version.number)
    assert same.pk == version.pk and same.document["description"] == "Checked again"  # unused: corrected in place
    audit_round = w.new_round(key="dip-sample")
    services.open_round(by=w.lead, audit_round=audit_round)
    themes = [dict(t) for t in document["themes"]]
    themes[0] = dict(themes[0], questions=themes[0]["questions"][1:])  # drop a question answered in the round
    newer = services.publish_template(
        by=w.lead, template=version.template, document=dict(document, themes=themes), expected_number=version.number
    )
    assert newer.number == version.number + 1
    version.refresh_from_db()
    assert version.document == document  # the round's version still has every question
    assert audit_round.template_version_id == version.pk
    with pytest.raises(ValidationError):
        services.publish_template(by=w.lead, template=version.template, document=document, expected_number=version.number)


def test_a_broken_template_is_refused_with_every_problem(audit_world):
    w = audit_world
    bad = {"key": "Bad Key", "name": "", "kind": "nonsense", "factors": [], "themes": [
        {"id": "T1", "title": "A theme", "questions": [{"id": "X-01", "text": "", "type": "factors"}]}
    ]}
    with pytest.raises(ValidationError) as exc:
        services.publish_template(by=w.lead, document=bad)
    text = " ".join(exc.value.messages)
    for expected in ("key must be", "template's name", "kind must be", "theme's id", "enter the question", "list of factors"):
        assert expected in text


@pytest.mark.finding("F38")
def test_the_exploitation_audit_asks_about_reflective_supervision(audit_world):
    template = services.template_of(audit_world.new_round())
    supervision = [q for q in template.questions.values() if "supervision" in q.text.lower() and q.type == "yes_no"]
    assert supervision and all(not q.agency_types for q in supervision)


def test_reminders_go_once_to_agencies_with_forms_outstanding(audit_world):
    w = audit_world
    today = local_today()
    audit_round = w.new_round(deadline=today + dt.timedelta(days=7))
    services.open_round(by=w.lead, audit_round=audit_round)
    form = AuditForm.objects.get(round=audit_round, agency=w.p.police)
    services.submit_form(by=w.police_auditor, form=form, expected_version=form.version, answers=answers_for(form))
    before = Notification.objects.filter(subject__startswith="Reminder").count()
    assert services.send_reminders(today=today) == 2  # social care and the school; not the police
    assert services.send_reminders(today=today) == 0
    reminded = set(Notification.objects.filter(subject__startswith="Reminder").values_list("recipient_id", flat=True))
    assert w.school_auditor.pk in reminded and w.police_auditor.pk not in reminded
    assert Notification.objects.filter(subject__startswith="Reminder").count() > before


def test_the_daily_scan_sends_the_reminders(audit_world):
    from lantern.standards.tasks import daily_scan

    w = audit_world
    audit_round = w.new_round(deadline=local_today() + dt.timedelta(days=2))
    services.open_round(by=w.lead, audit_round=audit_round)
    daily_scan.call(reschedule=False)
    assert Notification.objects.filter(recipient=w.school_auditor, subject__startswith="Reminder: audit forms due").count() == 1


def test_a_form_returned_during_moderation_is_sent_in_again_without_reopening_the_audit(audit_world):
    w = audit_world
    audit_round = w.new_round()
    services.open_round(by=w.lead, audit_round=audit_round)
    form = AuditForm.objects.get(round=audit_round, agency=w.p.police)
    services.submit_form(by=w.police_auditor, form=form, expected_version=form.version, answers=answers_for(form))
    services.start_moderation(by=w.lead, audit_round=audit_round)
    form.refresh_from_db()
    services.return_form(by=w.lead, form=form, comment="Add the date of the strategy discussion")
    audit_round.refresh_from_db()
    assert audit_round.status == RoundStatus.MODERATION
    form.refresh_from_db()
    services.submit_form(by=w.police_auditor, form=form, expected_version=form.version)
    other = AuditForm.objects.get(round=audit_round, agency=w.p.school)
    with pytest.raises(ValidationError):  # forms not returned stay closed in moderation
        services.save_answers(by=w.school_auditor, form=other, answers={"REF-01": "yes"}, expected_version=other.version)


def test_a_withdrawn_case_cannot_be_withdrawn_again_or_marked_for_a_deep_dive(audit_world):
    w = audit_world
    audit_round = w.new_round()
    case = audit_round.cases.get(label="C")
    services.withdraw_case(by=w.lead, case=case, reason="Case already audited last year")
    with pytest.raises(ValidationError):
        services.withdraw_case(by=w.lead, case=case, reason="Another reason")
    with pytest.raises(ValidationError):
        services.set_deep_dive(by=w.lead, case=case, deep_dive=True)
    case.refresh_from_db()
    assert case.withdrawn_reason == "Case already audited last year" and not case.deep_dive
