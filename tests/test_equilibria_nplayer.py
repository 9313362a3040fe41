"""Every Nash equilibrium of N-player games (dilemma.equilibria.nplayer).

Expected values come from Gambit's ``enumpoly_solve`` (an independent
implementation), from hand-worked games and from the literature.
"""

from __future__ import annotations

from itertools import product

import _hypothesis_profile  # noqa: F401  (tests/: derandomized Hypothesis profile in CI)
import numpy as np
import pygambit as gbt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dilemma
from dilemma.equilibria import equilibria, is_nash, pure_equilibria, regrets
from dilemma.equilibria.mixed import maximal_cliques, two_player_equilibria
from dilemma.equilibria.nplayer import nplayer_equilibria
from dilemma.errors import ParameterError
from test_equilibria_games import bimatrix

MISSION = [
    ("efficiency-shock", {}, 3),
    ("2025-baseline", {"demand.profit_pool": 100}, 3),
    ("cash-flows-delayed-2028", {"market.punishment": 0.001}, 3),
    ("cash-flows-delayed-2028", {"market.punishment": 0, "demand.profit_pool": 150}, 7),
]


def mission_payoffs(name, updates):
    s = dilemma.load_preset(name)
    return (s.with_values(updates) if updates else s).build_game().payoffs


def gambit_equilibria(p):
    """Gambit 17's enumpoly equilibria of a stacked payoff array, as strategy tuples."""
    gg = gbt.StrategicGame.from_arrays(*[p[..., i] for i in range(p.shape[-1])])
    res = gbt.nash.enumpoly_solve(gg)
    return [tuple(np.array([float(e[pl][s]) for s in gg.get_strategies(pl)]) for pl in gg.players)
            for e in res.equilibria]


def same_profile(a, b, atol=1e-6):
    return all(np.allclose(u, v, atol=atol) for u, v in zip(a, b))


def same_set(ours, theirs, atol=1e-6):
    return (all(any(same_profile(x, y, atol) for y in theirs) for x in ours)
            and all(any(same_profile(y, x, atol) for x in ours) for y in theirs))


def in_continuum(strategy, continua, atol=1e-6):
    return any(all(np.all(s >= lo - atol) and np.all(s <= hi + atol)
                   for s, lo, hi in zip(strategy, c.lower, c.upper)) for c in continua)


def game_from(fn, shape):
    """Stacked payoff array with ``p[prof] = fn(prof)`` (a length-N payoff vector)."""
    p = np.zeros(tuple(shape) + (len(shape),))
    for prof in product(*[range(a) for a in shape]):
        p[prof] = fn(prof)
    return p


# ---------------------------------------------------------------------------
# the mission's games, against Gambit


@pytest.mark.parametrize("name,updates,count", MISSION)
def test_mission_games_match_gambit_enumpoly(name, updates, count):
    p = mission_payoffs(name, updates)
    res = equilibria(p)
    theirs = gambit_equilibria(p)
    assert len(theirs) == count  # the counts the issue measured with Gambit
    assert res.exhaustive and not res.continua
    assert same_set([e.strategy for e in res], theirs)
    assert res.degenerate is False
    assert len(res.mixed) >= 1
    # each equilibrium carries its verification: the largest gain from a
    # unilateral switch, recomputed here from the payoffs
    for e in res:
        assert e.regret == pytest.approx(float(regrets(p, e.strategy).max()), abs=1e-12)
        assert 0 <= e.regret <= 1e-9 * float(np.ptp(p))


def test_efficiency_shock_tipping_point_is_the_mixed_equilibrium():
    """The stag hunt's mixed equilibrium is the tipping point: every firm that
    mixes is indifferent between Spend and Cut."""
    p = mission_payoffs("efficiency-shock", {})
    res = equilibria(p)
    (mixed,) = res.mixed
    from dilemma.equilibria import deviation_payoffs

    for s, d in zip(mixed.strategy, deviation_payoffs(p, mixed.strategy)):
        if 0 < s[0] < 1:
            assert d[0] == pytest.approx(d[1], abs=1e-9)


# ---------------------------------------------------------------------------
# Gambit's catalog


