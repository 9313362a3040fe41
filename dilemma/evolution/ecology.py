"""Ecology of an iterated tournament: drop the worst, copy the best.

As in Nicky Case's "The Evolution of Trust" [Case2017]_: a population of
individuals, each playing one strategy. Each generation every pair of
individuals plays a match of ``rounds`` rounds of the two-player stage game
(with ``noise``: an intended action flips with that probability); an
individual's score is its mean payoff per round over its matches. The ``k``
lowest scorers are removed and the ``k`` highest scorers copied, ties broken
at random (seeded). Unlike the replicator dynamics
(:mod:`dilemma.evolution.discrete`) the population is finite and strategies
go extinct.

References
----------
See ``docs/bibliography.md``: [Case2017]_, [Axelrod1984]_.

Examples
--------
>>> import numpy as np
>>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # Spend=0, Cut=1
>>> df = ecology(pd, {"always-spend": 3, "tit-for-tat": 3}, generations=2, k=1, seed=0)
>>> df.groupby("generation")["count"].sum().tolist()          # the population size is kept
[6, 6, 6]
"""

from __future__ import annotations

import numbers

import numpy as np

from dilemma.errors import ParameterError

from ._checks import check_whole

__all__ = ["ecology"]


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

    Raises
    ------
    ParameterError
        A game with other than two players, an empty or non-integer
        population, ``k`` outside ``1 .. total/2``, or bad rounds / noise.

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # Spend=0, Cut=1
    >>> df = ecology(pd, {"always-cut": 10, "always-spend": 5, "tit-for-tat": 10}, generations=10, seed=1)
    >>> df[df.generation == 10].set_index("strategy")["count"].to_dict()
    {'always-cut': 0, 'always-spend': 0, 'tit-for-tat': 25}
    """
    import pandas as pd

    from dilemma.repeated._batch import as_payoffs, check_noise, check_rounds, check_stateless, seed_sequence
    from dilemma.repeated.strategies import resolve_strategies
    from dilemma.repeated.tournament import play_pairs, strategy_labels

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
    generations = check_whole("generations", generations, 0)
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
