"""Reciprocal strategies: they answer what the others did.

Tit For Tat and its relatives (Suspicious, Two Tats, Generous), Grim Trigger,
Win-Stay Lose-Shift (Pavlov) and Follow the Majority. With two players each
plays move for move as its :mod:`axelrod` namesake
(``tests/test_strategies.py`` checks every pair). With N players "the others
cut" means a share ``threshold`` of them cut (see
:class:`~dilemma.repeated.strategies.base.ThresholdStrategy`).

References
----------
See ``docs/bibliography.md``: [Axelrod1980]_, [Axelrod1984]_, [Friedman1971]_,
[Nowak1993]_, [Kraines1989]_, [Hilbe2013]_, [Beaufils1997]_, [Mittal2009]_.

Examples
--------
>>> import numpy as np
>>> s = TitForTat()
>>> s.reset(3)
>>> s.decide(0, np.zeros((0, 3), bool), np.zeros((0, 3, 1), bool)).tolist()
[True, True, True]
>>> others = np.array([[[True], [False], [True]]])      # round 0: opponents' moves
>>> s.decide(1, np.ones((1, 3), bool), others).tolist()
[True, False, True]
"""

from __future__ import annotations

import math

import numpy as np

from dilemma.errors import ParameterError

from .base import Strategy, ThresholdStrategy, check_share

__all__ = ["TitForTat", "SuspiciousTitForTat", "TitForTwoTats", "GenerousTitForTat", "GrimTrigger",
           "WinStayLoseShift", "FollowTheMajority"]


class TitForTat(ThresholdStrategy):
    """Cut first, then Cut if the others cut last round.

    With N players it cuts when at least a share ``threshold`` of the others
    cut in the previous round (threshold 1, the default: all of them); this is
    the "TFT-k" reciprocity of N-person prisoner's dilemmas.

    Names:

    - Tit For Tat: [Axelrod1980]_ (``axelrod.TitForTat``), submitted by Anatol Rapoport

    Takes ``threshold``, the share of the others that must cut for "the
    others cut", in (0, 1]; default 1 (the constructor of
    :class:`~dilemma.repeated.strategies.base.ThresholdStrategy`).

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated import play
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # prisoner's dilemma, 0 Spend, 1 Cut
    >>> play(pd, [TitForTat(), "alternator"], rounds=6).actions[0].T.tolist()   # copies with a lag
    [[1, 1, 0, 1, 0, 1], [1, 0, 1, 0, 1, 0]]
    """

    name = "tit-for-tat"
    label = "Tit For Tat"
    description = "Cuts first, then copies the others' last move (cuts if a share >= threshold cut)."
    axelrod = "TitForTat"
    first_cut = True

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        if t == 0:
            return self._const(self.first_cut)
        return self._others_cut(others_hist[t - 1])


class SuspiciousTitForTat(TitForTat):
    """Spend first, then Cut if the others cut last round (see :class:`TitForTat`).

    Names:

    - Suspicious Tit For Tat: [Hilbe2013]_, [Beaufils1997]_ (``axelrod.SuspiciousTitForTat``)

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated import play
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # prisoner's dilemma, 0 Spend, 1 Cut
    >>> play(pd, [SuspiciousTitForTat(), "always-cut"], rounds=4).actions[0, :, 0].tolist()
    [0, 1, 1, 1]
    """

    name = "suspicious-tit-for-tat"
    label = "Suspicious Tit For Tat"
    description = "Spends first, then copies the others' last move."
    axelrod = "SuspiciousTitForTat"
    first_cut = False


class TitForTwoTats(ThresholdStrategy):
    """Spend only after the others "spent" in each of the last two rounds.

    "The others spent" in a round means fewer than a share ``threshold`` of
    them cut. Cuts in the first two rounds. As in Axelrod's library, a
    player alternating Spend and Cut is never punished.

    Names:

    - Tit For Two Tats: [Axelrod1984]_ (``axelrod.TitFor2Tats``)

    Takes ``threshold`` as :class:`TitForTat` does.

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated import play
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # prisoner's dilemma, 0 Spend, 1 Cut
    >>> play(pd, [TitForTwoTats(), "always-spend"], rounds=5).actions[0, :, 0].tolist()
    [1, 1, 0, 0, 0]
    >>> play(pd, [TitForTwoTats(), "alternator"], rounds=5).actions[0, :, 0].tolist()   # never punished
    [1, 1, 1, 1, 1]
    """

    name = "tit-for-two-tats"
    label = "Tit For Two Tats"
    description = "Spends only if the others spent in both of the last two rounds."
    axelrod = "TitFor2Tats"

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        if t < 2:
            return self._const(True)
        return self._others_cut(others_hist[t - 1]) | self._others_cut(others_hist[t - 2])


