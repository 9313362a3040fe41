r"""Strategies for repeated Spend/Cut play, one small class each.

Every strategy decides for a *batch* of independent seats at once: seat ``k``
is one firm in one match (or one Monte Carlo run). A strategy instance is
:meth:`~Strategy.reset` with the number of seats it occupies and then asked,
round after round, to :meth:`~Strategy.decide` for all of them::

    cut = strategy.decide(t, my_hist, others_hist, state, rng)

* ``t`` -- the round (0 for the first);
* ``my_hist`` -- bool array of shape ``(t, seats)``: the seat's own *played*
  actions so far (after noise), ``True`` where it cut;
* ``others_hist`` -- bool array of shape ``(t, seats, N - 1)``: the other
  players' played actions, in player order;
* ``state`` -- ``None`` in stateless play, else a :class:`FirmState` view of
  the state-carrying engine (:mod:`dilemma.repeated.state`);
* ``rng`` -- a :class:`numpy.random.Generator` owned by this instance.

The return value is a bool array of shape ``(seats,)``, ``True`` = **Cut**.
Booleans line up with the action indices of every Spend/Cut game: index 0 is
Spend (Axelrod's D, defect), index 1 is Cut (Axelrod's C, cooperate), so
``cut.astype(int)`` *is* the action index. Strategies keep any memory they
need in small per-seat arrays, never in Python loops over seats.

Two players: the ten classics play move for move as in the Axelrod library
(``tests/test_strategies.py`` checks every pair against :mod:`axelrod`).
N players: each classic generalises through the share of the *others* that
cut in a round, compared with a ``threshold`` (default 1: "everyone else
cut"); with two players any threshold in (0, 1] gives the classic.

Examples
--------
>>> import numpy as np
>>> s = get_strategy("tit-for-tat")
>>> s.reset(3)
>>> s.decide(0, np.zeros((0, 3), bool), np.zeros((0, 3, 1), bool)).tolist()
[True, True, True]
>>> others = np.array([[[True], [False], [True]]])      # round 0: opponents' moves
>>> s.decide(1, np.ones((1, 3), bool), others).tolist()
[True, False, True]
>>> sorted(STRATEGIES)[:3]
['alternator', 'always-cut', 'always-spend']
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import ParameterError

__all__ = [
    "SPEND",
    "CUT",
    "Strategy",
    "StageTable",
    "FirmState",
    "STRATEGIES",
    "CLASSICS",
    "get_strategy",
    "list_strategies",
    "resolve_strategies",
    "AlwaysSpend",
    "AlwaysCut",
    "TitForTat",
    "SuspiciousTitForTat",
    "TitForTwoTats",
    "GrimTrigger",
    "WinStayLoseShift",
    "Alternator",
    "GenerousTitForTat",
    "RandomStrategy",
    "LeverageRule",
    "JunkForced",
    "MyopicBestResponse",
    "LogitResponder",
    "FollowTheMajority",
]

#: Action indices of every Spend/Cut game (``cut`` booleans equal the index).
SPEND, CUT = 0, 1

#: Rating tiers of the state-carrying engine, best first (index = tier code).
RATINGS = ("AA", "A", "BBB", "BB")


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def _share_cut(others_row: np.ndarray) -> np.ndarray:
    """Share of the others that cut, for one round: ``(seats, N-1) -> (seats,)``."""
    m = others_row.shape[-1]
    if m == 1:
        return others_row[:, 0].astype(float)
    return others_row.sum(axis=-1) / m


def _check_share(name: str, value, *, low_open: bool = True) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(name, "a number in (0, 1]", value) from None
    ok = (0.0 < v <= 1.0) if low_open else (0.0 <= v <= 1.0)
    if not ok or math.isnan(v):
        raise ParameterError(name, "a number in (0, 1]" if low_open else "a number in [0, 1]", value)
    return v


class StageTable:
    """The stage game arranged for quick "what would I get" look-ups.

    ``table[p, a, k]`` is player ``p``'s payoff when it plays ``a`` (0 Spend,
    1 Cut) and the others play the profile with flat index ``k`` (others in
    player order, C order, Cut = 1, so ``k = 0`` is "all others spend" and
    ``k = 2**(N-1) - 1`` is "all others cut").

    Parameters
    ----------
    payoffs : ndarray, shape ``(2,) * N + (N,)``
        A Spend/Cut game's payoff array.

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # P, T / S, R
    >>> st = StageTable(pd)
    >>> st.rstp(0)
    (3.0, 0.0, 5.0, 1.0)
    """

    def __init__(self, payoffs: np.ndarray):
        payoffs = np.asarray(payoffs, dtype=float)
        n = payoffs.shape[-1]
        if payoffs.ndim != n + 1 or any(s != 2 for s in payoffs.shape[:-1]):
            raise ParameterError("game", "a Spend/Cut game with two actions per player", payoffs.shape)
        self.n = n
        self.payoffs = payoffs
        self.table = np.stack([np.moveaxis(payoffs[..., p], p, 0).reshape(2, -1) for p in range(n)])
        self.weights = (1 << np.arange(n - 2, -1, -1)) if n > 1 else np.zeros(0, int)

    def others_index(self, others_row: np.ndarray) -> np.ndarray:
        """Flat index of the others' profile: ``(seats, N-1) bool -> (seats,) int``."""
        if self.n == 2:
            return others_row[:, 0].astype(np.intp)
        return others_row.astype(np.intp) @ self.weights

    def own_payoffs(self, player, others_row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Payoffs of Spend and of Cut for each seat given the others' actions."""
        k = self.others_index(others_row)
        return self.table[player, SPEND, k], self.table[player, CUT, k]

    def rstp(self, player: int = 0) -> tuple[float, float, float, float]:
        """``(R, S, T, P)`` of a player, read as in ``MODEL.md``.

        R: all cut; S: the player cuts, all others spend; T: the player spends,
        all others cut; P: all spend. For two players this is Axelrod's
        ``Game(r, s, t, p)``.
        """
        t = self.table[player]
        last = t.shape[1] - 1
        return float(t[CUT, last]), float(t[CUT, 0]), float(t[SPEND, last]), float(t[SPEND, 0])


class FirmState:
    """What a firm knows about itself in the state-carrying engine.

    A light view with one entry per seat (run); strategies read it, never
    write it. The engine (:mod:`dilemma.repeated.state`) fills it each year.

    Attributes
    ----------
    cash, debt, leases, ebitda : ndarray, shape ``(seats,)``
        $B at the start of the year.
    net_leverage : ndarray
        ``(debt + leases - cash) / EBITDA``, in turns of EBITDA.
    rating : ndarray of int
        Tier index into ``("AA", "A", "BBB", "BB")``.
    burst : ndarray of bool
        Whether the bubble has burst in this run.
    spend_gain : callable or None
        ``spend_gain(others_cut)`` -> this year's payoff of Spend minus Cut for
        the firm, given the others' actions ``(seats, N-1)`` bool.
    """

    __slots__ = ("cash", "debt", "leases", "ebitda", "net_leverage", "rating", "burst", "spend_gain")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k))


