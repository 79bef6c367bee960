"""Rules of the standards engine that watch the child register."""

from django.db.models import Count, Exists, F, OuterRef, Q

from lantern.standards.models import Audience, Severity
from lantern.standards.registry import AlertSpec, rule

from .conf import max_professionals
from .models import Child, ChildIdentifier, Involvement


@rule(
    id="F18.no-lead-professional",
    finding="F18",
    title="No lead professional named",
    severity=Severity.WARNING,
)
def no_lead_professional(today):
    """An open child that agencies work with, but no one is named lead professional."""
    active = Involvement.objects.filter(child=OuterRef("pk"), ended_on__isnull=True)
    lead = active.filter(is_lead=True)
    rows = (
        Child.objects.filter(closed_at__isnull=True)
        .filter(Exists(active))
        .exclude(Exists(lead))
        .values_list("pk", flat=True)
    )
    for pk in rows:
        yield AlertSpec(
            key=f"child:{pk}",
            child_id=pk,
            message="No lead professional is named. Agree who leads and record it on the child's page.",
        )


@rule(
    id="F11.possible-duplicate",
    finding="F11",
    title="Child may be recorded twice",
    severity=Severity.WARNING,
    audience=Audience.HUB,
)
def possible_duplicates(today):
    """Two records with the same date of birth and the same surname or first name, or sharing a
    current identifier. It catches what the registration check could not show the user: matches
    among records their agency may not see."""
    same_person = Child.objects.filter(
        Q(legal_last_name__iexact=OuterRef("legal_last_name")) | Q(legal_first_name__iexact=OuterRef("legal_first_name")),
        date_of_birth=OuterRef("date_of_birth"),
    ).exclude(pk=OuterRef("pk"))
    by_details = set(Child.objects.filter(Exists(same_person)).values_list("pk", flat=True))
    shared = (
        ChildIdentifier.objects.filter(ended_at__isnull=True)
        .values("normalised")
        .annotate(children=Count("child", distinct=True))
        .filter(children__gt=1)
        .values("normalised")
    )
    by_identifier = set(
        ChildIdentifier.objects.filter(ended_at__isnull=True, normalised__in=shared).values_list("child_id", flat=True)
    )
    for pk in sorted(by_details | by_identifier):
        reason = "shares an identifier with another record" if pk in by_identifier else "has the same date of birth and a name in common with another record"
        yield AlertSpec(
            key=f"child:{pk}",
            child_id=pk,
            message=f"This child {reason}. Check whether they are the same child.",
        )


@rule(
    id="F18.too-many-professionals",
    finding="F18",
    title="Many professionals working with the child",
    severity=Severity.WARNING,
)
def too_many_professionals(today):
    """A child whose record is open with more than LANTERN_MAX_PROFESSIONALS professionals
    working with them: each named professional on an active involvement counts once (however
    many roles they hold), and each active involvement naming no one counts as one. One query."""
    limit = max_professionals()
    rows = (
        Involvement.objects.filter(ended_on__isnull=True, child__closed_at__isnull=True)
        .order_by()
        .values("child_id")
        .annotate(
            named=Count("professional", distinct=True),
            unnamed=Count("pk", filter=Q(professional__isnull=True)),
        )
        .annotate(total=F("named") + F("unnamed"))
        .filter(total__gt=limit)
        .values_list("child_id", "total")
        .order_by("child_id")
    )
    for child_id, total in rows:
        yield AlertSpec(
            key=f"child:{child_id}",
            child_id=child_id,
            message=f"{total} professionals are working with the child. Agree with the lead professional whether all are needed.",
        )
