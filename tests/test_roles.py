"""Spend/Cut roles: resolved once, from names or payoffs, never from the order of actions."""

from __future__ import annotations

from itertools import permutations, product

import numpy as np
import pytest

from dilemma.equilibria import equilibria
from dilemma.equilibria.classify import game_type, type_codes
from dilemma.equilibria.grim import critical_discount_factor, stage_payoffs
from dilemma.equilibria.roles import infer_cut, resolve_roles
from dilemma.equilibria.schelling import schelling_table
from dilemma.errors import ParameterError, RolesError
from dilemma.game import Game


def two_player(R, S, T, P):
    """Symmetric 2x2 game, action 0 = Cut (C), 1 = Spend (D): u(C,C)=R, u(C,D)=S, u(D,C)=T, u(D,D)=P."""
    g = np.empty((2, 2, 2))
    g[0, 0] = (R, R)
    g[0, 1] = (S, T)
    g[1, 0] = (T, S)
    g[1, 1] = (P, P)
    return g


def counting_game(n, spend, cut):
    """N-player game, action 0 = Spend: a spender gets spend(k), a cutter cut(k), k = number of spenders."""
    g = np.zeros((2,) * n + (n,))
    for prof in product(range(2), repeat=n):
        k = prof.count(0)
        g[prof] = [spend(k) if a == 0 else cut(k) for a in prof]
    return g


# (payoffs, Cut index per player, type, binding delta*) -- worked by hand
PD = two_player(3, 0, 5, 1)               # delta* = (5-3)/(5-1) = 1/2
STAG = two_player(4, 0, 3, 2)             # T <= R: restraint self-enforcing, delta* = 0
CHICKEN = two_player(3, 1, 5, 0)          # (5-3)/(5-0) = 2/5
# asymmetric PD: player 1 has T=6, R=2, P=1 -> 4/5; player 0 has 1/2
APD = PD.copy()
APD[1, 0, 0], APD[0, 1, 1], APD[0, 0, 1], APD[1, 1, 1] = 5, 6, 2, 1
# three firms, Spend (0) dominant, all-Cut better for all: a spender gets 2 + k... see below
PD3 = counting_game(3, spend=lambda k: 4 - 2 * (k - 1), cut=lambda k: 3 - 2 * k)
# with k spenders: spender 4 - 2(k-1), cutter 3 - 2k; T = spend(1) = 4, R = cut(0) = 3, P = spend(3) = 0
STAG3 = counting_game(3, spend=lambda k: 2, cut=lambda k: 3 if k == 0 else 0)

CASES = [
    ("pd", PD, [0, 0], "prisoners-dilemma", 0.5),
    ("stag", STAG, [0, 0], "stag-hunt", 0.0),
    ("chicken", CHICKEN, [0, 0], "chicken", 0.4),
    ("asymmetric-pd", APD, [0, 0], "prisoners-dilemma", 0.8),
    ("pd3", PD3, [1, 1, 1], "prisoners-dilemma", 0.25),
    ("stag3", STAG3, [1, 1, 1], "stag-hunt", 0.0),
]


def relabel(g, perm, flips):
    """New player j is old player perm[j]; new action order of player j reversed if flips[j]."""
    n = g.shape[-1]
    q = np.transpose(g, list(perm) + [n])[..., list(perm)]
    axes = [j for j in range(n) if flips[j]]
    return np.flip(q, axis=axes) if axes else q


@pytest.mark.parametrize("name,g,cut,slug,delta", CASES, ids=[c[0] for c in CASES])
def test_hand_worked_roles_type_and_threshold(name, g, cut, slug, delta):
    roles = resolve_roles(g)
    assert roles.cut.tolist() == cut and roles.inferred and roles.source == "payoffs"
    assert game_type(g) == slug
    cdf = critical_discount_factor(g)
    assert cdf.binding == pytest.approx(delta) and cdf.roles_inferred


def test_the_review_example():
    """Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]): a PD, delta* = (5-3)/(5-1)."""
    g = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert g.game_type() == "prisoners-dilemma"
    assert g.critical_discount_factor().binding == pytest.approx(0.5)
    assert stage_payoffs(g)["T"].tolist() == [5.0, 5.0]


