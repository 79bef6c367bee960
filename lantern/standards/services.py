"""Running the rules: open what is newly wrong, resolve what has been put right."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lantern.core.dates import local_today

from .models import Alert, ScanRun
from .registry import Rule, all_rules, get_rule


@dataclass
class RuleOutcome:
    rule_id: str
    opened: int
    resolved: int
    open_now: int


def apply_rule(rule: Rule, *, today: dt.date) -> RuleOutcome:
    specs = {spec.key: spec for spec in rule.evaluate(today)}
    now = timezone.now()
    with transaction.atomic():
        existing = {a.key: a for a in Alert.objects.select_for_update().filter(rule_id=rule.id, resolved_at__isnull=True)}
        to_resolve = [a.pk for key, a in existing.items() if key not in specs]
        if to_resolve:
            Alert.objects.filter(pk__in=to_resolve).update(resolved_at=now)
        new = [
            Alert(
                rule_id=rule.id, finding=rule.finding, key=key, child_id=spec.child_id,
                severity=spec.severity or rule.severity, audience=rule.audience, message=spec.message,
                due_on=spec.due_on or today, raised_at=now,
            )
            for key, spec in specs.items()
            if key not in existing
        ]
        Alert.objects.bulk_create(new, batch_size=500)
        # An alert still open keeps its raised date; its wording and due date follow the records.
        changed = [
            a for key, a in existing.items()
            if key in specs and (
                a.message != specs[key].message or (specs[key].due_on is not None and a.due_on != specs[key].due_on)
            )
        ]
        for alert in changed:
            alert.message = specs[alert.key].message
            alert.due_on = specs[alert.key].due_on or alert.due_on
        if changed:
            Alert.objects.bulk_update(changed, ["message", "due_on"], batch_size=500)
    return RuleOutcome(rule_id=rule.id, opened=len(new), resolved=len(to_resolve), open_now=len(specs))


def run_scan(*, trigger: str = "manual", today: dt.date | None = None, rule_ids: list[str] | None = None) -> list[RuleOutcome]:
    """Evaluate every registered rule (or those named) and bring the alerts up to date."""
    today = today or local_today()
    run = ScanRun.objects.create(trigger=trigger)
    rules = [get_rule(r) for r in rule_ids] if rule_ids else all_rules()
    outcomes = [apply_rule(rule, today=today) for rule in rules]
    run.finished_at = timezone.now()
    run.opened = sum(o.opened for o in outcomes)
    run.resolved = sum(o.resolved for o in outcomes)
    run.still_open = sum(o.open_now for o in outcomes)
    run.save()
    return outcomes
