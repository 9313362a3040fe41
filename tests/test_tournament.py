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


def _three_firms():
    """Three identical firms: a firm earns 2 if it spends, plus 1 for each other firm that cuts."""
    from dilemma.game import Game

    pay = np.zeros((2, 2, 2, 3))
    for prof in np.ndindex(2, 2, 2):
        for i in range(3):
            pay[prof + (i,)] = 2 * (prof[i] == 0) + sum(prof[j] for j in range(3) if j != i)
    return Game(pay, players=["A", "B", "C"], actions=[("Spend", "Cut")] * 3)


def test_two_firm_game_by_hand():
    from dilemma.repeated.tournament import two_firm_game

    g = _three_firms()
    # C spends: (S,S) 2,2; (S,C) 3,0; (C,S) 0,3; (C,C) 1,1, i.e. T=3 > P=2 > R=1 > S=0 (deadlock)
    spend = two_firm_game(g, others="spend")
    assert spend.players == ("A", "B")
    assert spend.payoffs[..., 0].tolist() == [[2.0, 3.0], [0.0, 1.0]]
    assert spend.payoffs[..., 1].tolist() == [[2.0, 0.0], [3.0, 1.0]]
    # C cuts: every payoff is one more
    cut = two_firm_game(g, others="cut")
    assert (cut.payoffs == spend.payoffs + 1).all()
    # the pair in the other order: B is the row player
    ba = two_firm_game(g, (1, 0), others="spend")
    assert ba.players == ("B", "A") and ba.payoffs[0, 1].tolist() == [3.0, 0.0]


def test_two_firm_slice_keeps_the_n_firm_games_roles():
    """Volunteer's dilemma: in the 4-firm game waiting is the selfish move (read
    from the payoffs). With the two others volunteering, the slice alone would
    read the other way round (volunteering costs 1 and gains nothing, so both
    waiting is best for both); the slice keeps the 4-firm game's roles."""
    from dilemma.explain import spend_cut_index
    from dilemma.repeated.tournament import two_firm_game
    from dilemma.scenario import load_preset

    g = load_preset("games/volunteers-dilemma-4").build_game()
    wait = g.actions[0].index("Wait")
    assert g.roles().spend.tolist() == [wait] * 4 and g.roles().source == "payoffs"
    for others in ("cut", "spend"):
        pair = two_firm_game(g, others=others)
        assert pair.spend == (wait, wait) and pair.roles().source == "given"
        assert spend_cut_index(pair, infer=True) == [(wait, 1 - wait)] * 2
        # always_spend waits every round and earns 4 against a volunteer (the
        # slice's payoffs: waiting 4 against a volunteer, volunteering 3)
        t = round_robin(pair, ["always_spend", "always_cut"], rounds=5, seed=0)
        score = t.frame.set_index("strategy")["score"]
        assert score["always_spend"] == 4.0 and score["always_cut"] == 3.0
    # named roles stay named
    base = two_firm_game(load_preset("2025-baseline").build_game())
    assert base.spend is None and base.roles().source == "names"


def test_two_firm_game_is_the_models_own_payoff():
    # the slice of the baseline with Amazon, Meta, Oracle cutting equals stage_terms of the full profile
    from dilemma.payoffs import firm_arrays, market_arrays, stage_terms
    from dilemma.repeated.tournament import two_firm_game
    from dilemma.scenario import load_preset

    base = load_preset("2025-baseline")
    pair = two_firm_game(base.build_game(), others="cut")
    firms, market = firm_arrays(base.players), market_arrays(base.values)
    for a in (True, False):
        for b in (True, False):
            spend = np.array([a, b, False, False, False])
            want = stage_terms(spend, firms, market)["payoff"][:2]
            got = pair.payoff(("Spend" if a else "Cut", "Spend" if b else "Cut"))
            np.testing.assert_allclose(got, want, rtol=1e-12)
    # and it is a game the round robin plays
    t = round_robin(pair, ["always-spend", "tit-for-tat"], rounds=3)
    assert set(t.scores) == {"always-spend", "tit-for-tat"}


@pytest.mark.parametrize("kw", [{"pair": (0, 0)}, {"pair": (0, 3)}, {"pair": "ab"}, {"others": "mix"}])
def test_two_firm_game_validation(kw):
    from dilemma.repeated.tournament import two_firm_game

    with pytest.raises(ParameterError):
        two_firm_game(_three_firms(), **kw)


# ---- the Tournament page on a five-firm scenario (Streamlit AppTest) ---------------------------


def _tournament_page(app, query=None):
    from conftest import page_file

    at = app(query=query)
    at.run()
    at.switch_page(page_file("tournament.py")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _shown_type(at) -> str:
    import re

    text = next(c.value for c in at.caption if c.value.startswith("The two-firm game of the matches"))
    return re.search(r"\*\*(.+?)\*\*", text).group(1)


def test_page_plays_the_first_two_firms_of_the_sidebar_scenario(app):
    from dilemma.equilibria.classify import TYPE_LABELS
    from dilemma.lab.state import SETTINGS, TOURNAMENT
    from dilemma.repeated.strategies import STRATEGIES
    from dilemma.repeated.tournament import two_firm_game
    from dilemma.scenario import load_preset

    at = _tournament_page(app)
    note = [i.value for i in at.main.info if "A match is two firms" in i.value]
    assert len(note) == 1
    assert "Microsoft against Alphabet" in note[0] and "Amazon, Meta and Oracle cut every year" in note[0]
    assert "sliders change the matches" in note[0]
    assert not at.sidebar.warning and not [w for w in at.main.warning if "two-firm game" in w.value]
    base = load_preset("2025-baseline").build_game()
    pair = two_firm_game(base, others="cut")
    assert _shown_type(at) == TYPE_LABELS[pair.game_type()]
    # the winner on screen is the round robin's on that game, with the page's design
    pool = [n for n, c in STRATEGIES.items() if not c.needs_state]
    t = round_robin(pair, pool, rounds=SETTINGS["turns"].default, repetitions=TOURNAMENT["repetitions"],
                    noise=SETTINGS["noise"].default, seed=SETTINGS["seed"].default, self_play=True)
    from dilemma.charts.repeated import strategy_label

    assert any(f"Winner: **{strategy_label(t.ranking[0])}**" in c.value for c in at.caption)
    # the other firms spending instead: a different game, in the link
    at.radio(key="_w_others").set_value("spend").run()
    assert at.query_params["others"] == "spend"
    assert _shown_type(at) == TYPE_LABELS[two_firm_game(base, others="spend").game_type()]


def test_the_sidebar_moves_the_tournaments_game(app):
    from dilemma.equilibria.classify import TYPE_LABELS
    from dilemma.repeated.tournament import two_firm_game
    from dilemma.scenario import load_preset

    at = _tournament_page(app, query={"punishment_pct": "0"})
    no_punishment = load_preset("2025-baseline").with_values({"market.punishment": 0.0}).build_game()
    shown = _shown_type(at)
    assert shown == TYPE_LABELS[two_firm_game(no_punishment, others="cut").game_type()]
    assert shown != TYPE_LABELS[two_firm_game(load_preset("2025-baseline").build_game(), others="cut").game_type()]
