"""Finance strategies: rules a CFO might follow, reading the firm's balance sheet.

They need the state-carrying engine (:mod:`dilemma.repeated.state`), which
hands them a :class:`~dilemma.repeated.strategies.base.FirmState` each year
(cash, debt, leases, EBITDA, net leverage, rating); stateless play refuses
them. Both come from this project's model (``docs/explanation/model.md``,
"The state-carrying version").

Examples
--------
>>> import numpy as np
>>> from dilemma.repeated.strategies.base import FirmState
>>> s = LeverageRule(threshold=3.0)
>>> s.reset(2)
>>> state = FirmState(net_leverage=np.array([2.5, 3.5]))
>>> s.decide(0, np.zeros((0, 2), bool), np.zeros((0, 2, 1), bool), state).tolist()   # cut at 3x and above
[False, True]
"""

from __future__ import annotations

from dilemma.errors import ParameterError

from .base import RATINGS, Strategy

__all__ = ["LeverageRule", "JunkForced"]


class LeverageRule(Strategy):
    """Cut when net leverage reaches a ceiling, otherwise Spend.

    Net leverage is ``(debt + leases - cash) / EBITDA`` at the start of the
    year (turns of EBITDA). A CFO's rule of thumb: keep the rating, so stop
    building once leverage hits ``threshold`` (default 3x, within BBB).
    Needs the state-carrying engine.

    Names:

    - Leverage rule: this project (MODEL.md, "The state-carrying version")

    Parameters
    ----------
    threshold : float
        Net leverage (turns of EBITDA, -10 to 20) from which it cuts.

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated.strategies.base import FirmState
    >>> s = LeverageRule(threshold=3.0)
    >>> s.reset(3)
    >>> state = FirmState(net_leverage=np.array([2.0, 3.0, 4.5]))
    >>> s.decide(0, np.zeros((0, 3), bool), np.zeros((0, 3, 1), bool), state).tolist()
    [False, True, True]
    """

    name = "leverage-rule"
    label = "Leverage rule"
    description = "Spends until net leverage reaches a ceiling (default 3x EBITDA), then cuts. Needs state."
    needs_state = True

    def __init__(self, threshold: float = 3.0):
        try:
            threshold = float(threshold)
        except (TypeError, ValueError):
            raise ParameterError("threshold", "a number of turns of EBITDA between -10 and 20", threshold) from None
        if not -10.0 <= threshold <= 20.0:
            raise ParameterError("threshold", "a number of turns of EBITDA between -10 and 20", threshold)
        self.threshold = threshold
        self.params = {"threshold": threshold}

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        if state is None:
            raise ParameterError("leverage-rule", "played in the state-carrying engine (dilemma.repeated.state)")
        return state.net_leverage >= self.threshold


class JunkForced(Strategy):
    """Spend unless the rating has fallen to a given tier (default BB, junk).

    In the state engine every firm rated BB is forced to cut anyway; this is
    the strategy of a firm that keeps spending as long as lenders let it.
    With ``rating="BBB"`` it stops one notch earlier. Needs the state engine.

    Names:

    - Junk-forced: this project (MODEL.md, "a firm in BB is forced to cut")

    Parameters
    ----------
    rating : {"AA", "A", "BBB", "BB"}
        The tier at which it cuts.

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated.strategies.base import FirmState
    >>> s = JunkForced(rating="BBB")
    >>> s.reset(4)
    >>> state = FirmState(rating=np.array([0, 1, 2, 3]))         # AA, A, BBB, BB
    >>> s.decide(0, np.zeros((0, 4), bool), np.zeros((0, 4, 1), bool), state).tolist()
    [False, False, True, True]
    """

    name = "junk-forced"
    label = "Spend until junk"
    description = "Spends until its rating falls to a tier (default BB, junk), then is forced to cut. Needs state."
    needs_state = True

    def __init__(self, rating: str = "BB"):
        if rating not in RATINGS:
            raise ParameterError("rating", f"one of {', '.join(RATINGS)}", rating)
        self.rating = rating
        self.tier = RATINGS.index(rating)
        self.params = {"rating": rating}

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        if state is None:
            raise ParameterError("junk-forced", "played in the state-carrying engine (dilemma.repeated.state)")
        return state.rating >= self.tier
