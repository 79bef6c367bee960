from django.core.management.base import BaseCommand, CommandError

from lantern.missing.ssda903 import Rejected, export_missing_table

from ._exchange import report_rejected, write_output


class Command(BaseCommand):
    help = (
        "Export the SSDA903 Missing table (CSV) for the collection year ending on 31 March of --year "
        "(2026: 1 April 2025 to 31 March 2026). Checked against the rules first: prints the problems and exports "
        "nothing if a record needs correcting."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="The year the collection year ends in, for example 2026.")
        parser.add_argument("--output", metavar="PATH", help="The file to write (default: standard output).")

    def handle(self, *args, year: int, output: str | None = None, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("--year must be a year such as 2026 (the collection year 1 April 2025 to 31 March 2026)")
        try:
            export = export_missing_table(year=year)
        except Rejected as exc:
            raise report_rejected(self, exc, what="The Missing table was not exported") from None
        write_output(self, export.content, output, what=f"{export.rows} row{'s' if export.rows != 1 else ''}")
