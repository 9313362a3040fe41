r"""The Moran process with any payoffs: fixation probabilities, exact and simulated.

In a population of :math:`N`, an individual is chosen to reproduce with
probability proportional to its fitness and its offspring replaces one chosen
uniformly at random [Moran1958]_, [Nowak2004]_. Payoffs exclude
self-interaction: with :math:`i` mutants (payoff matrix entries
:math:`a = A_{MM}, b = A_{MR}, c = A_{RM}, d = A_{RR}`),

.. math::

    \pi_M(i) = \frac{a(i-1) + b(N-i)}{N-1}, \qquad
    \pi_R(i) = \frac{c\,i + d(N-i-1)}{N-1}.

Fitness is

* ``"exp"`` (default): :math:`F(\pi) = e^{w\pi}` [Traulsen2008]_, positive for
  *any* payoff, so the capex games' negative payoffs ($B losses) are fine --
  Nashpy's Moran process refuses them;
* ``"linear"``: :math:`F(\pi) = 1 - w + w\pi` [Nowak2004]_, which must stay
  positive (an error says so otherwise; shift the payoffs or lower *w*).

The fixation probability of one mutant has the closed form

.. math::

    \rho = \Bigl(1 + \sum_{k=1}^{N-1} \prod_{j=1}^{k} g_j / f_j\Bigr)^{-1},
    \qquad f_j = F(\pi_M(j)),\; g_j = F(\pi_R(j));

with :math:`w = 0` (neutral drift) it is :math:`1/N`. The simulations run all
trials at once (a leading batch axis) and are seeded.

Because the intensity :math:`w` multiplies payoffs in $B, a number like
``w = 1`` means very different things for games of different scale;
:func:`selection_w` turns a scale-free *strength* into :math:`w`.

References
----------
See ``docs/bibliography.md``: [Moran1958]_, [Nowak2004]_, [Nowak2006]_,
[Traulsen2008]_, [Knight2018]_ (Nashpy's ``moran_process``, whose interface
:func:`moran_process` and :func:`fixation_probabilities` follow).

Examples
--------
>>> round(fixation_probability([[1, 1], [1, 1]], 10, w=1.0), 6)   # neutral: 1/N
0.1
"""

from __future__ import annotations

import math

import numpy as np

from dilemma.errors import ParameterError

from ._checks import check_square, check_w, check_whole

__all__ = [
    "moran_fitness",
    "selection_w",
    "fixation_probability",
    "simulate_fixation",
    "moran_process",
    "fixation_probabilities",
]


def moran_fitness(payoff, w: float = 1.0, fitness: str = "exp") -> np.ndarray:
    """Fitness from payoff: ``exp(w * payoff)`` or ``1 - w + w * payoff``.

    Parameters
    ----------
    payoff : float or array_like
        Payoffs ($B), any sign.
    w : float
        Intensity of selection, >= 0.
    fitness : {"exp", "linear"}

    Returns
    -------
    ndarray, shape of ``payoff``

    Raises
    ------
    ParameterError
        Unknown ``fitness``, ``w < 0``, or a non-positive linear fitness.

    Examples
    --------
    >>> moran_fitness([-2.0, 0.0], w=0.5).round(4).tolist()
    [0.3679, 1.0]
    >>> moran_fitness([-2.0, 0.0], w=0.25, fitness="linear").tolist()
    [0.25, 0.75]
    """
    w = check_w(w)
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


def selection_w(matrix, strength: float) -> float:
    """Intensity of selection ``w = strength / (max − min payoff)``, scale-free.

    With ``strength = 1`` the best payoff in ``matrix`` gives ``e ≈ 2.7``
    times the fitness of the worst (exponential fitness); 0 is neutral drift.

    Parameters
    ----------
    matrix : array_like
        Payoffs ($B); NaN entries (a tournament without self-play) are ignored.
    strength : float
        Selection in units of the payoff spread.

    Returns
    -------
    float
        ``w``; 0 when every payoff is the same (nothing to select on).

    Examples
    --------
    >>> selection_w([[3, 0], [5, 1]], 1.0), selection_w([[2, 2], [2, 2]], 1.0)
    (0.2, 0.0)
    """
    A = np.asarray(matrix, dtype=float)
    spread = float(np.nanmax(A) - np.nanmin(A)) if np.isfinite(A).any() else 0.0
    if not (spread > 1e-12) or not math.isfinite(spread):
        return 0.0
    return float(strength) / spread


def _two_type(A, mutant, resident):
    """``a, b, c, d``: mutant/resident payoffs against mutant/resident."""
    A = check_square(A)
    k = A.shape[0]
    for name, v in (("mutant", mutant), ("resident", resident)):
        if isinstance(v, bool) or not (isinstance(v, (int, np.integer)) and 0 <= v < k):
            raise ParameterError(name, f"a strategy index 0..{k - 1}", v)
    if mutant == resident:
        raise ParameterError("mutant", "different from resident", mutant)
    return A[mutant, mutant], A[mutant, resident], A[resident, mutant], A[resident, resident]


