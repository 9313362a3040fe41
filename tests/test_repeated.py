"""Stateless engine: validation, seeds, noise, discounting, bounds; critical discount factors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import _hypothesis_profile  # noqa: F401  (tests/: derandomized Hypothesis profile in CI)
from hypothesis import given, settings
from hypothesis import strategies as hs

from dilemma.errors import ParameterError
from dilemma.repeated import thresholds as folk
from dilemma.repeated.engine import play
from dilemma.repeated.strategies import CLASSICS, Strategy

from spendcut import pd_array  # noqa: E402  (tests/ helper module)


class FakeGame:
    def __init__(self, payoffs, players=None, actions=None):
        self.payoffs = payoffs
        self.players = players or [f"F{i}" for i in range(payoffs.shape[-1])]
        self.actions = actions or [["Spend", "Cut"]] * payoffs.shape[-1]


@pytest.mark.parametrize("kw,field", [
    ({"rounds": 0}, "rounds"), ({"rounds": -3}, "rounds"), ({"rounds": 2.5}, "rounds"),
    ({"noise": -0.1}, "noise"), ({"noise": 1.5}, "noise"),
    ({"discount": 0.0}, "discount"), ({"discount": 1.2}, "discount"),
    ({"runs": 0}, "runs"), ({"seed": -1}, "seed"), ({"seed": "x"}, "seed"),
])
def test_validation(kw, field):
    args = {"rounds": 5, **kw}
    with pytest.raises(ParameterError) as exc:
        play(pd_array(), ["tit-for-tat", "tit-for-tat"], **args)
    assert str(exc.value).startswith(field)


def test_strategy_count_and_unknown_names():
    with pytest.raises(ParameterError) as exc:
        play(pd_array(), ["tit-for-tat"], rounds=3)
    assert str(exc.value) == "strategies: must be one strategy per player (2 for this game), got 1"
    with pytest.raises(ParameterError) as exc:
        play(pd_array(), ["tit-for-tat", "saint"], rounds=3)
    assert str(exc.value) == (
        "strategy: must be one of always-spend, always-cut, tit-for-tat, suspicious-tit-for-tat, tit-for-two-tats, "
        "grim-trigger, win-stay-lose-shift, alternator, generous-tit-for-tat, random, leverage-rule, junk-forced, "
        "myopic-best-response, logit-responder, follow-the-majority, got 'saint'")
    with pytest.raises(ParameterError) as exc:
        play(np.zeros((3, 2, 2)), ["tit-for-tat", "tit-for-tat"], rounds=3)
    assert str(exc.value) == ("game: must be a Spend/Cut game: two actions per player, payoffs of shape (2,)*N + (N,), "
                              "got (3, 2, 2)")


def test_game_like_object_and_flipped_action_order():
    g = FakeGame(pd_array(), players=["A", "B"])
    r = play(g, ["always-cut", "always-spend"], rounds=3)
    assert r.players == ["A", "B"] and r.totals[0].tolist() == [0.0, 15.0]
    flipped = FakeGame(pd_array()[::-1, ::-1], actions=[["Cut", "Spend"]] * 2)
    r2 = play(flipped, ["always-cut", "always-spend"], rounds=3)
    assert r2.totals[0].tolist() == [0.0, 15.0]
    assert r2.action_names()[0][0] == ["Cut", "Spend"]


def test_seeds_reproduce_and_differ():
    args = (pd_array(), ["random", "generous-tit-for-tat"])
    a = play(*args, rounds=50, runs=20, noise=0.1, seed=42)
    b = play(*args, rounds=50, runs=20, noise=0.1, seed=42)
    c = play(*args, rounds=50, runs=20, noise=0.1, seed=43)
    assert np.array_equal(a.actions, b.actions) and np.array_equal(a.payoffs, b.payoffs)
    assert not np.array_equal(a.actions, c.actions)
    rng = np.random.default_rng(5)
    d = play(*args, rounds=50, runs=3, seed=rng)
    e = play(*args, rounds=50, runs=3, seed=np.random.default_rng(5))
    assert np.array_equal(d.actions, e.actions)
    # seed=None is recorded and can be replayed
    f = play(*args, rounds=30, runs=2)
    g = play(*args, rounds=30, runs=2, seed=f.seed_entropy)
    assert np.array_equal(f.actions, g.actions)


def test_noise_flips_at_the_given_rate():
    r = play(pd_array(), ["always-cut", "always-spend"], rounds=500, runs=20, noise=0.2, seed=1)
    flips = np.concatenate([(r.actions[..., 0] == 0).ravel(), (r.actions[..., 1] == 1).ravel()])
    assert abs(flips.mean() - 0.2) < 0.01
    full = play(pd_array(), ["always-cut", "always-spend"], rounds=10, noise=1.0)
    assert (full.actions[0] == [0, 1]).all()


def test_noise_is_seen_by_strategies():
    # grim trigger against always-cut with noise: once the cutter's move flips, grim spends forever
    r = play(pd_array(), ["grim-trigger", "always-cut"], rounds=200, noise=0.05, seed=3)
    seq = r.actions[0]
    first = np.argmax(seq[:, 1] == 0)
    assert seq[:, 1].min() == 0
    intended_spend = seq[first + 1:, 0]
    assert (intended_spend == 0).mean() > 0.85     # spends (up to its own noise)


def test_discounting():
    r = play(pd_array(), ["always-spend", "always-cut"], rounds=4, discount=0.5)
    assert r.discounted_totals[0].tolist() == pytest.approx([5 * (1 + 0.5 + 0.25 + 0.125), 0.0])
    assert r.totals[0].tolist() == [20.0, 0.0]
    df = r.frame
    assert list(df.columns[:6]) == ["run", "round", "player", "strategy", "action", "cut"]
    assert len(df) == 8 and df.discounted_payoff.sum() == pytest.approx(r.discounted_totals.sum())


def test_summary_of_many_runs():
    r = play(pd_array(), ["random", "tit-for-tat"], rounds=6, runs=400, seed=2)
    s = r.summary()
    assert s["mean"].shape == (6, 2) and s["p5"].shape == (6, 2)
    assert np.all(s["p5"] <= s["p50"]) and np.all(s["p50"] <= s["p95"])
    assert abs(s["share_spending"][:, 0].mean() - 0.5) < 0.06
    d = r.to_dict()
    assert len(d["summary"]) == 12 and {"mean", "p95", "share_spending"} <= set(d["summary"][0])
    assert len(r.summary_frame()) == 12


@settings(max_examples=40, deadline=None)
@given(pays=hs.lists(hs.floats(-100, 100, allow_nan=False), min_size=8, max_size=8),
       a=hs.sampled_from(CLASSICS), b=hs.sampled_from(CLASSICS),
       noise=hs.sampled_from([0.0, 0.1]), seed=hs.integers(0, 2**32))
def test_average_payoffs_within_stage_bounds(pays, a, b, noise, seed):
    g = np.array(pays).reshape(2, 2, 2)
    r = play(g, [a, b], rounds=25, runs=3, noise=noise, seed=seed)
    lo, hi = g.min(axis=(0, 1)), g.max(axis=(0, 1))
    avg = r.mean_payoffs
    assert np.all(avg >= lo - 1e-9) and np.all(avg <= hi + 1e-9)


def test_three_player_profile_indexing():
    g = np.arange(2 * 2 * 2 * 3, dtype=float).reshape(2, 2, 2, 3)
    r = play(g, ["always-spend", "always-cut", "alternator"], rounds=2)
    assert r.payoffs[0, 0].tolist() == g[0, 1, 1].tolist()
    assert r.payoffs[0, 1].tolist() == g[0, 1, 0].tolist()


class DeviateOnce(Strategy):
    """Spend in round 0, then cut forever (a test deviator).

    Names:

    - test only
    """

    name = "deviate-once"

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        return self._const(t > 0)


def _disc(strats, delta, rounds=400):
    return play(pd_array(), strats, rounds=rounds, discount=delta).discounted_totals[0, 0]


@pytest.mark.parametrize("strategy,deviators", [
    ("grim-trigger", ["always-spend"]),
    ("tit-for-tat", ["always-spend", DeviateOnce()]),
    ("win-stay-lose-shift", ["always-spend", DeviateOnce()]),
])
def test_critical_discount_matches_simulated_deviations(strategy, deviators):
    R_, S_, T_, P_ = 3.0, 0.0, 5.0, 0.5          # WSLS threshold (T-R)/(R-P) = 0.8 < 1
    game = pd_array(R_, S_, T_, P_)
    d = folk.critical_discount(strategy, R_, S_, T_, P_)
    assert 0 < d < 1
    for delta, should_pay in ((d - 0.03, True), (min(d + 0.03, 0.99), False)):
        conform = play(game, [strategy, strategy], rounds=600, discount=delta).discounted_totals[0, 0]
        best_dev = max(play(game, [dev, strategy], rounds=600, discount=delta).discounted_totals[0, 0]
                       for dev in deviators)
        assert (best_dev > conform) == should_pay, (strategy, delta, best_dev, conform)


def test_critical_discount_values_and_edges():
    assert folk.critical_discount("grim-trigger", 3, 0, 5, 1) == 0.5
    assert folk.critical_discount("tit-for-tat", 3, 0, 5, 1) == pytest.approx(2 / 3)
    assert folk.critical_discount("generous-tit-for-tat", 3, 0, 5, 1, generosity=0) == pytest.approx(2 / 3)
    assert folk.critical_discount("generous-tit-for-tat", 3, 0, 5, 1) == pytest.approx(1.0)   # q = 1/3
    assert folk.critical_discount("tit-for-two-tats", 3, 0, 5, 1) == math.inf
    assert folk.critical_discount("grim-trigger", 3, 0, 2, 1) == 0.0          # T <= R: no temptation
    assert folk.critical_discount("grim-trigger", 1, 0, 5, 3) == math.inf    # R <= P: no punishment
    assert math.isnan(folk.critical_discount("alternator", 3, 0, 5, 1))
    with pytest.raises(ParameterError):
        folk.critical_discount("saint", 3, 0, 5, 1)
    t = folk.critical_discount_table(pd_array())
    row = t.set_index("strategy").loc["grim-trigger"]
    assert row.delta_star == 0.5 and row.sustainable
    assert set(folk.FORMULAS) == set(t.strategy)


def test_flipped_records_the_mistakes_by_hand():
    # always-cut against always-spend: with noise 1.0 every intended move flips, so every move is a mistake
    full = play(pd_array(), ["always-cut", "always-spend"], rounds=4, runs=2, noise=1.0, seed=7)
    assert full.flipped.shape == full.actions.shape and full.flipped.dtype == bool
    assert full.flipped.all() and (full.actions == [0, 1]).all()
    none = play(pd_array(), ["always-cut", "always-spend"], rounds=4, runs=2, noise=0.0, seed=7)
    assert not none.flipped.any() and (none.actions == [1, 0]).all()
    # for fixed strategies a move is a mistake exactly when it differs from the intended one
    some = play(pd_array(), ["always-cut", "always-spend"], rounds=200, runs=3, noise=0.3, seed=11)
    assert np.array_equal(some.flipped, some.actions != np.array([1, 0]))
    assert some.frame["flipped"].sum() == some.flipped.sum()


def test_flipped_follows_the_documented_noise_stream():
    # the noise generator is child N of SeedSequence(seed).spawn(N + 1); one draw of shape (runs, N) a round.
    # Recording the flips draws nothing extra: redrawing that stream by hand gives the same flips.
    seed, runs, rounds, noise = 2024, 5, 30, 0.2
    r = play(pd_array(), ["always-cut", "always-spend"], rounds=rounds, runs=runs, noise=noise, seed=seed)
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(3)[2])
    expected = np.stack([rng.random((runs, 2)) < noise for _ in range(rounds)], axis=1)
    assert np.array_equal(r.flipped, expected)
    again = play(pd_array(), ["always-cut", "always-spend"], rounds=rounds, runs=runs, noise=noise, seed=seed)
    assert np.array_equal(r.flipped, again.flipped) and np.array_equal(r.actions, again.actions)