# --------------------------------------------------------------------------
# base class
# --------------------------------------------------------------------------
class Strategy:
    """Base class: a strategy deciding for a batch of seats at once.

    Subclasses set the class attributes and override :meth:`decide` (and
    :meth:`_start` when they keep per-seat memory).

    Attributes
    ----------
    name : str
        Registry key, kebab-case.
    label : str
        Human-readable name.
    description : str
        One line: what it does.
    stochastic : bool
        Whether it draws from ``rng``.
    needs_state : bool
        Only usable in the state-carrying engine.
    axelrod : str or None
        Name of the equivalent :mod:`axelrod` class for two players.
    """

    name = "strategy"
    label = "Strategy"
    description = ""
    stochastic = False
    needs_state = False
    axelrod: str | None = None

    def __init__(self, **params):
        if params:
            raise ParameterError(f"{self.name} parameters", "none (this strategy takes no parameters)",
                                 sorted(params))
        self.params: dict = {}

    # -- lifecycle ------------------------------------------------------
    def reset(self, seats: int, *, player=0, stage: StageTable | None = None) -> None:
        """Prepare for a new batch of ``seats`` independent matches.

        Parameters
        ----------
        seats : int
            Number of seats this instance decides for.
        player : int or ndarray of int, shape ``(seats,)``
            Which player of the stage game each seat is (for payoff look-ups).
        stage : StageTable, optional
            The stage game (needed by game-aware strategies).
        """
        self.seats = int(seats)
        self.player = player
        self.stage = stage
        self._start()

    def _start(self) -> None:
        """Allocate per-seat memory (override)."""

    def decide(self, t: int, my_hist: np.ndarray, others_hist: np.ndarray,
               state: FirmState | None = None, rng: np.random.Generator | None = None) -> np.ndarray:
        """Decide for every seat: bool array ``(seats,)``, ``True`` = Cut."""
        raise NotImplementedError

    # -- conveniences ---------------------------------------------------
    def _const(self, cut: bool) -> np.ndarray:
        return np.full(self.seats, cut, dtype=bool)

    def copy(self) -> "Strategy":
        """A fresh instance with the same parameters."""
        return type(self)(**self.params)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"

    def __str__(self) -> str:
        return self.name


