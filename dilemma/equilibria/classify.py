r"""What kind of game is it? Prisoner's dilemma, stag hunt, chicken, ...

Cut is the cooperative move, Spend the defecting one. Which action is which
comes from :func:`dilemma.equilibria.roles.resolve_roles`: the names
("Spend"/"Cut", "Defect"/"Cooperate") when they say it, else the payoffs (Cut
is the action whose "all play it" outcome is better for every player than the
mirror outcome); when neither tells, the game is ``other``. The type never
depends on the order of the players or of their actions. A leading batch of
games (shape ``(B..., 2, ..., 2, N)``) gives an array of types.

**Two players.** For each player, with own action first,
:math:`R = u(C, C)`, :math:`S = u(C, D)`, :math:`T = u(D, C)`,
:math:`P = u(D, D)` (C = Cut, D = Spend). For capex: *T* is the gain from
spending while the rival cuts, *R* the reward of mutual restraint, *P* the
payoff of the arms race, *S* the sucker's payoff of cutting alone. Types
(MODEL.md):

================== ============================
prisoners-dilemma  T > R > P > S
stag-hunt          R > T >= P > S
chicken            T > R > S > P
harmony            R > T and S > P
deadlock           T > P > R > S
================== ============================

If both players have the same type that is the game's type, else ``other``.

**N >= 3 players** (heterogeneous firms allowed): with
:math:`\Delta_i(s_{-i}) = u_i(\text{Spend}, s_{-i}) - u_i(\text{Cut}, s_{-i})`
over every profile of the others,

* Spend strictly dominant for all (every :math:`\Delta_i > 0`): ``prisoners-dilemma``
  if every firm strictly prefers all-Cut to all-Spend, ``deadlock`` ("no
  dilemma, boom") if every firm weakly prefers all-Spend, else ``other``;
* Cut strictly dominant for all: ``harmony`` ("no dilemma, bust");
* ``stag-hunt`` if :math:`\Delta_i(\text{all others cut}) < 0 < \Delta_i(\text{all others spend})` for every firm;
* ``chicken`` if :math:`\Delta_i(\text{all others cut}) > 0 > \Delta_i(\text{all others spend})` for every firm;
* else ``other``.

**Ties.** Comparisons are strict beyond ``tol``; a tie between payoffs whose
order defines a type (e.g. ``T == R``, or ``Delta == 0`` somewhere for N >= 3)
fails that type's strict inequality, so the game falls to another type or to
``other``. The only weak inequality is the stag hunt's ``T >= P`` (two
players) and the N-player deadlock's weak preference for all-Spend. Ties never
raise.

Examples
--------
>>> import numpy as np
>>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
>>> game_type(pd, actions=[["Cut", "Spend"]] * 2)
'prisoners-dilemma'
>>> game_type(pd)  # unnamed: all-play of action 0 is better for both -> cooperative
'prisoners-dilemma'
>>> describe_type("stag-hunt")  # doctest: +ELLIPSIS
'Stag hunt: ...'
"""

from __future__ import annotations

import numpy as np

from dilemma.equilibria._arrays import as_payoffs, batch_shape, check_tol
from dilemma.equilibria.grim import _stage
from dilemma.equilibria.roles import _resolve, orient

__all__ = ["game_type", "two_player_types", "describe_type", "TYPE_LABELS", "TYPES",
           "cooperative_actions"]

TYPES = ("prisoners-dilemma", "stag-hunt", "chicken", "harmony", "deadlock", "other")
_PD, _SH, _CH, _HA, _DL, _OT = range(6)

#: Short labels for each slug.
TYPE_LABELS = {
    "prisoners-dilemma": "Prisoner's dilemma",
    "stag-hunt": "Stag hunt (tipping point)",
    "chicken": "Chicken (stable mix)",
    "harmony": "No dilemma: bust (harmony)",
    "deadlock": "No dilemma: boom (deadlock)",
    "other": "Other",
}

