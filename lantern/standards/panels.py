"""Panels of the worklist contributed by other parts of Lantern.

A part registers a panel (a template and a loader) once, at start-up; the worklist shows every
registered panel in order below the alerts, so the page never needs rewriting as parts are
added. A loader takes the user and returns the panel's context, or None to leave the panel
out (nothing to show, or not for this user); it must make a fixed number of queries whatever
the number of records. Analogous to lantern.children.sections.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    load: Callable
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register_panel(*, key: str, title: str, template: str, load: Callable, order: int = 100) -> Panel:
    panel = Panel(key=key, title=title, template=template, load=load, order=order)
    existing = _PANELS.get(key)
    if existing is not None and existing.template != template:
        raise ValueError(f"Worklist panel {key!r} is already registered")
    _PANELS[key] = panel
    return panel


def registered_panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


@dataclass
class LoadedPanel:
    panel: Panel
    context: dict


def load_panels(user) -> list[LoadedPanel]:
    """The panels that have something to show `user`."""
    loaded = []
    for panel in registered_panels():
        context = panel.load(user)
        if context is not None:
            loaded.append(LoadedPanel(panel=panel, context=context))
    return loaded
