r"""The strategy interface: :class:`Strategy`, the stage game as a look-up table, a firm's state.

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

N players: a reciprocal strategy reads "the others cut" through the share of
the *others* that cut in a round, compared with a ``threshold`` (default 1:
"everyone else cut"); :class:`ThresholdStrategy` holds that reading. With two
players any threshold in (0, 1] gives the classic.

Examples
--------
>>> import numpy as np
>>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)   # P, T / S, R
>>> StageTable(pd).own_payoffs(0, np.array([[False], [True]]))    # vs a spender, vs a cutter
(array([1., 5.]), array([0., 3.]))
"""

from __future__ import annotations

import math

import numpy as np

from dilemma.errors import ParameterError

__all__ = ["SPEND", "CUT", "RATINGS", "StageTable", "FirmState", "Strategy", "ThresholdStrategy"]

#: Action indices of every Spend/Cut game (``cut`` booleans equal the index).
SPEND, CUT = 0, 1

#: Rating tiers of the state-carrying engine, best first (index = tier code).
RATINGS = ("AA", "A", "BBB", "BB")


def share_cut(others_row: np.ndarray) -> np.ndarray:
    """Share of the others that cut, for one round: ``(seats, N-1) -> (seats,)``."""
    m = others_row.shape[-1]
    if m == 1:
        return others_row[:, 0].astype(float)
    return others_row.sum(axis=-1) / m


