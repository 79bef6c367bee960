from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "lantern.network"
    label = "network"
    verbose_name = "People, places and links"

    def ready(self) -> None:
        from lantern.children.sections import register_section

        from . import services, standards  # noqa: F401  (timeline event kinds and standards rules)
        from .selectors import child_links_section

        register_section(
            key="network", title="People and places", template="network/_child_section.html",
            load=child_links_section, order=7, column="main",
        )
