from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from .models import Agency, Membership, Role, User


def hub_membership():
    """An EXISTS test for a user (OuterRef "pk") holding the hub role in an active agency."""
    return Membership.objects.filter(user=OuterRef("pk"), role=Role.HUB, ended_at__isnull=True, agency__is_active=True)


def hub_members() -> QuerySet[User]:
    """Everyone in the exploitation hub: those told of referrals, screenings and emergency access."""
    return User.objects.filter(is_active=True).filter(Exists(hub_membership()))


def agencies_with_counts():
    return Agency.objects.annotate(
        people=Count("memberships__user", filter=Q(memberships__ended_at__isnull=True), distinct=True)
    ).order_by("name")


def people_in(agency: Agency):
    return (
        Membership.objects.filter(agency=agency, ended_at__isnull=True)
        .select_related("user", "team")
        .order_by("user__full_name", "role")
    )


def professionals_of(agency: Agency):
    """People who may be named on an involvement for this agency."""
    return User.objects.filter(
        is_active=True, memberships__agency=agency, memberships__ended_at__isnull=True
    ).distinct().order_by("full_name")
