from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "lantern.referrals"
    label = "referrals"
    verbose_name = "Referrals to the hub"

    def ready(self) -> None:
        from lantern.children.sections import register_section

        from . import services  # noqa: F401  (registers the referral timeline event kinds)
        from .selectors import child_referrals

        register_section(
            key="referrals", title="Referrals to the exploitation hub", template="referrals/_child_section.html",
            load=child_referrals, order=20, column="main",
        )
