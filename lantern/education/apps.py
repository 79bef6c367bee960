from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "lantern.education"
    label = "education"
    verbose_name = "Education and attendance"

    def ready(self) -> None:
        from lantern.children.sections import register_section
        from lantern.risk.signals import level_decided

        from . import services, standards  # noqa: F401  (timeline event kinds and standards rules)
        from .receivers import tell_school_when_first_flagged
        from .selectors import child_education_section

        level_decided.connect(tell_school_when_first_flagged, dispatch_uid="education.tell_school_when_first_flagged")
        register_section(
            key="education", title="Education", template="education/_child_section.html",
            load=child_education_section, order=30, column="main",
        )
