"""Demo audits for the fictional partnership of Brackenford (F34-F38).

- A multi-agency exploitation audit, closed about six months ago: ten or so cases drawn by a
  stratified sample (its seed recorded), forms returned by most agencies (answers with
  contributory factors and narrative, nil returns with their reasons, a few never returned), a
  review session with one agreed change, key findings, and six recommendations on the action
  plan: two complete with their evidence, one overdue and red, the rest amber or green.
- A dip sample open now and due in two weeks: some forms sent in, some in progress, some not
  started, one case marked for a deep dive.
- A practice learning event, led with the police's auditor: weekly sessions that skip a
  half-term break, the professionals involved in each case invited, the first session held (who
  came, the answers the lead auditor recorded for each agency), and its first finding collated
  into a recommendation.

Everything is written through the services. The services stamp what they do with the present
moment, so the demo then moves the dates of the closed audit back to when it happened, as the
meetings demo does. Each agency in the demo has an auditor except the housing service, whose
forms stay not returned. Every word is invented; no case is named except by its letter.
"""

import datetime as dt
import random

from django.db.models import Count

from lantern.children.models import Child, Involvement
from lantern.core.dates import LONDON
from lantern.partnership import services as partnership_services
from lantern.partnership.models import Agency, AgencyType, Membership, Role, User
from lantern.risk.models import EXPLOITATION_KINDS, Level
from lantern.risk.selectors import current_decisions

from . import services
from .models import (
    AuditCase, AuditFinding, AuditForm, AuditRound, AuditTemplate, FormEvent, FormStatus, NilReason, QuestionType, Rag,
    Recommendation, RecommendationUpdate, ReviewSession,
)

LEAD_EMAIL = "auditor@lantern.example"
DEMO_AUDITOR_EMAILS = (
    "police.auditor@lantern.example", "school.auditor@lantern.example", "health.auditor@lantern.example", "youth.auditor@lantern.example",
)
# Auditors of the agencies that have no demo login of their own (fictional people; not printed).
AGENCY_AUDITORS = {
    "Brackenford CAMHS": ("Morwenna Quillby", "Clinical governance lead"),
    "St Aldric's High School": ("Idris Fallowmere", "Assistant headteacher (safeguarding)"),
    "Brackenford Pupil Referral Unit": ("Ottilie Brambleton", "Deputy head"),
    "Brackenford Youth Justice Service": ("Lowen Harebell", "Practice manager"),
    "Compass Young People's Drug and Alcohol Service": ("Bryn Cloverdine", "Service manager"),
    "Safe Harbour Children's Charity": ("Elowen Saxifrage", "Quality and impact lead"),
}

WELL = [
    "Workers kept in touch with the young person through every move, and the young person says they trust them.",
    "Concerns were shared with the hub on the same day they were noticed, with the reasons written down.",
    "The young person's own words are in the record, and the plan reflects what they said they wanted.",
    "Managers checked the case regularly and their decisions are written down with the reasons.",
    "The school kept a place open and adjusted the timetable so the young person could come back gradually.",
    "Return interviews were held within 72 hours and what the young person said was passed to the police.",
]
IMPROVE = [
    "Concerns about older associates were recorded but not referred to the hub for two months.",
    "The assessment describes the young person as 'putting themselves at risk' rather than as a child being exploited.",
    "The plan was not reviewed after the young person was found in another town.",
    "Our agency was not invited to the strategy discussion, so what we knew was not heard.",
    "Family history, including earlier domestic abuse, was known but not used in the assessment.",
    "Supervision notes record the case was discussed but not what was decided.",
]
DIFFERENCE = [
    "The young person is back in school four days a week and has not been missing for three months.",
    "Little difference yet: the young person still goes missing most weekends.",
    "The young person has moved to a safer placement and has a trusted worker they see every week.",
    "The young person now talks about the risks and has blocked the adults who contacted them online.",
]
DEEP_DIVE = [
    "Read the whole file with the team manager. The plan names the right actions but four of seven were late, "
    "and nobody chased them between meetings.",
]
# How often each contributory factor was seen, roughly as the 2015 audit found them.
FACTOR_CHANCES = {
    "MISSING": 0.85, "ABSENT_EDUCATION": 0.6, "EMOTIONAL": 0.55, "FAMILY_BREAKDOWN": 0.5, "PREVIOUS_SC": 0.5,
    "SUBSTANCES": 0.45, "NOT_ENGAGING": 0.4, "RISKY_SEXUAL": 0.35, "DOMESTIC_ABUSE": 0.35, "LOOKED_AFTER": 0.3,
    "ONLINE": 0.3, "OFFENDING": 0.25, "GANG_ASSOCIATION": 0.25, "LEARNING_DISABILITY": 0.15, "BEREAVEMENT": 0.1,
    "HARMFUL_SEXUAL": 0.05, "HONOUR_BASED": 0.03,
}

