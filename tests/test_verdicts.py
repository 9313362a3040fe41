"""dilemma.verdicts: the restraint verdict against hand-worked thresholds, and the run summary."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dilemma.game import Game
from dilemma.verdicts import restraint_verdict, simulation_summary, threshold_text

SC = [["Spend", "Cut"], ["Spend", "Cut"]]


def _sym(T, R, P, S):
    """A symmetric two-firm Spend/Cut game with these payoffs (Spend first)."""
    return Game.from_arrays([[P, T], [S, R]], [[P, S], [T, R]], actions=SC, players=["A", "B"])


def test_prisoners_dilemma_by_hand():
    g = _sym(T=5, R=3, P=1, S=0)          # delta* = (5 - 3) / (5 - 1) = 0.5
    v = restraint_verdict(g, horizon=10, rate=0.05)
    assert v.needed == pytest.approx(0.5)
    assert v.delta == pytest.approx(math.exp(-(0.05 + 0.1)))
    assert v.kind == "holds" and v.holds
    # exp(-(r + 1/H)) = 0.5  <=>  H = 1 / (ln 2 - r)
    assert v.horizon_needed == pytest.approx(1 / (math.log(2) - 0.05))
    assert (v.T, v.R, v.P) == (5, 3, 1)
    short = restraint_verdict(g, horizon=1, rate=0.05)        # delta = exp(-1.05) = 0.35 < 0.5
    assert short.kind == "fails" and not short.holds
    assert short.headline == "In theory restraint cannot hold at this horizon."


def test_self_enforcing_and_impossible():
    harmony = _sym(T=2, R=3, P=0, S=1)     # T <= R: nobody gains by spending alone
    v = restraint_verdict(harmony, horizon=1, rate=0.1)
    assert v.kind == "self-enforcing" and v.horizon_needed == 0.0 and v.holds
    no_threat = _sym(T=5, R=1, P=3, S=0)   # R <= P: a spending war is no punishment
    v = restraint_verdict(no_threat, horizon=100, rate=0.0)
    assert v.kind == "impossible" and math.isinf(v.horizon_needed) and not v.holds
    assert v.reason == ("For A, everyone spending ($3.0B a year) is no worse than everyone cutting ($1.0B), "
                        "so the threat of a spending war scares no one.")


def test_the_most_tempted_firm_is_the_largest_threshold_not_the_largest_gap():
    # A gains 10 by spending alone (T - R) and loses 30 in the war (T - P): delta* = 1/3.
    # B gains only 2 but loses 3:                                              delta* = 2/3.
    g = Game.from_arrays([[10, 40], [0, 30]], [[1, 0], [4, 2]], actions=SC, players=["A", "B"])
    v = restraint_verdict(g, horizon=10, rate=0.0)
    assert v.thresholds == pytest.approx({"A": 1 / 3, "B": 2 / 3})
    assert v.firm == "B" and v.needed == pytest.approx(2 / 3)


@pytest.mark.parametrize("x, text", [(0.0, "always (no threat needed)"), (-0.2, "always (no threat needed)"),
                                     (0.403, "δ ≥ 0.40"), (0.001, "δ > 0"), (1.0, "never"),
                                     (math.inf, "never")])
def test_threshold_text(x, text):
    assert threshold_text(x) == text


def test_simulation_summary_by_hand():
    # two firms, four years: all cut in years 1-2, B spends in year 3, all cut again in 4;
    # A was rated BB at the end of year 3, so its cut in year 4 is forced
    rows = [(1, "A", "Cut", "A"), (1, "B", "Cut", "A"), (2, "A", "Cut", "A"), (2, "B", "Cut", "A"),
            (3, "A", "Cut", "BB"), (3, "B", "Spend", "A"), (4, "A", "Cut", "BB"), (4, "B", "Cut", "A")]
    frame = pd.DataFrame(rows, columns=["year", "player", "role", "rating"])
    s = simulation_summary(frame, noise=0.05)
    assert (s.years, s.all_cut_years, s.first_break, s.forced) == (4, 3, 3, 1)
    assert s.text.startswith("In the run shown above, every firm cut in 3 of 4 years; restraint first broke in "
                             "year 3. Mistakes flip 5% of decisions")
    assert simulation_summary(frame.drop(columns="rating")).forced == 0


def test_a_threshold_above_what_any_horizon_reaches():
    # delta* = (10 - 1) / (10 - 0) = 0.9, but at r = 20 % delta <= exp(-0.2) = 0.82 for every horizon
    g = _sym(T=10, R=1, P=0, S=-1)
    v = restraint_verdict(g, horizon=100, rate=0.2)
    assert v.needed == pytest.approx(0.9) and v.kind == "fails"
    assert math.isinf(v.horizon_needed)
    assert v.reason.endswith("as much as this year, which no horizon reaches at a discount rate of 20 % "
                             "(δ stays below 0.82).".replace("20 %", "20%"))


def test_simulation_summary_counts_mistakes():
    rows = [(1, "A", "Cut", False), (1, "B", "Spend", True), (2, "A", "Spend", True), (2, "B", "Cut", False)]
    frame = pd.DataFrame(rows, columns=["year", "player", "role", "flipped"])
    s = simulation_summary(frame, noise=0.05)
    assert s.mistakes == 2 and s.first_break is None and not s.broken_by_mistake
    assert "Mistakes flip 5% of decisions (in this run 2 moves, marked ×):" in s.text
    none = simulation_summary(frame.assign(flipped=False), noise=0.05)
    assert none.mistakes == 0 and "Mistakes flip 5% of decisions (none in this run):" in none.text
    assert simulation_summary(frame.drop(columns="flipped"), noise=0.05).mistakes is None


def test_restraint_broken_by_a_mistake_is_said():
    # all cut in year 1; in year 2 B spends by mistake; in year 3 A spends on purpose (punishing), B by mistake
    rows = [(1, "A", "Cut", False), (1, "B", "Cut", False), (2, "A", "Cut", False), (2, "B", "Spend", True),
            (3, "A", "Spend", False), (3, "B", "Spend", True)]
    frame = pd.DataFrame(rows, columns=["year", "player", "role", "flipped"])
    s = simulation_summary(frame, noise=0.05)
    assert (s.first_break, s.broken_by_mistake) == (2, True)
    assert s.text.startswith("In the run shown above, every firm cut in 1 of 3 years; restraint first broke in "
                             "year 2, by a mistake (a firm that meant to cut spent). Mistakes flip 5% of decisions "
                             "(in this run 2 moves, marked ×)")
    # the same run with B's year-2 Spend chosen: not a mistake
    chosen = frame.assign(flipped=[False, False, False, False, False, True])
    assert not simulation_summary(chosen, noise=0.05).broken_by_mistake
