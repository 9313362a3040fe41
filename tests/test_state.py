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


# ---------------------------------------------------------------------------
# The ledger against a two-firm, two-year example worked by hand
# ---------------------------------------------------------------------------
# Round numbers; no burst (p0 = p1 = 0), no efficiency shock, leases always
# renewed, delay L = 1, demand growth 10 %. Alpha always spends, Beta always
# cuts. Every expected number below is worked from MODEL.md's formulas and its
# rating tiers (<= 1x AA, <= 2x A, <= 4x BBB, above BB; spreads 60 / 90 / 130 /
# 300 bp over r_f) plus the ledger rules of dilemma/repeated/state.py's module
# docstring (the gap E is financed phi by new leases and the rest by new debt;
# leases pay the rating's rate plus pi_SPV; AI income arrives L years after the
# capex that earns it, at Pi(Q) * sigma without the delay discount), never by
# calling the engine's helpers.
HAND = """
title = "Ledger by hand"
[market]
cut_depth = 0.4
punishment = 0.009
punishment_shape = 1.0
[demand]
profit_pool = 200.0
absorbed_capex = 400.0
outside_capex = 40.0
price_war = 1.0
winner_take_most = 1.0
delay = 1.0
discount_rate = 0.09
[finance]
asset_life = 5.0
ocf_share = 0.8
internal_rate = 0.05
base_rate = 0.045
base_spread = 0.008
spread_slope = 0.01
leverage_threshold = 1.5
spv_share = 0.3
spv_premium = 0.02
[risk]
burst_base = 0.0
burst_slope = 0.0
burst_loss = 0.5
salvage = 0.4
short_lived = 0.5
[dynamics]
demand_growth = 0.1
efficiency_shock = 0.0
shock_probability = 0.1
lease_renewal = 1.0
lease_term = 4
[[players]]
name = "Alpha"
capex = 100.0
ocf = 100.0
cash = 50.0
debt = 50.0
ebitda = 100.0
market_value = 1000.0
[[players]]
name = "Beta"
capex = 100.0
ocf = 50.0
cash = 20.0
debt = 100.0
ebitda = 50.0
market_value = 1000.0
"""