FINDINGS = [
    ("REF", "Risk of exploitation was recognised late: in most cases agencies saw the signs months before a referral was made."),
    ("ASSESS", "Assessments often described children as making choices, not as children being exploited."),
    ("PLAN", "Plans were not reviewed when things changed, such as a child being found in another town."),
    ("INFO", "What the police knew about older associates rarely reached schools and health."),
    ("SUP", "Supervision recorded that cases were discussed but seldom what was decided or why."),
    ("CF", "Going missing was the most common factor: it was reported in almost every case audited."),
]
# (text, owner agency, owner email or None, due in days from the audit's close, findings, progress)
# progress: (days after the close, RAG, note, evidence)
RECOMMENDATIONS = [
    ("Every referral that mentions a child going missing is screened for exploitation by the hub within one working day.",
     "Brackenford Children's Social Care", "manager@lantern.example", 90, [1, 6],
     [(30, Rag.GREEN, "Screening added to the hub's daily triage; the first month's figures look good.", ""),
      (85, Rag.COMPLETE, "Done: every missing referral in the last two months was screened the same or next working day.",
       "Hub performance report for the quarter: 61 of 61 missing referrals screened within one working day.")]),
    ("Police share what they know about older associates with the child's school and social worker within five working days.",
     "Brackenshire Police", None, 120, [4],
     [(40, Rag.AMBER, "A sharing form is agreed with schools; health is not yet included.", ""),
      (110, Rag.COMPLETE, "Sharing now includes health. Checked on twenty cases.",
       "Dip check of 20 cases by the Child Exploitation Unit: 18 shared within five working days, 2 within seven.")]),
    ("Schools record every unexplained absence of a child at risk and tell the social worker on the same day.",
     "Northgate Academy", None, 161, [1, 6],
     [(30, Rag.GREEN, "Attendance officers briefed at the start of term.", ""),
      (100, Rag.AMBER, "The new attendance system cannot yet flag children at risk.", ""),
      (150, Rag.RED, "Not on track: the system change is delayed until next term and no interim check is in place.", "")]),
    ("Health practitioners ask about exploitation at every sexual health appointment with a child under 16, and record the answer.",
     "Brackenford Community Health", None, 196, [2],
     [(60, Rag.AMBER, "The question is in the template; training for the evening clinic staff is still to do.", "")]),
    ("Youth workers are invited to, and attend, the exploitation meeting for every child they work with.",
     "Brackenford Youth Service", None, 240, [3, 4],
     [(45, Rag.GREEN, "The hub now invites the youth service for every child it works with; attendance checked monthly.", "")]),
    ("Supervision of work with children at risk of exploitation records a reflective discussion of the risks at least monthly, and what was decided.",
     "Brackenford Children's Social Care", "manager@lantern.example", 300, [5],
     [(60, Rag.GREEN, "New supervision template in use in the Children in Care Team; other teams follow next quarter.", "")]),
]
LEARNING_ANSWERS = {
    "RISK-01": "A teacher noticed new clothes and a second phone and told the safeguarding lead the same day.",
    "RISK-02": "Mostly, but a missing episode after a party was not followed up for a week.",
    "RISK-03": "The police mapped the older males; the school did not know about the online contacts.",
    "PLAN-01": "The plan was reviewed after the child was found out of area, but only at the next scheduled meeting.",
    "PLAN-02": "Two adults were arrested; the person who drove the child was not identified.",
    "PLAN-03": "Each agency brought its own actions, but nobody owned the plan as a whole between meetings.",
    "MULTI-01": "The youth worker kept going back; the family said she was the one person who did not give up.",
    "MULTI-02": "A referral to counselling was made but the waiting list was five months.",
    "REL-01": "At first the child was told she was 'making choices'. Later workers believed her and said so.",
    "REL-02": "Early records call her 'promiscuous'; later ones describe her as a victim of abuse.",
    "REL-03": "Workers knew she loved football and used it to build a relationship.",
    "REL-04": "The child's mother was not sure who the lead professional was.",
    "INFO-01": "Information reached the school late because it was sent to a general inbox.",
    "INFO-02": "Return interviews were good when the same worker held them; the child would not talk to strangers.",
    "AGENCY-01": "On roll at Northgate Academy; part-time timetable for six weeks, now full time.",
    "AGENCY-02": "78",
    "AGENCY-03": "She says school is the one place she feels safe, but she struggles in large classes.",
    "AGENCY-04": "Sexual health needs were met; her emotional health needs were not, because of the waiting list.",
}


