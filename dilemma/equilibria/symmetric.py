r"""Symmetric games: the symmetry test and every symmetric mixed equilibrium
of a symmetric N-player game with two actions.

A game is *symmetric* when relabelling the players does not change it:
:math:`u_{\pi(i)}(s_{\pi^{-1}(1)}, \dots) = u_i(s)` for every permutation
:math:`\pi`. The transpositions :math:`(0\,k)` generate all permutations, so
it suffices to check invariance under swapping player 0 with each other player.

In a symmetric two-action game let :math:`\Delta(j)` be the payoff of action 0
minus the payoff of action 1 when :math:`j` of the *other* :math:`N-1` players
play action 0. If everyone else plays action 0 with probability :math:`p`, a
player's gain from action 0 is the Bernstein polynomial

.. math:: g(p) = \sum_{j=0}^{N-1} \binom{N-1}{j} p^j (1-p)^{N-1-j} \Delta(j).

A symmetric profile with :math:`0 < p < 1` is an equilibrium exactly when
:math:`g(p) = 0`. The :math:`\Delta(j)` are the coefficients of :math:`g` in
the Bernstein basis of degree :math:`N-1`, and the derivative of a Bernstein
polynomial is again one, with coefficients
:math:`(N-1)(\Delta(j+1) - \Delta(j))`. Roots are found without ever
dividing by the derivative, so roots of any multiplicity are kept:

* the interior extrema of :math:`g` are the points where :math:`g'` changes
  sign, found by the same procedure one degree lower (recursively, down to a
  linear polynomial); between two consecutive extrema (or 0 and 1)
  :math:`g` is monotone, so it has a root there exactly when it changes sign,
  located by bisection (roots of odd multiplicity);
* at an extremum :math:`c` with :math:`|g(c)| \le` ``tol`` the curve touches
  zero without crossing (a root of even multiplicity, e.g. five players with
  :math:`\Delta(j) = (-1)^j`, :math:`g(p) = (1-2p)^4` and :math:`p = 1/2`);
  such an equilibrium is reported and flagged as *tangent*: it is not regular,
  and a small change in the payoffs removes it or splits it in two;
* candidates closer together than the tie tolerance (:math:`|g| \le` ``tol``
  between them) are one root.

(Symmetric *pure* equilibria, :math:`p \in \{0, 1\}`, are found by
:mod:`dilemma.equilibria.pure`.) If :math:`|\Delta(j)| \le` ``tol`` for every
:math:`j`, :math:`g \equiv 0` and every :math:`p` is an equilibrium: a
continuum, reported as such, not hidden. Every function takes a leading batch
of games (or of :math:`\Delta` rows) as well.

Examples
--------
Volunteer's dilemma with 3 players, benefit 1, cost 1/4 (action 0 = volunteer):
each volunteers with probability :math:`1 - (c/b)^{1/(N-1)} = 1/2`.

>>> import numpy as np
>>> from itertools import product
>>> def volunteer(n, b=1.0, c=0.25):
...     p = np.zeros((2,) * n + (n,))
...     for prof in product(range(2), repeat=n):
...         anyone = 0 in prof
...         p[prof] = [b * anyone - c * (a == 0) for a in prof]
...     return p
>>> res = symmetric_mixed_equilibria(volunteer(3))
>>> [round(q, 12) for q in res.probabilities]
[0.5]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dilemma.equilibria._arrays import as_payoffs, batch_shape, check_tol
from dilemma.errors import ParameterError

__all__ = ["is_symmetric", "schelling_delta", "symmetric_mixed_equilibria",
           "symmetric_mixed_roots", "SymmetricMixedResult"]


def is_symmetric(payoffs, tol: float = 1e-9):
    """Whether the game is symmetric (invariant under relabelling players).

    Parameters
    ----------
    payoffs : array_like, shape (a, ..., a, N) or (B..., a, ..., a, N)
        One game or a leading batch of games.
    tol : float, default 1e-9
        Absolute tolerance on payoffs.

    Returns
    -------
    bool or numpy.ndarray of bool
        One answer per game (an array of shape ``(B...)`` for a batch).

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> is_symmetric(pd)
    True
    >>> bos = np.stack([[[3, 0], [0, 2]], [[2, 0], [0, 3]]], axis=-1)
    >>> is_symmetric(bos)
    False
    >>> is_symmetric(np.stack([pd, bos])).tolist()
    [True, False]
    """
    p = as_payoffs(payoffs, batch=True)
    tol = check_tol(tol)
    batch = batch_shape(p)
    nb = len(batch)
    n = p.shape[-1]
    shape = p.shape[nb:-1]
    if len(set(shape)) > 1:
        return np.zeros(batch, dtype=bool) if batch else False
    flat = p.reshape((-1,) + p.shape[nb:])
    m = flat.shape[0]
    # necessary condition, part of the full check (swapping players 0 and k leaves a
    # unanimous profile unchanged): equal payoffs at every unanimous profile. It
    # rejects heterogeneous players at once, so the full check runs on few games.
    ok = np.ones(m, dtype=bool)
    for a in range(shape[0] if n else 0):
        u = flat[(slice(None),) + (a,) * n]
        ok &= np.all(np.abs(u[:, :1] - u[:, 1:]) <= tol, axis=1)
    rows = np.flatnonzero(ok)
    if len(rows):
        Q = flat[rows]
        full = np.ones(len(rows), dtype=bool)
        for k in range(1, n):
            q = np.swapaxes(Q, 1, 1 + k)
            perm = list(range(n))
            perm[0], perm[k] = k, 0
            q = q[..., perm]
            full &= np.all(np.abs(Q - q).reshape(len(rows), -1) <= tol, axis=1)
        ok[rows] = full
    return ok.reshape(batch) if batch else bool(ok[0])


def schelling_delta(payoffs) -> np.ndarray:
    r"""``Delta(j)`` for ``j = 0..N-1`` of a symmetric two-action game (or of a batch).

    ``Delta(j)`` = payoff of action 0 minus payoff of action 1 of player 0 when
    ``j`` of the others play action 0 (the first ``j`` of them; the game being
    symmetric, which ones does not matter). Shape ``(B..., N)``.

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> schelling_delta(pd).tolist()  # cooperate minus defect
    [-1.0, -2.0]
    """
    p = as_payoffs(payoffs, batch=True)
    batch = batch_shape(p)
    shape = p.shape[len(batch):-1]
    if any(a != 2 for a in shape):
        raise ParameterError("payoffs", "a game in which every player has 2 actions", shape)
    n = len(shape)
    out = np.empty(batch + (n,))
    for j in range(n):
        others = (0,) * j + (1,) * (n - 1 - j)
        out[..., j] = p[(Ellipsis, 0) + others + (0,)] - p[(Ellipsis, 1) + others + (0,)]
    return out


def _bernstein(b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Bernstein polynomials with coefficients ``b`` (K, d+1) at points ``x`` (K, M) (de Casteljau)."""
    c = np.broadcast_to(b[:, None, :], x.shape + (b.shape[1],))
    xx = x[..., None]
    for _ in range(b.shape[1] - 1):
        c = c[..., :-1] * (1.0 - xx) + c[..., 1:] * xx
    return c[..., 0]


