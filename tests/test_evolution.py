"""Evolution: replicator rest points vs the Schelling diagram, Moran fixation, ecology."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import _hypothesis_profile  # noqa: F401  (tests/: derandomized Hypothesis profile in CI)
from hypothesis import given, settings
from hypothesis import strategies as hs

from dilemma import evolution as ev
from dilemma.errors import ParameterError


def symmetric_game(S, C):
    """N-player game from a Schelling diagram (index 0 Spend, 1 Cut)."""
    n = len(S)
    g = np.zeros((2,) * n + (n,))
    for prof in itertools.product((0, 1), repeat=n):
        for i, a in enumerate(prof):
            j = sum(1 for k, b in enumerate(prof) if k != i and b == 0)
            g[prof + (i,)] = S[j] if a == 0 else C[j]
    return g


def test_schelling_arrays_roundtrip_and_asymmetry():
    S, C = [4.0, 2.0, 1.0], [3.0, 1.5, -2.0]
    s, c = ev.schelling_arrays(symmetric_game(S, C))
    assert s.tolist() == S and c.tolist() == C
    g = symmetric_game(S, C)
    g[0, 0, 0, 1] += 1.0
    with pytest.raises(ParameterError, match="symmetric"):
        ev.schelling_arrays(g)


@pytest.mark.parametrize("S,C,expected", [
    ([5.0, 1.0], [3.0, 0.0], [(0.0, False), (1.0, True)]),                 # PD: all spend
    ([1.0, 2.0], [2.0, 1.0], [(0.0, True), (0.5, False), (1.0, True)]),     # stag hunt
    ([3.0, 0.0], [1.0, 1.0], [(0.0, False), (2 / 3, True), (1.0, False)]),  # chicken
    ([0.0, -1.0], [1.0, 0.5], [(0.0, True), (1.0, False)]),                 # no dilemma, bust
])
def test_rest_points_two_player(S, C, expected):
    rp = ev.rest_points(S, C)
    got = list(zip(rp.x.round(9), rp.stable))
    assert [(round(x, 9), s) for x, s in expected] == got


@settings(max_examples=60, deadline=None)
@given(delta=hs.lists(hs.floats(-10, 10, allow_nan=False).filter(lambda v: abs(v) > 1e-3), min_size=2, max_size=6))
def test_rest_points_match_sign_changes(delta):
    """Interior rest points <-> sign changes of g(x); stability alternates with the signs."""
    delta = np.array(delta)
    S, C = delta, np.zeros_like(delta)
    rp = ev.rest_points(S, C)
    interior = rp[rp.kind == "interior"].x.to_numpy()
    xs = np.linspace(1e-6, 1 - 1e-6, 20001)
    g = ev.expected_gain(xs, S, C)
    crossings = np.nonzero(np.sign(g[:-1]) != np.sign(g[1:]))[0]
    # every grid sign change has an interior rest point next to it
    for k in crossings:
        assert np.min(np.abs(interior - xs[k])) < 1e-3
    # boundaries: all-cut stable iff Delta(0) < 0; all-spend stable iff Delta(N-1) > 0
    assert rp.iloc[0].stable == (delta[0] < 0)
    assert rp.iloc[-1].stable == (delta[-1] > 0)
    # Descartes: at most (sign changes of Delta) interior roots
    assert len(interior) <= int(np.sum(np.sign(delta[:-1]) != np.sign(delta[1:])))
    # simple interior roots are stable iff g goes from + to -
    for _, row in rp[rp.kind == "interior"].iterrows():
        left, right = ev.expected_gain(row.x - 1e-5, S, C), ev.expected_gain(row.x + 1e-5, S, C)
        if left * right < 0:
            assert row.stable == (left > 0 > right)


def test_replicator_trajectory_converges_to_stable_points():
    S, C = [1.0, 2.0], [2.0, 1.0]          # stag hunt, tipping at 1/2
    df = ev.replicator_trajectory(S, C, x0=[0.4, 0.6], t_max=40)
    end = df.groupby("x0").x.last()
    assert end.loc[0.4] < 1e-3 and end.loc[0.6] > 1 - 1e-3
    assert set(df.columns) == {"x0", "time", "x", "gain"}


def test_discrete_replicator_from_tournament():
    from dilemma.repeated.tournament import round_robin

    pd = np.empty((2, 2, 2))
    pd[1, 1], pd[1, 0], pd[0, 1], pd[0, 0] = (3, 3), (0, 5), (5, 0), (1, 1)
    t = round_robin(pd, ["always-spend", "tit-for-tat", "always-cut"], rounds=20, self_play=True)
    df = ev.discrete_replicator(t, x0=[0.1, 0.45, 0.45], generations=300)
    last = df[df.generation == 300].set_index("strategy").share
    assert last["always-spend"] < 0.01 and abs(last.sum() - 1) < 1e-12
    with pytest.raises(ParameterError, match="self_play"):
        ev.discrete_replicator(round_robin(pd, ["always-spend", "tit-for-tat"], rounds=5))


def test_neutral_fixation_is_one_over_n():
    A = [[-3.0, -3.0], [-3.0, -3.0]]                   # negative payoffs are fine
    for n in (5, 10, 20):
        res = ev.simulate_fixation(A, n, w=2.0, trials=20000, seed=n)
        assert res["exact"] == pytest.approx(1 / n)
        assert res["ci_low"] <= 1 / n <= res["ci_high"]
    # w = 0 is neutral whatever the payoffs
    assert ev.fixation_probability([[5, -7], [2, 0]], 8, w=0) == pytest.approx(1 / 8)


def test_fixation_simulation_matches_closed_form_with_negative_payoffs():
    A = np.array([[-1.0, -4.0], [1.0, -2.0]])          # capex-like PD, all negative-ish
    for mutant, resident in ((1, 0), (0, 1)):
        res = ev.simulate_fixation(A, 12, mutant, resident, w=0.5, trials=20000, seed=1)
        assert res["ci_low"] - 0.005 <= res["exact"] <= res["ci_high"] + 0.005
    # k-type vectorised process agrees with the 2-type closed form
    probs = ev.fixation_probabilities(A, [1] + [0] * 9, repetitions=4000, w=0.5, seed=2)
    exact = ev.fixation_probability(A, 10, mutant=1, resident=0, w=0.5)
    se = math.sqrt(exact * (1 - exact) / 4000)
    assert abs(probs[1] - exact) < 4 * se and probs.sum() == pytest.approx(1.0)


def test_linear_fitness_refuses_negative_fitness():
    with pytest.raises(ParameterError) as exc:
        ev.fixation_probability([[-3, -3], [-3, -3]], 5, w=0.5, fitness="linear")
    # 1 - w + w*payoff = 1 - 0.5 - 1.5 = -1 < 0 at the lowest payoff -3
    assert str(exc.value) == ("w: must be small enough that linear fitness 1 - w + w*payoff stays positive "
                              "(lowest payoff -3); or use fitness='exp', got 0.5")
    assert ev.fixation_probability([[1, 1], [1, 1]], 5, w=0.5, fitness="linear") == pytest.approx(0.2)
    with pytest.raises(ParameterError):
        ev.fixation_probability([[1, 1], [1, 1]], 5, fitness="cubic")
    with pytest.raises(ParameterError):
        ev.fixation_probability([[1, 1], [1, 1]], 1)


def test_moran_process_reaches_fixation_and_is_seeded():
    A = [[-1.0, -4.0], [1.0, -2.0]]
    a = ev.moran_process(A, [0, 0, 0, 1, 1, 1], seed=4)
    b = ev.moran_process(A, [0, 0, 0, 1, 1, 1], seed=4)
    assert a.equals(b)
    last = a[a.generation == a.generation.max()]
    assert sorted(last["count"].tolist()) == [0, 6]


def test_ecology_trust():
    pd = np.empty((2, 2, 2))
    pd[1, 1], pd[1, 0], pd[0, 1], pd[0, 0] = (2, 2), (-1, 3), (3, -1), (0, 0)   # Nicky Case's payoffs
    pop = {"always-cut": 15, "always-spend": 5, "tit-for-tat": 5}
    df = ev.ecology(pd, pop, generations=15, k=5, rounds=10, seed=1)
    assert df.groupby("generation")["count"].sum().eq(25).all()
    end = df[df.generation == 15].set_index("strategy")["count"]
    assert end["tit-for-tat"] == 25
    again = ev.ecology(pd, pop, generations=15, k=5, rounds=10, seed=1)
    assert df.equals(again)
    with pytest.raises(ParameterError) as exc:
        ev.ecology(pd, pop, k=20)
    # 15 + 5 + 5 = 25 individuals: at most 12 can meet in pairs each generation
    assert str(exc.value) == "k: must be a whole number between 1 and 12 (half the population), got 20"


# ---- the reading of a game for the dynamics (moved from dilemma.charts.repeated) -------------------


def test_replicator_inputs_average_firm_by_hand():
    from dilemma import Game

    # row firm: S = (5, 1), C = (3, 0); column firm: S = (7, 1), C = (3, 0) (j = others spending)
    g = Game.from_arrays([[1, 5], [0, 3]], [[1, 0], [7, 3]], actions=[["Spend", "Cut"]] * 2)
    S, C, how = ev.replicator_inputs(g)
    assert (S.tolist(), C.tolist(), how) == ([6.0, 1.0], [3.0, 0.0], "average firm")
    three = Game.from_arrays([[1, 5, 2], [0, 3, 2], [1, 1, 1]], [[1, 0, 1], [7, 3, 1], [1, 1, 1]])
    with pytest.raises(ParameterError) as exc:
        ev.replicator_inputs(three)
    assert str(exc.value) == ("game: must be a game with two actions per player (Spend and Cut) for the "
                              "replicator dynamics, got [3, 3]")


def test_replicator_horizon_scales_with_the_largest_gap():
    assert ev.replicator_horizon([31.0, 0.0], [1.0, 10.0]) == pytest.approx(12 / 30)   # gaps 30 and -10
    assert ev.replicator_horizon([2.0, 2.0], [2.0, 2.0], speed=5.0) == 5.0              # flat: no gap


def test_stability_of_reads_rest_points():
    rp = ev.rest_points([3.0, 0.0], [1.0, 1.0])           # chicken: Delta = (2, -1), stable mix at 2/3
    assert [ev.stability_of(s) for s in rp.stable] == ["unstable", "stable", "unstable"]
    flat = ev.rest_points([1.0, 1.0], [1.0, 1.0])
    assert [ev.stability_of(s) for s in flat.stable] == ["neutral", "neutral"]


def test_selection_w_makes_the_best_e_times_fitter():
    A = np.array([[np.nan, 2.0], [4.0, 0.0]])              # no self-play: the diagonal NaN is ignored
    w = ev.selection_w(A, 1.0)
    assert w == 0.25
    assert ev.moran_fitness(4.0, w) / ev.moran_fitness(0.0, w) == pytest.approx(math.e)
    assert ev.selection_w(A, 0.0) == 0.0                   # neutral drift
    assert ev.selection_w(np.full((2, 2), 3.0), 1.0) == 0.0


def test_fixation_two_individuals_by_hand():
    # N = 2, one mutant meets only the resident: rho = f / (f + g) = 1 / (1 + e^{w (c - b)})
    A = [[0.0, 1.0], [3.0, 0.0]]                           # b = A[M, R] = 1, c = A[R, M] = 3
    assert ev.fixation_probability(A, 2, mutant=0, resident=1, w=1.0) == pytest.approx(1 / (1 + math.e ** 2))
    # linear fitness: f = 1 - w + w b, g = 1 - w + w c
    f, g = 1 - 0.2 + 0.2 * 1, 1 - 0.2 + 0.2 * 3
    assert ev.fixation_probability(A, 2, 0, 1, w=0.2, fitness="linear") == pytest.approx(f / (f + g))


def test_package_reexports_each_name_from_one_module():
    import importlib

    mods = ["replicator", "discrete", "moran", "ecology"]
    owners = {}
    for m in mods:
        module = importlib.import_module(f"dilemma.evolution.{m}")
        for name in module.__all__:
            assert name not in owners, f"{name} in {owners.get(name)} and {m}"
            owners[name] = m
            assert getattr(ev, name) is getattr(module, name)
    assert sorted(owners) == sorted(ev.__all__)
