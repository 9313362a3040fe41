r"""The :class:`Game` facade: payoff arrays with names, delegating to solvers.

A game with :math:`N` players, player :math:`i` having :math:`a_i` actions, is
stored as one float array ``payoffs`` of shape ``(a_1, ..., a_N, N)``:
``payoffs[s_1, ..., s_N, i]`` is player ``i``'s payoff at the pure profile
``(s_1, ..., s_N)``. (Gambit's ``Game.from_arrays`` takes the same numbers as
one array per player; :meth:`Game.from_arrays` accepts that form.) In the
capex games built by :mod:`dilemma.payoffs` the actions are ``("Spend",
"Cut")`` with Spend = index 0 and payoffs are in $B of shareholder value per
year.

Every analysis method is a one-line delegation to a plain function on arrays
in :mod:`dilemma.equilibria`; the class adds names, validation and caching of
nothing but the (immutable) arrays. Which action is Spend and which is Cut
(:meth:`Game.roles`) comes from the action names when they say it, else from
the payoffs; never from the order of the actions.

Examples
--------
>>> from dilemma.game import Game
>>> g = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                      players=["Alpha", "Beta"], actions=[["Cut", "Spend"]] * 2)
>>> g.pure_equilibria()
[(1, 1)]
>>> g.game_type()
'prisoners-dilemma'
>>> g.payoff(("Cut", "Spend")).tolist()
[0.0, 5.0]
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from dilemma.errors import ParameterError

__all__ = ["Game"]


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float, copy=True)
    a.setflags(write=False)
    return a


def _names(value, count: int, field: str, default) -> tuple[str, ...]:
    if value is None:
        return tuple(default(k) for k in range(count))
    if isinstance(value, str):
        raise ParameterError(field, f"a sequence of {count} names", value)
    names = tuple(str(v) for v in value)
    if len(names) != count:
        raise ParameterError(field, f"a sequence of {count} names", f"{len(names)} names")
    if len(set(names)) != len(names):
        raise ParameterError(field, "distinct names", list(names))
    return names


class Game:
    """An N-player normal-form game with named players and actions.

    Parameters
    ----------
    payoffs : array_like, shape (a_1, ..., a_N, N)
        ``payoffs[s_1, ..., s_N, i]`` = payoff of player ``i``.
    players : sequence of str, optional
        Player names; default ``"Player 1"``, ``"Player 2"``, ...
    actions : sequence of sequence of str, optional
        Action names per player; default ``"1"``, ``"2"``, ... The capex
        engine passes ``("Spend", "Cut")``.
    title : str, default ""
    breakdown : dict of str to array_like, optional
        Per-term payoff contributions, each of the same shape as ``payoffs``
        (set by the payoff engine; stored read-only and exposed as is).
    notes : sequence of str, optional
        Free-text notes carried along (e.g. calibration caveats).
    spend : int or sequence of int, optional
        Index of each player's Spend action (one for all, or one per player),
        for a two-action game whose action names do not say it: every
        diagnostic then reads the roles from here instead of inferring them
        from the payoffs (see :meth:`roles`). A two-firm slice of an N-firm
        game carries the N-firm game's roles this way.

    Raises
    ------
    ParameterError
        If shapes, numbers or name counts are inconsistent.
    """

    def __init__(self, payoffs, players=None, actions=None, title: str = "",
                 breakdown: dict | None = None, notes=None, spend=None):
        from dilemma.equilibria._arrays import as_payoffs

        p = as_payoffs(payoffs)
        shape = p.shape[:-1]
        n = len(shape)
        self._payoffs = _readonly(p)
        self._players = _names(players, n, "players", lambda k: f"Player {k + 1}")
        if actions is None:
            acts = tuple(tuple(str(k + 1) for k in range(a)) for a in shape)
        else:
            if isinstance(actions, str):
                raise ParameterError("actions", f"{n} sequences of action names", actions)
            actions = list(actions)
            if len(actions) != n:
                raise ParameterError("actions", f"one sequence of action names per player ({n})",
                                     f"{len(actions)} sequences")
            acts = tuple(_names(a, shape[i], f"actions[{i}]", lambda k: str(k + 1))
                         for i, a in enumerate(actions))
        self._actions = acts
        self._title = str(title)
        if breakdown is None:
            self._breakdown = None
        else:
            if not isinstance(breakdown, dict):
                raise ParameterError("breakdown", "a dict of term name -> array", type(breakdown))
            bd = {}
            for k, v in breakdown.items():
                arr = np.asarray(v, dtype=float)
                if arr.shape != p.shape:
                    raise ParameterError(f"breakdown[{k!r}]", f"an array of shape {p.shape}",
                                         arr.shape)
                if not np.all(np.isfinite(arr)):
                    raise ParameterError(f"breakdown[{k!r}]", "finite numbers",
                                         "non-finite entries")
                bd[str(k)] = _readonly(arr)
            self._breakdown = bd
        self._notes = tuple(str(x) for x in (notes or ()))
        self._spend = None
        if spend is not None:  # checked here: 0/1 per player of a two-action game
            from dilemma.equilibria.roles import resolve_roles

            self._spend = tuple(int(k) for k in resolve_roles(p, acts, spend).spend)
        self._cache: dict = {}

    # ------------------------------------------------------------------ builders
    @classmethod
    def from_arrays(cls, *arrays, players=None, actions=None, title: str = "",
                    breakdown: dict | None = None, notes=None) -> "Game":
        """Build a game from one payoff array per player (Gambit convention).

        Parameters
        ----------
        *arrays : array_like, each of shape (a_1, ..., a_N)
            ``arrays[i][s_1, ..., s_N]`` = payoff of player ``i``; there must be
            exactly ``N`` arrays for ``N``-dimensional arrays.

        Examples
        --------
        >>> Game.from_arrays([[1, 0], [0, 1]], [[0, 1], [1, 0]]).shape
        (2, 2)
        """
        if not arrays:
            raise ParameterError("arrays", "one payoff array per player (at least one)", 0)
        try:
            arrs = [np.asarray(a, dtype=float) for a in arrays]
        except (TypeError, ValueError):
            raise ParameterError("arrays", "arrays of numbers", "non-numeric input") from None
        shape = arrs[0].shape
        for k, a in enumerate(arrs):
            if a.shape != shape:
                raise ParameterError(f"arrays[{k}]", f"the same shape as arrays[0] {shape}",
                                     a.shape)
        if len(shape) != len(arrs):
            raise ParameterError("arrays", f"{len(shape)} arrays for {len(shape)}-dimensional "
                                 "payoff arrays (one per player)", len(arrs))
        return cls(np.stack(arrs, axis=-1), players=players, actions=actions, title=title,
                   breakdown=breakdown, notes=notes)

    @classmethod
    def from_payoff_array(cls, payoffs, **kwargs) -> "Game":
        """Build a game from the stacked array of shape ``(a_1, ..., a_N, N)``."""
        return cls(payoffs, **kwargs)

    @classmethod
    def from_dict(cls, d: dict) -> "Game":
        """Inverse of :meth:`to_dict`."""
        return cls(d["payoffs"], players=d.get("players"), actions=d.get("actions"),
                   title=d.get("title", ""), breakdown=d.get("breakdown"),
                   notes=d.get("notes"), spend=d.get("spend"))

    # ---------------------------------------------------------------- properties
    @property
    def payoffs(self) -> np.ndarray:
        """Read-only stacked payoff array, shape ``(a_1, ..., a_N, N)``."""
        return self._payoffs

    @property
    def players(self) -> tuple[str, ...]:
        return self._players

    @property
    def actions(self) -> tuple[tuple[str, ...], ...]:
        return self._actions

    @property
    def title(self) -> str:
        return self._title

    @property
    def spend(self) -> tuple[int, ...] | None:
        """Each player's Spend action index when given at construction, else None."""
        return self._spend

    @property
    def breakdown(self) -> dict[str, np.ndarray] | None:
        """Per-term contributions (same shape as :attr:`payoffs`), or None."""
        return None if self._breakdown is None else dict(self._breakdown)

    @property
    def notes(self) -> tuple[str, ...]:
        return self._notes

    @property
    def n_players(self) -> int:
        return len(self._players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of actions of each player."""
        return self._payoffs.shape[:-1]

    def payoff_arrays(self) -> tuple[np.ndarray, ...]:
        """One array per player (Gambit convention)."""
        return tuple(self._payoffs[..., i] for i in range(self.n_players))

    def profiles(self) -> list[tuple[int, ...]]:
        """All pure profiles in lexicographic order."""
        return list(itertools.product(*(range(a) for a in self.shape)))

    def player_index(self, player) -> int:
        """Index of a player given by index or name."""
        if isinstance(player, (int, np.integer)) and not isinstance(player, bool):
            if 0 <= player < self.n_players:
                return int(player)
        elif player in self._players:
            return self._players.index(player)
        raise ParameterError("player", f"an index in 0..{self.n_players - 1} or one of "
                             f"{list(self._players)}", player)

    def action_index(self, player, name) -> int:
        """Index of action ``name`` (name or index) of ``player`` (name or index).

        Examples
        --------
        >>> g = Game.from_arrays([[1, 0], [0, 1]], [[0, 1], [1, 0]],
        ...                      actions=[["Spend", "Cut"], ["Spend", "Cut"]])
        >>> g.action_index("Player 2", "Cut")
        1
        """
        i = self.player_index(player)
        acts = self._actions[i]
        if isinstance(name, (int, np.integer)) and not isinstance(name, bool):
            if 0 <= name < len(acts):
                return int(name)
        else:
            if name in acts:
                return acts.index(name)
            low = [a.lower() for a in acts]
            if isinstance(name, str) and name.lower() in low:
                return low.index(name.lower())
        raise ParameterError("action", f"one of {list(acts)} or an index in "
                             f"0..{len(acts) - 1} for player {self._players[i]!r}", name)

    def _profile(self, profile) -> tuple[int, ...]:
        prof = list(profile)
        if len(prof) != self.n_players:
            raise ParameterError("profile", f"one action per player ({self.n_players})",
                                 profile)
        return tuple(self.action_index(i, a) for i, a in enumerate(prof))

    def payoff(self, profile) -> np.ndarray:
        """Payoff vector of a pure profile (indices or action names)."""
        return self._payoffs[self._profile(profile)].copy()

    def is_symmetric(self, tol: float = 1e-9) -> bool:
        """Whether relabelling players leaves the payoffs unchanged."""
        from dilemma.equilibria.symmetric import is_symmetric

        return is_symmetric(self._payoffs, tol)

    # ----------------------------------------------------------------- solvers
    def pure_equilibria(self, tol: float = 1e-9) -> list[tuple[int, ...]]:
        """See :func:`dilemma.equilibria.pure.pure_equilibria`."""
        from dilemma.equilibria.pure import pure_equilibria

        return pure_equilibria(self._payoffs, tol)

    def equilibria(self, tol: float = 1e-9):
        """See :func:`dilemma.equilibria.solve.equilibria` (cached per ``tol``)."""
        from dilemma.equilibria.solve import equilibria

        key = ("equilibria", float(tol))
        if key not in self._cache:
            self._cache[key] = equilibria(self._payoffs, tol)
        return self._cache[key]

    def expected_payoffs(self, strategies) -> np.ndarray:
        from dilemma.equilibria.check import expected_payoffs

        return expected_payoffs(self._payoffs, strategies)

    def is_nash(self, strategies, tol: float = 1e-7) -> bool:
        from dilemma.equilibria.check import is_nash

        return is_nash(self._payoffs, strategies, tol)

    def best_responses(self, strategies, player, tol: float = 1e-9) -> list[int]:
        """Pure best responses of ``player`` (name or index) to the others' strategies."""
        from dilemma.equilibria.check import best_responses

        return best_responses(self._payoffs, strategies, self.player_index(player), tol)

    def dominated_actions(self, strict: bool = True, mixed: bool = True,
                          tol: float = 1e-9) -> list[list[int]]:
        from dilemma.equilibria.dominance import dominated_actions

        return dominated_actions(self._payoffs, strict, mixed, tol)

    def dominant_actions(self, strict: bool = True, tol: float = 1e-9) -> list[int | None]:
        from dilemma.equilibria.dominance import dominant_actions

        return dominant_actions(self._payoffs, strict, tol)

    def iterated_elimination(self, strict: bool = True, mixed: bool = True, tol: float = 1e-9):
        from dilemma.equilibria.dominance import iterated_elimination

        return iterated_elimination(self._payoffs, strict, mixed, tol)

    def welfare(self) -> np.ndarray:
        return self._payoffs.sum(axis=-1)

    def pareto_efficient_profiles(self, tol: float = 1e-9) -> list[tuple[int, ...]]:
        from dilemma.equilibria.efficiency import pareto_efficient_profiles

        return pareto_efficient_profiles(self._payoffs, tol)

    def social_optimum(self, tol: float = 1e-9):
        from dilemma.equilibria.efficiency import social_optimum

        return social_optimum(self._payoffs, tol)

    def price_of_anarchy(self, tol: float = 1e-9):
        """See :func:`dilemma.equilibria.efficiency.price_of_anarchy` (over :meth:`equilibria`)."""
        from dilemma.equilibria.efficiency import price_of_anarchy

        res = self.equilibria(tol)
        ws = [float(np.sum(e.payoffs)) for e in res]
        return price_of_anarchy(self._payoffs, equilibrium_welfare=ws, tol=tol,
                                exhaustive=res.exhaustive)

    def qre(self, lam: float, **kwargs):
        """See :func:`dilemma.equilibria.qre.qre`."""
        from dilemma.equilibria.qre import qre

        return qre(self._payoffs, lam, **kwargs)

    def schelling(self):
        """Schelling diagram (pandas DataFrame); see :mod:`dilemma.equilibria.schelling`."""
        from dilemma.equilibria.schelling import schelling

        return schelling(self._payoffs, players=self._players, actions=self._actions,
                         spend=self._spend)

    def roles(self, tol: float = 1e-9):
        """Which action of each player is Spend and which is Cut, and how that is known.

        From the action names when they say it, else inferred from the payoffs
        (``roles().inferred``); see :func:`dilemma.equilibria.roles.resolve_roles`.

        Raises
        ------
        ParameterError
            If some player does not have exactly two actions.
        RolesError
            If the names do not say it and the payoffs do not tell.

        Examples
        --------
        >>> g = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> r = g.roles()
        >>> [g.actions[i][k] for i, k in enumerate(r.spend)], r.inferred
        (['2', '2'], True)
        """
        from dilemma.equilibria.roles import resolve_roles

        return resolve_roles(self._payoffs, self._actions, spend=self._spend, tol=tol)

    def critical_discount_factor(self, tol: float = 1e-9):
        """Grim-trigger thresholds; see :mod:`dilemma.equilibria.grim`.

        Examples
        --------
        The prisoner's dilemma with unnamed actions (cooperation first):
        :math:`(T - R)/(T - P) = (5 - 3)/(5 - 1)`.

        >>> Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]).critical_discount_factor().binding
        0.5
        """
        from dilemma.equilibria.grim import critical_discount_factor

        return critical_discount_factor(self._payoffs, actions=self._actions, spend=self._spend,
                                        players=self._players, tol=tol)

    def game_type(self, tol: float = 1e-9) -> str:
        """Type slug; see :func:`dilemma.equilibria.classify.game_type`."""
        from dilemma.equilibria.classify import game_type

        return game_type(self._payoffs, actions=self._actions, tol=tol, spend=self._spend)

    def describe_type(self) -> str:
        from dilemma.equilibria.classify import describe_type

        return describe_type(self.game_type())

    # ------------------------------------------------------------------ output
    def to_dict(self, analysis: bool = False) -> dict[str, Any]:
        """JSON-ready dictionary of the game (and, optionally, its analysis).

        With ``analysis=True`` the key ``"analysis"`` holds
        :func:`dilemma.analysis.analyse` of the game: the one serializer of an
        analysis, the same keys as ``dilemma solve --json`` and the lab.

        Examples
        --------
        >>> import json
        >>> g = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> d = g.to_dict()
        >>> sorted(d)
        ['actions', 'breakdown', 'notes', 'payoffs', 'players', 'shape', 'spend', 'title']
        >>> Game.from_dict(json.loads(json.dumps(d))) == g
        True
        >>> g.to_dict(analysis=True)["analysis"]["critical_discount_factor"]["binding"]
        0.5
        """
        d: dict[str, Any] = {
            "title": self._title,
            "players": list(self._players),
            "actions": [list(a) for a in self._actions],
            "shape": list(self.shape),
            "payoffs": self._payoffs.tolist(),
            "breakdown": (None if self._breakdown is None
                          else {k: v.tolist() for k, v in self._breakdown.items()}),
            "notes": list(self._notes),
            "spend": None if self._spend is None else list(self._spend),
        }
        if analysis:
            from dilemma.analysis import analyse

            d["analysis"] = analyse(self)
        return d

    def __eq__(self, other) -> bool:
        if not isinstance(other, Game):
            return NotImplemented
        return (self._players == other._players and self._actions == other._actions
                and self._title == other._title and self._spend == other._spend
                and np.array_equal(self._payoffs, other._payoffs))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        dims = "×".join(str(a) for a in self.shape)
        t = f" {self._title!r}" if self._title else ""
        return f"<Game{t}: {self.n_players} players {list(self._players)}, {dims} actions>"