@pytest.mark.parametrize("name,g,cut,slug,delta", CASES, ids=[c[0] for c in CASES])
def test_no_answer_depends_on_the_order_of_players_or_actions(name, g, cut, slug, delta):
    n = g.shape[-1]
    base = critical_discount_factor(g).thresholds
    eq0 = equilibria(g)
    for perm in permutations(range(n)):
        for flips in product([False, True], repeat=n):
            q = relabel(g, perm, flips)
            assert game_type(q) == slug, (perm, flips)
            cdf = critical_discount_factor(q)
            np.testing.assert_allclose(cdf.thresholds, base[list(perm)])
            assert cdf.binding == pytest.approx(delta)
            # the Spend action of new player j is old player perm[j]'s Spend action, relabelled
            expect = [(1 - cut[perm[j]]) ^ int(flips[j]) for j in range(n)]
            assert resolve_roles(q).spend.tolist() == expect
            # equilibria: for N >= 3 only common relabellings of the actions keep a symmetric
            # game's array symmetric (the solver searches symmetric mixed equilibria of
            # symmetric arrays only), so there the flips are the same for every player
            if n >= 3 and len(set(flips)) > 1:
                continue
            got = set()
            for e in equilibria(q):      # back to the old labels: new player j is old perm[j]
                old = [None] * n
                for j, s in enumerate(e.strategy):
                    old[perm[j]] = s[::-1] if flips[j] else s
                got.add(tuple(tuple(np.round(s, 9)) for s in old))
            want = {tuple(tuple(np.round(s, 9)) for s in e.strategy) for e in eq0}
            assert got == want, (perm, flips)


def test_named_actions_win_over_the_payoffs_and_follow_their_order():
    # deadlock (T > P > R > S): the payoffs alone read it as harmony (labels swapped)
    dl = two_player(1, 0, 3, 2)
    assert game_type(dl) == "harmony"
    names = [["Cut", "Spend"], ["Cut", "Spend"]]
    assert game_type(dl, actions=names) == "deadlock"
    flipped = relabel(dl, (0, 1), (True, False))
    assert game_type(flipped, actions=[["Spend", "Cut"], ["Cut", "Spend"]]) == "deadlock"
    r = resolve_roles(flipped, actions=[["Spend", "Cut"], ["Cut", "Spend"]])
    assert r.spend.tolist() == [0, 1] and r.source == "names" and not r.inferred
    # naming one of the two is enough; Defect/Cooperate count too
    assert resolve_roles(dl, actions=[["x", "Spend"], ["Cooperate", "y"]]).spend.tolist() == [1, 1]
    # some players named, the others inferred
    r = resolve_roles(PD, actions=[["Cut", "Spend"], ["a", "b"]])
    assert r.spend.tolist() == [1, 1] and r.source == "names+payoffs" and r.inferred
    # spend= overrides everything
    assert resolve_roles(PD, actions=names, spend=0).spend.tolist() == [0, 0]


def test_games_without_roles_raise_a_roles_error():
    mp = np.stack([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], axis=-1).astype(float)
    with pytest.raises(RolesError, match="no choice of one action per player"):
        resolve_roles(mp)
    assert isinstance(RolesError("x"), ValueError)
    with pytest.raises(RolesError):
        critical_discount_factor(mp)
    with pytest.raises(RolesError):
        schelling_table(mp)
    assert game_type(mp) == "other"
    # two different "all cooperate" profiles each beat their mirror image: ambiguous
    amb = np.zeros((2, 2, 2))
    amb[0, 0], amb[1, 1], amb[0, 1], amb[1, 0] = (5, 5), (0, 0), (3, 3), (1, 1)
    with pytest.raises(RolesError, match="2 different choices"):
        resolve_roles(amb)
    with pytest.raises(ParameterError, match="spend"):
        resolve_roles(PD, spend=2)
    with pytest.raises(ParameterError, match="2 actions"):
        resolve_roles(np.zeros((3, 2, 2)))


def test_batch_inference_per_game():
    batch = np.stack([PD, relabel(PD, (1, 0), (True, False)),
                      np.stack([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], axis=-1)])
    cut, passing = infer_cut(batch)
    assert cut.tolist() == [[0, 0], [1, 0], [-1, -1]] and passing.tolist() == [1, 1, 0]
    assert type_codes(batch).tolist() == [0, 0, 5]          # PD, PD, other
    with pytest.raises(RolesError, match=r"\(1 of 3 games\)"):
        resolve_roles(batch)
    th = critical_discount_factor(batch[:2]).binding
    assert th.tolist() == [0.5, 0.5]


@pytest.mark.parametrize("n", [2, 3, 4])
def test_batch_with_inferred_roles_matches_one_game_at_a_time(n):
    """Per-game orientation inside a batch (each game its own Spend actions)."""
    rng = np.random.default_rng(40 + n)
    P = rng.integers(-3, 4, size=(200,) + (2,) * n + (n,)).astype(float)
    codes = type_codes(P)
    slugs = game_type(P)
    _, passing = infer_cut(P)
    ok = passing == 1
    assert 10 < ok.sum() < 200          # some games have roles, some do not
    th = critical_discount_factor(P[ok]).thresholds
    for m in range(P.shape[0]):
        assert slugs[m] == game_type(P[m]) and codes[m] == type_codes(P[m])
    for k, m in enumerate(np.flatnonzero(ok)):
        np.testing.assert_array_equal(th[k], critical_discount_factor(P[m]).thresholds)
