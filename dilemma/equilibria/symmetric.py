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
:math:`g(p) = 0`. With :math:`t = p/(1-p) \in (0, \infty)` this becomes the
ordinary polynomial :math:`\sum_j \binom{N-1}{j}\Delta(j)\, t^j = 0`, whose
positive real roots give :math:`p = t/(1+t)`; each root is polished by Newton
steps on :math:`g`. (Symmetric *pure* equilibria, :math:`p \in \{0, 1\}`, are
found by :mod:`dilemma.equilibria.pure`.) If :math:`\Delta \equiv 0` every
:math:`p` is an equilibrium; this is reported, not hidden.

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

import math
from dataclasses import dataclass, field

import numpy as np

from dilemma.equilibria._arrays import as_payoffs, check_tol
from dilemma.errors import ParameterError

__all__ = ["is_symmetric", "schelling_delta", "symmetric_mixed_equilibria",
           "SymmetricMixedResult"]


def is_symmetric(payoffs, tol: float = 1e-9) -> bool:
    """Whether the game is symmetric (invariant under relabelling players).

    Parameters
    ----------
    payoffs : array_like, shape (a, ..., a, N)
    tol : float, default 1e-9
        Absolute tolerance on payoffs.

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> is_symmetric(pd)
    True
    >>> bos = np.stack([[[3, 0], [0, 2]], [[2, 0], [0, 3]]], axis=-1)
    >>> is_symmetric(bos)
    False
    """
    p = as_payoffs(payoffs)
    tol = check_tol(tol)
    shape = p.shape[:-1]
    n = len(shape)
    if len(set(shape)) > 1:
        return False
    for k in range(1, n):
        q = np.swapaxes(p, 0, k)
        perm = list(range(n))
        perm[0], perm[k] = k, 0
        q = q[..., perm]
        if not np.allclose(p, q, rtol=0.0, atol=tol):
            return False
    return True


def schelling_delta(payoffs) -> np.ndarray:
    r"""``Delta(j)`` for ``j = 0..N-1`` of a symmetric two-action game.

    ``Delta(j)`` = payoff of action 0 minus payoff of action 1 of player 0 when
    ``j`` of the others play action 0 (the first ``j`` of them; the game being
    symmetric, which ones does not matter).

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> schelling_delta(pd).tolist()  # cooperate minus defect
    [-1.0, -2.0]
    """
    p = as_payoffs(payoffs)
    shape = p.shape[:-1]
    if any(a != 2 for a in shape):
        raise ParameterError("payoffs", "a game in which every player has 2 actions", shape)
    n = len(shape)
    out = np.empty(n)
    for j in range(n):
        others = [0] * j + [1] * (n - 1 - j)
        out[j] = p[tuple([0] + others) + (0,)] - p[tuple([1] + others) + (0,)]
    return out


def _gain(delta: np.ndarray, p: float) -> float:
    n1 = len(delta) - 1
    return float(sum(math.comb(n1, j) * p**j * (1 - p) ** (n1 - j) * d
                     for j, d in enumerate(delta)))


def _gain_prime(delta: np.ndarray, p: float) -> float:
    n1 = len(delta) - 1
    total = 0.0
    for j, d in enumerate(delta):
        c = math.comb(n1, j) * d
        a = j * p ** (j - 1) * (1 - p) ** (n1 - j) if j > 0 else 0.0
        b = (n1 - j) * p**j * (1 - p) ** (n1 - j - 1) if j < n1 else 0.0
        total += c * (a - b)
    return total


@dataclass
class SymmetricMixedResult:
    """Symmetric fully mixed equilibria of a symmetric two-action game.

    Attributes
    ----------
    probabilities : list of float
        Each ``p`` in (0, 1): everyone plays action 0 with probability ``p``.
    delta : numpy.ndarray
        ``Delta(j)`` for ``j = 0..N-1`` (see :func:`schelling_delta`).
    indifferent_everywhere : bool
        ``Delta`` is identically zero: every ``p`` in [0, 1] is an equilibrium
        (``probabilities`` is then empty; the endpoints are pure equilibria).
    notes : list of str
    """

    probabilities: list
    delta: np.ndarray
    indifferent_everywhere: bool = False
    notes: list = field(default_factory=list)


def symmetric_mixed_equilibria(payoffs, tol: float = 1e-9) -> SymmetricMixedResult:
    """Every symmetric equilibrium with ``0 < p < 1`` of a symmetric 2-action game.

    Parameters
    ----------
    payoffs : array_like, shape (2, ..., 2, N)
        A symmetric game (checked with :func:`is_symmetric`).
    tol : float, default 1e-9
        Payoff tolerance; ``|Delta(j)| <= tol`` for all ``j`` counts as
        indifference everywhere.

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
    n1 = len(delta) - 1
    if np.all(np.abs(delta) <= tol):
        return SymmetricMixedResult([], delta, True, [
            "every player is indifferent between the two actions whatever the others do: "
            "every symmetric profile (any p in [0, 1]) is an equilibrium"])
    if n1 == 0:
        return SymmetricMixedResult([], delta)
    coef = np.array([math.comb(n1, j) * d for j, d in enumerate(delta)], dtype=float)
    scale = np.abs(coef).max()
    coef = coef / scale
    coef[np.abs(coef) <= 1e-14] = 0.0
    nz = np.flatnonzero(coef)
    coef = coef[: nz[-1] + 1]
    roots = np.polynomial.polynomial.polyroots(coef) if len(coef) > 1 else np.array([])
    found: list[float] = []
    for r in roots:
        if abs(r.imag) > 1e-7 * (1 + abs(r)) or r.real <= 0:
            continue
        t = r.real
        q = t / (1 + t)
        for _ in range(20):  # polish on the Bernstein form
            d = _gain_prime(delta, q)
            if d == 0:
                break
            step = _gain(delta, q) / d
            q_new = q - step
            if not 0 < q_new < 1:
                break
            q = q_new
            if abs(step) < 1e-15:
                break
        if 0 < q < 1 and abs(_gain(delta, q)) <= 1e-8 * max(1.0, float(np.abs(delta).max())):
            if all(abs(q - f) > 1e-9 for f in found):
                found.append(float(q))
    found.sort()
    return SymmetricMixedResult(found, delta)
