from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "lantern.audits"
    label = "audits"
    verbose_name = "Multi-agency audits and learning events"

    def ready(self) -> None:
        from lantern.standards.registry import daily_job

        from .services import send_reminders

        daily_job(send_reminders)
