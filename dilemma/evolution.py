r"""Evolutionary dynamics of the Spend/Cut game: replicator, Moran, ecology.

Replicator dynamics (symmetric N-player game)
---------------------------------------------
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
(negative = stable) [Hofbauer1998]_, [Hauert2006]_.

Discrete replicator (strategies of a tournament)
------------------------------------------------
For the pairwise payoff matrix :math:`A` of a tournament (``A[i, j]``: mean
payoff per round of *i* against *j*), shares evolve as
:math:`x_i' = x_i (f_i + c) / (\bar f + c)` with :math:`f = A x`; the shift
:math:`c` (default :math:`1 - \min A`) keeps fitness positive, which changes
the speed but not the rest points.

Moran process with negative payoffs
-----------------------------------
In a population of :math:`N`, an individual is chosen to reproduce with
probability proportional to its fitness and its offspring replaces one chosen
uniformly at random [Moran1958]_, [Nowak2004]_. Payoffs exclude
self-interaction: with :math:`i` mutants,
:math:`\pi_M(i) = (a(i-1) + b(N-i))/(N-1)`,
:math:`\pi_R(i) = (c\,i + d(N-i-1))/(N-1)`. Fitness is

* ``"exp"`` (default): :math:`F(\pi) = e^{w\pi}` [Traulsen2008]_, positive for
  *any* payoff, so the capex games' negative payoffs ($B losses) are fine --
  Nashpy's Moran process refuses them;
* ``"linear"``: :math:`F(\pi) = 1 - w + w\pi` [Nowak2004]_, which must stay
  positive (an error says so otherwise; shift the payoffs or lower *w*).

The fixation probability of one mutant has the closed form
:math:`\rho = 1 / (1 + \sum_{k=1}^{N-1} \prod_{j=1}^{k} g_j / f_j)` with
:math:`f_j = F(\pi_M(j))`, :math:`g_j = F(\pi_R(j))`; with :math:`w = 0`
(neutral drift) it is :math:`1/N`.

Ecology of a tournament
-----------------------
As in Nicky Case's "The Evolution of Trust": each generation, every pair of
individuals plays a match; the ``k`` lowest scorers are removed and the ``k``
highest scorers copied (ties broken at random, seeded).

Examples
--------
>>> import numpy as np
>>> S, C = np.array([1.0, 2.0]), np.array([2.0, 1.0])   # stag hunt: Delta(0) < 0 < Delta(1)
>>> rest_points(S, C)[["x", "stable"]].values.tolist()
[[0.0, True], [0.5, False], [1.0, True]]
>>> round(fixation_probability([[1, 1], [1, 1]], 10, w=1.0), 6)   # neutral
0.1
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .errors import ParameterError

__all__ = [
    "schelling_arrays",
    "expected_gain",
    "replicator_rhs",
    "replicator_trajectory",
    "rest_points",
    "discrete_replicator",
    "moran_fitness",
    "fixation_probability",
    "simulate_fixation",
    "moran_process",
    "fixation_probabilities",
    "ecology",
]


# ==========================================================================
# Schelling diagram and continuous replicator
# ==========================================================================
def schelling_arrays(game_or_payoffs, atol: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """``S(j), C(j)`` of a symmetric Spend/Cut game, ``j = 0 .. N-1`` others spending.

    Parameters
    ----------
    game_or_payoffs : Game or ndarray, shape ``(2,)*N + (N,)``
        Action 0 is Spend, 1 is Cut.
    atol : float
        Tolerance of the symmetry check.

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
    from .repeated._batch import as_payoffs

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


def _check_sc(S, C) -> tuple[np.ndarray, np.ndarray]:
    S = np.asarray(S, dtype=float).ravel()
    C = np.asarray(C, dtype=float).ravel()
    if S.shape != C.shape or S.size < 1:
        raise ParameterError("S, C", "two arrays of the same length N >= 1 (payoffs when j = 0..N-1 others spend)",
                             (S.shape, C.shape))
    if not (np.all(np.isfinite(S)) and np.all(np.isfinite(C))):
        raise ParameterError("S, C", "finite numbers")
    return S, C


