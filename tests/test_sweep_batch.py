"""The solvers on a leading batch axis (as the sweep calls them) agree point for point
with the same solvers called on one game at a time, and with Gambit."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dilemma import load_preset
from dilemma.equilibria.classify import TYPES, game_type, type_codes
from dilemma.equilibria.efficiency import (anarchy_ratio, price_of_anarchy, social_optimum,
                                           social_optimum_mask, worst_equilibrium_welfare)
from dilemma.equilibria.grim import critical_discount_factor
from dilemma.equilibria.pure import pure_equilibria, pure_equilibrium_mask
from dilemma.equilibria.symmetric import (is_symmetric, schelling_delta,
                                          symmetric_mixed_equilibria, symmetric_mixed_roots)
from dilemma.game import Game
from dilemma.payoffs import payoff_tables
from dilemma.sweep.grid import grid_points

ACTIONS = ["Spend", "Cut"]


def _stack(scenario, axes):
    points = grid_points(axes)
    return points, payoff_tables(scenario, points)["payoff"]


@pytest.fixture(scope="module")
def baseline_grid():
    """Baseline over punishment x profit pool x absorbed capex: every regime appears."""
    s = load_preset("2025-baseline")
    axes = {"market.punishment": np.linspace(0, 0.03, 9),
            "demand.profit_pool": np.linspace(100, 400, 9),
            "demand.absorbed_capex": np.linspace(150, 500, 6)}
    return _stack(s, axes)[1]


@pytest.fixture(scope="module")
def classroom_grid():
    s = load_preset("classroom-two-player")
    axes = {"market.punishment": np.linspace(-0.005, 0.03, 15),
            "demand.profit_pool": np.linspace(0, 600, 21)}
    return _stack(s, axes)[1]


@pytest.fixture(scope="module")
def symmetric_grid():
    """Five identical firms: symmetric games with stag hunts, chicken and mixed equilibria."""
    s = load_preset("2025-baseline")
    firm = dict(capex=90.0, ocf=110.0, cash=50.0, debt=60.0, ebitda=120.0, market_value=2500.0)
    s = s.with_players([{"name": f"F{k}", **firm} for k in range(5)])
    axes = {"market.punishment": np.linspace(-0.005, 0.03, 12),
            "demand.profit_pool": np.linspace(0, 600, 13),
            "demand.absorbed_capex": [150.0, 250.0, 400.0]}
    return _stack(s, axes)[1]


def _games(P):
    return [P[m] for m in range(P.shape[0])]


def _types(P):
    return type_codes(P, actions=[ACTIONS] * P.shape[-1])


def test_grids_cover_the_regimes(baseline_grid, classroom_grid):
    seen = {TYPES[t] for t in _types(baseline_grid)}
    assert {"prisoners-dilemma", "stag-hunt", "chicken", "harmony"} <= seen
    seen2 = {TYPES[t] for t in _types(classroom_grid)}
    assert {"prisoners-dilemma", "stag-hunt", "chicken", "harmony"} <= seen2


@pytest.mark.parametrize("grid", ["baseline_grid", "classroom_grid", "symmetric_grid"])
def test_game_type_matches_classify(grid, request):
    P = request.getfixturevalue(grid)
    codes = _types(P)
    slugs = game_type(P, actions=[ACTIONS] * P.shape[-1])
    for m, g in enumerate(_games(P)):
        assert TYPES[codes[m]] == slugs[m] == game_type(g, actions=[ACTIONS] * g.shape[-1]), m


@pytest.mark.parametrize("grid", ["baseline_grid", "classroom_grid", "symmetric_grid"])
def test_pure_equilibria_match(grid, request):
    P = request.getfixturevalue(grid)
    masks = pure_equilibrium_mask(P)
    for m, g in enumerate(_games(P)):
        assert [tuple(int(k) for k in r) for r in np.argwhere(masks[m])] == pure_equilibria(g)


def test_pure_equilibria_match_game_facade():
    s = load_preset("2025-baseline")
    for beta, pool in [(0.0, 210.0), (0.009, 170.0), (0.03, 400.0)]:
        one = s.with_values({"market.punishment": beta, "demand.profit_pool": pool})
        points, P = _stack(s, {"market.punishment": [beta], "demand.profit_pool": [pool]})
        g = one.build_game()
        assert isinstance(g, Game)
        expected = [tuple(int(k) for k in e) for e in g.pure_equilibria()]
        got = [tuple(int(k) for k in r) for r in np.argwhere(pure_equilibrium_mask(P)[0])]
        assert got == expected
        assert TYPES[_types(P)[0]] == g.game_type()


@pytest.mark.parametrize("grid", ["baseline_grid", "classroom_grid", "symmetric_grid"])
def test_welfare_and_critical_delta_match(grid, request):
    P = request.getfixturevalue(grid)
    eq = pure_equilibrium_mask(P)
    opt_mask, w_opt = social_optimum_mask(P)
    worst = worst_equilibrium_welfare(P.sum(axis=-1), eq)
    ratio = anarchy_ratio(w_opt, worst)
    cdf = critical_discount_factor(P, actions=[ACTIONS] * P.shape[-1])
    th, binding = cdf.thresholds, cdf.binding
    for m, g in enumerate(_games(P)):
        so = social_optimum(g)
        assert [tuple(int(k) for k in r) for r in np.argwhere(opt_mask[m])] == so.profiles
        assert w_opt[m] == pytest.approx(so.welfare, abs=1e-12)
        ws = [float(g[e].sum()) for e in pure_equilibria(g)]
        poa = price_of_anarchy(g, equilibrium_welfare=ws if ws else [])
        if ws:
            assert worst[m] == pytest.approx(poa.worst_equilibrium_welfare, abs=1e-12)
        else:
            assert np.isnan(worst[m])
        np.testing.assert_equal(ratio[m], poa.ratio if ws else np.nan)
        cd = critical_discount_factor(g, actions=[ACTIONS] * g.shape[-1])
        np.testing.assert_array_equal(th[m], cd.thresholds)
        assert binding[m] == cd.binding
        assert int(np.argmax(th[m])) == cd.binding_player


def test_symmetric_and_mixed_match(symmetric_grid, classroom_grid, baseline_grid):
    found_any = 0
    for P in (symmetric_grid, classroom_grid, baseline_grid):
        sym = is_symmetric(P)
        for m, g in enumerate(_games(P)):
            assert sym[m] == is_symmetric(g)
        rows = np.flatnonzero(sym)
        roots, _, indiff = symmetric_mixed_roots(schelling_delta(P[rows]))
        for r, got, ind in zip(rows, roots, indiff):
            res = symmetric_mixed_equilibria(P[r])
            assert ind == res.indifferent_everywhere
            assert got == pytest.approx(res.probabilities, abs=1e-9)
            found_any += len(got)
    assert found_any > 10
    assert not is_symmetric(baseline_grid).any()


def _random_games(n, m, seed, levels):
    rng = np.random.default_rng(seed)
    # few levels -> many ties, the hard cases for the tolerances
    return rng.integers(-levels, levels + 1, size=(m,) + (2,) * n + (n,)).astype(float)


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("levels", [1, 3, 50])
def test_random_games_with_ties(n, levels):
    P = _random_games(n, 300, seed=n * 100 + levels, levels=levels)
    codes = _types(P)
    masks = pure_equilibrium_mask(P)
    th = critical_discount_factor(P, actions=[ACTIONS] * n).thresholds
    for m, g in enumerate(_games(P)):
        assert TYPES[codes[m]] == game_type(g, actions=[ACTIONS] * n)
        assert [tuple(int(k) for k in r) for r in np.argwhere(masks[m])] == pure_equilibria(g)
        np.testing.assert_array_equal(th[m], critical_discount_factor(g, spend=0).thresholds)


def _symmetrise(n, fn):
    """Symmetric game from S(j), C(j): payoff of a spender / cutter when j others spend."""
    g = np.zeros((2,) * n + (n,))
    for prof in product(range(2), repeat=n):
        k = prof.count(0)
        g[prof] = [fn(0, k - 1) if a == 0 else fn(1, k) for a in prof]
    return g


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 6),
       values=st.lists(st.integers(-6, 6), min_size=12, max_size=12))
def test_symmetric_batch_property(n, values):
    S = values[:n]
    C = values[6:6 + n]
    g = _symmetrise(n, lambda a, j: float(S[j] if a == 0 else C[j]))
    assert is_symmetric(g[None])[0]
    roots, _, indiff = symmetric_mixed_roots(schelling_delta(g[None]))
    res = symmetric_mixed_equilibria(g)
    assert indiff[0] == res.indifferent_everywhere
    assert roots[0] == pytest.approx(res.probabilities, abs=1e-9)
    assert TYPES[_types(g[None])[0]] == game_type(g, actions=[ACTIONS] * n)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_pure_equilibria_of_a_batch_match_gambit(n):
    """Independent oracle: Gambit's enumpure_solve on each game of a batch with ties."""
    import pygambit as gbt

    P = _random_games(n, 40, seed=7 + n, levels=2)
    masks = pure_equilibrium_mask(P)
    for m in range(P.shape[0]):
        g = gbt.StrategicGame.from_arrays(*[P[m][..., i].astype(int) for i in range(n)])
        found = set()
        for eq in gbt.nash.enumpure_solve(g).equilibria:   # eq[player]: (label, probability) pairs
            found.add(tuple(int(np.argmax([float(q) for _, q in eq[pl]])) for pl in g.players))
        assert {tuple(int(k) for k in r) for r in np.argwhere(masks[m])} == found, m
