from django.apps import AppConfig


class TransitionsConfig(AppConfig):
    name = "lantern.transitions"
    label = "transitions"
    verbose_name = "Transitions to adulthood and placements out of area"

    def ready(self) -> None:
        from lantern.children.sections import register_section

        from . import rules, services, standards  # noqa: F401  (permissions, timeline event kinds and standards rules)
        from .selectors import placement_section, transition_section

        # The current placement out of area is shown at the top of the side column, where it is seen first.
        register_section(
            key="out_of_area", title="Placement out of area", template="transitions/_placement_section.html",
            load=placement_section, order=1, column="side",
        )
        register_section(
            key="transition", title="Transition to adulthood", template="transitions/_transition_section.html",
            load=transition_section, order=35, column="main",
        )
