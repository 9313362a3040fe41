"""The Game facade: construction, validation, names, delegation, JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from dilemma.analysis import analyse
from dilemma.errors import ParameterError, RolesError
from dilemma.game import Game

PD_A = [[3, 0], [5, 1]]  # 0 = Cut (cooperate), 1 = Spend
PD_B = [[3, 5], [0, 1]]


@pytest.fixture
def pd():
    return Game.from_arrays(PD_A, PD_B, players=["Alpha", "Beta"],
                            actions=[["Cut", "Spend"], ["Cut", "Spend"]], title="PD")


def test_storage_and_defaults():
    g = Game.from_arrays(PD_A, PD_B)
    assert g.payoffs.shape == (2, 2, 2)
    assert g.players == ("Player 1", "Player 2")
    assert g.actions == (("1", "2"), ("1", "2"))
    assert g.n_players == 2 and g.shape == (2, 2)
    assert g.payoffs[1, 0].tolist() == [5.0, 0.0]
    assert g.profiles() == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [a.tolist() for a in g.payoff_arrays()] == [PD_A, PD_B]
    with pytest.raises(ValueError):
        g.payoffs[0, 0, 0] = 9  # read-only
    assert Game.from_payoff_array(g.payoffs) == g


def test_names_and_lookup(pd):
    assert pd.action_index("Beta", "Spend") == 1
    assert pd.action_index(0, "cut") == 0
    assert pd.payoff(("Cut", "Spend")).tolist() == [0.0, 5.0]
    assert pd.payoff((1, 1)).tolist() == [1.0, 1.0]
    with pytest.raises(ParameterError, match="action"):
        pd.action_index("Alpha", "Hold")
    with pytest.raises(ParameterError, match="player"):
        pd.player_index("Gamma")
    with pytest.raises(ParameterError, match="profile"):
        pd.payoff((0,))
    assert "PD" in repr(pd)


@pytest.mark.parametrize("arrays, kwargs, field", [
    (([[1, 2]], [[1, 2], [3, 4]]), {}, "arrays[1]"),
    (([[1, 2], [3, 4]],), {}, "arrays"),
    (([[1, np.inf], [3, 4]], [[1, 2], [3, 4]]), {}, "payoffs"),
    ((PD_A, PD_B), {"players": ["a"]}, "players"),
    ((PD_A, PD_B), {"players": ["a", "a"]}, "players"),
    ((PD_A, PD_B), {"actions": [["x", "y"]]}, "actions"),
    ((PD_A, PD_B), {"actions": [["x", "y", "z"], ["x", "y"]]}, "actions[0]"),
    ((PD_A, PD_B), {"breakdown": {"rev": np.zeros((2, 2))}}, "breakdown"),
])
def test_validation(arrays, kwargs, field):
    with pytest.raises(ParameterError) as info:
        Game.from_arrays(*arrays, **kwargs)
    assert info.value.name.startswith(field)
    assert isinstance(info.value, ValueError)


def test_breakdown_is_stored_read_only():
    p = np.stack([PD_A, PD_B], axis=-1).astype(float)
    bd = {"revenue": p + 1, "charge": -np.ones_like(p)}
    g = Game(p, breakdown=bd, notes=["calibrated by judgement"])
    assert set(g.breakdown) == {"revenue", "charge"}
    assert np.allclose(sum(g.breakdown.values()), g.payoffs)
    assert g.notes == ("calibrated by judgement",)
    with pytest.raises(ValueError):
        g.breakdown["revenue"][0, 0, 0] = 1


def test_delegation(pd):
    assert pd.pure_equilibria() == [(1, 1)]
    res = pd.equilibria()
    assert res.exhaustive and [e.profile for e in res] == [(1, 1)]
    assert pd.equilibria() is res  # cached
    assert pd.game_type() == "prisoners-dilemma"
    assert pd.describe_type().startswith("Prisoner")
    assert pd.dominant_actions() == [1, 1]
    assert pd.dominated_actions() == [[0], [0]]
    assert pd.iterated_elimination().surviving == ((1,), (1,))
    assert pd.social_optimum().profiles == [(0, 0)]
    assert pd.pareto_efficient_profiles() == [(0, 0), (0, 1), (1, 0)]
    assert pd.price_of_anarchy().gap == pytest.approx(4.0)
    assert pd.is_symmetric()
    assert pd.best_responses((0, 0), "Beta") == [1]
    assert pd.is_nash((1, 1)) and not pd.is_nash((0, 0))
    assert pd.qre(20).strategy[0][1] > 0.999
    # Spend is action 1 by name: T=5, R=3, P=1 -> (5-3)/(5-1)
    assert pd.critical_discount_factor().binding == pytest.approx(0.5)
    df = pd.schelling()
    assert df.player.unique().tolist() == ["Alpha", "Beta"]
    assert df.iloc[0][["spend", "cut"]].tolist() == [5.0, 3.0]


def test_to_dict_round_trip_and_analysis(pd):
    d = json.loads(json.dumps(pd.to_dict(analysis=True)))
    assert Game.from_dict(d) == pd
    a = d["analysis"]
    assert a == json.loads(json.dumps(analyse(pd)))          # one serializer
    assert a["game_type"] == "prisoners-dilemma"
    assert [e["strategy"] for e in a["equilibria"]] == [[[0.0, 1.0], [0.0, 1.0]]]   # both Spend
    assert a["roles"]["spend"] == {"Alpha": "Spend", "Beta": "Spend"} and not a["roles"]["inferred"]
    # (T - R) / (T - P) = (5 - 3) / (5 - 1)
    assert a["critical_discount_factor"]["binding"] == pytest.approx(0.5)


def test_unnamed_prisoners_dilemma_reads_its_roles_from_the_payoffs():
    """The package's doctest game: unnamed actions, cooperation listed first."""
    g = Game.from_arrays(PD_A, PD_B)
    assert g.game_type() == "prisoners-dilemma"
    roles = g.roles()
    assert roles.spend.tolist() == [1, 1] and roles.inferred
    cdf = g.critical_discount_factor()
    assert cdf.binding == pytest.approx(0.5) and cdf.roles_inferred
    assert any("inferred" in r for r in cdf.reasons)
    a = g.to_dict(analysis=True)["analysis"]
    assert a["critical_discount_factor"]["binding"] == pytest.approx(0.5)
    assert a["roles"]["inferred"] and a["roles"]["spend"] == {"Player 1": "2", "Player 2": "2"}


