"""Each preset reads as MODEL.md says it should."""

from __future__ import annotations

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
    """Microsoft's terms in the baseline, worked by hand from MODEL.md's formulas and tables."""
    g = games["2025-baseline"]
    psi, theta_ocf = 1.09 ** -1, 0.8 * 136                  # L = 1, r = 9 %; Microsoft's OCF 136
    # all spend: X = 110, Q = 50 + 433 = 483, Q/Q* = 1.38: Pi = 210/1.38, p = 0.05 + 0.1 * 0.38 = 0.088
    p = 0.088
    rev = psi * (1 - p * 0.5) * (210 / 1.38) * 110 / 483
    E = 110 - theta_ocf                                       # 1.2; leverage (70 + 1.2)/160 < 1.5
    fin = 0.05 * theta_ocf + (0.045 + 0.008 + 0.3 * 0.02) * E
    spend = (rev, -110 / 5, -fin, -p * 0.6 * 0.5 * 110, 0.0)
    # Microsoft alone cuts: X = 66, Q = 50 + 66 + 323 = 439, overbuild 439/350 - 1
    over = 439 / 350 - 1
    p = 0.05 + 0.1 * over
    rev = psi * (1 - p * 0.5) * (210 / (1 + over)) * 66 / 439
    cut = (rev, -66 / 5, -0.05 * 66, -p * 0.6 * 0.5 * 66, -0.009 * 3900)   # E = 0; punishment 0.9 % of V
    names = ("revenue", "capital_charge", "financing", "burst_loss", "punishment")
    for prof, want in (((0,) * 5, spend), ((1, 0, 0, 0, 0), cut)):
        assert [float(g.breakdown[k][prof + (0,)]) for k in names] == pytest.approx(want, rel=1e-12, abs=1e-12)
        assert float(g.payoffs[prof + (0,)]) == pytest.approx(sum(want), rel=1e-12, abs=1e-12)
    assert spend == pytest.approx((30.40, -22.0, -5.51, -2.90, 0.0), abs=0.005)   # docs/explanation/model.md
