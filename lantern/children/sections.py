"""Sections of the child page contributed by other parts of Lantern.

A part registers a section (a template and a loader) once, at start-up; the child page shows
every registered section in order, so the page never needs rewriting as parts are added.
A loader takes (user, child) and returns the section's context; it must make a fixed number
of queries whatever the size of the record (the child page's query-count test holds it to that).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    load: Callable
    order: int = 100
    column: str = "main"  # "main" (two-thirds) or "side" (one-third)


_SECTIONS: dict[str, Section] = {}


def register_section(*, key: str, title: str, template: str, load: Callable, order: int = 100, column: str = "main") -> Section:
    if column not in ("main", "side"):
        raise ValueError("column must be 'main' or 'side'")
    section = Section(key=key, title=title, template=template, load=load, order=order, column=column)
    existing = _SECTIONS.get(key)
    if existing is not None and existing.template != template:
        raise ValueError(f"Child page section {key!r} is already registered")
    _SECTIONS[key] = section
    return section


def registered_sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


@dataclass
class LoadedSection:
    section: Section
    context: dict


def load_sections(user, child) -> list[LoadedSection]:
    return [LoadedSection(section=s, context=s.load(user, child)) for s in registered_sections()]
