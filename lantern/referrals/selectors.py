"""Every read of referrals that leaves the app, scoped by who is asking. A referral is visible to
whoever may see its child; everyone else is told it is not found."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from lantern.children.models import AccessPurpose, Child, Involvement
from lantern.children.selectors import access_child_record, access_child, children_visible_to
from lantern.core.dates import local_today
from lantern.partnership.models import Agency, AgencyType

from .models import (
    ALWAYS_EXPECTED_CHECKS,
    CHECK_AGENCY_TYPES,
    EXPECTABLE_CHECKS,
    EXPECTED_CHECKS_BY_AGENCY_TYPE,
    CheckType,
    Outcome,
    Referral,
    StatutoryCheck,
    agency_may_make_check,
)
from .rules import acting_agency_ids, can_record_outcome


# --- Statutory checks expected and missing (F01) ----------------------------------------------


def _missing_field(check_type: str) -> str:
    return f"missing_{check_type}"


def with_missing_checks(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    """Annotate each referral with `missing_<check>` (0 or 1) for every check that can be
    expected, and `missing_checks`, their sum. Done in the database: a check is expected when
    police and social care always make it, or when an agency of the kind that makes it is
    actively involved with the child; it is missing when no agency has recorded it."""
    annotations = {}
    for check_type in EXPECTABLE_CHECKS:
        done = Exists(StatutoryCheck.objects.filter(referral=OuterRef("pk"), check_type=check_type))
        if check_type in ALWAYS_EXPECTED_CHECKS:
            condition = ~done
        else:
            involved = Exists(
                Involvement.objects.filter(
                    child=OuterRef("child"), ended_on__isnull=True, agency__agency_type__in=sorted(CHECK_AGENCY_TYPES[check_type])
                )
            )
            condition = involved & ~done
        annotations[_missing_field(check_type)] = Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
    qs = qs.annotate(**annotations)
    total = sum((F(name) for name in annotations), start=Value(0))
    return qs.annotate(missing_checks=total)


@dataclass(frozen=True)
class ExpectedCheck:
    check_type: str
    label: str
    because: str
    done_by: tuple = ()

    @property
    def is_missing(self) -> bool:
        return not self.done_by


def expected_checks(*, checks: list[StatutoryCheck], involvements: list[Involvement]) -> list[ExpectedCheck]:
    """The checks expected for a referral, why, and who has made them. The same definition as
    `with_missing_checks`, worked out from rows already loaded."""
    reasons: dict[str, list[str]] = {}
    for check_type in ALWAYS_EXPECTED_CHECKS:
        reasons.setdefault(check_type, []).append("expected for every referral")
    for inv in involvements:
        if inv.ended_on is not None:
            continue
        for check_type in EXPECTED_CHECKS_BY_AGENCY_TYPE.get(inv.agency.agency_type, ()):
            because = f"{inv.agency.name} works with the child"
            if because not in reasons.setdefault(check_type, []):
                reasons[check_type].append(because)
    done: dict[str, list[StatutoryCheck]] = {}
    for check in checks:
        done.setdefault(check.check_type, []).append(check)
    return [
        ExpectedCheck(
            check_type=check_type, label=CheckType(check_type).label, because="; ".join(reasons[check_type]),
            done_by=tuple(done.get(check_type, ())),
        )
        for check_type in CheckType.values
        if check_type in reasons
    ]


# --- Reading referrals ----------------------------------------------------------------------


def referrals_visible_to(user) -> QuerySet[Referral]:
    """The referrals `user` may see: those about children they may see."""
    return Referral.objects.filter(child__in=children_visible_to(user).values("pk"))


def access_referral(user, referral_id, *, path: str = "") -> Referral:
    """The referral, if `user` may see its child, with the read written to the child's access
    log; otherwise 404, never a hint that it exists."""
    return access_child_record(
        user, Referral.objects.select_related("referring_agency", "referrer", "outcome_decided_by"), referral_id, path=path
    )


def referral_child_for(user, child_id, *, path: str = "") -> Child:
    """The child to be referred: one the user may see (the read is logged), otherwise 404."""
    return access_child(user, child_id, purpose=AccessPurpose.PAGE, path=path)


@dataclass
class IndicatorSeen:
    id: str
    wording: str
    domain: str


def indicators_seen(referral: Referral) -> list[IndicatorSeen]:
    """The indicators the referrer saw, in the wording of the catalogue version they used."""
    from lantern.risk.catalogue import catalogue_version

    catalogue = catalogue_version(referral.catalogue_version)
    domains = {d.id: d.label for d in catalogue.domains}
    seen = []
    for indicator_id in referral.indicator_ids:
        try:
            indicator = catalogue.indicator(indicator_id)
        except ValidationError:
            seen.append(IndicatorSeen(id=indicator_id, wording="(not in this version of the catalogue)", domain=""))
            continue
        seen.append(IndicatorSeen(id=indicator.id, wording=indicator.wording, domain=domains.get(indicator.domain, "")))
    return seen


@dataclass
class ReferralPage:
    referral: Referral
    indicators: list
    checks: list
    expected: list
    recordable_check_types: list
    can_record_outcome: bool

    @property
    def missing(self) -> list[ExpectedCheck]:
        return [e for e in self.expected if e.is_missing]


def days_overdue(referral: Referral, today: dt.date) -> int:
    """Calendar days since the outcome fell due; 0 once decided or while not yet due."""
    if referral.outcome or today <= referral.outcome_due_on:
        return 0
    return (today - referral.outcome_due_on).days


def _with_ageing(referrals: list[Referral], today: dt.date) -> list[Referral]:
    for referral in referrals:
        referral.days_overdue = days_overdue(referral, today)
    return referrals


def recordable_check_types(user, *, checks: list[StatutoryCheck], agencies: list[Agency]) -> list[tuple[str, str]]:
    """The checks the user's agencies may still record for the referral: those of their kind
    that the same agency has not recorded already."""
    done = {(c.agency_id, c.check_type) for c in checks}
    choices = []
    for check_type, label in CheckType.choices:
        if any(agency_may_make_check(a.agency_type, check_type) and (a.pk, check_type) not in done for a in agencies):
            choices.append((check_type, label))
    return choices


def referral_page(user, referral: Referral) -> ReferralPage:
    """All the referral page shows, in a fixed number of queries whatever the number of
    indicators, checks and involved agencies."""
    checks = list(
        StatutoryCheck.objects.filter(referral=referral).select_related("agency", "checked_by").order_by("check_type", "checked_on", "id")
    )
    involvements = list(Involvement.objects.filter(child_id=referral.child_id, ended_on__isnull=True).select_related("agency"))
    _with_ageing([referral], local_today())
    agency_ids = acting_agency_ids(user)
    agencies = list(Agency.objects.filter(pk__in=agency_ids, is_active=True).order_by("name")) if agency_ids else []
    return ReferralPage(
        referral=referral,
        indicators=indicators_seen(referral),
        checks=checks,
        expected=expected_checks(checks=checks, involvements=involvements),
        recordable_check_types=recordable_check_types(user, checks=checks, agencies=agencies),
        can_record_outcome=bool(can_record_outcome(user)) and not referral.outcome,
    )


def referral_list(user, *, page_number: int = 1, awaiting_only: bool = False):
    """Referrals for the Referrals page, newest first: the partnership-wide roles see every
    referral; everyone else those made by their agencies. Only about children they may see."""
    qs = referrals_visible_to(user)
    if not user.access.is_partnership_wide:
        qs = qs.filter(referring_agency_id__in=sorted(user.access.agency_ids))
    if awaiting_only:
        qs = qs.filter(outcome="")
    qs = with_missing_checks(qs).select_related("child", "referring_agency", "referrer").order_by("-received_at", "-id")
    page = Paginator(qs, settings.LANTERN_PAGE_SIZE).get_page(page_number)
    page.object_list = _with_ageing(list(page.object_list), local_today())
    return page


def child_referrals(user, child: Child) -> dict:
    """The child page's Referrals section: one query for a child never referred (most children),
    three whatever the number of referrals otherwise. Missing checks are worked out from the
    loaded rows by `expected_checks`, the same definition the database annotation uses: building
    that annotation costs more than the whole rest of the child page (docs/performance.md)."""
    from .rules import can_refer

    referrals = list(
        Referral.objects.filter(child=child).select_related("referring_agency").prefetch_related("checks").order_by("-received_at", "-id")
    )
    if referrals:
        involvements = list(Involvement.objects.filter(child=child, ended_on__isnull=True).select_related("agency"))
        for referral in referrals:
            expected = expected_checks(checks=list(referral.checks.all()), involvements=involvements)
            referral.missing_checks = sum(1 for check in expected if check.is_missing)
    return {"referrals": _with_ageing(referrals, local_today()), "can_refer": bool(can_refer(user))}


# --- The hub dashboard ----------------------------------------------------------------------


@dataclass
class HubDashboard:
    today: dt.date
    since: dt.datetime
    received_recently: int
    awaiting: int
    overdue: int
    outcomes: list
    referrals_missing_checks: int
    missing_checks: int
    missing_by_check: list
    by_agency_type: list
    oldest_awaiting: list


DASHBOARD_DAYS = 30


def hub_dashboard(*, today: dt.date | None = None, now: dt.datetime | None = None, oldest: int = 25) -> HubDashboard:
    """Counts for the hub, done in the database: five queries whatever the number of referrals."""
    today = today or local_today()
    now = now or timezone.now()
    since = now - dt.timedelta(days=DASHBOARD_DAYS)
    awaiting = Q(outcome="")
    counts = Referral.objects.aggregate(
        awaiting=Count("pk", filter=awaiting),
        overdue=Count("pk", filter=awaiting & Q(outcome_due_on__lt=today)),
        received_recently=Count("pk", filter=Q(received_at__gte=since)),
    )
    decided = dict(
        Referral.objects.filter(outcome_decided_at__gte=since).exclude(outcome="")
        .values_list("outcome").annotate(n=Count("pk")).order_by()
    )
    missing_fields = [_missing_field(c) for c in EXPECTABLE_CHECKS]
    missing = (
        with_missing_checks(Referral.objects.filter(child__closed_at__isnull=True))
        .aggregate(
            referrals=Count("pk", filter=Q(missing_checks__gt=0)),
            total=Coalesce(Sum("missing_checks"), 0),
            **{f"total_{name}": Coalesce(Sum(name), 0) for name in missing_fields},
        )
    )
    by_type = {
        row["referring_agency__agency_type"]: row
        for row in Referral.objects.values("referring_agency__agency_type")
        .annotate(total=Count("pk"), recent=Count("pk", filter=Q(received_at__gte=since)), waiting=Count("pk", filter=awaiting))
        .order_by()
    }
    oldest_awaiting = list(
        Referral.objects.filter(awaiting).select_related("child", "referring_agency").order_by("outcome_due_on", "received_at", "id")[:oldest]
    )
    _with_ageing(oldest_awaiting, today)
    return HubDashboard(
        today=today,
        since=since,
        received_recently=counts["received_recently"],
        awaiting=counts["awaiting"],
        overdue=counts["overdue"],
        outcomes=[(label, decided.get(value, 0)) for value, label in Outcome.choices],
        referrals_missing_checks=missing["referrals"],
        missing_checks=missing["total"],
        missing_by_check=[(CheckType(c).label, missing[f"total_{_missing_field(c)}"]) for c in EXPECTABLE_CHECKS],
        by_agency_type=[
            (label, by_type[value]["recent"], by_type[value]["waiting"], by_type[value]["total"])
            for value, label in AgencyType.choices
            if value in by_type
        ],
        oldest_awaiting=oldest_awaiting,
    )
