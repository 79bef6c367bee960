"""Every read of screenings and risk levels that leaves the app. Each makes a fixed number of
queries, whatever the number of screenings or decisions a child has."""

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from lantern.children.models import Child, Involvement
from lantern.children.selectors import access_child_record
from lantern.core.dates import local_today
from lantern.partnership.models import AGENCY_CASE_ROLES, Agency, Membership, Role, User
from lantern.partnership.selectors import hub_membership

from .charts import level_step_chart
from .conf import add_months, recent_screening_months
from .models import EXPLOITATION_KINDS, RiskDecision, RiskKind, Screening, ScreeningIndicator
from .rules import can_decide_level, can_screen_child

EMOTIONAL_HEALTH_DOMAIN = "emotional_health"


# Levels ---------------------------------------------------------------------------------------

def current_decisions() -> QuerySet[RiskDecision]:
    """The decision in force for each child and kind: the one no later decision supersedes.
    One query over any number of children (the standards rules start here)."""
    later = RiskDecision.objects.filter(child=OuterRef("child"), kind=OuterRef("kind")).filter(
        Q(decided_at__gt=OuterRef("decided_at")) | Q(decided_at=OuterRef("decided_at"), pk__gt=OuterRef("pk"))
    )
    return RiskDecision.objects.filter(~Exists(later))


def _current_from(decisions) -> dict[str, RiskDecision | None]:
    """The newest decision of each kind among `decisions` (any order)."""
    current: dict[str, RiskDecision | None] = {kind: None for kind in RiskKind.values}
    for decision in decisions:
        held = current[decision.kind]
        if held is None or (decision.decided_at, decision.pk) > (held.decided_at, held.pk):
            current[decision.kind] = decision
    return current


def current_levels(child: Child) -> dict[str, RiskDecision | None]:
    """The child's current decision of each kind (None where none has been made). One query."""
    return _current_from(current_decisions().filter(child=child).select_related("decided_by"))


def level_history(child: Child) -> list[RiskDecision]:
    """Every decision about the child, oldest first. One query."""
    return list(RiskDecision.objects.filter(child=child).select_related("decided_by").order_by("decided_at", "id"))


def people_to_tell(child: Child) -> QuerySet[User]:
    """Everyone told of a change of level (F03): each practitioner and manager of every agency
    actively involved with the child, and the exploitation hub."""
    involved = Involvement.objects.filter(child=child, agency=OuterRef("agency"), ended_on__isnull=True)
    case_role = Membership.objects.filter(
        user=OuterRef("pk"), ended_at__isnull=True, agency__is_active=True, role__in=AGENCY_CASE_ROLES
    ).filter(Exists(involved))
    return User.objects.filter(is_active=True).filter(Exists(case_role) | Exists(hub_membership()))


# Screenings -----------------------------------------------------------------------------------

def screening_agencies_for(user, child: Child) -> QuerySet[Agency]:
    """The agencies `user` may screen `child` for: those of their agencies (practitioner or
    manager) actively involved with the child, and the agency in which they hold the hub role."""
    if not user.is_authenticated:
        return Agency.objects.none()
    involved = Exists(Involvement.objects.filter(child=child, agency=OuterRef("pk"), ended_on__isnull=True))
    hub_here = Exists(Membership.objects.filter(user=user, agency=OuterRef("pk"), role=Role.HUB, ended_at__isnull=True))
    return Agency.objects.filter(is_active=True).filter(
        Q(involved, pk__in=sorted(user.access.case_agency_ids)) | Q(hub_here)
    ).order_by("name")


def recent_since(today: dt.date | None = None) -> dt.datetime:
    """The start of the window in which an agency's screening counts as recent."""
    start = add_months(today or local_today(), -recent_screening_months())
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min))


