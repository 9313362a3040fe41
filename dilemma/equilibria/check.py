r"""Expected payoffs and the best-response check.

For a mixed profile :math:`\sigma = (\sigma_1, \dots, \sigma_N)` the expected
payoff of player :math:`i` is the payoff array contracted with every
:math:`\sigma_j`; the payoff of a pure deviation :math:`a` of player :math:`i`
is the same contraction with :math:`\sigma_i` replaced by the unit vector
:math:`e_a`. A profile is a Nash equilibrium (up to ``tol``) when no player
gains more than ``tol`` by any pure deviation:

.. math:: \max_a u_i(a, \sigma_{-i}) - u_i(\sigma) \le \mathrm{tol}
          \quad\text{for every } i.

Examples
--------
>>> import numpy as np
>>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
>>> is_nash(pd, (1, 1))
True
>>> is_nash(pd, ([1, 0], [1, 0]))
False
>>> [float(r) for r in regrets(pd, (0, 0))]
[2.0, 2.0]
"""

from __future__ import annotations

import numpy as np

from dilemma.equilibria._arrays import as_payoffs, as_strategies, check_tol

__all__ = ["expected_payoffs", "deviation_payoffs", "regrets", "is_nash", "best_responses"]


def _contract(arr: np.ndarray, strategies, keep: tuple[int, ...] = ()) -> np.ndarray:
    """Contract the player axes of ``arr`` not in ``keep`` with ``strategies``."""
    for k in range(len(strategies) - 1, -1, -1):
        if k in keep:
            continue
        arr = np.tensordot(arr, strategies[k], axes=([k], [0]))
    return arr


def expected_payoffs(payoffs, strategies) -> np.ndarray:
    """Expected payoff of every player under a (mixed) profile.

    Parameters
    ----------
    payoffs : array_like, shape (a_1, ..., a_N, N)
        Stacked payoff array.
    strategies : sequence
        One probability vector per player, or one action index per player.

    Returns
    -------
    numpy.ndarray, shape (N,)

    Examples
    --------
    >>> import numpy as np
    >>> mp = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float)
    >>> expected_payoffs(mp, ([0.5, 0.5], [0.5, 0.5])).tolist()
    [0.0, 0.0]
    """
    p = as_payoffs(payoffs)
    s = as_strategies(p, strategies)
    return np.array([_contract(p[..., i], s) for i in range(p.shape[-1])], dtype=float)


def _deviation_payoffs(p: np.ndarray, s) -> list[np.ndarray]:
    """u_i(a, s_-i) for every player and action (``s`` already validated): one
    profile of :func:`_deviation_payoffs_batch`."""
    one = [np.asarray(si, dtype=float)[None] for si in s]
    return [d[0] for d in _deviation_payoffs_batch(p, one)]


def _regrets(p: np.ndarray, s) -> np.ndarray:
    dev = _deviation_payoffs(p, s)
    return np.array([d.max() - d @ si for d, si in zip(dev, s)])


def _deviation_payoffs_batch(p: np.ndarray, S) -> list[np.ndarray]:
    """u_i(a, s_-i) for every player and action of B profiles at once: ``S[i]``
    has shape (B, a_i); returns per player (B, a_i).

    With ``pre_i`` the outer product of the strategies of players before ``i``
    and ``suf_i`` that of the players after, player i's payoffs reshaped to
    ``(|pre|, a_i, |suf|)`` give ``d_i = pre_i @ P_i @ suf_i``: two
    products per player instead of N - 1 tensor contractions.
    """
    n = p.shape[-1]
    shape = p.shape[:-1]
    B = S[0].shape[0]
    pre = [np.ones((B, 1))]
    for k in range(n - 1):
        pre.append((pre[-1][:, :, None] * S[k][:, None, :]).reshape(B, -1))
    suf = [np.ones((B, 1))]
    for k in range(n - 1, 0, -1):
        suf.append((S[k][:, :, None] * suf[-1][:, None, :]).reshape(B, -1))
    suf = suf[::-1]
    out = []
    for i in range(n):
        m = suf[i].shape[1]
        t = (pre[i] @ p[..., i].reshape(pre[i].shape[1], shape[i] * m)).reshape(B, shape[i], m)
        out.append(np.einsum("bas,bs->ba", t, suf[i]))
    return out


def deviation_payoffs(payoffs, strategies) -> list[np.ndarray]:
    """Payoff of each pure action of each player against the others' strategies.

    Returns
    -------
    list of numpy.ndarray
        Entry ``i`` has shape ``(a_i,)``: ``u_i(a, sigma_-i)`` for every action ``a``.

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> [d.tolist() for d in deviation_payoffs(pd, (0, 1))]
    [[0.0, 1.0], [3.0, 5.0]]
    """
    p = as_payoffs(payoffs)
    return _deviation_payoffs(p, as_strategies(p, strategies))


def regrets(payoffs, strategies) -> np.ndarray:
    """Largest gain of each player from a pure deviation (``>= 0`` up to rounding)."""
    p = as_payoffs(payoffs)
    return _regrets(p, as_strategies(p, strategies))


def is_nash(payoffs, strategies, tol: float = 1e-7) -> bool:
    """Whether no player gains more than ``tol`` by deviating to a pure action.

    Parameters
    ----------
    payoffs : array_like, shape (a_1, ..., a_N, N)
    strategies : sequence
        One probability vector (or action index) per player.
    tol : float, default 1e-7
        Allowed gain, in payoff units.
    """
    tol = check_tol(tol)
    return bool(np.all(regrets(payoffs, strategies) <= tol))


def best_responses(payoffs, strategies, player: int, tol: float = 1e-9) -> list[int]:
    """Pure best responses of ``player`` to the other players' strategies.

    The entry of ``strategies`` for ``player`` itself is ignored (it must still
    be valid; pass e.g. ``0``).

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> best_responses(pd, (0, 0), player=1)
    [1]
    """
    from dilemma.errors import ParameterError

    p = as_payoffs(payoffs)
    tol = check_tol(tol)
    n = p.shape[-1]
    if not isinstance(player, (int, np.integer)) or not 0 <= player < n:
        raise ParameterError("player", f"an integer in 0..{n - 1}", player)
    s = as_strategies(p, strategies)
    d = np.asarray(_contract(p[..., player], s, keep=(int(player),)), dtype=float)
    return [int(a) for a in np.flatnonzero(d >= d.max() - tol)]
