from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "lantern.meetings"
    label = "meetings"
    verbose_name = "Exploitation meetings and strategy discussions"

    def ready(self) -> None:
        from lantern.children.sections import register_section
        from lantern.standards.panels import register_panel

        from . import services, standards  # noqa: F401  (timeline event kinds and standards rules)
        from .selectors import child_meetings_section
        from .views import actions_panel, minutes_waiting_panel, unacknowledged_panel

        register_section(
            key="meetings", title="Meetings", template="meetings/_child_section.html",
            load=child_meetings_section, order=6, column="main",
        )
        register_panel(
            key="minutes_waiting", title="Minutes waiting for your agency to confirm", template="meetings/_panel_minutes_waiting.html",
            load=minutes_waiting_panel, order=10,
        )
        register_panel(
            key="meeting_actions", title="Actions from meetings you own", template="meetings/_panel_actions.html",
            load=actions_panel, order=20,
        )
        register_panel(
            key="minutes_unacknowledged", title="Minutes not yet acknowledged", template="meetings/_panel_unacknowledged.html",
            load=unacknowledged_panel, order=30,
        )
