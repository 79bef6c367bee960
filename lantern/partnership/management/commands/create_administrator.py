from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lantern.partnership import services
from lantern.partnership.models import Agency, AgencyType, Role, User


class Command(BaseCommand):
    help = (
        "Give a person the administrator role in an agency, creating the agency and the account if needed. "
        "The person then sets their password with the 'Forgotten your password?' link."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="The person's full name.")
        parser.add_argument("--agency", required=True, help="The agency's name.")
        parser.add_argument("--agency-type", default=AgencyType.SOCIAL_CARE, choices=AgencyType.values)

    def handle(self, *args, email, name, agency, agency_type, **options):
        try:
            with transaction.atomic():
                agency_obj = Agency.objects.filter(name__iexact=agency).first() or services.create_agency(
                    by=None, name=agency, agency_type=agency_type
                )
                user = User.objects.filter(email__iexact=email).first() or services.create_user(by=None, email=email, full_name=name)
                if user.memberships.filter(agency=agency_obj, role=Role.ADMINISTRATOR, ended_at__isnull=True).exists():
                    self.stdout.write(f"{user.email} is already an administrator of {agency_obj.name}.")
                    return
                services.add_membership(by=None, user=user, agency=agency_obj, role=Role.ADMINISTRATOR)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"{user.email} is now an administrator of {agency_obj.name}. They set their password with 'Forgotten your password?'.")