_DESCRIPTIONS = {
    "prisoners-dilemma": (
        "Prisoner's dilemma: spending is best whatever the others do, yet every firm "
        "would be better off if all cut."),
    "stag-hunt": (
        "Stag hunt: restraint pays if the others restrain too, spending pays if they "
        "spend; both all-Cut and all-Spend are equilibria, and what each firm expects "
        "the others to do tips the game (a tipping point)."),
    "chicken": (
        "Chicken: each firm wants to spend while the others hold back and to cut when "
        "they spend; in equilibrium the firms split (some spend, some cut) or mix at random."),
    "harmony": (
        "No dilemma (bust): cutting is best whatever the others do, so everyone cuts and "
        "the build-out simply stops."),
    "deadlock": (
        "No dilemma (boom): spending is best whatever the others do, and all spending "
        "is what the firms prefer anyway."),
    "other": "None of the classic types: read the payoffs and equilibria directly.",
}


def describe_type(slug: str) -> str:
    """One plain-language sentence for a type slug.

    Raises
    ------
    ParameterError
        If ``slug`` is not one of :data:`TYPES`.
    """
    from dilemma.errors import ParameterError

    if slug not in _DESCRIPTIONS:
        raise ParameterError("slug", "one of " + ", ".join(TYPES), slug)
    return _DESCRIPTIONS[slug]


def cooperative_actions(payoffs, actions=None, tol: float = 1e-9):
    """Deprecated: use :func:`dilemma.equilibria.roles.resolve_roles`.

    Index of the cooperative (Cut) action of each player, or None when the
    game is not a two-action game or the roles cannot be told.

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> cooperative_actions(pd, actions=[["Spend", "Cut"]] * 2)
    [1, 1]
    """
    p = as_payoffs(payoffs)
    if any(a != 2 for a in p.shape[:-1]):
        return None
    spend, passing, _ = _resolve(p, actions, None, check_tol(tol))
    if passing != 1:
        return None
    return [1 - int(s) for s in spend]


def _type_2x2(T, R, P, S, tol):
    def gt(a, b):
        return a > b + tol

    def ge(a, b):
        return a >= b - tol

    conds = [
        gt(T, R) & gt(R, P) & gt(P, S),
        gt(R, T) & ge(T, P) & gt(P, S),
        gt(T, R) & gt(R, S) & gt(S, P),
        gt(R, T) & gt(S, P),
        gt(T, P) & gt(P, R) & gt(R, S),
    ]
    return np.select(conds, [_PD, _SH, _CH, _HA, _DL], default=_OT)


def _type_codes(o: np.ndarray, tol: float) -> np.ndarray:
    """Type code (index into :data:`TYPES`) of each game of an oriented stack (Spend = 0)."""
    n = o.shape[-1]
    batch = batch_shape(o)
    nb = len(batch)
    if n < 2:
        return np.full(batch, _OT)
    if n == 2:
        tab = _stage(o)
        # with two players "all others cut" is the rival cutting: the 2x2 reading
        types = _type_2x2(tab["T"], tab["R"], tab["P"], tab["S"], tol)
        return np.where(types[..., 0] == types[..., 1], types[..., 0], _OT)
    spend_dom = np.ones(batch, dtype=bool)
    cut_dom = np.ones(batch, dtype=bool)
    stag = np.ones(batch, dtype=bool)
    chick = np.ones(batch, dtype=bool)
    others_cut = (Ellipsis,) + (1,) * (n - 1)
    others_spend = (Ellipsis,) + (0,) * (n - 1)
    for i in range(n):
        own = (slice(None),) * (nb + i)          # views, not copies, of the player's two actions
        oi = o[..., i]
        delta = oi[own + (0,)] - oi[own + (1,)]     # Spend minus Cut, indexed by the others
        flat = delta.reshape(batch + (-1,))
        spend_dom &= np.all(flat > tol, axis=-1)
        cut_dom &= np.all(flat < -tol, axis=-1)
        d0, dn = delta[others_cut], delta[others_spend]
        stag &= (d0 < -tol) & (dn > tol)
        chick &= (d0 > tol) & (dn < -tol)
    uc = o[(Ellipsis,) + (1,) * n + (slice(None),)]
    ud = o[(Ellipsis,) + (0,) * n + (slice(None),)]
    pd = np.all(uc > ud + tol, axis=-1)
    dl = np.all(ud >= uc - tol, axis=-1)
    return np.select(
        [spend_dom & pd, spend_dom & dl, spend_dom, cut_dom, stag, chick],
        [_PD, _DL, _OT, _HA, _SH, _CH], default=_OT)


