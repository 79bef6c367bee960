from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "lantern.risk"
    label = "risk"
    verbose_name = "Screening and the partnership's risk level"
