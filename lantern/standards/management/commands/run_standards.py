from django.core.management.base import BaseCommand, CommandError

from lantern.standards.registry import all_rules
from lantern.standards.services import run_scan
from lantern.standards.tasks import next_scan_time, schedule_next_scan


class Command(BaseCommand):
    help = "Run the standards engine's rules now and bring every alert up to date."

    def add_arguments(self, parser):
        parser.add_argument("--rule", action="append", dest="rules", help="Run only this rule (may be repeated).")
        parser.add_argument("--list", action="store_true", help="List the rules and stop.")
        parser.add_argument(
            "--schedule", action="store_true",
            help="Do not scan now: make sure the daily scan is queued for the task worker (db_worker).",
        )

    def handle(self, *args, rules=None, list=False, schedule=False, **options):
        if list:
            for rule in all_rules():
                self.stdout.write(f"{rule.id:32} {rule.finding:4} {rule.title}")
            return
        if schedule:
            result = schedule_next_scan()
            when = next_scan_time()
            if result is None:
                self.stdout.write("The daily scan is already queued.")
            else:
                self.stdout.write(f"The daily scan is queued for {when:%Y-%m-%d %H:%M} UTC and will queue itself each day.")
            return
        try:
            outcomes = run_scan(trigger="command", rule_ids=rules)
        except KeyError as exc:
            raise CommandError(str(exc.args[0])) from None
        for outcome in outcomes:
            self.stdout.write(
                f"{outcome.rule_id:32} opened {outcome.opened:5}  resolved {outcome.resolved:5}  open now {outcome.open_now:5}"
            )
