from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "lantern.children"
    label = "children"
    verbose_name = "The child register"

    def ready(self) -> None:
        from . import timeline  # noqa: F401  (registers the register's own event kinds)