def _fitness_profiles(A, n, mutant, resident, w, fitness):
    """``f_i, g_i`` (mutant, resident fitness) for ``i = 1 .. N-1`` mutants."""
    a, b, c, d = _two_type(A, mutant, resident)
    i = np.arange(1, n)
    pm = (a * (i - 1) + b * (n - i)) / (n - 1)
    pr = (c * i + d * (n - i - 1)) / (n - 1)
    return moran_fitness(pm, w, fitness), moran_fitness(pr, w, fitness)


def fixation_probability(A, population: int, mutant: int = 0, resident: int = 1, w: float = 1.0,
                         fitness: str = "exp") -> float:
    r"""Closed-form fixation probability of one mutant in a resident population.

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
        :math:`\rho = 1 / (1 + \sum_{k=1}^{N-1} \prod_{j=1}^k g_j/f_j)`.

    Examples
    --------
    >>> pd = [[3, 0], [5, 1]]                    # 0 = Cut, 1 = Spend (row against column)
    >>> fixation_probability(pd, 10, mutant=1, resident=0, w=0.1) > 0.1   # spenders invade
    True
    >>> fixation_probability(pd, 10, mutant=1, resident=0, w=0.0)         # neutral drift: 1/N
    0.1
    """
    n = check_whole("population", population, 2)
    f, g = _fitness_profiles(A, n, mutant, resident, w, fitness)
    logs = np.cumsum(np.log(g) - np.log(f))
    m = max(0.0, logs.max())
    return float(math.exp(-m) / (math.exp(-m) + np.exp(logs - m).sum()))


def _wilson(k, n, z=1.959963984540054):
    """95 % Wilson score interval of ``k`` successes in ``n`` trials."""
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

    Parameters
    ----------
    A, population, mutant, resident, w, fitness
        As in :func:`fixation_probability`.
    trials : int
        Number of independent runs, >= 1.
    seed : None, int or Generator

    Returns
    -------
    dict
        ``estimate``, ``ci_low``, ``ci_high`` (95 % Wilson interval),
        ``fixed``, ``trials`` and the closed form ``exact``.

    Examples
    --------
    >>> r = simulate_fixation([[1, 1], [1, 1]], 10, trials=2000, seed=0)   # neutral: 1/N
    >>> r["exact"], r["ci_low"] < 0.1 < r["ci_high"]
    (0.1, True)
    """
    from dilemma.repeated._batch import seed_sequence

    n = check_whole("population", population, 2)
    trials = check_whole("trials", trials, 1)
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
    return {"estimate": fixed / trials, "ci_low": lo, "ci_high": hi, "fixed": fixed, "trials": trials,
            "exact": fixation_probability(A, n, mutant, resident, w, fitness)}


def _check_initial(A, initial_population):
    """The payoff matrix and the count of each strategy in ``initial_population``."""
    A = check_square(A)
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
    max_generations : int
        Stop after this many birth-death steps even if still mixed.

    Returns
    -------
    pandas.DataFrame
        ``generation, strategy, count`` for every generation and strategy.

    Examples
    --------
    >>> df = moran_process([[-3, -1], [-2, -2]], [0, 0, 1, 1], seed=0)
    >>> last = df[df.generation == df.generation.max()]["count"].tolist()
    >>> sorted(last)                  # one strategy has taken over all four
    [0, 4]
    """
    import pandas as pd

    from dilemma.repeated._batch import seed_sequence

    A, counts = _check_initial(A, initial_population)
    max_generations = check_whole("max_generations", max_generations, 0)
    rng = np.random.default_rng(seed_sequence(seed))
    c = counts[None, :].copy()
    hist = [c[0].copy()]
    for _ in range(max_generations):
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

    Parameters
    ----------
    A, initial_population, w, fitness, seed, max_generations
        As in :func:`moran_process`.
    repetitions : int
        Number of independent processes, >= 1.

    Returns
    -------
    ndarray, shape ``(k,)``
        Runs still mixed after ``max_generations`` count for no strategy.

    Examples
    --------
    >>> p = fixation_probabilities([[1, 1], [1, 1]], [0, 1, 1, 1], repetitions=400, seed=0)
    >>> float(p.sum()), bool(0.15 < p[0] < 0.35)     # neutral: one in four fixates
    (1.0, True)
    """
    from dilemma.repeated._batch import seed_sequence

    A, counts = _check_initial(A, initial_population)
    repetitions = check_whole("repetitions", repetitions, 1)
    max_generations = check_whole("max_generations", max_generations, 0)
    rng = np.random.default_rng(seed_sequence(seed))
    c = np.tile(counts, (repetitions, 1))
    active = np.arange(repetitions)
    for _ in range(max_generations):
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
