"""Every read of audits that leaves the app, scoped by who is asking. Each makes a fixed number of
queries, whatever the number of rounds, cases, agencies or forms.

Who sees what (see rules.py): auditors see the audit pages; a round's lead auditors see the round,
its cases only as "Child A", "Child B" ..., and every form read-only; an agency's auditors see
their own agency's forms, with the child's name and date of birth, and each look is written to
the child's access log.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from lantern.children.models import AccessPurpose, Child, ChildIdentifier, normalise_identifier
from lantern.children.services import log_child_access
from lantern.partnership.models import Agency, Role, User

from .models import (
    AuditAnswer, AuditCase, AuditForm, AuditRound, AuditTemplate, AuditTemplateVersion, FormEvent, FormStatus, QuestionType,
    ReviewSession, RoundStatus,
)
from .rules import auditor_agency_ids, completes_form, is_auditor, leads_round
from .template_document import Template, parse_template

RETURNED_STATUSES = (FormStatus.SUBMITTED, FormStatus.NIL_RETURN)
TO_DO_STATUSES = (FormStatus.NOT_STARTED, FormStatus.IN_PROGRESS, FormStatus.RETURNED)
# The order the grid's totals are shown in.
STATUS_ORDER = (FormStatus.NOT_STARTED, FormStatus.IN_PROGRESS, FormStatus.RETURNED, FormStatus.NIL_RETURN, FormStatus.SUBMITTED)


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("Not found") from None


def need_auditor(user) -> None:
    """The audit pages are for auditors: not found for anyone else."""
    if not user.is_authenticated or not is_auditor(user):
        raise Http404("Not found")


# Templates ------------------------------------------------------------------------------------


def template_list(user) -> list[AuditTemplate]:
    """Every template with its newest version's number and how many rounds use it. One query."""
    need_auditor(user)
    return list(
        AuditTemplate.objects.annotate(newest=Max("versions__number"), round_count=Count("versions__rounds", distinct=True))
        .order_by("-is_active", "name")
    )


def access_template(user, template_id) -> AuditTemplate:
    need_auditor(user)
    template = AuditTemplate.objects.filter(pk=_pk(template_id)).first()
    if template is None:
        raise Http404("Not found")
    return template


@dataclass
class TemplatePage:
    template: AuditTemplate
    newest: AuditTemplateVersion
    document: Template
    versions: list


def template_page(template: AuditTemplate) -> TemplatePage:
    """The newest version, checked, and the version history with whether each is in use. One query."""
    in_use = Exists(AuditRound.objects.filter(template_version=OuterRef("pk")))
    versions = list(
        AuditTemplateVersion.objects.filter(template=template).select_related("published_by")
        .annotate(in_use=in_use, round_count=Count("rounds")).order_by("-number")
    )
    newest = versions[0]
    return TemplatePage(template=template, newest=newest, document=parse_template(newest.document), versions=versions)


def newest_versions() -> list[AuditTemplateVersion]:
    """The newest version of each active template, for a new round. One query."""
    newest = AuditTemplateVersion.objects.filter(template=OuterRef("template")).order_by("-number").values("pk")[:1]
    return list(
        AuditTemplateVersion.objects.filter(template__is_active=True).annotate(newest_pk=Subquery(newest))
        .filter(pk=F("newest_pk")).select_related("template").order_by("template__name")
    )


def auditors() -> QuerySet[User]:
    """Everyone who holds the Auditor role now, for choosing lead auditors."""
    return User.objects.filter(
        is_active=True, memberships__role=Role.AUDITOR, memberships__ended_at__isnull=True, memberships__agency__is_active=True
    ).distinct().order_by("full_name", "pk")


# Rounds ---------------------------------------------------------------------------------------


def _count(model, **filters):
    """How many rows of `model` belong to the outer round: a subquery, so counting forms and cases
    together never multiplies their rows."""
    rows = model.objects.filter(round=OuterRef("pk"), **filters).order_by().values("round").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows), 0)


def _with_progress(qs: QuerySet[AuditRound]) -> QuerySet[AuditRound]:
    return qs.select_related("template_version__template").annotate(
        form_count=_count(AuditForm, withdrawn_at__isnull=True),
        returned_count=_count(AuditForm, withdrawn_at__isnull=True, status__in=RETURNED_STATUSES),
        case_count=_count(AuditCase, withdrawn_at__isnull=True),
    )


@dataclass
class AuditsHome:
    led: list
    rounds: object  # a page of every round
    forms_to_do: int
    forms_total: int


def audits_home(user, *, page_number=1) -> AuditsHome:
    """The audits home page for an auditor. Four queries."""
    need_auditor(user)
    led = list(_with_progress(AuditRound.objects.filter(lead_auditors=user)).exclude(status=RoundStatus.CLOSED))
    led_ids = set(AuditRound.objects.filter(lead_auditors=user).values_list("pk", flat=True))
    page = Paginator(_with_progress(AuditRound.objects.all()).order_by("-created_at", "-id"), 25).get_page(page_number)
    for audit_round in [*led, *page]:
        audit_round.is_led = audit_round.pk in led_ids
    counts = _my_form_counts(user)
    return AuditsHome(led=led, rounds=page, forms_to_do=counts["to_do"], forms_total=counts["total"])


