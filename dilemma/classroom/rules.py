"""The rules of a classroom session, as pure functions (no database).

A **room** plays one scenario (an N-player game with two actions per player)
for ``rounds`` rounds. Students are seated in **groups**; each group plays
the whole game, so a group has one firm per player of the game:

* ``group_size`` students per group (1 to N). The remaining firms of a group,
  and the empty places of the last, incomplete group, are played by **bots**
  running a strategy of :mod:`dilemma.repeated.strategies` (tit-for-tat by
  default).
* ``matching = "partners"``: the groups are formed in the order students sat
  down and stay the same every round (a latecomer takes a bot's place in the
  last group, or opens a new group). ``"strangers"``: the seated students are
  shuffled into new groups every round (seeded by the room's seed and the
  round number, so a restarted server forms the same groups).
* The ``k``-th group's students hold firms ``(k*g + j) mod N`` (``g`` the group
  size), so with fewer students than firms per group the firms rotate over
  the groups.
* A bot decides from what its group did in the earlier rounds, as in repeated
  play. With strangers a group meets only once, so a bot has no history and
  plays its first-round move (tit-for-tat cuts).
* A student who has not decided when the lecturer closes the round is played
  by the bot strategy for that round (recorded as ``decided_by = "timeout"``).

Examples
--------
>>> form_groups([11, 12, 13], n_players=2, group_size=2, matching="partners", seed=1, round_no=1)
[[11, 12], [13, None]]
>>> form_groups([11, 12, 13], n_players=5, group_size=1, matching="partners", seed=1, round_no=1)
[[11, None, None, None, None], [None, 12, None, None, None], [None, None, 13, None, None]]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from dilemma.classroom.errors import SettingError

__all__ = ["Settings", "MATCHINGS", "DEFAULT_BOTS", "MAX_ROUNDS", "MAX_CAPACITY", "MAX_LABEL",
           "check_settings", "check_label", "form_groups", "bot_cut", "spend_index", "bot_strategies"]

MATCHINGS = ("partners", "strangers")
DEFAULT_BOTS = "tit-for-tat"
MAX_ROUNDS = 50
MAX_CAPACITY = 1000
DEFAULT_CAPACITY = 300
#: Longest label a student may give (characters).
MAX_LABEL = 40


@dataclass(frozen=True)
class Settings:
    """What the lecturer chose for a room (validated by :func:`check_settings`).

    Attributes
    ----------
    rounds : int
        Rounds to play, 1 to :data:`MAX_ROUNDS`.
    group_size : int
        Students per group, 1 to the game's number of players.
    matching : str
        ``"partners"`` or ``"strangers"``.
    predict : bool
        Whether students predict how many rivals spend before they choose.
    bots : str
        Strategy of the bots (a name of :data:`dilemma.repeated.strategies.STRATEGIES`,
        optionally with parameters: ``"random:p=0.3"``).
    capacity : int
        Most students the room seats.
    seed : int
        Seed of the strangers' matching and of random bots.
    """

    rounds: int
    group_size: int
    matching: str
    predict: bool
    bots: str
    capacity: int
    seed: int


def bot_strategies() -> list[str]:
    """Strategies a bot may play: every registered one that needs no balance-sheet state."""
    from dilemma.repeated.strategies import STRATEGIES

    return [name for name, cls in STRATEGIES.items() if not cls.needs_state]


def _int(field: str, value, low: int, high: int) -> int:
    try:
        ok = float(value) == int(value)
        value = int(value)
    except (TypeError, ValueError, OverflowError):
        ok = False
    if not ok or not low <= value <= high:
        raise SettingError(field, f"must be a whole number from {low} to {high}, got {value!r}")
    return value


def check_settings(n_players: int, *, rounds=3, group_size=None, matching="partners", predict=True,
                   bots=DEFAULT_BOTS, capacity=DEFAULT_CAPACITY, seed=0) -> Settings:
    """Validate a room's settings for a game of ``n_players`` players.

    Raises
    ------
    SettingError
        Naming the field and its allowed range.

    Examples
    --------
    >>> check_settings(2).group_size
    2
    >>> check_settings(2, matching="random")
    Traceback (most recent call last):
    ...
    dilemma.classroom.errors.SettingError: matching: must be one of partners, strangers, got 'random'
    """
    from dilemma.errors import ParameterError
    from dilemma.repeated.strategies import resolve_strategies

    rounds = _int("rounds", rounds, 1, MAX_ROUNDS)
    group_size = _int("group_size", n_players if group_size is None else group_size, 1, n_players)
    if matching not in MATCHINGS:
        raise SettingError("matching", f"must be one of {', '.join(MATCHINGS)}, got {matching!r}")
    capacity = _int("capacity", capacity, 1, MAX_CAPACITY)
    seed = _int("seed", seed, 0, 2**31 - 1)
    bots = str(bots).strip()
    try:
        (strategy,) = resolve_strategies([bots])
    except ParameterError as exc:
        raise SettingError("bots", f"not a strategy of the library ({exc})") from None
    if strategy.needs_state:
        raise SettingError("bots", f"{strategy.name} needs a firm's balance sheet (repeated play with state); "
                                   f"choose one of {', '.join(bot_strategies())}")
    return Settings(rounds, group_size, matching, bool(predict), bots, capacity, seed)


def check_label(label) -> str:
    """A student's optional label: stripped, at most :data:`MAX_LABEL` characters, no markup.

    The label is shown escaped anyway; refusing ``<`` and ``>`` tells the
    student at once that it will not be rendered as HTML.

    >>> check_label("  Ada ")
    'Ada'
    >>> check_label("<b>x</b>")
    Traceback (most recent call last):
    ...
    dilemma.classroom.errors.SettingError: label: plain text only (no < or >), got '<b>x</b>'
    """
    if label is None:
        return ""
    label = " ".join(str(label).split())
    if len(label) > MAX_LABEL:
        raise SettingError("label", f"at most {MAX_LABEL} characters, got {len(label)}")
    if "<" in label or ">" in label:
        raise SettingError("label", f"plain text only (no < or >), got {label!r}")
    if any(not ch.isprintable() for ch in label):
        raise SettingError("label", "plain text only (no control characters)")
    return label


def form_groups(participants: Sequence[int], n_players: int, group_size: int, matching: str,
                seed: int, round_no: int) -> list[list[int | None]]:
    """Groups for one round: each a list of N places (firm order), a participant id or ``None`` (a bot).

    Parameters
    ----------
    participants : sequence of int
        The seated participants, in the order they sat down.
    n_players, group_size : int
        Firms per group (the game's players) and students per group.
    matching : {"partners", "strangers"}
    seed, round_no : int
        The strangers' shuffle is ``numpy.random.default_rng([seed, round_no])``.
    """
    order = list(participants)
    if matching == "strangers" and len(order) > 1:
        rng = np.random.default_rng([seed, round_no])
        order = [order[i] for i in rng.permutation(len(order))]
    groups = []
    for k in range(math.ceil(len(order) / group_size)):
        chunk = order[k * group_size:(k + 1) * group_size]
        places: list[int | None] = [None] * n_players
        for j, pid in enumerate(chunk):
            places[(k * group_size + j) % n_players] = pid
        groups.append(places)
    return groups


def spend_index(game) -> np.ndarray:
    """Index of each player's Spend action (``dilemma.equilibria.roles``): 0 in every model game."""
    from dilemma.equilibria.roles import resolve_roles

    return np.asarray(resolve_roles(game).spend, dtype=int).reshape(-1)


def bot_cut(strategy_spec: str, game_payoffs: np.ndarray, player: int, own: Sequence[bool],
            others: Sequence[Sequence[bool]], seed: int, key: Sequence[int]) -> bool:
    """Whether a bot in place ``player`` cuts this round, given its group's history.

    The strategy is replayed from the first round over ``own`` (the place's
    earlier moves, True = Cut) and ``others`` (each earlier round: the other
    places' moves in player order), so strategies with memory (grim trigger)
    and random ones (seeded by ``[seed, *key]``) decide the same way after a
    restart.

    >>> import numpy as np
    >>> pd = np.array([[[1, 1], [5, 0]], [[0, 5], [3, 3]]], float)
    >>> bot_cut("tit-for-tat", pd, 0, [True], [[False]], seed=0, key=(1,))
    False
    """
    from dilemma.repeated.strategies import StageTable, resolve_strategies

    (strategy,) = resolve_strategies([strategy_spec])
    strategy.reset(1, player=player, stage=StageTable(game_payoffs))
    rng = np.random.default_rng([seed, *key])
    t_now = len(own)
    n_others = game_payoffs.shape[-1] - 1
    my_hist = np.asarray(own, dtype=bool).reshape(t_now, 1)
    others_hist = np.asarray(others, dtype=bool).reshape(t_now, 1, n_others)
    cut = False
    for t in range(t_now + 1):
        cut = bool(strategy.decide(t, my_hist[:t], others_hist[:t], None, rng)[0])
    return cut