def check_share(name: str, value, *, low_open: bool = True) -> float:
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
        """Flat index of the others' profile: ``(seats, N-1) bool -> (seats,) int``.

        Examples
        --------
        >>> import numpy as np
        >>> st = StageTable(np.zeros((2, 2, 2, 3)))                     # three players
        >>> st.others_index(np.array([[False, False], [False, True], [True, True]])).tolist()
        [0, 1, 3]
        """
        if self.n == 2:
            return others_row[:, 0].astype(np.intp)
        return others_row.astype(np.intp) @ self.weights

    def own_payoffs(self, player, others_row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Payoffs of Spend and of Cut for each seat given the others' actions.

        Parameters
        ----------
        player : int or ndarray of int, shape ``(seats,)``
        others_row : ndarray of bool, shape ``(seats, N-1)``
            The others' actions in one round, ``True`` = Cut.

        Returns
        -------
        spend, cut : ndarray, shape ``(seats,)``

        Examples
        --------
        >>> import numpy as np
        >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)
        >>> StageTable(pd).own_payoffs(0, np.array([[False], [True]]))   # vs a spender, vs a cutter
        (array([1., 5.]), array([0., 3.]))
        """
        k = self.others_index(others_row)
        return self.table[player, SPEND, k], self.table[player, CUT, k]

    def rstp(self, player: int = 0) -> tuple[float, float, float, float]:
        """``(R, S, T, P)`` of a player, read as in ``MODEL.md``.

        R: all cut; S: the player cuts, all others spend; T: the player spends,
        all others cut; P: all spend. For two players this is Axelrod's
        ``Game(r, s, t, p)``.

        Examples
        --------
        >>> import numpy as np
        >>> StageTable(np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)).rstp(1)
        (3.0, 0.0, 5.0, 1.0)
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

    Examples
    --------
    >>> import numpy as np
    >>> st = FirmState(net_leverage=np.array([1.5, 3.2]), rating=np.array([1, 2]))
    >>> st.net_leverage.tolist(), st.cash is None                 # fields not given are None
    ([1.5, 3.2], True)
    """

    __slots__ = ("cash", "debt", "leases", "ebitda", "net_leverage", "rating", "burst", "spend_gain")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k))


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

    Examples
    --------
    A new strategy sets the attributes and decides for all seats at once:

    >>> import numpy as np
    >>> class SpendOnOddRounds(Strategy):
    ...     '''Spend in rounds 1, 3, 5, ..., cut otherwise.'''
    ...     name, label, description = "spend-on-odd-rounds", "Spend on odd rounds", "Spends every other year."
    ...     def decide(self, t, my_hist, others_hist, state=None, rng=None):
    ...         return self._const(t % 2 == 0)
    >>> from dilemma.repeated import play
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)
    >>> play(pd, [SpendOnOddRounds(), "always-cut"], rounds=4).actions[0, :, 0].tolist()
    [1, 0, 1, 0]
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

        Examples
        --------
        >>> from dilemma.repeated.strategies import GrimTrigger
        >>> s = GrimTrigger()
        >>> s.reset(3)
        >>> s.seats, s.triggered.tolist()                  # per-seat memory, allocated by _start
        (3, [False, False, False])
        """
        self.seats = int(seats)
        self.player = player
        self.stage = stage
        self._start()

    def _start(self) -> None:
        """Allocate per-seat memory (override)."""

    def decide(self, t: int, my_hist: np.ndarray, others_hist: np.ndarray,
               state: FirmState | None = None, rng: np.random.Generator | None = None) -> np.ndarray:
        """Decide for every seat: bool array ``(seats,)``, ``True`` = Cut.

        Parameters
        ----------
        t : int
            The round, 0 for the first.
        my_hist : ndarray of bool, shape ``(t, seats)``
            The seat's own played actions so far, ``True`` = Cut.
        others_hist : ndarray of bool, shape ``(t, seats, N-1)``
            The other players' played actions.
        state : FirmState, optional
            The firm's balance sheet (state-carrying engine only).
        rng : numpy.random.Generator, optional
            This instance's random numbers (stochastic strategies).

        Returns
        -------
        ndarray of bool, shape ``(seats,)``

        Examples
        --------
        >>> import numpy as np
        >>> from dilemma.repeated.strategies import GrimTrigger
        >>> s = GrimTrigger()
        >>> s.reset(2)
        >>> s.decide(0, np.zeros((0, 2), bool), np.zeros((0, 2, 1), bool)).tolist()
        [True, True]
        >>> s.decide(1, np.ones((1, 2), bool), np.array([[[True], [False]]])).tolist()   # seat 1's rival spent
        [True, False]
        """
        raise NotImplementedError

    # -- conveniences ---------------------------------------------------
    def _const(self, cut: bool) -> np.ndarray:
        return np.full(self.seats, cut, dtype=bool)

    def copy(self) -> "Strategy":
        """A fresh instance with the same parameters.

        Examples
        --------
        >>> from dilemma.repeated.strategies import RandomStrategy
        >>> s = RandomStrategy(p=0.2)
        >>> t = s.copy()
        >>> t, t is s
        (RandomStrategy(p=0.2), False)
        """
        return type(self)(**self.params)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"

    def __str__(self) -> str:
        return self.name


class ThresholdStrategy(Strategy):
    """A strategy reading "the others cut" as: share of others cutting >= threshold.

    The base of the reciprocal strategies (:mod:`.reciprocal`): with two
    players "the others cut" is the opponent's move; with N players it is a
    share ``threshold`` in (0, 1] of the others cutting in that round.

    Parameters
    ----------
    threshold : float, optional
        Default :attr:`default_threshold` (1: all the others).

    Examples
    --------
    >>> import numpy as np
    >>> from dilemma.repeated.strategies import TitForTat
    >>> s = TitForTat(threshold=0.5)
    >>> s.reset(2)
    >>> others = np.array([[[True, False, False], [True, True, False]]])   # 1/3 and 2/3 of the others cut
    >>> s.decide(1, np.ones((1, 2), bool), others).tolist()
    [False, True]
    """

    default_threshold = 1.0

    def __init__(self, threshold: float | None = None):
        threshold = self.default_threshold if threshold is None else threshold
        self.threshold = check_share("threshold", threshold)
        self.params = {"threshold": self.threshold}

    def _others_cut(self, others_row: np.ndarray) -> np.ndarray:
        if others_row.shape[-1] == 1:
            return others_row[:, 0].copy()
        return share_cut(others_row) >= self.threshold - 1e-12
