"""Signals of the risk app, so other parts of Lantern can act on a decision without the risk
app knowing about them.

`level_decided` is sent by `lantern.risk.services.decide_risk_level` inside its transaction,
after the decision is saved, with:

- `child`: the child
- `decision`: the new `RiskDecision`
- `previous`: the decision of the same kind it replaces, or None if it is the first of its kind

A receiver that raises undoes the decision, so receivers must only do what belongs with it
(for example, telling the school the child is on roll at; see lantern/education/receivers.py).
"""

from django.dispatch import Signal

level_decided = Signal()
