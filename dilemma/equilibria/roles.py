r"""Which action is Spend (defect) and which is Cut (cooperate): resolved once.

Every diagnostic that reads a two-action game as a Spend/Cut game (the game
type, the grim-trigger threshold, the Schelling diagram, the all-cut
comparison, repeated play) asks this module which action of each player is
which. The answer never depends on the order in which the players or their
actions are listed.

**Rule.** For each player, in this order:

1. ``spend`` given by the caller (an action index per player, or one for all):
   that action is Spend (``source = "given"``);
2. the action names say it: an action named ``Spend`` or ``Defect`` is Spend,
   one named ``Cut`` or ``Cooperate`` is Cut (case-insensitive; naming one of
   the two is enough) (``source = "names"``);
3. otherwise the roles are **inferred from the payoffs** (``source =
   "payoffs"``): a choice of one action per player as "Cut" is accepted when
   the profile in which every player plays its Cut action gives *every*
   player a payoff more than ``tol`` higher than the profile in which every
   player plays its other action (the Pareto-better symmetric outcome is the
   cooperative one). Among the :math:`2^{N-1}` ways to pair up the players'
   actions, exactly one must pass; players whose roles are known by rule 1 or
   2 keep them.

If no choice passes (e.g. matching pennies: no outcome is better for both)
or several do (e.g. a game in which two different "all cooperate" profiles
each beat their mirror image), the roles cannot be told and
:class:`~dilemma.errors.RolesError` is raised: name the actions ``Spend`` and
``Cut``, or pass ``spend``. Inference cannot tell a *deadlock* (Spend dominant
and all-Spend better for all) from *harmony* (Cut dominant and all-Cut
better): the two are one game with the labels swapped, and rule 3 reads it
as harmony. Name the actions to get a deadlock.

Everything works on a leading batch of games as well (shape
``(B..., 2, ..., 2, N)``); the roles are then resolved per game.

Examples
--------
The prisoner's dilemma with unnamed actions, cooperation listed first:

>>> import numpy as np
>>> pd = np.stack([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], axis=-1).astype(float)
>>> r = resolve_roles(pd)
>>> r.spend.tolist(), r.cut.tolist(), r.source
([1, 1], [0, 0], 'payoffs')
>>> resolve_roles(pd, actions=[["Cut", "Spend"], ["Cut", "Spend"]]).source
'names'

Matching pennies has no cooperative outcome:

>>> mp = np.stack([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], axis=-1).astype(float)
>>> resolve_roles(mp)
Traceback (most recent call last):
...
dilemma.errors.RolesError: roles: cannot tell which action is Spend and which is Cut: no choice of one action per player makes 'all play it' better for every player than 'all play the other'; name the actions 'Spend' and 'Cut' (or pass spend=)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dilemma.equilibria._arrays import as_payoffs, check_tol
from dilemma.errors import ParameterError, RolesError

__all__ = ["Roles", "resolve_roles", "roles_from_names", "infer_cut", "orient"]

_SPEND_NAMES = ("spend", "defect")
_CUT_NAMES = ("cut", "cooperate")


@dataclass(frozen=True, eq=False)
class Roles:
    """The Spend and Cut action of every player of a two-action game.

    Attributes
    ----------
    spend : numpy.ndarray of int, shape (B..., N)
        Index (0 or 1) of each player's Spend action (defect).
    source : str
        ``"given"`` (the caller said), ``"names"`` (the action names say it),
        ``"payoffs"`` (inferred by the rule of :mod:`dilemma.equilibria.roles`)
        or ``"names+payoffs"`` (some players named, the others inferred).
    """

    spend: np.ndarray
    source: str

    @property
    def cut(self) -> np.ndarray:
        """Index of each player's Cut action (cooperate), ``1 - spend``."""
        return 1 - self.spend

    @property
    def inferred(self) -> bool:
        """Whether some roles were inferred from the payoffs (not named or given)."""
        return "payoffs" in self.source

    def pairs(self) -> list[tuple[int, int]]:
        """``(spend, cut)`` per player (one game)."""
        return [(int(s), 1 - int(s)) for s in np.asarray(self.spend).reshape(-1)]

    def note(self) -> str | None:
        """A sentence saying the roles were inferred, or None when they were named or given."""
        if not self.inferred:
            return None
        return ("the action names do not say which action is Spend and which is Cut; the roles "
                "were inferred from the payoffs (Cut is the action whose 'all play it' outcome "
                "is better for every player)")


