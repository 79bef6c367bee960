"""Every write to audits, dip samples and learning events. Keyword-only; each checks permission,
validates (all problems at once, nothing saved on error), writes in a transaction, keeps
history and tells the people who need to know. No notification or email names a child."""

import datetime as dt
import random
import string
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from lantern.children.models import Child, Involvement
from lantern.core.concurrency import save_versioned
from lantern.core.dates import age_on, local_today, long_date
from lantern.notifications.services import notify
from lantern.partnership.models import Agency, Membership, Role, User
from lantern.risk.models import EXPLOITATION_KINDS, Level
from lantern.risk.selectors import current_decisions

from .models import (
    AuditAnswer, AuditCase, AuditFinding, AuditForm, AuditKind, AuditRound, AuditTemplate, AuditTemplateVersion, FormEvent,
    FormStatus, Grade, LearningInvitation, LearningSession, NilReason, QuestionType, Rag, Recommendation, RecommendationUpdate,
    ReviewSession, RoundStatus, SelectedBy, YesNo,
)
from .rules import completes_form, is_auditor, leads_round, updates_recommendation
from .template_document import Template, parse_template, shipped_documents

CATEGORY = "audits"
AGE_BANDS = ((0, 9, "Under 10"), (10, 12, "10 to 12"), (13, 14, "13 to 14"), (15, 16, "15 to 16"), (17, 200, "Over 16"))  # at most 10 characters: AuditCase.age_band
SAMPLE_LEVELS = (Level.HIGH, Level.MEDIUM, Level.LOW)


def _text(value) -> str:
    return (value or "").strip()


def _need_auditor(by, what: str) -> None:
    if by is None or not by.is_authenticated or not is_auditor(by):
        raise PermissionDenied(f"Only an auditor can {what}.")


def _need_lead(by, audit_round: AuditRound, what: str) -> None:
    if not leads_round(by, audit_round):
        raise PermissionDenied(f"Only a lead auditor of this round can {what}.")


def _round_url(audit_round: AuditRound) -> str:
    return reverse("audits:round", args=[audit_round.pk])


def template_of(audit_round: AuditRound) -> Template:
    """The checked template document a round uses."""
    return parse_template(audit_round.template_version.document)


# Templates ------------------------------------------------------------------------------------


def ensure_shipped_templates() -> list[AuditTemplate]:
    """Store each template shipped with Lantern as version 1, once. Safe to call again."""
    created = []
    for document in shipped_documents():
        parsed = parse_template(document)
        with transaction.atomic():
            template, made = AuditTemplate.objects.get_or_create(
                key=parsed.key, defaults={"name": parsed.name, "kind": parsed.kind}
            )
            if made:
                AuditTemplateVersion.objects.create(template=template, number=1, document=document, change_note="Shipped with Lantern")
                created.append(template)
    return created


def version_in_use(version: AuditTemplateVersion) -> bool:
    return AuditRound.objects.filter(template_version=version).exists()


def publish_template(
    *, by, document: dict, change_note: str = "", template: AuditTemplate | None = None, expected_number: int | None = None
) -> AuditTemplateVersion:
    """Save a template written in the editor. A new template starts at version 1. For an existing
    one: if its newest version has not been used by any round, that version is corrected in
    place; otherwise a new version is published, so answers already given keep their questions.
    `expected_number` is the newest version the editor loaded: if another auditor has published
    since, nothing is saved."""
    _need_auditor(by, "write audit templates")
    parsed = parse_template(document)
    with transaction.atomic():
        if template is None:
            if AuditTemplate.objects.filter(key=parsed.key).exists():
                raise ValidationError({"key": "A template with this key already exists. Choose another key"})
            template = AuditTemplate.objects.create(key=parsed.key, name=parsed.name, kind=parsed.kind)
            return AuditTemplateVersion.objects.create(
                template=template, number=1, document=document, published_by=by, change_note=_text(change_note)[:500]
            )
        if parsed.key != template.key:
            raise ValidationError({"key": "The key of a template cannot be changed"})
        if parsed.kind != template.kind:
            raise ValidationError({"kind": "The kind of a template cannot be changed"})
        newest = AuditTemplateVersion.objects.select_for_update().filter(template=template).order_by("-number").first()
        if expected_number is not None and newest.number != expected_number:
            raise ValidationError(
                "Someone else published a new version of this template while you were editing it. "
                "Your changes have not been saved. Reload the page to see their version, then make your changes again."
            )
        if template.name != parsed.name:
            template.name = parsed.name
            template.save()
        if not version_in_use(newest):
            newest.document = document
            newest.published_by = by
            newest.published_at = timezone.now()
            newest.change_note = _text(change_note)[:500]
            newest.save()
            return newest
        return AuditTemplateVersion.objects.create(
            template=template, number=newest.number + 1, document=document, published_by=by, change_note=_text(change_note)[:500]
        )


