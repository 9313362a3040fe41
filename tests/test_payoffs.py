"""The payoff engine against MODEL.md's calibration check and hand computations."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import _hypothesis_profile  # noqa: F401  (tests/: derandomized Hypothesis profile in CI)
from hypothesis import given, settings
from hypothesis import strategies as st

from dilemma import load_preset
from dilemma.payoffs import TERMS, payoff_tables, profiles, stage_terms, firm_arrays, market_arrays

from handworked import ROUND, ROUND_PAYOFFS, ROUND_TERMS  # tests/ helper module


@pytest.fixture(scope="module")
def baseline():
    return load_preset("2025-baseline")


def trps(table, i, n):
    """T, R, P, S of firm i: alone spending, all cutting, all spending, alone cutting."""
    alone = [1] * n
    alone[i] = 0
    sucker = [0] * n
    sucker[i] = 1
    return (table[tuple(alone)][i], table[(1,) * n][i], table[(0,) * n][i], table[tuple(sucker)][i])


def test_model_md_calibration_check(baseline):
    t = payoff_tables(baseline)["payoff"]
    assert t.shape == (2,) * 5 + (5,)
    # MODEL.md: "about -1 $B/yr when all spend and about +70 when all cut"
    assert t[(0,) * 5].sum() == pytest.approx(-1.0, abs=0.1)
    assert t[(1,) * 5].sum() == pytest.approx(70.0, abs=0.5)
    T, R, P, S = trps(t, 0, 5)
    # MODEL.md: Microsoft's T, R, P, S "come to about 28.5, 17.9, 0.0, -30.9" (to one decimal)
    assert (T, R, P, S) == pytest.approx((28.5, 17.9, 0.0, -30.9), abs=0.05)


def pure_equilibria_by_deviation(t, n=5):
    """Profiles where no firm gains by switching alone (a plain loop, not the package's solvers)."""
    found = []
    for prof in itertools.product((0, 1), repeat=n):
        if all(t[prof][i] >= t[prof[:i] + (1 - prof[i],) + prof[i + 1:]][i] for i in range(n)):
            found.append(prof)
    return found


def test_model_md_equilibrium_checks(baseline):
    """MODEL.md: the only equilibrium is all Spend; D = 170, Q* = 230, eta = 1.5 gives a stag hunt
    with both all-Spend and all-Cut as equilibria."""
    assert pure_equilibria_by_deviation(payoff_tables(baseline)["payoff"]) == [(0,) * 5]
    stag = baseline.with_values({"demand.profit_pool": 170.0, "demand.absorbed_capex": 230.0,
                                 "demand.price_war": 1.5})
    assert pure_equilibria_by_deviation(payoff_tables(stag)["payoff"]) == [(0,) * 5, (1,) * 5]


def grim_thresholds(t, n=5):
    out = []
    for i in range(n):
        T, R, P, _ = trps(t, i, n)
        out.append((T - R) / (T - P))
    return out


@pytest.mark.parametrize("firm", ["Microsoft", "Alphabet", "Meta", "Oracle"])
def test_model_md_grim_trigger_thresholds(baseline, firm):
    """MODEL.md: "the firms' grim-trigger thresholds delta* lie between 0.32 and 0.40"."""
    d = grim_thresholds(payoff_tables(baseline)["payoff"])[baseline.player_names.index(firm)]
    assert 0.32 <= d <= 0.40


@pytest.mark.xfail(strict=True, reason=(
    "Amazon's delta* = (T - R)/(T - P) comes to 0.3183 with MODEL.md's own formulas, defaults and firm figures "
    "(worked by hand in test_amazon_threshold_by_hand), just below MODEL.md's 0.32: the check's range reads as "
    "the thresholds rounded to two decimals (0.318 -> 0.32, 0.3999 -> 0.40). See docs/explanation/model.md, "
    "'Where the model departs from MODEL.md's check'."))
def test_model_md_grim_trigger_threshold_amazon(baseline):
    d = grim_thresholds(payoff_tables(baseline)["payoff"])[baseline.player_names.index("Amazon")]
    assert 0.32 <= d <= 0.40


def test_amazon_threshold_by_hand(baseline):
    """Amazon's T, R, P from MODEL.md's formulas, defaults and firm table, without the payoff engine."""
    # firms (MODEL.md's table): capex K; Amazon: K 125, OCF 131, debt 135, EBITDA 150
    K = {"Microsoft": 110, "Alphabet": 92, "Amazon": 125, "Meta": 71, "Oracle": 35}
    others = sum(K.values()) - 125                       # 308
    D, qstar, q0, psi = 210.0, 350.0, 50.0, 1.09 ** -1   # L = 1, r = 9 %
    theta_ocf = 0.8 * 131                                # 104.8

    def amazon(x_amazon, x_others):
        Q = q0 + x_amazon + x_others
        over = max(0.0, Q / qstar - 1)
        pool = D * Q / qstar if Q <= qstar else D / (1 + 1.0 * over)
        p = min(1.0, 0.05 + 0.10 * over)
        rev = psi * (1 - p * 0.5) * pool * x_amazon / Q   # alpha = 1, w = 1: sigma = X / (Q0 + sum X)
        E = max(0.0, x_amazon - theta_ocf)
        r_ext = 0.045 + 0.008 + 0.01 * max(0.0, (135 + E) / 150 - 1.5) + 0.3 * 0.02
        charge = x_amazon / 5 + 0.05 * min(x_amazon, theta_ocf) + r_ext * E
        burst = p * (1 - 0.4) * 0.5 * x_amazon
        return rev - charge - burst                       # Amazon spends (T, P) or all cut (R): no punishment

    T = amazon(125, 0.6 * others)   # Q = 50 + 125 + 184.8 = 359.8 > Q*: p = 0.0528
    R = amazon(75, 0.6 * others)    # Q = 50 + 75 + 184.8 = 309.8 < Q*: p = 0.05, E = 0
    P = amazon(125, others)         # Q = 483: Pi = 210/1.38 = 152.2, p = 0.088, E = 20.2
    assert (T, R, P) == pytest.approx((29.979, 20.377, -0.191), abs=1e-3)
    assert (T - R) / (T - P) == pytest.approx(0.3183, abs=1e-4)
    t = payoff_tables(baseline)["payoff"]
    assert trps(t, 2, 5)[:3] == pytest.approx((T, R, P), rel=1e-12)


def test_spend_strictly_dominant_in_baseline(baseline):
    t = payoff_tables(baseline)["payoff"]
    for i in range(5):
        gain = np.take(t[..., i], 0, axis=i) - np.take(t[..., i], 1, axis=i)
        assert gain.min() > 0


def test_breakdown_and_payoff_against_hand_values():
    from dilemma.scenario import loads_scenario

    tab = payoff_tables(loads_scenario(ROUND))
    for prof, firms in ROUND_TERMS.items():
        for i, (rev, cap, fin, burst, pun) in enumerate(firms):
            got = [tab[k][prof + (i,)] for k in ("revenue", "capital_charge", "financing", "burst_loss",
                                                  "punishment")]
            assert got == pytest.approx([rev, -cap, -fin, -burst, -pun], abs=1e-12), (prof, i)
            assert tab["unbacked"][prof + (i,)] == 0      # market.unbacked_markdown defaults to 0
        assert tuple(tab["payoff"][prof]) == pytest.approx(ROUND_PAYOFFS[prof], abs=1e-12), prof


def test_breakdown_signs(baseline):
    """Revenue is never negative, every cost term never positive; spenders pay no punishment."""
    tab = payoff_tables(baseline)
    assert (tab["revenue"] >= 0).all()
    for k in TERMS[1:]:
        assert (tab[k] <= 0).all()
    assert (tab["punishment"][(0,) * 5] == 0).all()


def test_hand_computation_two_firms():
    """Every term of one profile, worked by hand from the formulas."""
    s = load_preset("classroom-two-player")
    tab = payoff_tables(s)
    # Alpha spends (X=100), Beta cuts (X=60); Q = 50 + 160 = 210 > Q* = 200
    Q, qs, D = 210.0, 200.0, 150.0
    pool = D / (1 + 1.0 * (Q / qs - 1))
    share = 100 / (50 + 160)
    p = 0.05 + 0.10 * (Q / qs - 1)
    rev = (1.09 ** -1) * (1 - p * 0.5) * pool * share
    internal = 0.8 * 100
    gap = 100 - internal
    lev = (50 + gap) / 100
    r_ext = 0.045 + 0.008 + 0.01 * max(0, lev - 1.5) + 0.3 * 0.02
    fin = 0.05 * internal + r_ext * gap
    burst = p * 0.6 * 0.5 * 100
    assert tab["revenue"][0, 1, 0] == pytest.approx(rev)
    assert tab["capital_charge"][0, 1, 0] == pytest.approx(-100 / 5)
    assert tab["financing"][0, 1, 0] == pytest.approx(-fin)
    assert tab["burst_loss"][0, 1, 0] == pytest.approx(-burst)
    assert tab["punishment"][0, 1, 0] == 0
    # Beta cuts while its one rival spends: full punishment 1 % of 2000
    assert tab["punishment"][0, 1, 1] == pytest.approx(-0.01 * 2000)
    assert tab["punishment"][1, 1, 1] == 0  # nobody else spends


def test_grid_matches_pointwise(baseline):
    betas = np.linspace(-0.005, 0.03, 4)
    pools = np.linspace(50, 600, 3)
    B, P = np.meshgrid(betas, pools, indexing="ij")
    grid = payoff_tables(baseline, {"market.punishment": B, "demand.profit_pool": P,
                                    "players.Meta.capex": np.full(B.shape, 90.0)})["payoff"]
    assert grid.shape == (4, 3) + (2,) * 5 + (5,)
    for a in range(4):
        for b in range(3):
            one = baseline.with_values({"market.punishment": float(B[a, b]), "demand.profit_pool": float(P[a, b]),
                                        "players.Meta.capex": 90.0})
            np.testing.assert_allclose(grid[a, b], payoff_tables(one)["payoff"], rtol=1e-12, atol=1e-12)


def test_profiles_order_matches_array():
    sp = profiles(3)
    assert sp.shape == (8, 3)
    assert sp[0].all() and not sp[-1].any()
    assert sp[1].tolist() == [True, True, False]


@settings(max_examples=60, deadline=None)
@given(
    beta=st.floats(-0.005, 0.03), pool=st.floats(0, 600), qstar=st.floats(100, 800), q0=st.floats(0, 200),
    eta=st.floats(0, 3), alpha=st.floats(0.5, 3), cut=st.floats(0.1, 1.0), delay=st.floats(0, 6),
    p0=st.floats(0, 0.4), p1=st.floats(0, 0.5),
)
def test_extreme_parameters_stay_finite(baseline, beta, pool, qstar, q0, eta, alpha, cut, delay, p0, p1):
    s = baseline.with_values({
        "market.punishment": beta, "demand.profit_pool": pool, "demand.absorbed_capex": qstar,
        "demand.outside_capex": q0, "demand.price_war": eta, "demand.winner_take_most": alpha,
        "market.cut_depth": cut, "demand.delay": delay, "risk.burst_base": p0, "risk.burst_slope": p1,
    })
    tab = payoff_tables(s)
    for k, v in tab.items():
        assert np.isfinite(v).all(), k
    assert ((tab["burst_probability"] >= 0) & (tab["burst_probability"] <= 1)).all()


def test_zero_capex_and_no_outsiders_is_not_nan(baseline):
    s = baseline.with_values({"demand.outside_capex": 0.0, "market.cut_depth": 1.0})
    tab = payoff_tables(s)
    assert np.isfinite(tab["payoff"]).all()
    assert (tab["revenue"][(1,) * 5] == 0).all()  # nobody builds, nobody earns


def test_stage_terms_batch_of_runs(baseline):
    """The same kernel serves repeated play: spend shaped (runs, N)."""
    spend = np.array([[True] * 5, [False] * 5])
    out = stage_terms(spend, firm_arrays(baseline.players), market_arrays(baseline.values))
    tab = payoff_tables(baseline)["payoff"]
    np.testing.assert_allclose(out["payoff"][0], tab[(0,) * 5])
    np.testing.assert_allclose(out["payoff"][1], tab[(1,) * 5])