def hand_worked():
    """The two years of the example, computed by hand. Returns arrays (year, firm)."""
    rf, phi, prem = 0.045, 0.3, 0.02
    # --- year 0 -------------------------------------------------------------
    # start: net leverage (debt + leases - cash) / EBITDA
    #   Alpha (50 + 0 - 50) / 100 = 0      -> AA, 60 bp: rate 4.5 + 0.6 = 5.1 %
    #   Beta  (100 + 0 - 20) / 50  = 1.6   -> A,  90 bp: rate 4.5 + 0.9 = 5.4 %
    rate = np.array([0.051, 0.054])
    X = np.array([100.0, 0.6 * 100.0])                 # Alpha spends, Beta cuts by c = 0.4
    E = X - 0.8 * np.array([100.0, 50.0])              # gap over theta*OCF: 100 - 80 = 20, 60 - 40 = 20
    new_leases, new_debt = phi * E, (1 - phi) * E      # 6 and 14 each
    interest0 = np.array([50.0, 100.0]) * rate         # 2.55, 5.4
    lease_int0 = np.zeros(2)                           # no leases yet
    income0 = np.zeros(2)                              # L = 1: nothing earns in year 0
    cash0 = np.array([50.0, 20.0]) + np.array([100.0, 50.0]) - X + income0 + E - interest0 - lease_int0
    assert np.allclose(cash0, [67.45, 24.6])           # 50 + 100 - 100 + 20 - 2.55; 20 + 50 - 60 + 20 - 5.4
    debt0 = np.array([50.0, 100.0]) + new_debt         # 64, 114
    leases0 = new_leases                               # 6, 6
    # year-0 capex earns in year 1: Q = 40 + 100 + 60 = 200 <= Q* = 400, so Pi = D Q / Q* = 200 * 0.5 = 100;
    # sigma = X / (Q0 + sum X) = 100/200 and 60/200; income due in year 1 = Pi * sigma = 50, 30
    income1 = 100.0 * np.array([0.5, 0.3])
    # stage payoff, year 0 (MODEL.md's U = Rev - Chg - Burst - Pun with p = 0):
    #   Rev = 1.09^-1 * Pi * sigma
    #   Chg = X / 5 + 0.05 * min(X, theta OCF) + r_ext * E,
    #     r_ext = 4.5 + 0.8 + 0.3 * 2 % + 1 % * max(0, (Debt + E)/EBITDA - 1.5)
    #     Alpha: (50 + 20)/100 = 0.7  -> r_ext = 5.9 %; Beta: (100 + 20)/50 = 2.4 -> 5.9 + 0.9 = 6.8 %
    #   Pun (Beta cuts, its one rival spends) = 0.009 * 1000 * (1/1)^1 = 9
    rev = income1 / 1.09                               # 45.8716, 27.5229
    pay0 = rev - np.array([20.0 + 4.0 + 0.059 * 20, 12.0 + 2.0 + 0.068 * 20]) - np.array([0.0, 9.0])
    value0 = 1000.0 + pay0
    ebitda_after0 = np.array([100.0, 50.0]) + income0  # EBITDA = the scenario's + this year's AI income
    # end of year 0: (64 + 6 - 67.45)/100 = 0.0255 AA; (114 + 6 - 24.6)/50 = 1.908 A: rates unchanged
    # --- year 1 -------------------------------------------------------------
    interest1 = debt0 * rate                           # 64 * 5.1 % = 3.264, 114 * 5.4 % = 6.156
    lease_int1 = leases0 * (rate + prem)               # 6 * 7.1 % = 0.426, 6 * 7.4 % = 0.444
    cash1 = cash0 + np.array([100.0, 50.0]) - X + income1 + E - interest1 - lease_int1
    assert np.allclose(cash1, [133.76, 58.0])
    debt1 = debt0 + new_debt                           # 78, 128
    leases1 = leases0 + new_leases                     # 12, 12
    # the pool and Q* grew 10 %: Pi = 220 * 200/440 = 100 again, same sigma, same revenue
    # Alpha: (64 + 6 + 20)/100 = 0.9 -> r_ext 5.9 %; Beta: (114 + 6 + 20)/50 = 2.8 -> 5.9 + 1.3 = 7.2 %
    # Beta's punishment reads this year's market value: 0.009 * value0[1]
    pay1 = rev - np.array([20.0 + 4.0 + 0.059 * 20, 12.0 + 2.0 + 0.072 * 20]) - np.array([0.0, 0.009 * value0[1]])
    value1 = value0 + pay1
    ebitda_after1 = np.array([100.0, 50.0]) + income1  # 150, 80
    # capacity: year-0 capex starts earning (joins capacity) after L = 1 year, depreciating over 5 years
    capacity = np.array([[0.0, 0.0], X])
    net_lev = np.array([(debt0 + leases0 - cash0) / ebitda_after0, (debt1 + leases1 - cash1) / ebitda_after1])
    assert np.allclose(net_lev, [[0.0255, 1.908], [-43.76 / 150, 1.025]])
    return {
        "cash": np.array([cash0, cash1]), "debt": np.array([debt0, debt1]),
        "leases": np.array([leases0, leases1]), "ai_income": np.array([income0, income1]),
        "payoff": np.array([pay0, pay1]), "market_value": np.array([value0, value1]),
        "capacity": capacity, "net_leverage": net_lev, "rating": np.array([[0, 1], [0, 1]]),
        "capex": np.array([X, X]),
        "ledger": {"interest": np.array([interest0, interest1]), "lease_interest": np.array([lease_int0, lease_int1]),
                   "new_debt": np.array([new_debt, new_debt]), "new_leases": np.array([new_leases, new_leases]),
                   "revolver": np.zeros((2, 2)), "ocf": np.array([[100.0, 50.0]] * 2),
                   "ai_income": np.array([income0, income1]), "capex": np.array([X, X]),
                   "delta_cash": np.array([cash0 - [50.0, 20.0], cash1 - cash0])},
        "profit_pool": np.array([220.0, 242.0]), "absorbed_capex": np.array([440.0, 484.0]),
    }