def _at(day: dt.date, hour: int = 11) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=LONDON)


def _auditors(lead: User) -> dict[int, User]:
    """One auditor in each agency but housing: the demo logins' own, and fictional ones for the rest."""
    for name, (full_name, title) in AGENCY_AUDITORS.items():
        agency = Agency.objects.get(name=name)
        if Membership.objects.filter(agency=agency, role=Role.AUDITOR, ended_at__isnull=True).exists():
            continue
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:18]
        user = User.objects.filter(email=f"{slug}.auditor@lantern.example").first() or partnership_services.create_user(
            by=None, email=f"{slug}.auditor@lantern.example", full_name=full_name, job_title=title, password_hash=lead.password,
        )
        partnership_services.add_membership(by=None, user=user, agency=agency, role=Role.AUDITOR)
    by_agency: dict[int, User] = {}
    for membership in Membership.objects.filter(role=Role.AUDITOR, ended_at__isnull=True).select_related("user").order_by("pk"):
        by_agency.setdefault(membership.agency_id, membership.user)
    return by_agency


def _answers(rng: random.Random, template, agency_type: str, *, quality: float, deep_dive: bool = False) -> dict:
    """A full, plausible set of answers for one form. `quality` (0 to 1) tilts them."""
    answers = {}
    for question in template.questions_for(agency_type):
        if question.type == QuestionType.YES_NO:
            roll = rng.random()
            answers[question.id] = (
                "yes" if roll < 0.25 + 0.5 * quality else "partly" if roll < 0.5 + 0.35 * quality else "no" if roll < 0.96 else "na"
            )
        elif question.type == QuestionType.GRADE:
            answers[question.id] = str(rng.choices([1, 2, 3, 4], weights=[1 + 2 * quality, 2 + 4 * quality, 4, 3 - 2 * quality])[0])
        elif question.type == QuestionType.NUMBER:
            answers[question.id] = str(rng.randint(0, 60) if question.id.startswith("REF") else rng.randint(0, 8))
        elif question.type == QuestionType.FACTORS:
            answers[question.id] = [f for f, chance in FACTOR_CHANCES.items() if rng.random() < chance]
        elif question.narrative:
            if rng.random() < 0.6:
                answers[question.id] = rng.choice(WELL if question.id.endswith("-WELL") else IMPROVE)
        elif question.id == "OUT-04":
            answers[question.id] = rng.choice(DIFFERENCE)
        elif question.id == "OVERALL-02" and deep_dive:
            answers[question.id] = DEEP_DIVE[0]
    return answers


def _sample_sizes(wanted: dict, *, exclude=()) -> dict:
    """`wanted` cases at each level, or as many open children as there are at that level."""
    levels: dict[int, str] = {}
    for child_id, level in (
        current_decisions().filter(kind__in=EXPLOITATION_KINDS, child__closed_at__isnull=True).values_list("child_id", "level")
    ):
        if child_id not in levels or Level.rank(level) > Level.rank(levels[child_id]):
            levels[child_id] = level
    return {level: min(n, sum(1 for pk, lv in levels.items() if lv == level and pk not in exclude)) for level, n in wanted.items()}


def _template(key: str):
    return AuditTemplate.objects.get(key=key).versions.order_by("-number").first()


def add_demo_audits(*, rng: random.Random, today: dt.date) -> None:
    services.ensure_shipped_templates()
    lead = User.objects.get(email=LEAD_EMAIL)
    auditors = _auditors(lead)
    _closed_audit(rng, today=today, lead=lead, auditors=auditors)
    _open_dip_sample(rng, today=today, lead=lead, auditors=auditors)
    _learning_event(rng, today=today, lead=lead)