def latest_screenings(child: Child) -> list[Screening]:
    """The newest screening by each agency that has screened the child, newest first, each with
    its emotional health and self-harm indicators (F22) in `.emotional`. Two queries."""
    later = Screening.objects.filter(child=OuterRef("child"), agency=OuterRef("agency")).filter(
        Q(screened_at__gt=OuterRef("screened_at")) | Q(screened_at=OuterRef("screened_at"), pk__gt=OuterRef("pk"))
    )
    emotional = Prefetch(
        "indicators", queryset=ScreeningIndicator.objects.filter(domain=EMOTIONAL_HEALTH_DOMAIN).order_by("indicator_id"),
        to_attr="emotional",
    )
    return list(
        Screening.objects.filter(child=child).filter(~Exists(later))
        .select_related("agency", "screened_by").prefetch_related(emotional).order_by("-screened_at", "-id")
    )


def involved_agencies_screened(child: Child, *, since: dt.datetime) -> list[Agency]:
    """The agencies actively involved with the child, each with `.screened_recently`. One query."""
    return list(
        Agency.objects.filter(Exists(Involvement.objects.filter(child=child, agency=OuterRef("pk"), ended_on__isnull=True)))
        .annotate(screened_recently=Exists(Screening.objects.filter(child=child, agency=OuterRef("pk"), screened_at__gte=since)))
        .order_by("name")
    )


def screenings_of(child: Child, *, page_number: int | str = 1):
    """Every screening of the child, newest first, a page at a time (a bad page number gives the first or last page)."""
    qs = Screening.objects.filter(child=child).select_related("agency", "screened_by").order_by("-screened_at", "-id")
    return Paginator(qs, 25).get_page(page_number)


def screenings_to_decide_on(child: Child, *, today: dt.date | None = None) -> list[Screening]:
    """The screenings of the last 12 months (at most 30, newest first) a decision may rest on."""
    since = timezone.make_aware(dt.datetime.combine(add_months(today or local_today(), -12), dt.time.min))
    return list(
        Screening.objects.filter(child=child, screened_at__gte=since)
        .select_related("agency", "screened_by").order_by("-screened_at", "-id")[:30]
    )


def screening_for(user, screening_id, *, path: str = "") -> Screening:
    """A screening with its indicators, if `user` may see its child (the read is logged); else 404."""
    return access_child_record(
        user,
        Screening.objects.select_related("agency", "screened_by", "referral_confirmed_by").prefetch_related(
            Prefetch("indicators", queryset=ScreeningIndicator.objects.order_by("id"))
        ),
        screening_id,
        path=path,
    )


# The child page -------------------------------------------------------------------------------

def _can_screen(user, child: Child) -> bool:
    """rules.can_screen_child, reusing what access_child already found out when it can: for a
    user who is not partnership-wide, `user_may_edit` is exactly "my agency is involved"."""
    if user.access.is_hub:
        return True
    if hasattr(child, "user_may_edit") and not user.access.is_partnership_wide:
        return child.user_may_edit
    return bool(can_screen_child(user, child))


def risk_level_section(user, child: Child) -> dict:
    """The "Risk level" section of the child page: current levels, who decided them and why, the
    history as a chart and a table. Two queries at most."""
    history = level_history(child)
    current = _current_from(history)
    return {
        "levels": [(RiskKind(kind).label, current[kind]) for kind in EXPLOITATION_KINDS],
        "risk_to_others": current[RiskKind.RISK_TO_OTHERS],
        "history": history[::-1],
        "chart": level_step_chart(history, today=local_today()),
        "can_screen": _can_screen(user, child),
        "can_decide": bool(can_decide_level(user)),
    }


def screenings_section(user, child: Child) -> dict:
    """The "Screenings" section (F09, F22): the latest screening by each agency, the emotional
    health indicators in them, and the involved agencies that have not screened recently.
    Three queries."""
    latest = latest_screenings(child)
    agencies = involved_agencies_screened(child, since=recent_since())
    emotional = [(s, item) for s in latest for item in s.emotional]
    return {
        "latest": latest,
        "emotional": emotional,
        "not_screened": [a for a in agencies if not a.screened_recently],
        "recent_months": recent_screening_months(),
        "hsb_seen": any(s.risk_to_others for s in latest),
        "referral_outstanding": [s for s in latest if s.referral_outstanding],
    }


