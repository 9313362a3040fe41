r"""Replicator dynamics of a symmetric N-player Spend/Cut game.

Let :math:`x` be the share of the population that **spends**. A random group
draws :math:`N-1` co-players, so the number :math:`J` of others spending is
Binomial(:math:`N-1, x`). With the Schelling diagram :math:`S(j), C(j)`
(payoff of a spender / cutter when :math:`j` others spend) and
:math:`\Delta(j) = S(j) - C(j)`,

.. math::

    \dot x = x (1 - x)\, g(x), \qquad
    g(x) = \mathbb E[\Delta(J)] = \sum_{j=0}^{N-1} \binom{N-1}{j} x^j (1-x)^{N-1-j} \Delta(j).

Rest points: :math:`x = 0` (all cut), :math:`x = 1` (all spend) and the roots
of the Bernstein polynomial :math:`g` in (0, 1). Stability is the sign of
:math:`f'(x^*)` for :math:`f(x) = x(1-x)g(x)`: :math:`f'(0) = \Delta(0)`,
:math:`f'(1) = -\Delta(N-1)`, :math:`f'(x^*) = x^*(1-x^*) g'(x^*)` inside
(negative = stable) [Taylor1978]_, [Hofbauer1998]_, [Hauert2006]_.

Time runs in units of the payoff gaps: doubling every payoff doubles the
speed, which :func:`replicator_horizon` uses to pick a time span that fits
the game. A game whose firms differ has no single diagram;
:func:`replicator_inputs` then uses the **average firm** (the diagram averaged
over the firms), an approximation it says it made.

References
----------
See ``docs/bibliography.md``: [Taylor1978]_, [Hofbauer1998]_, [Hauert2006]_,
[Schelling1973]_.

Examples
--------
>>> import numpy as np
>>> S, C = np.array([1.0, 2.0]), np.array([2.0, 1.0])   # stag hunt: Delta(0) < 0 < Delta(1)
>>> rest_points(S, C)[["x", "stable"]].values.tolist()
[[0.0, True], [0.5, False], [1.0, True]]
"""

from __future__ import annotations

import math

import numpy as np

from dilemma.errors import DilemmaError, ParameterError

from ._checks import check_sc, check_share, check_whole

__all__ = [
    "schelling_arrays",
    "replicator_inputs",
    "expected_gain",
    "replicator_rhs",
    "replicator_trajectory",
    "replicator_horizon",
    "rest_points",
    "stability_of",
]


