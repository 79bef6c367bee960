"""Reads for findings, recommendations, the action plan and learning events, scoped by who asks.

Who sees the action plan (F36):
- auditors see every recommendation of every round;
- board members see every recommendation, read only: this is what the board scrutinises;
- the managers and auditors of an agency see the recommendations their agency owns, and a
  named owner sees their own;
- anyone else gets "not found".

Learning events name each case only as "Child A", "Child B" ...: no page here names a child.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from lantern.core.dates import local_today
from lantern.partnership.models import Agency, Membership, Role

from .models import (
    AuditFinding, AuditKind, AuditRound, LearningInvitation, LearningSession, Rag, Recommendation, RecommendationUpdate,
)
from .rules import auditor_agency_ids, is_auditor, leads_round

OVERDUE = "overdue"
STATUS_FILTERS = [(OVERDUE, "Overdue"), *Rag.choices]
PAGE_SIZE = 25


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("Not found") from None


# Who sees what --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanScope:
    """What of the action plan a user sees: everything, or their agencies' and their own."""

    everything: bool
    agency_ids: frozenset
    user_id: int | None
    read_only: bool

    @property
    def sees_any(self) -> bool:
        return self.everything or bool(self.agency_ids) or self.user_id is not None


def plan_scope(user) -> PlanScope | None:
    """The user's view of the action plan, or None when they have none."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    access = user.access
    if is_auditor(user):
        return PlanScope(everything=True, agency_ids=frozenset(), user_id=user.pk, read_only=False)
    if Role.BOARD_MEMBER in access.roles:
        return PlanScope(everything=True, agency_ids=frozenset(), user_id=user.pk, read_only=True)
    agencies = frozenset(access.manager_agency_ids) | auditor_agency_ids(user)
    owns = Recommendation.objects.filter(owner_id=user.pk, withdrawn_at__isnull=True).exists()
    if not agencies and not owns:
        return None
    return PlanScope(everything=False, agency_ids=agencies, user_id=user.pk, read_only=False)


def recommendations_visible_to(user, scope: PlanScope | None = None) -> QuerySet[Recommendation]:
    scope = scope if scope is not None else plan_scope(user)
    qs = Recommendation.objects.filter(withdrawn_at__isnull=True)
    if scope is None:
        return qs.none()
    if scope.everything:
        return qs
    return qs.filter(Q(owner_agency_id__in=sorted(scope.agency_ids)) | Q(owner_id=scope.user_id))


def access_recommendation(user, pk) -> Recommendation:
    """The recommendation, if `user` may see it; otherwise 404, whether it exists or not."""
    rec = (
        recommendations_visible_to(user).filter(pk=_pk(pk)).select_related("round", "owner_agency", "owner", "created_by").first()
    )
    if rec is None:
        raise Http404("Not found")
    return rec


def access_led_round(user, pk, *, learning_event: bool = False) -> AuditRound:
    """A round the user is a lead auditor of; otherwise 404. With `learning_event`, only a
    learning event."""
    audit_round = AuditRound.objects.filter(pk=_pk(pk)).select_related("template_version").first()
    if audit_round is None or not leads_round(user, audit_round):
        raise Http404("Not found")
    if learning_event and audit_round.kind != AuditKind.LEARNING_EVENT:
        raise Http404("Not found")
    return audit_round


# The action plan ------------------------------------------------------------------------------


def is_overdue(rec: Recommendation, today: dt.date | None = None) -> bool:
    return rec.completed_at is None and rec.due_on < (today or local_today())


@dataclass
class ActionPlan:
    page: object  # a Paginator page of recommendations, each with last_update_at, last_update_note, overdue
    scope: PlanScope
    rounds: list  # (pk, title) of the rounds in the user's view, for the filter
    agencies: list  # (pk, name) of the owner agencies in the user's view, for the filter
    counts: dict  # RAG value (and "overdue") -> number in the user's view, before filtering
    total: int


def action_plan(user, *, round_id=None, agency_id=None, status: str = "", page_number=1) -> ActionPlan:
    """Every recommendation the user may see, newest round first, with its last update.
    Five queries whatever the number of recommendations: the counts, the filter options (two),
    the page's count and the page."""
    scope = plan_scope(user)
    if scope is None:
        raise Http404("Not found")
    today = local_today()
    visible = recommendations_visible_to(user, scope)
    counts = {value: 0 for value, _ in STATUS_FILTERS}
    total = 0
    for rag, due_on, completed_at in visible.values_list("rag", "due_on", "completed_at"):
        total += 1
        counts[rag] = counts.get(rag, 0) + 1
        if completed_at is None and due_on < today:
            counts[OVERDUE] += 1
    rounds = list(
        AuditRound.objects.filter(pk__in=visible.values("round_id")).order_by("-created_at", "-id").values_list("pk", "title")
    )
    agencies = list(Agency.objects.filter(pk__in=visible.values("owner_agency_id")).order_by("name").values_list("pk", "name"))
    qs = visible
    if round_id:
        qs = qs.filter(round_id=round_id)
    if agency_id:
        qs = qs.filter(owner_agency_id=agency_id)
    if status == OVERDUE:
        qs = qs.filter(completed_at__isnull=True, due_on__lt=today)
    elif status in Rag.values:
        qs = qs.filter(rag=status)
    latest = RecommendationUpdate.objects.filter(recommendation=OuterRef("pk")).order_by("-at", "-id")
    qs = (
        qs.select_related("round", "owner_agency", "owner")
        .annotate(last_update_at=Subquery(latest.values("at")[:1]), last_update_note=Subquery(latest.values("note")[:1]))
        .order_by("-round__created_at", "-round_id", "number")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    for rec in page:
        rec.overdue = is_overdue(rec, today)
    return ActionPlan(page=page, scope=scope, rounds=rounds, agencies=agencies, counts=counts, total=total)


@dataclass
class RecommendationPage:
    recommendation: Recommendation
    findings: list
    updates: list
    overdue: bool


def recommendation_page(recommendation: Recommendation) -> RecommendationPage:
    """The recommendation's findings and its progress, oldest first. Two queries."""
    findings = list(recommendation.findings.filter(withdrawn_at__isnull=True).order_by("number"))
    updates = list(recommendation.updates.select_related("by").order_by("at", "id"))
    return RecommendationPage(recommendation=recommendation, findings=findings, updates=updates, overdue=is_overdue(recommendation))


# Findings -------------------------------------------------------------------------------------


def findings_of(audit_round: AuditRound) -> list[AuditFinding]:
    return list(audit_round.findings.filter(withdrawn_at__isnull=True).order_by("number"))


def owner_choices() -> list[tuple[int, str, str]]:
    """(user id, name, agency name) of everyone with a current role in an active agency, for
    choosing a recommendation's owner. One query."""
    return list(
        Membership.objects.filter(ended_at__isnull=True, user__is_active=True, agency__is_active=True)
        .order_by("user__full_name", "agency__name")
        .values_list("user_id", "user__full_name", "agency__name")
        .distinct()
    )


# Learning events -----------------------------------------------------------------------------


def sessions_of(audit_round: AuditRound) -> list[LearningSession]:
    return list(audit_round.sessions.filter(cancelled_at__isnull=True).select_related("case").order_by("held_on", "number"))


@dataclass
class CaseInvitations:
    case: object
    sessions: list
    invitations: list


def invitations_by_case(audit_round: AuditRound) -> list[CaseInvitations]:
    """Each case of the learning event with its sessions and its invitations by agency. Three
    queries."""
    cases = list(audit_round.cases.filter(withdrawn_at__isnull=True).order_by("position"))
    sessions: dict[int, list] = {}
    for session in audit_round.sessions.filter(cancelled_at__isnull=True, case__isnull=False).order_by("held_on"):
        sessions.setdefault(session.case_id, []).append(session)
    invitations: dict[int, list] = {}
    for invitation in (
        LearningInvitation.objects.filter(round=audit_round).select_related("professional", "agency")
        .order_by("agency__name", "professional__full_name")
    ):
        invitations.setdefault(invitation.case_id, []).append(invitation)
    return [CaseInvitations(case=c, sessions=sessions.get(c.pk, []), invitations=invitations.get(c.pk, [])) for c in cases]


def my_invitations(user) -> list[LearningInvitation]:
    """A professional's own invitations, with the round and the sessions about each case. The
    case is only ever its label. Two queries."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        LearningInvitation.objects.filter(professional=user)
        .select_related("round", "case", "agency")
        .prefetch_related(
            Prefetch(
                "case__sessions", queryset=LearningSession.objects.filter(cancelled_at__isnull=True).order_by("held_on"),
                to_attr="upcoming_sessions",
            )
        )
        .order_by("-round__created_at", "case__position")
    )
