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

__all__ = ["as_payoffs", "batch_shape", "check_tol", "as_strategies", "binary_gains", "player_roles",
           "spend_cut_game", "EquilibriumList"]


def as_payoffs(payoffs, name: str = "payoffs", batch: bool = False) -> np.ndarray:
    """Return ``payoffs`` as a validated float array of shape ``(a_1..a_N, N)``.

    With ``batch=True`` leading batch axes are allowed: shape
    ``(B..., a_1, ..., a_N, N)``, the number of players ``N`` being the
    length of the last axis and every axis before the last ``N + 1`` a batch
    axis (as :func:`dilemma.payoffs.stage_terms` lays out a grid of games).

    Raises
    ------
    ParameterError
        If the array is not of shape ``(a_1, ..., a_N, N)`` (after the batch
        axes) with every ``a_i >= 1`` and ``N >= 1``, or holds non-finite numbers.
    """
    payoffs = getattr(payoffs, "payoffs", payoffs)
    try:
        arr = np.asarray(payoffs, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, "an array of numbers of shape (a_1, ..., a_N, N)",
                             type(payoffs).__name__) from None
    ok_ndim = (arr.ndim >= 2 and arr.shape[-1] >= 1 and arr.ndim - 1 >= arr.shape[-1]) if batch \
        else (arr.ndim >= 2 and arr.shape[-1] == arr.ndim - 1)
    if not ok_ndim:
        lead = "(B..., " if batch else "("
        raise ParameterError(
            name, f"an array of shape {lead}a_1, ..., a_N, N) with N = number of players "
            "(last axis length equal to the number of player axes)", arr.shape)
    if any(k < 1 for k in arr.shape[arr.ndim - 1 - arr.shape[-1]:]):
        raise ParameterError(name, "non-empty along every player axis (each player needs an action)",
                             arr.shape)
    # a NaN or an infinity makes the sum non-finite; only then look at every entry
    # (the sum can also overflow, so a non-finite sum alone proves nothing)
    with np.errstate(all="ignore"):
        total = arr.sum()
    if not np.isfinite(total) and not np.all(np.isfinite(arr)):
        raise ParameterError(name, "finite numbers (no NaN or infinity)", "non-finite entries")
    return arr


def batch_shape(p: np.ndarray) -> tuple[int, ...]:
    """The leading batch axes of a (validated) stacked payoff array."""
    return p.shape[:p.ndim - 1 - p.shape[-1]]


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


def binary_gains(p: np.ndarray) -> np.ndarray:
    """Every player's gain from action 0 over action 1, ``u_i(0, s_-i) - u_i(1, s_-i)``,
    at every profile of a game where each player has two actions.

    Same shape as ``p``; entry ``[..., i]`` is constant along player i's own
    axis (it does not depend on i's action).

    >>> pd = np.stack([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], axis=-1).astype(float)
    >>> binary_gains(pd)[0, :, 0].tolist(), binary_gains(pd)[:, 0, 1].tolist()
    ([-2.0, -1.0], [-2.0, -1.0])
    """
    g = np.empty(p.shape)
    for i in range(p.shape[-1]):
        g[..., i] = np.take(p[..., i], [0], axis=i) - np.take(p[..., i], [1], axis=i)
    return g


def player_roles(shape: tuple[int, ...], actions=None, spend=None):
    """Deprecated: use :func:`dilemma.equilibria.roles.resolve_roles`.

    ``(spend_index, cut_index)`` per player from ``spend`` or the names only
    (no inference); None if some player does not have two actions or the
    names do not say.
    """
    from dilemma.equilibria.roles import _spend_given, roles_from_names

    if any(a != 2 for a in shape):
        return None
    n = len(shape)
    idx = _spend_given(spend, n) if spend is not None else roles_from_names(actions, n)
    if np.any(idx < 0):
        return None
    return [(int(s), 1 - int(s)) for s in idx]


def spend_cut_game(payoffs, actions=None, spend=None, tol: float = 1e-9, batch: bool = False):
    """Validated payoffs of a game where every player has two actions, with their roles.

    Returns ``(p, roles)``: the stacked payoff array (batch axes allowed with
    ``batch=True``) and the :class:`~dilemma.equilibria.roles.Roles` of
    :func:`~dilemma.equilibria.roles.resolve_roles` (named, given or inferred).

    Raises
    ------
    ParameterError
        If some player does not have exactly two actions.
    RolesError
        If the roles can be neither read nor inferred.
    """
    from dilemma.equilibria.roles import resolve_roles

    if actions is None:
        actions = getattr(payoffs, "actions", None)
    p = as_payoffs(payoffs, batch=batch)
    return p, resolve_roles(p, actions, spend, tol)


class EquilibriumList:
    """Mixin: a result object that iterates, indexes and counts like its ``equilibria`` list."""

    def __iter__(self):
        return iter(self.equilibria)

    def __len__(self):
        return len(self.equilibria)

    def __getitem__(self, k):
        return self.equilibria[k]
