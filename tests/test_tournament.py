"""Round-robin tournaments: scores by hand, Axelrod cross-check, seeds, validation."""

from __future__ import annotations

import axelrod as axl
import numpy as np
import pytest

from dilemma.errors import ParameterError
from dilemma.repeated.tournament import round_robin

from spendcut import P, R, S, T, pd_array  # tests/ helper module


def test_scores_by_hand():
    t = round_robin(pd_array(), ["always-spend", "tit-for-tat", "always-cut"], rounds=10, repetitions=3)
    assert t.pairwise[0, 1] == pytest.approx(1.4) and t.pairwise[1, 0] == pytest.approx(0.9)
    assert t.pairwise[0, 2] == 5.0 and t.pairwise[2, 0] == 0.0
    assert t.pairwise[1, 2] == 3.0 and np.isnan(t.pairwise[0, 0])
    assert t.scores == pytest.approx({"always-spend": 3.2, "tit-for-tat": 1.95, "always-cut": 1.5})
    assert t.ranking == ["always-spend", "tit-for-tat", "always-cut"]
    assert t.repetition_scores.shape == (3, 3)
    assert t.cooperation[1, 0] == pytest.approx(0.1)


def test_self_play_adds_diagonal():
    t = round_robin(pd_array(), ["always-spend", "tit-for-tat"], rounds=10, self_play=True)
    assert t.pairwise[1, 1] == 3.0 and t.pairwise[0, 0] == 1.0
    assert t.scores["tit-for-tat"] == pytest.approx((0.9 + 3.0) / 2)


def test_matches_axelrod_tournament_scores():
    ours_names = ["always-spend", "always-cut", "tit-for-tat", "grim-trigger", "win-stay-lose-shift",
                  "alternator", "tit-for-two-tats", "suspicious-tit-for-tat"]
    players = [axl.Defector(), axl.Cooperator(), axl.TitForTat(), axl.Grudger(), axl.WinStayLoseShift(),
               axl.Alternator(), axl.TitFor2Tats(), axl.SuspiciousTitForTat()]
    res = axl.Tournament(players, turns=30, repetitions=1, game=axl.Game(R, S, T, P)).play(
        processes=1, progress_bar=False)
    ours = round_robin(pd_array(), ours_names, rounds=30, self_play=True)
    # Axelrod's payoff_matrix: mean payoff per turn of row against column (with self-play)
    assert np.allclose(np.array(res.payoff_matrix), ours.pairwise)


def test_seeds_and_noise():
    names = ["random", "generous-tit-for-tat", "tit-for-tat", "grim-trigger"]
    a = round_robin(pd_array(), names, rounds=50, repetitions=4, noise=0.05, seed=9)
    b = round_robin(pd_array(), names, rounds=50, repetitions=4, noise=0.05, seed=9)
    c = round_robin(pd_array(), names, rounds=50, repetitions=4, noise=0.05, seed=10)
    assert a.scores == b.scores and a.scores != c.scores
    assert np.array_equal(a.pairwise, b.pairwise, equal_nan=True)


def test_asymmetric_game_plays_both_seatings():
    g = pd_array()
    g[0, 1] = (T + 2, S)          # player 1 gains more from spending alone
    t = round_robin(g, ["always-spend", "always-cut"], rounds=5)
    assert t.pairwise[0, 1] == pytest.approx((T + 2 + T) / 2)


def test_labels_for_duplicates_and_params():
    t = round_robin(pd_array(), ["random:p=0.9", "random:p=0.1", "tit-for-tat", "tit-for-tat"], rounds=5, seed=1)
    assert t.strategies == ["random:p=0.9", "random:p=0.1", "tit-for-tat", "tit-for-tat#2"]
    d = t.to_dict()
    assert set(d) >= {"scores", "ranking", "pairwise"} and d["pairwise"]["tit-for-tat"]["tit-for-tat"] is None
    assert list(t.frame.columns) == ["rank", "strategy", "score", "cooperation"]
    assert t.pairwise_frame.shape == (4, 4)


@pytest.mark.parametrize("kw", [{"rounds": 0}, {"repetitions": 0}, {"noise": 2}, {"strategies": ["tit-for-tat"]},
                                {"strategies": ["tit-for-tat", "angel"]}, {"strategies": ["tit-for-tat", "leverage-rule"]}])
def test_validation(kw):
    args = {"strategies": ["tit-for-tat", "always-spend"], "rounds": 5, **kw}
    with pytest.raises(ParameterError):
        round_robin(pd_array(), **args)


def test_needs_two_players():
    with pytest.raises(ParameterError, match="two-player"):
        round_robin(np.zeros((2, 2, 2, 3)), ["tit-for-tat", "always-spend"], rounds=3)