# (a) The closed multi-agency audit -------------------------------------------------------------


def _closed_audit(rng: random.Random, *, today: dt.date, lead: User, auditors: dict) -> None:
    closed_on = today - dt.timedelta(days=182)
    opened_on = closed_on - dt.timedelta(days=49)
    deadline = closed_on - dt.timedelta(days=21)
    sizes = _sample_sizes({Level.HIGH: 4, Level.MEDIUM: 4, Level.LOW: 2})
    if sum(sizes.values()) < 3:
        return
    audit_round = services.create_round(
        by=lead, title="Multi-agency exploitation audit", template_version=_template("multi-agency-exploitation"),
        scope_start=opened_on - dt.timedelta(days=365), scope_end=opened_on - dt.timedelta(days=1), deadline=today,
    )
    services.draw_sample(by=lead, audit_round=audit_round, sizes=sizes, seed=rng.randrange(1, 2**31))
    # The partnership asked the specialist charity, CAMHS and youth justice about every case, as the 2015 audit asked every agency.
    extra = list(Agency.objects.filter(
        name__in=["Safe Harbour Children's Charity", "Brackenford CAMHS", "Brackenford Youth Justice Service"]
    ))
    services.open_round(by=lead, audit_round=audit_round, extra_agencies=extra)
    template = services.template_of(audit_round)
    quality = {case.pk: rng.uniform(0.2, 0.9) for case in audit_round.cases.all()}
    returned_form = None
    for form in AuditForm.objects.filter(round=audit_round).select_related("agency", "case").order_by("pk"):
        auditor = auditors.get(form.agency_id)
        if auditor is None or rng.random() < 0.05:
            continue  # never returned
        if form.added_by_lead and rng.random() < 0.85:
            reason = rng.choice([NilReason.NO_INVOLVEMENT] * 3 + [NilReason.NOT_KNOWN])
            services.nil_return(by=auditor, form=form, reason=reason, expected_version=form.version)
        elif not form.added_by_lead and rng.random() < 0.12:
            services.nil_return(
                by=auditor, form=form, reason=rng.choice([NilReason.OUT_OF_SCOPE, NilReason.OTHER]), expected_version=form.version,
                detail="Our work with the young person ended before the period audited; the file is archived.",
            )
        else:
            services.submit_form(
                by=auditor, form=form, expected_version=form.version,
                answers=_answers(rng, template, form.agency.agency_type, quality=quality[form.case_id]),
            )
            if returned_form is None and form.agency.agency_type == AgencyType.POLICE:
                returned_form = form
    services.start_moderation(by=lead, audit_round=audit_round)
    # Moderation: a form returned with a comment and sent in again; a change agreed at the review session.
    if returned_form is not None:
        # Fresh copies each time: a form read earlier carries the round as it was then.
        services.return_form(
            by=lead, form=AuditForm.objects.get(pk=returned_form.pk),
            comment="Please check the police file for the strategy discussion in March.",
        )
        again = AuditForm.objects.get(pk=returned_form.pk)
        services.submit_form(by=auditors[again.agency_id], form=again, expected_version=again.version, answers={"INFO-02": "partly"})
        audit_round.refresh_from_db()
    session = services.record_review_session(
        by=lead, audit_round=audit_round, held_on=today,
        attendees="Auditors of social care, the police, health, Northgate Academy and the youth service",
        notes="Each agency presented one case. Grades were compared across agencies and two were agreed lower.",
    )
    agreed = AuditForm.objects.filter(round=audit_round, status=FormStatus.SUBMITTED).order_by("pk").first()
    if agreed is not None:
        services.agree_change(
            by=lead, session=session, form=agreed, question_id="PLAN-08", value="3",
            reason="The plan was not reviewed after the child was found out of area: requires improvement, not good.",
        )
    services.close_round(by=lead, audit_round=audit_round)

    findings = [services.add_finding(by=lead, audit_round=audit_round, theme_id=theme, text=text) for theme, text in FINDINGS]
    agencies = {a.name: a for a in Agency.objects.all()}
    for text, agency_name, owner_email, due_days, finding_numbers, progress in RECOMMENDATIONS:
        agency = agencies[agency_name]
        rec = services.add_recommendation(
            by=lead, audit_round=audit_round, text=text, owner_agency=agency, due_on=closed_on + dt.timedelta(days=due_days),
            findings=[findings[n - 1] for n in finding_numbers],
            owner=User.objects.filter(email=owner_email).first() if owner_email else None,
        )
        for days, rag, note, evidence in progress:
            update = services.update_recommendation(by=auditors.get(agency.pk) or lead, recommendation=rec, note=note, rag=rag, evidence=evidence)
            when = _at(closed_on + dt.timedelta(days=days), hour=14)
            RecommendationUpdate.objects.filter(pk=update.pk).update(at=when)
            if rag == Rag.COMPLETE:
                Recommendation.objects.filter(pk=rec.pk).update(completed_at=when)
    _as_if_then(audit_round, opened_on=opened_on, deadline=deadline, closed_on=closed_on, rng=rng)