def roles_from_names(actions, n: int) -> np.ndarray:
    """Spend index per player from the action names; -1 where the names do not say.

    >>> roles_from_names([["Cut", "Spend"], ["A", "B"], ["defect", "x"]], 3).tolist()
    [1, -1, 0]
    """
    out = np.full(n, -1, dtype=int)
    if actions is None:
        return out
    acts = list(actions)
    if len(acts) == 1 and n > 1:
        acts = acts * n
    if len(acts) != n:
        raise ParameterError("actions", f"one sequence of action names per player ({n})", len(acts))
    for i, names in enumerate(acts):
        low = [str(a).strip().lower() for a in names]
        if len(low) != 2:
            continue
        for k in range(2):
            if low[k] in _SPEND_NAMES:
                out[i] = k
                break
            if low[k] in _CUT_NAMES:
                out[i] = 1 - k
                break
    return out


def _spend_given(spend, n: int) -> np.ndarray:
    try:
        idx = np.broadcast_to(np.asarray(spend, dtype=int), (n,)).copy()
        ok = np.array_equal(idx, np.broadcast_to(np.asarray(spend, dtype=float), (n,)))
    except (TypeError, ValueError):
        ok = False
    if not ok or np.any((idx < 0) | (idx > 1)):
        raise ParameterError("spend", f"0 or 1 (index of the Spend action), one for all or one per "
                             f"player ({n})", spend)
    return idx


