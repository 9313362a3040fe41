"""``dilemma.sweep.sweep`` end to end: rows agree with the per-game solvers, seeds, executors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dilemma import load_preset
from dilemma.equilibria.symmetric import is_symmetric, symmetric_mixed_equilibria
from dilemma.errors import DilemmaError
from dilemma.sweep import DEFAULT_MAX_POINTS, grid_from_specs, grid_points, sweep
from dilemma.sweep.core import ANALYSIS_COLUMNS
from dilemma.sweep.labels import profile_label
from dilemma.sweep.simulate import point_seed, simulate_chunk, simulation_columns


@pytest.fixture(scope="module")
def baseline():
    return load_preset("2025-baseline")


#: Punishment x profit pool x absorbed capex: crosses every regime of the baseline.
CROSSING = {"market.punishment": np.linspace(0, 0.03, 7),
            "demand.profit_pool": np.linspace(100, 400, 7),
            "demand.absorbed_capex": [150.0, 350.0, 500.0]}


@pytest.fixture(scope="module")
def crossing(baseline):
    return sweep(baseline, CROSSING)


def _labels(game, names):
    """Labels of the game's pure equilibria in the sweep's order: more spenders first, then C order."""
    eqs = sorted(game.pure_equilibria(), key=lambda e: -sum(a == 0 for a in e))  # stable: C order within
    return [profile_label([a == 0 for a in e], names) for e in eqs]


def test_one_row_per_point_with_the_columns(crossing):
    assert len(crossing) == 7 * 7 * 3
    assert list(crossing.columns) == list(CROSSING) + list(ANALYSIS_COLUMNS)
    assert crossing.attrs["shape"] == [7, 7, 3]
    assert crossing.attrs["current"] == {"market.punishment": 0.009, "demand.profit_pool": 210.0,
                                         "demand.absorbed_capex": 350.0}
    assert {"prisoners-dilemma", "stag-hunt", "chicken", "harmony", "other"} <= set(crossing["game_type"])


def test_rows_agree_with_the_game_facade(baseline, crossing):
    """Every row against Game.game_type(), pure_equilibria(), critical_discount_factor(), social_optimum()."""
    names = list(baseline.player_names)
    for row in crossing.itertuples(index=False):
        values = dict(zip(CROSSING, row[:3]))
        g = baseline.with_values(values).build_game()
        assert row.game_type == g.game_type(), values
        pure = _labels(g, names)
        assert row.equilibria == (" | ".join(pure) if pure else "none pure"), values
        assert row.n_equilibria == len(pure)
        cd = g.critical_discount_factor()
        assert row.critical_delta == cd.binding
        assert row.binding_firm == names[cd.binding_player]
        so = g.social_optimum()
        assert row.welfare_optimum == pytest.approx(so.welfare, abs=1e-9)
        ws = [float(g.payoffs[e].sum()) for e in g.pure_equilibria()]
        if ws:
            assert row.welfare_equilibrium == pytest.approx(min(ws), abs=1e-9)
            assert row.welfare_gap == pytest.approx(so.welfare - min(ws), abs=1e-9)
        else:
            assert np.isnan(row.welfare_equilibrium)


def test_mixed_equilibria_of_identical_firms(baseline):
    firm = dict(capex=90.0, ocf=110.0, cash=50.0, debt=60.0, ebitda=120.0, market_value=2500.0)
    s = baseline.with_players([{"name": f"F{k}", **firm} for k in range(4)])
    axes = {"market.punishment": np.linspace(-0.005, 0.03, 8), "demand.profit_pool": np.linspace(0, 600, 9)}
    frame = sweep(s, axes)
    mixed_seen = 0
    for row in frame.itertuples(index=False):
        g = s.with_values({"market.punishment": row[0], "demand.profit_pool": row[1]}).build_game()
        assert is_symmetric(g.payoffs)
        probs = symmetric_mixed_equilibria(g.payoffs).probabilities
        got = [float(x.split()[1]) for x in row.equilibria.split(" | ") if x.startswith("mixed")]
        assert got == pytest.approx([round(p, 2) for p in probs], abs=1e-12)
        mixed_seen += bool(probs)
    assert mixed_seen > 0


def test_two_player_preset(baseline):
    s = load_preset("classroom-two-player")
    frame = sweep(s, grid_from_specs(["market.punishment=-0.005:0.03:8", "demand.profit_pool=0:600:7"], s))
    for row in frame.itertuples(index=False):
        g = s.with_values({"market.punishment": row[0], "demand.profit_pool": row[1]}).build_game()
        assert row.game_type == g.game_type()


def test_firm_field_axis(baseline):
    frame = sweep(baseline, {"players.Meta.capex": [40.0, 71.0, 130.0]})
    assert frame["players.Meta.capex"].tolist() == [40.0, 71.0, 130.0]
    g = baseline.with_values({"players.Meta.capex": 130.0}).build_game()
    assert frame["game_type"].iloc[-1] == g.game_type()


@pytest.mark.parametrize("axes, message", [
    ({"market.punishmnet": [0.0]}, "did you mean 'market.punishment'"),
    ({"players.Meta.capx": [1.0]}, "did you mean 'players.Meta.capex'"),
    ({"market.punishment": [0.0, 0.5]}, "outside the allowed range"),
    ({"market.punishment": []}, "empty axis"),
    ({"market.punishment": [np.nan]}, "finite"),
    ({}, "nothing to sweep"),
])
def test_bad_axes(baseline, axes, message):
    with pytest.raises(DilemmaError, match=message):
        sweep(baseline, axes)


def test_explicit_game_has_nothing_to_sweep():
    from dilemma.scenario import load_scenario
    from pathlib import Path

    game = load_scenario(Path(__file__).resolve().parent.parent / "configs" / "games" / "chicken.toml")
    with pytest.raises(DilemmaError, match="nothing to sweep"):
        sweep(game, {"market.punishment": [0.0]})


def test_size_cap(baseline):
    axes = {"market.punishment": np.linspace(0, 0.03, 3), "demand.profit_pool": np.linspace(100, 400, 4)}
    with pytest.raises(DilemmaError, match="above the sweep cap of 10"):
        sweep(baseline, axes, max_points=10)
    assert len(sweep(baseline, axes, max_points=10, force=True)) == 12
    assert DEFAULT_MAX_POINTS == 250_000


def test_progress_callback(baseline):
    calls = []
    sweep(baseline, {"market.punishment": [0.0, 0.01]}, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (2, 2)


# ---- Monte Carlo ------------------------------------------------------------
SIM = {"market.punishment": [0.0, 0.02], "demand.delay": [0.0, 2.0, 4.0]}


@pytest.fixture(scope="module")
def simulated(baseline):
    return sweep(baseline, SIM, strategies="grim-trigger", rounds=6, runs=60, seed=11)


def test_simulation_columns(baseline, simulated):
    cols = simulation_columns(baseline.player_names)
    assert list(simulated.columns) == list(SIM) + list(ANALYSIS_COLUMNS) + cols
    assert simulated["burst_frequency"].between(0, 1).all()
    lo, mid, hi = (simulated[f"value_Meta_p{q}"] for q in (5, 50, 95))
    assert (lo <= mid + 1e-6).all() and (mid <= hi + 1e-6).all()


def test_simulation_matches_monte_carlo_at_each_point(baseline, simulated):
    """Row k is monte_carlo at the point's values with SeedSequence(seed, spawn_key=(k,))."""
    from dilemma.repeated.montecarlo import monte_carlo

    points = grid_points({k: np.asarray(v) for k, v in SIM.items()})
    for k in (0, 4):
        s = baseline.with_values({p: float(points[p][k]) for p in SIM})
        mc = monte_carlo(s, "grim-trigger", years=6, runs=60, seed=np.random.SeedSequence(11).spawn(k + 1)[k],
                         percentiles=(5, 50, 95), variables=("market_value", "payoff"))
        assert simulated["burst_frequency"].iloc[k] == mc.burst_share[-1]
        assert simulated["value_Oracle_p50"].iloc[k] == mc.bands["market_value"][1, -1, 4]