def _as_if_then(audit_round: AuditRound, *, opened_on: dt.date, deadline: dt.date, closed_on: dt.date, rng: random.Random) -> None:
    """Move the audit back to when it happened: opened, returned by the deadline, reviewed, closed."""
    AuditRound.objects.filter(pk=audit_round.pk).update(
        created_at=_at(opened_on - dt.timedelta(days=7)), opened_at=_at(opened_on), deadline=deadline, closed_at=_at(closed_on, 16),
    )
    AuditCase.objects.filter(round=audit_round).update(created_at=_at(opened_on - dt.timedelta(days=6)))
    span = (deadline - opened_on).days
    for form in AuditForm.objects.filter(round=audit_round).only("pk", "submitted_at").order_by("pk"):
        when = _at(opened_on + dt.timedelta(days=rng.randint(5, span)), hour=rng.randint(9, 17))
        AuditForm.objects.filter(pk=form.pk).update(created_at=_at(opened_on), submitted_at=when if form.submitted_at else None)
        FormEvent.objects.filter(form=form).exclude(kind=FormEvent.Kind.AGREED_CHANGE).update(at=when)
    review_day = closed_on - dt.timedelta(days=7)
    ReviewSession.objects.filter(round=audit_round).update(held_on=review_day, created_at=_at(review_day, 15))
    FormEvent.objects.filter(session__round=audit_round).update(at=_at(review_day, 12))
    AuditFinding.objects.filter(round=audit_round).update(created_at=_at(closed_on, 15))
    Recommendation.objects.filter(round=audit_round).update(created_at=_at(closed_on, 15))


# (b) The open dip sample ---------------------------------------------------------------------