def test_ledger_matches_the_hand_worked_example():
    from dilemma.scenario import loads_scenario

    r = simulate_state(loads_scenario(HAND), ["always-spend", "always-cut"], years=3, runs=3, seed=0)
    want = hand_worked()
    # year 2: the year-0 vintage has depreciated one year (1 - 1/5) and the year-1 vintage joins
    np.testing.assert_allclose(r.capacity[:, 2], np.broadcast_to([0.8 * 100 + 100, 0.8 * 60 + 60], (3, 2)))
    r.arrays = {k: v[:, :2] for k, v in r.arrays.items()}
    r.world = {k: v[:, :2] for k, v in r.world.items()}
    r.ledger = {k: v[:, :2] for k, v in r.ledger.items()}
    assert r.spend[..., 0].all() and not r.spend[..., 1].any()
    assert not r.burst.any()
    for k in ("cash", "debt", "leases", "ai_income", "payoff", "market_value", "capacity", "net_leverage",
              "capex"):
        for run in range(3):
            np.testing.assert_allclose(getattr(r, k)[run], want[k], rtol=1e-12, atol=1e-12, err_msg=k)
    assert (r.rating == want["rating"]).all()
    for k, v in want["ledger"].items():
        np.testing.assert_allclose(r.ledger[k][0], v, rtol=1e-12, atol=1e-12, err_msg=k)
    np.testing.assert_allclose(r.profit_pool[0], want["profit_pool"])
    np.testing.assert_allclose(r.absorbed_capex[0], want["absorbed_capex"])
    assert (r.stranded == 0).all()


# ---------------------------------------------------------------------------
# Roll-forward identities on runs with bursts, noise, lapsed leases, BB firms
# ---------------------------------------------------------------------------
#: MODEL.md's rating spreads (60 / 90 / 130 / 300 bp over r_f), AA .. BB.
MODEL_SPREADS = np.array([0.006, 0.009, 0.013, 0.030])


@pytest.fixture(scope="module")
def rolled():
    sc = load_preset("2025-baseline").with_values({"dynamics.lease_renewal": 0.5, "dynamics.lease_term": 2})
    return sc, simulate_state(sc, "logit-responder", years=12, runs=200, seed=11, noise=0.1)


def _previous(sc, r, key):
    """Start-of-year values: the scenario's at year 0, last year's end after."""
    runs = r.runs
    start = {"debt": np.array([p.debt for p in sc.players]), "cash": np.array([p.cash for p in sc.players]),
             "leases": np.zeros(sc.n_players)}
    if key == "rating":
        ebitda = np.array([p.ebitda for p in sc.players])
        nl = (start["debt"] - start["cash"]) / ebitda
        first = np.searchsorted([1.0, 2.0, 4.0], nl, side="left")      # MODEL.md: <=1 AA, <=2 A, <=4 BBB
        return np.concatenate([np.broadcast_to(first, (runs, 1, sc.n_players)), r.rating[:, :-1]], axis=1)
    return np.concatenate([np.broadcast_to(start[key], (runs, 1, sc.n_players)), getattr(r, key)[:, :-1]], axis=1)


def test_debt_rolls_forward(rolled):
    """debt_t+1 = debt_t + new borrowing - repayment; the engine never repays (repayment = 0)."""
    sc, r = rolled
    borrowed = r.ledger["new_debt"] + r.ledger["revolver"]
    np.testing.assert_allclose(r.debt, _previous(sc, r, "debt") + borrowed, rtol=1e-12)
    assert (r.ledger["revolver"] > 0).any()           # the revolver is exercised in these runs