class _ThresholdStrategy(Strategy):
    """A strategy reading "the others cut" as: share of others cutting >= threshold."""

    default_threshold = 1.0

    def __init__(self, threshold: float | None = None):
        threshold = self.default_threshold if threshold is None else threshold
        self.threshold = _check_share("threshold", threshold)
        self.params = {"threshold": self.threshold}

    def _others_cut(self, others_row: np.ndarray) -> np.ndarray:
        if others_row.shape[-1] == 1:
            return others_row[:, 0].copy()
        return _share_cut(others_row) >= self.threshold - 1e-12


# --------------------------------------------------------------------------
# the classics
# --------------------------------------------------------------------------
class AlwaysSpend(Strategy):
    """Always Spend (defect).

    Names:

    - Defector: [Axelrod1984]_ (``axelrod.Defector``)
    - Always defect (ALLD): [Nowak2006]_
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
    """

    name = "always-cut"
    label = "Always Cut"
    description = "Cuts every year, whatever the others do."
    axelrod = "Cooperator"

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        return self._const(True)


class TitForTat(_ThresholdStrategy):
    """Cut first, then Cut if the others cut last round.

    With N players it cuts when at least a share ``threshold`` of the others
    cut in the previous round (threshold 1, the default: all of them); this is
    the "TFT-k" reciprocity of N-person prisoner's dilemmas.

    Names:

    - Tit For Tat: [Axelrod1980]_ (``axelrod.TitForTat``), submitted by Anatol Rapoport
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
    """

    name = "suspicious-tit-for-tat"
    label = "Suspicious Tit For Tat"
    description = "Spends first, then copies the others' last move."
    axelrod = "SuspiciousTitForTat"
    first_cut = False


class TitForTwoTats(_ThresholdStrategy):
    """Spend only after the others "spent" in each of the last two rounds.

    "The others spent" in a round means fewer than a share ``threshold`` of
    them cut. Cuts in the first two rounds. As in Axelrod's library, a
    player alternating Spend and Cut is never punished.

    Names:

    - Tit For Two Tats: [Axelrod1984]_ (``axelrod.TitFor2Tats``)
    """

    name = "tit-for-two-tats"
    label = "Tit For Two Tats"
    description = "Spends only if the others spent in both of the last two rounds."
    axelrod = "TitFor2Tats"

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        if t < 2:
            return self._const(True)
        return self._others_cut(others_hist[t - 1]) | self._others_cut(others_hist[t - 2])