def _open_dip_sample(rng: random.Random, *, today: dt.date, lead: User, auditors: dict) -> None:
    sizes = _sample_sizes({Level.HIGH: 3, Level.MEDIUM: 2, Level.LOW: 0})
    if sum(sizes.values()) < 2:
        return
    audit_round = services.create_round(
        by=lead, title="Dip sample: plans for children at high and medium risk", template_version=_template("dip-sample"),
        scope_start=today - dt.timedelta(days=183), scope_end=today - dt.timedelta(days=1), deadline=today + dt.timedelta(days=14),
    )
    cases = services.draw_sample(by=lead, audit_round=audit_round, sizes=sizes, seed=rng.randrange(1, 2**31))
    deep = cases[0]
    services.set_deep_dive(by=lead, case=deep, deep_dive=True)
    services.open_round(by=lead, audit_round=audit_round)
    # Each agency with a demo auditor login has a form to find: the lead asks those not involved about the deep dive.
    with_forms = set(AuditForm.objects.filter(round=audit_round).values_list("agency_id", flat=True))
    for email in DEMO_AUDITOR_EMAILS:
        agency = Agency.objects.filter(memberships__user__email=email, memberships__role=Role.AUDITOR).first()
        if agency is not None and agency.pk not in with_forms:
            services.add_agency(by=lead, audit_round=audit_round, agency=agency, cases=[deep])
    AuditRound.objects.filter(pk=audit_round.pk).update(created_at=_at(today - dt.timedelta(days=15)), opened_at=_at(today - dt.timedelta(days=12)))
    template = services.template_of(audit_round)
    forms = list(AuditForm.objects.filter(round=audit_round).select_related("agency", "case").order_by("pk"))
    for n, form in enumerate(forms):
        auditor = auditors.get(form.agency_id)
        if auditor is None or form.added_by_lead:
            continue  # the agencies asked about the deep dive have not started theirs
        answers = _answers(rng, template, form.agency.agency_type, quality=0.6, deep_dive=form.case_id == deep.pk)
        state = n % 4
        if state == 0 or (form.agency.name == "Brackenshire Police" and form.case_id != deep.pk):
            services.submit_form(by=auditor, form=form, expected_version=form.version, answers=answers)
        elif state == 1:
            half = dict(list(answers.items())[: len(answers) // 2])
            services.save_answers(by=auditor, form=form, answers=half, expected_version=form.version)
        elif state == 2 and rng.random() < 0.3:
            services.nil_return(by=auditor, form=form, reason=NilReason.OUT_OF_SCOPE, expected_version=form.version,
                                detail="Our involvement started after the period sampled.")
        # otherwise: not started yet


# (c) The practice learning event -------------------------------------------------------------


def _learning_event(rng: random.Random, *, today: dt.date, lead: User) -> None:
    high = set(
        current_decisions().filter(kind__in=EXPLOITATION_KINDS, level=Level.HIGH, child__closed_at__isnull=True)
        .values_list("child_id", flat=True)
    )
    with_professionals = (
        Involvement.objects.filter(child_id__in=sorted(high), professional__isnull=False, ended_on__isnull=True)
        .values("child_id").annotate(n=Count("professional_id", distinct=True)).order_by("-n", "child_id")
    )
    chosen = [row["child_id"] for row in with_professionals if row["n"] >= 2][:4]
    if len(chosen) < 2:
        return
    event = services.create_round(
        by=lead, title="Practice learning event: children going missing and criminal exploitation", template_version=_template("learning-event"),
        scope_start=today - dt.timedelta(days=365), scope_end=today - dt.timedelta(days=1), deadline=today + dt.timedelta(days=35),
        lead_auditors=User.objects.filter(email="police.auditor@lantern.example"),  # the police's auditor leads it with Alex
    )
    children = {c.pk: c for c in Child.objects.filter(pk__in=chosen)}
    for child_id in chosen:
        services.add_case(by=lead, audit_round=event, child=children[child_id])
    # Weekly on the same weekday, from two weeks ago; no session in the half-term week.
    first = today - dt.timedelta(days=14)
    half_term = (today - dt.timedelta(days=9), today - dt.timedelta(days=3))
    sessions = services.schedule_sessions(
        by=lead, audit_round=event, first_on=first, count=len(chosen) + 1, breaks=[half_term],
        venue="Training room 2, Brackenford Civic Centre",
    )
    invitations = services.invite_professionals(by=lead, audit_round=event)
    services.open_round(by=lead, audit_round=event)
    AuditRound.objects.filter(pk=event.pk).update(created_at=_at(today - dt.timedelta(days=35)), opened_at=_at(today - dt.timedelta(days=28)))
    # The first session has been held: who came, and the answers the lead auditor recorded for each agency.
    first_case = sessions[0].case
    for invitation in invitations:
        if invitation.case_id == first_case.pk:
            services.record_attendance(by=lead, invitation=invitation, attended=rng.random() < 0.8)
    template = services.template_of(event)
    for form in AuditForm.objects.filter(round=event, case=first_case).select_related("agency").order_by("pk"):
        answers = {q.id: LEARNING_ANSWERS[q.id] for q in template.questions_for(form.agency.agency_type) if q.id in LEARNING_ANSWERS}
        for q in template.questions_for(form.agency.agency_type):
            if q.type == QuestionType.GRADE:
                answers[q.id] = str(rng.choice([2, 3, 3, 4]))
        services.submit_form(by=lead, form=form, expected_version=form.version, answers=answers)
    # The learning from the first session, collated into a recommendation.
    finding = services.add_finding(
        by=lead, audit_round=event, theme_id="REL",
        text="Early records described the child as making choices; professionals who believed the child built the relationships that helped.",
    )
    services.add_recommendation(
        by=lead, audit_round=event, owner_agency=Agency.objects.get(name="Brackenford Children's Social Care"),
        text="Run practice workshops on the language of exploitation for every team, and check records for it in the next dip sample.",
        due_on=today + dt.timedelta(days=120), findings=[finding], owner=User.objects.filter(email="manager@lantern.example").first(),
    )