# Who is at risk: the partnership's figures by sex, age, ethnicity and disability (F33) ---------

AGE_BANDS = (("under_13", "Under 13"), ("13_15", "13 to 15"), ("16_17", "16 and 17"), ("18_plus", "18 and over"))
ETHNIC_GROUPS = {"W": "White", "M": "Mixed or multiple", "A": "Asian or Asian British", "B": "Black or Black British"}
AT_RISK_LEVELS = ("low", "medium", "high")


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _ethnic_group(code: str) -> str:
    if code in ("REFU", "NOBT", ""):
        return "Not known or refused"
    if code in ("CHNE", "OOTH"):
        return "Chinese or any other group"
    return ETHNIC_GROUPS.get(code[:1], "Chinese or any other group")


def _disability_group(disability: str, learning_disability: bool) -> str:
    if learning_disability:
        return "Learning disability"
    return {"yes": "Other disability", "no": "No disability"}.get(disability, "Not known")


def at_risk_breakdown(*, today: dt.date | None = None) -> dict:
    """Open children at each current level of exploitation risk (the higher of their sexual and
    criminal levels), broken down by sex, age band, ethnic group and disability. One grouped query:
    the database counts, Python only arranges the few resulting rows into tables."""
    from django.db.models import Case, CharField, Count, IntegerField, Subquery, Value, When
    from django.db.models.functions import Coalesce

    from lantern.children.models import Sex

    today = today or local_today()
    rank = Case(
        *[When(level=level, then=Value(i + 1)) for i, level in enumerate(AT_RISK_LEVELS)], default=Value(0), output_field=IntegerField()
    )
    highest = (
        current_decisions().filter(child=OuterRef("pk"), kind__in=EXPLOITATION_KINDS).annotate(rank=rank).order_by("-rank").values("rank")[:1]
    )
    age_band = Case(
        When(date_of_birth__gt=_years_before(today, 13), then=Value("under_13")),
        When(date_of_birth__gt=_years_before(today, 16), then=Value("13_15")),
        When(date_of_birth__gt=_years_before(today, 18), then=Value("16_17")),
        default=Value("18_plus"), output_field=CharField(),
    )
    rows = (
        Child.objects.filter(closed_at__isnull=True)
        .annotate(level_rank=Coalesce(Subquery(highest, output_field=IntegerField()), Value(0)), age_band=age_band)
        .filter(level_rank__gt=0)
        .values("level_rank", "sex", "age_band", "ethnicity", "disability", "learning_disability")
        .annotate(children=Count("pk"))
    )
    dimensions = {
        "Sex": lambda r: dict(Sex.choices).get(r["sex"], "Not known"),
        "Age": lambda r: dict(AGE_BANDS)[r["age_band"]],
        "Ethnic group": lambda r: _ethnic_group(r["ethnicity"]),
        "Disability": lambda r: _disability_group(r["disability"], r["learning_disability"]),
    }
    tables = {name: {} for name in dimensions}
    totals = dict.fromkeys(AT_RISK_LEVELS, 0)
    for row in rows:
        level = AT_RISK_LEVELS[row["level_rank"] - 1]
        totals[level] += row["children"]
        for name, group_of in dimensions.items():
            counts = tables[name].setdefault(group_of(row), dict.fromkeys(AT_RISK_LEVELS, 0))
            counts[level] += row["children"]
    return {
        "levels": AT_RISK_LEVELS,
        "totals": totals,
        "total": sum(totals.values()),
        "tables": {
            name: [(group, [counts[lvl] for lvl in AT_RISK_LEVELS], sum(counts.values())) for group, counts in sorted(groups.items())]
            for name, groups in tables.items()
        },
    }