# Rounds and cases -----------------------------------------------------------------------------


def _label(position: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA ..."""
    letters = ""
    while position > 0:
        position, rest = divmod(position - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return letters


def _age_band(age: int) -> str:
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


def create_round(
    *, by, title: str, template_version: AuditTemplateVersion, scope_start: dt.date | None, scope_end: dt.date | None,
    deadline: dt.date | None, lead_auditors=(),
) -> AuditRound:
    _need_auditor(by, "set up an audit")
    errors = {}
    if not _text(title):
        errors["title"] = "Enter a title for the audit"
    if template_version is None:
        errors["template_version"] = "Choose a template"
    if scope_start is None:
        errors["scope_start"] = "Enter the start of the period being audited"
    if scope_end is None:
        errors["scope_end"] = "Enter the end of the period being audited"
    elif scope_start is not None and scope_end < scope_start:
        errors["scope_end"] = "The end of the period must be the same as or after its start"
    if deadline is None:
        errors["deadline"] = "Enter the date forms must be returned by"
    elif deadline < local_today():
        errors["deadline"] = "The deadline must be today or in the future"
    leads = [u for u in lead_auditors if u is not None]
    if any(not is_auditor(u) for u in leads):
        errors["lead_auditors"] = "Lead auditors must have the Auditor role"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        audit_round = AuditRound.objects.create(
            title=_text(title), template_version=template_version, kind=template_version.template.kind,
            scope_start=scope_start, scope_end=scope_end, deadline=deadline, created_by=by,
        )
        audit_round.lead_auditors.set({by.pk, *(u.pk for u in leads)})
    return audit_round


def _draft(audit_round: AuditRound) -> None:
    if audit_round.status != RoundStatus.DRAFT:
        raise ValidationError("Cases can only be chosen while the audit is being set up")


def _snapshot(children: list[Child], *, on: dt.date) -> dict[int, dict]:
    """The facts the report counts about each child, as they are on `on`. Two queries."""
    from lantern.transitions.models import OutOfAreaPlacement

    levels: dict[int, str] = {}
    for child_id, level in current_decisions().filter(child__in=children, kind__in=EXPLOITATION_KINDS).values_list("child_id", "level"):
        if child_id not in levels or Level.rank(level) > Level.rank(levels[child_id]):
            levels[child_id] = level
    out_of_area = set(
        OutOfAreaPlacement.objects.filter(child__in=children, ended_on__isnull=True).values_list("child_id", flat=True)
    )
    snapshot = {}
    for child in children:
        if child.pk in out_of_area:
            placement = "Placed out of area"
        elif child.legal_status == "looked_after":
            placement = "Looked after, placed in area"
        else:
            placement = "Living at home or with family"
        snapshot[child.pk] = {
            "sex": child.sex, "age_band": _age_band(age_on(child.date_of_birth, on)), "ethnicity": child.ethnicity,
            "legal_status": child.legal_status, "placement": placement, "risk_level": levels.get(child.pk, Level.NONE),
        }
    return snapshot


def _add_cases(audit_round: AuditRound, children: list[Child], *, selected_by: str) -> list[AuditCase]:
    taken = set(audit_round.cases.filter(withdrawn_at__isnull=True, child__isnull=False).values_list("child_id", flat=True))
    children = [c for c in children if c.pk not in taken]
    position = (audit_round.cases.aggregate(m=Max("position"))["m"] or 0)
    snapshot = _snapshot(children, on=audit_round.scope_end)
    cases = []
    for child in children:
        position += 1
        cases.append(AuditCase.objects.create(
            round=audit_round, child=child, label=_label(position), position=position, selected_by=selected_by, **snapshot[child.pk]
        ))
    return cases


def add_case(*, by, audit_round: AuditRound, child: Child | None) -> AuditCase:
    """Choose a case by hand."""
    _need_lead(by, audit_round, "choose cases")
    _draft(audit_round)
    if child is None:
        raise ValidationError({"child": "Choose a child"})
    if audit_round.cases.filter(child=child, withdrawn_at__isnull=True).exists():
        raise ValidationError({"child": "This child's case is already in the audit"})
    with transaction.atomic():
        return _add_cases(audit_round, [child], selected_by=SelectedBy.HAND)[0]


def draw_sample(*, by, audit_round: AuditRound, sizes: dict, seed: int | None = None) -> list[AuditCase]:
    """A stratified random sample: `sizes[level]` open children at each current risk level
    (high, medium, low). The seed is recorded, so the same sample can be drawn again from the
    same records."""
    _need_lead(by, audit_round, "choose cases")
    _draft(audit_round)
    errors = {}
    clean_sizes = {}
    for level in SAMPLE_LEVELS:
        raw = sizes.get(level, 0) or 0
        try:
            n = int(raw)
        except (TypeError, ValueError):
            errors[f"size_{level}"] = f"Enter the number of {Level(level).label.lower()} risk cases as a whole number"
            continue
        if n < 0 or n > 500:
            errors[f"size_{level}"] = "Enter a number from 0 to 500"
        clean_sizes[level] = n
    if not errors and not any(clean_sizes.values()):
        errors["size_high"] = "Enter how many cases to draw at one level at least"
    if errors:
        raise ValidationError(errors)
    if seed is None:
        seed = random.SystemRandom().randrange(1, 2**31)
    rng = random.Random(seed)
    taken = set(audit_round.cases.filter(withdrawn_at__isnull=True, child__isnull=False).values_list("child_id", flat=True))
    level_of: dict[int, str] = {}
    for child_id, level in (
        current_decisions().filter(kind__in=EXPLOITATION_KINDS, child__closed_at__isnull=True).values_list("child_id", "level")
    ):
        if child_id not in level_of or Level.rank(level) > Level.rank(level_of[child_id]):
            level_of[child_id] = level
    chosen: list[int] = []
    shortfall = {}
    for level in SAMPLE_LEVELS:
        pool = sorted(pk for pk, lv in level_of.items() if lv == level and pk not in taken)
        want = clean_sizes[level]
        if want > len(pool):
            shortfall[f"size_{level}"] = (
                f"There are only {len(pool)} open children at {Level(level).label.lower()} risk not already in the audit"
            )
            continue
        chosen.extend(rng.sample(pool, want))
    if shortfall:
        raise ValidationError(shortfall)
    children = {c.pk: c for c in Child.objects.filter(pk__in=chosen)}
    with transaction.atomic():
        audit_round.sample_seed = seed
        audit_round.sample_sizes = {str(k): v for k, v in clean_sizes.items()}
        audit_round.save()
        return _add_cases(audit_round, [children[pk] for pk in chosen], selected_by=SelectedBy.SAMPLE)


def set_deep_dive(*, by, case: AuditCase, deep_dive: bool) -> AuditCase:
    _need_lead(by, case.round, "mark cases for a deep dive")
    if case.round.status == RoundStatus.CLOSED:
        raise ValidationError("This audit is closed")
    if case.withdrawn_at is not None:
        raise ValidationError("This case has been taken out of the audit")
    case.deep_dive = bool(deep_dive)
    case.save()
    return case


def withdraw_case(*, by, case: AuditCase, reason: str) -> AuditCase:
    _need_lead(by, case.round, "take cases out of the audit")
    _draft(case.round)
    if case.withdrawn_at is not None:
        raise ValidationError("This case has already been taken out of the audit")
    if not _text(reason):
        raise ValidationError({"reason": "Enter why the case is taken out of the audit"})
    case.withdrawn_at = timezone.now()
    case.withdrawn_reason = _text(reason)[:500]
    case.save()
    return case


def _involved_agency_ids(audit_round: AuditRound, cases) -> dict[int, set[int]]:
    """For each case, the agencies involved with its child at any time in the scope period. One query."""
    by_child: dict[int, set[int]] = {}
    rows = (
        Involvement.objects.filter(child_id__in=[c.child_id for c in cases if c.child_id], started_on__lte=audit_round.scope_end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=audit_round.scope_start))
        .values_list("child_id", "agency_id")
    )
    for child_id, agency_id in rows:
        by_child.setdefault(child_id, set()).add(agency_id)
    return {case.pk: by_child.get(case.child_id, set()) for case in cases}


def agency_auditors(agency_ids) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, memberships__role=Role.AUDITOR, memberships__ended_at__isnull=True, memberships__agency_id__in=agency_ids
        ).distinct()
    )


def _tell_agencies(audit_round: AuditRound, agency_ids, *, subject: str, body: str, exclude=None) -> None:
    notify(
        recipients=agency_auditors(agency_ids), category=CATEGORY, subject=subject, body=body,
        url=reverse("audits:my_forms"), exclude=exclude,
    )


def open_round(*, by, audit_round: AuditRound, extra_agencies=()) -> list[AuditForm]:
    """Send the forms: one per case for every agency involved with the case in the scope period,
    and for each agency the lead auditor adds. The agencies' auditors are told."""
    _need_lead(by, audit_round, "send the forms")
    _draft(audit_round)
    cases = list(audit_round.cases.filter(withdrawn_at__isnull=True))
    if not cases:
        raise ValidationError("Choose at least one case before sending the forms")
    extra = {a.pk for a in extra_agencies}
    with transaction.atomic():
        forms = []
        involved_in = _involved_agency_ids(audit_round, cases)
        for case in cases:
            involved = involved_in[case.pk]
            for agency_id in sorted(involved | extra):
                forms.append(AuditForm(round=audit_round, case=case, agency_id=agency_id, added_by_lead=agency_id not in involved))
        AuditForm.objects.bulk_create(forms)
        audit_round.status = RoundStatus.OPEN
        audit_round.opened_at = timezone.now()
        audit_round.save()
        _tell_agencies(
            audit_round, {f.agency_id for f in forms}, exclude=by,
            subject=f"Audit forms for your agency: {audit_round.title}",
            body=f"Your agency has audit forms to complete by {long_date(audit_round.deadline)}.",
        )
    return forms


def add_agency(*, by, audit_round: AuditRound, agency: Agency | None, cases=None) -> list[AuditForm]:
    """Send forms to an agency that was not involved (or for cases added to its list)."""
    _need_lead(by, audit_round, "add agencies")
    if audit_round.status not in (RoundStatus.DRAFT, RoundStatus.OPEN):
        raise ValidationError("Agencies can only be added before moderation starts")
    if agency is None:
        raise ValidationError({"agency": "Choose an agency"})
    if audit_round.status == RoundStatus.DRAFT:
        return []  # open_round sends forms to the agencies named then
    targets = list(cases) if cases else list(audit_round.cases.filter(withdrawn_at__isnull=True))
    have = set(AuditForm.objects.filter(round=audit_round, agency=agency).values_list("case_id", flat=True))
    with transaction.atomic():
        forms = AuditForm.objects.bulk_create(
            [AuditForm(round=audit_round, case=c, agency=agency, added_by_lead=True) for c in targets if c.pk not in have]
        )
        if not forms:
            raise ValidationError({"agency": f"{agency.name} already has a form for every case"})
        _tell_agencies(
            audit_round, [agency.pk], exclude=by, subject=f"Audit forms for your agency: {audit_round.title}",
            body=f"Your agency has {len(forms)} audit form{'s' if len(forms) != 1 else ''} to complete by {long_date(audit_round.deadline)}.",
        )
    return forms


# Forms -----------------------------------------------------------------------------------------


def _may_complete(by, form: AuditForm) -> None:
    if by is None or not by.is_authenticated or not completes_form(by, form):
        raise PermissionDenied("Only the auditors of the form's agency can complete it.")
    returned_in_moderation = form.round.status == RoundStatus.MODERATION and form.status == FormStatus.RETURNED
    if form.round.status != RoundStatus.OPEN and not returned_in_moderation:
        raise ValidationError("This audit is not open for returns")
    if not form.is_editable:
        raise ValidationError("This form has been sent in. A lead auditor can return it to you if it needs changes")


def clean_answer(question, raw) -> dict | list | None:
    """The stored fields of one answer, from what a person typed or chose, or None when left
    blank. Raises ValidationError with a message for the question."""
    if question.type == QuestionType.FACTORS:
        values = raw if isinstance(raw, (list, tuple, set)) else ([raw] if raw else [])
        return [str(v) for v in values if v] or None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if question.type == QuestionType.YES_NO:
        if raw not in YesNo.values:
            raise ValidationError("Choose yes, no, partly or not applicable")
        return {"choice": raw}
    if question.type == QuestionType.GRADE:
        try:
            grade = int(raw)
        except (TypeError, ValueError):
            grade = None
        if grade not in Grade.values:
            raise ValidationError("Choose outstanding, good, requires improvement or inadequate")
        return {"grade": grade}
    if question.type == QuestionType.NUMBER:
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ValidationError("Enter a number, like 3 or 2.5") from None
        if not number.is_finite() or abs(number) >= Decimal("1e10") or number != number.quantize(Decimal("0.01")):
            raise ValidationError("Enter a number with no more than 2 decimal places")
        return {"number": number}
    return {"text": str(raw).strip()}


def _write_answers(form: AuditForm, template: Template, answers: dict) -> None:
    """Bring the form's stored answers to `answers` (question id -> value). Answers taken back
    are marked cleared, not deleted; an unchanged answer is not written again."""
    current = {(a.question_id, a.option): a for a in AuditAnswer.objects.filter(form=form)}
    wanted: dict[tuple[str, str], dict] = {}
    errors = {}
    factor_ids = set(template.factor_labels)
    for qid, raw in answers.items():
        question = template.questions.get(qid)
        if question is None:
            errors[qid] = "This question is not in the audit's template"
            continue
        try:
            value = clean_answer(question, raw)
        except ValidationError as exc:
            errors[qid] = exc.messages[0]
            continue
        if value is None:
            continue
        if question.type == QuestionType.FACTORS:
            unknown = [v for v in value if v not in factor_ids]
            if unknown:
                errors[qid] = "Choose factors from the list"
                continue
            for factor in value:
                wanted[(qid, factor)] = {}
        else:
            wanted[(qid, "")] = value
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    blank = {"choice": "", "grade": None, "number": None, "text": ""}
    for key, fields in wanted.items():
        values = {**blank, **fields, "cleared_at": None}
        answer = current.get(key)
        if answer is None:
            AuditAnswer.objects.create(form=form, question_id=key[0], option=key[1], **values)
        elif any(getattr(answer, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(answer, f, v)
            answer.version += 1
            answer.save()
    asked = set(answers)
    for key, answer in current.items():
        if key[0] in asked and key not in wanted and answer.cleared_at is None:
            answer.cleared_at = now
            answer.version += 1
            answer.save()


def save_answers(*, by, form: AuditForm, answers: dict, expected_version: int) -> AuditForm:
    """Save some or all of a form's answers as a draft."""
    _may_complete(by, form)
    template = template_of(form.round)
    with transaction.atomic():
        _write_answers(form, template, answers)
        if form.status == FormStatus.NOT_STARTED:
            form.status = FormStatus.IN_PROGRESS
        form.auditor = by
        save_versioned(form, expected_version=expected_version)
    return form


def missing_answers(form: AuditForm, template: Template | None = None) -> list:
    """The yes/no and grade questions asked of the form's agency that have no answer."""
    template = template or template_of(form.round)
    answered = set(AuditAnswer.objects.filter(form=form, cleared_at__isnull=True).values_list("question_id", flat=True))
    return [
        q for q in template.questions_for(form.agency.agency_type)
        if q.type in (QuestionType.YES_NO, QuestionType.GRADE) and q.id not in answered
    ]


def submit_form(*, by, form: AuditForm, expected_version: int, answers: dict | None = None) -> AuditForm:
    """Send the form in. Every yes/no and grade question asked of the agency must be answered."""
    _may_complete(by, form)
    template = template_of(form.round)
    with transaction.atomic():
        if answers:
            _write_answers(form, template, answers)
        missing = missing_answers(form, template)
        if missing:
            raise ValidationError({q.id: f"Answer this question: {q.text}" for q in missing})
        form.status = FormStatus.SUBMITTED
        form.submitted_at = timezone.now()
        form.submitted_by = by
        form.auditor = by
        form.nil_reason = ""
        form.nil_reason_detail = ""
        save_versioned(form, expected_version=expected_version)
        FormEvent.objects.create(form=form, kind=FormEvent.Kind.SUBMITTED, by=by)
    return form


def nil_return(*, by, form: AuditForm, reason: str, detail: str = "", expected_version: int) -> AuditForm:
    """The agency has nothing to audit for this case, and says why."""
    _may_complete(by, form)
    errors = {}
    if reason not in NilReason.values:
        errors["reason"] = "Choose why your agency is making a nil return"
    elif reason == NilReason.OTHER and not _text(detail):
        errors["detail"] = "Enter why your agency is making a nil return"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        form.status = FormStatus.NIL_RETURN
        form.nil_reason = reason
        form.nil_reason_detail = _text(detail)[:500]
        form.submitted_at = timezone.now()
        form.submitted_by = by
        save_versioned(form, expected_version=expected_version)
        FormEvent.objects.create(form=form, kind=FormEvent.Kind.NIL_RETURN, by=by, comment=form.nil_reason_detail)
    return form


def return_form(*, by, form: AuditForm, comment: str) -> AuditForm:
    """Moderation: a lead auditor sends a form back to its agency with comments."""
    _need_lead(by, form.round, "return forms")
    if form.round.status not in (RoundStatus.OPEN, RoundStatus.MODERATION):
        raise ValidationError("Forms can only be returned while the audit is open or in moderation")
    if form.status not in (FormStatus.SUBMITTED, FormStatus.NIL_RETURN):
        raise ValidationError("Only a form that has been sent in can be returned")
    if not _text(comment):
        raise ValidationError({"comment": "Enter what the agency should change"})
    with transaction.atomic():
        form.status = FormStatus.RETURNED
        form.version += 1
        form.save()
        FormEvent.objects.create(form=form, kind=FormEvent.Kind.RETURNED, by=by, comment=_text(comment))
        _tell_agencies(
            form.round, [form.agency_id], exclude=by, subject=f"An audit form has been returned to your agency: {form.round.title}",
            body="A lead auditor has returned one of your agency's audit forms with comments. Open it to see what to change.",
        )
    return form


# Moderation and closing ------------------------------------------------------------------------


def start_moderation(*, by, audit_round: AuditRound) -> AuditRound:
    _need_lead(by, audit_round, "start moderation")
    if audit_round.status != RoundStatus.OPEN:
        raise ValidationError("Only an open audit can move to moderation")
    audit_round.status = RoundStatus.MODERATION
    audit_round.save()
    return audit_round


def record_review_session(*, by, audit_round: AuditRound, held_on: dt.date | None, attendees: str, notes: str = "") -> ReviewSession:
    _need_lead(by, audit_round, "record review sessions")
    errors = {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the session"
    elif held_on > local_today():
        errors["held_on"] = "The date of the session must be today or in the past"
    if not _text(attendees):
        errors["attendees"] = "Enter who took part"
    if audit_round.status == RoundStatus.CLOSED:
        errors["__all__"] = "This audit is closed"
    if errors:
        raise ValidationError(errors)
    return ReviewSession.objects.create(
        round=audit_round, held_on=held_on, attendees=_text(attendees), notes=_text(notes), recorded_by=by
    )


def _answer_text(form: AuditForm, question_id: str) -> str:
    parts = []
    for a in AuditAnswer.objects.filter(form=form, question_id=question_id, cleared_at__isnull=True).order_by("option"):
        parts.append(a.option or a.choice or (str(a.grade) if a.grade else "") or (str(a.number) if a.number is not None else "") or a.text)
    return ", ".join(p for p in parts if p)


def agree_change(*, by, session: ReviewSession, form: AuditForm, question_id: str, value, reason: str) -> FormEvent:
    """A change to a sent-in form agreed at a review session. The answer's history keeps the
    old value; the form's events say who agreed what, when and why."""
    _need_lead(by, session.round, "record agreed changes")
    if form.round_id != session.round_id:
        raise ValidationError("The form is not in this audit")
    if session.round.status == RoundStatus.CLOSED:
        raise ValidationError("This audit is closed")
    if form.status != FormStatus.SUBMITTED:
        raise ValidationError("Changes can only be agreed to forms that have been sent in")
    if not _text(reason):
        raise ValidationError({"reason": "Enter why the change was agreed"})
    template = template_of(form.round)
    if question_id not in template.questions:
        raise ValidationError({"question_id": "Choose a question from the template"})
    with transaction.atomic():
        before = _answer_text(form, question_id)
        _write_answers(form, template, {question_id: value})
        form.version += 1
        form.save()
        return FormEvent.objects.create(
            form=form, kind=FormEvent.Kind.AGREED_CHANGE, by=by, session=session, question_id=question_id,
            before=before, after=_answer_text(form, question_id), comment=_text(reason),
        )


def close_round(*, by, audit_round: AuditRound) -> AuditRound:
    """Close the audit: its answers can no longer change. Forms never sent in are counted as
    not returned in the report."""
    _need_lead(by, audit_round, "close the audit")
    if audit_round.status not in (RoundStatus.OPEN, RoundStatus.MODERATION):
        raise ValidationError("Only an open audit or one in moderation can be closed")
    if audit_round.forms.filter(status=FormStatus.RETURNED).exists():
        raise ValidationError("Some forms have been returned for changes. Wait for them to be sent in again, or record the change at a review session")
    audit_round.status = RoundStatus.CLOSED
    audit_round.closed_at = timezone.now()
    audit_round.save()
    return audit_round


# Findings and recommendations (F36) -------------------------------------------------------------


def add_finding(*, by, audit_round: AuditRound, theme_id: str, text: str) -> AuditFinding:
    _need_lead(by, audit_round, "write findings")
    errors = {}
    if theme_id and template_of(audit_round).theme(theme_id) is None:
        errors["theme_id"] = "Choose a theme from the template"
    if not _text(text):
        errors["text"] = "Enter the finding"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        number = (AuditFinding.objects.select_for_update().filter(round=audit_round).aggregate(m=Max("number"))["m"] or 0) + 1
        return AuditFinding.objects.create(round=audit_round, number=number, theme_id=theme_id or "", text=_text(text), created_by=by)


def recommendation_owners(agency_id: int, owner: User | None) -> list[User]:
    """Who answers for a recommendation: the named owner, and the owning agency's auditors and managers."""
    managers = User.objects.filter(
        is_active=True, memberships__role=Role.MANAGER, memberships__ended_at__isnull=True, memberships__agency_id=agency_id
    ).distinct()
    return ([owner] if owner else []) + agency_auditors([agency_id]) + list(managers)


def add_recommendation(
    *, by, audit_round: AuditRound, text: str, owner_agency: Agency | None, due_on: dt.date | None, findings=(), owner: User | None = None,
) -> Recommendation:
    _need_lead(by, audit_round, "make recommendations")
    errors = {}
    if not _text(text):
        errors["text"] = "Enter the recommendation"
    if owner_agency is None:
        errors["owner_agency"] = "Choose the agency that owns the recommendation"
    if due_on is None:
        errors["due_on"] = "Enter the date the recommendation is due"
    findings = list(findings)
    if any(f.round_id != audit_round.pk for f in findings):
        errors["findings"] = "Choose findings from this audit"
    if owner is not None and owner_agency is not None and not Membership.objects.filter(
        user=owner, agency=owner_agency, ended_at__isnull=True
    ).exists():
        errors["owner"] = "The owner must work in the agency that owns the recommendation"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        number = (
            Recommendation.objects.select_for_update().filter(round=audit_round).aggregate(m=Max("number"))["m"] or 0
        ) + 1
        rec = Recommendation.objects.create(
            round=audit_round, number=number, text=_text(text), owner_agency=owner_agency, owner=owner, due_on=due_on, created_by=by,
        )
        rec.findings.set(findings)
        recipients = recommendation_owners(owner_agency.pk, owner)
        notify(
            recipients=recipients, category=CATEGORY, exclude=by,
            subject=f"A recommendation for your agency from {audit_round.title}",
            body=f"Recommendation {number} is due by {long_date(due_on)}.", url=reverse("audits:action_plan"),
        )
    return rec


def update_recommendation(*, by, recommendation: Recommendation, note: str, rag: str, evidence: str = "") -> RecommendationUpdate:
    """Progress on a recommendation. Marking it complete needs the evidence that it is done."""
    if by is None or not by.is_authenticated or not updates_recommendation(by, recommendation):
        raise PermissionDenied("Only the lead auditors or the owning agency can update this recommendation.")
    errors = {}
    if recommendation.withdrawn_at is not None:
        errors["__all__"] = "This recommendation has been withdrawn"
    elif recommendation.completed_at is not None:
        errors["__all__"] = "This recommendation is complete"
    if not _text(note):
        errors["note"] = "Enter what has happened"
    if rag not in Rag.values:
        errors["rag"] = "Choose a status"
    elif rag == Rag.COMPLETE and not _text(evidence):
        errors["evidence"] = "Enter the evidence that the recommendation is complete"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update = RecommendationUpdate.objects.create(
            recommendation=recommendation, note=_text(note), rag=rag, evidence=_text(evidence), by=by
        )
        recommendation.rag = rag
        if rag == Rag.COMPLETE:
            recommendation.completed_at = update.at
        recommendation.version += 1
        recommendation.save()
    return update


# Learning events ------------------------------------------------------------------------------


def schedule_sessions(
    *, by, audit_round: AuditRound, first_on: dt.date | None, count, breaks=(), venue: str = ""
) -> list[LearningSession]:
    """Weekly sessions from `first_on`, skipping any week that starts inside a break (such as
    half term). `breaks` is a list of (first day, last day)."""
    _need_lead(by, audit_round, "arrange sessions")
    errors = {}
    if audit_round.kind != AuditKind.LEARNING_EVENT:
        errors["__all__"] = "Sessions are for learning events"
    if first_on is None:
        errors["first_on"] = "Enter the date of the first session"
    try:
        count = int(count)
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= 52:
        errors["count"] = "Enter a number of sessions from 1 to 52"
    for start, end in breaks:
        if start is None or end is None or end < start:
            errors["breaks"] = "Each break needs a first and last day, the last the same as or after the first"
    if errors:
        raise ValidationError(errors)
    # Cases already given a session keep it: sessions arranged later take the cases still without one.
    held = LearningSession.objects.filter(round=audit_round, cancelled_at__isnull=True, case__isnull=False).values("case_id")
    cases = list(audit_round.cases.filter(withdrawn_at__isnull=True).exclude(pk__in=held).order_by("position"))
    with transaction.atomic():
        number = audit_round.sessions.aggregate(m=Max("number"))["m"] or 0
        day = first_on
        sessions = []
        while len(sessions) < count:
            if not any(start <= day <= end for start, end in breaks):
                number += 1
                case = cases[len(sessions)] if len(sessions) < len(cases) else None
                sessions.append(LearningSession.objects.create(round=audit_round, number=number, held_on=day, case=case, venue=_text(venue)))
            day += dt.timedelta(weeks=1)
    return sessions


def invite_professionals(*, by, audit_round: AuditRound) -> list[LearningInvitation]:
    """Invite every professional involved with each case in the scope period to the event."""
    _need_lead(by, audit_round, "invite professionals")
    if audit_round.kind != AuditKind.LEARNING_EVENT:
        raise ValidationError("Invitations to sessions are for learning events")
    cases = {c.child_id: c for c in audit_round.cases.filter(withdrawn_at__isnull=True, child__isnull=False)}
    rows = (
        Involvement.objects.filter(child_id__in=cases, professional__isnull=False, started_on__lte=audit_round.scope_end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=audit_round.scope_start))
        .values_list("child_id", "professional_id", "agency_id")
    )
    have = set(LearningInvitation.objects.filter(round=audit_round).values_list("case_id", "professional_id"))
    new = []
    for child_id, professional_id, agency_id in rows:
        key = (cases[child_id].pk, professional_id)
        if key in have:
            continue
        have.add(key)
        new.append(LearningInvitation(round=audit_round, case=cases[child_id], professional_id=professional_id, agency_id=agency_id))
    with transaction.atomic():
        LearningInvitation.objects.bulk_create(new)
        notify(
            recipients=User.objects.filter(pk__in={i.professional_id for i in new}), category=CATEGORY, exclude=by,
            subject=f"You are invited to a practice learning event: {audit_round.title}",
            body="You worked with a child whose case the partnership will learn from. Your view of what happened matters.",
            url=reverse("audits:invitations"),
        )
    return new


def record_attendance(*, by, invitation: LearningInvitation, attended: bool) -> LearningInvitation:
    _need_lead(by, invitation.round, "record who came")
    invitation.attended = bool(attended)
    invitation.save()
    return invitation


# Reminders -------------------------------------------------------------------------------------

REMINDER_DAYS = (7, 2)
RECOMMENDATION_REMINDER_DAYS = (14, 0)


def send_reminders(*, today: dt.date | None = None) -> int:
    """Remind agencies of forms not sent in 7 and 2 days before the deadline, and owners of
    recommendations 14 days before and on the due date. Each reminder goes once (the form's
    events and the recommendation's updates are not used for this: `Reminder` rows are)."""
    from .models import Reminder

    today = today or local_today()
    sent = 0
    for days in REMINDER_DAYS:
        rounds = AuditRound.objects.filter(status=RoundStatus.OPEN, deadline=today + dt.timedelta(days=days))
        for audit_round in rounds:
            outstanding = audit_round.forms.filter(status__in=[FormStatus.NOT_STARTED, FormStatus.IN_PROGRESS, FormStatus.RETURNED])
            by_agency: dict[int, int] = {}
            for agency_id in outstanding.values_list("agency_id", flat=True):
                by_agency[agency_id] = by_agency.get(agency_id, 0) + 1
            for agency_id, n in by_agency.items():
                _, made = Reminder.objects.get_or_create(key=f"round:{audit_round.pk}:agency:{agency_id}:days:{days}")
                if made:
                    sent += 1
                    _tell_agencies(
                        audit_round, [agency_id], subject=f"Reminder: audit forms due {long_date(audit_round.deadline)}",
                        body=f"Your agency has {n} audit form{'s' if n != 1 else ''} still to send in for {audit_round.title}.",
                    )
    for days in RECOMMENDATION_REMINDER_DAYS:
        for rec in Recommendation.objects.filter(
            completed_at__isnull=True, withdrawn_at__isnull=True, due_on=today + dt.timedelta(days=days)
        ).select_related("round", "owner"):
            _, made = Reminder.objects.get_or_create(key=f"recommendation:{rec.pk}:days:{days}")
            if made:
                sent += 1
                when = "today" if days == 0 else f"on {long_date(rec.due_on)}"
                notify(
                    recipients=recommendation_owners(rec.owner_agency_id, rec.owner), category=CATEGORY,
                    subject=f"Reminder: recommendation {rec.number} of {rec.round.title} is due {when}",
                    body="Record its progress and, when it is done, the evidence.", url=reverse("audits:action_plan"),
                )
    return sent
