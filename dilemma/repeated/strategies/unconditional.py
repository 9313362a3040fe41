"""Unconditional strategies: they ignore what the others do.

Always Spend and Always Cut (ALLD and ALLC), the Alternator and Random, the
baselines of every tournament since [Axelrod1980]_. Each plays move for move
as its :mod:`axelrod` namesake with two players (``tests/test_strategies.py``).

References
----------
See ``docs/bibliography.md``: [Axelrod1980]_, [Axelrod1984]_, [Nowak2006]_.

Examples
--------
>>> import numpy as np
>>> s = Alternator()
>>> s.reset(2)
>>> s.decide(0, np.zeros((0, 2), bool), np.zeros((0, 2, 1), bool)).tolist()
[True, True]
>>> s.decide(1, np.array([[True, False]]), np.zeros((1, 2, 1), bool)).tolist()   # the opposite of its last move
[False, True]
"""

from __future__ import annotations

from .base import Strategy, check_share

__all__ = ["AlwaysSpend", "AlwaysCut", "Alternator", "RandomStrategy"]


class AlwaysSpend(Strategy):
    """Always Spend (defect).

    Names:

    - Defector: [Axelrod1984]_ (``axelrod.Defector``)
    - Always defect (ALLD): [Nowak2006]_

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated import play
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # prisoner's dilemma, 0 Spend, 1 Cut
    >>> play(pd, [AlwaysSpend(), "tit-for-tat"], rounds=4).actions[0].T.tolist()   # 1 = Cut
    [[0, 0, 0, 0], [1, 0, 0, 0]]
    """

    name = "always-spend"
    label = "Always Spend"
    description = "Keeps its capex plan every year, whatever the others do."
    axelrod = "Defector"

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        return self._const(False)


class AlwaysCut(Strategy):
    """Always Cut (cooperate).

    Names:

    - Cooperator: [Axelrod1984]_ (``axelrod.Cooperator``)
    - Always cooperate (ALLC): [Nowak2006]_

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated import play
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # prisoner's dilemma, 0 Spend, 1 Cut
    >>> play(pd, [AlwaysCut(), "always-spend"], rounds=4).actions[0].T.tolist()
    [[1, 1, 1, 1], [0, 0, 0, 0]]
    """

    name = "always-cut"
    label = "Always Cut"
    description = "Cuts every year, whatever the others do."
    axelrod = "Cooperator"

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        return self._const(True)


class Alternator(Strategy):
    """Cut first, then do the opposite of its own last (played) move.

    Names:

    - Alternator: [Axelrod1984]_ (``axelrod.Alternator``)

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated import play
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # prisoner's dilemma, 0 Spend, 1 Cut
    >>> play(pd, [Alternator(), "always-cut"], rounds=6).actions[0, :, 0].tolist()
    [1, 0, 1, 0, 1, 0]
    """

    name = "alternator"
    label = "Alternator"
    description = "Cuts first, then alternates Spend and Cut."
    axelrod = "Alternator"

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        if t == 0:
            return self._const(True)
        return ~my_hist[t - 1]


class RandomStrategy(Strategy):
    """Cut with probability ``p`` each round, independently.

    Names:

    - Random: [Axelrod1980]_ (``axelrod.Random``), submitted as the baseline "RANDOM"

    Parameters
    ----------
    p : float
        Probability of Cut each round, in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated import play
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # prisoner's dilemma, 0 Spend, 1 Cut
    >>> play(pd, [RandomStrategy(p=1.0), RandomStrategy(p=0.0)], rounds=3).actions[0].T.tolist()
    [[1, 1, 1], [0, 0, 0]]
    >>> a = play(pd, ["random", "always-cut"], rounds=8, seed=1).actions[0, :, 0]
    >>> bool((a == play(pd, ["random", "always-cut"], rounds=8, seed=1).actions[0, :, 0]).all())   # seeded
    True
    """

    name = "random"
    label = "Random"
    description = "Cuts with probability p (default 0.5) each year, independently."
    axelrod = "Random"
    stochastic = True

    def __init__(self, p: float = 0.5):
        self.p = check_share("p", p, low_open=False)
        self.params = {"p": self.p}

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        if self.p in (0.0, 1.0):            # as axelrod: no draw at p = 0 or 1
            return self._const(self.p == 1.0)
        return rng.random(self.seats) < self.p
