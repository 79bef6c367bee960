import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from lantern.core.dates import local_today
from lantern.missing.ssda903 import Rejected, export_annex_a_list_8

from ._exchange import report_rejected, write_output


class Command(BaseCommand):
    help = (
        "Export the missing columns of Annex A List 8 (CSV) for the children in care on --date (default: today), "
        "with their episodes in the 12 months up to and including it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="The date of the list (default: today).")
        parser.add_argument("--output", metavar="PATH", help="The file to write (default: standard output).")

    def handle(self, *args, date: str | None = None, output: str | None = None, **options):
        try:
            on = dt.date.fromisoformat(date) if date else local_today()
        except ValueError:
            raise CommandError(f"--date must be a real date written YYYY-MM-DD, for example 2026-03-31 (not {date})") from None
        try:
            export = export_annex_a_list_8(on=on)
        except Rejected as exc:
            raise report_rejected(self, exc, what="Annex A List 8 was not exported") from None
        write_output(self, export.content, output, what=f"{export.rows} child{'ren' if export.rows != 1 else ''}")
