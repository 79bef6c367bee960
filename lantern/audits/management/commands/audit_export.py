"""`python manage.py audit_export ROUND_ID [--output FILE]`: the whole round as the JSON document
described in docs/audit-exchange-format.md, to a file or to standard output."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lantern.audits.exchange import export_round
from lantern.audits.models import AuditRound


class Command(BaseCommand):
    help = "Export an audit round (template, cases, forms, answers, findings, recommendations) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int, help="The number of the audit round (as in its page's address).")
        parser.add_argument("--output", "-o", help="The file to write; standard output when not given.")

    def handle(self, *args, **options):
        try:
            audit_round = AuditRound.objects.select_related("template_version").get(pk=options["round_id"])
        except AuditRound.DoesNotExist:
            raise CommandError(f"There is no audit round {options['round_id']}") from None
        text = json.dumps(export_round(audit_round), indent=2, ensure_ascii=False) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote audit round {audit_round.pk} to {options['output']}")
        else:
            self.stdout.write(text, ending="")