def schelling_arrays(game_or_payoffs, atol: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """``S(j), C(j)`` of a symmetric Spend/Cut game, ``j = 0 .. N-1`` others spending.

    Parameters
    ----------
    game_or_payoffs : Game or ndarray, shape ``(2,)*N + (N,)``
        Action 0 is Spend, 1 is Cut.
    atol : float
        Tolerance of the symmetry check ($B).

    Returns
    -------
    S, C : ndarray, shape ``(N,)``
        Payoff of a spender (``S``) and of a cutter (``C``) when ``j`` others spend.

    Raises
    ------
    ParameterError
        If the game is not symmetric (a player's payoff must depend only on
        its own action and how many others spend, the same for every player).

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)
    >>> [a.tolist() for a in schelling_arrays(pd)]
    [[5.0, 1.0], [3.0, 0.0]]
    """
    from dilemma.repeated._batch import as_payoffs

    payoffs, _, _ = as_payoffs(game_or_payoffs)
    n = payoffs.shape[-1]
    idx = np.indices((2,) * n).reshape(n, -1).T          # (profiles, N), 1 = Cut
    spend = idx == 0
    flat = payoffs.reshape(-1, n)
    S = np.full(n, np.nan)
    C = np.full(n, np.nan)
    worst = 0.0
    for i in range(n):
        j = spend.sum(axis=1) - spend[:, i]
        for arr, own in ((S, True), (C, False)):
            sel = spend[:, i] == own
            for jj, v in zip(j[sel], flat[sel, i]):
                if np.isnan(arr[jj]):
                    arr[jj] = v
                else:
                    worst = max(worst, abs(arr[jj] - v))
    if worst > atol:
        raise ParameterError("game", "a symmetric game (payoff depends only on own action and the number of "
                             f"others spending; largest deviation {worst:.3g})")
    return S, C


def replicator_inputs(game) -> tuple[np.ndarray, np.ndarray, str]:
    """The Schelling diagram the replicator dynamics runs on, and how it was obtained.

    A symmetric Spend/Cut game gives its own diagram (``how = "symmetric"``);
    firms that differ are replaced by the **average firm**: ``S(j)`` and
    ``C(j)`` averaged over the firms (``how = "average firm"``).

    Parameters
    ----------
    game : Game
        A game with two actions per player.

    Returns
    -------
    S, C : ndarray, shape ``(N,)``
        Payoffs ($B) of a spender / cutter when ``j`` others spend.
    how : {"symmetric", "average firm"}

    Raises
    ------
    ParameterError
        If the game does not have two actions per player (a ``ValueError``).

    Examples
    --------
    >>> from dilemma import Game
    >>> g = Game.from_arrays([[1, 5], [0, 3]], [[1, 0], [5, 3]], actions=[["Spend", "Cut"]] * 2)
    >>> S, C, how = replicator_inputs(g)          # S(0) = 5: spend while the other cuts
    >>> S.tolist(), C.tolist(), how
    ([5.0, 1.0], [3.0, 0.0], 'symmetric')
    """
    if any(len(a) != 2 for a in game.actions):
        raise ParameterError("game", "a game with two actions per player (Spend and Cut) for the replicator "
                             "dynamics", [len(a) for a in game.actions])
    try:
        S, C = schelling_arrays(game)
        return S, C, "symmetric"
    except DilemmaError:
        sch = game.schelling()
        if sch.empty:
            raise ParameterError("game", "a Spend/Cut game for the replicator dynamics") from None
        avg = sch.groupby("others_spending")[["spend", "cut"]].mean().sort_index()
        return avg["spend"].to_numpy(float), avg["cut"].to_numpy(float), "average firm"


def _bernstein(delta: np.ndarray) -> np.polynomial.Polynomial:
    """``g(x) = sum_j binom(m, j) x^j (1-x)^(m-j) delta_j`` as a power-basis polynomial."""
    P = np.polynomial.Polynomial
    m = len(delta) - 1
    g = P([0.0])
    for j, d in enumerate(delta):
        g = g + d * math.comb(m, j) * P([0, 1]) ** j * P([1, -1]) ** (m - j)
    return g


def expected_gain(x, S, C) -> np.ndarray:
    """``g(x) = E[Delta(J)]``, ``J ~ Binomial(N-1, x)``: the gain of spending over cutting.

    Parameters
    ----------
    x : float or array_like
        Share(s) of the population spending.
    S, C : array_like, shape ``(N,)``
        Schelling diagram.

    Returns
    -------
    ndarray, shape of ``x``
        Expected payoff of Spend minus Cut ($B) for a firm whose ``N-1``
        co-players each spend with probability ``x``.

    Examples
    --------
    >>> float(expected_gain(0.5, [1.0, 2.0], [2.0, 1.0]))
    0.0
    >>> expected_gain([0.0, 1.0], [1.0, 2.0], [2.0, 1.0]).tolist()    # Delta(0), Delta(1)
    [-1.0, 1.0]
    """
    S, C = check_sc(S, C)
    x = np.asarray(x, dtype=float)
    m = len(S) - 1
    j = np.arange(m + 1)
    binom = np.array([math.comb(m, k) for k in j], dtype=float)
    xs = x[..., None]
    with np.errstate(invalid="ignore"):
        w = binom * xs ** j * (1 - xs) ** (m - j)
    return w @ (S - C)


def replicator_rhs(x, S, C) -> np.ndarray:
    """``dx/dt = x (1 - x) g(x)`` for the share ``x`` spending.

    Parameters
    ----------
    x : float or array_like
        Share(s) spending.
    S, C : array_like, shape ``(N,)``
        Schelling diagram.

    Returns
    -------
    ndarray, shape of ``x``
        The rate of change of the share spending.

    Examples
    --------
    Two players with Delta = (-1, 1), so g(x) = 2x - 1:

    >>> replicator_rhs([0.25, 0.5, 0.75], [1.0, 2.0], [2.0, 1.0]).tolist()
    [-0.09375, 0.0, 0.09375]
    """
    x = np.asarray(x, dtype=float)
    return x * (1 - x) * expected_gain(x, S, C)


def replicator_trajectory(S, C, x0=0.5, t_max: float = 20.0, steps: int = 201):
    """Integrate the replicator equation from one or several starting shares.

    Parameters
    ----------
    S, C : array_like, shape ``(N,)``
        Schelling diagram (payoffs of a spender / cutter with j others spending).
    x0 : float or array_like
        Starting share(s) spending, in [0, 1].
    t_max : float
        End time (in units of the payoff scale: payoffs twice as large run twice as fast).
    steps : int
        Number of time points reported.

    Returns
    -------
    pandas.DataFrame
        Columns ``x0, time, x`` (share spending), ``gain`` (g(x)).

    Examples
    --------
    Two players, x' = x(1-x)(2x-1) with Delta = (-1, 1): starts below 1/2 die out.

    >>> t = replicator_trajectory([1.0, 2.0], [2.0, 1.0], x0=[0.2, 0.8], t_max=30, steps=3)
    >>> t[t.time == 30.0].x.round(4).tolist()
    [0.0, 1.0]
    """
    import pandas as pd
    from scipy.integrate import solve_ivp

    S, C = check_sc(S, C)
    x0s = np.atleast_1d(check_share("x0", x0))
    if not (t_max > 0 and math.isfinite(t_max)):
        raise ParameterError("t_max", "a finite number > 0", t_max)
    steps = check_whole("steps", steps, 2)
    ts = np.linspace(0.0, float(t_max), steps)
    frames = []
    for start in x0s:
        sol = solve_ivp(lambda t, y: replicator_rhs(y, S, C), (0.0, float(t_max)), [float(start)],
                        t_eval=ts, rtol=1e-9, atol=1e-12)
        xs = np.clip(sol.y[0], 0.0, 1.0)
        frames.append(pd.DataFrame({"x0": float(start), "time": sol.t, "x": xs, "gain": expected_gain(xs, S, C)}))
    return pd.concat(frames, ignore_index=True)


def replicator_horizon(S, C, speed: float = 12.0) -> float:
    """A time span over which the replicator paths settle: ``speed / max |S(j) - C(j)|``.

    Time in the replicator equation runs in units of the payoff gaps, so a
    game with gaps of $30B settles thirty times faster than one with $1B; this
    scales a chart's time axis to the game.

    Parameters
    ----------
    S, C : array_like, shape ``(N,)``
        Schelling diagram ($B).
    speed : float
        Time span of a game whose largest gap is $1B.

    Returns
    -------
    float
        ``speed / max_j |Delta(j)|``; ``speed`` for a flat game (no gap).

    Examples
    --------
    >>> replicator_horizon([1.0, 2.0], [2.0, 1.0]), replicator_horizon([31.0, 0.0], [1.0, 0.0])
    (12.0, 0.4)
    >>> replicator_horizon([1.0], [1.0])
    12.0
    """
    S = np.asarray(S, dtype=float)
    gap = float(np.max(np.abs(S - np.asarray(C, dtype=float)))) if S.size else 0.0
    if not math.isfinite(gap) or gap < 1e-12:
        return float(speed)
    return float(speed) / gap


def rest_points(S, C, tol: float = 1e-10):
    """Rest points of the replicator dynamics with their stability.

    Parameters
    ----------
    S, C : array_like, shape ``(N,)``
        Schelling diagram.
    tol : float
        Below this ``|Delta|`` the diagram counts as flat.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``x`` (share spending): ``x``, ``kind`` (``"all cut"``,
        ``"interior"``, ``"all spend"``), ``slope`` (:math:`f'(x^*)`),
        ``stable`` (True / False; None when the slope is 0 and the linear test
        is silent).

    Examples
    --------
    A prisoner's dilemma (Delta > 0 everywhere): all spend is the only stable point.

    >>> rest_points([5.0, 1.0], [3.0, 0.0])[["x", "kind", "stable"]].values.tolist()
    [[0.0, 'all cut', False], [1.0, 'all spend', True]]
    """
    import pandas as pd
    from scipy.optimize import brentq

    S, C = check_sc(S, C)
    delta = S - C
    rows = []

    def stab(slope):
        if abs(slope) <= tol:
            return None
        return bool(slope < 0)

    rows.append({"x": 0.0, "kind": "all cut", "slope": float(delta[0]), "stable": stab(delta[0])})
    if np.all(np.abs(delta) <= tol):
        rows.append({"x": 1.0, "kind": "all spend", "slope": 0.0, "stable": None})
        return pd.DataFrame(rows)
    g = _bernstein(delta)
    dg = g.deriv()
    cands = [float(r.real) for r in g.roots() if abs(r.imag) < 1e-7 and tol < r.real < 1 - tol]
    roots = []                                # refined and deduplicated
    for r in sorted(cands):
        lo, hi = max(r - 1e-6, 1e-12), min(r + 1e-6, 1 - 1e-12)
        if g(lo) * g(hi) < 0:
            r = brentq(g, lo, hi, xtol=1e-14)
        if not roots or abs(r - roots[-1]) > 1e-7:
            roots.append(r)
    for r in roots:
        slope = r * (1 - r) * dg(r)
        rows.append({"x": r, "kind": "interior", "slope": float(slope), "stable": stab(slope)})
    rows.append({"x": 1.0, "kind": "all spend", "slope": float(-delta[-1]), "stable": stab(-delta[-1])})
    return pd.DataFrame(rows)


def stability_of(flag) -> str:
    """``"stable"``, ``"unstable"`` or ``"neutral"`` from :func:`rest_points`'s ``stable`` column.

    Parameters
    ----------
    flag : bool, None or float
        One entry of the ``stable`` column (pandas may turn None into NaN).

    Returns
    -------
    str

    Examples
    --------
    >>> [stability_of(v) for v in (True, False, None, float("nan"))]
    ['stable', 'unstable', 'neutral', 'neutral']
    """
    if flag is None or (isinstance(flag, float) and math.isnan(flag)):
        return "neutral"
    return "stable" if bool(flag) else "unstable"
