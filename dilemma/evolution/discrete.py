r"""Discrete-time replicator dynamics on a tournament's pairwise payoffs.

For the pairwise payoff matrix :math:`A` of a tournament (``A[i, j]``: mean
payoff per round of strategy *i* against *j*), the shares :math:`x` of the
strategies evolve generation by generation as

.. math::

    x_i' = x_i \, \frac{f_i + c}{\bar f + c}, \qquad f = A x, \quad \bar f = x^\top A x,

a strategy growing in proportion to how much better than average it does
against the current mix [Taylor1978]_, [Hofbauer1998]_. The shift :math:`c`
(default :math:`1 - \min A`) keeps every fitness positive for the negative
payoffs ($B losses) of the capex games; it changes the speed, not the rest
points.

References
----------
See ``docs/bibliography.md``: [Taylor1978]_, [Hofbauer1998]_.

Examples
--------
>>> import numpy as np
>>> df = discrete_replicator(np.array([[3, 0], [5, 1]]), labels=["cut", "spend"], generations=1)
>>> df.round(4).values.tolist()                  # f + c = (2.5, 4): spend grows from 1/2 to 4/6.5
[[0, 'cut', 0.5], [0, 'spend', 0.5], [1, 'cut', 0.3846], [1, 'spend', 0.6154]]
"""

from __future__ import annotations

import numpy as np

from dilemma.errors import ParameterError

from ._checks import check_whole

__all__ = ["discrete_replicator"]


def discrete_replicator(matrix, x0=None, generations: int = 100, shift: float | None = None, labels=None):
    """Discrete-time replicator dynamics on a pairwise payoff matrix.

    Parameters
    ----------
    matrix : array_like, shape ``(k, k)``, or TournamentResult
        ``matrix[i, j]``: payoff of strategy *i* against *j* (the diagonal is
        needed: run the tournament with ``self_play=True``).
    x0 : array_like, shape ``(k,)``, optional
        Starting shares (default uniform); normalised to sum 1.
    generations : int
        Number of updates.
    shift : float, optional
        Constant added to fitness; default ``1 - min(matrix)``.
    labels : list of str, optional
        Strategy names (taken from a TournamentResult).

    Returns
    -------
    pandas.DataFrame
        Columns ``generation, strategy, share`` (generation 0 = start).

    Raises
    ------
    ParameterError
        A matrix that is not square and finite, bad shares, a negative number
        of generations or a shift that leaves some fitness <= 0.

    Examples
    --------
    >>> import numpy as np
    >>> df = discrete_replicator(np.array([[3, 0], [5, 1]]), labels=["cut", "spend"], generations=50)
    >>> round(float(df[(df.generation == 50) & (df.strategy == "spend")].share.iloc[0]), 3)
    1.0
    """
    import pandas as pd

    if hasattr(matrix, "pairwise"):
        labels = labels or list(matrix.strategies)
        matrix = matrix.pairwise
    A = np.asarray(matrix, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] < 1:
        raise ParameterError("matrix", "a square payoff matrix (k, k)", A.shape)
    if not np.all(np.isfinite(A)):
        raise ParameterError("matrix", "finite entries (a tournament needs self_play=True for the diagonal)")
    k = A.shape[0]
    labels = list(labels) if labels is not None else [f"s{i}" for i in range(k)]
    if len(labels) != k:
        raise ParameterError("labels", f"{k} names", len(labels))
    x = np.full(k, 1.0 / k) if x0 is None else np.asarray(x0, dtype=float)
    if x.shape != (k,) or np.any(x < 0) or not np.isfinite(x).all() or x.sum() <= 0:
        raise ParameterError("x0", f"{k} non-negative shares with a positive sum", x0)
    x = x / x.sum()
    generations = check_whole("generations", generations, 0)
    c = 1.0 - A.min() if shift is None else float(shift)
    if A.min() + c <= 0:
        raise ParameterError("shift", f"large enough that every fitness is positive (> {-A.min():g})", shift)
    out = np.empty((generations + 1, k))
    out[0] = x
    for t in range(generations):
        f = A @ x + c
        x = x * f / (x @ f)
        out[t + 1] = x
    gen = np.repeat(np.arange(generations + 1), k)
    return pd.DataFrame({"generation": gen, "strategy": np.tile(np.array(labels, dtype=object), generations + 1),
                         "share": out.ravel()})