def catalog_games():
    import pygambit.catalog as cat

    out = []
    for name in cat.games()["Game"]:
        g = cat.load(name)
        if len(list(g.players)) >= 3:
            out.append((name, np.stack([np.asarray(a, dtype=float) for a in g.to_arrays()], -1)))
    return out


CATALOG = catalog_games()


@pytest.mark.parametrize("name,p", CATALOG, ids=[c[0] for c in CATALOG])
def test_catalog_games_agree_with_gambit(name, p):
    """Every Gambit equilibrium is one of ours or lies in a reported continuum;
    every one of ours passes the best-response check; where the game has no
    continuum the sets are equal — except selten1975/fig3, see below."""
    res = nplayer_equilibria(p)
    theirs = gambit_equilibria(p)
    ours = list(res)
    scale = max(1.0, float(np.ptp(p)))
    for e in ours:
        assert np.all(regrets(p, e) <= 1e-9 * scale)
    for t in theirs:
        assert any(same_profile(t, e) for e in ours) or in_continuum(t, res.continua)
    if not res.continua:
        assert same_set(ours, theirs)


def test_selten_fig3_has_a_regular_mixed_equilibrium_gambit_misses():
    """Worked by hand: with x = P(0 plays 0), y = P(1 plays 0), z = P(2 plays 0)
    and player 0 mixing over its first two actions, the indifference conditions
    are 4zx1 = 3x1 (player 1), 3z = 4yz + 1 - y (player 0) and 3x = 5(1-x)y
    (player 2): z = 3/4, y = 5/8, x = 25/49 — a regular root (non-zero
    Jacobian determinant), and player 0's third action earns 13/8 < 9/4."""
    (p,) = [q for n, q in CATALOG if n.endswith("selten1975/fig3")]
    res = nplayer_equilibria(p)
    target = (np.array([25 / 49, 24 / 49, 0.0]), np.array([5 / 8, 3 / 8]), np.array([0.75, 0.25]))
    assert any(same_profile(e, target, 1e-9) for e in res)
    assert np.all(regrets(p, target) <= 1e-12)
    k = next(k for k, e in enumerate(res) if same_profile(e, target, 1e-9))
    assert res.certified[k]
    assert not any(same_profile(e, target, 1e-6) for e in gambit_equilibria(p))


# ---------------------------------------------------------------------------
# known games


def three_player_pennies():
    """Player 0 wants to match 1, 1 wants to match 2, 2 wants to mismatch 0."""
    return game_from(lambda s: [1 if s[0] == s[1] else -1, 1 if s[1] == s[2] else -1,
                                1 if s[2] != s[0] else -1], (2, 2, 2))


def test_three_player_matching_pennies_has_one_fully_mixed_equilibrium():
    res = equilibria(three_player_pennies())
    assert res.exhaustive and len(res) == 1 and not res.pure
    assert all(s.tolist() == pytest.approx([0.5, 0.5], abs=1e-12) for s in res[0].strategy)


def two_totally_mixed():
    """F_0 = y - z, F_1 = x - z, F_2 = 2xy - x - y + 3/8 (F_i = u_i(0) - u_i(1)):
    on x = y = z the last is 2(t - 1/4)(t - 3/4), so t = 1/4 and t = 3/4 are
    totally mixed equilibria — two, the maximum McKelvey and McLennan (1997)
    prove for three players with two actions each."""
    def f(s):
        a, b, c = (int(v == 0) for v in s)
        return [(b - c) if s[0] == 0 else 0.0, (a - c) if s[1] == 0 else 0.0,
                (2 * a * b - a - b + 3 / 8) if s[2] == 0 else 0.0]
    return game_from(f, (2, 2, 2))


def test_three_player_game_with_two_totally_mixed_equilibria():
    p = two_totally_mixed()
    res = nplayer_equilibria(p)
    assert res.exhaustive and not res.continua
    full = [e for e in res if all(np.all(s > 0) for s in e)]
    ts = sorted(float(e[0][0]) for e in full)
    assert ts == pytest.approx([0.25, 0.75], abs=1e-12)
    assert all(np.allclose(e[0], e[1]) and np.allclose(e[1], e[2]) for e in full)
    contains_gambit(p, res)


