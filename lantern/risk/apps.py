from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "lantern.risk"
    label = "risk"
    verbose_name = "Screening and the partnership's risk level"

    def ready(self) -> None:
        from lantern.children.sections import register_section

        from . import selectors, services  # noqa: F401  (services registers the timeline event kinds)

        register_section(
            key="risk_level", title="Risk level", template="risk/sections/risk_level.html",
            load=selectors.risk_level_section, order=10,
        )
        register_section(
            key="screenings", title="Screenings", template="risk/sections/screenings.html",
            load=selectors.screenings_section, order=20,
        )
