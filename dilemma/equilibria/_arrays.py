"""Shared input validation for the equilibrium modules (private).

Every public solver in :mod:`dilemma.equilibria` accepts payoffs in the stacked
form: a float array of shape ``(a_1, ..., a_N, N)`` where
``payoffs[s_1, ..., s_N, i]`` is the payoff of player ``i`` at the pure profile
``(s_1, ..., s_N)``. Anything with a ``payoffs`` attribute (a
:class:`dilemma.game.Game`) is accepted as well.
"""

from __future__ import annotations

import math

import numpy as np

from dilemma.errors import ParameterError

__all__ = ["as_payoffs", "check_tol", "as_strategies", "player_roles", "spend_cut_game", "EquilibriumList"]


def as_payoffs(payoffs, name: str = "payoffs") -> np.ndarray:
    """Return ``payoffs`` as a validated float array of shape ``(a_1..a_N, N)``.

    Raises
    ------
    ParameterError
        If the array is not of shape ``(a_1, ..., a_N, N)`` with every
        ``a_i >= 1`` and ``N >= 1``, or holds non-finite numbers.
    """
    payoffs = getattr(payoffs, "payoffs", payoffs)
    try:
        arr = np.asarray(payoffs, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, "an array of numbers of shape (a_1, ..., a_N, N)",
                             type(payoffs).__name__) from None
    if arr.ndim < 2 or arr.shape[-1] != arr.ndim - 1:
        raise ParameterError(
            name, "an array of shape (a_1, ..., a_N, N) with N = number of players "
            "(last axis length equal to the number of other axes)", arr.shape)
    if any(k < 1 for k in arr.shape):
        raise ParameterError(name, "non-empty along every axis (each player needs an action)",
                             arr.shape)
    if not np.all(np.isfinite(arr)):
        raise ParameterError(name, "finite numbers (no NaN or infinity)", "non-finite entries")
    return arr


def check_tol(tol, name: str = "tol") -> float:
    """Validate a tolerance: a finite number ``>= 0``."""
    try:
        t = float(tol)
    except (TypeError, ValueError):
        raise ParameterError(name, "a finite number >= 0", tol) from None
    if not math.isfinite(t) or t < 0:
        raise ParameterError(name, "a finite number >= 0", tol)
    return t


def as_strategies(payoffs: np.ndarray, strategies, name: str = "strategies",
                  atol: float = 1e-6) -> tuple[np.ndarray, ...]:
    """Validate a mixed-strategy profile against ``payoffs``.

    ``strategies`` is one probability vector per player, or a pure profile (one
    action index per player), which is turned into unit vectors.
    """
    shape = payoffs.shape[:-1]
    n = len(shape)
    try:
        items = list(strategies)
    except TypeError:
        raise ParameterError(name, f"a sequence of {n} strategies (one per player)",
                             strategies) from None
    if len(items) != n:
        raise ParameterError(name, f"a sequence of {n} strategies (one per player)",
                             f"{len(items)} items")
    out = []
    for i, (s, a) in enumerate(zip(items, shape)):
        if np.ndim(s) == 0:
            k = int(s)
            if k != s or not 0 <= k < a:
                raise ParameterError(f"{name}[{i}]", f"an action index in 0..{a - 1}", s)
            v = np.zeros(a)
            v[k] = 1.0
        else:
            v = np.asarray(s, dtype=float)
            if v.shape != (a,):
                raise ParameterError(f"{name}[{i}]", f"a probability vector of length {a}",
                                     v.shape)
            if (not np.all(np.isfinite(v)) or np.any(v < -atol)
                    or abs(v.sum() - 1.0) > atol):
                raise ParameterError(f"{name}[{i}]",
                                     "non-negative probabilities summing to 1", v.tolist())
            v = np.clip(v, 0.0, None)
            v = v / v.sum()
        out.append(v)
    return tuple(out)


def player_roles(shape: tuple[int, ...], actions=None, spend=None):
    """Return ``(spend_index, cut_index)`` per player for a two-action game.

    The Spend action is the one named ``"spend"`` (case-insensitive), else the
    one *not* named ``"cut"``; without names it is ``spend`` (default 0).
    Returns ``None`` if some player does not have exactly two actions.
    """
    if any(a != 2 for a in shape):
        return None
    n = len(shape)
    if spend is not None:
        idx = np.broadcast_to(np.asarray(spend, dtype=int), (n,))
        if np.any((idx < 0) | (idx > 1)):
            raise ParameterError("spend", "0 or 1 (index of the Spend action)", spend)
        return [(int(s), 1 - int(s)) for s in idx]
    roles = []
    for i in range(n):
        names = None if actions is None else [str(a).strip().lower() for a in actions[i]]
        if names and "spend" in names:
            s = names.index("spend")
        elif names and "cut" in names:
            s = 1 - names.index("cut")
        else:
            s = 0
        roles.append((s, 1 - s))
    return roles


def spend_cut_game(payoffs, actions=None, spend=None):
    """Validated payoffs of a game where every player has two actions, with their roles.

    Returns ``(p, roles)``: the stacked payoff array and ``(spend, cut)``
    indices per player (see :func:`player_roles`).

    Raises
    ------
    ParameterError
        If some player does not have exactly two actions.
    """
    from dilemma.errors import ParameterError

    p = as_payoffs(payoffs)
    roles = player_roles(p.shape[:-1], actions, spend)
    if roles is None:
        raise ParameterError("payoffs", "a game in which every player has exactly 2 actions", p.shape[:-1])
    return p, roles


class EquilibriumList:
    """Mixin: a result object that iterates, indexes and counts like its ``equilibria`` list."""

    def __iter__(self):
        return iter(self.equilibria)

    def __len__(self):
        return len(self.equilibria)

    def __getitem__(self, k):
        return self.equilibria[k]
