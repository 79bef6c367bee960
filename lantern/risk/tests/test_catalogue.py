"""Publishing the indicator catalogue, and what a new version must never change."""

import copy
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.children.tests.factories import register_child
from lantern.risk import services
from lantern.risk.catalogue import catalogue_document, catalogue_version, current_catalogue
from lantern.risk.models import CatalogueVersion, Screening

from .factories import NOW, PAST, screen

ADDITION = dict(
    indicator_id="ONL-05", domain="online", wording="Meets adults in person whom they first met online",
    weight=5, weight_past=1, applies_to=["sexual", "criminal"], significant=True, cin_factor="11a",
    sources=["domain"], change_note="Learning from a local case review",
)


def _publish(by, **changes):
    return services.publish_catalogue_addition(by=by, **{**ADDITION, **changes})


@pytest.mark.finding("F08")
def test_the_administrator_adds_an_indicator_by_publishing_version_2(partnership):
    p = partnership
    version = _publish(p.administrator, expected_version=1)
    assert version.number == 2 and version.published_by == p.administrator
    assert version.change_note == "Learning from a local case review"
    catalogue = current_catalogue()
    assert catalogue.version == 2
    added = catalogue.indicator("ONL-05")
    assert (added.weight, added.weight_past, added.significant, added.cin_factor) == (5, 1, True, "11A")
    assert set(catalogue.indicators) - set(catalogue_version(1).indicators) == {"ONL-05"}
    assert catalogue_version(1).version == 1


def test_only_the_administrator_changes_the_catalogue(partnership):
    for user in (partnership.hub, partnership.school_lead):
        with pytest.raises(PermissionDenied):
            _publish(user)
    assert not CatalogueVersion.objects.filter(number__gt=1).exists()


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"indicator_id": "SEX-01"}, "indicator_id", "already an indicator SEX-01"),
        ({"indicator_id": "online five"}, "indicator_id", "for example ONL-05"),
        ({"domain": "astrology"}, "domain", "Choose a domain"),
        ({"wording": "   "}, "wording", "Enter the wording"),
        ({"weight": 1, "weight_past": 3}, "weight_past", "no more than"),
        ({"applies_to": []}, "applies_to", "Choose the kinds"),
        ({"sources": ["wikipedia"]}, "sources", "Choose sources"),
        ({"change_note": ""}, "change_note", "Say why"),
    ],
)
def test_bad_additions_are_refused_clearly_and_nothing_is_published(partnership, changes, field, words):
    with pytest.raises(ValidationError) as exc:
        _publish(partnership.administrator, **changes)
    assert words in exc.value.message_dict[field][0]
    assert not CatalogueVersion.objects.filter(number__gt=1).exists() and current_catalogue().version == 1


def test_a_stale_addition_is_refused(partnership):
    _publish(partnership.administrator, expected_version=1)
    with pytest.raises(ValidationError) as exc:
        _publish(partnership.administrator, indicator_id="ONL-06", expected_version=1)
    assert "Someone else changed" in exc.value.messages[0]
    assert current_catalogue().version == 2


def test_a_strength_or_harm_to_others_carries_no_score_and_a_new_source_is_kept(partnership):
    _publish(partnership.administrator, indicator_id="STR-07", domain="strengths", wording="Has a safe place to go after school",
             new_source="Brackenford youth forum, 2026", sources=[])
    _publish(partnership.administrator, indicator_id="HSB-04", domain="harmful_sexual_behaviour", wording="Shares sexual images of other children")
    catalogue = current_catalogue()
    strength = catalogue.indicator("STR-07")
    assert (strength.weight, strength.applies_to, strength.sources) == (0, (), ("local-1",))
    assert catalogue.sources["local-1"] == "Brackenford youth forum, 2026"
    assert catalogue.indicator("HSB-04").risk_to_others and catalogue.version == 3


