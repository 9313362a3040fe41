"""dilemma.teaching: the glossary, the tour's answers (checked independently) and the scoring."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from dilemma import build_game, load_preset
from dilemma.teaching import GLOSSARY, TOUR, define, glossary_link, options_of, score, tipping_punishment, tour_step

WORDS = ("δ (discount factor)", "Grim trigger", "Stag hunt", "Chicken", "Harmony",
         "QRE (quantal response equilibrium)", "Replicator dynamics", "Moran process", "Schelling diagram")


def test_the_glossary_has_the_words_the_issue_asks_for():
    words = [t.word for t in GLOSSARY.values()]
    for w in WORDS:
        assert w in words
    assert len(set(GLOSSARY)) == len(GLOSSARY)
    assert all(t.text.endswith(".") for t in GLOSSARY.values())
    assert glossary_link("moran") == "[Moran process](glossary#moran)"
    with pytest.raises(KeyError):
        define("nonsense")


def test_the_tour_has_six_to_eight_steps_each_with_a_prediction():
    assert 6 <= len(TOUR) <= 8
    for step in TOUR:
        assert step.question.endswith("?")
        assert step.kind in ("choice", "number")
        if step.kind == "choice":
            assert step.solve().value in options_of(step)
        else:
            assert step.low <= step.solve().value <= step.high
    with pytest.raises(ValueError, match="from 1 to 7"):
        tour_step(0)


def _pure_equilibria(pay):
    """Brute force: profiles where no player gains by switching its own action."""
    n = pay.shape[-1]
    out = []
    for prof in itertools.product(range(2), repeat=n):
        if all(pay[prof + (i,)] >= pay[prof[:i] + (1 - prof[i],) + prof[i + 1:] + (i,)] for i in range(n)):
            out.append(prof)
    return out


def test_step_answers_against_independent_checks():
    base = load_preset("2025-baseline")
    g = build_game(base)
    pay = np.asarray(g.payoffs)
    # step 2: spenders in the equilibrium, by brute force
    (eq,) = _pure_equilibria(pay)
    assert tour_step(2).solve().value == sum(a == 0 for a in eq)
    # step 4: all cut minus all spend, summed over the firms
    n = g.n_players
    assert tour_step(4).solve().value == round(float(pay[(1,) * n].sum() - pay[(0,) * n].sum()), 1)
    # step 5: just above the tipping point the baseline is a prisoner's dilemma, just below it is not
    x = tipping_punishment()
    assert base.with_values({"market.punishment": x + 1e-4}).build_game().game_type() == "prisoners-dilemma"
    assert base.with_values({"market.punishment": x - 1e-4}).build_game().game_type() != "prisoners-dilemma"
    assert tour_step(5).solve().value == round(100 * x, 2)
    # step 6: the horizon H whose delta = exp(-(r + 1/H)) is the grim-trigger threshold
    h = tour_step(6).solve().value
    r = base.values["demand.discount_rate"]
    assert math.exp(-(r + 1 / h)) == pytest.approx(float(g.critical_discount_factor().binding), abs=0.01)


@pytest.mark.parametrize("guess, truth, unit, text", [
    (70, 71.5, "$B", "Spot on: you said 70 $B, the answer is 71.5 $B (off by 1.5 $B)."),
    (1.0, 1.21, "years", "Close: you said 1 years, the answer is 1.21 years (off by 0.21 years)."),
    (100, 71.5, "$B", "Same ballpark: you said 100 $B, the answer is 71.5 $B (off by 28.5 $B)."),
    (0, 5, "firms", "Far off: you said 0 firms, the answer is 5 firms (off by 5 firms)."),
    (-20, 35.1, "$B", "Far off: you said −20 $B, the answer is 35.1 $B (off by 55.1 $B)."),
    ("Cut", "Spend", "", "Not quite: you said Cut, the answer is Spend."),
])
def test_score(guess, truth, unit, text):
    assert score(guess, truth, unit).text == text


def test_game_types_read_from_the_one_description():
    from dilemma.equilibria.classify import describe_type
    from dilemma.teaching import GLOSSARY

    assert describe_type("chicken") == (
        "Chicken: each firm wants to spend while the others hold back and to cut when they spend; in "
        "equilibrium the firms split (some spend, some cut) or mix at random.")
    assert GLOSSARY["chicken"].text == (
        "Each firm wants to spend while the others hold back and to cut when they spend; in equilibrium the "
        "firms split (some spend, some cut) or mix at random.")
    assert GLOSSARY["stag-hunt"].text == (
        "Restraint pays if the others restrain too, spending pays if they spend; both all-Cut and all-Spend are "
        "equilibria, and what each firm expects the others to do tips the game (a tipping point).")
    assert GLOSSARY["prisoners-dilemma"].text == (
        "Spending is best whatever the others do, yet every firm would be better off if all cut. Individually "
        "rational, collectively wasteful.")
    assert GLOSSARY["harmony"].text == (
        "Cutting is best whatever the others do, so everyone cuts and the build-out simply stops. The screens "
        "call it “No dilemma: bust (harmony)”.")
    assert GLOSSARY["deadlock"].text == (
        "Spending is best whatever the others do, and all spending is what the firms prefer anyway. The screens "
        "call it “No dilemma: boom (deadlock)”.")
    # one home: every type's glossary text is its description without the label
    for anchor, slug in (("stag-hunt", "stag-hunt"), ("chicken", "chicken"), ("harmony", "harmony"),
                         ("deadlock", "deadlock"), ("prisoners-dilemma", "prisoners-dilemma")):
        body = describe_type(slug).partition(": ")[2]
        assert GLOSSARY[anchor].text.lower().startswith(body.lower())