def test_a_line_of_equilibria_leaves_the_closed_form_for_the_search():
    """F_0 = 2y - 1, F_1 = 2x - 1, F_2 = (2x - 1)(2y - 1) (x, y, z: the players'
    probabilities of action 0; F_i = u_i(0) - u_i(1)): x = y = 1/2 with any z
    solves all three, a line through the full support. Eliminating x and y
    leaves R(z) = 0 identically, so the closed form hands the support to the
    box search, which reports the line as a continuum."""
    import dilemma.equilibria.nplayer as npl

    def f(s):
        a, b, c = (1 if v == 0 else -1 for v in s)  # 2x - 1 at a pure action
        return [b if s[0] == 0 else 0.0, a if s[1] == 0 else 0.0,
                a * b if s[2] == 0 else 0.0]
    p = game_from(f, (2, 2, 2))
    game = npl._Game(p)
    sid = np.flatnonzero(npl._binary_root_filter(game, 1e-12))
    _, _, rest = npl._binary_closed_form(game, sid)
    full = npl._ternary_index(3)[0][sid[rest]].tolist()
    assert full == [[2, 2, 2]]  # only the full support is left to the search
    res = nplayer_equilibria(p)
    assert res.exhaustive and res.degenerate is True
    for t in (0.0, 0.1, 0.5, 0.85, 1.0):
        strat = (np.array([0.5, 0.5]), np.array([0.5, 0.5]), np.array([t, 1 - t]))
        assert is_nash(p, strat)
        assert in_continuum(strat, res.continua), t


@pytest.mark.parametrize("n", [3, 4, 5])
def test_closed_form_supports_agree_with_the_box_search(n, monkeypatch):
    """Supports with two or three mixing players are solved in closed form
    (elimination); with that switched off the box search solves them. Both must
    give the same list on generic games, every root certified."""
    import dilemma.equilibria.nplayer as npl

    rng = np.random.default_rng(40 + n)
    games = [rng.normal(size=(2,) * n + (n,)) for _ in range(6)]
    closed = [npl.nplayer_equilibria(p) for p in games]
    monkeypatch.setattr(npl, "CLOSED_FORM", 1)
    searched = [npl.nplayer_equilibria(p) for p in games]
    for a, b in zip(closed, searched):
        assert a.exhaustive and b.exhaustive and all(a.certified) and all(b.certified)
        assert same_set(list(a), list(b), atol=1e-9)
    assert sum(a.boxes for a in closed) < sum(b.boxes for b in searched)


def three_firm_stag_hunt():
    """Cut pays 3; Spend pays 4 if both others spend, else 0."""
    def f(s):
        return [3.0 if s[i] == 1 else (4.0 if all(s[j] == 0 for j in range(3) if j != i) else 0.0)
                for i in range(3)]
    return game_from(f, (2, 2, 2))


def test_three_firm_stag_hunt():
    """Symmetric mixed: q^2 * 4 = 3, q = sqrt(3)/2 (the tipping point). An
    asymmetric one with one firm cutting cannot exist (the other two would cut)."""
    res = equilibria(three_firm_stag_hunt())
    assert res.exhaustive
    assert [e.profile for e in res.pure] == [(0, 0, 0), (1, 1, 1)]
    (mixed,) = res.mixed
    assert mixed.is_symmetric and mixed.strategy[0][0] == pytest.approx(3 ** 0.5 / 2, abs=1e-12)


