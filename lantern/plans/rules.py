"""Who may work on a child's plan.

- Every agency involved with the child, and the hub and meeting chairs, read the plan and add
  to it: actions, contingencies, cover, linked plans, services and reviews (F12).
- Stepping a child down or closing their record is for the hub, a meeting chair, or a manager in
  an agency involved with the child (F41).
"""

import rules

from lantern.children.rules import agency_involved, is_partnership_wide, manages_involved_agency

can_work_on_plan = is_partnership_wide | agency_involved
can_end_plan = is_partnership_wide | manages_involved_agency

rules.add_perm("plans.work_on_plan", can_work_on_plan)