def _crossings(b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points in (0, 1) where the Bernstein polynomials ``b`` (K, d+1) change sign, and their extrema.

    Returns ``(roots, extrema)``: (K, d) and (K, d - 1) arrays, sorted, NaN-padded.
    """
    K, m = b.shape
    d = m - 1
    if d <= 0:
        return np.empty((K, 0)), np.empty((K, 0))
    if d == 1:
        b0, b1 = b[:, 0], b[:, 1]
        cross = b0 * b1 < 0
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(cross, b0 / np.where(cross, b0 - b1, 1.0), np.nan)
        return r[:, None], np.empty((K, 0))
    extrema, _ = _crossings(d * np.diff(b, axis=1))         # (K, d-1): where g' changes sign
    inner = np.where(np.isnan(extrema), 1.0, extrema)
    bp = np.concatenate([np.zeros((K, 1)), inner, np.ones((K, 1))], axis=1)   # (K, d+1), sorted
    f = _bernstein(b, bp)
    lo, hi = bp[:, :-1].copy(), bp[:, 1:].copy()
    flo, fhi = f[:, :-1], f[:, 1:]
    cross = flo * fhi < 0        # g monotone on [lo, hi]: one root there iff a strict sign change
    if cross.any():
        rows, cols = np.nonzero(cross)
        a, z = lo[rows, cols], hi[rows, cols]
        fa = flo[rows, cols]
        coef = b[rows]
        for _ in range(64):      # bisection: never divides by the derivative
            mid = 0.5 * (a + z)
            fm = _bernstein(coef, mid[:, None])[:, 0]
            same = np.sign(fm) == np.sign(fa)
            exact = fm == 0
            a = np.where(same | exact, mid, a)
            z = np.where(~same | exact, mid, z)
            fa = np.where(same, fm, fa)
            if np.all(z - a <= 4e-16):
                break
        roots = np.full((K, d), np.nan)
        roots[rows, cols] = 0.5 * (a + z)
        roots.sort(axis=1)
    else:
        roots = np.full((K, d), np.nan)
    return roots, extrema


def symmetric_mixed_roots(delta, tol: float = 1e-9):
    """Every interior root ``0 < p < 1`` of the gain ``g`` of Schelling gains ``delta``.

    Parameters
    ----------
    delta : array_like, shape (K, N) or (N,)
        ``Delta(j)``, ``j = 0..N-1``, of ``K`` symmetric games (rows of
        :func:`schelling_delta`), i.e. the Bernstein coefficients of ``g``.
    tol : float, default 1e-9
        Payoff tolerance: ``|g| <= tol`` is a tie (tangency, merging,
        indifference everywhere).

    Returns
    -------
    roots : list of K lists of float
        Probabilities of action 0, sorted (empty when none or when indifferent).
    tangent : list of K lists of bool
        Per root: ``g`` touches zero there without changing sign (even multiplicity).
    indifferent : ndarray of bool, shape (K,)
        ``g`` is identically zero (every ``p`` is an equilibrium).

    Examples
    --------
    Five players with ``Delta(j) = (-1)**j``: ``g(p) = (1 - 2p)**4``, a root of
    multiplicity 4 at one half.

    >>> roots, tangent, indifferent = symmetric_mixed_roots([[1, -1, 1, -1, 1]])
    >>> roots, tangent, indifferent.tolist()
    ([[0.5]], [[True]], [False])
    """
    tol = check_tol(tol)
    b = np.atleast_2d(np.asarray(delta, dtype=float))
    K, n = b.shape
    indifferent = np.all(np.abs(b) <= tol, axis=1)
    roots: list[list[float]] = [[] for _ in range(K)]
    tangent: list[list[bool]] = [[] for _ in range(K)]
    if n <= 1 or K == 0:
        return roots, tangent, indifferent
    # a root needs coefficients of both signs (beyond the tie tolerance)
    todo = ~indifferent & np.any(b > -tol, axis=1) & np.any(b < tol, axis=1)
    rows = np.flatnonzero(todo)
    if len(rows) == 0:
        return roots, tangent, indifferent
    bb = b[rows]
    cross, extrema = _crossings(bb)
    touch = np.where(np.abs(_bernstein(bb, np.where(np.isnan(extrema), 0.5, extrema))) <= tol,
                     extrema, np.nan) if extrema.shape[1] else extrema
    has_touch = ~np.all(np.isnan(touch), axis=1) if touch.shape[1] else np.zeros(len(rows), bool)
    inside = (cross > 0.0) & (cross < 1.0)
    for k in np.flatnonzero(~has_touch):
        # no extremum touches zero: consecutive crossings have an extremum with |g| > tol
        # between them, so they are distinct roots already (sorted, NaN-padded)
        found = cross[k][inside[k]].tolist()
        roots[rows[k]] = found
        tangent[rows[k]] = [False] * len(found)
    for k in np.flatnonzero(has_touch):
        r = rows[k]
        cand = sorted([(float(x), False) for x in cross[k] if x == x]
                      + [(float(x), True) for x in touch[k] if x == x])
        clusters: list[list] = []        # candidates with |g| <= tol between them are one root
        for x, tan in cand:
            if clusters:
                last = clusters[-1][-1][0]
                g_mid = _bernstein(bb[k:k + 1], np.array([[0.5 * (last + x)]]))[0, 0]
                if x - last <= 1e-12 or abs(g_mid) <= tol:
                    clusters[-1].append((x, tan))
                    continue
            clusters.append([(x, tan)])
        merged = []
        for cl in clusters:
            crossing = [x for x, tan in cl if not tan]
            touching = [x for x, tan in cl if tan]
            if len(crossing) % 2:        # g changes sign across the cluster: a crossing root
                merged.append([crossing[len(crossing) // 2], False])
            else:                        # no net sign change: g touches zero there
                merged.append([touching[0] if touching else float(np.mean(crossing)), True])
        merged = [m for m in merged if 0.0 < m[0] < 1.0]
        roots[r] = [m[0] for m in merged]
        tangent[r] = [m[1] for m in merged]
    return roots, tangent, indifferent


@dataclass
class SymmetricMixedResult:
    """Symmetric fully mixed equilibria of a symmetric two-action game.

    Attributes
    ----------
    probabilities : list of float
        Each ``p`` in (0, 1): everyone plays action 0 with probability ``p``.
        Every root of the gain is listed, whatever its multiplicity.
    delta : numpy.ndarray
        ``Delta(j)`` for ``j = 0..N-1`` (see :func:`schelling_delta`).
    indifferent_everywhere : bool
        ``Delta`` is identically zero: every ``p`` in [0, 1] is an equilibrium
        (a continuum; ``probabilities`` is then empty and the endpoints are
        pure equilibria).
    notes : list of str
    tangent : list of bool
        Per probability: the gain touches zero there without changing sign
        (a root of even multiplicity: not a regular equilibrium).
    """

    probabilities: list
    delta: np.ndarray
    indifferent_everywhere: bool = False
    notes: list = field(default_factory=list)
    tangent: list = field(default_factory=list)


def symmetric_mixed_equilibria(payoffs, tol: float = 1e-9) -> SymmetricMixedResult:
    """Every symmetric equilibrium with ``0 < p < 1`` of a symmetric 2-action game.

    Parameters
    ----------
    payoffs : array_like, shape (2, ..., 2, N)
        A symmetric game (checked with :func:`is_symmetric`).
    tol : float, default 1e-9
        Payoff tolerance; ``|Delta(j)| <= tol`` for all ``j`` counts as
        indifference everywhere, ``|g(p)| <= tol`` at an extremum as a root.

    Returns
    -------
    SymmetricMixedResult

    Raises
    ------
    ParameterError
        If the game is not symmetric or some player does not have 2 actions.

    Examples
    --------
    Chicken (0 = swerve, 1 = straight; crashing costs 10): swerve with
    probability 9/10.

    >>> import numpy as np
    >>> chicken = np.array([[[0, 0], [-1, 1]], [[1, -1], [-10, -10]]], dtype=float)
    >>> symmetric_mixed_equilibria(chicken).probabilities
    [0.9]
    """
    p = as_payoffs(payoffs)
    tol = check_tol(tol)
    if any(a != 2 for a in p.shape[:-1]):
        raise ParameterError("payoffs", "a game in which every player has 2 actions",
                             p.shape[:-1])
    if not is_symmetric(p, tol=max(tol, 1e-9)):
        raise ParameterError("payoffs", "a symmetric game (identical players)", "asymmetric")
    delta = schelling_delta(p)
    roots, tangent, indifferent = symmetric_mixed_roots(delta[None], tol)
    if indifferent[0]:
        return SymmetricMixedResult([], delta, True, [
            "every player is indifferent between the two actions whatever the others do: "
            "every symmetric profile (any p in [0, 1]) is an equilibrium (a continuum)"])
    notes = [f"p = {q:.6g}: the gain from action 0 touches zero there without changing sign "
             "(a root of even multiplicity): an equilibrium, but not a regular one; a small "
             "change in the payoffs removes it or splits it in two"
             for q, t in zip(roots[0], tangent[0]) if t]
    return SymmetricMixedResult(roots[0], delta, False, notes, tangent[0])