def test_rock_paper_scissors_three_players_with_a_dummy():
    """A dummy third player (constant payoff) makes every mix of its actions part
    of the equilibrium: the segment {RPS's (1/3, 1/3, 1/3) for both} x [0, 1],
    a line inside the 5-dimensional box of its support, found by subdivision and
    reported with a bounding box within the coarse width 1/64."""
    rps = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], dtype=float)
    p = game_from(lambda s: [rps[s[0], s[1]], -rps[s[0], s[1]], 0.0], (3, 3, 2))
    res = equilibria(p)
    assert res.degenerate is True and res.exhaustive
    (c,) = res.continua
    assert not c.exact
    for i in (0, 1):
        assert np.all(c.lower[i] <= 1 / 3) and np.all(c.upper[i] >= 1 / 3)
        assert np.all(c.upper[i] - c.lower[i] <= 2 / 64 + 1e-9)  # third: 1 - the others
    assert c.lower[2].tolist() == [0.0, 0.0] and c.upper[2].tolist() == [1.0, 1.0]
    assert is_nash(p, c.example, tol=1e-9)
    assert all(np.allclose(e.strategy[0], 1 / 3) for e in res)


def test_payoff_flat_game_is_one_continuum():
    """All payoffs equal: every profile is an equilibrium."""
    p = np.zeros((2, 2, 2, 3))
    res = nplayer_equilibria(p)
    assert res.exhaustive and res.degenerate is True
    (c,) = res.continua
    assert c.exact
    assert all(lo.tolist() == [0, 0] and hi.tolist() == [1, 1] for lo, hi in zip(c.lower, c.upper))
    assert len(res) == 8  # the pure profiles, each an equilibrium
    res2 = equilibria(p)
    assert res2.degenerate is True and len(res2.continua) == 1


def test_continuum_bounded_by_an_inequality():
    """Player 2 always indifferent; players 0 and 1 play a coordination game whose
    mixed equilibrium needs player 2 to... nothing: here player 0 gets 1 for
    matching player 1 and player 1 is indifferent, so with player 1 fixed at
    Left (0), player 0 plays 0 and player 1/2 may mix freely: continua."""
    p = game_from(lambda s: [1.0 if s[0] == s[1] else 0.0, 0.0, 0.0], (2, 2, 2))
    res = nplayer_equilibria(p)
    assert res.continua and res.degenerate is True
    for c in res.continua:
        assert c.example is not None and is_nash(p, c.example, tol=1e-9)
    # (1/2, 1/2) for player 1 makes player 0 indifferent: every profile with
    # y = 1/2 is an equilibrium, as is x = 1 with y >= 1/2 and x = 0 with y <= 1/2
    for prof in [([0.3, 0.7], [0.5, 0.5], [0.2, 0.8]), ([1, 0], [0.8, 0.2], [0.6, 0.4]),
                 ([0, 1], [0.1, 0.9], [1, 0])]:
        strat = tuple(np.array(s, dtype=float) for s in prof)
        assert is_nash(p, strat)
        assert in_continuum(strat, res.continua)


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_volunteers_dilemma_symmetric_root(n):
    """Diekmann (1985): the symmetric mixed equilibrium volunteers with
    probability 1 - (c/b)^(1/(N-1))."""
    from test_equilibria_games import volunteer

    b, c = 1.0, 0.3
    res = nplayer_equilibria(volunteer(n, b, c))
    sym = [e for e in res if all(np.allclose(s, e[0]) for s in e) and 0 < e[0][0] < 1]
    (e,) = sym
    assert e[0][0] == pytest.approx(1 - (c / b) ** (1 / (n - 1)), abs=1e-12)
    assert len(res) == 2 ** n - 1 and all(res.certified)


def test_six_firm_game_is_exhaustive():
    """A six-firm capex game (the baseline with a sixth firm) is solved completely
    and every pure equilibrium is listed."""
    s = dilemma.load_preset("2025-baseline")
    players = [q.to_dict() for q in s.players]
    extra = dict(players[-1], name="Sixth")
    p = s.with_players(players + [extra]).with_values({"demand.profit_pool": 100}).build_game().payoffs
    assert p.shape == (2,) * 6 + (6,)
    res = equilibria(p)
    assert res.exhaustive
    assert {e.profile for e in res.pure} == set(pure_equilibria(p))
    assert same_set([e.strategy for e in res], gambit_equilibria(p))


def contains_gambit(p, res):
    """Every Gambit equilibrium is ours; ours that Gambit lacks pass the check."""
    theirs = gambit_equilibria(p)
    assert all(any(same_profile(t, e) for e in res) for t in theirs)
    for e in res:
        assert np.all(regrets(p, e) <= 1e-12 * max(1.0, float(np.ptp(p))))
    return [e for e in res if not any(same_profile(t, e) for t in theirs)]