def infer_cut(payoffs, fixed=None, tol: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """Cut index per player inferred from the payoffs, for one game or a batch.

    Parameters
    ----------
    payoffs : array_like, shape (B..., 2, ..., 2, N)
    fixed : array_like of int, shape (N,), optional
        Known Cut index per player (-1 = unknown); only choices that agree pass.
    tol : float, default 1e-9

    Returns
    -------
    cut : ndarray of int, shape (B..., N)
        Index of each player's Cut action, -1 for games where it cannot be told.
    passing : ndarray of int, shape (B...)
        How many choices passed the rule (1 = resolved; 0 = none; more = ambiguous).
    """
    p = as_payoffs(payoffs, batch=True)
    n = p.shape[-1]
    batch = p.shape[:p.ndim - 1 - n]
    if any(a != 2 for a in p.shape[len(batch):-1]):
        raise ParameterError("payoffs", "a game in which every player has exactly 2 actions",
                             p.shape[len(batch):-1])
    flat = p.reshape(batch + (2 ** n, n))
    top = 2 ** n - 1
    idx = np.arange(2 ** n)
    # bits of each flat profile index: the action of each player (C order)
    bits = (idx[:, None] >> np.arange(n - 1, -1, -1)) & 1               # (2^n, n)
    better = np.all(flat > flat[..., top - idx, :] + tol, axis=-1)        # (B..., 2^n)
    if fixed is not None:
        fx = np.asarray(fixed, dtype=int)
        agree = np.all((fx < 0) | (bits == fx), axis=1)
        better = better & agree
    passing = better.sum(axis=-1)
    first = np.argmax(better, axis=-1)
    cut = np.where((passing == 1)[..., None], bits[first], -1)
    return cut, passing


def _resolve(p: np.ndarray, actions, spend, tol: float):
    """``(spend, passing, source)``: spend index ``(B..., N)``, -1 in games that cannot be told."""
    n = p.shape[-1]
    batch = p.shape[:p.ndim - 1 - n]
    if any(a != 2 for a in p.shape[len(batch):-1]):
        raise ParameterError("payoffs", "a game in which every player has exactly 2 actions",
                             p.shape[len(batch):-1])
    if spend is not None:
        return np.broadcast_to(_spend_given(spend, n), batch + (n,)), np.ones(batch, int), "given"
    named = roles_from_names(actions, n)
    if np.all(named >= 0):
        return np.broadcast_to(named, batch + (n,)), np.ones(batch, int), "names"
    fixed_cut = np.where(named >= 0, 1 - named, -1)
    cut, passing = infer_cut(p, fixed_cut, tol)
    spend_idx = np.where(cut >= 0, 1 - cut, -1)
    return spend_idx, passing, ("payoffs" if np.all(named < 0) else "names+payoffs")


def resolve_roles(payoffs, actions=None, spend=None, tol: float = 1e-9) -> Roles:
    """The Spend/Cut roles of a two-action game (or of a batch of games).

    Parameters
    ----------
    payoffs : array_like, shape (B..., 2, ..., 2, N)
        A game or a leading batch of games (anything with ``.payoffs`` too).
    actions : sequence of sequence of str, optional
        Action names per player (a ``Game``'s own names are used when omitted).
    spend : int or sequence of int, optional
        Index of the Spend action, one for all or one per player; overrides names
        (a ``Game``'s own :attr:`~dilemma.game.Game.spend` is used when omitted).
    tol : float, default 1e-9
        Payoff differences within ``tol`` are ties (for the inference).

    Returns
    -------
    Roles

    Raises
    ------
    ParameterError
        If some player does not have exactly two actions, or ``spend`` is not 0/1.
    RolesError
        If the roles are neither named nor given and the payoffs do not single
        them out (see the module docstring), for the game or for some game of
        the batch.
    """
    if actions is None:
        actions = getattr(payoffs, "actions", None)
    if spend is None:  # a Game's own given roles
        spend = getattr(payoffs, "spend", None)
    p = as_payoffs(payoffs, batch=True)
    tol = check_tol(tol)
    spend_idx, passing, source = _resolve(p, actions, spend, tol)
    if np.any(passing != 1):
        bad = passing[passing != 1]
        batch = passing.shape
        where = "" if not batch else f" ({bad.size} of {int(np.prod(batch))} games)"
        why = ("no choice of one action per player makes 'all play it' better for every player "
               "than 'all play the other'") if np.any(bad == 0) else (
               f"{int(bad.max())} different choices of one action per player each make 'all play "
               "it' better for every player than 'all play the other'")
        raise RolesError(f"roles: cannot tell which action is Spend and which is Cut{where}: {why}; "
                         "name the actions 'Spend' and 'Cut' (or pass spend=)")
    return Roles(np.array(spend_idx, dtype=int), source)


def orient(payoffs, spend) -> np.ndarray:
    """The payoff array with every player's actions in the order (Spend, Cut).

    Parameters
    ----------
    payoffs : ndarray, shape (B..., 2, ..., 2, N)
    spend : array_like of int, shape (N,) or (B..., N)
        Spend index per player (``Roles.spend``).

    Returns
    -------
    ndarray
        ``payoffs`` itself when every Spend index is 0, else a flipped copy.
    """
    p = np.asarray(payoffs)
    n = p.shape[-1]
    nb = p.ndim - 1 - n
    s = np.asarray(spend, dtype=int)
    if not np.any(s):
        return p
    if s.ndim == 1:
        axes = [nb + i for i in range(n) if s[i] == 1]
        return np.flip(p, axis=axes)
    for i in range(n):
        si = s[..., i]
        if not np.any(si):
            continue
        cond = si.reshape(si.shape + (1,) * (n + 1)).astype(bool)
        p = np.where(cond, np.flip(p, axis=nb + i), p)
    return p
