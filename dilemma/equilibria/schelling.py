r"""Schelling diagrams of two-action games.

For player :math:`i` and :math:`j = 0, \dots, N-1`, the diagram gives the
payoff of Spend, :math:`S_i(j)`, and of Cut, :math:`C_i(j)`, when :math:`j` of
the *other* players spend, and their difference
:math:`\Delta_i(j) = S_i(j) - C_i(j)` (Schelling 1973; MODEL.md, "Reading the
game"). With identical firms these are exact; with heterogeneous firms the
payoff depends on *which* others spend, and the diagram averages over the
:math:`\binom{N-1}{j}` profiles of the others with :math:`j` spenders (each
profile weighted equally).

Which action is Spend: ``spend`` (indices) if given, else the action names
("Spend"/"Cut"), else inferred from the payoffs
(:func:`dilemma.equilibria.roles.resolve_roles`; never the order of the
actions).

Examples
--------
Prisoner's dilemma with Spend = defect (action 1 here):

>>> import numpy as np
>>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
>>> t = schelling_table(pd, spend=1)
>>> t["spend"][0].tolist(), t["cut"][0].tolist(), t["delta"][0].tolist()
([5.0, 1.0], [3.0, 0.0], [2.0, 1.0])
"""

from __future__ import annotations

import numpy as np

from dilemma.equilibria._arrays import spend_cut_game
from dilemma.errors import ParameterError

__all__ = ["schelling_table", "schelling"]


def schelling_table(payoffs, actions=None, spend=None) -> dict[str, np.ndarray]:
    """Schelling diagram as arrays.

    Parameters
    ----------
    payoffs : array_like, shape (2, ..., 2, N)
    actions : sequence of sequence of str, optional
        Action names per player (the one named "Spend" is Spend).
    spend : int or sequence of int, optional
        Index of the Spend action (per player or for all); overrides names.

    Returns
    -------
    dict
        ``"spend"``, ``"cut"``, ``"delta"``: arrays of shape ``(N, N)`` indexed
        ``[player, others_spending]``; ``"count"``: how many profiles of the
        others were averaged, shape ``(N,)`` per ``others_spending``.

    Raises
    ------
    ParameterError
        If some player does not have exactly two actions.
    RolesError
        If the roles are neither given nor named and cannot be inferred.
    """
    p, roles = spend_cut_game(payoffs, actions, spend)
    shape = p.shape[:-1]
    n = len(shape)
    grid = np.indices(shape).reshape(n, -1).T  # (2^n, n) profiles
    s_idx = roles.spend
    spending = grid == s_idx  # (2^n, n) bool: player k spends
    flat = p.reshape(-1, n)
    S = np.zeros((n, n))
    C = np.zeros((n, n))
    for i in range(n):
        others = spending.sum(axis=1) - spending[:, i]
        own = spending[:, i]
        for arr, mask in ((S, own), (C, ~own)):
            tot = np.bincount(others[mask], weights=flat[mask, i], minlength=n)
            cnt = np.bincount(others[mask], minlength=n)
            arr[i] = tot / cnt
    from math import comb

    count = np.array([comb(n - 1, j) for j in range(n)])
    return {"spend": S, "cut": C, "delta": S - C, "count": count}


def schelling(payoffs, players=None, actions=None, spend=None):
    """Schelling diagram as a tidy :class:`pandas.DataFrame`.

    Parameters
    ----------
    payoffs : array_like, shape (2, ..., 2, N)
    players : sequence of str, optional
        Player names (default ``"Player 1"``, ...).
    actions, spend
        See :func:`schelling_table`.

    Returns
    -------
    pandas.DataFrame
        Columns ``player, others_spending, spend, cut, delta``; one row per
        player and number of other spenders ``0..N-1``.

    Examples
    --------
    >>> import numpy as np
    >>> pd_ = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> schelling(pd_, players=["A", "B"], spend=1).head(2)
      player  others_spending  spend  cut  delta
    0      A                0    5.0  3.0    2.0
    1      A                1    1.0  0.0    1.0
    """
    import pandas as pd

    t = schelling_table(payoffs, actions, spend)
    n = t["spend"].shape[0]
    if players is None:
        players = [f"Player {k + 1}" for k in range(n)]
    players = list(players)
    if len(players) != n:
        raise ParameterError("players", f"{n} names", len(players))
    rows = {
        "player": np.repeat(np.array(players, dtype=object), n),
        "others_spending": np.tile(np.arange(n), n),
        "spend": t["spend"].ravel(),
        "cut": t["cut"].ravel(),
        "delta": t["delta"].ravel(),
    }
    return pd.DataFrame(rows)
