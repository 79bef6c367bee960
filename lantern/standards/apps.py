from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "lantern.standards"
    label = "standards"
    verbose_name = "The standards engine"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app declares its rules in a `standards.py` module.
        autodiscover_modules("standards")
