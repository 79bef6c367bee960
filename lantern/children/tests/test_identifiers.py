import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from lantern.children.identifiers import clean_identifier
from lantern.children.models import IdentifierKind, normalise_text
from lantern.demo.generator import nhs_number, upn


def test_nhs_number_is_formatted_3_3_4():
    assert clean_identifier(IdentifierKind.NHS, "9434765919") == "943 476 5919"
    assert clean_identifier(IdentifierKind.NHS, " 943-476-5919 ") == "943 476 5919"


@pytest.mark.parametrize("value, message", [
    ("943476591", "must be 10 digits"),
    ("94347659AB", "must contain only digits"),
    ("9434765918", "not a valid NHS number"),
])
def test_bad_nhs_numbers_say_what_is_wrong(value, message):
    with pytest.raises(ValidationError) as exc:
        clean_identifier(IdentifierKind.NHS, value)
    assert message in exc.value.messages[0]


@given(st.integers(min_value=0, max_value=2**32))
def test_every_generated_nhs_number_and_upn_is_valid(seed):
    import random

    rng = random.Random(seed)
    assert clean_identifier(IdentifierKind.NHS, nhs_number(rng))
    assert clean_identifier(IdentifierKind.UPN, upn(rng))


def test_upn_check_letter_is_checked():
    import random

    good = upn(random.Random(1))
    wrong_letter = ("A" if good[0] != "A" else "B") + good[1:]
    with pytest.raises(ValidationError) as exc:
        clean_identifier(IdentifierKind.UPN, wrong_letter)
    assert "first letter does not match" in exc.value.messages[0]


def test_local_references_are_kept_as_typed_in_capitals():
    assert clean_identifier(IdentifierKind.POLICE_REF, "bp/21/1234") == "BP/21/1234"
    with pytest.raises(ValidationError):
        clean_identifier(IdentifierKind.LA_CHILD_ID, "---")


def test_names_are_searched_without_case_or_accents():
    assert normalise_text("  Zoë  O'Brien-Łaski ") == "zoe obrien łaski".replace("ł", "ł")
    assert normalise_text("ÉLODIE") == "elodie"
