"""Classification, grim trigger, QRE, dominance, Schelling diagrams, welfare."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dilemma.equilibria import (TYPE_LABELS, TYPES, critical_discount_factor, delta_to_horizon,
                                describe_type, dominant_actions, dominated_actions, equilibria,
                                game_type, horizon_to_delta, is_nash, iterated_elimination,
                                pareto_efficient_profiles, price_of_anarchy, qre, schelling,
                                schelling_table, social_optimum, stage_payoffs)
from dilemma.errors import DilemmaError, ParameterError
from test_equilibria_games import bimatrix, symmetric_two_action, volunteer

SPEND_CUT = [["Spend", "Cut"], ["Spend", "Cut"]]


def two_by_two(T, R, P, S):
    """Symmetric 2x2 game, action 0 = Spend (defect), 1 = Cut (cooperate)."""
    A = [[P, T], [S, R]]
    return bimatrix(A, np.transpose(A))


# --------------------------------------------------------------- classification
@pytest.mark.parametrize("TRPS, slug", [
    ((5, 3, 1, 0), "prisoners-dilemma"),
    ((3, 5, 1, 0), "stag-hunt"),
    ((3, 5, 3, 0), "stag-hunt"),        # T == P allowed
    ((5, 3, 0, 1), "chicken"),
    ((3, 5, 0, 1), "harmony"),
    ((5, 1, 3, 0), "deadlock"),
    ((3, 3, 1, 0), "other"),            # tie T == R
    ((5, 3, 3, 0), "other"),            # tie R == P
    ((1, 1, 1, 1), "other"),
])
def test_two_player_types(TRPS, slug):
    g = two_by_two(*TRPS)
    assert game_type(g, actions=SPEND_CUT) == slug
    # cooperative action found from the all-play payoffs when R != P
    if TRPS[1] > TRPS[2]:
        assert game_type(g) == slug or slug == "other"


def test_type_needs_both_players_and_respects_action_order():
    T, R, P, S = 5, 3, 1, 0
    pd = two_by_two(T, R, P, S)
    # swap action order for both players: naming makes it still a PD
    swapped = pd[::-1, ::-1]
    assert game_type(swapped, actions=[["Cut", "Spend"]] * 2) == "prisoners-dilemma"
    # players of different types -> other
    A = [[1, 5], [0, 3]]                  # row: PD ordering (Spend=0)
    B = [[3, 5], [0, 1]]                  # column: T=0, R=1, P=3, S=5 -> harmony
    assert game_type(bimatrix(A, B), actions=SPEND_CUT) == "other"
    assert game_type(np.zeros((3, 3, 2))) == "other"


def _n_player(n, S, C):
    # symmetric_two_action uses action 0 = Spend
    return symmetric_two_action(S, C)


@pytest.mark.parametrize("S, C, slug", [
    ([3, 2, 1, 0.5], [1, 0, -1, -2], "prisoners-dilemma"),   # Delta > 0, C(0)=1 > S(3)=0.5
    ([3, 2, 1, 0.5], [0.1, 0, -1, -2], "deadlock"),          # S(N-1)=0.5 >= C(0)=0.1
    ([0, 0, 0, 0], [1, 1, 1, 1], "harmony"),
    ([0, 1, 2, 3], [1, 1, 1, 1], "stag-hunt"),
    ([2, 1, 0, -1], [0, 0.5, 0.5, 0.5], "chicken"),
    ([2, -1, -1, 2], [0, 0, 0, 0], "other"),           # Delta > 0 at both ends only
])
def test_n_player_types(S, C, slug):
    g = _n_player(4, S, C)
    assert game_type(g, actions=[["Spend", "Cut"]] * 4) == slug
    assert describe_type(slug)


def test_volunteers_dilemma_is_chicken():
    # action 0 = volunteer = "Spend"
    assert game_type(volunteer(4), actions=[["Spend", "Cut"]] * 4) == "chicken"


def test_type_labels_and_errors():
    assert set(TYPE_LABELS) == set(TYPES)
    with pytest.raises(ParameterError, match="slug"):
        describe_type("nope")


# --------------------------------------------------------------- grim trigger
def test_critical_discount_factor_microsoft_check():
    # MODEL.md: Microsoft T, R, P, S = 28.5, 17.9, 0.0, -30.9 -> delta* ~ 0.372
    g = two_by_two(28.5, 17.9, 0.0, -30.9)
    cd = critical_discount_factor(g, actions=SPEND_CUT)
    assert cd.thresholds == pytest.approx([(28.5 - 17.9) / 28.5] * 2)
    assert cd.binding == pytest.approx(0.372, abs=5e-4)
    assert cd.sustainable and not cd.reasons
    tab = stage_payoffs(g, actions=SPEND_CUT)
    assert tab["S"].tolist() == [-30.9, -30.9]


def test_critical_discount_factor_edge_cases_and_heterogeneity():
    # player 0: T <= R (self-enforcing), player 1: R <= P (never)
    A = [[1, 2], [0, 3]]   # row: P=1, T=2, S=0, R=3
    B = [[4, 5], [0, 3]]   # column (own action first = B.T): P=4, T=0? build explicitly
    g = bimatrix(A, B)
    tab = stage_payoffs(g)
    cd = critical_discount_factor(g)
    for i in range(2):
        T, R, P = tab["T"][i], tab["R"][i], tab["P"][i]
        if T <= R:
            assert cd.thresholds[i] == 0
        elif R <= P:
            assert math.isinf(cd.thresholds[i])
        else:
            assert cd.thresholds[i] == pytest.approx((T - R) / (T - P))
    assert cd.binding == max(cd.thresholds)
    assert len(cd.reasons) >= 1
    # heterogeneous PD: binding is the larger threshold
    het = bimatrix([[1, 6], [0, 3]], [[1, 0], [4, 3]])
    cd = critical_discount_factor(het)
    assert cd.thresholds == pytest.approx([(6 - 3) / (6 - 1), (4 - 3) / (4 - 1)])
    assert cd.binding_player == 0


def test_horizon_delta_round_trip_and_validation():
    d = horizon_to_delta(10, 0.09)
    assert d == pytest.approx(math.exp(-0.19))
    assert delta_to_horizon(d, 0.09) == pytest.approx(10)
    assert math.isinf(delta_to_horizon(0.99, 0.09))
    with pytest.raises(ParameterError, match=r"^H: must be a horizon in years > 0 \(inf allowed\), got 0\.0$"):
        horizon_to_delta(0, 0.09)
    with pytest.raises(ParameterError, match=r"^r: must be a finite discount rate >= 0 \(e\.g\. 0\.09\), got -0\.1$"):
        horizon_to_delta(5, -0.1)
    with pytest.raises(ParameterError, match="delta"):
        delta_to_horizon(1.5, 0.1)


# --------------------------------------------------------------- QRE
def test_qre_limits():
    pd = two_by_two(5, 3, 1, 0)  # action 0 = Spend = defect
    r0 = qre(pd, 0.0)
    assert r0.converged and np.allclose(r0.strategy[0], [0.5, 0.5])
    probs = [qre(pd, lam).strategy[0][0] for lam in (0.5, 2, 8, 50)]
    assert all(a < b for a, b in zip(probs, probs[1:]))  # more precision -> more defection
    assert probs[-1] == pytest.approx(1.0, abs=1e-9)
    big = qre(pd, 50)
    assert is_nash(pd, big.strategy, tol=1e-6)
    mp = bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    for lam in (0.3, 3, 30):
        r = qre(mp, lam)
        assert r.converged
        assert np.allclose(r.strategy[0], 0.5) and np.allclose(r.strategy[1], 0.5)


def test_qre_is_a_fixed_point_in_an_asymmetric_three_player_game():
    rng = np.random.default_rng(3)
    g = rng.normal(size=(2, 3, 2, 3))
    r = qre(g, 4.0)
    assert r.converged and r.residual < 1e-8
    for s in r.strategy:
        assert s.sum() == pytest.approx(1) and np.all(s > 0)


def test_qre_notes_the_bifurcation_of_pure_coordination():
    """2x2 pure coordination (1 on the diagonal): the centre (1/2, 1/2) is a logit
    equilibrium for every lambda; the logit response's slope there is lambda/2
    per player, so at lambda = 2 two more branches split off (a pitchfork). Past
    2 the result must say other QRE exist; before 2 it must not."""
    coord = bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    before = qre(coord, 1.9)
    assert before.converged and not before.notes
    after = qre(coord, 3.0)
    assert after.converged
    assert after.strategy[0].tolist() == pytest.approx([0.5, 0.5], abs=1e-9)
    (note,) = after.notes
    assert "bifurcation" in note
    lam_at = float(note.split("lambda = ")[1].split(" ")[0])
    assert 1.5 < lam_at < 2.5


def test_qre_selects_risk_dominant_equilibrium_of_stag_hunt():
    # stag (0) pays 4 with stag, 0 with hare; hare pays 3 always: hare risk-dominant
    g = bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    r = qre(g, 40)
    assert r.strategy[0][1] > 0.99


@pytest.mark.parametrize("lam", [-1, math.inf, math.nan, "x"])
def test_qre_rejects_bad_lambda(lam):
    with pytest.raises(ParameterError, match="lam"):
        qre(np.zeros((2, 2, 2)), lam)


# --------------------------------------------------------------- dominance
def test_mixed_dominance_classic_example():
    # row 2 (payoffs 1, 1) is beaten by (1/2, 1/2) on rows 0 and 1 (1.5 each), by no pure row
    A = np.array([[3, 0], [0, 3], [1, 1]], dtype=float)
    B = np.array([[1, 0], [0, 1], [2, 2]], dtype=float)
    g = bimatrix(A, B)
    assert dominated_actions(g, mixed=False) == [[], []]
    assert dominated_actions(g) == [[2], []]
    res = iterated_elimination(g)
    assert res.surviving == ((0, 1), (0, 1))
    step = res.steps[0]
    assert (step.player, step.action) == (0, 2)
    assert np.allclose(np.asarray(step.dominated_by)[:2].sum(), 1)
    assert "mix" in step.describe()
    # pure-only elimination keeps row 2
    assert iterated_elimination(g, mixed=False).surviving == ((0, 1, 2), (0, 1))


def test_weak_dominance_and_dominant_actions():
    A = [[-3, 3], [-3, 5]]
    B = [[2, 7], [4, 2]]
    g = bimatrix(A, B)
    assert dominated_actions(g) == [[], []]
    assert dominated_actions(g, strict=False) == [[0], []]
    weak = iterated_elimination(g, strict=False)
    assert weak.surviving == ((1,), (0,))
    assert weak.notes  # order dependence is said
    assert dominant_actions(g) == [None, None]
    assert dominant_actions(g, strict=False) == [1, None]
    pd = two_by_two(5, 3, 1, 0)
    assert dominant_actions(pd) == [0, 0]


def test_n_player_baseline_like_game_is_exhaustive_by_dominance():
    g = symmetric_two_action([3, 2, 1, 0.5, 0.2], [1, 0, -1, -2, -3])  # Spend dominant
    res = equilibria(g)
    assert res.exhaustive and len(res) == 1 and res[0].profile == (0,) * 5
    assert "dominance" in res.method or "dominated" in res.method


def test_dominance_reduces_three_player_game_to_two_player():
    # player 2 has a strictly dominant action; the remaining players play matching pennies
    g = np.zeros((2, 2, 2, 3))
    mp = np.array([[1, -1], [-1, 1]], dtype=float)
    for c in range(2):
        g[:, :, c, 0] = mp
        g[:, :, c, 1] = -mp
        g[:, :, c, 2] = 1 - c
    res = equilibria(g)
    assert res.exhaustive
    (e,) = res.equilibria
    assert np.allclose(e.strategy[0], 0.5) and e.strategy[2].tolist() == [1, 0]


# --------------------------------------------------------------- Schelling
def test_schelling_diagram_of_volunteers_dilemma():
    n, b, c = 4, 1.0, 0.25
    df = schelling(volunteer(n, b, c), spend=0)
    assert list(df.columns) == ["player", "others_spending", "spend", "cut", "delta"]
    assert len(df) == n * n
    one = df[df.player == "Player 1"].set_index("others_spending")
    assert one.spend.tolist() == [b - c] * n
    assert one.cut.tolist() == [0.0] + [b] * (n - 1)
    assert one.delta.tolist() == [b - c] + [-c] * (n - 1)


def test_schelling_averages_heterogeneous_profiles_and_uses_names():
    rng = np.random.default_rng(0)
    g = rng.normal(size=(2, 2, 2, 3))
    t = schelling_table(g, actions=[["Cut", "Spend"]] * 3)
    # player 0, one other spending (others = players 1, 2; Spend = index 1)
    expected = (g[1, 1, 0, 0] + g[1, 0, 1, 0]) / 2
    assert t["spend"][0, 1] == pytest.approx(expected)
    assert t["count"].tolist() == [1, 2, 1]
    with pytest.raises(ParameterError):
        schelling_table(np.zeros((3, 2, 2)))


# --------------------------------------------------------------- welfare
def test_pareto_social_optimum_and_price_of_anarchy():
    pd = two_by_two(5, 3, 1, 0)  # 0 = Spend
    assert pareto_efficient_profiles(pd) == [(0, 1), (1, 0), (1, 1)]
    assert social_optimum(pd).profiles == [(1, 1)]
    poa = price_of_anarchy(pd)
    assert poa.ratio == pytest.approx(3.0) and poa.gap == pytest.approx(4.0)
    neg = two_by_two(5, 3, -1, -4)
    poa = price_of_anarchy(neg)
    assert math.isnan(poa.ratio) and poa.gap == pytest.approx(8.0) and poa.notes


def test_pareto_front_on_larger_game_matches_brute_force():
    rng = np.random.default_rng(1)
    g = rng.integers(0, 4, size=(3, 4, 2, 3)).astype(float)
    U = g.reshape(-1, 3)
    brute = []
    for k, u in enumerate(U):
        dominated = np.any(np.all(U >= u, axis=1) & np.any(U > u, axis=1))
        if not dominated:
            brute.append(tuple(int(x) for x in np.unravel_index(k, g.shape[:-1])))
    assert pareto_efficient_profiles(g) == sorted(brute)


def test_bad_payoffs_raise_parameter_error():
    for bad in (np.zeros((2, 2)), np.zeros((2, 2, 3)), np.array([[[np.nan, 0]]])):
        with pytest.raises(ParameterError, match="payoffs"):
            equilibria(bad)
    with pytest.raises(DilemmaError):
        equilibria(np.zeros((2, 2, 2)), tol=-1)
