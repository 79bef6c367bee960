"""The two extension points of the child page: timeline events and page sections."""

import pytest
from django.urls import reverse

from lantern.children import sections, timeline
from lantern.children.tests.factories import register_child


@pytest.fixture
def extra_section(tmp_path, settings):
    (tmp_path / "extra_section.html").write_text("<p class='govuk-body'>Extra: {{ section.word }} for {{ child.display_name }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    sections.register_section(key="extra", title="An extra part", template="extra_section.html", load=lambda user, child: {"word": "hello"})
    yield
    sections._SECTIONS.pop("extra", None)


def test_a_registered_section_appears_on_the_child_page(client, partnership, extra_section):
    child = register_child(by=partnership.school_lead, first_name="Eden")
    client.force_login(partnership.school_lead)
    body = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "An extra part" in body
    assert "Extra: hello for Eden" in body


def test_a_section_key_cannot_be_taken_twice(extra_section):
    with pytest.raises(ValueError):
        sections.register_section(key="extra", title="Again", template="other.html", load=lambda u, c: {})


def test_timeline_refuses_unregistered_kinds(partnership):
    child = register_child(by=partnership.school_lead)
    with pytest.raises(ValueError):
        timeline.record_event(child=child, kind="never_registered", summary="x")
    with pytest.raises(ValueError):
        timeline.register_kind("child_registered", "A different label")
