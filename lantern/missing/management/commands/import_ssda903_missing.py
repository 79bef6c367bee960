from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from lantern.missing import services
from lantern.missing.ssda903 import MAX_BYTES, Rejected
from lantern.partnership.models import User

from ._exchange import report_rejected


class Command(BaseCommand):
    help = (
        "Import an SSDA903 Missing table (CSV: CHILD, DOB, MISSING, MIS_START, MIS_END) for a member of the hub. "
        "All or nothing: if any row is wrong, prints every problem and imports nothing. Rows already recorded are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file to import.")
        parser.add_argument("--by", required=True, metavar="EMAIL", help="The email address of the hub member importing it.")

    def handle(self, *args, path: str, by: str, **options):
        user = User.objects.filter(email__iexact=by.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user has the email address {by}")
        if not user.access.is_hub:
            raise CommandError(f"{user.email} is not a member of the exploitation hub: only the hub can import")
        file = Path(path)
        try:
            if file.stat().st_size > MAX_BYTES:
                raise CommandError(f"{file} is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files")
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        try:
            result = services.import_ssda903_missing(by=user, data=data)
        except Rejected as exc:
            raise report_rejected(self, exc, what=f"Nothing was imported from {file}") from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Imported {result.imported} episode{'s' if result.imported != 1 else ''} from {file}; "
            f"{result.skipped} row{'s' if result.skipped != 1 else ''} already recorded and skipped"
            + (f" (rows {', '.join(str(n) for n in result.skipped_rows)})" if result.skipped else "")
        )
