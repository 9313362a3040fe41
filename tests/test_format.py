"""The one money formatter and the one profile-label scheme (dilemma.format), exact strings."""

from __future__ import annotations

import math

import pytest

from dilemma.errors import ParameterError
from dilemma.format import money, profile_label


@pytest.mark.parametrize("x, text", [
    (12.345, "$12.3B"),
    (1.0, "$1.0B"),
    (0.999, "$1.00B"),            # below $1B: two decimals, even when it rounds up to 1
    (0.5, "$0.50B"),
    (0.004, "about $0"),          # rounds to $0.00B: in text that is "about $0", not a result
    (0.0049, "about $0"),
    (0.005, "$0.01B"),            # the first amount that shows a cent (0.005 is stored a hair above)
    (-0.005, "−$0.01B"),
    (-0.024, "−$0.02B"),
    (-0.0004, "about $0"),        # no minus zero either
    (-0.0, "about $0"),
    (0.0, "about $0"),
    (-1234.56, "−$1,234.6B"),
    (1_000_000.0, "$1,000,000.0B"),
    (None, "n/a"),
    (math.nan, "n/a"),
    (math.inf, "n/a"),
    (-math.inf, "n/a"),
])
def test_money_with_unit(x, text):
    assert money(x) == text


@pytest.mark.parametrize("x, text", [
    (-1234.56, "−1,234.6"),
    (30.96, "31.0"),
    (-0.04, "−0.04"),             # was "−0.0" in the chart labels
    (-0.001, "0.00"),
    (math.nan, "n/a"),
])
def test_money_without_unit(x, text):
    assert money(x, unit=False) == text


@pytest.mark.parametrize("x, decimals, text", [
    (15.04, 1, "15.0"),
    (-3.26, 1, "−3.3"),
    (-0.04, 1, "0.0"),            # a fixed one decimal: rounds to zero, so no sign
    (0.004, 3, "0.004"),
    (-1234.5, 0, "−1,234"),       # round half to even, as Python's format
])
def test_money_with_fixed_decimals(x, decimals, text):
    assert money(x, unit=False, decimals=decimals) == text


def test_money_uses_the_typeset_minus():
    assert money(-2.0) == "\u2212$2.0B" and "-" not in money(-2.0)


@pytest.mark.parametrize("spend, text", [
    ((True, True, True, True, True), "all spend"),
    ((False, False, False, False, False), "all cut"),
    ((True, True, False, True, True), "Meta cuts, others spend"),
    ((False, False, True, True, True), "Microsoft, Amazon cut, others spend"),
    ((False, True, False, False, False), "Amazon spends, others cut"),
    ((True, True, False, False, False), "Microsoft, Amazon spend, others cut"),
])
def test_profile_label_names_the_smaller_group(spend, text):
    assert profile_label(spend, ["Microsoft", "Amazon", "Meta", "Alphabet", "Oracle"]) == text


def test_profile_label_small_games():
    assert profile_label([True, False], ["Alpha", "Beta"]) == "Beta cuts, Alpha spends"
    assert profile_label([False, True], ["Alpha", "Beta"]) == "Alpha cuts, Beta spends"
    assert profile_label([True, True, False], ["A", "B", "C"]) == "C cuts, others spend"
    assert profile_label([True, False, False, True], ["A", "B", "C", "D"]) == "B, C cut, others spend"  # tie
    assert profile_label([False], ["Solo"]) == "Solo cuts"
    with pytest.raises(ParameterError) as exc:
        profile_label([True], ["A", "B"])
    assert str(exc.value) == "spend: must be one flag per firm (2), got 1"


def test_one_formatter_and_one_label_scheme_everywhere():
    """The lab, the report and the sweep call the same functions (no private copies)."""
    import dilemma.analysis as analysis
    import dilemma.explain as explain
    import dilemma.sweep.labels as labels

    assert explain.money is money
    assert labels.profile_label is profile_label
    assert analysis.profile_label.__module__ == "dilemma.analysis"   # a game -> flags adapter onto it


@pytest.mark.parametrize("x, kwargs, text", [
    (0.004, {"decimals": 2}, "$0.00B"),          # a fixed-decimal table column keeps its digits
    (-0.0004, {"decimals": 2}, "$0.00B"),        # ... without a minus zero
    (0.04, {"decimals": 1}, "$0.0B"),
    (0.004, {"unit": False}, "0.00"),           # a chart label keeps its digits
    (0.3, {"decimals": 0}, "$0B"),
])
def test_about_zero_only_in_text(x, kwargs, text):
    assert money(x, **kwargs) == text
