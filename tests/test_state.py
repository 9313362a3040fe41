"""State-carrying engine and Monte Carlo: cash conservation, ratings, bursts, seeds."""

from __future__ import annotations

import numpy as np
import pytest

from dilemma.errors import ParameterError
from dilemma.repeated.montecarlo import monte_carlo
from dilemma.repeated.state import LEDGER_SOURCES, LEDGER_USES, rating_of, simulate_state
from dilemma.scenario import load_preset


@pytest.fixture(scope="module")
def baseline():
    return load_preset("2025-baseline")


@pytest.mark.parametrize("preset", ["2025-baseline", "cash-flows-delayed-2028", "efficiency-shock", "openai-fails"])
@pytest.mark.parametrize("strategies", ["always-spend", "always-cut", "leverage-rule", "logit-responder"])
def test_cash_is_conserved_every_year(preset, strategies):
    r = simulate_state(load_preset(preset), strategies, years=12, runs=64, seed=5, noise=0.05)
    src = sum(r.ledger[k] for k in LEDGER_SOURCES)
    use = sum(r.ledger[k] for k in LEDGER_USES)
    assert np.allclose(src, use, rtol=0, atol=1e-9 * (1 + np.abs(src).max()))
    # the ledger ties to the balance sheet: delta_cash is the change in cash
    cash0 = np.array([p.cash for p in load_preset(preset).players])
    assert np.allclose(np.diff(np.concatenate([np.broadcast_to(cash0, (64, 1, len(cash0))), r.cash], axis=1), axis=1),
                       r.ledger["delta_cash"])
    assert (r.cash >= -1e-9).all()


def test_ratings_and_forced_cut(baseline):
    assert rating_of([0.0, 1.0, 1.01, 2.0, 3.9, 4.0, 4.01]).tolist() == [0, 0, 1, 1, 2, 2, 3]
    r = simulate_state(baseline, "always-spend", years=8, runs=50, seed=2)
    # a firm rated BB at the end of year t cuts in year t+1 although its strategy spends
    bb = r.rating[:, :-1] == 3
    assert bb.any()
    assert not r.spend[:, 1:][bb].any()
    assert r.spend[:, 1:][~bb].all()


def test_burst_is_absorbing_and_cuts_the_pool(baseline):
    r = simulate_state(baseline, "always-spend", years=15, runs=400, seed=8)
    b = r.burst
    assert (np.diff(b.astype(int), axis=1) >= 0).all()            # once burst, stays burst
    assert 0 < b[:, -1].mean() < 1
    grew = r.profit_pool[:, 1:] / r.profit_pool[:, :-1]
    g = baseline.value("dynamics.demand_growth")
    assert np.allclose(grew[b[:, :-1]], 1.0)                      # no growth after a burst
    assert np.allclose(grew[~b[:, 1:]], 1 + g)                    # growth until a burst


def test_capacity_earns_after_delay():
    sc = load_preset("cash-flows-delayed-2028")
    L = int(round(sc.value("demand.delay")))
    r = simulate_state(sc, "always-spend", years=L + 2, runs=10, seed=1)
    assert (r.ai_income[:, :L] == 0).all() and (r.ai_income[:, L] > 0).all()
    assert (r.capacity[:, :L] == 0).all()


def test_seeds(baseline):
    a = simulate_state(baseline, "logit-responder", years=6, runs=30, seed=1)
    b = simulate_state(baseline, "logit-responder", years=6, runs=30, seed=1)
    c = simulate_state(baseline, "logit-responder", years=6, runs=30, seed=2)
    assert np.array_equal(a.cash, b.cash) and np.array_equal(a.spend, b.spend)
    assert not np.array_equal(a.spend, c.spend)


def test_state_strategies_react(baseline):
    tight = simulate_state(baseline, "leverage-rule:threshold=-10", years=3, runs=5, seed=1)
    assert not tight.spend.any()
    loose = simulate_state(baseline, "leverage-rule:threshold=20", years=3, runs=5, seed=1)
    assert loose.spend[:, 0].all()
    myopic = simulate_state(baseline, "myopic-best-response", years=3, runs=5, seed=1)
    assert myopic.spend[:, 0, :4].all()        # spending dominates in the baseline year 0 (Oracle may be BB)


def test_validation(baseline):
    with pytest.raises(ParameterError, match="model scenario"):
        simulate_state(load_preset("classroom-two-player").__class__(title="g", kind="game"), "always-spend")
    with pytest.raises(ParameterError):
        simulate_state(baseline, ["always-spend"] * 3)
    with pytest.raises(ParameterError):
        simulate_state(baseline, "always-spend", years=0)
    with pytest.raises(ParameterError):
        monte_carlo(baseline, percentiles=[150])
    with pytest.raises(ParameterError):
        monte_carlo(baseline, variables=["wealth"])


def test_monte_carlo_bands_and_reproducibility(baseline):
    mc = monte_carlo(baseline, "always-spend", years=6, runs=3000, seed=4, chunk=1000)
    q = mc.bands["cash"]
    assert q.shape == (5, 6, 5) and (np.diff(q, axis=0) >= 0).all()
    assert np.allclose(mc.rating_shares.sum(axis=-1), 1)
    assert (np.diff(mc.burst_share) >= 0).all() and 0 < mc.burst_share[-1] < 1
    again = monte_carlo(baseline, "always-spend", years=6, runs=3000, seed=4, chunk=1000)
    assert np.array_equal(again.bands["debt"], mc.bands["debt"])
    # bands agree with the single-engine runs of the same chunk seeds
    single = simulate_state(baseline, "always-spend", years=6, runs=1000, seed=np.random.SeedSequence(4).spawn(3)[0])
    one = monte_carlo(baseline, "always-spend", years=6, runs=1000, seed=np.random.SeedSequence(4).spawn(3)[0],
                      chunk=1000)
    assert np.allclose(one.bands["cash"][2], np.median(single.cash, axis=0).astype(np.float32), rtol=1e-6)
    df = mc.frame
    assert {"variable", "player", "year", "mean", "p5", "p95"} <= set(df.columns)
    assert len(mc.summary_frame) == 6 * 5
