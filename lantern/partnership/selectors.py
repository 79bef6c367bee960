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


def case_workers(agency_ids) -> QuerySet[User]:
    """The active practitioners and managers of the given agencies (ids, or a query of one
    column of agency ids): who is told when something reaches an agency."""
    from .models import AGENCY_CASE_ROLES

    return User.objects.filter(
        Exists(Membership.objects.filter(
            user=OuterRef("pk"), agency_id__in=agency_ids if isinstance(agency_ids, QuerySet) else list(agency_ids), agency__is_active=True, role__in=sorted(AGENCY_CASE_ROLES), ended_at__isnull=True,
        )),
        is_active=True,
    ).order_by("pk")


def people_with_roles(roles) -> QuerySet[User]:
    """Active users holding one of `roles` in an active agency, by name: for example everyone
    who may chair a meeting."""
    held = Membership.objects.filter(user=OuterRef("pk"), role__in=sorted(roles), ended_at__isnull=True, agency__is_active=True)
    return User.objects.filter(Exists(held), is_active=True).order_by("full_name", "pk")


def people_in_agencies(agency_ids) -> QuerySet[Membership]:
    """The current memberships of active people in the given agencies, with the person and the
    agency, by agency then name: one query for choosing someone from several agencies."""
    return (
        Membership.objects.filter(agency_id__in=sorted(agency_ids), ended_at__isnull=True, agency__is_active=True, user__is_active=True)
        .select_related("user", "agency").order_by("agency__name", "user__full_name", "user_id")
    )
