r"""Pure-strategy Nash equilibria by vectorised best-response masks.

A pure profile :math:`s` is a Nash equilibrium when every player's action is a
(weak) best response to the others:

.. math:: u_i(s) \ge \max_{a} u_i(a, s_{-i}) - \mathrm{tol} \quad \text{for all } i.

For player :math:`i` the right-hand side is the maximum of the payoff array
``payoffs[..., i]`` along axis :math:`i`, broadcast back over that axis; the
equilibria are the cells where the comparison holds for every player
(``numpy.argwhere`` of the AND of the N masks). The work is
:math:`O(N \prod_j a_j)` vectorised operations, with no Python loop over
profiles. Ties count: a profile at which a player is indifferent between her
action and a deviation is an equilibrium.

Examples
--------
Prisoner's dilemma (action 0 = cooperate, 1 = defect):

>>> import numpy as np
>>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
>>> pure_equilibria(pd)
[(1, 1)]

Battle of the sexes has two:

>>> bos = np.stack([[[3, 0], [0, 2]], [[2, 0], [0, 3]]], axis=-1).astype(float)
>>> pure_equilibria(bos)
[(0, 0), (1, 1)]
"""

from __future__ import annotations

import numpy as np

from dilemma.equilibria._arrays import as_payoffs, check_tol

__all__ = ["pure_equilibria", "pure_equilibrium_mask", "is_pure_equilibrium"]


def _mask(p: np.ndarray, tol: float) -> np.ndarray:
    n = p.shape[-1]
    nb = p.ndim - 1 - n  # leading batch axes
    ok = np.ones(p.shape[:-1], dtype=bool)
    for i in range(n):
        pi = p[..., i]
        ax = nb + i
        if p.shape[ax] == 2:
            # two actions: the best deviation is the other action (a flip along
            # the player's axis), which avoids a reduction and is about twice as fast
            ok &= pi >= np.flip(pi, axis=ax) - tol
        else:
            ok &= pi >= pi.max(axis=ax, keepdims=True) - tol
    return ok


def pure_equilibrium_mask(payoffs, tol: float = 1e-9) -> np.ndarray:
    """Boolean array of shape ``(a_1, ..., a_N)``: True at pure equilibria.

    Parameters
    ----------
    payoffs : array_like, shape (a_1, ..., a_N, N) or (B..., a_1, ..., a_N, N)
        Stacked payoff array, optionally with leading batch axes (one game per
        batch index; the result then has shape ``(B..., a_1, ..., a_N)``).
    tol : float, default 1e-9
        A deviation must gain more than ``tol`` (payoff units) to break a profile.

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> pure_equilibrium_mask(np.stack([pd, -pd])).astype(int).tolist()  # -pd: (0, 0) only
    [[[0, 0], [0, 1]], [[1, 0], [0, 0]]]
    """
    return _mask(as_payoffs(payoffs, batch=True), check_tol(tol))


def pure_equilibria(payoffs, tol: float = 1e-9) -> list[tuple[int, ...]]:
    """All pure-strategy Nash equilibria, sorted lexicographically.

    Parameters
    ----------
    payoffs : array_like, shape (a_1, ..., a_N, N)
        ``payoffs[s_1, ..., s_N, i]`` is the payoff of player ``i``.
    tol : float, default 1e-9
        Weak best responses within ``tol`` count (ties are equilibria).

    Returns
    -------
    list of tuple of int
        One action index per player for each equilibrium.

    Raises
    ------
    ParameterError
        If ``payoffs`` is not a finite array of shape ``(a_1, ..., a_N, N)``
        or ``tol`` is negative.

    Examples
    --------
    Matching pennies has none:

    >>> import numpy as np
    >>> mp = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float)
    >>> pure_equilibria(mp)
    []
    """
    mask = pure_equilibrium_mask(payoffs, tol)
    return [tuple(int(k) for k in row) for row in np.argwhere(mask)]


def is_pure_equilibrium(payoffs, profile, tol: float = 1e-9) -> bool:
    """Whether the pure ``profile`` is a Nash equilibrium (ties count).

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> is_pure_equilibrium(pd, (0, 0))
    False
    """
    from dilemma.errors import ParameterError

    p = as_payoffs(payoffs)
    tol = check_tol(tol)
    prof = tuple(int(k) for k in profile)
    if len(prof) != p.ndim - 1 or any(not 0 <= k < a for k, a in zip(prof, p.shape)):
        raise ParameterError("profile", f"one action index per player within {p.shape[:-1]}",
                             profile)
    for i in range(p.shape[-1]):
        idx = list(prof)
        idx[i] = slice(None)
        col = p[tuple(idx) + (i,)]
        if col[prof[i]] < col.max() - tol:
            return False
    return True
