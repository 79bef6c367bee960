"""`python manage.py audit_report ROUND_ID --format json|text`: the figures of a round's report,
the same as its page shows (lantern/audits/report.py), for machines (JSON) or people (text)."""

import json

from django.core.management.base import BaseCommand, CommandError

from lantern.audits.documents import report_text
from lantern.audits.models import AuditRound
from lantern.audits.report import build_report, report_as_dict


class Command(BaseCommand):
    help = "Print the figures of an audit round's report, as JSON or text."

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int, help="The number of the audit round (as in its page's address).")
        parser.add_argument("--format", choices=("json", "text"), default="text")

    def handle(self, *args, **options):
        try:
            audit_round = AuditRound.objects.select_related("template_version").get(pk=options["round_id"])
        except AuditRound.DoesNotExist:
            raise CommandError(f"There is no audit round {options['round_id']}") from None
        report = build_report(audit_round)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report_as_dict(report), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(report_text(report), ending="")