def test_players_with_more_actions_contain_gambit():
    """Generic games with 3-action players. On (3, 3, 2) Gambit 17.0.0b2 reports 3
    equilibria; we find 5, the other two with regret below 1e-15."""
    rng = np.random.default_rng(11)
    extra = {}
    for shape in [(3, 2, 2), (2, 3, 3), (3, 3, 2), (2, 2, 2, 3)]:
        p = rng.normal(size=shape + (len(shape),))
        res = nplayer_equilibria(p)
        assert res.exhaustive and all(res.certified) and len(res) % 2 == 1
        extra[shape] = len(contains_gambit(p, res))
    assert extra == {(3, 2, 2): 0, (2, 3, 3): 0, (3, 3, 2): 2, (2, 2, 2, 3): 0}


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.integers(3, 4))
def test_random_generic_games_equal_gambit(seed, n):
    """Generic (normal) payoffs: isolated equilibria only, every one certified
    unique in its box, an odd number of them (Wilson 1971), and every Gambit
    equilibrium among them. (Gambit 17.0.0b2 sometimes reports an even number:
    seed 12 with n = 4 gives 4 from Gambit and 5 here, the fifth with regret
    2e-16 — see test_gambit_misses_an_equilibrium_of_a_generic_game.)"""
    p = np.random.default_rng(seed).normal(size=(2,) * n + (n,))
    res = nplayer_equilibria(p)
    assert res.exhaustive and not res.continua and res.degenerate is False
    assert all(res.certified)
    assert len(res) % 2 == 1  # generic games have an odd number of equilibria
    contains_gambit(p, res)


def test_gambit_misses_an_equilibrium_of_a_generic_game():
    p = np.random.default_rng(12).normal(size=(2,) * 4 + (4,))
    res = nplayer_equilibria(p)
    (extra,) = contains_gambit(p, res)
    assert len(res) == 5 and len(gambit_equilibria(p)) == 4
    assert extra[3].tolist() == [1.0, 0.0] and np.all(regrets(p, extra) <= 1e-14)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(3, 4).flatmap(lambda n: st.lists(st.integers(-2, 2), min_size=n * 2 ** n,
                                                      max_size=n * 2 ** n).map(
    lambda v: np.array(v, dtype=float).reshape((2,) * n + (n,)))))
def test_tied_integer_games_report_only_equilibria(p):
    """Small integer payoffs (many ties): every listed profile and every continuum's
    example passes the best-response check, and all pure equilibria are listed."""
    res = nplayer_equilibria(p)
    for e in res:
        assert np.all(regrets(p, e) <= 1e-9 * max(1.0, float(np.ptp(p))))
    for c in res.continua:
        if c.example is not None:
            assert np.all(regrets(p, c.example) <= 1e-9 * max(1.0, float(np.ptp(p))))
    pure = {tuple(int(np.argmax(s)) for s in e) for e in res if all(s.max() == 1 for s in e)}
    assert pure == set(pure_equilibria(p))
    if res.degenerate is False:
        assert res.exhaustive


def test_point_pinned_by_two_inequalities_is_found_and_the_list_is_complete():
    """With players 1 and 2 at action 1, player 0 is indifferent, player 1
    needs x <= 1/2 and player 2 needs x >= 1/2 (x = player 0's probability of
    action 0), so x = 1/2 exactly: worked by hand from the payoffs below (rows:
    profiles (a0, a1, a2) in the order 000, 001, ..., 111)."""
    rows = [[2, 1, 2], [2, 1, 2], [2, 0, 0], [0, 0, 2],
            [2, 0, 1], [2, 0, 2], [0, 1, 2], [0, 1, 0]]
    p = np.array(rows, dtype=float).reshape(2, 2, 2, 3)
    # player 0: u0(0) = p[0,1,1] = 0 = u0(1) = p[1,1,1]; player 1:
    # u1(0) - u1(1) = (x*1 + (1-x)*0) - (x*0 + (1-x)*1) = 2x - 1 (<= 0 iff x <= 1/2);
    # player 2: u2(0) - u2(1) = (x*0 + (1-x)*2) - (x*2 + (1-x)*0) = 2 - 4x (<= 0 iff x >= 1/2)
    half = (np.array([0.5, 0.5]), np.array([0.0, 1.0]), np.array([0.0, 1.0]))
    assert np.all(regrets(p, half) <= 1e-12)
    for x in (0.49, 0.51):
        assert np.max(regrets(p, (np.array([x, 1 - x]),) + half[1:])) > 1e-3
    res = nplayer_equilibria(p)
    assert res.exhaustive
    assert any(same_profile(e, half) for e in res) or in_continuum(half, res.continua)
    for t in gambit_equilibria(p):
        assert any(same_profile(e, t) for e in res) or in_continuum(t, res.continua)


