r"""Responders: strategies that read the stage game and answer the others' last moves.

A responder computes the gain of Spend over Cut,
:math:`U(\text{Spend}) - U(\text{Cut})`, against the others' actions of the
last round (in the first round it assumes they all spend, the boom's status
quo), from the stage game or, in the state-carrying engine, from this year's
payoffs given the firm's balance sheet. The myopic best response plays the
better action (Cournot adjustment [Fudenberg1998]_); the logit responder
cuts with probability :math:`1 / (1 + e^{\lambda \cdot \text{gain}})`
[Blume1993]_, [McKelvey1995]_.

References
----------
See ``docs/bibliography.md``: [Fudenberg1998]_, [Blume1993]_, [McKelvey1995]_.

Examples
--------
>>> import numpy as np
>>> from dilemma.repeated.strategies.base import StageTable
>>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # a prisoner's dilemma
>>> s = MyopicBestResponse()
>>> s.reset(1, stage=StageTable(pd))
>>> s.decide(1, np.ones((1, 1), bool), np.ones((1, 1, 1), bool)).tolist()   # Spend pays: 5 > 3
[False]
"""

from __future__ import annotations

import math

import numpy as np

from dilemma.errors import ParameterError

from .base import Strategy

__all__ = ["MyopicBestResponse", "LogitResponder"]


class _Responder(Strategy):
    """Shared part of the stage-game responders: the gain of Spend over Cut."""

    def _gain(self, t, others_hist, state):
        if t == 0:
            others = np.zeros((self.seats, others_hist.shape[-1]), dtype=bool)   # assume all spend
        else:
            others = others_hist[t - 1]
        if state is not None and state.spend_gain is not None:
            return state.spend_gain(others)
        if self.stage is None:
            raise ParameterError(self.name, "given the stage game (play it through dilemma.repeated)")
        s, c = self.stage.own_payoffs(self.player, others)
        return s - c


class MyopicBestResponse(_Responder):
    """Play the best response to the others' last actions in the stage game.

    In the first round it assumes the others spend (the boom's status quo).
    Ties go to Spend. In the state engine the stage payoffs of the current
    year (given the firm's balance sheet) are used.

    Names:

    - Myopic best response / Cournot adjustment: [Fudenberg1998]_

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated import play
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # prisoner's dilemma, 0 Spend, 1 Cut
    >>> play(pd, [MyopicBestResponse(), "always-cut"], rounds=4).actions[0, :, 0].tolist()   # Spend dominates
    [0, 0, 0, 0]
    """

    name = "myopic-best-response"
    label = "Myopic best response"
    description = "Best response to the others' last moves in this year's stage game (Cournot adjustment)."

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        return self._gain(t, others_hist, state) < 0


class LogitResponder(_Responder):
    """Logit (quantal) response to the others' last actions, rationality ``lam``.

    ``P(Cut) = 1 / (1 + exp(lam * (U(Spend) - U(Cut))))`` with payoffs in $B:
    ``lam = 0`` is a coin flip, large ``lam`` the myopic best response.

    Names:

    - Logit response / logit dynamics: [Blume1993]_, [McKelvey1995]_

    Parameters
    ----------
    lam : float
        Rationality per $B, >= 0.

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated import play
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # prisoner's dilemma, 0 Spend, 1 Cut
    >>> play(pd, [LogitResponder(lam=50.0), "always-cut"], rounds=4, seed=0).actions[0, :, 0].tolist()
    [0, 0, 0, 0]
    """

    name = "logit-responder"
    label = "Logit responder"
    description = "Cuts with logit probability 1/(1+exp(lam*(U(Spend)-U(Cut)))) against the others' last moves."
    stochastic = True

    def __init__(self, lam: float = 1.0):
        try:
            lam = float(lam)
        except (TypeError, ValueError):
            raise ParameterError("lam", "a finite number >= 0 (per $B)", lam) from None
        if not (math.isfinite(lam) and lam >= 0):
            raise ParameterError("lam", "a finite number >= 0 (per $B)", lam)
        self.lam = lam
        self.params = {"lam": lam}

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        z = np.clip(self.lam * self._gain(t, others_hist, state), -700.0, 700.0)
        p_cut = 1.0 / (1.0 + np.exp(z))
        return rng.random(self.seats) < p_cut
