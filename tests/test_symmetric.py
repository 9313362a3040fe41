"""Symmetric mixed equilibria: roots of the gain polynomial of any multiplicity.

The oracle for random games is Sturm's theorem in exact rational arithmetic
(an independent count of the distinct roots), for constructed games the roots
they were built from.
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dilemma.equilibria.check import regrets
from dilemma.equilibria.symmetric import (schelling_delta, symmetric_mixed_equilibria,
                                          symmetric_mixed_roots)


def counting_game(n, delta):
    """Symmetric two-action game with Schelling gains ``delta``: an action-1 player gets 0,
    an action-0 player gets ``delta[j]`` when ``j`` others play action 0."""
    g = np.zeros((2,) * n + (n,))
    for prof in product(range(2), repeat=n):
        k = prof.count(0)
        g[prof] = [float(delta[k - 1]) if a == 0 else 0.0 for a in prof]
    return g


# ---------------------------------------------------------------- exact oracle (Sturm)
def _trim(a):
    while a and a[-1] == 0:
        a = a[:-1]
    return a


def _rem(a, b):
    a = list(a)
    while len(a) >= len(b) and a:
        f = a[-1] / b[-1]
        shift = len(a) - len(b)
        for i, c in enumerate(b):
            a[shift + i] -= f * c
        a = _trim(a[:-1] + [Fraction(0)]) if a[-1] == 0 else _trim(a)
    return a


def _sign_changes(values):
    signs = [v > 0 for v in values if v != 0]
    return sum(1 for x, y in zip(signs, signs[1:]) if x != y)


def sturm_count_positive(coefs):
    """Distinct roots in (0, inf) of sum(coefs[j] t**j) (exact, Fractions, ascending order)."""
    a = _trim([Fraction(c) for c in coefs])
    while a and a[0] == 0:              # t = 0 is p = 0, not interior
        a = a[1:]
    if len(a) <= 1:
        return 0
    seq = [a, _trim([i * c for i, c in enumerate(a)][1:])]
    while len(seq[-1]) > 1:
        r = _rem(seq[-2], seq[-1])
        if not r:
            break
        seq.append([-c for c in r])
    at0 = [s[0] for s in seq]
    atinf = [s[-1] for s in seq]
    return _sign_changes(at0) - _sign_changes(atinf)


def gain(delta, p):
    n1 = len(delta) - 1
    return sum(math.comb(n1, j) * p**j * (1 - p) ** (n1 - j) * d for j, d in enumerate(delta))


# ------------------------------------------------------------------------- tests
def test_root_of_multiplicity_four():
    """Five players, Delta(j) = (-1)**j: g(p) = (1 - 2p)**4 and p = 1/2 is an equilibrium."""
    delta = [(-1) ** j for j in range(5)]
    g = counting_game(5, delta)
    assert schelling_delta(g).tolist() == delta
    res = symmetric_mixed_equilibria(g)
    assert res.probabilities == [0.5] and res.tangent == [True]
    assert not res.indifferent_everywhere
    assert any("touches zero there without changing sign" in n for n in res.notes)
    half = [np.array([0.5, 0.5])] * 5
    assert np.all(regrets(g, half) <= 1e-12)
    # the batched form the sweep calls: one root, not two near 1/2
    roots, tangent, indifferent = symmetric_mixed_roots(schelling_delta(np.stack([g, g])))
    assert roots == [[0.5], [0.5]] and tangent == [[True], [True]]


def test_roots_of_odd_multiplicity_and_simple_roots():
    # g = (1 - 2p)**3 in the Bernstein basis of degree 3: Delta = (1, -1, 1, -1)
    roots, tangent, _ = symmetric_mixed_roots([[1, -1, 1, -1]])
    assert roots == [[0.5]] and tangent == [[False]]
    # volunteer's dilemma, 3 players, b = 1, c = 1/4: Delta = (3/4, -1/4, -1/4), p = 1/2
    roots, _, _ = symmetric_mixed_roots([[0.75, -0.25, -0.25]])
    assert roots[0] == pytest.approx([0.5], abs=1e-15)
    # chicken: Delta = (1, -9) (action 0 = straight): p = 1/10
    roots, _, _ = symmetric_mixed_roots([[1.0, -9.0]])
    assert roots[0] == pytest.approx([0.1], abs=1e-15)


def test_identically_zero_gain_is_a_continuum():
    res = symmetric_mixed_equilibria(counting_game(4, [0, 0, 0, 0]))
    assert res.indifferent_everywhere and res.probabilities == []
    assert "continuum" in res.notes[0]


def _bernstein_from_roots(d, roots):
    """Integer Bernstein coefficients (degree d) of prod (q p - a)**m, times (1 + p)."""
    poly = [Fraction(1), Fraction(1)]                       # 1 + p: no root in [0, 1]
    for (a, q), m in roots:
        for _ in range(m):
            poly = [(poly[i - 1] * q if i else 0) - (poly[i] * a if i < len(poly) else 0)
                    for i in range(len(poly) + 1)]
    assert len(poly) - 1 <= d
    poly += [Fraction(0)] * (d + 1 - len(poly))
    b = [sum(Fraction(math.comb(j, i), math.comb(d, i)) * poly[i] for i in range(j + 1))
         for j in range(d + 1)]
    scale = math.lcm(*[x.denominator for x in b])
    return [int(x * scale) for x in b]


@pytest.mark.parametrize("d,roots", [
    (4, [((1, 2), 2), ((1, 4), 1)]),            # double root at 1/2, simple at 1/4
    (5, [((1, 3), 2), ((3, 4), 2)]),            # two double roots
    (6, [((2, 5), 3), ((4, 5), 2)]),            # triple and double
    (6, [((1, 2), 5)]),                         # multiplicity 5
])
def test_constructed_multiple_roots(d, roots):
    delta = _bernstein_from_roots(d, roots)
    found, tangent, _ = symmetric_mixed_roots([delta])
    want = sorted(a / q for (a, q), _ in roots)
    assert found[0] == pytest.approx(want, abs=1e-4)
    assert tangent[0] == [m % 2 == 0 for _, m in sorted(roots, key=lambda r: r[0][0] / r[0][1])]


@settings(max_examples=150, deadline=None)
@given(n=st.integers(2, 7), values=st.lists(st.integers(-4, 4), min_size=7, max_size=7))
def test_every_root_found_exactly_once(n, values):
    delta = values[:n]
    n1 = n - 1
    roots, _, indifferent = symmetric_mixed_roots([delta])
    if all(v == 0 for v in delta):
        assert indifferent[0] and roots == [[]]
        return
    expected = sturm_count_positive([math.comb(n1, j) * d for j, d in enumerate(delta)])
    assert len(roots[0]) == expected, (delta, roots)
    scale = max(abs(v) for v in delta)
    for p in roots[0]:
        assert 0 < p < 1 and abs(gain(delta, p)) <= 1e-9 * scale