def test_given_roles_override_the_payoffs_and_survive_a_round_trip():
    """With the roles given, Spend is the action named by ``spend`` even where
    the payoffs alone would read the game the other way round."""
    g = Game.from_arrays(PD_A, PD_B)                       # inferred: action 2 is Spend
    flipped = Game(g.payoffs, spend=0)                     # say action 1 is Spend instead
    assert flipped.spend == (0, 0) and flipped.roles().source == "given"
    assert flipped.roles().spend.tolist() == [0, 0]
    # all Spend = (3, 3) and all Cut = (1, 1) now: spending together beats cutting together
    assert flipped.game_type() != "prisoners-dilemma"
    d = json.loads(json.dumps(flipped.to_dict()))
    assert d["spend"] == [0, 0] and Game.from_dict(d) == flipped and Game.from_dict(d) != g
    with pytest.raises(ParameterError, match="spend"):
        Game(g.payoffs, spend=2)


def test_matching_pennies_has_no_roles():
    g = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    with pytest.raises(RolesError, match="cannot tell which action is Spend"):
        g.critical_discount_factor()
    a = analyse(g)
    assert a["roles"] is None and a["critical_discount_factor"] is None and a["all_cut"] is None
    assert a["game_type"] == "other"


CAVEAT = "the equilibrium list may be incomplete; the worst equilibrium could be worse than reported"


def test_analysis_says_when_the_worst_equilibrium_may_be_worse():
    from dilemma.equilibria.efficiency import price_of_anarchy

    pd_ = np.stack([np.array(PD_A), np.array(PD_B)], axis=-1).astype(float)
    assert CAVEAT in price_of_anarchy(pd_, equilibrium_welfare=[2.0], exhaustive=False).notes
    assert CAVEAT not in price_of_anarchy(pd_, equilibrium_welfare=[2.0]).notes
    rng = np.random.default_rng(3)
    g = Game.from_payoff_array(rng.integers(-3, 4, size=(2, 2, 2, 3)).astype(float))
    a = analyse(g)
    assert (CAVEAT in a["efficiency"]["notes"]) == (not a["exhaustive"])
    assert a["efficiency"]["notes"] == g.price_of_anarchy().notes


def test_three_player_game():
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=(2, 3, 2)) for _ in range(3)]
    g = Game.from_arrays(*arrays)
    assert g.shape == (2, 3, 2) and g.actions[1] == ("1", "2", "3")
    for e in g.equilibria():
        assert g.is_nash(e.strategy)


def test_import_is_light():
    code = ("import sys, dilemma.game; "
            "print(any(m.split('.')[0] in ('pandas', 'scipy') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
