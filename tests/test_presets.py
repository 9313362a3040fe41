"""Each preset reads as MODEL.md says it should."""

from __future__ import annotations

import numpy as np
import pytest

from dilemma import build_game, list_presets, load_preset
from dilemma.analysis import analyse


@pytest.fixture(scope="module")
def games():
    return {name: build_game(load_preset(name)) for name in list_presets()}


def test_every_preset_loads_and_solves(games):
    for name, g in games.items():
        res = g.equilibria()
        assert len(res) >= 1, name
        for e in res:
            assert g.is_nash(list(e.strategy)), name
        a = analyse(g, load_preset(name))
        assert a["explanation"]


def test_baseline_is_the_mission_dilemma(games):
    g = games["2025-baseline"]
    res = g.equilibria()
    assert res.exhaustive
    assert [e.profile for e in res] == [(0,) * 5]  # unique: every firm spends
    assert g.game_type() == "prisoners-dilemma"
    all_spend, all_cut = g.payoffs[(0,) * 5], g.payoffs[(1,) * 5]
    assert (all_cut > all_spend).all()  # all cutting leaves every firm better off


def test_delayed_cash_flows_still_a_dilemma_but_worse(games):
    g, base = games["cash-flows-delayed-2028"], games["2025-baseline"]
    assert g.game_type() == "prisoners-dilemma"
    assert [e.profile for e in g.equilibria()] == [(0,) * 5]
    assert (g.payoffs[(0,) * 5] < base.payoffs[(0,) * 5]).all()


def test_efficiency_shock_is_a_stag_hunt(games):
    g = games["efficiency-shock"]
    assert g.game_type() == "stag-hunt"
    assert {(0,) * 5, (1,) * 5} <= set(g.pure_equilibria())


def test_openai_fails_cutting_dominates(games):
    g = games["openai-fails"]
    assert g.game_type() == "harmony"
    assert all(a == 1 for a in g.dominant_actions())
    assert g.pure_equilibria() == [(1,) * 5]


def test_classroom_pd_turns_chicken_without_punishment():
    s = load_preset("classroom-two-player")
    assert build_game(s).game_type() == "prisoners-dilemma"
    assert build_game(s.with_values({"market.punishment": 0.0})).game_type() == "chicken"


def test_model_md_stag_hunt_check():
    s = load_preset("2025-baseline").with_values(
        {"demand.profit_pool": 170, "demand.absorbed_capex": 230, "demand.price_war": 1.5})
    g = build_game(s)
    assert {(0,) * 5, (1,) * 5} <= set(g.pure_equilibria())


def test_no_punishment_removes_the_dilemma():
    g = build_game(load_preset("2025-baseline").with_values({"market.punishment": 0.0}))
    assert g.game_type() != "prisoners-dilemma"
    assert (0,) * 5 not in g.pure_equilibria()


def test_breakdown_attached(games):
    g = games["2025-baseline"]
    total = sum(g.breakdown.values())
    np.testing.assert_allclose(total, g.payoffs)
