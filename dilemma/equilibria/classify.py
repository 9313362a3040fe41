r"""What kind of game is it? Prisoner's dilemma, stag hunt, chicken, ...

Cut is the cooperative move, Spend the defecting one. The cooperative action is
the one named "Cut" (case-insensitive) when actions are named; otherwise, in a
two-action game, the action whose all-play profile gives *every* player a
strictly higher payoff than the other all-play profile; if neither exists the
game is ``other``.

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

from dilemma.equilibria._arrays import as_payoffs, check_tol

__all__ = ["game_type", "two_player_types", "describe_type", "TYPE_LABELS", "TYPES",
           "cooperative_actions"]

TYPES = ("prisoners-dilemma", "stag-hunt", "chicken", "harmony", "deadlock", "other")

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
        "spend; both all-Cut and all-Spend are equilibria and expectations tip the game."),
    "chicken": (
        "Chicken: each firm wants to spend when the others cut and to cut when they "
        "spend; in equilibrium some spend and some cut (or all mix)."),
    "harmony": (
        "No dilemma (bust): cutting is best whatever the others do, and everyone cuts."),
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
    """Index of the cooperative (Cut) action of each player, or None.

    See the module docstring for the rule.

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> cooperative_actions(pd, actions=[["Spend", "Cut"]] * 2)
    [1, 1]
    """
    p = as_payoffs(payoffs)
    shape = p.shape[:-1]
    n = len(shape)
    if any(a != 2 for a in shape):
        return None
    if actions is not None:
        out = []
        for names in actions:
            low = [str(a).strip().lower() for a in names]
            if "cut" in low:
                out.append(low.index("cut"))
            elif "spend" in low:
                out.append(1 - low.index("spend"))
            else:
                out = None
                break
        if out is not None:
            return out
    u0 = p[(0,) * n]
    u1 = p[(1,) * n]
    if np.all(u0 > u1 + tol):
        return [0] * n
    if np.all(u1 > u0 + tol):
        return [1] * n
    return None


def _type_2x2(T: float, R: float, P: float, S: float, tol: float) -> str:
    def gt(a, b):
        return a > b + tol

    def ge(a, b):
        return a >= b - tol

    if gt(T, R) and gt(R, P) and gt(P, S):
        return "prisoners-dilemma"
    if gt(R, T) and ge(T, P) and gt(P, S):
        return "stag-hunt"
    if gt(T, R) and gt(R, S) and gt(S, P):
        return "chicken"
    if gt(R, T) and gt(S, P):
        return "harmony"
    if gt(T, P) and gt(P, R) and gt(R, S):
        return "deadlock"
    return "other"


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
    c = cooperative_actions(p, actions, tol)
    if c is None:
        return ["other", "other"]
    d = [1 - k for k in c]
    out = []
    for i in range(2):
        j = 1 - i

        def u(own, other, i=i, j=j):
            prof = [0, 0]
            prof[i], prof[j] = own, other
            return float(p[tuple(prof) + (i,)])

        R, S = u(c[i], c[j]), u(c[i], d[j])
        T, P = u(d[i], c[j]), u(d[i], d[j])
        out.append(_type_2x2(T, R, P, S, tol))
    return out


def game_type(payoffs, actions=None, tol: float = 1e-9) -> str:
    """Classify a game as one of :data:`TYPES`.

    Parameters
    ----------
    payoffs : array_like, shape (a_1, ..., a_N, N)
    actions : sequence of sequence of str, optional
        Action names per player; the one named "Cut" is cooperative.
    tol : float, default 1e-9
        Payoff differences within ``tol`` are ties.

    Returns
    -------
    str
        A slug from :data:`TYPES`.

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
    """
    p = as_payoffs(payoffs)
    tol = check_tol(tol)
    shape = p.shape[:-1]
    n = len(shape)
    if n < 2 or any(a != 2 for a in shape):
        return "other"
    if n == 2:
        types = two_player_types(p, actions, tol)
        return types[0] if types[0] == types[1] else "other"
    c = cooperative_actions(p, actions, tol)
    if c is None:
        return "other"
    d = [1 - k for k in c]
    all_c, all_d = tuple(c), tuple(d)
    spend_dom, cut_dom, stag, chick = True, True, True, True
    for i in range(n):
        M = np.moveaxis(p[..., i], i, 0)  # (own action, others...)
        delta = M[d[i]] - M[c[i]]  # indexed by others' actions
        others_c = tuple(c[k] for k in range(n) if k != i)
        others_d = tuple(d[k] for k in range(n) if k != i)
        d0, dn = float(delta[others_c]), float(delta[others_d])
        spend_dom &= bool(np.all(delta > tol))
        cut_dom &= bool(np.all(delta < -tol))
        stag &= d0 < -tol and dn > tol
        chick &= d0 > tol and dn < -tol
    if spend_dom:
        uc, ud = p[all_c], p[all_d]
        if np.all(uc > ud + tol):
            return "prisoners-dilemma"
        if np.all(ud >= uc - tol):
            return "deadlock"
        return "other"
    if cut_dom:
        return "harmony"
    if stag:
        return "stag-hunt"
    if chick:
        return "chicken"
    return "other"
