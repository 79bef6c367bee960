from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "lantern.missing"
    label = "missing"
    verbose_name = "Missing episodes and return interviews"

    def ready(self) -> None:
        from lantern.children.sections import register_section
        from lantern.standards.registry import daily_job

        from . import services, standards  # noqa: F401  (timeline event kinds and standards rules)
        from .selectors import child_missing_section

        daily_job(services.notify_overdue_interviews)

        register_section(
            key="missing", title="Missing episodes", template="missing/_child_section.html",
            load=child_missing_section, order=5, column="main",
        )
