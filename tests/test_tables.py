"""dilemma.tables: the textbook bimatrix and the rivals table, checked against hand-worked games."""

from __future__ import annotations

import re

import pytest

from dilemma import build_game, load_preset
from dilemma.game import Game
from dilemma.tables import bimatrix_cells, bimatrix_html, money_change, payoff_text, rivals_html, rivals_rows

SC = [["Spend", "Cut"], ["Spend", "Cut"]]


def _pd():
    # Spend = defect: T = 5, R = 3, P = 1, S = 0 (Axelrod's numbers)
    return Game.from_arrays([[1, 5], [0, 3]], [[1, 0], [5, 3]], actions=SC, players=["Row", "Col"])


def _cells(html):
    return [(eq, re.findall(r'data-best="(\d)">([^<]*)<', inner))
            for eq, inner in re.findall(r'<td [^>]*data-eq="(\d)">(.*?)</td>', html)]


def test_prisoners_dilemma_bimatrix_by_hand():
    html = bimatrix_html(_pd())
    # rows Spend, Cut; each cell row payoff first; spending is the best response to either action
    assert _cells(html) == [
        ("1", [("1", "1.0"), ("1", "1.0")]),      # both spend: the equilibrium, both underlined
        ("0", [("1", "5.0"), ("0", "0.0")]),
        ("0", [("0", "0.0"), ("1", "5.0")]),
        ("0", [("0", "3.0"), ("0", "3.0")]),      # both cut: best for both together, no equilibrium
    ]
    assert html.count("Nash equilibrium") == 1


def test_stag_hunt_has_two_outlined_cells():
    # stag hunt: R = 4 > T = 3 >= P = 2 > S = 0
    g = Game.from_arrays([[2, 3], [0, 4]], [[2, 0], [3, 4]], actions=SC)
    assert [c.equilibrium for c in bimatrix_cells(g)] == [True, False, False, True]


def test_names_are_escaped():
    g = Game.from_arrays([[1, 5], [0, 3]], [[1, 0], [5, 3]], actions=[["<b>S</b>", "C&D"], ["S", "C"]],
                         players=["<script>x</script>", "A&B"])
    html = bimatrix_html(g)
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "A&amp;B plays" in html and "C&amp;D" in html and "&lt;b&gt;S&lt;/b&gt;" in html


def test_bimatrix_needs_two_players():
    with pytest.raises(ValueError, match="two players, this game has 5"):
        bimatrix_cells(build_game(load_preset("2025-baseline")))


def test_scale_widens_the_table():
    assert "max-width:640px" in bimatrix_html(_pd()) and "max-width:960px" in bimatrix_html(_pd(), scale=1.5)


def test_rivals_rows_are_the_schelling_numbers_and_all_spend_is_outlined():
    g = build_game(load_preset("2025-baseline"))
    rows = rivals_rows(g)
    sch = g.schelling()
    assert len(rows) == 2 * g.n_players
    for r in rows:
        part = sch[sch["player"] == r["player"]].sort_values("others_spending")
        want = part["spend" if r["action"] == "Spend" else "cut"].tolist()
        assert r["payoffs"] == pytest.approx(want)
        # the baseline is a prisoner's dilemma: Spend beats Cut in every column, all spend is the equilibrium
        assert r["best"] == [r["action"] == "Spend"] * g.n_players
        assert r["outline"] == [r["action"] == "Spend" and k == g.n_players - 1 for k in range(g.n_players)]
    assert rivals_html(g).count('data-eq="1"') == g.n_players


@pytest.mark.parametrize("x, text", [(15.04, "15.0"), (-3.26, "−3.3"), (-0.04, "0.0"), (1234.5, "1,234.5"),
                                     (float("inf"), "n/a")])
def test_payoff_text(x, text):
    assert payoff_text(x) == text


def test_money_change_adds_up_as_shown():
    # the baseline's totals: -1.04 -> 70.44 gave "-$1.0B -> $70.4B" next to a gain of "$71.5B"
    assert money_change(-1.04, 70.44) == ("−$1.04B", "$70.44B", "$71.48B")
    assert money_change(2.0, 5.0) == ("$2.0B", "$5.0B", "$3.0B")
