"""`python manage.py audit_import FILE --by EMAIL`: bring in an audit round exported by
`audit_export` (here or in another installation), as the auditor with that email address.

The whole file is checked first. If anything is wrong, every problem is printed, one row each
(where in the file, the field, the value and what is wrong), nothing is imported and the command
exits with status 1."""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from lantern.audits.exchange import ExchangeError, import_round
from lantern.partnership.models import User


class Command(BaseCommand):
    help = "Import an audit round from a JSON file made by audit_export. All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file to import.")
        parser.add_argument("--by", required=True, help="The email address of the auditor importing it.")

    def handle(self, *args, **options):
        user = User.objects.filter(email__iexact=options["by"], is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user with the email address {options['by']}")
        try:
            document = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc.strerror or exc}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{options['file']} is not a JSON file: {exc}. Nothing has been imported.") from None
        try:
            audit_round = import_round(by=user, document=document)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ExchangeError as exc:
            for row in exc.rows:
                value = "" if row["value"] is None else f" = {row['value']!r}"
                field = f" {row['field']}" if row["field"] else ""
                self.stderr.write(f"{row['where']}{field}{value}: {row['problem']}")
            raise CommandError(exc.messages[0]) from None
        self.stdout.write(
            f"Imported audit round {audit_round.pk}, {audit_round.title}: {audit_round.cases.count()} cases, "
            f"{audit_round.forms.count()} forms."
        )