def _my_forms_qs(user) -> QuerySet[AuditForm]:
    agency_ids = sorted(auditor_agency_ids(user))
    return AuditForm.objects.filter(agency_id__in=agency_ids, withdrawn_at__isnull=True).exclude(round__status=RoundStatus.DRAFT)


def _my_form_counts(user) -> dict:
    return _my_forms_qs(user).aggregate(
        total=Count("pk"), to_do=Count("pk", filter=Q(status__in=TO_DO_STATUSES, round__status=RoundStatus.OPEN)),
    )


def access_round(user, round_id) -> AuditRound:
    """The round, if `user` is one of its lead auditors; otherwise 404, whether it exists or not."""
    need_auditor(user)
    audit_round = (
        AuditRound.objects.select_related("template_version__template", "created_by").filter(pk=_pk(round_id)).first()
    )
    if audit_round is None or not leads_round(user, audit_round):
        raise Http404("Not found")
    return audit_round


def access_case(audit_round: AuditRound, case_id) -> AuditCase:
    case = AuditCase.objects.filter(round=audit_round, pk=_pk(case_id)).first()
    if case is None:
        raise Http404("Not found")
    case.round = audit_round
    return case


@dataclass
class GridRow:
    case: AuditCase
    cells: list  # one form (or None) for each agency, in the grid's agency order


@dataclass
class AgencyTotal:
    agency: Agency
    forms: int = 0
    returned: int = 0


@dataclass
class RoundPage:
    round: AuditRound
    template: Template
    lead_auditors: list
    cases: list
    withdrawn: list
    agencies: list = field(default_factory=list)
    grid: list = field(default_factory=list)
    agency_totals: list = field(default_factory=list)
    status_totals: list = field(default_factory=list)
    form_count: int = 0
    returned_count: int = 0
    review_sessions: list = field(default_factory=list)


def round_page(audit_round: AuditRound) -> RoundPage:
    """What a lead auditor sees of a round: its cases as Child A, B ... (never a name), and once
    the forms are sent the live return grid (case by agency). Four queries whatever the size."""
    cases = list(AuditCase.objects.filter(round=audit_round).order_by("position"))
    active = [c for c in cases if c.withdrawn_at is None]
    page = RoundPage(
        round=audit_round, template=parse_template(audit_round.template_version.document),
        lead_auditors=list(audit_round.lead_auditors.order_by("full_name")), cases=active,
        withdrawn=[c for c in cases if c.withdrawn_at is not None],
    )
    if audit_round.status != RoundStatus.DRAFT:
        forms = list(
            AuditForm.objects.filter(round=audit_round, withdrawn_at__isnull=True).select_related("agency")
            .only("pk", "case_id", "agency_id", "status", "added_by_lead", "agency__name", "agency__agency_type")
        )
        agencies: dict[int, Agency] = {}
        by_cell: dict[tuple[int, int], AuditForm] = {}
        status_counts = dict.fromkeys(STATUS_ORDER, 0)
        for form in forms:
            agencies.setdefault(form.agency_id, form.agency)
            by_cell[(form.case_id, form.agency_id)] = form
            status_counts[form.status] = status_counts.get(form.status, 0) + 1
        ordered = sorted(agencies.values(), key=lambda a: a.name)
        page.agencies = ordered
        page.grid = [GridRow(case=c, cells=[by_cell.get((c.pk, a.pk)) for a in ordered]) for c in active]
        totals = {a.pk: AgencyTotal(agency=a) for a in ordered}
        for form in forms:
            totals[form.agency_id].forms += 1
            if form.status in RETURNED_STATUSES:
                totals[form.agency_id].returned += 1
        page.agency_totals = [totals[a.pk] for a in ordered]
        page.status_totals = [(FormStatus(s), status_counts[s]) for s in STATUS_ORDER]
        page.form_count = len(forms)
        page.returned_count = status_counts[FormStatus.SUBMITTED] + status_counts[FormStatus.NIL_RETURN]
        page.review_sessions = list(ReviewSession.objects.filter(round=audit_round).annotate(change_count=Count("changes")))
    return page


def agencies_for_round(exclude_ids=()) -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).exclude(pk__in=sorted(exclude_ids)).order_by("name")


def agencies_with_forms(audit_round: AuditRound) -> set:
    return set(AuditForm.objects.filter(round=audit_round).values_list("agency_id", flat=True))


def access_review_session(audit_round: AuditRound, session_id) -> ReviewSession:
    session = ReviewSession.objects.filter(round=audit_round, pk=_pk(session_id)).select_related("recorded_by").first()
    if session is None:
        raise Http404("Not found")
    session.round = audit_round
    return session


def session_changes(session: ReviewSession) -> list[FormEvent]:
    return list(
        FormEvent.objects.filter(session=session).select_related("form__case", "form__agency", "by").order_by("at", "id")
    )


