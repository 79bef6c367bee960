from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "lantern.network"
    label = "network"
    verbose_name = "People, places and links"

    def ready(self) -> None:
        from . import services, standards  # noqa: F401  (timeline event kinds and standards rules)
