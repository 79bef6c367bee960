from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "lantern.partnership"
    label = "partnership"
    verbose_name = "The partnership and its people"