class GrimTrigger(_ThresholdStrategy):
    """Cut until the others once "spend", then Spend forever.

    With N players the trigger is a round in which fewer than a share
    ``threshold`` of the others cut (default 1: any other firm spending).

    Names:

    - Grudger / Grim Trigger: [Friedman1971]_, [Axelrod1980]_ (``axelrod.Grudger``)
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


class WinStayLoseShift(_ThresholdStrategy):
    """Win-Stay Lose-Shift (Pavlov): repeat the last move after a win, else switch.

    Cuts first. By default a round is a *win* when the others cut (share >=
    ``threshold``); for two players this is Axelrod's memory-one vector
    ``(1, 0, 0, 1)``: cut after CC and DD, spend after CD and DC. Given an
    ``aspiration`` ($B), a win is instead an own stage payoff >= aspiration
    (Kraines and Kraines' payoff reading), looked up in the stage game.

    Names:

    - Win-Stay Lose-Shift: [Nowak1993]_ (``axelrod.WinStayLoseShift``)
    - Pavlov: [Kraines1989]_
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


class Alternator(Strategy):
    """Cut first, then do the opposite of its own last (played) move.

    Names:

    - Alternator: [Axelrod1984]_ (``axelrod.Alternator``)
    """

    name = "alternator"
    label = "Alternator"
    description = "Cuts first, then alternates Spend and Cut."
    axelrod = "Alternator"

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        if t == 0:
            return self._const(True)
        return ~my_hist[t - 1]


class GenerousTitForTat(_ThresholdStrategy):
    """Tit For Tat that forgives: after the others spent, still cut with probability q.

    Cuts first. With ``generosity=None`` (default) ``q`` comes from the
    stage game as in Axelrod's library and Nowak and Sigmund:
    ``q = min(1 - (T - R)/(R - S), (R - P)/(T - P))``, clipped to [0, 1]
    (outside a prisoner's dilemma the formula can leave [0, 1]); ``R, S, T, P``
    are read per player as in :meth:`StageTable.rstp`. Without a stage game
    ``q = 1/3`` (the value for Axelrod's default payoffs 3, 0, 5, 1).

    Names:

    - Generous Tit For Tat: [Nowak1993]_ (``axelrod.GTFT``)
    """

    name = "generous-tit-for-tat"
    label = "Generous Tit For Tat"
    description = "Like tit-for-tat, but after the others spend still cuts with probability q."
    axelrod = "GTFT"
    stochastic = True

    def __init__(self, threshold: float | None = None, generosity: float | None = None):
        super().__init__(threshold)
        if generosity is not None:
            generosity = _check_share("generosity", generosity, low_open=False)
        self.generosity = generosity
        self.params["generosity"] = generosity

    @staticmethod
    def generosity_of(R: float, S: float, T: float, P: float) -> float:
        """Axelrod's / Nowak and Sigmund's generosity for payoffs ``R, S, T, P``.

        >>> GenerousTitForTat.generosity_of(3, 0, 5, 1)   # doctest: +ELLIPSIS
        0.333...
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


class RandomStrategy(Strategy):
    """Cut with probability ``p`` each round, independently.

    Names:

    - Random: [Axelrod1980]_ (``axelrod.Random``), submitted as the baseline "RANDOM"
    """

    name = "random"
    label = "Random"
    description = "Cuts with probability p (default 0.5) each year, independently."
    axelrod = "Random"
    stochastic = True

    def __init__(self, p: float = 0.5):
        self.p = _check_share("p", p, low_open=False)
        self.params = {"p": self.p}

    def decide(self, t, my_hist, others_hist, state=None, rng=None):
        if self.p in (0.0, 1.0):            # as axelrod: no draw at p = 0 or 1
            return self._const(self.p == 1.0)
        return rng.random(self.seats) < self.p


# --------------------------------------------------------------------------
# story strategies
# --------------------------------------------------------------------------
class LeverageRule(Strategy):
    """Cut when net leverage reaches a ceiling, otherwise Spend.

    Net leverage is ``(debt + leases - cash) / EBITDA`` at the start of the
    year (turns of EBITDA). A CFO's rule of thumb: keep the rating, so stop
    building once leverage hits ``threshold`` (default 3x, within BBB).
    Needs the state-carrying engine.

    Names:

    - Leverage rule: this project (MODEL.md, "The state-carrying version")
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


class FollowTheMajority(Strategy):
    """Cut if, over the remembered rounds, the others cut at least as often as they spent.

    Counts the others' actions over the last ``memory`` rounds (all rounds if
    ``None``) and cuts on a tie, so it cuts first ("soft" majority).

    Names:

    - Go By Majority (soft): [Mittal2009]_ (``axelrod.GoByMajority``)
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


# --------------------------------------------------------------------------
# registry
# --------------------------------------------------------------------------
_CLASSES = (AlwaysSpend, AlwaysCut, TitForTat, SuspiciousTitForTat, TitForTwoTats, GrimTrigger,
            WinStayLoseShift, Alternator, GenerousTitForTat, RandomStrategy,
            LeverageRule, JunkForced, MyopicBestResponse, LogitResponder, FollowTheMajority)

#: Every strategy class by registry name.
STRATEGIES: dict[str, type[Strategy]] = {c.name: c for c in _CLASSES}

#: The ten two-player classics, in the order of the literature tables.
CLASSICS: tuple[str, ...] = ("always-spend", "always-cut", "tit-for-tat", "suspicious-tit-for-tat",
                             "tit-for-two-tats", "grim-trigger", "win-stay-lose-shift", "alternator",
                             "generous-tit-for-tat", "random")


def list_strategies() -> list[tuple[str, str]]:
    """``(name, description)`` of every registered strategy, in registry order.

    >>> dict(list_strategies())["grim-trigger"][:5]
    'Cuts '
    """
    return [(name, cls.description) for name, cls in STRATEGIES.items()]


def get_strategy(name: str, **params) -> Strategy:
    """A new strategy instance by registry name.

    Parameters
    ----------
    name : str
        A key of :data:`STRATEGIES` (kebab-case; ``_`` is accepted for ``-``).
    **params
        The strategy's parameters (e.g. ``threshold=0.5``, ``lam=2``).

    Raises
    ------
    ParameterError
        If the name is unknown (the message lists the valid names) or a
        parameter is out of range.

    Examples
    --------
    >>> get_strategy("random", p=0.2)
    RandomStrategy(p=0.2)
    >>> get_strategy("nice")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dilemma.errors.ParameterError: strategy: must be one of always-spend, ..., got 'nice'
    """
    key = str(name).strip().lower().replace("_", "-")
    try:
        cls = STRATEGIES[key]
    except KeyError:
        raise ParameterError("strategy", "one of " + ", ".join(STRATEGIES), name) from None
    return cls(**params)


def resolve_strategies(specs) -> list[Strategy]:
    """Strategy instances from names, classes or instances (fresh copies).

    A name may carry parameters after a colon, separated by semicolons:
    ``"generous-tit-for-tat:generosity=0.2"``, ``"win-stay-lose-shift:threshold=0.5;aspiration=1"``.

    >>> [s.name for s in resolve_strategies(["tit-for-tat", "random:p=0.9"])]
    ['tit-for-tat', 'random']
    """
    if isinstance(specs, (str, Strategy)):
        specs = [specs]
    out = []
    for spec in specs:
        if isinstance(spec, Strategy):
            out.append(spec.copy())
        elif isinstance(spec, type) and issubclass(spec, Strategy):
            out.append(spec())
        elif isinstance(spec, str):
            name, _, rest = spec.partition(":")
            params = {}
            for item in filter(None, (x.strip() for x in rest.split(";"))):
                k, eq, v = item.partition("=")
                if not eq:
                    raise ParameterError("strategy parameters", "written as name:key=value", spec)
                params[k.strip()] = _parse_value(v.strip())
            try:
                out.append(get_strategy(name, **params))
            except TypeError as exc:
                raise ParameterError(f"{name} parameters", "parameters the strategy accepts", sorted(params)) from exc
        else:
            raise ParameterError("strategy", "a strategy name, class or instance", spec)
    return out


def _parse_value(text: str):
    if text.lower() in ("none", "null"):
        return None
    for conv in (int, float):
        try:
            return conv(text)
        except ValueError:
            pass
    return text