def type_codes(payoffs, actions=None, spend=None, tol: float = 1e-9) -> np.ndarray:
    """Type code (an index into :data:`TYPES`) of each game of a batch, shape ``(B...)``.

    The array form of :func:`game_type` (same rules, ties and roles); games
    whose roles cannot be told get the code of ``"other"``.
    """
    p = as_payoffs(payoffs, batch=True)
    tol = check_tol(tol)
    if actions is None:
        actions = getattr(payoffs, "actions", None)
    n = p.shape[-1]
    batch = batch_shape(p)
    if n < 2 or any(a != 2 for a in p.shape[len(batch):-1]):
        return np.full(batch, _OT)
    s, passing, _ = _resolve(p, actions, spend, tol)
    known = passing == 1
    codes = _type_codes(orient(p, np.where(s < 0, 0, s)), tol)
    return np.where(known, codes, _OT)


def two_player_types(payoffs, actions=None, tol: float = 1e-9) -> list[str]:
    """The type of each player's own 2×2 payoff ordering (two-player games).

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> two_player_types(pd)
    ['prisoners-dilemma', 'prisoners-dilemma']
    """
    p = as_payoffs(payoffs)
    tol = check_tol(tol)
    if p.shape != (2, 2, 2):
        return ["other"] * p.shape[-1]
    s, passing, _ = _resolve(p, actions, None, tol)
    if passing != 1:
        return ["other", "other"]
    tab = _stage(orient(p, s))
    return [TYPES[int(c)] for c in _type_2x2(tab["T"], tab["R"], tab["P"], tab["S"], tol)]


def game_type(payoffs, actions=None, tol: float = 1e-9, spend=None):
    """Classify a game as one of :data:`TYPES`.

    Parameters
    ----------
    payoffs : array_like, shape (a_1, ..., a_N, N) or (B..., 2, ..., 2, N)
        One game, or a leading batch of two-action games.
    actions : sequence of sequence of str, optional
        Action names per player; see :func:`dilemma.equilibria.roles.resolve_roles`.
    tol : float, default 1e-9
        Payoff differences within ``tol`` are ties.
    spend : int or sequence of int, optional
        Index of the Spend action (overrides names).

    Returns
    -------
    str or numpy.ndarray of str
        A slug from :data:`TYPES` (an array of them, shape ``(B...)``, for a batch).

    Examples
    --------
    Three-firm volunteer-style game: each wants to spend only if nobody else does.

    >>> import numpy as np
    >>> from itertools import product
    >>> g = np.zeros((2, 2, 2, 3))
    >>> for prof in product(range(2), repeat=3):  # 0 = Spend, 1 = Cut
    ...     k = prof.count(0)
    ...     g[prof] = [(3 - 2 * k) if a == 0 else (2 if k else 0) for a in prof]
    >>> game_type(g, actions=[["Spend", "Cut"]] * 3)
    'chicken'
    >>> game_type(np.stack([g, -g]), actions=[["Spend", "Cut"]] * 3).tolist()  # a batch
    ['chicken', 'stag-hunt']
    """
    p = as_payoffs(payoffs, batch=True)
    if actions is None:
        actions = getattr(payoffs, "actions", None)
    batch = batch_shape(p)
    if not batch and (p.shape[-1] < 2 or any(a != 2 for a in p.shape[:-1])):
        check_tol(tol)
        return "other"
    codes = type_codes(p, actions, spend, tol)
    if not batch:
        return TYPES[int(codes)]
    return np.array(TYPES, dtype=object)[codes]