def test_seed_per_point_not_per_chunk(baseline, simulated):
    for chunk in (1, 2, 5):
        again = sweep(baseline, SIM, strategies="grim-trigger", rounds=6, runs=60, seed=11, chunk_size=chunk)
        pd.testing.assert_frame_equal(again, simulated)
    other = sweep(baseline, SIM, strategies="grim-trigger", rounds=6, runs=60, seed=12)
    assert not other["value_total_mean"].equals(simulated["value_total_mean"])


def test_process_pool_gives_the_serial_table(baseline, simulated):
    pooled = sweep(baseline, SIM, strategies="grim-trigger", rounds=6, runs=60, seed=11, workers=2, chunk_size=2)
    pd.testing.assert_frame_equal(pooled, simulated)


def test_simulate_chunk_offsets_seed_by_grid_index(baseline):
    vals = np.array([[0.0, 2.0], [0.02, 2.0]])
    both = simulate_chunk(baseline, list(SIM), vals, 3, "grim-trigger", 4, 30, 5)
    second = simulate_chunk(baseline, list(SIM), vals[1:], 4, "grim-trigger", 4, 30, 5)
    np.testing.assert_array_equal(both[1], second[0])
    assert point_seed(5, 4).spawn_key == (4,)


@pytest.mark.parametrize("kwargs, message", [
    (dict(simulate=True), "name the strategies"),
    (dict(strategies="no-such-strategy"), "no-such-strategy"),
    (dict(strategies=["grim-trigger", "always-spend"]), "one strategy per firm"),
    (dict(strategies="grim-trigger", runs=0), "runs"),
    (dict(strategies="grim-trigger", rounds=0), "rounds"),
    (dict(strategies="grim-trigger", seed=-1), "seed"),
    (dict(strategies="grim-trigger", workers=0), "workers"),
    (dict(strategies="grim-trigger", simulate_options={"chunk": 3}), "simulate_options"),
    (dict(strategies="grim-trigger", simulate_options={"noise": 2}), "noise"),
])
def test_bad_simulation_settings(baseline, kwargs, message):
    with pytest.raises(DilemmaError, match=message):
        sweep(baseline, {"market.punishment": [0.0]}, **kwargs)


def test_simulation_size_cap(baseline):
    with pytest.raises(DilemmaError, match="Monte Carlo sweep cap"):
        sweep(baseline, {"market.punishment": np.linspace(0, 0.03, 30)}, strategies="grim-trigger",
              max_points=20)
