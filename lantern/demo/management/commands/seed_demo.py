from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lantern.demo.generator import DEMO_PASSWORD, RealDataPresent, generate
from lantern.standards.services import run_scan


class Command(BaseCommand):
    help = "Create the fictional Brackenford partnership and its children. Refuses to run in production."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=150, help="How many children (default 150).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: the same seed gives the same data.")

    def handle(self, *args, children: int, seed: int, **options):
        if settings.LANTERN_ENVIRONMENT == "production":
            raise CommandError("The demo generator does not run against a production configuration.")
        if children < 0 or children > 100_000:
            raise CommandError("--children must be between 0 and 100000")
        try:
            result = generate(children=children, seed=seed)
        except RealDataPresent as exc:
            raise CommandError(str(exc)) from None
        if result.created:
            run_scan(trigger="demo")
            self.stdout.write(self.style.SUCCESS(f"Created the Brackenford demo partnership with {result.children} fictional children."))
        else:
            self.stdout.write("The demo partnership is already here; nothing was added.")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for email, name, title, agency, _team, role in result.logins:
            self.stdout.write(f"  {email:32} {role.label:38} {agency}")
