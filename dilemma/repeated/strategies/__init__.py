"""Strategies for repeated Spend/Cut play, one small class each.

==========================  ===================================================
module                      contents
==========================  ===================================================
:mod:`.base`                :class:`Strategy` (the batch interface every
                            strategy implements), :class:`StageTable`,
                            :class:`FirmState`, ``SPEND``/``CUT``, ``RATINGS``
:mod:`.unconditional`       Always Spend, Always Cut, Alternator, Random
:mod:`.reciprocal`          Tit For Tat and its relatives, Grim Trigger,
                            Win-Stay Lose-Shift, Follow the Majority
:mod:`.responders`          myopic best response, logit response
:mod:`.finance`             leverage rule, spend until junk (state engine only)
:mod:`.registry`            :data:`STRATEGIES`, :data:`CLASSICS`,
                            :func:`get_strategy`, :func:`list_strategies`,
                            :func:`resolve_strategies` (``name:key=value``)
==========================  ===================================================

Each strategy's docstring says what it does and where it comes from
(``Names: - Tit For Tat: [Axelrod1980]``, keys in ``docs/bibliography.md``).
Two players: the ten classics play move for move as in the Axelrod library
(``tests/test_strategies.py`` checks every pair against :mod:`axelrod`).
A new strategy goes into the module of its family and into ``_CLASSES`` in
:mod:`.registry`.

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

from .base import CUT, RATINGS, SPEND, FirmState, StageTable, Strategy, ThresholdStrategy
from .finance import JunkForced, LeverageRule
from .reciprocal import (
    FollowTheMajority,
    GenerousTitForTat,
    GrimTrigger,
    SuspiciousTitForTat,
    TitForTat,
    TitForTwoTats,
    WinStayLoseShift,
)
from .registry import CLASSICS, STRATEGIES, get_strategy, list_strategies, resolve_strategies
from .responders import LogitResponder, MyopicBestResponse
from .unconditional import Alternator, AlwaysCut, AlwaysSpend, RandomStrategy

__all__ = [
    "SPEND",
    "CUT",
    "RATINGS",
    "Strategy",
    "ThresholdStrategy",
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
