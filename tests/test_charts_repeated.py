"""Chart builders of repeated play, tournaments and evolution: the specs carry the expected data.

Every chart is checked with ``chart.to_dict()`` (Altair validates it against
the Vega-Lite schema); the values are read back from the spec's datasets.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dilemma import build_game, load_preset
from dilemma.charts import ACTION_COLORS
from dilemma.charts import repeated as rc
from dilemma.evolution import (ecology, replicator_horizon, replicator_inputs, replicator_trajectory, rest_points,
                               selection_w, simulate_fixation)
from dilemma.repeated import monte_carlo, play, round_robin, simulate_state

PD = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # Spend = 0, Cut = 1; R=3 S=0 T=5 P=1


def datasets(spec: dict) -> list[list[dict]]:
    return list(spec.get("datasets", {}).values())


def all_rows(spec: dict) -> list[dict]:
    return [row for rows in datasets(spec) for row in rows]


def marks(spec) -> list[str]:
    """Every mark type in a (layered / faceted) spec."""
    out = []
    if isinstance(spec, dict):
        if "mark" in spec:
            m = spec["mark"]
            out.append(m["type"] if isinstance(m, dict) else m)
        for v in spec.values():
            out += marks(v)
    elif isinstance(spec, list):
        for v in spec:
            out += marks(v)
    return out


def is_message(spec: dict) -> bool:
    return marks(spec) == ["text"] and any("message" in r for r in all_rows(spec))


@pytest.fixture(scope="module")
def baseline():
    return load_preset("2025-baseline")


@pytest.fixture(scope="module")
def classroom():
    return build_game(load_preset("classroom-two-player"))


@pytest.fixture(scope="module")
def state_run(baseline):
    # high burst risk so the run has a burst to mark
    s = baseline.with_values({"risk.burst_base": 0.4})
    return simulate_state(s, ["tit-for-tat", "always-spend", "grim-trigger", "random", "junk-forced"],
                          years=12, runs=1, seed=3)


# ---- one run ---------------------------------------------------------------------------


def test_play_frame_stateless_matches_the_engine():
    r = play(PD, ["tit-for-tat", "always-spend"], rounds=5, seed=0)
    f = rc.play_frame(r)
    assert list(f.columns[:7]) == ["year", "player", "strategy", "action", "role", "payoff", "cumulative"]
    assert f["year"].min() == 1 and f["year"].max() == 5
    tft = f[f.player == "Player 1"]
    assert tft.action.tolist() == ["Cut", "Spend", "Spend", "Spend", "Spend"]
    assert tft.strategy.iloc[0] == "Tit For Tat"
    np.testing.assert_allclose(tft.cumulative, np.cumsum(r.payoffs[0, :, 0]))


def test_action_raster_carries_actions_and_fixed_colours():
    r = play(PD, ["tit-for-tat", "always-spend"], rounds=4, seed=0)
    spec = rc.action_raster_chart(rc.play_frame(r)).to_dict()
    rows = all_rows(spec)
    assert {(row["year"], row["player"], row["action"]) for row in rows} >= {(1, "Player 1", "Cut"),
                                                                          (1, "Player 2", "Spend")}
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"])) == ACTION_COLORS


def test_upto_reveals_only_the_years_so_far(state_run):
    f = rc.play_frame(state_run, upto=3)
    assert sorted(f.year.unique()) == [1, 2, 3]
    spec = rc.cumulative_chart(f).to_dict()
    assert max(row["year"] for row in all_rows(spec) if "year" in row) == 3


def test_no_years_gives_a_message_not_an_empty_chart():
    r = play(PD, ["tit-for-tat", "always-spend"], rounds=3, seed=0)
    empty = rc.play_frame(r, upto=0)
    for chart in (rc.action_raster_chart(empty), rc.cumulative_chart(empty), rc.rating_chart(empty)):
        assert is_message(chart.to_dict())


def test_state_frame_and_burst_marker(state_run):
    f = rc.play_frame(state_run)
    for col in ("cash", "debt", "leases", "net_leverage", "rating", "market_value", "burst"):
        assert col in f
    assert set(f.rating) <= {"AA", "A", "BBB", "BB"}
    b = rc.burst_frame(f)
    burst_years = np.flatnonzero(state_run.world["burst"][0])
    assert len(b) == (1 if burst_years.size else 0)
    if burst_years.size:
        assert int(b.year.iloc[0]) == int(burst_years[0]) + 1
        spec = rc.cumulative_chart(f, b).to_dict()
        assert "rule" in marks(spec)
        assert any(str(row.get("label", "")).startswith("Bubble bursts") for row in all_rows(spec))


def test_burst_frame_empty_when_no_burst(baseline):
    s = baseline.with_values({"risk.burst_base": 0.0, "risk.burst_slope": 0.0})
    r = simulate_state(s, "always-cut", years=5, runs=1, seed=0)
    f = rc.play_frame(r)
    assert rc.burst_frame(f).empty
    rc.action_raster_chart(f, rc.burst_frame(f)).to_dict()


def test_balance_sheet_chart_is_faceted_per_firm(state_run):
    f = rc.play_frame(state_run)
    long = rc.balance_sheet_frame(f)
    assert set(long["item"]) == {"Cash", "Debt", "Leases and SPVs"}
    spec = rc.balance_sheet_chart(long, rc.burst_frame(f)).to_dict()
    assert spec["facet"]["field"] == "player"
    cash = [row["amount"] for row in all_rows(spec) if row["item"] == "Cash" and row["player"] == "Microsoft"]
    np.testing.assert_allclose(cash, state_run.cash[0, :, 0])


def test_balance_sheet_chart_stateless_says_why():
    r = play(PD, ["tit-for-tat", "always-spend"], rounds=3)
    assert is_message(rc.balance_sheet_chart(rc.balance_sheet_frame(rc.play_frame(r))).to_dict())
    assert is_message(rc.rating_chart(rc.play_frame(r)).to_dict())


def test_rating_chart_colours_tiers(state_run):
    spec = rc.rating_chart(rc.play_frame(state_run)).to_dict()
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["AA", "A", "BBB", "BB"]
    assert scale["range"] == [rc.RATING_COLORS[k] for k in scale["domain"]]


# ---- Monte Carlo -------------------------------------------------------------------------


def test_mc_bands_match_the_result(baseline):
    mc = monte_carlo(baseline, "tit-for-tat", years=6, runs=64, seed=1, variables=("cash", "payoff"))
    f = rc.mc_band_frame(mc, "cash")
    assert len(f) == 6 * 5
    assert (f.p5 <= f.p25 + 1e-9).all() and (f.p25 <= f.p50 + 1e-9).all() and (f.p75 <= f.p95 + 1e-9).all()
    np.testing.assert_allclose(f[f.player == "Meta"].p50, mc.bands["cash"][2, :, 3])
    spec = rc.band_chart(f, "Cash ($B)").to_dict()
    assert marks(spec).count("area") == 2 and "line" in marks(spec)
    assert spec["facet"]["field"] == "player"
    with pytest.raises(ValueError):
        rc.mc_band_frame(mc, "debt")
    b = rc.burst_share_frame(mc)
    np.testing.assert_allclose(b.share, mc.burst_share)
    spec = rc.burst_share_chart(b).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == [0, 1]


def test_play_bands_are_percentiles_of_sums():
    r = play(PD, ["random", "tit-for-tat"], rounds=8, runs=200, seed=2)
    f = rc.play_band_frame(r, cumulative=True)
    total = r.payoffs.sum(axis=1)            # (runs, N)
    last = f[(f.year == 8) & (f.player == "Player 1")].iloc[0]
    assert math.isclose(last.p50, float(np.percentile(total[:, 0], 50)))
    yearly = rc.play_band_frame(r, cumulative=False)
    assert math.isclose(yearly[(yearly.year == 1) & (yearly.player == "Player 2")].iloc[0]["mean"],
                        float(r.payoffs[:, 0, 1].mean()))
    rc.band_chart(f, "Value ($B)").to_dict()


def test_band_chart_nan_gives_message():
    f = pd.DataFrame({"year": [1], "player": ["A"], "mean": [np.nan], "p5": [np.nan], "p25": [np.nan],
                      "p50": [np.nan], "p75": [np.nan], "p95": [np.nan]})
    assert is_message(rc.band_chart(f, "x").to_dict())
    assert is_message(rc.band_chart(f.iloc[:0], "x").to_dict())


# ---- patience ---------------------------------------------------------------------------------


def test_discount_chart_marks_threshold_and_now():
    from dilemma.equilibria.grim import horizon_to_delta

    f = rc.horizon_frame(0.09)
    assert f.horizon.min() == 0.5 and f.horizon.max() == 100
    assert f.delta.is_monotonic_increasing and (f.delta < math.exp(-0.09)).all()
    d = horizon_to_delta(10, 0.09)
    spec = rc.discount_chart(f, 0.4, 10, d).to_dict()
    rows = all_rows(spec)
    assert any(row.get("label") == "Restraint needs δ ≥ 0.40" for row in rows)
    assert any(math.isclose(row.get("delta", -1), d) and row.get("horizon") == 10 for row in rows)
    # no threshold line when restraint can never hold
    spec = rc.discount_chart(f, math.inf, 10, d).to_dict()
    assert not any(str(row.get("label", "")).startswith("Restraint needs") for row in all_rows(spec))


# ---- tournament ---------------------------------------------------------------------------------


def test_pairwise_and_score_charts(classroom):
    t = round_robin(classroom, ["always-spend", "tit-for-tat", "always-cut"], rounds=10, self_play=True, seed=0)
    long = rc.pairwise_long_frame(t)
    assert len(long) == 9
    row = long[(long.strategy == "Always Spend") & (long.opponent == "Always Cut")].iloc[0]
    assert math.isclose(row.payoff, t.pairwise[0, 2])
    order = [rc.strategy_label(s) for s in t.ranking]
    spec = rc.pairwise_chart(long, order=order).to_dict()
    assert {r["strategy"] for r in all_rows(spec)} == {"Always Spend", "Tit For Tat", "Always Cut"}
    # rows "1. <first in the ranking>", columns by the same numbers
    rows = all_rows(spec)
    assert {(r["row"], r["col"]) for r in rows if r["strategy"] == order[0] and r["opponent"] == order[2]} \
        == {(f"1. {order[0]}", "3")}
    enc = spec["layer"][0]["encoding"]
    assert enc["x"]["sort"] == ["1", "2", "3"] and enc["y"]["sort"] == [f"{k + 1}. {s}" for k, s in enumerate(order)]
    # the numbers in the cells show only where a cell is at least 34 px wide
    assert spec["layer"][1]["mark"]["opacity"] == {"expr": "width / 3 >= 34 ? 1 : 0"}
    spec = rc.score_chart(t.frame).to_dict()
    names = [r["name"] for r in all_rows(spec)]
    assert names[0] == rc.strategy_label(t.ranking[0])
    assert spec["layer"][0]["encoding"]["y"]["sort"] == [rc.strategy_label(s) for s in t.ranking]


def test_pairwise_without_self_play_drops_the_diagonal(classroom):
    t = round_robin(classroom, ["always-spend", "tit-for-tat"], rounds=5)
    long = rc.pairwise_long_frame(t)
    assert len(long) == 2 and not (long.strategy == long.opponent).any()
    assert is_message(rc.pairwise_chart(long.iloc[:0]).to_dict())


def test_strategy_label():
    assert rc.strategy_label("tit-for-tat") == "Tit For Tat"
    assert rc.strategy_label("random:p=0.2") == "Random (p=0.2)"
    assert rc.strategy_label("nobody") == "nobody"


# ---- evolution ------------------------------------------------------------------------------------


def test_replicator_inputs_symmetric_and_average_firm(classroom, baseline):
    S, C, how = replicator_inputs(classroom)
    assert how == "symmetric" and len(S) == 2
    S5, C5, how5 = replicator_inputs(build_game(baseline))
    assert how5 == "average firm" and len(S5) == 5
    sch = build_game(baseline).schelling()
    assert math.isclose(S5[0], sch[sch.others_spending == 0].spend.mean())
    with pytest.raises(ValueError):
        from dilemma.scenario import CONFIG_DIR, load_scenario

        replicator_inputs(build_game(load_scenario(CONFIG_DIR / "games" / "rock-paper-scissors.toml")))


def test_replicator_chart_marks_rest_points_and_stability():
    S, C = np.array([1.0, 2.0]), np.array([2.0, 1.0])      # stag hunt: tipping point at 1/2
    t_max = replicator_horizon(S, C)
    assert t_max == 12.0
    traj = replicator_trajectory(S, C, x0=[0.2, 0.8], t_max=t_max, steps=20)
    rests = rest_points(S, C)
    spec = rc.replicator_chart(traj, rests).to_dict()
    rows = all_rows(spec)
    rp = {(r["x"], r["stability"]) for r in rows if "stability" in r}
    assert rp == {(0.0, "stable (the population settles here)"), (0.5, "unstable (a tipping point)"),
                  (1.0, "stable (the population settles here)")}
    assert {r["start"] for r in rows if "start" in r} == {"20%", "80%"}
    assert replicator_horizon([1.0], [1.0]) == 12.0


def test_fixation_chart_against_neutral(classroom):
    t = round_robin(classroom, ["always-spend", "tit-for-tat"], rounds=10, self_play=True, seed=0)
    w = selection_w(t.pairwise, 1.0)
    assert math.isclose(w, 1.0 / (t.pairwise.max() - t.pairwise.min()))
    assert selection_w(np.ones((2, 2)), 1.0) == 0.0
    sim = simulate_fixation(t.pairwise, 20, 0, 1, w=w, trials=500, seed=0)
    rows = [{"case": "one spender", "method": "Formula", "probability": sim["exact"], "ci_low": sim["exact"],
             "ci_high": sim["exact"]},
            {"case": "one spender", "method": "Simulation", "probability": sim["estimate"],
             "ci_low": sim["ci_low"], "ci_high": sim["ci_high"]}]
    spec = rc.fixation_chart(rc.fixation_frame(rows), 20).to_dict()
    data = all_rows(spec)
    assert any(math.isclose(r.get("p", -1), 1 / 20) for r in data)
    assert any(r.get("method") == "Formula" and math.isclose(r["probability"], sim["exact"]) for r in data)
    assert is_message(rc.fixation_chart(rc.fixation_frame([]), 20).to_dict())


def test_ecology_chart_stacks_counts(classroom):
    frame = ecology(classroom, {"always-spend": 4, "tit-for-tat": 4, "always-cut": 4}, generations=5, k=2, seed=0)
    spec = rc.ecology_chart(frame).to_dict()
    assert spec["encoding"]["y"]["stack"] == "zero"
    rows = all_rows(spec)
    for g in range(6):
        assert sum(r["count"] for r in rows if r["generation"] == g) == 12
    assert {r["name"] for r in rows} == {"Always Spend", "Tit For Tat", "Always Cut"}
    assert is_message(rc.ecology_chart(frame.iloc[:0]).to_dict())


def test_total_years_keeps_the_axis_fixed_while_stepping(state_run):
    f = rc.play_frame(state_run, upto=2)
    spec = rc.action_raster_chart(f, total_years=12).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == list(range(1, 13))
    spec = rc.cumulative_chart(f, total_years=12).to_dict()
    assert spec["layer"][1]["encoding"]["x"]["scale"]["domain"] == [1, 12]
    spec = rc.rating_chart(f, total_years=12).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == list(range(1, 13))


def test_raster_of_a_game_with_other_action_names():
    from dilemma.scenario import CONFIG_DIR, load_scenario

    g = build_game(load_scenario(CONFIG_DIR / "games" / "volunteers-dilemma-4.toml"))
    r = play(g, ["always-spend", "always-cut", "tit-for-tat", "tit-for-tat"], rounds=3)
    f = rc.play_frame(r)
    # no action is named Spend or Cut, so the roles are inferred from the payoffs: all
    # volunteering (3 each) beats all waiting (0 each) for every firm, so Volunteer is
    # the cooperative action (Cut) and Wait the defecting one (Spend)
    assert set(zip(f.action, f.role)) == {("Wait", "Spend"), ("Volunteer", "Cut")}
    scale = rc.action_raster_chart(f).to_dict()["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Wait", "Volunteer"]
    assert scale["range"] == [ACTION_COLORS["Spend"], ACTION_COLORS["Cut"]]


def test_evolution_charts_carry_no_nan(classroom):
    frame = ecology(classroom, {"always-spend": 4, "always-cut": 4}, generations=6, k=2, seed=0)
    assert frame["mean_score"].isna().any()          # extinct strategies / last generation
    rows = all_rows(rc.ecology_chart(frame).to_dict())
    assert all("mean_score" not in r for r in rows)
    S, C = np.array([1.0, 1.0]), np.array([1.0, 1.0])  # flat: a neutral rest point (stable is None)
    spec = rc.replicator_chart(replicator_trajectory(S, C, x0=[0.5], steps=5), rest_points(S, C)).to_dict()
    for r in all_rows(spec):
        assert all(v is not None and not (isinstance(v, float) and math.isnan(v)) for v in r.values())


def test_raster_marks_mistakes_with_a_legend_entry():
    # noise 1.0: every move is a mistake (always-cut plays Spend, always-spend plays Cut)
    r = play(PD, ["always-cut", "always-spend"], rounds=3, noise=1.0, seed=0)
    f = rc.play_frame(r)
    assert f["flipped"].all() and f[f.player == "Player 1"].action.tolist() == ["Spend"] * 3
    spec = rc.action_raster_chart(f).to_dict()
    marks = [layer for layer in spec["layer"] if "shape" in layer.get("encoding", {})]
    assert len(marks) == 1
    shape = marks[0]["encoding"]["shape"]["scale"]
    assert shape == {"domain": ["a mistake (the firm meant the other move)"], "range": [rc.MISTAKE_SHAPE]}
    flagged = [row for row in all_rows(spec) if row.get("mark") == rc.MISTAKE_LABEL]
    assert sorted((row["year"], row["player"]) for row in flagged) == [
        (y, p) for y in (1, 2, 3) for p in ("Player 1", "Player 2")]
    # no noise: no mistake layer, every row carries flipped = False
    quiet = rc.play_frame(play(PD, ["always-cut", "always-spend"], rounds=3, seed=0))
    assert not quiet["flipped"].any()
    assert not [lay for lay in rc.action_raster_chart(quiet).to_dict()["layer"] if "shape" in lay.get("encoding", {})]


def test_state_frame_carries_the_mistakes():
    r = simulate_state(load_preset("2025-baseline"), "always-cut", years=6, runs=1, seed=9, noise=0.3)
    f = rc.play_frame(r)
    assert f["flipped"].sum() == r.flipped[0].sum() > 0
    assert (f.loc[f["flipped"], "action"] == "Spend").all()       # always-cut: a mistake is a Spend


def test_ecology_chart_of_500_generations_stays_under_altairs_row_limit(classroom):
    # all twelve stateless strategies, 500 generations: 6,012 rows, over Altair's 5,000
    from dilemma.repeated.strategies import STRATEGIES

    pool = {s: 2 for s, cls in STRATEGIES.items() if not cls.needs_state}
    frame = ecology(classroom, pool, generations=500, k=2, rounds=5, seed=0)
    assert len(frame) > 5000
    spec = rc.ecology_chart(frame).to_dict()          # raises MaxRowsError if the frame went in whole
    rows = all_rows(spec)
    assert len(rows) <= rc.ECOLOGY_MAX_ROWS
    shown = sorted({r["generation"] for r in rows})
    assert shown[0] == 0 and shown[-1] == 500
    stride = shown[1] - shown[0]
    assert all(b - a == stride for a, b in zip(shown[:-2], shown[1:-1]))
    # kept generations are exact: every one adds up to the population, and equals the engine's counts
    total = sum(pool.values())
    for g in shown[::25]:
        assert sum(r["count"] for r in rows if r["generation"] == g) == total
    mid = shown[len(shown) // 2]
    engine = frame[frame.generation == mid].set_index("strategy")["count"]
    assert {r["strategy"]: r["count"] for r in rows if r["generation"] == mid} == engine.to_dict()
