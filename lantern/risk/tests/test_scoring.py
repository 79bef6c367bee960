"""The scoring rules on their own, and their properties."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import assume, given
from hypothesis import strategies as st

from lantern.risk import scoring
from lantern.risk.catalogue import parse_catalogue, shipped_document
from lantern.risk.models import Level, When

CATALOGUE = parse_catalogue(shipped_document())
RISK_IDS = sorted(i.id for d, items in CATALOGUE.of_kind("risk") + CATALOGUE.of_kind("risk_to_others") for i in items)
BANDS = {"low": 6, "medium": 11, "high": 16}


def _seen(pairs):
    return [scoring.Seen(indicator=CATALOGUE.indicator(ident), when=when) for ident, when in pairs]


def _score(pairs, *, disabled=False, learning_disability=False, age=15):
    return scoring.score(_seen(pairs), disabled=disabled, learning_disability=learning_disability, age=age, bands=BANDS)


def test_current_indicators_score_their_weight_and_past_ones_their_past_weight():
    outcome = _score([("SEX-01", When.CURRENT), ("SEX-02", When.PAST_12_MONTHS), ("VUL-01", When.CURRENT)])
    assert outcome.scores == {"sexual": 5 + 1 + 1, "criminal": 1}
    assert outcome.suggested == {"sexual": Level.LOW, "criminal": Level.NONE}


def test_bands_follow_the_thresholds():
    assert [scoring.suggested_level(s, bands=BANDS) for s in (0, 5, 6, 10, 11, 15, 16, 40)] == [
        "none", "none", "low", "low", "medium", "medium", "high", "high"
    ]


def test_thresholds_come_from_settings_and_must_rise(settings):
    settings.LANTERN_SCREENING_THRESHOLDS = {"low": 3, "medium": 5, "high": 9}
    assert scoring.suggested_level(5) == "medium"
    settings.LANTERN_SCREENING_THRESHOLDS = {"low": 8, "medium": 5, "high": 9}
    with pytest.raises(ImproperlyConfigured):
        scoring.thresholds()


def test_disability_adds_one_to_each_kind_with_an_indicator():
    plain = _score([("SEX-01", When.CURRENT)])
    disabled = _score([("SEX-01", When.CURRENT)], disabled=True)
    assert disabled.scores == {"sexual": plain.scores["sexual"] + 1, "criminal": 0}
    assert disabled.disability_added and not plain.disability_added
    assert not _score([], disabled=True).disability_added


@pytest.mark.finding("F33")
def test_learning_disability_adds_one_and_any_concern_means_a_referral():
    outcome = _score([("VUL-05", When.CURRENT)], learning_disability=True, age=16)
    assert outcome.scores == {"sexual": 2, "criminal": 2}
    assert outcome.must_refer_to_social_care
    assert "learning disability" in outcome.referral_reason


def test_disclosure_suggests_high_at_once_for_its_kind():
    outcome = _score([("SEX-12", When.CURRENT)])
    assert outcome.scores["sexual"] == 5
    assert outcome.suggested == {"sexual": Level.HIGH, "criminal": Level.NONE}
    assert outcome.disclosure


@pytest.mark.parametrize("ident", ["SEX-08", "ONL-02", "HBV-01"])
def test_a_child_of_13_or_under_with_a_sexual_exploitation_sign_must_be_referred(ident):
    assert _score([(ident, When.PAST_12_MONTHS)], age=13).must_refer_to_social_care
    assert not _score([(ident, When.PAST_12_MONTHS)], age=14).must_refer_to_social_care
    assert not _score([("CRIM-01", When.CURRENT)], age=12).must_refer_to_social_care


@pytest.mark.finding("F08")
def test_harmful_sexual_behaviour_is_a_risk_to_others_and_scores_nothing():
    outcome = _score([("HSB-01", When.CURRENT), ("SEX-01", When.CURRENT)])
    assert outcome.risk_to_others
    assert outcome.scores == _score([("SEX-01", When.CURRENT)]).scores


selections = st.dictionaries(st.sampled_from(RISK_IDS), st.sampled_from([When.CURRENT.value, When.PAST_12_MONTHS.value]), max_size=20)


@given(chosen=selections, extra=st.sampled_from(RISK_IDS), when=st.sampled_from([When.CURRENT.value, When.PAST_12_MONTHS.value]),
       disabled=st.booleans(), learning=st.booleans(), age=st.integers(8, 17))
def test_adding_an_indicator_never_lowers_a_score_or_a_suggestion(chosen, extra, when, disabled, learning, age):
    assume(extra not in chosen)
    before = _score(chosen.items(), disabled=disabled, learning_disability=learning, age=age)
    after = _score([*chosen.items(), (extra, when)], disabled=disabled, learning_disability=learning, age=age)
    for kind in ("sexual", "criminal"):
        assert after.scores[kind] >= before.scores[kind]
        assert Level.rank(after.suggested[kind]) >= Level.rank(before.suggested[kind])
    assert after.must_refer_to_social_care >= before.must_refer_to_social_care


@given(chosen=selections)
def test_seen_now_never_scores_less_than_seen_in_the_past(chosen):
    past = _score([(ident, When.PAST_12_MONTHS) for ident in chosen])
    now = _score([(ident, When.CURRENT) for ident in chosen])
    assert all(now.scores[k] >= past.scores[k] for k in ("sexual", "criminal"))


@given(a=st.integers(0, 60), b=st.integers(0, 60),
       low=st.integers(1, 20), gap1=st.integers(0, 10), gap2=st.integers(0, 10))
def test_the_suggested_level_is_monotone_in_the_score(a, b, low, gap1, gap2):
    bands = {"low": low, "medium": low + gap1, "high": low + gap1 + gap2}
    lo, hi = sorted((a, b))
    assert Level.rank(scoring.suggested_level(lo, bands=bands)) <= Level.rank(scoring.suggested_level(hi, bands=bands))
