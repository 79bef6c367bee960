import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lantern.risk.catalogue import catalogue_version, current_catalogue, parse_catalogue


class Command(BaseCommand):
    help = "Show the indicator catalogue (--show [--number N]) or check a catalogue JSON file (--check FILE)."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--show", action="store_true", help="Print the published catalogue, domain by domain.")
        action.add_argument("--check", metavar="FILE", help="Check a catalogue file and print what is wrong with it.")
        parser.add_argument("--number", type=int, help="With --show: the version number to print (default: the newest).")

    def handle(self, *args, show=False, check=None, number=None, **options):
        if check:
            self._check(Path(check))
            return
        try:
            catalogue = catalogue_version(number) if number else current_catalogue()
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Indicator catalogue version {catalogue.version}: {len(catalogue.indicators)} indicators")
        for domain, indicators in catalogue.by_domain():
            self.stdout.write(f"\n{domain.label} ({domain.kind})")
            for i in indicators:
                flags = " ".join(
                    flag for flag, on in (("significant", i.significant), ("disclosure", i.disclosure), ("risk-to-others", i.risk_to_others)) if on
                )
                self.stdout.write(
                    f"  {i.id:<8} {i.weight}/{i.weight_past}  {','.join(i.applies_to) or '-':<16} {i.cin_factor or '-':<4} {i.wording}"
                    + (f"  [{flags}]" if flags else "")
                )

    def _check(self, path: Path) -> None:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
        if not isinstance(document, dict):
            raise CommandError(f"{path}: a catalogue is a JSON object with version, domains and indicators")
        try:
            catalogue = parse_catalogue(document)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(f"{path}: {message}")
            raise CommandError(f"{path} is not a valid catalogue: {len(exc.messages)} problem{'s' if len(exc.messages) != 1 else ''}") from None
        self.stdout.write(f"{path} is a valid catalogue: version {catalogue.version}, {len(catalogue.indicators)} indicators in {len(catalogue.domains)} domains")