class GenerousTitForTat(ThresholdStrategy):
    """Tit For Tat that forgives: after the others spent, still cut with probability q.

    Cuts first. With ``generosity=None`` (default) ``q`` comes from the
    stage game as in Axelrod's library and Nowak and Sigmund:
    ``q = min(1 - (T - R)/(R - S), (R - P)/(T - P))``, clipped to [0, 1]
    (outside a prisoner's dilemma the formula can leave [0, 1]); ``R, S, T, P``
    are read per player as in :meth:`StageTable.rstp`. Without a stage game
    ``q = 1/3`` (the value for Axelrod's default payoffs 3, 0, 5, 1).

    Names:

    - Generous Tit For Tat: [Nowak1993]_ (``axelrod.GTFT``)

    Parameters
    ----------
    threshold : float, optional
        As in :class:`TitForTat`.
    generosity : float, optional
        ``q`` in [0, 1]; by default from the stage game (see above).

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated import play
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # prisoner's dilemma, 0 Spend, 1 Cut
    >>> GenerousTitForTat.generosity_of(3, 0, 5, 1)   # R, S, T, P of this game  # doctest: +ELLIPSIS
    0.333...
    >>> play(pd, [GenerousTitForTat(generosity=1.0), "always-spend"], rounds=4).actions[0, :, 0].tolist()
    [1, 1, 1, 1]
    >>> play(pd, [GenerousTitForTat(generosity=0.0), "always-spend"], rounds=4).actions[0, :, 0].tolist()
    [1, 0, 0, 0]
    """

    name = "generous-tit-for-tat"
    label = "Generous Tit For Tat"
    description = "Like tit-for-tat, but after the others spend still cuts with probability q."
    axelrod = "GTFT"
    stochastic = True

    def __init__(self, threshold: float | None = None, generosity: float | None = None):
        super().__init__(threshold)
        if generosity is not None:
            generosity = check_share("generosity", generosity, low_open=False)
        self.generosity = generosity
        self.params["generosity"] = generosity

    @staticmethod
    def generosity_of(R: float, S: float, T: float, P: float) -> float:
        """Axelrod's / Nowak and Sigmund's generosity for payoffs ``R, S, T, P``.

        Parameters
        ----------
        R, S, T, P : float
            Reward (all cut), sucker (cut alone), temptation (spend alone), punishment (all spend).

        Returns
        -------
        float
            ``min(1 - (T - R)/(R - S), (R - P)/(T - P))`` clipped to [0, 1].

        Examples
        --------
        >>> GenerousTitForTat.generosity_of(3, 0, 5, 1)   # doctest: +ELLIPSIS
        0.333...
        >>> GenerousTitForTat.generosity_of(3, 0, 4, 1)   # min(2/3, 2/3)  # doctest: +ELLIPSIS
        0.666...
        """
        with np.errstate(divide="ignore", invalid="ignore"):
            a = 1 - (T - R) / (R - S) if R != S else 1.0
            b = (R - P) / (T - P) if T != P else 1.0
        q = min(a, b)
        return float(min(1.0, max(0.0, q)))

    def _start(self):
        if self.generosity is not None:
            q = self.generosity
        elif self.stage is not None:
            players = np.atleast_1d(self.player)
            qs = {int(p): self.generosity_of(*self.stage.rstp(int(p))) for p in np.unique(players)}
            q = qs[int(players[0])] if len(qs) == 1 else np.array([qs[int(p)] for p in players])
        else:
            q = 1.0 / 3.0
        self.q = q

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        if t == 0:
            return self._const(True)
        cut = self._others_cut(others_hist[t - 1])
        return cut | (rng.random(self.seats) < self.q)


class GrimTrigger(ThresholdStrategy):
    """Cut until the others once "spend", then Spend forever.

    With N players the trigger is a round in which fewer than a share
    ``threshold`` of the others cut (default 1: any other firm spending).

    Names:

    - Grudger / Grim Trigger: [Friedman1971]_, [Axelrod1980]_ (``axelrod.Grudger``)

    Takes ``threshold`` as :class:`TitForTat` does.

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated import play
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # prisoner's dilemma, 0 Spend, 1 Cut
    >>> play(pd, [GrimTrigger(), "alternator"], rounds=6).actions[0, :, 0].tolist()   # one Spend is enough
    [1, 1, 0, 0, 0, 0]
    """

    name = "grim-trigger"
    label = "Grim Trigger"
    description = "Cuts until any other firm spends (share cutting < threshold), then spends forever."
    axelrod = "Grudger"

    def _start(self):
        self.triggered = np.zeros(self.seats, dtype=bool)

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        if t > 0:
            self.triggered |= ~self._others_cut(others_hist[t - 1])
        return ~self.triggered