def _check_share(name, x):
    x = np.asarray(x, dtype=float)
    if np.any(~np.isfinite(x)) or np.any(x < 0) or np.any(x > 1):
        raise ParameterError(name, "shares between 0 and 1", x.tolist() if x.ndim else float(x))
    return x


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

    >>> float(expected_gain(0.5, [1.0, 2.0], [2.0, 1.0]))
    0.0
    """
    S, C = _check_sc(S, C)
    x = np.asarray(x, dtype=float)
    m = len(S) - 1
    j = np.arange(m + 1)
    binom = np.array([math.comb(m, k) for k in j], dtype=float)
    xs = x[..., None]
    with np.errstate(invalid="ignore"):
        w = binom * xs ** j * (1 - xs) ** (m - j)
    return w @ (S - C)


def replicator_rhs(x, S, C) -> np.ndarray:
    """``dx/dt = x (1 - x) g(x)`` for the share ``x`` spending."""
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
    """
    import pandas as pd
    from scipy.integrate import solve_ivp

    S, C = _check_sc(S, C)
    x0s = np.atleast_1d(_check_share("x0", x0))
    if not (t_max > 0 and math.isfinite(t_max)):
        raise ParameterError("t_max", "a finite number > 0", t_max)
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 2:
        raise ParameterError("steps", "a whole number >= 2", steps)
    ts = np.linspace(0.0, float(t_max), int(steps))
    frames = []
    for start in x0s:
        sol = solve_ivp(lambda t, y: replicator_rhs(y, S, C), (0.0, float(t_max)), [float(start)],
                        t_eval=ts, rtol=1e-9, atol=1e-12)
        xs = np.clip(sol.y[0], 0.0, 1.0)
        frames.append(pd.DataFrame({"x0": float(start), "time": sol.t, "x": xs, "gain": expected_gain(xs, S, C)}))
    return pd.concat(frames, ignore_index=True)


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
    """
    import pandas as pd

    S, C = _check_sc(S, C)
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
    cands = []
    for r in g.roots():
        if abs(r.imag) < 1e-7 and tol < r.real < 1 - tol:
            cands.append(float(r.real))
    # refine and deduplicate
    from scipy.optimize import brentq

    roots = []
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


# ==========================================================================
# discrete replicator for a tournament's strategies
# ==========================================================================
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
    if isinstance(generations, bool) or not isinstance(generations, numbers.Integral) or generations < 0:
        raise ParameterError("generations", "a whole number >= 0", generations)
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


# ==========================================================================
# Moran process
# ==========================================================================
_FITNESS = ("exp", "linear")


def _check_w(w):
    try:
        w = float(w)
    except (TypeError, ValueError):
        raise ParameterError("w", "a finite number >= 0 (intensity of selection)", w) from None
    if not (math.isfinite(w) and w >= 0):
        raise ParameterError("w", "a finite number >= 0 (intensity of selection)", w)
    return w


def moran_fitness(payoff, w: float = 1.0, fitness: str = "exp") -> np.ndarray:
    """Fitness from payoff: ``exp(w * payoff)`` or ``1 - w + w * payoff``.

    Raises
    ------
    ParameterError
        Unknown ``fitness``, ``w < 0``, or a non-positive linear fitness.

    >>> moran_fitness([-2.0, 0.0], w=0.5).round(4).tolist()
    [0.3679, 1.0]
    """
    w = _check_w(w)
    payoff = np.asarray(payoff, dtype=float)
    if fitness == "exp":
        return np.exp(np.clip(w * payoff, -700, 700))
    if fitness == "linear":
        f = 1.0 - w + w * payoff
        if np.any(f <= 0):
            raise ParameterError("w", "small enough that linear fitness 1 - w + w*payoff stays positive "
                                 f"(lowest payoff {payoff.min():g}); or use fitness='exp'", w)
        return f
    raise ParameterError("fitness", "'exp' or 'linear'", fitness)


def _check_pop(n):
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 2:
        raise ParameterError("population", "a whole number >= 2", n)
    return int(n)


def _two_type(A, mutant, resident):
    A = np.asarray(A, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.isfinite(A).all():
        raise ParameterError("A", "a square matrix of finite payoffs (row against column)", A.shape)
    k = A.shape[0]
    for name, v in (("mutant", mutant), ("resident", resident)):
        if not (isinstance(v, numbers.Integral) and 0 <= v < k):
            raise ParameterError(name, f"a strategy index 0..{k - 1}", v)
    if mutant == resident:
        raise ParameterError("mutant", "different from resident", mutant)
    return A[mutant, mutant], A[mutant, resident], A[resident, mutant], A[resident, resident]


def _fitness_profiles(A, n, mutant, resident, w, fitness):
    a, b, c, d = _two_type(A, mutant, resident)
    i = np.arange(1, n)                     # number of mutants 1..N-1
    pm = (a * (i - 1) + b * (n - i)) / (n - 1)
    pr = (c * i + d * (n - i - 1)) / (n - 1)
    return moran_fitness(pm, w, fitness), moran_fitness(pr, w, fitness)


def fixation_probability(A, population: int, mutant: int = 0, resident: int = 1, w: float = 1.0,
                         fitness: str = "exp") -> float:
    """Closed-form fixation probability of one mutant in a resident population.

    Parameters
    ----------
    A : array_like, shape ``(k, k)``
        Payoff of the row strategy against the column strategy (any sign).
    population : int
        Population size N >= 2.
    mutant, resident : int
        Indices into ``A``.
    w : float
        Intensity of selection, >= 0 (0 = neutral drift).
    fitness : {"exp", "linear"}

    Returns
    -------
    float
        :math:`\\rho = 1 / (1 + \\sum_{k=1}^{N-1} \\prod_{j=1}^k g_j/f_j)`.

    Examples
    --------
    >>> pd = [[3, 0], [5, 1]]                    # 0 = Cut, 1 = Spend (row against column)
    >>> fixation_probability(pd, 10, mutant=1, resident=0, w=0.1) > 0.1   # spenders invade
    True
    """
    n = _check_pop(population)
    f, g = _fitness_profiles(A, n, mutant, resident, w, fitness)
    logs = np.cumsum(np.log(g) - np.log(f))
    m = max(0.0, logs.max())
    return float(math.exp(-m) / (math.exp(-m) + np.exp(logs - m).sum()))


def _wilson(k, n, z=1.959963984540054):
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return centre - half, centre + half


def simulate_fixation(A, population: int, mutant: int = 0, resident: int = 1, w: float = 1.0,
                      fitness: str = "exp", trials: int = 10_000, seed=None) -> dict:
    """Estimate the fixation probability of one mutant by simulation.

    All trials run at once on the embedded jump chain (from ``i`` mutants the
    next change is ``i + 1`` with probability ``f_i / (f_i + g_i)``), which has
    the same absorption probabilities as the Moran process.

    Returns
    -------
    dict
        ``estimate``, ``ci_low``, ``ci_high`` (95 % Wilson interval),
        ``fixed``, ``trials`` and the closed form ``exact``.
    """
    from .repeated._batch import seed_sequence

    n = _check_pop(population)
    if isinstance(trials, bool) or not isinstance(trials, numbers.Integral) or trials < 1:
        raise ParameterError("trials", "a whole number >= 1", trials)
    f, g = _fitness_profiles(A, n, mutant, resident, w, fitness)
    p_up = np.concatenate([[0.0], f / (f + g), [0.0]])         # index = number of mutants
    rng = np.random.default_rng(seed_sequence(seed))
    state = np.ones(trials, dtype=np.int64)
    active = np.arange(trials)
    while active.size:
        s = state[active]
        s += np.where(rng.random(active.size) < p_up[s], 1, -1)
        state[active] = s
        active = active[(s > 0) & (s < n)]
    fixed = int((state == n).sum())
    lo, hi = _wilson(fixed, trials)
    return {"estimate": fixed / trials, "ci_low": lo, "ci_high": hi, "fixed": fixed, "trials": int(trials),
            "exact": fixation_probability(A, n, mutant, resident, w, fitness)}


def _check_initial(A, initial_population):
    A = np.asarray(A, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.isfinite(A).all():
        raise ParameterError("A", "a square matrix of finite payoffs", A.shape)
    k = A.shape[0]
    pop = np.asarray(initial_population)
    if pop.ndim != 1 or pop.size < 2 or not np.issubdtype(pop.dtype, np.integer) or pop.min() < 0 or pop.max() >= k:
        raise ParameterError("initial_population", f"a list of at least 2 strategy indices 0..{k - 1}",
                             initial_population)
    return A, np.bincount(pop, minlength=k).astype(np.int64)


def _moran_step(A, counts, w, fitness, rng):
    """One birth-death step for every row of ``counts`` (reps, k), in place."""
    n = counts.sum(axis=1, keepdims=True)
    payoff = (counts @ A.T - np.diag(A)) / (n - 1)             # (reps, k): excludes self
    fit = moran_fitness(payoff, w, fitness) * counts
    cum = np.cumsum(fit, axis=1)
    born = (cum < rng.random((len(counts), 1)) * cum[:, -1:]).sum(axis=1)
    cumc = np.cumsum(counts, axis=1)
    dies = (cumc <= rng.random((len(counts), 1)) * n).sum(axis=1)
    rows = np.arange(len(counts))
    counts[rows, born] += 1
    counts[rows, dies] -= 1


def moran_process(A, initial_population, w: float = 1.0, fitness: str = "exp", seed=None,
                  max_generations: int = 100_000):
    """One Moran process until a strategy takes over (or ``max_generations``).

    Parameters
    ----------
    A : array_like, shape ``(k, k)``
        Row strategy's payoff against the column strategy; negative allowed.
    initial_population : sequence of int
        Strategy index of every individual (as :func:`nashpy` takes it).
    w, fitness
        See :func:`moran_fitness`.
    seed : None, int or Generator

    Returns
    -------
    pandas.DataFrame
        ``generation, strategy, count`` for every generation and strategy.
    """
    import pandas as pd

    from .repeated._batch import seed_sequence

    A, counts = _check_initial(A, initial_population)
    rng = np.random.default_rng(seed_sequence(seed))
    c = counts[None, :].copy()
    hist = [c[0].copy()]
    for _ in range(int(max_generations)):
        if (c[0] > 0).sum() <= 1:
            break
        _moran_step(A, c, w, fitness, rng)
        hist.append(c[0].copy())
    h = np.array(hist)
    gens, k = h.shape
    return pd.DataFrame({"generation": np.repeat(np.arange(gens), k), "strategy": np.tile(np.arange(k), gens),
                         "count": h.ravel()})


def fixation_probabilities(A, initial_population, repetitions: int = 1000, w: float = 1.0, fitness: str = "exp",
                           seed=None, max_generations: int = 1_000_000) -> np.ndarray:
    """Share of ``repetitions`` Moran processes that fixate on each strategy (vectorised).

    Like :func:`nashpy.Game.fixation_probabilities` but accepting negative payoffs.

    Returns
    -------
    ndarray, shape ``(k,)``
        Runs still mixed after ``max_generations`` count for no strategy.
    """
    from .repeated._batch import seed_sequence

    A, counts = _check_initial(A, initial_population)
    if isinstance(repetitions, bool) or not isinstance(repetitions, numbers.Integral) or repetitions < 1:
        raise ParameterError("repetitions", "a whole number >= 1", repetitions)
    rng = np.random.default_rng(seed_sequence(seed))
    c = np.tile(counts, (repetitions, 1))
    active = np.arange(repetitions)
    for _ in range(int(max_generations)):
        live = c[active]
        keep = (live > 0).sum(axis=1) > 1
        active, live = active[keep], live[keep]
        if not active.size:
            break
        _moran_step(A, live, w, fitness, rng)
        c[active] = live
    done = (c > 0).sum(axis=1) == 1
    n = counts.sum()
    return (c[done] == n).sum(axis=0) / repetitions


# ==========================================================================
# ecology of an iterated tournament
# ==========================================================================
def ecology(game_or_payoffs, population, generations: int = 20, k: int = 5, rounds: int = 10,
            noise: float = 0.0, seed=None):
    """Nicky Case's "Evolution of Trust": replace the worst ``k`` by copies of the best ``k``.

    Parameters
    ----------
    game_or_payoffs : Game or ndarray, shape ``(2, 2, 2)``
        Two-player Spend/Cut game.
    population : dict of str to int
        Strategy spec -> number of individuals (total >= 2).
    generations : int
        Number of elimination/reproduction steps.
    k : int
        Individuals replaced per generation, ``1 <= k <= population/2``.
    rounds : int
        Rounds per match.
    noise : float
        Probability that an intended action flips.
    seed : None, int or Generator

    Returns
    -------
    pandas.DataFrame
        ``generation, strategy, count, mean_score`` (generation 0 = start;
        ``mean_score`` is the strategy's mean payoff per round in that
        generation's tournament, NaN once extinct or in the last row).

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # Spend=0, Cut=1
    >>> df = ecology(pd, {"always-cut": 10, "always-spend": 5, "tit-for-tat": 10}, generations=10, seed=1)
    >>> df[df.generation == 10].set_index("strategy")["count"].to_dict()
    {'always-cut': 0, 'always-spend': 0, 'tit-for-tat': 25}
    """
    import pandas as pd

    from .repeated._batch import as_payoffs, check_noise, check_rounds, check_stateless, seed_sequence
    from .repeated.strategies import resolve_strategies
    from .repeated.tournament import play_pairs, strategy_labels

    payoffs, _, _ = as_payoffs(game_or_payoffs)
    if payoffs.shape[-1] != 2:
        raise ParameterError("game", "a two-player game", payoffs.shape[-1])
    if not isinstance(population, dict) or not population:
        raise ParameterError("population", "a dict of strategy name -> count")
    specs = list(population)
    strats = resolve_strategies(specs)
    check_stateless(strats)
    labels = strategy_labels(specs, strats)
    counts = np.array([population[s] for s in specs])
    if not np.issubdtype(counts.dtype, np.integer) or counts.min() < 0 or counts.sum() < 2:
        raise ParameterError("population", "whole-number counts >= 0 with a total >= 2", population)
    total = int(counts.sum())
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= total // 2:
        raise ParameterError("k", f"a whole number between 1 and {total // 2} (half the population)", k)
    generations = int(generations) if isinstance(generations, numbers.Integral) and generations >= 0 else None
    if generations is None:
        raise ParameterError("generations", "a whole number >= 0")
    rounds = check_rounds(rounds)
    noise = check_noise(noise)
    ss = seed_sequence(seed)
    match_seeds = ss.spawn(generations + 1)
    tie_rng = np.random.default_rng(match_seeds[-1])
    ntypes = len(strats)
    rows = []
    for gen in range(generations + 1):
        indiv = np.repeat(np.arange(ntypes), counts)
        if gen == generations:
            rows += [(gen, labels[t], int(counts[t]), np.nan) for t in range(ntypes)]
            break
        a, b = np.triu_indices(total, 1)
        mean_pay, _ = play_pairs(payoffs, strats, np.stack([indiv[a], indiv[b]], axis=1), rounds, noise,
                                 match_seeds[gen])
        score = np.zeros(total)
        np.add.at(score, a, mean_pay[:, 0])
        np.add.at(score, b, mean_pay[:, 1])
        score /= total - 1
        for t in range(ntypes):
            sel = indiv == t
            rows.append((gen, labels[t], int(counts[t]), float(score[sel].mean()) if sel.any() else np.nan))
        order = np.lexsort((tie_rng.random(total), -score))       # best first, random ties
        new = indiv.copy()
        new[order[-k:]] = indiv[order[:k]]
        counts = np.bincount(new, minlength=ntypes)
    return pd.DataFrame(rows, columns=["generation", "strategy", "count", "mean_score"])