@pytest.mark.parametrize("seed", range(12))
def test_tied_integer_games_are_solved_completely_and_contain_gambit(seed):
    """Payoffs in {0, 1, 2} (ties everywhere, as sliders at an edge give), three
    and four players: the search finishes (``exhaustive``), and every
    equilibrium Gambit's enumpoly lists is ours or inside a reported continuum."""
    rng = np.random.default_rng(seed)
    n = 3 + seed % 2
    p = rng.integers(0, 3, size=(2,) * n + (n,)).astype(float)
    res = equilibria(p)
    assert res.exhaustive, res.notes
    for t in gambit_equilibria(p):
        assert (any(same_profile(e.strategy, t) for e in res)
                or in_continuum(t, res.continua)), t


def near_tie_game(seed):
    """Integer payoffs in {0, 1, 2} with every tie broken by noise of size 1e-10
    to 1e-5: what sliders next to a tie give."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 6))
    scale = 10.0 ** rng.integers(-10, -4)
    return (rng.integers(0, 3, size=(2,) * n + (n,)).astype(float)
            + scale * rng.normal(size=(2,) * n + (n,)))


@pytest.mark.parametrize("seed", [3, 62, 173, 184, 285, 1, 2, 4])
def test_near_tie_games_contain_gambits_exact_equilibria(seed):
    """Ties broken by tiny noise give equilibria that use an action with a tiny
    probability (4e-7, 5e-12). When the search says it is complete, every exact
    equilibrium of Gambit's (regret below 1e-12) is listed or lies in a reported
    continuum. The first five seeds failed before two fixes: a tiny box around
    such a root was taken for a point (numpy.allclose's relative tolerance) and
    dropped, and a root using an action with probability below 1e-10 was left to
    the smaller support, which holds it only within the tolerance."""
    p = near_tie_game(seed)
    res = nplayer_equilibria(p)
    assert res.exhaustive, res.notes
    for t in gambit_equilibria(p):
        if np.max(regrets(p, t)) <= 1e-12:
            assert (any(same_profile(e, t, atol=1e-4) for e in res)
                    or in_continuum(t, res.continua, atol=1e-4)), t


@pytest.mark.parametrize("shape", [(2, 2, 2), (2, 2, 2, 2), (2, 2, 2, 2, 2), (3, 2, 2),
                                   (3, 3, 2), (2, 2, 2, 3)])
def test_generic_games_have_an_odd_number_of_equilibria(shape):
    """Wilson (1971): almost every finite game has an odd number of
    equilibria, so a complete list for a random (generic) game has odd length
    (Gambit's enumpoly returns an even number on some of these)."""
    rng = np.random.default_rng(sum(shape) * 7 + len(shape))
    for _ in range(5):
        p = rng.normal(size=shape + (len(shape),))
        res = equilibria(p)
        assert res.exhaustive and not res.continua
        assert len(res) % 2 == 1, [e.strategy for e in res]


def test_budget_spent_is_not_exhaustive():
    res = nplayer_equilibria(three_player_pennies(), max_boxes=3)
    assert not res.exhaustive and res.degenerate is None
    assert any("budget" in note for note in res.notes)


def test_bad_budget_is_refused():
    with pytest.raises(ParameterError, match="max_boxes"):
        nplayer_equilibria(three_player_pennies(), max_boxes=0)
    with pytest.raises(ParameterError, match="min_width"):
        nplayer_equilibria(three_player_pennies(), min_width=2.0)


# ---------------------------------------------------------------------------
# two players: convex pieces (issue 10, item 3) and degeneracy unknown (item 4)


def test_two_player_convex_pieces_are_maximal_cliques():
    """A = B = [[1, 1], [1, 0]]: (T,L), (T,R), (B,L) are equilibria, (B,R) is not.
    One connected component, but the midpoint of (T,R) and (B,L) is not an
    equilibrium: the set is {T} x [L,R] union [T,B] x {L} — two convex pieces."""
    A = [[1, 1], [1, 0]]
    g = bimatrix(A, A)
    res = equilibria(g)
    assert len(res) == 3 and res.degenerate is True
    assert res.components == [[0, 1, 2]]
    pieces = sorted(sorted(tuple(res[k].profile) for k in c) for c in res.cliques)
    assert pieces == [[(0, 0), (0, 1)], [(0, 0), (1, 0)]]
    mid = (np.array([0.5, 0.5]), np.array([0.5, 0.5]))
    assert not is_nash(g, mid)
    assert not any("convex hulls" in note for note in res.notes)
    assert sum("convex piece" in note for note in res.notes) == 2


def test_maximal_cliques_of_a_complete_bipartite_graph():
    assert maximal_cliques([(0, 0), (0, 1), (1, 0), (1, 1)]) == [[0, 1, 2, 3]]
    assert maximal_cliques([(0, 0), (1, 1)]) == [[0], [1]]


def test_lemke_howson_fallback_says_degeneracy_unknown():
    A = [[-3, 3], [-3, 5]]
    B = [[2, 7], [4, 2]]
    res = two_player_equilibria(A, B, max_bases=1)
    assert res.degenerate is None and not res.exhaustive


def test_result_serialises_new_fields():
    d = equilibria(np.zeros((2, 2, 2, 3))).to_dict()
    assert d["degenerate"] is True and len(d["continua"]) == 1
    assert d["continua"][0]["exact"] is True


def test_exact_rational_polish_of_selten_fig3():
    """The hand-worked equilibrium (25/49, 24/49, 0), (5/8, 3/8), (3/4, 1/4) comes
    back in exact fractions, proved in rational arithmetic."""
    (p,) = [q for n, q in CATALOG if n.endswith("selten1975/fig3")]
    res = equilibria(p)
    assert (("25/49", "24/49", "0"), ("5/8", "3/8"), ("3/4", "1/4")) in [e.exact for e in res]


def test_exact_equilibrium_refuses_a_non_equilibrium():
    from fractions import Fraction

    from dilemma.equilibria.nplayer import exact_equilibrium, rational_payoffs

    P = rational_payoffs(three_player_pennies())
    half = np.array([0.5, 0.5])
    assert exact_equilibrium(P, (half, half, half)) == ((Fraction(1, 2),) * 2,) * 3
    assert exact_equilibrium(P, (np.array([0.6, 0.4]), half, half)) is None
    assert rational_payoffs(np.full((2, 2, 2, 3), np.pi)) is None


def test_too_many_supports_falls_back_to_pure_and_symmetric():
    """12 volunteers: 3**12 support profiles exceed the budget, so nothing is
    searched; equilibria() then lists the pure equilibria and the symmetric
    mixed one (1 - 0.3**(1/11)) and says the list is not exhaustive."""
    from test_equilibria_games import volunteer

    g = volunteer(12, 1.0, 0.3)
    assert nplayer_equilibria(g).boxes == 0
    res = equilibria(g)
    assert not res.exhaustive and res.degenerate is None
    assert len(res.pure) == 12
    (mixed,) = res.mixed
    assert mixed.strategy[0][0] == pytest.approx(1 - 0.3 ** (1 / 11), abs=1e-10)
    assert any("too large" in note for note in res.notes)


def test_time_budget_must_be_positive():
    with pytest.raises(ParameterError, match="max_seconds"):
        nplayer_equilibria(three_player_pennies(), max_seconds=0)
