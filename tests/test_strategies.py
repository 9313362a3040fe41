"""Strategies: move-for-move agreement with the Axelrod library, registry, N-player rules."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import axelrod as axl

from dilemma.errors import DilemmaError, ParameterError
from dilemma.repeated import strategies as st
from dilemma.repeated.engine import play

from spendcut import P, R, S, T, pd_array  # tests/ helper module


AXL = {
    "always-spend": axl.Defector,
    "always-cut": axl.Cooperator,
    "tit-for-tat": axl.TitForTat,
    "suspicious-tit-for-tat": axl.SuspiciousTitForTat,
    "tit-for-two-tats": axl.TitFor2Tats,
    "grim-trigger": axl.Grudger,
    "win-stay-lose-shift": axl.WinStayLoseShift,
    "alternator": axl.Alternator,
    "generous-tit-for-tat": axl.GTFT,
    "random": axl.Random,
    "follow-the-majority": axl.GoByMajority,
}
DETERMINISTIC = [k for k in AXL if k not in ("generous-tit-for-tat", "random")]


def axl_moves(a, b, turns, game=(R, S, T, P), seed=1, noise=0.0):
    match = axl.Match((AXL[a](), AXL[b]()), turns=turns, game=axl.Game(*game), seed=seed, noise=noise)
    hist = match.play()
    return np.array([[m1 == axl.Action.C, m2 == axl.Action.C] for m1, m2 in hist])


@pytest.mark.parametrize("a,b", list(itertools.combinations_with_replacement(DETERMINISTIC, 2)))
def test_classics_match_axelrod_move_for_move(a, b):
    turns = 40
    expected = axl_moves(a, b, turns)
    got = play(pd_array(), [a, b], rounds=turns, seed=0).actions[0] == 1
    assert np.array_equal(got, expected), f"{a} vs {b}"


@pytest.mark.parametrize("game", [(3, 0, 5, 1), (4, 1, 6, 0), (2, -1, 3, 0)])
def test_classics_match_axelrod_other_payoffs(game):
    # deterministic classics do not depend on payoffs; payoff totals must agree too
    for a, b in [("tit-for-tat", "alternator"), ("win-stay-lose-shift", "suspicious-tit-for-tat"),
                 ("tit-for-two-tats", "alternator"), ("grim-trigger", "win-stay-lose-shift")]:
        match = axl.Match((AXL[a](), AXL[b]()), turns=35, game=axl.Game(*game))
        match.play()
        ours = play(pd_array(*game), [a, b], rounds=35)
        assert ours.totals[0].tolist() == pytest.approx(list(match.final_score()))


def test_tft_vs_alternator_by_hand():
    got = play(pd_array(), ["tit-for-tat", "alternator"], rounds=5).action_names()[0]
    assert got == [["Cut", "Cut"], ["Cut", "Spend"], ["Spend", "Cut"], ["Cut", "Spend"], ["Spend", "Cut"]]


@pytest.mark.parametrize("other", ["always-spend", "always-cut", "tit-for-tat", "alternator"])
def test_gtft_matches_axelrod_statistically(other):
    # Axelrod draws from per-player generators seeded from the match seed and
    # skips draws when the four-vector entry is 0 or 1, so the streams differ;
    # compare the cooperation rate after an opponent's defection instead.
    turns, reps = 200, 30
    q = st.GenerousTitForTat.generosity_of(R, S, T, P)
    ax = np.concatenate([axl_moves("generous-tit-for-tat", other, turns, seed=s) for s in range(reps)])
    ours = play(pd_array(), ["generous-tit-for-tat", other], rounds=turns, runs=reps, seed=3).actions == 1
    def forgive_rate(moves):  # P(C at t | opponent D at t-1)
        m = moves.reshape(-1, turns, 2)
        after_d = ~m[:, :-1, 1]
        return m[:, 1:, 0][after_d].mean() if after_d.any() else None
    a, o = forgive_rate(ax), forgive_rate(ours)
    if a is None:
        assert o is None
        assert np.array_equal(ours[0], ax[:turns])
    else:
        n = (~ours.reshape(-1, turns, 2)[:, :-1, 1]).sum()
        se = np.sqrt(q * (1 - q) / n)
        assert abs(o - q) < 4 * se + 1e-9
        assert abs(a - q) < 0.08


def test_random_matches_axelrod_statistically():
    turns = 2000
    ax = axl_moves("random", "always-cut", turns, seed=7)[:, 0].mean()
    ours = (play(pd_array(), ["random", "always-cut"], rounds=turns, seed=7).actions[0, :, 0] == 1).mean()
    se = np.sqrt(0.25 / turns)
    assert abs(ours - 0.5) < 4 * se and abs(ax - 0.5) < 4 * se
    assert (play(pd_array(), ["random:p=0", "random:p=1"], rounds=20).actions[0] == [0, 1]).all()


def test_gtft_generosity_formula():
    assert st.GenerousTitForTat.generosity_of(3, 0, 5, 1) == pytest.approx(1 / 3)
    assert st.GenerousTitForTat.generosity_of(4, 0, 5, 1) == pytest.approx(min(1 - 1 / 4, 3 / 4))
    s = st.get_strategy("generous-tit-for-tat")
    s.reset(2, stage=st.StageTable(pd_array(4, 0, 5, 1)))
    assert s.q == pytest.approx(0.75)


def test_gtft_noise_free_against_cooperators_never_draws_spend():
    r = play(pd_array(), ["generous-tit-for-tat", "always-cut"], rounds=50, runs=5, seed=1)
    assert (r.actions == 1).all()


def test_registry_lists_every_strategy_with_description():
    names = [n for n, _ in st.list_strategies()]
    assert set(st.CLASSICS) <= set(names)
    for extra in ("leverage-rule", "junk-forced", "myopic-best-response", "logit-responder", "follow-the-majority"):
        assert extra in names
    for name, cls in st.STRATEGIES.items():
        assert cls.name == name and name == name.lower() and " " not in name
        assert cls.description and "Names:" in cls.__doc__


def test_unknown_strategy_names_the_valid_ones():
    with pytest.raises(ParameterError) as exc:
        st.get_strategy("nice-guy")
    assert str(exc.value) == (
        "strategy: must be one of always-spend, always-cut, tit-for-tat, suspicious-tit-for-tat, tit-for-two-tats, "
        "grim-trigger, win-stay-lose-shift, alternator, generous-tit-for-tat, random, leverage-rule, junk-forced, "
        "myopic-best-response, logit-responder, follow-the-majority, got 'nice-guy'")
    assert isinstance(exc.value, DilemmaError) and isinstance(exc.value, ValueError)


@pytest.mark.parametrize("name,params", [
    ("tit-for-tat", {"threshold": 0}), ("tit-for-tat", {"threshold": 1.5}),
    ("random", {"p": -0.1}), ("logit-responder", {"lam": -1}), ("generous-tit-for-tat", {"generosity": 2}),
    ("follow-the-majority", {"memory": 0}), ("junk-forced", {"rating": "CCC"}), ("always-spend", {"x": 1}),
])
def test_bad_parameters(name, params):
    with pytest.raises(ParameterError):
        st.get_strategy(name, **params)


def test_parameters_in_names():
    s = st.resolve_strategies(["win-stay-lose-shift:threshold=0.5;aspiration=1"])[0]
    assert s.threshold == 0.5 and s.aspiration == 1.0
    with pytest.raises(ParameterError):
        st.resolve_strategies(["tit-for-tat:nonsense"])
    with pytest.raises(ParameterError):
        st.resolve_strategies(["tit-for-tat:speed=3"])


def _nplayer_game(n=4):
    """Symmetric N-player PD: spend +2, each other cutter +1 (to everyone)."""
    shape = (2,) * n + (n,)
    g = np.zeros(shape)
    for prof in itertools.product((0, 1), repeat=n):
        cuts = sum(prof)
        for i, a in enumerate(prof):
            g[prof + (i,)] = 3 * (cuts - a) / (n - 1) + (2 if a == 0 else 0)
    return g


def test_nplayer_threshold_reciprocity():
    g = _nplayer_game(4)
    # one always-spend among three TFTs with threshold 1: cooperation collapses
    r = play(g, ["always-spend", "tit-for-tat", "tit-for-tat", "tit-for-tat"], rounds=4)
    assert (r.actions[0, 1:, 1:] == 0).all()
    # with threshold 0.6 two of three others suffice; still collapses since the
    # TFTs see each other spend after round 1
    r = play(g, ["always-spend"] + ["tit-for-tat:threshold=0.6"] * 3, rounds=4)
    assert (r.actions[0, 1, 1:] == 1).all()
    # grim: all cut forever without a spender
    r = play(g, ["grim-trigger"] * 4, rounds=10)
    assert (r.actions == 1).all()


def test_nplayer_wsls_and_majority():
    g = _nplayer_game(3)
    r = play(g, ["win-stay-lose-shift", "always-cut", "always-cut"], rounds=5)
    assert (r.actions[0, :, 0] == 1).all()
    r = play(g, ["follow-the-majority", "always-spend", "always-cut"], rounds=5)
    assert (r.actions[0, :, 0] == 1).all()          # tie -> cut (soft majority)
    r = play(g, ["follow-the-majority:memory=2", "alternator", "always-spend"], rounds=6)
    assert r.actions[0, 0, 0] == 1 and r.actions[0, 2, 0] == 0


def test_myopic_best_response_plays_dominant_action():
    r = play(pd_array(), ["myopic-best-response", "always-cut"], rounds=5)
    assert (r.actions[0, :, 0] == 0).all()          # Spend dominates in a PD
    harmony = pd_array(r=4, s=3, t=2, p=1)        # Cut dominates
    r = play(harmony, ["myopic-best-response", "always-spend"], rounds=5)
    assert (r.actions[0, :, 0] == 1).all()
    stag = pd_array(r=4, s=0, t=3, p=2)           # best response = copy the other
    r = play(stag, ["myopic-best-response", "alternator"], rounds=6)
    assert r.actions[0, 1:, 0].tolist() == r.actions[0, :-1, 1].tolist()


def test_logit_responder_limits():
    big = play(pd_array(), ["logit-responder:lam=100", "always-cut"], rounds=50, seed=1)
    assert (big.actions[0, :, 0] == 0).all()
    zero = play(pd_array(), ["logit-responder:lam=0", "always-cut"], rounds=4000, seed=1)
    assert abs((zero.actions[0, :, 0] == 1).mean() - 0.5) < 0.04


def test_state_strategies_refuse_stateless_play():
    with pytest.raises(ParameterError) as exc:
        play(pd_array(), ["leverage-rule", "tit-for-tat"], rounds=3)
    assert str(exc.value) == (
        "strategies: must be strategies for stateless play ('leverage-rule' needs the state-carrying engine, "
        "dilemma.repeated.state); valid here: always-spend, always-cut, tit-for-tat, suspicious-tit-for-tat, "
        "tit-for-two-tats, grim-trigger, win-stay-lose-shift, alternator, generous-tit-for-tat, random, "
        "myopic-best-response, logit-responder, follow-the-majority, got 'leverage-rule'")


def test_state_strategies_read_state():
    s = st.get_strategy("leverage-rule", threshold=2.0)
    s.reset(3)
    fs = st.FirmState(net_leverage=np.array([1.0, 2.0, 3.0]))
    assert s.decide(0, None, np.zeros((0, 3, 1), bool), fs).tolist() == [False, True, True]
    j = st.get_strategy("junk-forced", rating="BBB")
    j.reset(4)
    fs = st.FirmState(rating=np.array([0, 1, 2, 3]))
    assert j.decide(0, None, None, fs).tolist() == [False, False, True, True]
