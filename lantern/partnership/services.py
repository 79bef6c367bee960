"""Writes to the partnership: agencies, teams, people and their roles.

`by=None` means the command line (an operator on the server); from the web, only an
administrator may make these changes."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lantern.notifications.services import notify

from .models import PARTNERSHIP_WIDE_ROLES, Agency, AgencyType, Membership, Role, Team, User


def _require_administrator(by) -> None:
    if by is not None and not by.access.is_administrator:
        raise PermissionDenied("Only a partnership administrator can change agencies and users.")


def _forget_access(user) -> None:
    user.__dict__.pop("access", None)


@transaction.atomic
def create_agency(*, by, name: str, agency_type: str, email: str = "") -> Agency:
    _require_administrator(by)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter the agency's name"})
    if agency_type not in AgencyType.values:
        raise ValidationError({"agency_type": "Select the type of agency"})
    if Agency.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "An agency with this name already exists"})
    agency = Agency(name=name, agency_type=agency_type, email=email)
    agency._history_user = by
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def create_team(*, by, agency: Agency, name: str, handles_missing: bool = False) -> Team:
    """A team of an agency. A missing team (`handles_missing`) offers return interviews: its
    members are told when one is overdue for a child their agency works with (F06)."""
    _require_administrator(by)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter the team's name"})
    if Team.objects.filter(agency=agency, name__iexact=name).exists():
        raise ValidationError({"name": f"{agency.name} already has a team with this name"})
    team = Team(agency=agency, name=name, handles_missing=bool(handles_missing))
    team._history_user = by
    team.save()
    return team


@transaction.atomic
def set_team_handles_missing(*, by, team: Team, handles_missing: bool) -> Team:
    """Make a team the agency's missing team, or stop it being one (F06)."""
    _require_administrator(by)
    team.handles_missing = bool(handles_missing)
    team._history_user = by
    team.save()
    return team


@transaction.atomic
def create_user(
    *, by, email: str, full_name: str, password: str | None = None, job_title: str = "", phone: str = "",
    password_hash: str | None = None,
) -> User:
    """Create a person's account. Without a password, they set their own through the
    'forgotten your password' link."""
    _require_administrator(by)
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        raise ValidationError({"email": "Enter an email address in the correct format, like name@example.org"})
    if not (full_name or "").strip():
        raise ValidationError({"full_name": "Enter the person's full name"})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Someone already has an account with this email address"})
    user = User(email=email, full_name=full_name.strip(), job_title=job_title, phone=phone)
    if password_hash:
        user.password = password_hash  # already hashed, e.g. one hash shared by the demo's fictional users
    elif password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user._history_user = by
    user.save()
    return user


@transaction.atomic
def add_membership(*, by, user: User, agency: Agency, role: str, team: Team | None = None) -> Membership:
    _require_administrator(by)
    if by is not None and by.pk == user.pk:
        raise PermissionDenied("You cannot change your own roles. Ask another administrator.")
    if role not in Role.values:
        raise ValidationError({"role": "Select a role"})
    if team is not None and team.agency_id != agency.pk:
        raise ValidationError({"team": f"This team is not part of {agency.name}"})
    if Membership.objects.filter(user=user, agency=agency, role=role, ended_at__isnull=True).exists():
        raise ValidationError({"role": f"{user.full_name} already has this role in {agency.name}"})
    membership = Membership(user=user, agency=agency, role=role, team=team)
    membership._history_user = by
    membership.save()
    _forget_access(user)
    notify(
        recipients=[user], category="account", exclude=by,
        subject=f"You have been given the role {Role(role).label} in {agency.name}",
    )
    if role in PARTNERSHIP_WIDE_ROLES:
        # A role that sees every child is told to the hub, so no one gains it unnoticed.
        from .selectors import hub_members

        notify(
            recipients=hub_members(), category="account", exclude=user,
            subject=f"{user.full_name} has been given the role {Role(role).label}, which sees every child",
            body=f"Given by {by.full_name if by else 'an operator on the server'}, in {agency.name}.",
        )
    return membership


@transaction.atomic
def end_membership(*, by, membership: Membership) -> Membership:
    _require_administrator(by)
    if by is not None and by.pk == membership.user_id:
        raise PermissionDenied("You cannot change your own roles. Ask another administrator.")
    if membership.ended_at is not None:
        raise ValidationError("This role has already ended")
    membership.ended_at = timezone.now()
    membership._history_user = by
    membership.version += 1
    membership.save()
    _forget_access(membership.user)
    return membership


@transaction.atomic
def deactivate_user(*, by, user: User) -> User:
    """Stop a person signing in. Their records and history stay."""
    _require_administrator(by)
    if by is not None and by.pk == user.pk:
        raise ValidationError("You cannot deactivate your own account")
    user.is_active = False
    user._history_user = by
    user.save(update_fields=["is_active"])
    return user