class WinStayLoseShift(ThresholdStrategy):
    """Win-Stay Lose-Shift (Pavlov): repeat the last move after a win, else switch.

    Cuts first. By default a round is a *win* when the others cut (share >=
    ``threshold``); for two players this is Axelrod's memory-one vector
    ``(1, 0, 0, 1)``: cut after CC and DD, spend after CD and DC. Given an
    ``aspiration`` ($B), a win is instead an own stage payoff >= aspiration
    (Kraines and Kraines' payoff reading), looked up in the stage game.

    Names:

    - Win-Stay Lose-Shift: [Nowak1993]_ (``axelrod.WinStayLoseShift``)
    - Pavlov: [Kraines1989]_

    Parameters
    ----------
    threshold : float, optional
        As in :class:`TitForTat`.
    aspiration : float, optional
        A win is an own stage payoff >= aspiration ($B); needs the stage game.

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated import play
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # prisoner's dilemma, 0 Spend, 1 Cut
    >>> play(pd, [WinStayLoseShift(), "always-spend"], rounds=6).actions[0, :, 0].tolist()
    [1, 0, 1, 0, 1, 0]
    >>> play(pd, [WinStayLoseShift(), "tit-for-tat"], rounds=4).actions[0, :, 0].tolist()
    [1, 1, 1, 1]
    """

    name = "win-stay-lose-shift"
    label = "Win-Stay Lose-Shift"
    description = "Repeats its last move if the others cut (a win), switches otherwise."
    axelrod = "WinStayLoseShift"

    def __init__(self, threshold: float | None = None, aspiration: float | None = None):
        super().__init__(threshold)
        if aspiration is not None:
            try:
                aspiration = float(aspiration)
            except (TypeError, ValueError):
                raise ParameterError("aspiration", "a finite number ($B) or None", aspiration) from None
            if not math.isfinite(aspiration):
                raise ParameterError("aspiration", "a finite number ($B) or None", aspiration)
        self.aspiration = aspiration
        self.params["aspiration"] = aspiration

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        if t == 0:
            return self._const(True)
        last = my_hist[t - 1]
        if self.aspiration is None:
            win = self._others_cut(others_hist[t - 1])
        else:
            if self.stage is None:
                raise ParameterError("win-stay-lose-shift", "given the stage game when aspiration is set")
            s, c = self.stage.own_payoffs(self.player, others_hist[t - 1])
            win = np.where(last, c, s) >= self.aspiration
        return np.where(win, last, ~last)


class FollowTheMajority(Strategy):
    """Cut if, over the remembered rounds, the others cut at least as often as they spent.

    Counts the others' actions over the last ``memory`` rounds (all rounds if
    ``None``) and cuts on a tie, so it cuts first ("soft" majority).

    Names:

    - Go By Majority (soft): [Mittal2009]_ (``axelrod.GoByMajority``)

    Parameters
    ----------
    memory : int, optional
        Number of past rounds counted (>= 1); all rounds if None.

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated import play
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # prisoner's dilemma, 0 Spend, 1 Cut
    >>> play(pd, [FollowTheMajority(), "alternator"], rounds=6).actions[0, :, 0].tolist()   # ties: cut
    [1, 1, 1, 1, 1, 1]
    >>> play(pd, [FollowTheMajority(memory=1), "always-spend"], rounds=4).actions[0, :, 0].tolist()
    [1, 0, 0, 0]
    """

    name = "follow-the-majority"
    label = "Follow the majority"
    description = "Cuts if the others cut at least as often as they spent (over `memory` rounds; all if None)."

    def __init__(self, memory: int | None = None):
        if memory is not None:
            if isinstance(memory, bool) or not isinstance(memory, (int, np.integer)) or memory < 1:
                raise ParameterError("memory", "a whole number of rounds >= 1, or None", memory)
            memory = int(memory)
        self.memory = memory
        self.params = {"memory": memory}

    def _start(self):
        self.balance = np.zeros(self.seats, dtype=np.int64)   # cuts minus spends of the others

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        if t > 0:
            row = others_hist[t - 1]
            self.balance += 2 * row.sum(axis=-1) - row.shape[-1]
            if self.memory is not None and t > self.memory:
                old = others_hist[t - 1 - self.memory]
                self.balance -= 2 * old.sum(axis=-1) - old.shape[-1]
        return self.balance >= 0
