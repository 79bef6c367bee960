from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "lantern.plans"
    label = "plans"
    verbose_name = "Multi-agency plans and closure"

    def ready(self) -> None:
        from lantern.children.sections import register_section

        from . import services, standards  # noqa: F401  (timeline event kinds and standards rules)
        from .selectors import child_plan_section

        register_section(
            key="plan", title="Plan", template="plans/_child_section.html", load=child_plan_section, order=4, column="main",
        )
