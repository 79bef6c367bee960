from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lantern.core"
    label = "core"
    verbose_name = "Lantern core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        def mark_signed_out(sender, request, user, **kwargs):
            if request is not None:
                request._lantern_signed_out = True

        user_logged_out.connect(mark_signed_out, dispatch_uid="lantern_signed_out", weak=False)