def test_gap_is_booked_as_leases_and_debt(rolled):
    """E = max(0, X - theta*OCF): phi of it becomes new leases, the rest new debt."""
    sc, r = rolled
    theta, phi = sc.value("finance.ocf_share"), sc.value("finance.spv_share")
    ocf = np.array([p.ocf for p in sc.players])
    E = np.maximum(r.capex - theta * ocf, 0.0)
    assert (E > 0).any()
    np.testing.assert_allclose(r.ledger["new_leases"], phi * E, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(r.ledger["new_debt"], (1 - phi) * E, rtol=1e-12, atol=1e-12)


def test_leases_roll_forward_and_lapse_only_at_term_ends(rolled):
    sc, r = rolled
    term = int(sc.value("dynamics.lease_term"))
    carried = _previous(sc, r, "leases") + r.ledger["new_leases"]
    kept = np.isclose(r.leases, carried, rtol=1e-12, atol=1e-12)
    lapsed = (r.leases == 0) & ~kept
    assert (kept | lapsed).all()                       # either carried forward in full or gone
    year = np.arange(r.years)
    assert not lapsed[:, (year + 1) % term != 0].any()   # only when a lease block ends
    assert lapsed.any() and kept[:, (year + 1) % term == 0].any()
    # lapsed obligations leave the firms' books and strand the SPVs' bonds, dollar for dollar
    stranded_now = np.diff(np.concatenate([np.zeros((r.runs, 1)), r.stranded], axis=1), axis=1)
    np.testing.assert_allclose(stranded_now, (carried * lapsed).sum(axis=-1), rtol=1e-12, atol=1e-9)


def test_interest_is_paid_at_the_start_of_year_rating(rolled):
    """interest = debt_t * (r_f + spread of the tier at the start of the year); leases add pi_SPV."""
    sc, r = rolled
    rf, prem = sc.value("finance.base_rate"), sc.value("finance.spv_premium")
    rate = rf + MODEL_SPREADS[_previous(sc, r, "rating")]
    np.testing.assert_allclose(r.ledger["interest"], _previous(sc, r, "debt") * rate, rtol=1e-12)
    np.testing.assert_allclose(r.ledger["lease_interest"], _previous(sc, r, "leases") * (rate + prem),
                               rtol=1e-12, atol=1e-12)
    assert (r.rating >= 1).any()                       # more than one tier occurs in these runs


def test_cash_rolls_forward(rolled):
    """cash_t+1 = cash_t + OCF + AI income + borrowing - capex - interest - lease interest (never below 0)."""
    sc, r = rolled
    L = r.ledger
    ocf = np.array([p.ocf for p in sc.players])
    expect = (_previous(sc, r, "cash") + ocf + r.ai_income + L["new_debt"] + L["new_leases"] + L["revolver"]
              - r.capex - L["interest"] - L["lease_interest"])
    np.testing.assert_allclose(r.cash, expect, rtol=1e-12, atol=1e-9)
    # the revolver only tops cash up to zero
    assert np.allclose(r.cash[L["revolver"] > 0], 0.0, atol=1e-9)


def test_world_rolls_forward(rolled):
    """D and Q* grow at g until the burst; in the burst year D falls by h and growth stops; no shock here."""
    sc, r = rolled
    g, h = sc.value("dynamics.demand_growth"), sc.value("risk.burst_loss")
    assert sc.value("dynamics.efficiency_shock") == 0
    burst_prev = np.concatenate([np.zeros((r.runs, 1), bool), r.burst[:, :-1]], axis=1)
    new = r.burst & ~burst_prev
    assert new.any() and (~r.burst[:, -1]).any()
    pool_prev = np.concatenate([np.full((r.runs, 1), sc.value("demand.profit_pool")), r.profit_pool[:, :-1]], axis=1)
    qstar_prev = np.concatenate([np.full((r.runs, 1), sc.value("demand.absorbed_capex")), r.absorbed_capex[:, :-1]],
                                axis=1)
    grow = np.where(r.burst, 1.0, 1 + g)
    np.testing.assert_allclose(r.profit_pool, pool_prev * np.where(new, 1 - h, 1.0) * grow, rtol=1e-12)
    np.testing.assert_allclose(r.absorbed_capex, qstar_prev * grow, rtol=1e-12)


def test_market_value_and_leverage_roll_forward(rolled):
    """V_t = max(0, V_t-1 + U_t - write-down), the write-down (1 - s) * omega of the young vintage (L = 1:
    this year's capex) in the burst year; net leverage (debt + leases - cash) / (EBITDA + AI income); tiers
    from MODEL.md's bounds."""
    sc, r = rolled
    s_, omega = sc.value("risk.salvage"), sc.value("risk.short_lived")
    assert sc.value("demand.delay") == 1
    burst_prev = np.concatenate([np.zeros((r.runs, 1), bool), r.burst[:, :-1]], axis=1)
    new = (r.burst & ~burst_prev)[..., None]
    v0 = np.array([p.market_value for p in sc.players])
    v_prev = np.concatenate([np.broadcast_to(v0, (r.runs, 1, sc.n_players)), r.market_value[:, :-1]], axis=1)
    want = np.maximum(v_prev + r.payoff - np.where(new, (1 - s_) * omega * r.capex, 0.0), 0.0)
    np.testing.assert_allclose(r.market_value, want, rtol=1e-12)
    ebitda = np.array([p.ebitda for p in sc.players]) + r.ai_income
    nl = (r.debt + r.leases - r.cash) / ebitda
    np.testing.assert_allclose(r.net_leverage, nl, rtol=1e-12, atol=1e-12)
    tier = np.select([nl <= 1, nl <= 2, nl <= 4], [0, 1, 2], 3)
    assert (r.rating == tier).all()


def test_flipped_marks_mistakes_not_forced_cuts(baseline):
    # noise 1.0: every intended Spend of always-spend flips to Cut; a BB firm's cut is forced, not a mistake
    r = simulate_state(baseline, "always-spend", years=8, runs=20, seed=2, noise=1.0)
    assert r.flipped.shape == r.spend.shape and r.flipped.dtype == bool
    assert not r.spend.any()
    forced = np.zeros_like(r.flipped)
    forced[:, 1:] = r.rating[:, :-1] == 3
    assert np.array_equal(r.flipped, ~forced)
    quiet = simulate_state(baseline, "always-spend", years=8, runs=20, seed=2, noise=0.0)
    assert not quiet.flipped.any()


def test_flipped_leaves_the_random_stream_alone(baseline):
    # same seed, same results; the noise draws are those of child N + 1 of SeedSequence(seed).spawn(N + 2)
    a = simulate_state(baseline, "always-cut", years=6, runs=40, seed=9, noise=0.1)
    b = simulate_state(baseline, "always-cut", years=6, runs=40, seed=9, noise=0.1)
    for k in ("spend", "flipped", "cash", "payoff", "rating"):
        assert np.array_equal(a.arrays[k], b.arrays[k])
    n = len(baseline.players)
    rng = np.random.default_rng(np.random.SeedSequence(9).spawn(n + 2)[n + 1])
    draws = np.stack([rng.random((40, n)) < 0.1 for _ in range(6)], axis=1)
    # the four large firms never reach BB here, so each of their flips is a mistake and their played move
    # is Spend exactly where the noise drew a flip; Oracle's forced cuts are not mistakes
    assert (a.rating[..., :4] != 3).all() and (a.rating[..., 4] == 3).any()
    assert np.array_equal(a.flipped[..., :4], draws[..., :4]) and np.array_equal(a.spend[..., :4], draws[..., :4])
    assert not (a.flipped & ~draws).any()
    assert np.array_equal(a.flipped, a.spend)     # always-cut: a Spend is always a mistake, a mistake a Spend