def submitted_forms(audit_round: AuditRound) -> list[AuditForm]:
    """The forms of a round that have been sent in (changes can be agreed to these)."""
    return list(
        AuditForm.objects.filter(round=audit_round, status=FormStatus.SUBMITTED, withdrawn_at__isnull=True)
        .select_related("case", "agency").order_by("case__position", "agency__name")
    )


# Choosing a case by hand ----------------------------------------------------------------------


class LookupProblem(Exception):
    """Why an NHS number or Lantern reference found no single child."""


def find_child_for_audit(user, audit_round: AuditRound, text: str) -> Child:
    """The one child with this NHS number or other identifier, or this Lantern reference (the
    number in the address of the child's page), for a lead auditor choosing a case by hand. An
    exact match only: this is not a search. Only the fields the confirmation shows are read."""
    if not leads_round(user, audit_round):
        raise Http404("Not found")
    value = normalise_identifier(text)
    if not value:
        raise LookupProblem("Enter the child's NHS number or Lantern reference")
    fields = ("pk", "legal_first_name", "legal_last_name", "preferred_name", "date_of_birth")
    matches = list(
        Child.objects.filter(Exists(ChildIdentifier.objects.filter(child=OuterRef("pk"), normalised=value))).only(*fields)[:2]
    )
    if not matches:
        reference = value[1:] if value.startswith("L") else value
        if reference.isdigit() and len(reference) <= 9:
            matches = list(Child.objects.filter(pk=int(reference)).only(*fields)[:1])
    if not matches:
        raise LookupProblem("No child has this NHS number or Lantern reference. Check it and try again")
    if len(matches) > 1:
        raise LookupProblem("More than one child has this number. Enter the child's Lantern reference instead")
    return matches[0]


def log_audit_lookup(user, child: Child, *, path: str) -> None:
    log_child_access(user=user, child=child, purpose=AccessPurpose.AUDIT, path=path)


# Forms ------------------------------------------------------------------------------------------


def my_forms(user, *, page_number=1):
    """The forms of the user's auditor agencies, in rounds that have been sent out. Two queries."""
    qs = _my_forms_qs(user).select_related("round", "case", "agency").order_by(
        "round__deadline", "round_id", "case__position", "agency__name"
    )
    return Paginator(qs, 50).get_page(page_number)


def my_form_counts(user) -> dict:
    return _my_form_counts(user)


def access_form(user, form_id) -> AuditForm:
    """The form, if `user` is an auditor of its agency or a lead auditor of its round (or, in a
    learning event, records its answers); otherwise 404, whether it exists or not."""
    if not user.is_authenticated:
        raise Http404("Not found")
    form = (
        AuditForm.objects.select_related("round__template_version__template", "case", "agency")
        .filter(pk=_pk(form_id), withdrawn_at__isnull=True).first()
    )
    if form is None or form.round.status == RoundStatus.DRAFT:
        raise Http404("Not found")
    form.is_own_agency = form.agency_id in auditor_agency_ids(user)
    form.is_lead = bool(leads_round(user, form.round))
    form.may_complete = bool(completes_form(user, form))
    if not (form.is_own_agency or form.is_lead or form.may_complete):
        raise Http404("Not found")
    return form


@dataclass
class FormPage:
    form: AuditForm
    template: Template
    child: Child | None  # only for the form's own agency's auditors
    answers: dict  # question id -> list of current AuditAnswer rows
    events: list
    returned_comment: FormEvent | None


def form_page(user, form: AuditForm, *, path: str) -> FormPage:
    """The form with its answers and what happened to it. The child's name and date of birth
    only for the auditors of the form's agency, and each such look is written to the child's
    access log (purpose: audit). Four queries, five with the log."""
    child = None
    if form.is_own_agency and form.case.child_id is not None:
        child = Child.objects.only("pk", "legal_first_name", "legal_last_name", "preferred_name", "date_of_birth").get(
            pk=form.case.child_id
        )
        log_child_access(user=user, child=child, purpose=AccessPurpose.AUDIT, path=path)
    answers: dict[str, list] = {}
    for answer in AuditAnswer.objects.filter(form=form, cleared_at__isnull=True).order_by("question_id", "option"):
        answers.setdefault(answer.question_id, []).append(answer)
    events = list(FormEvent.objects.filter(form=form).select_related("by", "session").order_by("at", "id"))
    returned = [e for e in events if e.kind == FormEvent.Kind.RETURNED]
    return FormPage(
        form=form, template=parse_template(form.round.template_version.document), child=child, answers=answers, events=events,
        returned_comment=returned[-1] if returned and form.status == FormStatus.RETURNED else None,
    )


def answer_display(question, rows: list, factor_labels: dict) -> str:
    """An answer as words, for read-only pages."""
    if not rows:
        return ""
    if question.type == QuestionType.FACTORS:
        return ", ".join(factor_labels.get(r.option, r.option) for r in rows)
    row = rows[0]
    if question.type == QuestionType.YES_NO:
        return row.get_choice_display()
    if question.type == QuestionType.GRADE:
        return row.get_grade_display() if row.grade else ""
    if question.type == QuestionType.NUMBER:
        return "" if row.number is None else f"{row.number.normalize():f}"
    return row.text

