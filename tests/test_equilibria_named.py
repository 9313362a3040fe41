"""Known equilibria of named games from the literature.

Every expected equilibrium below was computed by hand from the indifference
conditions (noted next to each game); the solver's output must match as a set.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from dilemma.equilibria import (equilibria, is_degenerate, is_nash, pure_equilibria,
                                symmetric_mixed_equilibria, two_player_equilibria)
from test_equilibria_games import bimatrix, same_strategies, volunteer

T, R, P, S = 5, 3, 1, 0

NAMED = {
    # action 0 = cooperate, 1 = defect; defect strictly dominant
    "prisoners-dilemma": (
        [[R, S], [T, P]], [[R, T], [S, P]],
        [([0, 1], [0, 1])]),
    # stag (0) / hare (1): indifference 4q = 3 -> q = 3/4
    "stag-hunt": (
        [[4, 0], [3, 3]], [[4, 3], [0, 3]],
        [([1, 0], [1, 0]), ([0, 1], [0, 1]), ([0.75, 0.25], [0.75, 0.25])]),
    # swerve (0) / straight (1), crash -10: -(1-p) = p - 10(1-p) -> p = 9/10
    "chicken": (
        [[0, -1], [1, -10]], [[0, 1], [-1, -10]],
        [([1, 0], [0, 1]), ([0, 1], [1, 0]), ([0.9, 0.1], [0.9, 0.1])]),
    # (2,1)/(1,2) battle of the sexes: column indifferent x1 = 2 x2, row 2 y1 = y2
    "battle-of-the-sexes": (
        [[2, 0], [0, 1]], [[1, 0], [0, 2]],
        [([1, 0], [1, 0]), ([0, 1], [0, 1]), ([2 / 3, 1 / 3], [1 / 3, 2 / 3])]),
    "matching-pennies": (
        [[1, -1], [-1, 1]], [[-1, 1], [1, -1]],
        [([0.5, 0.5], [0.5, 0.5])]),
    "rock-paper-scissors": (
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
        [([1 / 3] * 3, [1 / 3] * 3)]),
    # von Stengel (2007), "Equilibrium computation for two-player games in strategic
    # and extensive form", Algorithmic Game Theory ch. 3: the 3x2 running example
    # (nondegenerate, 3 equilibria; also in QuantEcon's tests)
    "von-stengel-3x2": (
        [[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]],
        [([1, 0, 0], [1, 0]), ([0.8, 0.2, 0], [2 / 3, 1 / 3]),
         ([0, 1 / 3, 2 / 3], [1 / 3, 2 / 3])]),
    # Shapley's 3x3 game: unique equilibrium, uniform
    "shapley": (
        [[0, 1, 0], [0, 0, 1], [1, 0, 0]], [[0, 0, 1], [1, 0, 0], [0, 1, 0]],
        [([1 / 3] * 3, [1 / 3] * 3)]),
    # 3x3 coordination game diag(1, 2, 3): an equilibrium on every common support K,
    # with y_k (and x_k) proportional to 1/k on K -> 2^3 - 1 = 7 equilibria
    "coordination-3x3": (
        np.diag([1, 2, 3]), np.diag([1, 2, 3]),
        [(v, v) for v in (
            [1, 0, 0], [0, 1, 0], [0, 0, 1],
            [2 / 3, 1 / 3, 0], [3 / 4, 0, 1 / 4], [0, 3 / 5, 2 / 5],
            [6 / 11, 3 / 11, 2 / 11])]),
}


@pytest.mark.parametrize("name", sorted(NAMED))
def test_named_game_equilibria(name):
    A, B, expected = NAMED[name]
    res = two_player_equilibria(A, B)
    assert res.exhaustive
    assert same_strategies(list(res), expected), (name, list(res))
    full = equilibria(bimatrix(A, B))
    assert same_strategies([e.strategy for e in full], expected)
    assert full.exhaustive
    for e in full:
        assert is_nash(bimatrix(A, B), e.strategy)
    # pure first, then mixed
    kinds = [e.kind for e in full]
    assert kinds == sorted(kinds, key=lambda k: k != "pure")


@pytest.mark.parametrize("name", sorted(NAMED))
def test_named_games_are_nondegenerate(name):
    A, B, _ = NAMED[name]
    assert not is_degenerate(A, B)


def test_degenerate_game_with_a_continuum():
    """A = [[-3, 3], [-3, 5]], B = [[2, 7], [4, 2]] (nashpy's vertex enumeration finds nothing).

    Row 1 (index 1) weakly dominates row 0 for player 1 (-3 = -3, 5 > 3). If the
    column player puts any weight on column 1, row 1 is the unique best reply,
    and against row 1 column 0 is better (4 > 2): so y = (1, 0). Against column 0
    the row player is indifferent; column 0 stays a best reply to x = (p, 1-p)
    while 2p + 4(1-p) >= 7p + 2(1-p), i.e. p <= 2/7. The equilibria are the
    segment {((p, 1-p), (1, 0)) : 0 <= p <= 2/7}, with extreme points p = 0 and
    p = 2/7.
    """
    A, B = [[-3, 3], [-3, 5]], [[2, 7], [4, 2]]
    res = two_player_equilibria(A, B)
    expected = [([0, 1], [1, 0]), ([2 / 7, 5 / 7], [1, 0])]
    assert same_strategies(list(res), expected)
    assert res.degenerate and is_degenerate(A, B)
    assert res.components == [[0, 1]]
    assert res.exact[1][0] == (Fraction(2, 7), Fraction(5, 7))
    assert any("continuum" in n for n in res.notes)
    # midpoint of the segment is an equilibrium too, a point beyond it is not
    g = bimatrix(A, B)
    assert is_nash(g, ([1 / 7, 6 / 7], [1, 0]))
    assert not is_nash(g, ([3 / 7, 4 / 7], [1, 0]))
    # the same through the general entry point and in floating point
    full = equilibria(g)
    assert full.degenerate and full.components == [[0, 1]]
    assert same_strategies(list(two_player_equilibria(A, B, exact=False)), expected)


def test_nashpy_degenerate_zero_sum_example():
    """nashpy docs' degenerate game: a range of row strategies against (1/2, 1/2, 0)."""
    A = np.array([[0, -1, 1], [-1, 0, 1], [-1, 0, 1]])
    res = two_player_equilibria(A, -A)
    assert res.degenerate
    for x, y in res:
        assert is_nash(bimatrix(A, -A), (x, y))
    xs = {tuple(np.round(x, 6)) for x, _ in res}
    assert (0.5, 0.5, 0.0) in xs and (0.5, 0.0, 0.5) in xs


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_volunteers_dilemma(n):
    """Diekmann (1985): N pure equilibria (one volunteer) and, for every group of
    k >= 2 players, one where the group mixes with P(volunteer) = 1 - (c/b)^(1/(k-1))
    and the others stand by: 2^N - 1 equilibria in all."""
    from itertools import combinations

    b, c = 1.0, 0.3
    g = volunteer(n, b, c)
    pure = pure_equilibria(g)
    assert pure == sorted(tuple(0 if k == i else 1 for k in range(n)) for i in range(n))
    p_star = 1 - (c / b) ** (1 / (n - 1))
    sym = symmetric_mixed_equilibria(g)
    assert sym.probabilities == pytest.approx([p_star], abs=1e-10)
    res = equilibria(g)
    assert res.exhaustive and res.degenerate is False and not res.continua
    assert [e.profile for e in res.pure] == pure
    assert len(res) == 2 ** n - 1
    expected = set()
    for k in range(2, n + 1):
        q = 1 - (c / b) ** (1 / (k - 1))
        for group in combinations(range(n), k):
            expected.add(tuple(round(q, 8) if i in group else 0.0 for i in range(n)))
    got = {tuple(round(float(s[0]), 8) + 0.0 for s in e.strategy) for e in res.mixed}
    assert got == expected
    (mixed,) = [e for e in res.mixed if e.is_symmetric]
    assert mixed.strategy[0][0] == pytest.approx(p_star, abs=1e-10)
    assert all(is_nash(g, e.strategy, tol=1e-9) for e in res)
