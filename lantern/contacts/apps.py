from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "lantern.contacts"
    label = "contacts"
    verbose_name = "Contacts with the child and supervision"

    def ready(self) -> None:
        from lantern.children.sections import register_section

        from . import services, standards  # noqa: F401  (timeline event kinds and standards rules)
        from .selectors import child_contacts_section, child_supervision_section

        register_section(
            key="contacts", title="Contacts", template="contacts/_child_section.html",
            load=child_contacts_section, order=35, column="main",
        )
        register_section(
            key="supervision", title="Supervision", template="contacts/_supervision_section.html",
            load=child_supervision_section, order=36, column="main",
        )