@pytest.mark.finding("F08")
def test_an_old_screening_still_reads_as_version_1(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    old = screen(by=p.school_lead, child=child, indicators=[("ONL-01", NOW), ("SEX-01", PAST)])
    _publish(p.administrator)
    # A later version rewords and reweighs an existing indicator (as an operator's file might).
    document = catalogue_document()
    for row in document["indicators"]:
        if row["id"] == "ONL-01":
            row.update(wording="Reworded in version 3", weight=3)
    document["version"] = 3
    CatalogueVersion.objects.create(number=3, document=document, change_note="Reworded")
    old.refresh_from_db()
    assert old.catalogue_version == 1 and (old.score_sexual, old.score_criminal) == (2, 1)
    row = old.indicators.get(indicator_id="ONL-01")
    assert (row.wording, row.weight) == ("Worrying phone or internet use, or contact with unknown adults online", 1)
    new = screen(by=p.school_lead, child=child, indicators=[("ONL-01", NOW), ("ONL-05", NOW, "Met a man from a game")])
    assert new.catalogue_version == 3 and new.score_sexual == 3 + 5
    assert new.indicators.get(indicator_id="ONL-01").wording == "Reworded in version 3"


def _snapshot(screening: Screening):
    screening.refresh_from_db()
    fields = ("catalogue_version", "score_sexual", "score_criminal", "suggested_sexual", "suggested_criminal", "disclosure", "strengths")
    rows = list(screening.indicators.order_by("indicator_id").values_list("indicator_id", "when", "wording", "domain", "weight", "applies_to"))
    return tuple(getattr(screening, f) if f != "strengths" else json.dumps(screening.strengths) for f in fields), rows


edits = st.lists(
    st.tuples(
        st.sampled_from(["SEX-01", "SEX-12", "VUL-01", "ONL-01", "MIS-01", "CRIM-02", "EMO-01", "STR-01"]),
        st.integers(0, 9),
        st.text(alphabet=st.characters(min_codepoint=65, max_codepoint=122), min_size=1, max_size=30),
    ),
    max_size=5,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=edits, additions=st.integers(0, 3))
def test_publishing_any_new_version_never_changes_a_stored_screening(partnership, changes, additions):
    p = partnership
    screening = Screening.objects.order_by("pk").first()
    if screening is None:
        child = register_child(by=p.school_lead)
        screening = screen(
            by=p.school_lead, child=child, strengths=["STR-01"],
            indicators=[("SEX-01", NOW), ("SEX-12", PAST), ("VUL-01", NOW), ("ONL-01", PAST), ("EMO-01", NOW)],
        )
    before = _snapshot(screening)
    document = catalogue_document()
    number = document["version"] + 1
    for ident, weight, words in changes:
        for row in document["indicators"]:
            if row["id"] == ident and row["domain"] not in ("strengths",):
                row.update(weight=weight, weight_past=min(weight, row["weight_past"]), wording=words)
            elif row["id"] == ident:
                row.update(wording=words)
    for n in range(additions):
        extra = copy.deepcopy(ADDITION)
        document["indicators"].append({"id": f"ADD-{number:02d}{n}", "domain": "online", "wording": f"Added {n}", "weight": 2, "weight_past": 1,
                                       "applies_to": ["sexual"], "sources": extra["sources"]})
    document["version"] = number
    CatalogueVersion.objects.create(number=number, document=document, change_note="Property test edit")
    assert current_catalogue().version == number
    assert _snapshot(screening) == before


def test_catalogue_command_shows_and_checks(partnership, tmp_path, capsys):
    call_command("catalogue", "--show")
    out = capsys.readouterr().out
    assert "Indicator catalogue version 1" in out and "SEX-12" in out and "[significant disclosure]" in out
    good = tmp_path / "good.json"
    good.write_text(json.dumps(catalogue_document()))
    call_command("catalogue", "--check", str(good))
    assert "is a valid catalogue: version 1" in capsys.readouterr().out
    bad_document = catalogue_document()
    bad_document["indicators"].append({"id": "SEX-01", "domain": "nowhere", "wording": "Again", "weight": 1})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_document))
    with pytest.raises(CommandError) as exc:
        call_command("catalogue", "--check", str(bad))
    assert "2 problems" in str(exc.value)
    err = capsys.readouterr().err
    assert "Indicator SEX-01 appears twice" in err and "unknown domain 'nowhere'" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("catalogue", "--check", str(broken))
