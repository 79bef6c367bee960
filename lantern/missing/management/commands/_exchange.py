"""What the exchange commands share: reading a file, writing the result, reporting problems."""

from pathlib import Path

from django.core.management.base import CommandError

from lantern.missing.ssda903 import Rejected


def write_output(command, content: bytes, output: str | None, *, what: str) -> None:
    """Write an export to a file, or to standard output when no file is named."""
    if not output:
        command.stdout.write(content.decode("utf-8"), ending="")
        return
    path = Path(output)
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise CommandError(f"Cannot write {path}: {exc.strerror}") from None
    command.stderr.write(f"Wrote {what} to {path}")


def report_rejected(command, exc: Rejected, *, what: str) -> CommandError:
    for problem in exc.problems:
        command.stderr.write(problem.describe())
    count = len(exc.problems)
    return CommandError(f"{what}: {count} problem{'s' if count != 1 else ''}")
